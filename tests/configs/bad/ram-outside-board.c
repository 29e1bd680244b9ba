/*
 * Rule: A RAM slot must lie inside the board's RAM (0x40000000-0x7fffffff on
 * qemu-virt).
 */
/* expect: error: vm "guest" slot 1: PA 0x7fe00000-0x801fffff is not inside board qemu-virt's RAM; use RAM from platforms/qemu-virt\.c, or flag the slot DEVICE for a device window */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	/* crosses the end of RAM */
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(4), .pa = PA(0x7fe00000) },
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
