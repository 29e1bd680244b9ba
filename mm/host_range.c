/* The host-range allocator (see host_range.h). */
#include "host_range.h"
#include "errno.h"
#include "mem.h"

u64 host_range_bitmap_bytes(u64 size)
{
	return (size / PAGE_SIZE + 63) / 64 * 8;
}

void host_range_init(struct host_range *r, u64 base, u64 size, u64 *used)
{
	*r = (struct host_range){
		.base = base,
		.nr_pages = size / PAGE_SIZE,
		.used = used,
		.free_pages = size / PAGE_SIZE,
	};
	memset(used, 0, host_range_bitmap_bytes(size));
}

static bool page_used(const struct host_range *r, u64 i)
{
	return r->used[i / 64] & BIT(i % 64);
}

static void set_pages(struct host_range *r, u64 first, u64 n, bool used)
{
	for (u64 i = first; i < first + n; i++) {
		if (used)
			r->used[i / 64] |= BIT(i % 64);
		else
			r->used[i / 64] &= ~BIT(i % 64);
	}
}

bool host_range_holds(const struct host_range *r, u64 pa, u64 size)
{
	u64 end = r->base + r->nr_pages * PAGE_SIZE;

	return pa >= r->base && pa + size >= pa && pa + size <= end;
}

int host_range_alloc(struct host_range *r, u64 nr_pages, u64 align, u64 offset,
		     u64 *pa)
{
	u64 step, first;

	if (!nr_pages || nr_pages > r->free_pages || align < PAGE_SIZE ||
	    (align & (align - 1)) || offset >= align ||
	    !IS_ALIGNED(offset, PAGE_SIZE))
		return -ENOMEM;
	step = align / PAGE_SIZE;
	/* The first page index whose address is offset modulo align. */
	u64 cand = ALIGN_DOWN(r->base, align) + offset;
	if (cand < r->base)
		cand += align;
	first = (cand - r->base) / PAGE_SIZE;

	while (first + nr_pages <= r->nr_pages && first + nr_pages > first) {
		u64 bad = ~0UL;

		/* From the end: a used page far in skips the most. */
		for (u64 i = first + nr_pages; i-- > first;)
			if (page_used(r, i)) {
				bad = i;
				break;
			}
		if (bad == ~0UL) {
			set_pages(r, first, nr_pages, true);
			r->free_pages -= nr_pages;
			*pa = r->base + first * PAGE_SIZE;
			return 0;
		}
		/* The next candidate past the used page. */
		first += ((bad - first) / step + 1) * step;
	}
	return -ENOMEM;
}

int host_range_free(struct host_range *r, u64 pa, u64 nr_pages)
{
	u64 first;

	if (!nr_pages || nr_pages > r->nr_pages || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    !host_range_holds(r, pa, nr_pages * PAGE_SIZE))
		return -EINVAL;
	first = (pa - r->base) / PAGE_SIZE;
	for (u64 i = first; i < first + nr_pages; i++)
		if (!page_used(r, i))
			return -EINVAL;
	set_pages(r, first, nr_pages, false);
	r->free_pages += nr_pages;
	return 0;
}
