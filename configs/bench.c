/*
 * make bench's partition set: one VM running the benchmark payload
 * (guests/bench) on the boot CPU, CPU 0, so that the cycle counter a BENCH=1
 * build starts at the image's first instruction is the one the guest reads
 * at its own first instruction. The other CPUs stay idle. The guest's RAM
 * and a LOG_DIRTY slot for the dirty-log figures are laid out in
 * guests/bench/layout.h, which the payload shares.
 *
 *	make CONFIG=bench BENCH=1 run    (figures need QEMU -icount; make bench)
 */
#include "config.h"
#include "../guests/bench/layout.h"

GUEST_BLOB(bench, "build/guests/bench.bin");

static const struct memslot bench_slots[] = {
	{ .id = 0, .ipa = IPA(BENCH_RAM_IPA), .size = BENCH_RAM_SIZE,
	  .pa = PA(0x44000000) },
	{ .id = BENCH_DIRTY_SLOT, .ipa = IPA(BENCH_DIRTY_IPA),
	  .size = BENCH_DIRTY_SIZE, .pa = PA(0x48000000),
	  .flags = SLOT_LOG_DIRTY },
};

static const struct vm_config vms[] = {
	{
		.name = "bench",
		VCPUS_ON(0),
		SLOTS(bench_slots),
		.kernel = BUILT_IN(IMAGE_RAW, bench),
		.vuart = true,
		BENCH_PMU_COUNTS_EL2
	},
};

const struct hyp_config config = {
	VMS(vms),
};
