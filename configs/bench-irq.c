/*
 * make bench's interrupt figures (guests/bench-irq): one VM with two vCPUs,
 * each on a physical CPU of its own (CPUs 0 and 1), for virtual IPIs
 * between physical CPUs, virtual timer interrupts, and the cost of the
 * guest's acknowledge and EOI. CPUs 2 and 3 stay idle.
 *
 *	make CONFIG=bench-irq run    (figures need QEMU -icount; make bench)
 */
#include "config.h"

GUEST_BLOB(bench_irq, "build/guests/bench-irq.bin");

static const struct memslot bench_irq_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "bench-irq",
		VCPUS_ON(0, 1),
		SLOTS(bench_irq_slots),
		.kernel = BUILT_IN(IMAGE_RAW, bench_irq),
		.vuart = true,
		BENCH_PMU_COUNTS_EL2
	},
};

const struct hyp_config config = {
	VMS(vms),
};
