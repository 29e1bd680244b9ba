/* Run-time slot changes (see slot_update.h). */
#include "slot_update.h"
#include "errno.h"
#include "mem.h"

/* ---- The manager's allocator ---- */

static void *sm_virt(struct slot_mm *sm, u64 pa)
{
	return sm->base->phys_to_virt(sm->base->ctx, pa);
}

/* Zeroes memory on its way back to the range: every free page is zero,
 * in memory as well as in the cache, so nothing is cleared when handed
 * out and no guest reading uncached sees what was there. */
static void zero(struct slot_mm *sm, void *va, u64 size)
{
	memset(va, 0, size);
	if (sm->clean)
		sm->clean(va, size);
}

static void *sm_zalloc_pages(void *ctx, unsigned n)
{
	struct slot_mm *sm = ctx;
	u64 align = PAGE_SIZE, pa;

	/* Runs are aligned to their size rounded up to a power of two (the
	 * pt_mm_ops contract, for concatenated roots). */
	while (align < (u64)n * PAGE_SIZE)
		align <<= 1;
	if (host_range_alloc(sm->range, n, align, 0, &pa))
		return NULL;
	/* Free pages are zero already; a table page is cheap to make sure
	 * of, and a stale descriptor would be a hole in isolation. */
	memset(sm_virt(sm, pa), 0, (u64)n * PAGE_SIZE);
	return sm_virt(sm, pa);
}

static void sm_free_pages(void *ctx, void *pages, unsigned n)
{
	struct slot_mm *sm = ctx;
	u64 pa = sm->base->virt_to_phys(sm->base->ctx, pages);

	if (!host_range_holds(sm->range, pa, (u64)n * PAGE_SIZE)) {
		sm->base->free_pages(sm->base->ctx, pages, n);
		return;
	}
	zero(sm, pages, (u64)n * PAGE_SIZE);
	host_range_free(sm->range, pa, n);
}

static u64 sm_virt_to_phys(void *ctx, void *va)
{
	struct slot_mm *sm = ctx;

	return sm->base->virt_to_phys(sm->base->ctx, va);
}

static void *sm_phys_to_virt(void *ctx, u64 pa)
{
	return sm_virt(ctx, pa);
}

static void sm_tlb_inval_ia(void *ctx, const struct pgtable *pt, u64 ia,
			    unsigned level)
{
	struct slot_mm *sm = ctx;

	sm->base->tlb_inval_ia(sm->base->ctx, pt, ia, level);
}

static void sm_tlb_inval_all(void *ctx, const struct pgtable *pt)
{
	struct slot_mm *sm = ctx;

	sm->base->tlb_inval_all(sm->base->ctx, pt);
}

static void sm_tlb_inval_ia_local(void *ctx, const struct pgtable *pt, u64 ia,
				  unsigned level)
{
	struct slot_mm *sm = ctx;

	if (sm->base->tlb_inval_ia_local)
		sm->base->tlb_inval_ia_local(sm->base->ctx, pt, ia, level);
	else
		sm->base->tlb_inval_ia(sm->base->ctx, pt, ia, level);
}

void slot_mm_init(struct slot_mm *sm, const struct pt_mm_ops *base,
		  struct host_range *range, void (*clean)(void *va, u64 size))
{
	*sm = (struct slot_mm){
		.ops = {
			.zalloc_pages = sm_zalloc_pages,
			.free_pages = sm_free_pages,
			.virt_to_phys = sm_virt_to_phys,
			.phys_to_virt = sm_phys_to_virt,
			.tlb_inval_ia = sm_tlb_inval_ia,
			.tlb_inval_all = sm_tlb_inval_all,
			.tlb_inval_ia_local = sm_tlb_inval_ia_local,
			.ctx = sm,
		},
		.base = base,
		.range = range,
		.clean = clean,
	};
	zero(sm, sm_virt(sm, range->base), range->nr_pages * PAGE_SIZE);
}

/* ---- The slot table ---- */

static u32 index_of(const struct vm_mem *m, const struct slot_state *s)
{
	return (u32)(s - m->slots);
}

static void remove_at(struct vm_mem *m, u32 i)
{
	for (u32 j = i; j + 1 < m->nr_slots; j++)
		m->slots[j] = m->slots[j + 1];
	m->nr_slots--;
	m->slots[m->nr_slots] = (struct slot_state){ 0 };
}

/* Keeps the table sorted by IPA for vm_mem_find's binary search. */
static struct slot_state *insert_sorted(struct vm_mem *m,
					const struct slot_state *s)
{
	u32 j = m->nr_slots++;

	while (j > 0 && ipa_val(m->slots[j - 1].cfg.ipa) > ipa_val(s->cfg.ipa)) {
		m->slots[j] = m->slots[j - 1];
		j--;
	}
	m->slots[j] = *s;
	return &m->slots[j];
}

/* ---- Applying a change ---- */

/* Maps a slot's backing at ipa as its flags want it: LOG_DIRTY slots in
 * 4 KiB pages, write-protected until written; others in the largest
 * blocks. The stats are the slot's own again. */
static int map_slot(struct vm_mem *m, struct slot_state *s, u64 ipa)
{
	u64 pa = pa_val(s->cfg.pa);
	pt_prot_t prot = slot_prot(s->cfg.flags);

	s->stats = (struct pt_map_stats){ 0 };
	if (s->cfg.flags & SLOT_LOG_DIRTY)
		return pt_map_pages(&m->s2, ipa, pa, s->cfg.size, prot, &s->stats);
	return pt_map(&m->s2, ipa, pa, s->cfg.size, prot, &s->stats);
}

/* Table pages a mapping may need at most: those it would take alone (tables
 * it can share with neighbours only lower that). Checked before anything
 * changes, so that a change fits whole or is refused whole. */
static u64 tables_needed(const struct vm_mem *m, u64 ipa, u64 pa, u64 size,
			 u32 flags)
{
	return mapping_table_pages(ipa, pa, size,
				   (flags & SLOT_LOG_DIRTY) ? 3 : 1, m->ipa_bits);
}

void slot_mm_give_back(struct slot_mm *sm, const struct slot_gone *gone)
{
	if (!gone->size)
		return;
	zero(sm, sm_virt(sm, gone->pa), gone->size);
	host_range_free(sm->range, gone->pa, gone->size / PAGE_SIZE);
}

/* Backing whose low bits match the IPA's, so that blocks back blocks. */
static int alloc_backing(struct slot_mm *sm, u64 ipa, u64 size, u64 *pa)
{
	static const u64 aligns[] = { SZ_1G, SZ_2M, SZ_4K };

	for (u32 i = 0; i < ARRAY_SIZE(aligns); i++) {
		u64 a = aligns[i];

		if (size < a && a != SZ_4K)
			continue;
		if (!host_range_alloc(sm->range, size / PAGE_SIZE, a, ipa & (a - 1), pa))
			return 0;
	}
	return -ENOMEM;
}

static int create(struct vm_mem *m, struct slot_mm *sm, const struct memslot *req)
{
	const struct pt_mm_ops *mm = m->s2.mm;
	u64 ipa = ipa_val(req->ipa), size = req->size, pa;
	struct slot_state s = { .cfg = *req, .nr_pages = size / PAGE_SIZE };
	u64 bitmap = (req->flags & SLOT_LOG_DIRTY) ? slot_bitmap_pages(size) : 0;
	int err;

	if (alloc_backing(sm, ipa, size, &pa))
		return -ENOMEM;
	s.cfg.pa = PA(pa);
	if (sm->range->free_pages < bitmap + tables_needed(m, ipa, pa, size, req->flags)) {
		host_range_free(sm->range, pa, size / PAGE_SIZE);
		return -ENOMEM;
	}
	if (bitmap) {
		s.dirty = mm->zalloc_pages(mm->ctx, bitmap);
		if (!s.dirty) {
			host_range_free(sm->range, pa, size / PAGE_SIZE);
			return -ENOMEM;
		}
	}
	err = map_slot(m, &s, ipa);
	if (err) {
		/* Not reached when the count above holds: undone all the same. */
		pt_unmap(&m->s2, ipa, size);
		if (s.dirty)
			mm->free_pages(mm->ctx, s.dirty, bitmap);
		host_range_free(sm->range, pa, size / PAGE_SIZE);
		return err;
	}
	insert_sorted(m, &s);
	return 0;
}

static int delete(struct vm_mem *m, struct slot_state *s, struct slot_gone *gone)
{
	const struct pt_mm_ops *mm = m->s2.mm;
	/* The slot's blocks lie within it: unmapping splits nothing, so it
	 * needs no page and cannot fail half-way. */
	int err = pt_unmap(&m->s2, ipa_val(s->cfg.ipa), s->cfg.size);

	if (err)
		return err;
	/* Unmapped and the TLBs invalidated (pt_unmap, break-before-make):
	 * no CPU can reach the memory through this VM any more. The caller
	 * clears it and gives it back (slot_mm_give_back). */
	*gone = (struct slot_gone){ pa_val(s->cfg.pa), s->cfg.size };
	if (s->dirty)
		mm->free_pages(mm->ctx, s->dirty, slot_bitmap_pages(s->cfg.size));
	remove_at(m, index_of(m, s));
	return 0;
}

static int move(struct vm_mem *m, struct slot_mm *sm, struct slot_state *s,
		u64 ipa)
{
	u64 old = ipa_val(s->cfg.ipa);
	struct slot_state moved;
	int err;

	if (ipa == old)
		return 0;
	if (sm->range->free_pages <
	    tables_needed(m, ipa, pa_val(s->cfg.pa), s->cfg.size, s->cfg.flags))
		return -ENOMEM;
	/* Old first: the two ranges may overlap. */
	err = pt_unmap(&m->s2, old, s->cfg.size);
	if (err)
		return err;
	moved = *s;
	moved.cfg.ipa = IPA(ipa);
	err = map_slot(m, &moved, ipa);
	if (err) {
		/* Back where it was: the pages the new place took are free
		 * again, and the old place needs no more than it had. */
		pt_unmap(&m->s2, ipa, s->cfg.size);
		map_slot(m, s, old);
		return err;
	}
	remove_at(m, index_of(m, s));
	insert_sorted(m, &moved);
	return 0;
}

static int set_flags(struct vm_mem *m, struct slot_mm *sm, struct slot_state *s,
		     u32 flags)
{
	const struct pt_mm_ops *mm = m->s2.mm;
	u32 old = s->cfg.flags;
	u64 ipa = ipa_val(s->cfg.ipa), pa = pa_val(s->cfg.pa);
	u64 bitmap = slot_bitmap_pages(s->cfg.size);
	int err;

	if (flags == old)
		return 0;
	if (flags & SLOT_LOG_DIRTY) {
		/* On: a bitmap, and 4 KiB pages write-protected. */
		if (sm->range->free_pages <
		    bitmap + tables_needed(m, ipa, pa, s->cfg.size, flags))
			return -ENOMEM;
		s->dirty = mm->zalloc_pages(mm->ctx, bitmap);
		if (!s->dirty)
			return -ENOMEM;
		s->cfg.flags = flags;
		err = map_slot(m, s, ipa);
		if (err) {
			s->cfg.flags = old;
			map_slot(m, s, ipa); /* back to blocks: frees, needs nothing */
			mm->free_pages(mm->ctx, s->dirty, bitmap);
			s->dirty = NULL;
		}
		return err;
	}
	/* Off: blocks again (which frees the page tables), then the log. */
	s->cfg.flags = flags;
	err = map_slot(m, s, ipa);
	if (err)
		return err;
	mm->free_pages(mm->ctx, s->dirty, bitmap);
	s->dirty = NULL;
	return 0;
}

int vm_mem_change(struct vm_mem *m, struct slot_mm *sm,
		  const struct slot_update_env *env,
		  const struct slot_change *c, enum slot_rule *rule,
		  struct slot_gone *gone)
{
	struct slot_space sp = {
		.slots = &m->slots[0].cfg,
		.stride = sizeof(m->slots[0]),
		.run_time = true,
		.fixed_ids = m->fixed_ids,
		.ipa_bits = m->ipa_bits,
		.cpu_pa_bits = env->cpu_pa_bits,
		.win = env->win,
		.nr_win = env->nr_win,
	};
	struct slot_state *s;
	int err;

	*gone = (struct slot_gone){ 0 };
	spin_lock(&m->lock);
	sp.nr = m->nr_slots;
	err = slot_change_check(&sp, c, rule);
	if (err)
		goto out;
	s = vm_mem_slot_by_id(m, c->slot.id);
	switch (c->kind) {
	case SLOT_CREATE:
		err = create(m, sm, &c->slot);
		break;
	case SLOT_DELETE:
		err = delete(m, s, gone);
		break;
	case SLOT_MOVE:
		err = move(m, sm, s, ipa_val(c->slot.ipa));
		break;
	case SLOT_FLAGS_ONLY:
		err = set_flags(m, sm, s, c->slot.flags);
		break;
	}
	if (err == -ENOMEM && rule)
		*rule = RULE_NO_MEMORY;
out:
	spin_unlock(&m->lock);
	return err;
}
