/*
 * make bench's stage-2 build figures (BENCH_STAGE2 builds only): the
 * instructions and table pages vm_mem_build takes for a VM of one 1 GiB
 * RAM slot whose host address is 1 GiB-aligned, 2 MiB-aligned, and only
 * 4 KiB-aligned. The tables are built from the page pool as a VM's are,
 * then freed: no VM runs on them, so the host ranges need not be RAM and
 * nothing there is touched.
 */
#include "bench_stage2.h"
#include "stage2.h"
#include "log.h"
#include "mmu.h"
#include "platform.h"
#include "sysreg.h"

#define SLOT_IPA 0x40000000UL

static const struct {
	const char *what;
	u64 pa;
} backings[] = {
	{ "1 GiB-aligned", 0x80000000UL },
	{ "2 MiB-aligned", 0x80200000UL },
	{ "4 KiB-aligned", 0x80201000UL },
};

static struct vm_mem mem; /* too big for a stack */

void bench_stage2(void)
{
	for (u32 i = 0; i < ARRAY_SIZE(backings); i++) {
		const struct memslot slot = {
			.id = 0, .ipa = IPA(SLOT_IPA), .size = GiB(1),
			.pa = PA(backings[i].pa),
		};
		const struct vm_config vm = {
			.name = "bench-stage2", .nr_vcpus = 1, .slots = &slot, .nr_slots = 1,
		};
		u64 pages = hyp_pool.in_use, start, end;
		int err;

		isb();
		start = read_sysreg(pmccntr_el0);
		err = vm_mem_build(&mem, &vm, &platform, cpu_pa_bits(), 1, &hyp_mm_ops);
		isb();
		end = read_sysreg(pmccntr_el0);
		if (err) {
			log_err("bench: stage 2 of a 1 GiB slot, %s: error %d (make bench "
				"builds with POOL_PAGES=1024; was it overridden?)",
				backings[i].what, err);
			return;
		}
		const u64 *leaves = mem.slots[0].stats.leaves;

		log_info("bench: stage 2 of a 1 GiB slot, host address %s: %lu "
			 "instructions, %lu table pages, leaves 1G %lu 2M %lu 4K %lu",
			 backings[i].what, end - start, hyp_pool.in_use - pages,
			 leaves[1], leaves[2], leaves[3]);
		pt_destroy(&mem.s2);
	}
}
