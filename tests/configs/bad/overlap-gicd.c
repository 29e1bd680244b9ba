/*
 * Rule: No slot may overlap the emulated GIC distributor at 0x08000000.
 */
/* expect: error: vm "guest" slot 1: IPA 0x8000000-0x8000fff overlaps the GIC distributor the hypervisor provides at 0x8000000-0x800ffff */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x08000000), .size = 0x1000, .pa = PA(0x50000000) },
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
