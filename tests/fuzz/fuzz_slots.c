/*
 * A libFuzzer target over run-time slot changes (mm/slot_change.c,
 * mm/slot_update.c, the walker under them): any sequence of create, delete,
 * move and flags-only changes, applied to a built VM and to the model of
 * tests/host/slot_model.c, compared after every change (error code, slot
 * table, stage-2 tables, every page of the host range and the pool, slot
 * contents), then every slot deleted and every page checked back.
 *
 * Input: one byte for how much of the 4 MiB host range is kept from the
 * changes (0-31 runs of 64 KiB, so that -ENOMEM comes up), then 8 bytes per change: kind, id (mod 34), IPA
 * (2 bytes: a 4 KiB-page index around block boundaries, or raw bits), size
 * (2 bytes), flags (1 byte, all bits), a selector of the IPA form (1 byte).
 */
#include <stdio.h>
#include <stdlib.h>

#include "slot_model.h"

#define RANGE (2 * SZ_2M)

/* Built once: each input deletes all it made, which the harness checks. */
static struct slot_harness h;
static bool built;

static u64 ipa_of(const u8 *b)
{
	u64 v = (u64)b[0] | (u64)b[1] << 8;

	switch (b[2] % 4) {
	case 0: /* pages near 0x80000000: blocks, skew and neighbours */
		return 0x80000000UL + (v % 2048) * PAGE_SIZE;
	case 1: /* the top of the 36-bit IPA space and beyond */
		return (1UL << 36) - (v % 64) * PAGE_SIZE;
	case 2: /* low: GIC windows, the configured slot */
		return (v % 0x600) * 0x40000UL;
	default: /* any bits, aligned or not */
		return v * 0x1001UL;
	}
}

static u64 size_of(u16 v)
{
	if (v & 0x8000) /* whole 2 MiB blocks, and a page more or less */
		return ((v >> 2) % 5) * SZ_2M + ((s64)(v & 3) - 1) * (s64)PAGE_SIZE;
	return (u64)(v % 1100) * PAGE_SIZE + ((v & 0x4000) ? 0x800 : 0);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char err[300], what[120];
	u64 kept = (u64)(data[0] % 32) * 16, pad = 0;

	if (size < 1)
		return 0;
	if (!built) {
		slot_harness_init(&h, RANGE);
		h.allow_enomem = true;
		built = true;
	}
	if (kept && host_range_alloc(&h.range, kept, PAGE_SIZE, 0, &pad))
		abort();
	h.reserved = kept;
	for (size_t off = 1; off + 8 <= size && off < 1 + 8 * 64; off += 8) {
		const u8 *b = data + off;
		struct slot_change c = {
			.kind = (enum slot_change_kind)(b[0] % 4),
			.slot = {
				.id = b[1] % 34,
				.ipa = IPA(ipa_of(b + 2)),
				.size = size_of((u16)(b[4] | b[5] << 8)),
				.flags = (u32)b[6] | ((b[7] & 1) ? BIT(31) : 0),
			},
		};

		if (!slot_harness_step(&h, &c, err, sizeof(err))) {
			slot_change_describe(&c, what, sizeof(what));
			fprintf(stderr, "change %zu, %s: %s\n", (off - 1) / 8 + 1,
				what, err);
			abort();
		}
	}
	if (kept)
		host_range_free(&h.range, pad, kept);
	h.reserved = 0;
	if (!slot_harness_drain(&h, err, sizeof(err))) {
		fprintf(stderr, "draining: %s\n", err);
		abort();
	}
	return 0;
}
