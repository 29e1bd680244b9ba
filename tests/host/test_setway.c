/* Set/way emulation's shares of a VM's RAM (hyp/trap/setway_share.c): a
 * guest's whole loop over a cache level covers its RAM exactly once, in
 * bounded, line-aligned slices, whatever the geometry. */
#include <stdlib.h>

#include "setway.h"
#include "unit.h"

/* The operand a guest's loop builds for (level, set, way). */
static u64 operand(unsigned level, u64 set, u64 way, u64 ways, unsigned line_shift)
{
	unsigned a = 0;

	while ((1UL << a) < ways)
		a++;
	return (a ? way << (32 - a) : 0) | set << line_shift | (u64)level << 1;
}

static bool covers_once(u64 sets, u64 ways, unsigned line_shift, u64 ram)
{
	u64 slices = sets * ways, bound = (ram + slices - 1) / slices;
	u64 next = 0;

	bound = (bound + (1UL << line_shift) - 1) & ~((1UL << line_shift) - 1);
	/* In slice order (way-major, as the share numbers them). */
	for (u64 w = 0; w < ways; w++)
		for (u64 s = 0; s < sets; s++) {
			u64 from, len;

			if (!setway_share(operand(1, s, w, ways, line_shift), sets,
					  ways, line_shift, ram, &from, &len))
				continue;
			if (from != next || len == 0 || len > bound ||
			    (from & ((1UL << line_shift) - 1)))
				return false;
			next = from + len;
		}
	return next == ram;
}

TEST(setway_loop_covers_ram_once)
{
	/* Cortex-A57 L1D and L2 (QEMU's), an odd 3-way cache, CCIDX sizes. */
	CHECK(covers_once(256, 2, 6, 16UL << 20));
	CHECK(covers_once(2048, 16, 6, 16UL << 20));
	CHECK(covers_once(2048, 16, 6, 768UL << 20));
	CHECK(covers_once(100, 3, 6, (16UL << 20) + 4096));
	CHECK(covers_once(1, 1, 4, 4096));
	CHECK(covers_once(4096, 64, 6, 4096)); /* more slices than lines */
}

TEST(setway_names_no_line)
{
	u64 from = 7, len = 7;

	/* Way 3 of a 3-way cache, set 110 of 100: no such line, nothing. */
	CHECK(!setway_share(3UL << 30, 256, 3, 6, 1 << 20, &from, &len));
	CHECK(!setway_share(110UL << 6, 100, 2, 6, 1 << 20, &from, &len));
	CHECK(!setway_share(0, 0, 2, 6, 1 << 20, &from, &len));
	CHECK(!setway_share(0, 256, 2, 6, 0, &from, &len));
	/* Any operand: never a slice past the RAM, never overflowing. */
	srand(1);
	for (int i = 0; i < 100000; i++) {
		u64 op = (u64)rand() << 33 ^ (u64)rand() << 11 ^ (u64)rand();
		u64 sets = 1 + (u64)rand() % (1 << 15), ways = 1 + (u64)rand() % 1024;
		u64 ram = (1 + (u64)rand() % 4096) << 20;

		if (setway_share(op, sets, ways, 4 + rand() % 4, ram, &from, &len))
			CHECK(from < ram && len <= ram - from && len > 0);
	}
}
