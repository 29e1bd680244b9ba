/*
 * The generic walker and its map, unmap, protect, lookup and dump visitors,
 * on tables built in host memory by a recording allocator (fake_mm.h).
 * Results are read back with the oracle's own walker (oracle.h), not with
 * pt_lookup, except in the test of pt_lookup itself.
 */
#include <stdlib.h>

#include "errno.h"
#include "fake_mm.h"
#include "oracle.h"
#include "pgtable.h"
#include "pool.h"
#include "unit.h"

/* Global so that a test that fails half-way leaves its pages reachable
 * (no leak report): the next test's setup frees them. */
static struct fake_mm fm;
static struct pgtable pt;

static int setup(enum pt_format format, unsigned ia_bits)
{
	fake_mm_fini(&fm);
	fake_mm_init(&fm);
	memset(&pt, 0, sizeof(pt));
	return pt_init(&pt, format, ia_bits, &fm.ops);
}

/* Ends a test: pt_destroy must give back every page it was given. */
#define DESTROY_AND_CHECK_LEAKS()                                      \
	do {                                                           \
		pt_destroy(&pt);                                       \
		CHECK_EQ(fm.bad_frees, 0);                             \
		CHECK_EQ(fm.pages_live, 0);                            \
		CHECK_EQ(fm.frees, fm.allocs);                         \
	} while (0)

#define GB (1UL << 30)
#define MB (1UL << 20)
#define KB (1UL << 10)

/* What ia translates to, by the oracle's walk: the page's output address,
 * the leaf's level and its attribute bits (the descriptor without its
 * output address), or level 4 when nothing maps ia. */
struct xlat {
	u64 pa;
	u64 attrs;
	unsigned level;
};

static struct xlat xlat(u64 ia)
{
	struct xlat x = { .level = 4 };
	u64 pte;

	if (oracle_leaf(&pt, ia, &pte, &x.level)) {
		x.pa = oracle_leaf_pa(pte, x.level, ia);
		x.attrs = pte & ~0x0000fffffffff000UL;
	}
	return x;
}

static bool same_xlat(struct xlat a, struct xlat b)
{
	return a.pa == b.pa && a.attrs == b.attrs && a.level == b.level;
}

/* Checks that [ia, ia + size), sampled every step bytes, maps to pa + offset
 * with prot (stage 2) at level. */
static bool maps(u64 ia, u64 size, u64 step, u64 pa, pt_prot_t prot,
		 unsigned level)
{
	for (u64 off = 0; off < size; off += step) {
		struct xlat x = xlat(ia + off);
		pt_prot_t got;
		char why[80];

		if (x.level != level || x.pa != pa + off) {
			printf("  IPA 0x%lx: level %u -> 0x%lx, expected level %u -> 0x%lx\n",
			       ia + off, x.level, x.pa, level, pa + off);
			return false;
		}
		if (pt.format == PT_S2 &&
		    (!oracle_s2_prot(x.attrs | 1, &got, why, sizeof(why)) ||
		     got != prot)) {
			printf("  IPA 0x%lx: prot 0x%x, expected 0x%x %s\n",
			       ia + off, got, prot, why);
			return false;
		}
	}
	return true;
}

static bool unmapped(u64 ia, u64 size, u64 step)
{
	for (u64 off = 0; off < size; off += step)
		if (xlat(ia + off).level != 4) {
			printf("  IPA 0x%lx is mapped\n", ia + off);
			return false;
		}
	return true;
}

/* ---- Break-before-make ---- */

#define MAX_SNAP 4096

static struct {
	u64 ia[MAX_SNAP];
	struct xlat x[MAX_SNAP];
	u32 n;
} snap;

static void snapshot(u64 ia, u64 size, u64 step)
{
	snap.n = 0;
	for (u64 off = 0; off < size && snap.n < MAX_SNAP; off += step) {
		snap.ia[snap.n] = ia + off;
		snap.x[snap.n++] = xlat(ia + off);
	}
	fake_mm_clear_tlb(&fm);
}

/* After a change to the table: on a live table, every sampled address
 * whose valid translation changed (output, attributes or leaf level) must
 * have had its TLB entries invalidated, and, when broken, each entry must
 * have been invalid when its invalidation was issued (break, invalidate,
 * make). On a table not live, no TLB maintenance at all. */
static bool bbm_ok(bool broken)
{
	if (fm.tlb_lost) {
		printf("  more TLB invalidations than the fake records\n");
		return false;
	}
	if (!pt.live) {
		if (fm.nr_tlb) {
			printf("  %u TLB invalidations on a table not in use\n",
			       fm.nr_tlb);
			return false;
		}
		return true;
	}
	for (u32 i = 0; i < snap.n; i++) {
		struct xlat now = xlat(snap.ia[i]);

		if (snap.x[i].level == 4 || same_xlat(snap.x[i], now))
			continue;
		if (!fake_mm_tlb_covers(&fm, snap.ia[i])) {
			printf("  IPA 0x%lx changed without TLB invalidation\n",
			       snap.ia[i]);
			return false;
		}
	}
	for (u32 i = 0; broken && i < fm.nr_tlb; i++)
		if (!fm.tlb[i].all && !fm.tlb[i].was_broken) {
			printf("  TLB invalidation of 0x%lx (level %u) while its entry was still valid\n",
			       fm.tlb[i].ia, fm.tlb[i].level);
			return false;
		}
	return true;
}

/* ---- Mapping ---- */

TEST(map_first_page)
{
	struct pt_map_stats st = { 0 };

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt.start_level, 1);
	CHECK_EQ(fm.pages_live, 1);
	CHECK_EQ(pt_map(&pt, 0, 0x80000000, PAGE_SIZE, PT_RW, &st), 0);
	/* Root (level 1), then a level-2 and a level-3 table. */
	CHECK_EQ(fm.pages_live, 3);
	CHECK_EQ(st.leaves[3], 1);
	CHECK_EQ(st.leaves[1] + st.leaves[2], 0);
	CHECK(maps(0, PAGE_SIZE, PAGE_SIZE, 0x80000000, PT_RW, 3));
	CHECK(unmapped(PAGE_SIZE, 2 * MB, PAGE_SIZE));
	CHECK(unmapped(2 * MB, 2 * GB, 2 * MB));
	DESTROY_AND_CHECK_LEAKS();
}

TEST(map_across_tables)
{
	u64 ia = 3 * GB - 2 * PAGE_SIZE, size = 4 * PAGE_SIZE;

	CHECK_EQ(setup(PT_S2, 36), 0);
	/* Straddles a 1 GiB boundary: two level-2 tables, two level-3. */
	CHECK_EQ(pt_map(&pt, ia, 0x100000000, size, PT_RWX, NULL), 0);
	CHECK_EQ(fm.pages_live, 5);
	CHECK(maps(ia, size, PAGE_SIZE, 0x100000000, PT_RWX, 3));
	CHECK(unmapped(ia - PAGE_SIZE, PAGE_SIZE, PAGE_SIZE));
	CHECK(unmapped(ia + size, PAGE_SIZE, PAGE_SIZE));
	DESTROY_AND_CHECK_LEAKS();
}

TEST(map_uses_1g_block_when_aligned)
{
	struct pt_map_stats st = { 0 };

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 4 * GB, 2 * GB, PT_RW, &st), 0);
	CHECK_EQ(fm.pages_live, 1); /* blocks in the root alone */
	CHECK_EQ(st.leaves[1], 2);
	CHECK(maps(1 * GB, 2 * GB, 2 * MB, 4 * GB, PT_RW, 1));
	CHECK(unmapped(0, 1 * GB, 2 * MB));
	CHECK(unmapped(3 * GB, 1 * GB, 2 * MB));
	DESTROY_AND_CHECK_LEAKS();
}

TEST(map_2m_when_only_2m_aligned)
{
	struct pt_map_stats st = { 0 };

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 4 * GB + 2 * MB, 1 * GB, PT_RW, &st), 0);
	CHECK_EQ(fm.pages_live, 2);
	CHECK_EQ(st.leaves[2], 512);
	CHECK_EQ(st.leaves[1] + st.leaves[3], 0);
	CHECK(maps(1 * GB, 1 * GB, 2 * MB, 4 * GB + 2 * MB, PT_RW, 2));
	DESTROY_AND_CHECK_LEAKS();
}

TEST(map_4k_when_skewed)
{
	struct pt_map_stats st = { 0 };

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 4 * GB + PAGE_SIZE, 4 * MB, PT_RW, &st),
		 0);
	CHECK_EQ(fm.pages_live, 4); /* root, level 2, two level-3 tables */
	CHECK_EQ(st.leaves[3], 1024);
	CHECK(maps(1 * GB, 4 * MB, PAGE_SIZE, 4 * GB + PAGE_SIZE, PT_RW, 3));
	DESTROY_AND_CHECK_LEAKS();
}

/* Each piece gets the largest leaf its alignment allows: pages up to a 2 MiB
 * boundary, 2 MiB blocks up to a 1 GiB one, then 1 GiB, and down again. */
TEST(map_mixed_levels)
{
	struct pt_map_stats st = { 0 };
	u64 ia = 1 * GB - 2 * MB - PAGE_SIZE, pa = 7 * GB - 2 * MB - PAGE_SIZE;
	u64 size = 1 * GB + 4 * MB + 2 * PAGE_SIZE;

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, ia, pa, size, PT_RX, &st), 0);
	CHECK_EQ(st.leaves[1], 1);
	CHECK_EQ(st.leaves[2], 2);
	CHECK_EQ(st.leaves[3], 2);
	CHECK(maps(ia, PAGE_SIZE, PAGE_SIZE, pa, PT_RX, 3));
	CHECK(maps(1 * GB - 2 * MB, 2 * MB, PAGE_SIZE, 7 * GB - 2 * MB, PT_RX,
		   2));
	CHECK(maps(1 * GB, 1 * GB, 2 * MB, 7 * GB, PT_RX, 1));
	CHECK(maps(2 * GB, 2 * MB, PAGE_SIZE, 8 * GB, PT_RX, 2));
	CHECK(maps(2 * GB + 2 * MB, PAGE_SIZE, PAGE_SIZE, 8 * GB + 2 * MB,
		   PT_RX, 3));
	CHECK(unmapped(ia - PAGE_SIZE, PAGE_SIZE, PAGE_SIZE));
	CHECK(unmapped(ia + size, PAGE_SIZE, PAGE_SIZE));
	/* Tables: level 2 under GiB 0 and 2, level 3 under 2 MiB 510 of
	 * GiB 0 and 1 of GiB 2, and the root. */
	CHECK_EQ(fm.pages_live, 5);
	DESTROY_AND_CHECK_LEAKS();
}

TEST(map_pages_only)
{
	struct pt_map_stats st = { 0 };

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map_pages(&pt, 1 * GB, 2 * GB, 4 * MB, PT_R, &st), 0);
	CHECK_EQ(st.leaves[3], 1024);
	CHECK_EQ(st.leaves[1] + st.leaves[2], 0);
	CHECK(maps(1 * GB, 4 * MB, PAGE_SIZE, 2 * GB, PT_R, 3));
	CHECK_EQ(fm.pages_live, 4);
	DESTROY_AND_CHECK_LEAKS();
}

/* Mapping a block where pages were gives the table back at once. */
TEST(map_block_over_table_frees_it)
{
	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 2 * GB, 8 * PAGE_SIZE, PT_RW, NULL), 0);
	CHECK_EQ(fm.pages_live, 3);
	pt.live = true;
	snapshot(1 * GB, 2 * MB, PAGE_SIZE);
	CHECK_EQ(pt_map(&pt, 1 * GB, 6 * GB, 2 * MB, PT_R, NULL), 0);
	CHECK(bbm_ok(true));
	CHECK_EQ(fm.pages_live, 2);
	CHECK(maps(1 * GB, 2 * MB, PAGE_SIZE, 6 * GB, PT_R, 2));
	/* And a 1 GiB block over a level-2 table with level-3 tables below. */
	CHECK_EQ(pt_map(&pt, 1 * GB + 4 * MB, 9 * GB, PAGE_SIZE, PT_R, NULL),
		 0);
	CHECK_EQ(fm.pages_live, 3);
	CHECK_EQ(pt_map(&pt, 1 * GB, 8 * GB, 1 * GB, PT_RWX, NULL), 0);
	CHECK_EQ(fm.pages_live, 1);
	CHECK(maps(1 * GB, 1 * GB, 2 * MB, 8 * GB, PT_RWX, 1));
	DESTROY_AND_CHECK_LEAKS();
}

TEST(remap_splits_block_preserving_rest)
{
	u64 page = 1 * GB + 2 * MB + 5 * PAGE_SIZE;

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 4 * GB, 4 * MB, PT_RWX, NULL), 0);
	CHECK(maps(1 * GB, 4 * MB, 2 * MB, 4 * GB, PT_RWX, 2));
	pt.live = true;
	snapshot(1 * GB, 4 * MB, PAGE_SIZE);
	CHECK_EQ(pt_map(&pt, page, 0x123456000, PAGE_SIZE, PT_R | PT_DEVICE,
			NULL), 0);
	CHECK(bbm_ok(true));
	CHECK(maps(page, PAGE_SIZE, PAGE_SIZE, 0x123456000, PT_R | PT_DEVICE,
		   3));
	/* The rest of the split block, page by page, as before. */
	CHECK(maps(1 * GB + 2 * MB, 5 * PAGE_SIZE, PAGE_SIZE, 4 * GB + 2 * MB,
		   PT_RWX, 3));
	CHECK(maps(page + PAGE_SIZE, 2 * MB - 6 * PAGE_SIZE, PAGE_SIZE,
		   4 * GB + 2 * MB + 6 * PAGE_SIZE, PT_RWX, 3));
	/* The other block untouched. */
	CHECK(maps(1 * GB, 2 * MB, PAGE_SIZE, 4 * GB, PT_RWX, 2));
	DESTROY_AND_CHECK_LEAKS();
}

/* The same change on a table not in use: no TLB maintenance. */
TEST(remap_not_live_skips_tlb)
{
	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 4 * GB, 1 * GB, PT_RWX, NULL), 0);
	snapshot(1 * GB, 4 * MB, PAGE_SIZE);
	CHECK_EQ(pt_map(&pt, 1 * GB + PAGE_SIZE, 0x5000, PAGE_SIZE, PT_R, NULL),
		 0);
	CHECK_EQ(pt_unmap(&pt, 1 * GB + 8 * PAGE_SIZE, 2 * MB), 0);
	CHECK_EQ(pt_protect(&pt, 1 * GB + 512 * MB, 4 * MB, PT_R), 0);
	CHECK(bbm_ok(true));
	CHECK_EQ(fm.nr_tlb, 0);
	DESTROY_AND_CHECK_LEAKS();
}

/* ---- Unmapping ---- */

TEST(unmap_frees_empty_tables)
{
	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 2 * GB, PAGE_SIZE, PT_RW, NULL), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB + 4 * MB, 2 * GB, 2 * PAGE_SIZE, PT_RW,
			NULL), 0);
	CHECK_EQ(fm.pages_live, 4);
	pt.live = true;
	snapshot(1 * GB, 8 * MB, PAGE_SIZE);
	/* The first page's level-3 table empties: it goes. */
	CHECK_EQ(pt_unmap(&pt, 1 * GB, PAGE_SIZE), 0);
	CHECK(bbm_ok(true));
	CHECK_EQ(fm.pages_live, 3);
	CHECK(unmapped(1 * GB, PAGE_SIZE, PAGE_SIZE));
	/* Half of the other: its table stays. */
	CHECK_EQ(pt_unmap(&pt, 1 * GB + 4 * MB, PAGE_SIZE), 0);
	CHECK_EQ(fm.pages_live, 3);
	CHECK(maps(1 * GB + 4 * MB + PAGE_SIZE, PAGE_SIZE, PAGE_SIZE,
		   2 * GB + PAGE_SIZE, PT_RW, 3));
	/* Then all of it, and the level-2 table above empties too. */
	CHECK_EQ(pt_unmap(&pt, 0, 4 * GB), 0);
	CHECK_EQ(fm.pages_live, 1);
	CHECK(unmapped(0, 64 * GB, 2 * MB));
	/* Unmapping nothing is no error. */
	CHECK_EQ(pt_unmap(&pt, 8 * GB, 1 * GB), 0);
	DESTROY_AND_CHECK_LEAKS();
}

TEST(unmap_splits_block)
{
	u64 hole = 1 * GB + 300 * MB + 3 * PAGE_SIZE;

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 4 * GB, 1 * GB, PT_RWX, NULL), 0);
	pt.live = true;
	snapshot(1 * GB + 298 * MB, 8 * MB, PAGE_SIZE);
	CHECK_EQ(pt_unmap(&pt, hole, 2 * PAGE_SIZE), 0);
	CHECK(bbm_ok(true));
	CHECK(unmapped(hole, 2 * PAGE_SIZE, PAGE_SIZE));
	CHECK(maps(1 * GB, 300 * MB, 2 * MB, 4 * GB, PT_RWX, 2));
	CHECK(maps(1 * GB + 300 * MB, 3 * PAGE_SIZE, PAGE_SIZE,
		   4 * GB + 300 * MB, PT_RWX, 3));
	CHECK(maps(hole + 2 * PAGE_SIZE, 2 * MB - 5 * PAGE_SIZE, PAGE_SIZE,
		   4 * GB + 300 * MB + 5 * PAGE_SIZE, PT_RWX, 3));
	CHECK(maps(1 * GB + 302 * MB, 1 * GB - 302 * MB, 2 * MB,
		   4 * GB + 302 * MB, PT_RWX, 2));
	CHECK_EQ(fm.pages_live, 3);
	DESTROY_AND_CHECK_LEAKS();
}

/* A flash bank's RAM in and out of stage 2 (hyp/flash): cleared leaves,
 * tables kept, one invalidation of the whole VMID after the break; mapped
 * again with no allocation, exactly as before. */
TEST(clear_leaves_keeps_tables_and_remaps_without_allocating)
{
	CHECK_EQ(setup(PT_S2, 36), 0);
	/* Bank 0: a 2 MiB block; bank 1: 768 KiB of pages; the vGIC-like
	 * neighbour 4 KiB page stays. */
	CHECK_EQ(pt_map(&pt, 0, 1 * GB + 512 * MB, 2 * MB, PT_RX, NULL), 0);
	CHECK_EQ(pt_map(&pt, 64 * MB, 1 * GB + 516 * MB, 768 * KB, PT_RX, NULL), 0);
	CHECK_EQ(pt_map(&pt, 128 * MB + 0x40000, 1 * GB + 600 * MB, PAGE_SIZE,
			PT_RW | PT_DEVICE, NULL), 0);
	u32 pages = fm.pages_live, allocs = fm.allocs;

	pt.live = true;
	snapshot(0, 130 * MB, 64 * KB);
	CHECK_EQ(pt_clear_leaves(&pt, 0, 2 * MB), 0);
	CHECK_EQ(pt_clear_leaves(&pt, 64 * MB, 768 * KB), 0);
	CHECK(unmapped(0, 2 * MB, PAGE_SIZE));
	CHECK(unmapped(64 * MB, 768 * KB, PAGE_SIZE));
	CHECK(maps(128 * MB + 0x40000, PAGE_SIZE, PAGE_SIZE, 1 * GB + 600 * MB,
		   PT_RW | PT_DEVICE, 3));
	/* Every changed translation invalidated, after its break. */
	CHECK(bbm_ok(true));
	CHECK_EQ(fm.nr_tlb, 2);
	CHECK(fm.tlb[0].all && fm.tlb[1].all);
	CHECK_EQ(fm.pages_live, pages); /* tables kept */

	/* Mapping back: invalid entries, so no invalidation and no page. */
	fake_mm_clear_tlb(&fm);
	CHECK_EQ(pt_map(&pt, 0, 1 * GB + 512 * MB, 2 * MB, PT_RX, NULL), 0);
	CHECK_EQ(pt_map(&pt, 64 * MB, 1 * GB + 516 * MB, 768 * KB, PT_RX, NULL), 0);
	CHECK_EQ(fm.allocs, allocs);
	CHECK_EQ(fm.nr_tlb, 0);
	CHECK(maps(0, 2 * MB, PAGE_SIZE, 1 * GB + 512 * MB, PT_RX, 2));
	CHECK(maps(64 * MB, 768 * KB, PAGE_SIZE, 1 * GB + 516 * MB, PT_RX, 3));

	/* Clearing what is already clear invalidates nothing. */
	CHECK_EQ(pt_clear_leaves(&pt, 32 * MB, 2 * MB), 0);
	CHECK_EQ(fm.nr_tlb, 0);
	CHECK_EQ(pt_clear_leaves(&pt, 1, PAGE_SIZE), -EINVAL);
	DESTROY_AND_CHECK_LEAKS();
}

/*
 * A manager deletes a slot of its VM that shares a table with a flash
 * bank's blocks while the bank is in command mode (its leaves cleared):
 * the unmap must not take that table for empty and free it, or mapping
 * the bank back would need a page after the pool is sealed (and fail,
 * leaving the bank unmapped in read-array mode), or take one from the
 * manager's range.
 */
TEST(unmap_beside_cleared_leaves_keeps_their_table)
{
	CHECK_EQ(setup(PT_S2, 36), 0);
	/* Bank 0's RAM in 2 MiB blocks, and a slot in the same 1 GiB. */
	CHECK_EQ(pt_map(&pt, 0, 1 * GB + 512 * MB, 4 * MB, PT_RX, NULL), 0);
	CHECK_EQ(pt_map(&pt, 256 * MB, 1 * GB + 520 * MB, 2 * MB, PT_RW, NULL), 0);
	pt.live = true;
	CHECK_EQ(pt_clear_leaves(&pt, 0, 4 * MB), 0);
	u64 allocs = fm.allocs, frees = fm.frees;

	CHECK_EQ(pt_unmap(&pt, 256 * MB, 2 * MB), 0);
	CHECK_EQ(fm.frees, frees); /* the bank's table stays */
	CHECK(unmapped(0, 4 * MB, PAGE_SIZE));
	CHECK(unmapped(256 * MB, 2 * MB, PAGE_SIZE));
	CHECK_EQ(pt_map(&pt, 0, 1 * GB + 512 * MB, 4 * MB, PT_RX, NULL), 0);
	CHECK_EQ(fm.allocs, allocs);
	CHECK(maps(0, 4 * MB, PAGE_SIZE, 1 * GB + 512 * MB, PT_RX, 2));
	/* Cleared again, then unmapped itself: the reservation goes with
	 * it, and the table left empty is freed. */
	CHECK_EQ(pt_clear_leaves(&pt, 0, 4 * MB), 0);
	frees = fm.frees;
	CHECK_EQ(pt_unmap(&pt, 0, 4 * MB), 0);
	CHECK(unmapped(0, 4 * MB, PAGE_SIZE));
	CHECK_EQ(fm.frees, frees + 1);
	DESTROY_AND_CHECK_LEAKS();
}

/* ---- Protecting ---- */

TEST(protect_changes_rights_only)
{
	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 4 * GB, 2 * MB, PT_RWX, NULL), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB + 4 * MB, 0x9000000, 2 * PAGE_SIZE,
			PT_RW | PT_DEVICE, NULL), 0);
	u64 live = fm.pages_live;

	pt.live = true;
	snapshot(1 * GB, 8 * MB, PAGE_SIZE);
	/* Across both and the hole between them; PT_DEVICE in the argument
	 * must not turn Normal memory into Device. */
	CHECK_EQ(pt_protect(&pt, 1 * GB, 8 * MB, PT_R | PT_DEVICE), 0);
	CHECK(bbm_ok(false));
	CHECK(fm.nr_tlb > 0);
	CHECK(maps(1 * GB, 2 * MB, PAGE_SIZE, 4 * GB, PT_R, 2));
	CHECK(maps(1 * GB + 4 * MB, 2 * PAGE_SIZE, PAGE_SIZE, 0x9000000,
		   PT_R | PT_DEVICE, 3));
	CHECK(unmapped(1 * GB + 2 * MB, 2 * MB, PAGE_SIZE));
	CHECK(unmapped(1 * GB + 4 * MB + 2 * PAGE_SIZE, 4 * MB - 2 * PAGE_SIZE,
		       PAGE_SIZE));
	CHECK_EQ(fm.pages_live, live);
	/* Write-only and execute-only are representable at stage 2. */
	CHECK_EQ(pt_protect(&pt, 1 * GB, 2 * MB, PT_W), 0);
	CHECK(maps(1 * GB, 2 * MB, PAGE_SIZE, 4 * GB, PT_W, 2));
	CHECK_EQ(pt_protect(&pt, 1 * GB, 2 * MB, PT_X), 0);
	CHECK(maps(1 * GB, 2 * MB, PAGE_SIZE, 4 * GB, PT_X, 2));
	/* Nothing to change: no TLB maintenance needed. */
	fake_mm_clear_tlb(&fm);
	CHECK_EQ(pt_protect(&pt, 1 * GB, 2 * MB, PT_X), 0);
	CHECK_EQ(fm.nr_tlb, 0);
	/* One leaf changed, among unchanged ones: still invalidated. */
	snapshot(1 * GB + 4 * MB, 2 * PAGE_SIZE, PAGE_SIZE);
	CHECK_EQ(pt_protect(&pt, 1 * GB + 4 * MB, 2 * MB, PT_R), 0);
	CHECK_EQ(pt_protect(&pt, 1 * GB + 4 * MB + PAGE_SIZE, PAGE_SIZE, PT_RW),
		 0);
	CHECK(bbm_ok(false));
	CHECK(maps(1 * GB + 4 * MB + PAGE_SIZE, PAGE_SIZE, PAGE_SIZE,
		   0x9001000, PT_RW | PT_DEVICE, 3));
	DESTROY_AND_CHECK_LEAKS();
}

TEST(protect_splits_block_at_edges)
{
	u64 ia = 1 * GB + 2 * MB + 4 * PAGE_SIZE;

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 4 * GB, 1 * GB, PT_RWX, NULL), 0);
	pt.live = true;
	snapshot(1 * GB, 8 * MB, PAGE_SIZE);
	CHECK_EQ(pt_protect(&pt, ia, 3 * PAGE_SIZE, PT_R), 0);
	CHECK(bbm_ok(false));
	/* The splits themselves were break-before-make. */
	for (u32 i = 0; i < fm.nr_tlb; i++)
		CHECK(fm.tlb[i].all || fm.tlb[i].level == 3 ||
		      fm.tlb[i].was_broken);
	CHECK(maps(ia, 3 * PAGE_SIZE, PAGE_SIZE,
		   4 * GB + 2 * MB + 4 * PAGE_SIZE, PT_R, 3));
	CHECK(maps(1 * GB + 2 * MB, 4 * PAGE_SIZE, PAGE_SIZE, 4 * GB + 2 * MB,
		   PT_RWX, 3));
	CHECK(maps(ia + 3 * PAGE_SIZE, 2 * MB - 7 * PAGE_SIZE, PAGE_SIZE,
		   4 * GB + 2 * MB + 7 * PAGE_SIZE, PT_RWX, 3));
	CHECK(maps(1 * GB, 2 * MB, PAGE_SIZE, 4 * GB, PT_RWX, 2));
	CHECK(maps(1 * GB + 4 * MB, 1 * GB - 4 * MB, 2 * MB, 4 * GB + 4 * MB,
		   PT_RWX, 2));
	CHECK_EQ(fm.pages_live, 3);
	DESTROY_AND_CHECK_LEAKS();
}

/* ---- Lookup and dump ---- */

TEST(lookup)
{
	u64 pa = 0;
	pt_prot_t prot = 0;
	unsigned level = 9;

	CHECK_EQ(setup(PT_S2, 40), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 8 * GB, 1 * GB, PT_RWX, NULL), 0);
	CHECK_EQ(pt_map(&pt, 2 * GB, 16 * GB + 2 * MB, 2 * MB, PT_RW, NULL), 0);
	CHECK_EQ(pt_map(&pt, 600 * GB, 0x9000000, PAGE_SIZE, PT_RW | PT_DEVICE,
			NULL), 0);

	CHECK_EQ(pt_lookup(&pt, 1 * GB + 0x12345, &pa, &prot, &level), 0);
	CHECK_EQ(pa, 8 * GB + 0x12345);
	CHECK_EQ(prot, PT_RWX);
	CHECK_EQ(level, 1);
	CHECK_EQ(pt_lookup(&pt, 2 * GB + 2 * MB - 1, &pa, &prot, &level), 0);
	CHECK_EQ(pa, 16 * GB + 4 * MB - 1);
	CHECK_EQ(prot, PT_RW);
	CHECK_EQ(level, 2);
	/* In the second page of the concatenated root. */
	CHECK_EQ(pt_lookup(&pt, 600 * GB + 8, &pa, &prot, &level), 0);
	CHECK_EQ(pa, 0x9000008);
	CHECK_EQ(prot, PT_RW | PT_DEVICE);
	CHECK_EQ(level, 3);
	/* Outputs are optional. */
	CHECK_EQ(pt_lookup(&pt, 600 * GB, NULL, NULL, NULL), 0);

	CHECK_EQ(pt_lookup(&pt, 0, &pa, &prot, &level), -ENOENT);
	CHECK_EQ(pt_lookup(&pt, 2 * GB + 2 * MB, &pa, &prot, &level), -ENOENT);
	CHECK_EQ(pt_lookup(&pt, 600 * GB + PAGE_SIZE, NULL, NULL, NULL),
		 -ENOENT);
	CHECK_EQ(pt_lookup(&pt, 1UL << 40, NULL, NULL, NULL), -ENOENT);
	CHECK_EQ(pt_lookup(&pt, ~0UL, NULL, NULL, NULL), -ENOENT);
	DESTROY_AND_CHECK_LEAKS();
}

#define MAX_RUNS 16

static struct {
	struct {
		u64 ia, pa, size;
		pt_prot_t prot;
		unsigned level;
	} r[MAX_RUNS];
	u32 n;
} runs;

static void collect(void *arg, u64 ia, u64 pa, u64 size, pt_prot_t prot,
		    unsigned level)
{
	if (runs.n < MAX_RUNS)
		runs.r[runs.n] = (typeof(runs.r[0])){ ia, pa, size, prot,
						      level };
	runs.n++;
}

#define CHECK_RUN(i, ia_, pa_, size_, prot_, level_)  \
	do {                                          \
		CHECK_EQ(runs.r[i].ia, ia_);          \
		CHECK_EQ(runs.r[i].pa, pa_);          \
		CHECK_EQ(runs.r[i].size, size_);      \
		CHECK_EQ(runs.r[i].prot, prot_);      \
		CHECK_EQ(runs.r[i].level, level_);    \
	} while (0)

TEST(dump_coalesces)
{
	CHECK_EQ(setup(PT_S2, 36), 0);
	/* 2 MiB blocks and pages, contiguous, across a table boundary. */
	CHECK_EQ(pt_map(&pt, 1 * GB - 4 * MB, 5 * GB - 4 * MB, 8 * MB, PT_RW,
			NULL), 0);
	/* Pages continuing the last block's output: a new run (level). */
	CHECK_EQ(pt_map(&pt, 1 * GB + 4 * MB, 5 * GB + 4 * MB, 3 * PAGE_SIZE,
			PT_RW, NULL), 0);
	/* Then pages whose output jumps, and pages with other rights. */
	CHECK_EQ(pt_map(&pt, 1 * GB + 4 * MB + 3 * PAGE_SIZE, 0x7000000,
			2 * PAGE_SIZE, PT_RW, NULL), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB + 4 * MB + 5 * PAGE_SIZE, 0x7002000,
			PAGE_SIZE, PT_R, NULL), 0);
	/* A hole, then more of the same: not joined across the hole. */
	CHECK_EQ(pt_map(&pt, 1 * GB + 4 * MB + 7 * PAGE_SIZE, 0x7004000,
			PAGE_SIZE, PT_R, NULL), 0);

	runs.n = 0;
	CHECK_EQ(pt_dump(&pt, 0, 1UL << 36, collect, NULL), 0);
	CHECK_EQ(runs.n, 5);
	CHECK_RUN(0, 1 * GB - 4 * MB, 5 * GB - 4 * MB, 8 * MB, PT_RW, 2);
	CHECK_RUN(1, 1 * GB + 4 * MB, 5 * GB + 4 * MB, 3 * PAGE_SIZE, PT_RW, 3);
	CHECK_RUN(2, 1 * GB + 4 * MB + 3 * PAGE_SIZE, 0x7000000, 2 * PAGE_SIZE,
		  PT_RW, 3);
	CHECK_RUN(3, 1 * GB + 4 * MB + 5 * PAGE_SIZE, 0x7002000, PAGE_SIZE,
		  PT_R, 3);
	CHECK_RUN(4, 1 * GB + 4 * MB + 7 * PAGE_SIZE, 0x7004000, PAGE_SIZE,
		  PT_R, 3);

	/* A window of the range: whole leaves overlapping it. */
	runs.n = 0;
	CHECK_EQ(pt_dump(&pt, 1 * GB - 1 * MB, 1 * MB + PAGE_SIZE, collect,
			 NULL), 0);
	CHECK_EQ(runs.n, 1);
	CHECK_RUN(0, 1 * GB - 2 * MB, 5 * GB - 2 * MB, 4 * MB, PT_RW, 2);
	DESTROY_AND_CHECK_LEAKS();
}

/* ---- The walker itself ---- */

static struct {
	char log[64][40];
	u32 n;
} visits;

static int log_visit(const struct pt_visit *v, enum pt_visit_kind kind,
		     void *arg)
{
	if (visits.n < 64)
		snprintf(visits.log[visits.n], sizeof(visits.log[0]), "%s %u %lx",
			 kind == PT_VISIT_LEAF ? "leaf" :
			 kind == PT_VISIT_TABLE_PRE ? "pre" : "post",
			 v->level, v->ia);
	visits.n++;
	return arg ? -EBUSY : 0;
}

TEST(walker_visits_in_order)
{
	struct pt_walker w = {
		.fn = log_visit,
		.kinds = PT_VISIT_LEAF | PT_VISIT_TABLE_PRE |
			 PT_VISIT_TABLE_POST,
	};

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 2 * MB + PAGE_SIZE, 1 * GB, PAGE_SIZE, PT_R, NULL),
		 0);
	/* The mapped page and the one before: down through the tables, two
	 * level-3 entries, and back up. */
	visits.n = 0;
	CHECK_EQ(pt_walk(&pt, 2 * MB, 2 * PAGE_SIZE, &w), 0);
	CHECK_EQ(visits.n, 6);
	CHECK_STR(visits.log[0], "pre 1 0");
	CHECK_STR(visits.log[1], "pre 2 200000");
	CHECK_STR(visits.log[2], "leaf 3 200000");
	CHECK_STR(visits.log[3], "leaf 3 201000");
	CHECK_STR(visits.log[4], "post 2 200000");
	CHECK_STR(visits.log[5], "post 1 0");
	/* The last page of that table and the next 2 MiB, which no table
	 * holds: a level-2 leaf (invalid) that the range only starts. */
	visits.n = 0;
	CHECK_EQ(pt_walk(&pt, 4 * MB - PAGE_SIZE, 2 * PAGE_SIZE, &w), 0);
	CHECK_EQ(visits.n, 6);
	CHECK_STR(visits.log[2], "leaf 3 3ff000");
	CHECK_STR(visits.log[3], "post 2 200000");
	CHECK_STR(visits.log[4], "leaf 2 400000");
	CHECK_STR(visits.log[5], "post 1 0");
	/* Only the kinds asked for; a visitor's error stops the walk. */
	w.kinds = PT_VISIT_TABLE_POST;
	visits.n = 0;
	CHECK_EQ(pt_walk(&pt, 0, 1UL << 36, &w), 0);
	CHECK_EQ(visits.n, 2);
	w.kinds = PT_VISIT_LEAF;
	w.arg = &w;
	visits.n = 0;
	CHECK_EQ(pt_walk(&pt, 0, 1UL << 36, &w), -EBUSY);
	CHECK_EQ(visits.n, 1);
	DESTROY_AND_CHECK_LEAKS();
}

/* ---- Geometry and descriptors ---- */

TEST(stage2_concatenated_root)
{
	static const struct {
		enum pt_format format;
		unsigned bits, level, pages;
	} cases[] = {
		{ PT_S2, 32, 2, 4 },  { PT_S2, 34, 2, 16 }, { PT_S2, 35, 1, 1 },
		{ PT_S2, 36, 1, 1 },  { PT_S2, 39, 1, 1 },  { PT_S2, 40, 1, 2 },
		{ PT_S2, 42, 1, 8 },  { PT_S2, 43, 1, 16 }, { PT_S2, 44, 0, 1 },
		{ PT_S2, 48, 0, 1 },  { PT_S1_EL2, 39, 1, 1 },
		{ PT_S1_EL2, 40, 0, 1 }, { PT_S1_EL2, 48, 0, 1 },
		{ PT_S1_EL2, 30, 2, 1 },
	};

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK_EQ(pt_start_level(cases[i].format, cases[i].bits),
			 cases[i].level);
		CHECK_EQ(pt_root_pages(cases[i].format, cases[i].bits),
			 cases[i].pages);
		CHECK_EQ(setup(cases[i].format, cases[i].bits), 0);
		CHECK_EQ(pt.root_pages, cases[i].pages);
		CHECK_EQ(fm.pages_live, cases[i].pages);
		/* The hardware wants the concatenated root aligned to its
		 * whole size. */
		CHECK(IS_ALIGNED(pt.root_pa, cases[i].pages * PAGE_SIZE));
		DESTROY_AND_CHECK_LEAKS();
	}

	/* 40 bits: two root pages at level 1; the top half of the IPA space
	 * goes through the second. */
	CHECK_EQ(setup(PT_S2, 40), 0);
	CHECK_EQ(pt_map(&pt, (1UL << 40) - 1 * GB, 3 * GB, 1 * GB, PT_RW, NULL),
		 0);
	CHECK_EQ(pt_map(&pt, 0, 4 * GB, 1 * GB, PT_RW, NULL), 0);
	CHECK_EQ(pt.root[511 + 512] & 0x0000fffffffff000UL, 3 * GB);
	CHECK_EQ(pt.root[0] & 0x0000fffffffff000UL, 4 * GB);
	CHECK(maps((1UL << 40) - 1 * GB, 1 * GB, 2 * MB, 3 * GB, PT_RW, 1));
	CHECK_EQ(fm.pages_live, 2);
	DESTROY_AND_CHECK_LEAKS();
}

/* Descriptor values worked out by hand from the Arm ARM (D8.3): bits 1:0
 * type, 4:2 AttrIndx, 7:6 AP[2:1] (AP[1] RES1 at EL2), 9:8 SH, 10 AF,
 * 54 XN. */
TEST(s1_el2_encoding)
{
	/* Normal RW page: AttrIndx 0, AP 01, SH 11, AF, XN. */
	CHECK_EQ(pt_leaf_pte(PT_S1_EL2, 0x40000000, PT_RW, 3),
		 0x0040000040000743UL);
	/* Normal read-only executable 2 MiB block: AP 11, no XN. */
	CHECK_EQ(pt_leaf_pte(PT_S1_EL2, 0x40200000, PT_RX, 2), 0x402007c1UL);
	/* Device RW page: AttrIndx 1, no SH. */
	CHECK_EQ(pt_leaf_pte(PT_S1_EL2, 0x09000000, PT_RW | PT_DEVICE, 3),
		 0x0040000009000447UL);
	/* A 1 GiB block; the address keeps its bits only. */
	CHECK_EQ(pt_leaf_pte(PT_S1_EL2, 0x80000000, PT_RWX, 1), 0x80000741UL);

	CHECK_EQ(pt_pte_prot(PT_S1_EL2, 0x0040000040000743UL), PT_RW);
	CHECK_EQ(pt_pte_prot(PT_S1_EL2, 0x402007c1UL), PT_RX);
	CHECK_EQ(pt_pte_prot(PT_S1_EL2, 0x0040000009000447UL),
		 PT_RW | PT_DEVICE);
	/* Stage 1 at EL2 cannot take away read. */
	CHECK_EQ(pt_pte_prot(PT_S1_EL2, pt_leaf_pte(PT_S1_EL2, 0, PT_W, 3)),
		 PT_RW);
	CHECK_EQ(pt_pte_prot(PT_S1_EL2, pt_leaf_pte(PT_S1_EL2, 0, PT_X, 3)),
		 PT_RX);

	/* Through the walker: an EL2 table of 39 bits (level 1 root). */
	CHECK_EQ(setup(PT_S1_EL2, 39), 0);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, PAGE_SIZE, PT_RX, NULL),
		 0);
	CHECK_EQ(pt_map(&pt, 0x09000000, 0x09000000, PAGE_SIZE,
			PT_RW | PT_DEVICE, NULL), 0);
	struct xlat x = xlat(0x40000000);

	CHECK_EQ(x.level, 3);
	CHECK_EQ(x.attrs, 0x7c3UL);
	x = xlat(0x09000000);
	CHECK_EQ(x.attrs, 0x0040000000000447UL);
	DESTROY_AND_CHECK_LEAKS();
}

/* Stage 2: bits 5:2 MemAttr (1111 Normal write-back, 0001 Device-nGnRE),
 * 7:6 S2AP (read, write), 9:8 SH, 10 AF, 54 XN. */
TEST(s2_encoding)
{
	CHECK_EQ(pt_leaf_pte(PT_S2, 0x80000000, PT_RWX, 3), 0x800007ffUL);
	CHECK_EQ(pt_leaf_pte(PT_S2, 0x80000000, PT_RW, 2),
		 0x00400000800007fdUL);
	CHECK_EQ(pt_leaf_pte(PT_S2, 0x80000000, PT_R, 1), 0x004000008000077dUL);
	CHECK_EQ(pt_leaf_pte(PT_S2, 0x80000000, PT_W, 3), 0x00400000800007bfUL);
	CHECK_EQ(pt_leaf_pte(PT_S2, 0x80000000, PT_X, 3), 0x8000073fUL);
	CHECK_EQ(pt_leaf_pte(PT_S2, 0x80000000, 0, 3), 0x004000008000073fUL);
	CHECK_EQ(pt_leaf_pte(PT_S2, 0x09000000, PT_RW | PT_DEVICE, 3),
		 0x00400000090004c7UL);
	CHECK_EQ(pt_leaf_pte(PT_S2, 0x09000000, PT_R | PT_DEVICE, 2),
		 0x0040000009000445UL);

	for (pt_prot_t p = 0; p <= (PT_RWX | PT_DEVICE); p++) {
		u64 pte = pt_leaf_pte(PT_S2, 0x123456000, p, 3);
		pt_prot_t got;
		char why[80] = "";

		CHECK_EQ(pt_pte_prot(PT_S2, pte), p);
		/* The oracle agrees on every combination. */
		CHECK(oracle_s2_prot(pte, &got, why, sizeof(why)));
		CHECK_EQ(got, p);
	}
}

/* ---- Errors ---- */

TEST(out_of_range_and_misaligned_rejected)
{
	CHECK_EQ(setup(PT_S2, 0), -EINVAL);
	CHECK_EQ(fm.pages_live, 0);
	CHECK_EQ(setup(PT_S2, 24), -EINVAL);
	CHECK_EQ(setup(PT_S2, 49), -EINVAL);
	CHECK_EQ(setup(PT_S1_EL2, 64), -EINVAL);
	CHECK_EQ(fm.pages_live, 0);

	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 0x800, 0, PAGE_SIZE, PT_RW, NULL), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0x800, PAGE_SIZE, PT_RW, NULL), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0, 0x800, PT_RW, NULL), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0, PAGE_SIZE + 1, PT_RW, NULL), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0, 0, 0, PT_RW, NULL), -EINVAL);
	/* The last page of the IPA space maps; one more does not. */
	CHECK_EQ(pt_map(&pt, (1UL << 36) - PAGE_SIZE, 0, PAGE_SIZE, PT_RW,
			NULL), 0);
	CHECK_EQ(pt_map(&pt, (1UL << 36) - PAGE_SIZE, 0, 2 * PAGE_SIZE, PT_RW,
			NULL), -EINVAL);
	CHECK_EQ(pt_map(&pt, 1UL << 36, 0, PAGE_SIZE, PT_RW, NULL), -EINVAL);
	CHECK_EQ(pt_map(&pt, -PAGE_SIZE, 0, 2 * PAGE_SIZE, PT_RW, NULL),
		 -EINVAL);
	/* Output addresses stop at 48 bits; sizes may not wrap them. */
	CHECK_EQ(pt_map(&pt, 0, (1UL << 48) - PAGE_SIZE, PAGE_SIZE, PT_RW,
			NULL), 0);
	CHECK_EQ(pt_map(&pt, 0, 1UL << 48, PAGE_SIZE, PT_RW, NULL), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0, -PAGE_SIZE, 2 * PAGE_SIZE, PT_RW, NULL),
		 -EINVAL);
	CHECK_EQ(pt_map_pages(&pt, 0, 0x800, PAGE_SIZE, PT_RW, NULL), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, 0x800, PAGE_SIZE), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, 0, 0x800), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, 0, 0), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, 1UL << 36, PAGE_SIZE), -EINVAL);
	CHECK_EQ(pt_protect(&pt, 0x800, PAGE_SIZE, PT_R), -EINVAL);
	CHECK_EQ(pt_protect(&pt, 0, PAGE_SIZE + 8, PT_R), -EINVAL);
	CHECK_EQ(pt_protect(&pt, (1UL << 36) - PAGE_SIZE, 2 * PAGE_SIZE, PT_R),
		 -EINVAL);
	CHECK_EQ(pt_dump(&pt, 0, (1UL << 36) + PAGE_SIZE, collect, NULL),
		 -EINVAL);
	/* What the refused calls touched: nothing. */
	CHECK(maps(0, PAGE_SIZE, PAGE_SIZE, (1UL << 48) - PAGE_SIZE, PT_RW, 3));
	CHECK(maps((1UL << 36) - PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, 0, PT_RW, 3));
	CHECK(unmapped(PAGE_SIZE, 2 * MB - PAGE_SIZE, PAGE_SIZE));
	CHECK_EQ(fm.pages_live, 5);
	DESTROY_AND_CHECK_LEAKS();
}

/* Map the same layout with the allocator failing at every point in turn:
 * each failure is -ENOMEM, leaves what was mapped before intact, maps
 * nothing wrong, and loses no page; retrying then completes the job. */
TEST(allocator_exhaustion_returns_enomem_without_corruption)
{
	const u64 ia = 1 * GB - 6 * MB + 3 * PAGE_SIZE;
	const u64 pa = 9 * GB + 5 * PAGE_SIZE;
	const u64 size = 12 * MB;
	u64 needed = 0;

	for (u64 fail = 1;; fail++) {
		CHECK_EQ(setup(PT_S2, 48), 0);
		/* Something mapped before: a block to be split on the way. */
		CHECK_EQ(pt_map(&pt, 1 * GB - 2 * MB, 2 * GB, 2 * MB, PT_RWX,
				NULL), 0);
		fm.fail_from = fm.allocs + fm.failed + fail;
		int err = pt_map(&pt, ia, pa, size, PT_RW, NULL);

		if (err == 0) {
			needed = fail - 1;
			CHECK(maps(ia, size, PAGE_SIZE, pa, PT_RW, 3));
			DESTROY_AND_CHECK_LEAKS();
			break;
		}
		CHECK_EQ(err, -ENOMEM);
		CHECK_EQ(fm.failed, 1);
		/* Each page is either mapped as asked, or as before (or not,
		 * where nothing was). */
		for (u64 a = ia - 4 * MB; a < ia + size + 4 * MB;
		     a += PAGE_SIZE) {
			u64 off = a - ia, old = 2 * GB + a - (1 * GB - 2 * MB);
			struct xlat x = xlat(a);

			if (x.level == 4)
				CHECK(a < 1 * GB - 2 * MB || a >= 1 * GB);
			else if (a >= ia && a < ia + size && x.pa == pa + off)
				CHECK(maps(a, PAGE_SIZE, PAGE_SIZE, pa + off,
					   PT_RW, x.level));
			else
				CHECK(maps(a, PAGE_SIZE, PAGE_SIZE, old, PT_RWX,
					   x.level));
		}
		/* Retrying with pages to spare completes the mapping. */
		fm.fail_from = 0;
		CHECK_EQ(pt_map(&pt, ia, pa, size, PT_RW, NULL), 0);
		CHECK(maps(ia, size, PAGE_SIZE, pa, PT_RW, 3));
		DESTROY_AND_CHECK_LEAKS();
		CHECK(fail < 100);
	}
	/* A level-2 table for GiB 1 and a level-3 table for each of the seven
	 * 2 MiB the range touches (one of them the old block's split). */
	CHECK_EQ(needed, 8);

	/* Unmap and protect that must split a block and cannot: refused,
	 * and the block still maps all of itself. */
	CHECK_EQ(setup(PT_S2, 36), 0);
	CHECK_EQ(pt_map(&pt, 1 * GB, 4 * GB, 1 * GB, PT_RWX, NULL), 0);
	fm.fail_from = fm.allocs + 1;
	CHECK_EQ(pt_unmap(&pt, 1 * GB + PAGE_SIZE, PAGE_SIZE), -ENOMEM);
	CHECK_EQ(pt_protect(&pt, 1 * GB + PAGE_SIZE, PAGE_SIZE, PT_R), -ENOMEM);
	CHECK(maps(1 * GB, 1 * GB, 2 * MB, 4 * GB, PT_RWX, 1));
	/* One page for the level-2 table, none for level 3. */
	fm.fail_from = fm.allocs + fm.failed + 2;
	CHECK_EQ(pt_unmap(&pt, 1 * GB + PAGE_SIZE, PAGE_SIZE), -ENOMEM);
	CHECK(maps(1 * GB, 2 * MB, PAGE_SIZE, 4 * GB, PT_RWX, 2));
	CHECK(maps(1 * GB, 1 * GB, 2 * MB, 4 * GB, PT_RWX, 2));
	CHECK_EQ(fm.pages_live, 2);
	DESTROY_AND_CHECK_LEAKS();
}

/* Tables three levels deep, with a concatenated root and with a level-0
 * root: pt_destroy walks down to every level-3 table. */
TEST(destroy_frees_every_level)
{
	static const unsigned bits[] = { 36, 40, 48, 32 };

	for (u32 i = 0; i < ARRAY_SIZE(bits); i++) {
		CHECK_EQ(setup(PT_S2, bits[i]), 0);
		CHECK_EQ(pt_map(&pt, 1 * GB + PAGE_SIZE, 5 * GB, 5 * MB, PT_RW,
				NULL), 0);
		CHECK_EQ(pt_map(&pt, 3 * GB + 2 * MB, 6 * GB + 2 * MB, 2 * MB,
				PT_RW, NULL), 0);
		CHECK(fm.pages_live > pt.root_pages + 2);
		DESTROY_AND_CHECK_LEAKS();
	}
}

/* ---- The page pool the firmware allocates tables from ---- */

TEST(pool_alignment_reuse_and_seal)
{
	const u64 n = 64;
	u8 *mem = aligned_alloc(16 * PAGE_SIZE, n * PAGE_SIZE);
	struct page_pool p;

	CHECK(mem);
	memset(mem, 0xee, n * PAGE_SIZE);
	pool_init(&p, mem, n);
	u8 *a = pool_zalloc(&p, 1);

	CHECK(a == mem);
	CHECK_EQ(a[0] | a[PAGE_SIZE - 1], 0);
	/* A run of 4 starts at a multiple of 4 pages: pages 1-3 are skipped
	 * onto the free list, not lost. */
	u8 *b = pool_zalloc(&p, 4);

	CHECK(b == mem + 4 * PAGE_SIZE);
	CHECK_EQ(p.in_use, 5);
	for (int i = 0; i < 3; i++) {
		u8 *c = pool_zalloc(&p, 1);

		CHECK(c >= mem + PAGE_SIZE && c < mem + 4 * PAGE_SIZE);
	}
	CHECK(pool_zalloc(&p, 1) == mem + 8 * PAGE_SIZE);
	CHECK_EQ(p.in_use, 9);
	/* A freed page comes back zeroed. */
	memset(b, 0x5a, PAGE_SIZE);
	pool_free(&p, b, 1);
	u8 *d = pool_zalloc(&p, 1);

	CHECK(d == b);
	CHECK_EQ(d[0] | d[8] | d[PAGE_SIZE - 1], 0);
	CHECK_EQ(p.high_water, 9);
	/* Runs larger than what is left fail; single pages still come. */
	CHECK(pool_zalloc(&p, 64) == NULL);
	CHECK(pool_zalloc(&p, 0) == NULL);
	CHECK(pool_zalloc(&p, 1) != NULL);
	/* Sealed: nothing more. */
	pool_seal(&p);
	CHECK(pool_zalloc(&p, 1) == NULL);
	free(mem);
}
