/*
 * Run-time slot changes: the host-range allocator, the slot-change rules
 * against the model of tests/host/slot_model.c (every sequence of up to
 * three changes from a set chosen to meet every rule, then long random
 * ones), and the stage-2 tables unmapped and remapped without losing a
 * page.
 */
#include <stdlib.h>

#include "errno.h"
#include "slot_model.h"
#include "unit.h"

#define MB (1UL << 20)

/* ---- The host range ---- */

TEST(host_range_alloc_aligns_and_frees)
{
	static u64 bits[32];
	struct host_range r;
	u64 base = 0x80000000UL + 3 * PAGE_SIZE, pa, pb;

	host_range_init(&r, base, 8 * MB, bits);
	CHECK_EQ(r.free_pages, 2048);
	CHECK_EQ(host_range_alloc(&r, 1, PAGE_SIZE, 0, &pa), 0);
	CHECK_EQ(pa, base);
	/* 2 MiB alignment with an offset: the low 21 bits as asked. */
	CHECK_EQ(host_range_alloc(&r, 512, SZ_2M, 0x5000, &pb), 0);
	CHECK_EQ(pb % SZ_2M, 0x5000);
	CHECK(pb > pa);
	CHECK_EQ(r.free_pages, 2048 - 513);
	/* Freeing what was not handed out, or beyond, changes nothing. */
	CHECK_EQ(host_range_free(&r, pb + SZ_2M, 1), -EINVAL);
	CHECK_EQ(host_range_free(&r, base - PAGE_SIZE, 1), -EINVAL);
	CHECK_EQ(host_range_free(&r, pb, 513), -EINVAL);
	CHECK_EQ(r.free_pages, 2048 - 513);
	CHECK_EQ(host_range_free(&r, pb, 512), 0);
	CHECK_EQ(host_range_free(&r, pb, 512), -EINVAL); /* twice */
	CHECK_EQ(host_range_free(&r, pa, 1), 0);
	CHECK_EQ(r.free_pages, 2048);
	/* All of it, then nothing more. */
	CHECK_EQ(host_range_alloc(&r, 2048, PAGE_SIZE, 0, &pa), 0);
	CHECK_EQ(host_range_alloc(&r, 1, PAGE_SIZE, 0, &pb), -ENOMEM);
	CHECK_EQ(host_range_free(&r, pa, 2048), 0);
	CHECK_EQ(host_range_alloc(&r, 2049, PAGE_SIZE, 0, &pa), -ENOMEM);
	/* Bad alignments are refused, not looped on. */
	CHECK_EQ(host_range_alloc(&r, 1, 3 * PAGE_SIZE, 0, &pa), -ENOMEM);
	CHECK_EQ(host_range_alloc(&r, 1, SZ_2M, SZ_2M, &pa), -ENOMEM);
	CHECK_EQ(host_range_alloc(&r, 0, PAGE_SIZE, 0, &pa), -ENOMEM);
}

TEST(host_range_first_fit_skips_used_pages)
{
	static u64 bits[1];
	struct host_range r;
	u64 base = 0x40000000UL, a, b, c;

	host_range_init(&r, base, 64 * PAGE_SIZE, bits);
	CHECK_EQ(host_range_alloc(&r, 3, PAGE_SIZE, 0, &a), 0);
	CHECK_EQ(host_range_alloc(&r, 3, PAGE_SIZE, 0, &b), 0);
	CHECK_EQ(host_range_free(&r, a, 3), 0);
	/* Four pages do not fit in the three-page hole. */
	CHECK_EQ(host_range_alloc(&r, 4, PAGE_SIZE, 0, &c), 0);
	CHECK_EQ(c, b + 3 * PAGE_SIZE);
	CHECK_EQ(host_range_alloc(&r, 2, PAGE_SIZE, 0, &c), 0);
	CHECK_EQ(c, a);
}

/* ---- The rules against the model ---- */

#define CR(i, a, n, f) { SLOT_CREATE, { (i), IPA(a), (n), PA(0), (f) } }
#define DEL(i) { SLOT_DELETE, { .id = (i) } }
#define MV(i, a, n) { SLOT_MOVE, { .id = (i), .ipa = IPA(a), .size = (n) } }
#define FL(i, f) { SLOT_FLAGS_ONLY, { .id = (i), .flags = (f) } }

/* Chosen so that sequences of three meet every rule: blocks and pages,
 * skewed and aligned IPAs, moves onto themselves, the configured slot 0,
 * the GIC windows and the end of the 36-bit IPA space. */
static const struct slot_change alphabet[] = {
	CR(1, 0x80000000, SZ_2M, 0),
	CR(1, 0x80000000, SZ_2M, SLOT_LOG_DIRTY),
	CR(2, 0x80100000, PAGE_SIZE, SLOT_NOEXEC),
	CR(2, 0x80201000, SZ_2M + PAGE_SIZE, SLOT_READONLY),
	CR(3, 0xfffffe000UL, 2 * PAGE_SIZE, 0),
	CR(3, 0xffffff000UL, 2 * PAGE_SIZE, 0),     /* past 2^36 */
	CR(1, 0x401ff000, PAGE_SIZE, 0),            /* on slot 0 */
	CR(0, 0x90000000, PAGE_SIZE, 0),            /* id of slot 0 */
	CR(32, 0x90000000, PAGE_SIZE, 0),           /* id too large */
	CR(2, 0x90000000, PAGE_SIZE, SLOT_DEVICE),  /* not at run time */
	CR(2, 0x90000000, PAGE_SIZE, BIT(9)),       /* unknown flag */
	CR(2, 0x080a0000, PAGE_SIZE, 0),            /* GIC redistributors */
	CR(2, 0x90000800, PAGE_SIZE, 0),            /* misaligned */
	CR(2, 0x90000000, 0, 0),                    /* empty */
	DEL(1), DEL(2), DEL(0), DEL(7),
	MV(1, 0x80400000, SZ_2M),
	MV(1, 0x80001000, SZ_2M),                   /* onto itself, skewed */
	MV(1, 0x80000000, PAGE_SIZE),               /* a resize */
	MV(2, 0x80000000, SZ_2M + PAGE_SIZE),
	MV(2, 0x80300000, PAGE_SIZE),
	MV(0, 0x90000000, SZ_2M),                   /* the configuration's */
	FL(1, SLOT_LOG_DIRTY), FL(1, 0), FL(1, SLOT_READONLY),
	FL(2, SLOT_NOEXEC | SLOT_LOG_DIRTY), FL(2, 0),
	FL(0, SLOT_LOG_DIRTY),
};

static bool run(struct slot_harness *h, const struct slot_change *seq, u32 n)
{
	char err[300], what[120];

	for (u32 i = 0; i < n; i++)
		if (!slot_harness_step(h, &seq[i], err, sizeof(err))) {
			printf("  step %u of:", i + 1);
			for (u32 j = 0; j <= i; j++) {
				slot_change_describe(&seq[j], what, sizeof(what));
				printf(" %s", what);
			}
			printf("\n  %s\n", err);
			return false;
		}
	if (!slot_harness_drain(h, err, sizeof(err))) {
		printf("  draining: %s\n", err);
		return false;
	}
	return true;
}

TEST(slot_changes_every_sequence_of_three_matches_the_model)
{
	static struct slot_harness h;
	const u32 k = ARRAY_SIZE(alphabet);
	struct slot_change seq[3];
	u64 sequences = 0;

	slot_harness_init(&h, 16 * MB);
	for (u32 len = 1; len <= 3; len++) {
		u32 total = len == 1 ? k : len == 2 ? k * k : k * k * k;

		for (u32 code = 0; code < total; code++) {
			u32 c = code;

			for (u32 i = 0; i < len; i++, c /= k)
				seq[i] = alphabet[c % k];
			sequences++;
			if (!run(&h, seq, len)) {
				slot_harness_fini(&h);
				CHECK(false);
			}
		}
	}
	/* Both outcomes were reached, many times. */
	CHECK(h.refused > 1000 && h.steps - h.refused > 1000);
	slot_harness_fini(&h);
	printf("  %lu sequences, %lu changes, %lu refused\n", sequences,
	       h.steps, h.refused);
}

static u64 rnd_state = 0x9e3779b97f4a7c15UL;

static u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static u64 pick(const u64 *v, u32 n)
{
	return v[rnd() % n];
}

/* A change from a wider set: more ids, IPAs and sizes near block
 * boundaries, every flag. */
static struct slot_change random_change(void)
{
	static const u64 ipas[] = { 0x40000000, 0x401ff000, 0x80000000, 0x80001000,
				    0x801ff000, 0x80200000, 0xc0000000, 0xbffff000,
				    0x100000000UL, 0x9000000, 0xfffe00000UL, 0x80000010 };
	static const u64 sizes[] = { PAGE_SIZE, 2 * PAGE_SIZE, SZ_2M, SZ_2M + PAGE_SIZE,
				     SZ_2M - PAGE_SIZE, 4 * SZ_2M, 0, 0x1800 };
	static const u64 flags[] = { 0, SLOT_LOG_DIRTY, SLOT_READONLY, SLOT_NOEXEC,
				     SLOT_LOG_DIRTY | SLOT_NOEXEC, SLOT_SHARED,
				     SLOT_READONLY | SLOT_LOG_DIRTY };
	struct slot_change c = {
		.kind = (enum slot_change_kind)(rnd() % 4),
		.slot = { .id = (u32)(rnd() % 6), .ipa = IPA(pick(ipas, ARRAY_SIZE(ipas))),
			  .size = pick(sizes, ARRAY_SIZE(sizes)),
			  .flags = (u32)pick(flags, ARRAY_SIZE(flags)) },
	};
	return c;
}

TEST(slot_changes_random_sequences_match_the_model)
{
	static struct slot_harness h;
	struct slot_change seq[16];

	slot_harness_init(&h, 32 * MB);
	for (u32 s = 0; s < 3000; s++) {
		for (u32 i = 0; i < ARRAY_SIZE(seq); i++)
			seq[i] = random_change();
		if (!run(&h, seq, ARRAY_SIZE(seq))) {
			slot_harness_fini(&h);
			CHECK(false);
		}
	}
	slot_harness_fini(&h);
}

/* A range too small for everything: -ENOMEM refuses whole changes. */
TEST(slot_changes_in_a_small_range_fail_whole)
{
	static struct slot_harness h;
	struct slot_change seq[16];
	u64 enomem = 0;

	slot_harness_init(&h, SZ_2M + 8 * PAGE_SIZE);
	h.allow_enomem = true;
	for (u32 s = 0; s < 2000; s++) {
		u64 before = h.refused;

		for (u32 i = 0; i < ARRAY_SIZE(seq); i++)
			seq[i] = random_change();
		if (!run(&h, seq, ARRAY_SIZE(seq))) {
			slot_harness_fini(&h);
			CHECK(false);
		}
		enomem += h.refused - before;
	}
	slot_harness_fini(&h);
	CHECK(enomem > 0);
}

/* ---- The walker: unmap and remap without losing pages ---- */

TEST(slot_move_and_dirty_log_toggle_return_every_table_page)
{
	static struct slot_harness h;
	char err[300];
	const struct slot_change seq[] = {
		CR(1, 0x80000000, 4 * SZ_2M, 0),      /* blocks */
		FL(1, SLOT_LOG_DIRTY),                /* 4 KiB pages: tables */
		MV(1, 0x1000001000UL - 0x1000, 4 * SZ_2M), /* other level-1 entry */
		FL(1, 0),                             /* blocks again */
		MV(1, 0x80000000, 4 * SZ_2M),
	};
	u64 after_create_free = 0;

	slot_harness_init(&h, 16 * MB);
	for (u32 i = 0; i < ARRAY_SIZE(seq); i++) {
		bool ok = slot_harness_step(&h, &seq[i], err, sizeof(err));

		if (!ok)
			printf("  step %u: %s\n", i + 1, err);
		CHECK(ok);
		if (i == 0)
			after_create_free = h.range.free_pages;
		if (i == 1) /* one level-3 table per 2 MiB and a bitmap */
			CHECK_EQ(after_create_free - h.range.free_pages, 4 + 1);
	}
	/* Back where it started: exactly the pages it took at first. */
	CHECK_EQ(h.range.free_pages, after_create_free);
	CHECK(slot_harness_drain(&h, err, sizeof(err)));
	slot_harness_fini(&h);
}
