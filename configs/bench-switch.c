/*
 * make bench's vCPU-switch figures (guests/bench-irq): one VM with two
 * vCPUs sharing physical CPU 1, so that each WFI the one running traps
 * and hands the CPU to the other. "shared=1" tells the payload. CPUs 0,
 * 2 and 3 stay idle.
 *
 *	make CONFIG=bench-switch run    (figures need QEMU -icount; make bench)
 */
#include "config.h"

GUEST_BLOB(bench_irq, "build/guests/bench-irq.bin");

static const struct memslot bench_switch_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "bench-switch",
		VCPUS_ON(1, 1),
		SLOTS(bench_switch_slots),
		.kernel = BUILT_IN(IMAGE_RAW, bench_irq),
		.cmdline = "shared=1",
		.vuart = true,
		BENCH_PMU_COUNTS_EL2
	},
};

const struct hyp_config config = {
	VMS(vms),
};
