/*
 * A VM that prints without end ("uartflood", guests/uartflood: lines of
 * control characters, four times longer on the terminal) shares CPU 1 with
 * "steady" (guests/steady, a 10 ms timer whose lateness it reports), with
 * a UART modelled at 115200 baud (make SLOW_UART=11520). The console must
 * not hold the CPU while the UART catches up, and must drop what does not
 * fit, whole lines, saying so (tests/integration/console_tx.py). steady is
 * first, so it has input focus: its output is unbuffered. Host memory:
 * steady at 0x44000000, uartflood at 0x45000000.
 */
#include "config.h"

GUEST_BLOB(steady, "build/guests/steady.bin");
GUEST_BLOB(uartflood, "build/guests/uartflood.bin");

static const struct memslot steady_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct memslot flood_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "steady",
		VCPUS_ON(1),
		SLOTS(steady_slots),
		.kernel = BUILT_IN(IMAGE_RAW, steady),
		.cmdline = "secs=1 period_ms=10 report_ms=250 lag_ms=500 ram=0x400000",
		.vuart = true,
	},
	{
		.name = "uartflood",
		VCPUS_ON(1),
		SLOTS(flood_slots),
		.kernel = BUILT_IN(IMAGE_RAW, uartflood),
		.cmdline = "ms=300 chars=140 drain_ms=400",
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
};
