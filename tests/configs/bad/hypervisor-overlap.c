/*
 * Rule: No slot may overlap the hypervisor's own memory (on qemu-virt, the
 * first 16 MiB of RAM).
 */
/* expect: error: vm "guest" slot 0: PA 0x40800000-0x447fffff overlaps the hypervisor's own memory \(image, stacks, page pool: 0x40000000-0x40ffffff\) */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x40800000) },
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
