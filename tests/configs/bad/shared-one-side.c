/*
 * Rule: SHARED on one side only is not enough: every slot involved must say so.
 */
/* expect: error: vm "second" slot 1: host memory 0x50000000-0x501fffff overlaps vm "first" slot 1 \(0x50000000-0x501fffff\); flag both slots SHARED if they are meant to share it */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot first_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(2), .pa = PA(0x50000000),
	  .flags = SLOT_SHARED },
};

static const struct memslot second_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x48000000) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(2), .pa = PA(0x50000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "first",
		VCPUS_ON(1),
		SLOTS(first_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
	{
		.name = "second",
		VCPUS_ON(2),
		SLOTS(second_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
