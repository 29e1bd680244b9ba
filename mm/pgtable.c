/* Translation tables: the generic walker and its map, unmap, protect, lookup
 * and dump visitors (see pgtable.h). */
#include "pgtable.h"
#include "errno.h"

/* ---- Geometry ---- */

unsigned pt_start_level(enum pt_format format, unsigned ia_bits)
{
	/* Bits a root resolves beyond its 9: up to 4 by concatenation. */
	unsigned extra = format == PT_S2 ? 4 : 0;
	unsigned level = 3;

	while (level > 0 && ia_bits > pt_level_shift(level) + 9 + extra)
		level--;
	return level;
}

unsigned pt_root_pages(enum pt_format format, unsigned ia_bits)
{
	unsigned level = pt_start_level(format, ia_bits);
	unsigned bits = ia_bits - pt_level_shift(level);

	return bits > 9 ? 1u << (bits - 9) : 1;
}

static u64 root_entries(const struct pgtable *pt)
{
	return 1UL << (pt->ia_bits - pt_level_shift(pt->start_level));
}

static u64 ia_limit(const struct pgtable *pt)
{
	return pt->ia_bits >= 64 ? ~0UL : 1UL << pt->ia_bits;
}

/* ---- Descriptors ---- */

u64 pt_leaf_pte(enum pt_format format, u64 pa, pt_prot_t prot, unsigned level)
{
	u64 pte = (pa & PTE_ADDR_MASK) | PTE_VALID | PTE_AF;
	bool device = prot & PT_DEVICE;

	if (level == 3)
		pte |= PTE_TABLE; /* the page descriptor type */
	if (!(prot & PT_X))
		pte |= PTE_XN;
	if (format == PT_S2) {
		pte |= device ? PTE_S2_MEMATTR_DEVICE :
				PTE_S2_MEMATTR_NORMAL | PTE_SH_INNER;
		if (prot & PT_R)
			pte |= PTE_S2_AP_R;
		if (prot & PT_W)
			pte |= PTE_S2_AP_W;
	} else {
		pte |= device ? PTE_S1_ATTRIDX(MAIR_IDX_DEVICE) :
				PTE_S1_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER;
		/* Stage 1 at EL2 cannot deny reads of a valid mapping. */
		pte |= (prot & PT_W) ? PTE_S1_AP_RW : PTE_S1_AP_RO;
	}
	return pte;
}

pt_prot_t pt_pte_prot(enum pt_format format, u64 pte)
{
	pt_prot_t prot = 0;

	if (!(pte & PTE_XN))
		prot |= PT_X;
	if (format == PT_S2) {
		if ((pte & PTE_S2_MEMATTR_MASK) != PTE_S2_MEMATTR_NORMAL)
			prot |= PT_DEVICE;
		if (pte & PTE_S2_AP_R)
			prot |= PT_R;
		if (pte & PTE_S2_AP_W)
			prot |= PT_W;
	} else {
		if ((pte & PTE_S1_ATTRIDX_MASK) != PTE_S1_ATTRIDX(MAIR_IDX_NORMAL))
			prot |= PT_DEVICE;
		prot |= PT_R;
		if ((pte & (3UL << 6)) == PTE_S1_AP_RW)
			prot |= PT_W;
	}
	return prot;
}

static u64 *table_va(const struct pgtable *pt, u64 pte)
{
	return pt->mm->phys_to_virt(pt->mm->ctx, pte_addr(pte));
}

/* ---- Entry updates with the TLB maintenance the Arm ARM requires ---- */

static void write_pte(u64 *ptep, u64 pte)
{
	__atomic_store_n(ptep, pte, __ATOMIC_RELEASE);
}

static void tlb_inval(const struct pgtable *pt, u64 ia, unsigned level,
		      bool whole_subtree)
{
	if (!pt->live)
		return;
	if (whole_subtree)
		pt->mm->tlb_inval_all(pt->mm->ctx, pt);
	else
		pt->mm->tlb_inval_ia(pt->mm->ctx, pt, ia, level);
}

/*
 * Replaces a live valid entry by break-before-make (D8.14.1): invalid first,
 * TLBs invalidated, then the new entry. A table being replaced may have
 * cached walks for its whole range, so that flushes everything.
 */
static void replace_pte(const struct pgtable *pt, u64 *ptep, u64 new,
			u64 ia, unsigned level)
{
	u64 old = *ptep;

	if (pte_valid(old)) {
		write_pte(ptep, 0);
		tlb_inval(pt, ia, level, pte_is_table(old, level));
	}
	write_pte(ptep, new);
}

/*
 * Makes the entry at ptep (level < 3) a table. An invalid entry gets an
 * empty table; a block is split into a table of next-level leaves with the
 * same output and attributes, so nothing it mapped changes.
 */
static int make_table(const struct pgtable *pt, u64 *ptep, u64 ia,
		      unsigned level)
{
	u64 old = *ptep;
	u64 *child = pt->mm->zalloc_pages(pt->mm->ctx, 1);

	if (!child)
		return -ENOMEM;
	if (pte_valid(old)) {
		u64 step = pt_level_size(level + 1);
		/* Keep the attributes, fix the descriptor type per level. */
		u64 attrs = old & ~PTE_ADDR_MASK & ~PTE_TABLE;

		if (level + 1 == 3)
			attrs |= PTE_TABLE;
		for (unsigned i = 0; i < PT_ENTRIES; i++)
			child[i] = attrs | (pte_addr(old) + i * step);
	}
	u64 table = pt->mm->virt_to_phys(pt->mm->ctx, child) | PTE_VALID |
		    PTE_TABLE;
	replace_pte(pt, ptep, table, ia, level);
	return 0;
}

/* Frees a table of level-`level` entries and every table below it. */
static void free_table_tree(const struct pgtable *pt, u64 *table,
			    unsigned level)
{
	for (unsigned i = 0; level < 3 && i < PT_ENTRIES; i++)
		if (pte_is_table(table[i], level))
			free_table_tree(pt, table_va(pt, table[i]), level + 1);
	pt->mm->free_pages(pt->mm->ctx, table, 1);
}

/* ---- The walker ---- */

struct walk_state {
	struct pgtable *pt;
	const struct pt_walker *w;
	u64 cursor; /* first address not yet visited */
	u64 start, end;
};

static int walk_table(struct walk_state *ws, u64 *table, unsigned level,
		      u64 table_ia, u64 nr_entries);

static int call(struct walk_state *ws, u64 *ptep, u64 ia, unsigned level,
		enum pt_visit_kind kind)
{
	struct pt_visit v = {
		.pt = ws->pt, .ptep = ptep, .ia = ia, .level = level,
		.start = ws->start, .end = ws->end,
	};

	if (!(ws->w->kinds & kind))
		return 0;
	return ws->w->fn(&v, kind, ws->w->arg);
}

static int walk_entry(struct walk_state *ws, u64 *ptep, u64 ia,
		      unsigned level)
{
	bool table = pte_is_table(*ptep, level);
	int ret;

	ret = call(ws, ptep, ia, level,
		   table ? PT_VISIT_TABLE_PRE : PT_VISIT_LEAF);
	if (ret)
		return ret;
	/* The visitor may have turned a leaf into a table or back. */
	if (!pte_is_table(*ptep, level)) {
		u64 next = ia + pt_level_size(level);

		ws->cursor = next < ws->end && next > ia ? next : ws->end;
		return 0;
	}
	ret = walk_table(ws, table_va(ws->pt, *ptep), level + 1, ia,
			 PT_ENTRIES);
	if (ret)
		return ret;
	return call(ws, ptep, ia, level, PT_VISIT_TABLE_POST);
}

static int walk_table(struct walk_state *ws, u64 *table, unsigned level,
		      u64 table_ia, u64 nr_entries)
{
	unsigned shift = pt_level_shift(level);

	for (u64 i = (ws->cursor - table_ia) >> shift;
	     i < nr_entries && ws->cursor < ws->end; i++) {
		int ret = walk_entry(ws, &table[i], table_ia + (i << shift),
				     level);
		if (ret)
			return ret;
	}
	return 0;
}

int pt_walk(struct pgtable *pt, u64 ia, u64 size, const struct pt_walker *w)
{
	struct walk_state ws = {
		.pt = pt, .w = w, .cursor = ia, .start = ia, .end = ia + size,
	};

	if (size == 0 || ia + size < ia || ia + size > ia_limit(pt))
		return -EINVAL;
	return walk_table(&ws, pt->root, pt->start_level, 0, root_entries(pt));
}

/* ---- Set-up and tear-down ---- */

int pt_init(struct pgtable *pt, enum pt_format format, unsigned ia_bits,
	    const struct pt_mm_ops *mm)
{
	unsigned pages;

	if (ia_bits < 25 || ia_bits > 48)
		return -EINVAL;
	pages = pt_root_pages(format, ia_bits);
	*pt = (struct pgtable){
		.format = format,
		.ia_bits = ia_bits,
		.start_level = pt_start_level(format, ia_bits),
		.root_pages = pages,
		.mm = mm,
	};
	pt->root = mm->zalloc_pages(mm->ctx, pages);
	if (!pt->root)
		return -ENOMEM;
	pt->root_pa = mm->virt_to_phys(mm->ctx, pt->root);
	return 0;
}

void pt_destroy(struct pgtable *pt)
{
	u64 n = root_entries(pt);

	if (!pt->root)
		return;
	for (u64 i = 0; pt->start_level < 3 && i < n; i++)
		if (pte_is_table(pt->root[i], pt->start_level))
			free_table_tree(pt, table_va(pt, pt->root[i]),
					pt->start_level + 1);
	pt->mm->free_pages(pt->mm->ctx, pt->root, pt->root_pages);
	pt->root = NULL;
}

/* ---- Map ---- */

struct map_args {
	u64 pa_minus_ia; /* pa of an entry = its ia + this (mod 2^64) */
	pt_prot_t prot;
	unsigned top_level; /* largest leaf allowed: 1, 2 or 3 */
	struct pt_map_stats *stats;
};

static bool covers(const struct pt_visit *v)
{
	u64 size = pt_level_size(v->level);

	return v->ia >= v->start && v->ia + size - 1 <= v->end - 1;
}

static bool leaf_fits(const struct pt_visit *v, const struct map_args *a)
{
	u64 pa = v->ia + a->pa_minus_ia;

	return v->level >= a->top_level && covers(v) &&
	       IS_ALIGNED(pa, pt_level_size(v->level));
}

static int map_visit(const struct pt_visit *v, enum pt_visit_kind kind,
		     void *arg)
{
	struct map_args *a = arg;
	const struct pgtable *pt = v->pt;

	if (!leaf_fits(v, a)) {
		/* A table is needed here: the walker will descend into it. */
		if (kind == PT_VISIT_LEAF)
			return make_table(pt, v->ptep, v->ia, v->level);
		return 0;
	}
	u64 new = pt_leaf_pte(pt->format, v->ia + a->pa_minus_ia, a->prot,
			      v->level);
	u64 old = *v->ptep;

	if (kind == PT_VISIT_TABLE_PRE) {
		/* A block now fits where a table was: free the table. */
		replace_pte(pt, v->ptep, new, v->ia, v->level);
		free_table_tree(pt, table_va(pt, old), v->level + 1);
	} else if (old != new) {
		replace_pte(pt, v->ptep, new, v->ia, v->level);
	}
	if (a->stats)
		a->stats->leaves[v->level]++;
	return 0;
}

static int map_range(struct pgtable *pt, u64 ia, u64 pa, u64 size,
		     pt_prot_t prot, unsigned top_level,
		     struct pt_map_stats *stats)
{
	struct map_args args = {
		.pa_minus_ia = pa - ia,
		.prot = prot,
		.top_level = top_level,
		.stats = stats,
	};
	const struct pt_walker w = {
		.fn = map_visit,
		.arg = &args,
		.kinds = PT_VISIT_LEAF | PT_VISIT_TABLE_PRE,
	};

	if (!IS_ALIGNED(ia | pa | size, PAGE_SIZE) || pa + size < pa ||
	    pa + size > (1UL << 48))
		return -EINVAL;
	return pt_walk(pt, ia, size, &w);
}

int pt_map(struct pgtable *pt, u64 ia, u64 pa, u64 size, pt_prot_t prot,
	   struct pt_map_stats *stats)
{
	return map_range(pt, ia, pa, size, prot, 1, stats);
}

int pt_map_pages(struct pgtable *pt, u64 ia, u64 pa, u64 size, pt_prot_t prot,
		 struct pt_map_stats *stats)
{
	return map_range(pt, ia, pa, size, prot, 3, stats);
}

/* ---- Unmap ---- */

static bool table_empty(const u64 *table)
{
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (table[i])
			return false;
	return true;
}

static int unmap_visit(const struct pt_visit *v, enum pt_visit_kind kind,
		       void *arg __unused)
{
	const struct pgtable *pt = v->pt;
	u64 old = *v->ptep;

	if (kind == PT_VISIT_TABLE_POST) {
		u64 *child = table_va(pt, old);

		if (table_empty(child)) {
			replace_pte(pt, v->ptep, 0, v->ia, v->level);
			pt->mm->free_pages(pt->mm->ctx, child, 1);
		}
		return 0;
	}
	if (!pte_valid(old)) {
		if (old && covers(v)) /* a reservation (pt_clear_leaves) */
			write_pte(v->ptep, 0);
		return 0;
	}
	if (covers(v)) {
		replace_pte(pt, v->ptep, 0, v->ia, v->level);
		return 0;
	}
	/* A block straddles an edge of the range: split it, then descend. */
	return make_table(pt, v->ptep, v->ia, v->level);
}

int pt_unmap(struct pgtable *pt, u64 ia, u64 size)
{
	const struct pt_walker w = {
		.fn = unmap_visit,
		.kinds = PT_VISIT_LEAF | PT_VISIT_TABLE_POST,
	};

	if (!IS_ALIGNED(ia | size, PAGE_SIZE))
		return -EINVAL;
	return pt_walk(pt, ia, size, &w);
}

/* ---- Clear leaves, keep tables ---- */

static int clear_visit(const struct pt_visit *v, enum pt_visit_kind kind __unused,
		       void *arg)
{
	u64 *cleared = arg;

	if (!pte_valid(*v->ptep))
		return 0;
	if (!covers(v))
		return make_table(v->pt, v->ptep, v->ia, v->level);
	write_pte(v->ptep, PTE_RESERVED);
	(*cleared)++;
	return 0;
}

int pt_clear_leaves(struct pgtable *pt, u64 ia, u64 size)
{
	u64 cleared = 0;
	const struct pt_walker w = {
		.fn = clear_visit,
		.arg = &cleared,
		.kinds = PT_VISIT_LEAF,
	};
	int ret;

	if (!IS_ALIGNED(ia | size, PAGE_SIZE))
		return -EINVAL;
	ret = pt_walk(pt, ia, size, &w);
	/* The break of break-before-make, for all of them at once: after
	 * this no CPU translates through a cleared entry. */
	if (cleared)
		tlb_inval(pt, 0, 0, true);
	return ret;
}

/* ---- Protect ---- */

struct protect_args {
	pt_prot_t prot;
	struct pt_tlb_batch *batch;
};

static int protect_visit(const struct pt_visit *v,
			 enum pt_visit_kind kind __unused, void *arg)
{
	struct protect_args *a = arg;
	const struct pgtable *pt = v->pt;
	u64 old = *v->ptep;

	if (!pte_valid(old))
		return 0;
	if (!covers(v))
		return make_table(pt, v->ptep, v->ia, v->level);

	pt_prot_t type = pt_pte_prot(pt->format, old) & PT_DEVICE;
	u64 new = pt_leaf_pte(pt->format, pte_addr(old), a->prot | type,
			      v->level);

	if (new == old)
		return 0;
	/* Only the rights change: no break-before-make is needed (D8.14.1),
	 * and the TLBs are invalidated once the batch is done. */
	write_pte(v->ptep, new);
	struct pt_tlb_batch *b = a->batch;
	if (pt_pte_prot(pt->format, old) & ~pt_pte_prot(pt->format, new))
		b->restricted = true;
	if (b->changed++ == 0) {
		b->first_ia = v->ia;
		b->first_level = v->level;
	}
	return 0;
}

int pt_protect_batched(struct pgtable *pt, u64 ia, u64 size, pt_prot_t prot,
		       struct pt_tlb_batch *batch)
{
	struct protect_args args = { .prot = prot & ~PT_DEVICE, .batch = batch };
	const struct pt_walker w = {
		.fn = protect_visit,
		.arg = &args,
		.kinds = PT_VISIT_LEAF,
	};

	if (!IS_ALIGNED(ia | size, PAGE_SIZE))
		return -EINVAL;
	return pt_walk(pt, ia, size, &w);
}

void pt_tlb_batch_flush(struct pgtable *pt, struct pt_tlb_batch *b)
{
	if (b->changed == 1 && !b->restricted && pt->live &&
	    pt->mm->tlb_inval_ia_local)
		/* Rights only granted: only the faulting CPU can hold the old
		 * entry, and it would only fault again. */
		pt->mm->tlb_inval_ia_local(pt->mm->ctx, pt, b->first_ia,
					   b->first_level);
	else if (b->changed == 1)
		tlb_inval(pt, b->first_ia, b->first_level, false);
	else if (b->changed > 1)
		tlb_inval(pt, 0, 0, true);
	*b = (struct pt_tlb_batch){ 0 };
}

int pt_protect(struct pgtable *pt, u64 ia, u64 size, pt_prot_t prot)
{
	struct pt_tlb_batch b = { 0 };
	int ret = pt_protect_batched(pt, ia, size, prot, &b);

	pt_tlb_batch_flush(pt, &b);
	return ret;
}

/* ---- Lookup and dump ---- */

int pt_lookup(const struct pgtable *pt, u64 ia, u64 *pa, pt_prot_t *prot,
	      unsigned *level)
{
	const u64 *table = pt->root;
	unsigned l = pt->start_level;

	if (ia >= ia_limit(pt))
		return -ENOENT;
	for (;; l++) {
		u64 shift = pt_level_shift(l);
		u64 index = (ia >> shift) & (l == pt->start_level ?
					     root_entries(pt) - 1 :
					     PT_ENTRIES - 1);
		u64 pte = table[index];

		if (!pte_valid(pte))
			return -ENOENT;
		if (pte_is_table(pte, l)) {
			table = table_va(pt, pte);
			continue;
		}
		if (pa)
			*pa = pte_addr(pte) + (ia & (pt_level_size(l) - 1));
		if (prot)
			*prot = pt_pte_prot(pt->format, pte);
		if (level)
			*level = l;
		return 0;
	}
}

struct dump_args {
	pt_dump_fn fn;
	void *arg;
	bool have_run;
	u64 ia, pa, size;
	pt_prot_t prot;
	unsigned level;
};

static void dump_flush(struct dump_args *d)
{
	if (d->have_run)
		d->fn(d->arg, d->ia, d->pa, d->size, d->prot, d->level);
	d->have_run = false;
}

static int dump_visit(const struct pt_visit *v,
		      enum pt_visit_kind kind __unused, void *arg)
{
	struct dump_args *d = arg;
	u64 pte = *v->ptep;

	if (!pte_valid(pte)) {
		dump_flush(d);
		return 0;
	}
	u64 size = pt_level_size(v->level);
	pt_prot_t prot = pt_pte_prot(v->pt->format, pte);

	if (d->have_run && d->ia + d->size == v->ia &&
	    d->pa + d->size == pte_addr(pte) && d->prot == prot &&
	    d->level == v->level) {
		d->size += size;
		return 0;
	}
	dump_flush(d);
	*d = (struct dump_args){
		.fn = d->fn, .arg = d->arg, .have_run = true, .ia = v->ia,
		.pa = pte_addr(pte), .size = size, .prot = prot,
		.level = v->level,
	};
	return 0;
}

int pt_dump(struct pgtable *pt, u64 ia, u64 size, pt_dump_fn fn, void *arg)
{
	struct dump_args d = { .fn = fn, .arg = arg };
	const struct pt_walker w = {
		.fn = dump_visit,
		.arg = &d,
		.kinds = PT_VISIT_LEAF,
	};
	int ret = pt_walk(pt, ia, size, &w);

	dump_flush(&d);
	return ret;
}
