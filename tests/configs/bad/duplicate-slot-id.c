/*
 * Rule: Slot ids are unique within a VM.
 */
/* expect: error: vm "guest" slot 0: id 0 is used by another slot of this VM too; ids must be unique */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 0, .ipa = IPA(0x50000000), .size = MiB(2), .pa = PA(0x50000000) },
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
