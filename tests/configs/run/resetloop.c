/*
 * A 768 MiB VM ("big", guests/resetloop) resets itself in a loop on CPU 1,
 * which it shares with "steady" (guests/steady, a 10 ms timer): each reset
 * clears 768 MiB, which must not hold steady off its CPU for longer than a
 * time slice (tests/integration/resetloop.py, under -icount). Host memory:
 * steady at 0x44000000, big at 0x50000000-0x7fffffff (QEMU's -m 1G).
 */
#include "config.h"

GUEST_BLOB(resetloop, "build/guests/resetloop.bin");
GUEST_BLOB(steady, "build/guests/steady.bin");

static const struct memslot steady_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct memslot big_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(768), .pa = PA(0x50000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "steady",
		VCPUS_ON(1),
		SLOTS(steady_slots),
		.kernel = BUILT_IN(IMAGE_RAW, steady),
		.cmdline = "secs=2 period_ms=10 report_ms=250 lag_ms=500",
		.vuart = true,
	},
	{
		.name = "big",
		VCPUS_ON(1),
		SLOTS(big_slots),
		.kernel = BUILT_IN(IMAGE_RAW, resetloop),
		.cmdline = "resets=6 ram=0x30000000",
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
};
