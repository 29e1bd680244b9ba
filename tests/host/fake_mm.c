/* The recording page allocator and TLB of the host tests (see fake_mm.h). */
#include <stdlib.h>
#include <string.h>

#include "fake_mm.h"
#include "oracle.h"

static u64 hash_of(const void *p, u64 cap)
{
	return ((u64)(uintptr_t)p >> PAGE_SHIFT) * 0x9e3779b97f4a7c15UL % cap;
}

static void runs_put(struct fake_mm *f, void *p, unsigned n);

/* Keeps the hash at most half full (linear probing, no deletions: a freed
 * run's slot keeps p with n = 0 until the next rehash drops it). */
static void runs_grow(struct fake_mm *f)
{
	struct fake_run *old = f->runs;
	u64 old_cap = f->runs_cap, live = 0;

	for (u64 i = 0; i < old_cap; i++)
		live += old[i].n != 0;
	f->runs_cap = MAX(1024, 4 * live);
	f->runs = calloc(f->runs_cap, sizeof(*f->runs));
	f->runs_used = 0;
	for (u64 i = 0; i < old_cap; i++)
		if (old[i].n)
			runs_put(f, old[i].p, old[i].n);
	free(old);
}

static void runs_put(struct fake_mm *f, void *p, unsigned n)
{
	u64 i;

	if (2 * (f->runs_used + 1) > f->runs_cap)
		runs_grow(f);
	for (i = hash_of(p, f->runs_cap); f->runs[i].p && f->runs[i].p != p;
	     i = (i + 1) % f->runs_cap)
		;
	if (!f->runs[i].p)
		f->runs_used++;
	f->runs[i] = (struct fake_run){ p, n };
}

static struct fake_run *runs_find(struct fake_mm *f, void *p)
{
	if (!f->runs_cap)
		return NULL;
	for (u64 i = hash_of(p, f->runs_cap); f->runs[i].p;
	     i = (i + 1) % f->runs_cap)
		if (f->runs[i].p == p)
			return f->runs[i].n ? &f->runs[i] : NULL;
	return NULL;
}

static void *fake_zalloc(void *ctx, unsigned n)
{
	struct fake_mm *f = ctx;
	size_t align = PAGE_SIZE;
	void *p;

	if (n == 0 || (f->fail_from &&
		       f->allocs + f->failed + 1 >= f->fail_from)) {
		f->failed++;
		return NULL;
	}
	/* Aligned to the run's size rounded up to a power of two (which
	 * aligned_alloc also wants the size to be a multiple of). */
	while (align < (size_t)n * PAGE_SIZE)
		align *= 2;
	p = aligned_alloc(align, align);
	if (!p)
		return NULL;
	memset(p, 0, (size_t)n * PAGE_SIZE);
	runs_put(f, p, n);
	f->allocs++;
	f->pages_live += n;
	f->pages_allocated += n;
	return p;
}

static void fake_free(void *ctx, void *p, unsigned n)
{
	struct fake_mm *f = ctx;
	struct fake_run *r = runs_find(f, p);

	if (!r || r->n != n) {
		f->bad_frees++; /* keep the memory: the test reports it */
		return;
	}
	r->n = 0;
	f->frees++;
	f->pages_live -= n;
	/* Poison first, so a table still in use reads as garbage under a
	 * sanitizer-less build too. */
	memset(p, 0xa5, (size_t)n * PAGE_SIZE);
	free(p);
}

static u64 fake_virt_to_phys(void *ctx, void *va)
{
	return (u64)(uintptr_t)va;
}

static void *fake_phys_to_virt(void *ctx, u64 pa)
{
	return (void *)(uintptr_t)pa;
}

static void record(struct fake_mm *f, struct fake_tlb_event e)
{
	if (f->nr_tlb == FAKE_MM_MAX_TLB) {
		f->tlb_lost++;
		return;
	}
	f->tlb[f->nr_tlb++] = e;
}

static void fake_tlb_ia(void *ctx, const struct pgtable *pt, u64 ia,
			unsigned level)
{
	const u64 *entry = oracle_entry(pt, ia, level);

	record(ctx, (struct fake_tlb_event){
		.ia = ia, .level = level,
		/* Reached and invalid, or the walk stopped above it. */
		.was_broken = !entry || !(*entry & 1),
	});
}

static void fake_tlb_all(void *ctx, const struct pgtable *pt)
{
	record(ctx, (struct fake_tlb_event){ .all = true });
}

void fake_mm_init(struct fake_mm *f)
{
	memset(f, 0, sizeof(*f));
	f->ops = (struct pt_mm_ops){
		.zalloc_pages = fake_zalloc,
		.free_pages = fake_free,
		.virt_to_phys = fake_virt_to_phys,
		.phys_to_virt = fake_phys_to_virt,
		.tlb_inval_ia = fake_tlb_ia,
		.tlb_inval_all = fake_tlb_all,
		.ctx = f,
	};
}

void fake_mm_fini(struct fake_mm *f)
{
	for (u64 i = 0; i < f->runs_cap; i++)
		if (f->runs[i].n)
			free(f->runs[i].p);
	free(f->runs);
	f->runs = NULL;
	f->runs_cap = f->runs_used = 0;
}

void fake_mm_clear_tlb(struct fake_mm *f)
{
	f->nr_tlb = 0;
	f->tlb_lost = 0;
}

bool fake_mm_tlb_covers(const struct fake_mm *f, u64 ia)
{
	if (f->tlb_lost)
		return true; /* cannot tell: assume the worst was done */
	for (u32 i = 0; i < f->nr_tlb; i++) {
		const struct fake_tlb_event *e = &f->tlb[i];
		unsigned shift = 39 - 9 * e->level;

		if (e->all || (ia >> shift) == (e->ia >> shift))
			return true;
	}
	return false;
}
