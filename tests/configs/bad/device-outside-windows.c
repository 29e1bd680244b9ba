/*
 * Rule: A DEVICE slot must lie inside one of the board's device windows.
 */
/* expect: error: vm "guest" slot 1: DEVICE PA 0x9010000-0x9011fff is not inside one of board qemu-virt's device windows \(platforms/qemu-virt\.c \.devices\) */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	/* the RTC window is one page */
	{ .id = 1, .ipa = IPA(0x09010000), .size = 0x2000, .pa = PA(0x09010000),
	  .flags = SLOT_DEVICE },
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
