/*
 * Rule: LOG_DIRTY is refused on DEVICE slots.
 */
/* expect: error: vm "guest" slot 1: LOG_DIRTY cannot be used on a DEVICE slot: device registers are not memory */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x09010000), .size = 0x1000, .pa = PA(0x09010000),
	  .flags = SLOT_DEVICE | SLOT_LOG_DIRTY },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
