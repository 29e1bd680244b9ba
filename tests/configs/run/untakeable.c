/*
 * guests/untakeable owns QEMU virt's PL031 RTC (its window and SPI 34) and
 * shares CPU 1 with guests/steady, whose 10 ms timer must keep its rate
 * while the RTC's interrupt is held high and untakeable
 * (tests/integration/untakeable.py).
 */
#include "config.h"

GUEST_BLOB(untakeable, "build/guests/untakeable.bin");
GUEST_BLOB(steady, "build/guests/steady.bin");

static const struct memslot steady_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct memslot spi_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
	{ .id = 1, .ipa = IPA(0x09010000), .size = 0x1000, .pa = PA(0x09010000),
	  .flags = SLOT_DEVICE },
};

static const struct vm_config vms[] = {
	{
		.name = "steady",
		VCPUS_ON(1),
		SLOTS(steady_slots),
		.kernel = BUILT_IN(IMAGE_RAW, steady),
		.cmdline = "secs=2 period_ms=10 report_ms=500 lag_ms=100",
		.vuart = true,
	},
	{
		.name = "spi",
		VCPUS_ON(1),
		SLOTS(spi_slots),
		.kernel = BUILT_IN(IMAGE_RAW, untakeable),
		IRQS(34),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
	.time_slice_us = 2000,
};
