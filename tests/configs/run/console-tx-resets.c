/*
 * A small VM ("loop", guests/resetloop crash=1) faults at once at every
 * boot on CPU 2 and is restarted (on_fault): each time the hypervisor prints
 * its report of the fault (~700 bytes) and of the restart; "steady"
 * (guests/steady, a 10 ms timer, input focus) prints its reports on CPU 1.
 * With the UART modelled at 115200 baud (make SLOW_UART=11520) the lines
 * about loop must fit in loop's share of the console's output ring, not
 * take steady's lines out of it (tests/integration/console_tx.py). Host
 * memory: steady at 0x44000000, loop at 0x45000000.
 */
#include "config.h"

GUEST_BLOB(resetloop, "build/guests/resetloop.bin");
GUEST_BLOB(steady, "build/guests/steady.bin");

static const struct memslot steady_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct memslot loop_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(4), .pa = PA(0x45000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "steady",
		VCPUS_ON(1),
		SLOTS(steady_slots),
		.kernel = BUILT_IN(IMAGE_RAW, steady),
		.cmdline = "secs=1 period_ms=10 report_ms=100 lag_ms=500 ram=0x400000",
		.vuart = true,
	},
	{
		.name = "loop",
		VCPUS_ON(2),
		SLOTS(loop_slots),
		.kernel = BUILT_IN(IMAGE_RAW, resetloop),
		.cmdline = "resets=300 ram=0x400000 crash=1",
		.on_fault = FAULT_RESTART,
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
