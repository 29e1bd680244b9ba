/* The page pool (see pool.h). Pages are handed out in order from a fresh
 * region; pages given back go to a free list and are reused one at a time. */
#include "pool.h"
#include "mem.h"

void pool_init(struct page_pool *p, void *base, u64 nr_pages)
{
	*p = (struct page_pool){ .base = base, .nr_pages = nr_pages };
}

void *pool_zalloc(struct page_pool *p, unsigned n)
{
	void *page = NULL;

	if (p->sealed || n == 0)
		return NULL;
	if (n == 1 && p->free_list) {
		page = p->free_list;
		p->free_list = *(void **)page;
	} else {
		/* Align the run to its size within the pool (the pool base is
		 * page-aligned; roots need alignment to their own size). */
		u64 start = p->fresh;
		u64 base_pfn = (u64)(uintptr_t)p->base / PAGE_SIZE;

		while ((base_pfn + start) % n)
			start++;
		if (start + n <= p->nr_pages) {
			/* Skipped pages go to the free list, not lost. */
			for (u64 i = p->fresh; i < start; i++) {
				void *skip = p->base + i * PAGE_SIZE;
				*(void **)skip = p->free_list;
				p->free_list = skip;
			}
			page = p->base + start * PAGE_SIZE;
			p->fresh = start + n;
		}
	}
	if (!page)
		return NULL;
	p->in_use += n;
	if (p->in_use > p->high_water)
		p->high_water = p->in_use;
	memset(page, 0, n * PAGE_SIZE);
	return page;
}

void pool_free(struct page_pool *p, void *pages, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		void *page = (u8 *)pages + i * PAGE_SIZE;

		*(void **)page = p->free_list;
		p->free_list = page;
	}
	p->in_use -= n;
}

void pool_seal(struct page_pool *p)
{
	p->sealed = true;
}
