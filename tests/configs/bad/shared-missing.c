/*
 * Rule: Slots of two VMs may share host memory only when both are flagged
 * SHARED.
 */
/* expect: error: vm "second" slot 0: host memory 0x46000000-0x49ffffff overlaps vm "first" slot 0 \(0x44000000-0x47ffffff\); flag both slots SHARED if they are meant to share it */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot first_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

static const struct memslot second_slots[] = {
	/* overlaps first's */
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x46000000) },
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
