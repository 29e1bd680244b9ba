/*
 * Rule: No slot may overlap the emulated GIC redistributors (one 128 KiB frame
 * per vCPU).
 */
/* expect: error: vm "guest" slot 1: IPA 0x80c0000-0x80c0fff overlaps the GIC redistributors the hypervisor provides at 0x80a0000-0x80dffff */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	/* the second vCPU's frame */
	{ .id = 1, .ipa = IPA(0x080c0000), .size = 0x1000, .pa = PA(0x50000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1, 2),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
