/*
 * Rule: Two slots of one VM may not overlap in IPA space.
 */
/* expect: error: vm "guest" slot 1: IPA 0x43000000-0x44ffffff overlaps slot 0 \(0x40000000-0x43ffffff\) */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	/* inside slot 0's IPA range */
	{ .id = 1, .ipa = IPA(0x43000000), .size = MiB(32), .pa = PA(0x50000000) },
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
