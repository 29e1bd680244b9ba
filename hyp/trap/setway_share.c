/* Which share of a VM's RAM a set/way operation stands for (see setway.h
 * and setway.c). Pure: host-tested in tests/host/test_setway.c. */
#include "setway.h"

static unsigned log2_up(u64 n)
{
	unsigned l = 0;

	while (l < 63 && (1UL << l) < n)
		l++;
	return l;
}

/*
 * The operand of DC ISW/CSW/CISW (Arm ARM C5.3): the way in its top A bits
 * below bit 32 (A = log2 of the ways, rounded up), the set from bit
 * log2(line bytes) up, the level in bits 3:1. The slice of (set, way) is
 * number way * sets + set of sets * ways.
 */
bool setway_share(u64 operand, u64 sets, u64 ways, unsigned line_shift,
		  u64 ram, u64 *from, u64 *len)
{
	unsigned a = log2_up(ways), s = log2_up(sets);
	u64 way = 0, set, slices = sets * ways, slice, index;

	if (!sets || !ways || line_shift > 11 || a > 32 || s + line_shift > 32)
		return false; /* not a cache this operand can name */
	if (a)
		way = operand >> (32 - a) & ((1UL << a) - 1);
	set = operand >> line_shift & ((1UL << s) - 1);
	if (way >= ways || set >= sets || !ram)
		return false;
	index = way * sets + set;
	slice = (ram + slices - 1) / slices;
	slice = (slice + (1UL << line_shift) - 1) & ~((1UL << line_shift) - 1);
	if (index >= (ram + slice - 1) / slice)
		return false; /* past the RAM: a share of nothing */
	*from = index * slice;
	*len = ram - *from < slice ? ram - *from : slice;
	return true;
}
