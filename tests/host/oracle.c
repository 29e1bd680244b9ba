/* The stage-2 oracle (see oracle.h). Nothing here calls mm/: the descriptor
 * layout below is taken from the Arm ARM, so a wrong bit in pgtable.h shows
 * up as a difference instead of being agreed with. */
#include <stdio.h>
#include <string.h>

#include "guest_platform.h"
#include "oracle.h"

/* Stage-2 descriptors with the 4 KiB granule (Arm ARM D8.3). */
#define D_VALID 0x1UL
#define D_TYPE 0x2UL                  /* table (levels 0-2), page (3) */
#define D_OA 0x0000fffffffff000UL     /* bits [47:12] */
#define D_MEMATTR 0x3cUL              /* MemAttr[3:0], bits [5:2] */
#define D_MEMATTR_NORMAL_WB 0x3cUL    /* 0b1111: outer and inner WB */
#define D_MEMATTR_DEVICE_NGNRE 0x04UL /* 0b0001 */
#define D_S2AP_R 0x40UL               /* S2AP[0], bit 6 */
#define D_S2AP_W 0x80UL               /* S2AP[1], bit 7 */
#define D_SH 0x300UL                  /* bits [9:8]; 0b11: inner */
#define D_AF 0x400UL                  /* bit 10 */
#define D_XN 0x40000000000000UL       /* XN[1], bit 54: never execute */
#define D_S2_LEAF_BITS (D_VALID | D_TYPE | D_OA | D_MEMATTR | D_S2AP_R | \
			D_S2AP_W | D_SH | D_AF | D_XN)

/* Bits of input address a level resolves start here: 39, 30, 21, 12. */
static unsigned shift_of(unsigned level)
{
	return 39 - 9 * level;
}

static u64 span_of(unsigned level)
{
	return 1UL << shift_of(level);
}

static u64 *table_at(u64 desc)
{
	return (u64 *)(uintptr_t)(desc & D_OA);
}

static bool is_table(u64 desc, unsigned level)
{
	return level < 3 && (desc & (D_VALID | D_TYPE)) == (D_VALID | D_TYPE);
}

/* Entries of the root: the input bits above the start level's shift. */
static u64 root_entries(const struct pgtable *pt)
{
	return 1UL << (pt->ia_bits - shift_of(pt->start_level));
}

pt_prot_t oracle_slot_prot(u32 flags)
{
	pt_prot_t prot = PT_R;

	if (!(flags & (SLOT_READONLY | SLOT_LOG_DIRTY)))
		prot |= PT_W;
	if (!(flags & (SLOT_NOEXEC | SLOT_DEVICE)))
		prot |= PT_X;
	if (flags & SLOT_DEVICE)
		prot |= PT_DEVICE;
	return prot;
}

/* ---- The model ---- */

static void sort_segs(struct oracle_model *m)
{
	for (u32 i = 1; i < m->n; i++)
		for (u32 j = i; j > 0 &&
		     m->seg[j].ipa < m->seg[j - 1].ipa; j--) {
			struct oracle_seg t = m->seg[j];

			m->seg[j] = m->seg[j - 1];
			m->seg[j - 1] = t;
		}
}

void oracle_model_init(struct oracle_model *m, const struct vm_config *vm,
		       const struct platform *plat)
{
	memset(m, 0, sizeof(*m));
	m->fresh = true;
	for (u32 i = 0; i < vm->nr_slots && m->n < ORACLE_MAX_SEGS; i++) {
		const struct memslot *s = &vm->slots[i];

		m->seg[m->n++] = (struct oracle_seg){
			.ipa = ipa_val(s->ipa),
			.size = s->size,
			.pa = pa_val(s->pa),
			.prot = oracle_slot_prot(s->flags),
			/* Dirty logging tracks pages: no blocks. */
			.top_level = (s->flags & SLOT_LOG_DIRTY) ? 3 : 1,
			.slot = (int)i,
		};
	}
	/* GICv2: the guest's CPU interface is the GICV frame, mapped. */
	if (plat->gic.version == GIC_V2 && plat->gic.gicv)
		m->seg[m->n++] = (struct oracle_seg){
			.ipa = VIRT_GICC_BASE,
			.size = VIRT_GICC_SIZE,
			.pa = plat->gic.gicv,
			.prot = PT_R | PT_W | PT_DEVICE,
			.top_level = 1,
			.slot = -1,
		};
	sort_segs(m);
}

/* Rebuilds the model with [ipa, ipa + size) cut out of every segment, or,
 * when protect, given new rights. Then joins neighbours that translate
 * alike, so the model is a function of IPA and nothing else. */
static void model_change(struct oracle_model *m, u64 ipa, u64 size,
			 bool protect, pt_prot_t prot)
{
	static struct oracle_seg out[ORACLE_MAX_SEGS];
	u64 end = ipa + size;
	u32 n = 0;

	for (u32 i = 0; i < m->n; i++) {
		struct oracle_seg s = m->seg[i];
		u64 s_end = s.ipa + s.size;
		u64 lo = MAX(s.ipa, ipa), hi = MIN(s_end, end);

		if (lo >= hi) {
			out[n++] = s;
			continue;
		}
		if (s.ipa < lo) {
			out[n] = s;
			out[n++].size = lo - s.ipa;
		}
		if (protect) {
			out[n] = s;
			out[n].ipa = lo;
			out[n].pa = s.pa + (lo - s.ipa);
			out[n].size = hi - lo;
			out[n++].prot = (prot & PT_RWX) | (s.prot & PT_DEVICE);
		}
		if (hi < s_end) {
			out[n] = s;
			out[n].ipa = hi;
			out[n].pa = s.pa + (hi - s.ipa);
			out[n++].size = s_end - hi;
		}
		if (n + 3 > ORACLE_MAX_SEGS)
			break; /* the tests stay far below this */
	}
	m->n = 0;
	for (u32 i = 0; i < n; i++) {
		struct oracle_seg *last = m->n ? &m->seg[m->n - 1] : NULL;

		if (last && last->ipa + last->size == out[i].ipa &&
		    last->pa + last->size == out[i].pa &&
		    last->prot == out[i].prot &&
		    last->top_level == out[i].top_level) {
			last->size += out[i].size;
			continue;
		}
		m->seg[m->n++] = out[i];
	}
	m->fresh = false;
}

void oracle_model_unmap(struct oracle_model *m, u64 ipa, u64 size)
{
	model_change(m, ipa, size, false, 0);
}

void oracle_model_protect(struct oracle_model *m, u64 ipa, u64 size,
			  pt_prot_t prot)
{
	model_change(m, ipa, size, true, prot);
}

static struct oracle_seg *find_seg(struct oracle_model *m, u64 ipa)
{
	u32 lo = 0, hi = m->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		struct oracle_seg *s = &m->seg[mid];

		if (ipa < s->ipa)
			hi = mid;
		else if (ipa - s->ipa >= s->size)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

bool oracle_model_lookup(const struct oracle_model *m, u64 ipa, u64 *pa,
			 pt_prot_t *prot)
{
	struct oracle_seg *s = find_seg((struct oracle_model *)m, ipa);

	if (!s)
		return false;
	*pa = s->pa + (ipa - s->ipa);
	*prot = s->prot;
	return true;
}

/* ---- Walking ---- */

u64 *oracle_entry(const struct pgtable *pt, u64 ia, unsigned level)
{
	u64 *table = pt->root;
	unsigned l = pt->start_level;
	u64 index;

	if (ia >> pt->ia_bits || level < l || level > 3)
		return NULL;
	index = ia >> shift_of(l); /* the root may be concatenated */
	for (;;) {
		u64 *entry = &table[index];

		if (l == level)
			return entry;
		if (!is_table(*entry, l))
			return NULL;
		table = table_at(*entry);
		l++;
		index = (ia >> shift_of(l)) & 511;
	}
}

bool oracle_leaf(const struct pgtable *pt, u64 ia, u64 *pte, unsigned *level)
{
	for (unsigned l = pt->start_level; l <= 3; l++) {
		u64 *entry = oracle_entry(pt, ia, l);

		if (!entry || !(*entry & D_VALID))
			return false;
		if (!is_table(*entry, l)) {
			*pte = *entry;
			*level = l;
			return true;
		}
	}
	return false;
}

u64 oracle_leaf_pa(u64 pte, unsigned level, u64 ia)
{
	u64 span = span_of(level);

	return (pte & D_OA & ~(span - 1)) | (ia & (span - 1));
}

bool oracle_s2_prot(u64 pte, pt_prot_t *prot, char *err, size_t err_len)
{
	u64 memattr = pte & D_MEMATTR;

	*prot = 0;
	if (pte & ~D_S2_LEAF_BITS) {
		snprintf(err, err_len, "stray bits 0x%lx", pte & ~D_S2_LEAF_BITS);
		return false;
	}
	if (!(pte & D_AF)) {
		snprintf(err, err_len, "access flag clear: every access faults");
		return false;
	}
	if (memattr == D_MEMATTR_DEVICE_NGNRE) {
		*prot |= PT_DEVICE;
	} else if (memattr != D_MEMATTR_NORMAL_WB) {
		snprintf(err, err_len, "MemAttr 0x%lx is neither Normal WB nor Device-nGnRE",
			 memattr >> 2);
		return false;
	} else if ((pte & D_SH) != D_SH) {
		snprintf(err, err_len, "Normal memory not Inner Shareable");
		return false;
	}
	if (pte & D_S2AP_R)
		*prot |= PT_R;
	if (pte & D_S2AP_W)
		*prot |= PT_W;
	if (!(pte & D_XN))
		*prot |= PT_X;
	return true;
}

struct check_state {
	const struct pgtable *pt;
	struct oracle_model *m;
	struct oracle_seg *last; /* leaves come in IPA order: often the same */
	u64 tables;
	char *err;
	size_t err_len;
};

/* The largest leaf a fresh build must use at ia inside s: the first level
 * (largest block first) whose aligned block around ia lies inside the slot
 * with its output aligned too. */
static unsigned expected_level(const struct check_state *cs,
			       const struct oracle_seg *s, u64 ia)
{
	unsigned l = MAX(MAX(s->top_level, cs->pt->start_level), 1u);

	for (; l < 3; l++) {
		u64 span = span_of(l), base = ia & ~(span - 1);

		if (base >= s->ipa && base + span <= s->ipa + s->size &&
		    !((s->pa + (base - s->ipa)) & (span - 1)))
			break;
	}
	return l;
}

static bool check_leaf(struct check_state *cs, u64 pte, u64 ia,
		       unsigned level)
{
	u64 span = span_of(level), oa = pte & D_OA;
	struct oracle_seg *s = cs->last;
	pt_prot_t prot;
	char why[96];

	if (level == 0 || (level == 3 && !(pte & D_TYPE))) {
		snprintf(cs->err, cs->err_len,
			 "IPA 0x%lx: descriptor 0x%lx is not a valid leaf at level %u",
			 ia, pte, level);
		return false;
	}
	if (oa & (span - 1)) {
		snprintf(cs->err, cs->err_len,
			 "IPA 0x%lx: level-%u block 0x%lx has address bits below its size",
			 ia, level, pte);
		return false;
	}
	if (!s || ia < s->ipa || ia - s->ipa >= s->size)
		s = cs->last = find_seg(cs->m, ia);
	if (!oracle_s2_prot(pte, &prot, why, sizeof(why))) {
		snprintf(cs->err, cs->err_len, "IPA 0x%lx: descriptor 0x%lx: %s",
			 ia, pte, why);
		return false;
	}
	if (!s || ia + span > s->ipa + s->size) {
		snprintf(cs->err, cs->err_len,
			 "IPA 0x%lx-0x%lx translates (level %u, to 0x%lx) but %s",
			 ia, ia + span - 1, level, oa,
			 s ? "runs past the end of its slot" : "is in no slot");
		return false;
	}
	if (oa != s->pa + (ia - s->ipa) || prot != s->prot) {
		snprintf(cs->err, cs->err_len,
			 "IPA 0x%lx (slot %d at 0x%lx): translates to 0x%lx prot 0x%x, expected 0x%lx prot 0x%x",
			 ia, s->slot, s->ipa, oa, prot, s->pa + (ia - s->ipa),
			 s->prot);
		return false;
	}
	if (level < s->top_level) {
		snprintf(cs->err, cs->err_len,
			 "IPA 0x%lx: a level-%u block where only pages may be",
			 ia, level);
		return false;
	}
	if (cs->m->fresh && level != expected_level(cs, s, ia)) {
		snprintf(cs->err, cs->err_len,
			 "IPA 0x%lx (slot %d at 0x%lx -> 0x%lx): a level-%u leaf where level %u fits",
			 ia, s->slot, s->ipa, s->pa, level,
			 expected_level(cs, s, ia));
		return false;
	}
	s->covered += span;
	s->leaves[level]++;
	return true;
}

static bool check_table(struct check_state *cs, const u64 *table,
			unsigned level, u64 base, u64 entries)
{
	bool any = false;

	for (u64 i = 0; i < entries; i++) {
		u64 desc = table[i], ia = base + (i << shift_of(level));

		if (!(desc & D_VALID))
			continue;
		any = true;
		if (!is_table(desc, level)) {
			if (!check_leaf(cs, desc, ia, level))
				return false;
			continue;
		}
		if (desc & ~(D_OA | D_VALID | D_TYPE)) {
			snprintf(cs->err, cs->err_len,
				 "IPA 0x%lx: table descriptor 0x%lx has stray bits",
				 ia, desc);
			return false;
		}
		cs->tables++;
		if (!check_table(cs, table_at(desc), level + 1, ia, 512))
			return false;
	}
	if (!any && level > cs->pt->start_level) {
		snprintf(cs->err, cs->err_len,
			 "an empty level-%u table for IPA 0x%lx was kept", level,
			 base);
		return false;
	}
	return true;
}

bool oracle_check(const struct pgtable *pt, struct oracle_model *m,
		  u64 *table_pages, char *err, size_t err_len)
{
	struct check_state cs = { pt, m, NULL, 0, err, err_len };
	unsigned root_bits;
	u64 root_pages;

	if (pt->format != PT_S2 || pt->start_level > 3 ||
	    pt->ia_bits <= shift_of(pt->start_level)) {
		snprintf(err, err_len, "not a stage-2 table (start level %u, %u bits)",
			 pt->start_level, pt->ia_bits);
		return false;
	}
	/* A root resolves at most 9 bits, 13 with 16 concatenated tables. */
	root_bits = pt->ia_bits - shift_of(pt->start_level);
	if (root_bits > 13 || (pt->start_level == 0 && root_bits > 9)) {
		snprintf(err, err_len, "%u-bit IPA cannot start at level %u",
			 pt->ia_bits, pt->start_level);
		return false;
	}
	root_pages = root_bits > 9 ? 1UL << (root_bits - 9) : 1;
	/* Concatenated tables are aligned to their total size. */
	if (pt->root_pa != (u64)(uintptr_t)pt->root ||
	    (pt->root_pa & (root_pages * PAGE_SIZE - 1))) {
		snprintf(err, err_len, "root at 0x%lx is not aligned to its %lu pages",
			 pt->root_pa, root_pages);
		return false;
	}
	for (u32 i = 0; i < m->n; i++) {
		m->seg[i].covered = 0;
		memset(m->seg[i].leaves, 0, sizeof(m->seg[i].leaves));
	}
	if (!check_table(&cs, pt->root, pt->start_level, 0, root_entries(pt)))
		return false;
	for (u32 i = 0; i < m->n; i++) {
		const struct oracle_seg *s = &m->seg[i];

		if (s->covered != s->size) {
			snprintf(err, err_len,
				 "slot %d IPA 0x%lx-0x%lx: only 0x%lx of 0x%lx bytes translate",
				 s->slot, s->ipa, s->ipa + s->size - 1,
				 s->covered, s->size);
			return false;
		}
	}
	*table_pages = cs.tables + root_pages;
	return true;
}
