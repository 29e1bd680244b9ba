/*
 * Rule: A slot's PA must be a multiple of 4 KiB.
 */
/* expect: error: vm "guest" slot 1: IPA 0x50000000, PA 0x50000200 and size 0x200000 must all be multiples of 4 KiB \(0x1000\) */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	/* PA not page-aligned */
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(2), .pa = PA(0x50000200) },
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
