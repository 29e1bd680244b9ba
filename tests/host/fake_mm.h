/*
 * A host stand-in for the page pool and the TLB, for tests of mm/: pages
 * come from the host heap (descriptors hold host pointers, so physical and
 * virtual addresses are the same), every allocation and free is recorded,
 * allocation fails on demand, and every TLB invalidation is recorded with
 * whether the entry it names had been broken (made invalid) first.
 */
#ifndef TESTS_FAKE_MM_H
#define TESTS_FAKE_MM_H

#include "pgtable.h"

#define FAKE_MM_MAX_TLB 4096

struct fake_tlb_event {
	bool all;        /* tlb_inval_all */
	u64 ia;          /* tlb_inval_ia: the address and the leaf level */
	unsigned level;
	bool was_broken; /* the entry at (ia, level) was invalid at the time */
};

struct fake_mm {
	struct pt_mm_ops ops; /* ops.ctx points back here */

	/* Live allocations: an open-addressed hash of page run -> length. */
	struct fake_run {
		void *p;
		unsigned n;
	} *runs;
	u64 runs_cap, runs_used;

	u64 allocs, frees;        /* calls that succeeded */
	u64 pages_live;           /* allocated and not yet freed */
	u64 pages_allocated;      /* ever */
	u64 fail_from;            /* allocation number (1-based) from which
				   * every allocation fails; 0: never */
	u64 failed;               /* allocations refused */
	u64 bad_frees;            /* frees of runs not allocated, or of a
				   * different length */

	struct fake_tlb_event tlb[FAKE_MM_MAX_TLB];
	u32 nr_tlb;
	u64 tlb_lost; /* events beyond the array */
};

void fake_mm_init(struct fake_mm *f);
/* Frees whatever is still allocated, so a failing test does not also
 * report leaks from the sanitizer. */
void fake_mm_fini(struct fake_mm *f);
void fake_mm_clear_tlb(struct fake_mm *f);
/* Whether a recorded invalidation covers ia. */
bool fake_mm_tlb_covers(const struct fake_mm *f, u64 ia);

#endif
