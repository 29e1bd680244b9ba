/*
 * QEMU virt's PL031 RTC passed through: its 4 KiB window as a DEVICE slot at
 * the address a virt guest expects, and its interrupt (SPI 2, INTID 34).
 */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x09010000), .size = 0x1000, .pa = PA(0x09010000),
	  .flags = SLOT_DEVICE },
};

static const struct vm_config vms[] = {
	{
		.name = "rtc-owner",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
		IRQS(34),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
