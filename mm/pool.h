/* The page pool: a fixed region of pages for translation tables and dirty
 * bitmaps. Sized by the build (POOL_PAGES); the configuration checker proves
 * the configuration fits, so running dry is a bug, not a guest's doing.
 *
 * Only the boot CPU allocates, while it sets up (the EL2 tables before the
 * MMU is on, then every VM's); then the pool is sealed. Nothing a guest does
 * allocates, so the pool needs no lock and guests cannot exhaust it. */
#ifndef MM_POOL_H
#define MM_POOL_H

#include "types.h"

struct page_pool {
	u8 *base;
	u64 nr_pages;
	u64 fresh;        /* pages from here on were never handed out */
	void *free_list;  /* single pages given back */
	u64 in_use;
	u64 high_water;
	bool sealed;      /* set-up is over: no more allocation */
};

void pool_init(struct page_pool *p, void *base, u64 nr_pages);
/* n zeroed contiguous pages aligned to n pages, or NULL (also once
 * sealed). */
void *pool_zalloc(struct page_pool *p, unsigned n);
void pool_free(struct page_pool *p, void *pages, unsigned n);
void pool_seal(struct page_pool *p);

#endif
