/*
 * Arm VMSAv8-64 translation tables with the 4 KiB granule, for the EL2
 * stage-1 regime and for stage 2, built by one generic walker.
 *
 * Levels are numbered as in the Arm ARM (D8.2): level 0 resolves IA bits
 * [47:39], level 1 [38:30], level 2 [29:21], level 3 [20:12]. Blocks exist at
 * levels 1 (1 GiB) and 2 (2 MiB); level 3 entries are pages. A stage-2 root
 * may be several concatenated tables (D8.2.7).
 *
 * The walker visits every entry overlapping a range: LEAF for entries that
 * are not tables (invalid, block or page), TABLE_PRE before descending into
 * a table and TABLE_POST after. A LEAF visitor may turn its entry into a
 * table, and the walker then descends into it; a TABLE_PRE visitor may turn
 * a table into a leaf, and the walker then does not. Map, unmap, protect and
 * dump are small visitors. Pages come from injected allocator callbacks, so
 * the same code is tested on the host.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include "types.h"

#define PT_LEVELS 4
#define PT_ENTRIES 512

static inline unsigned pt_level_shift(unsigned level)
{
	return PAGE_SHIFT + 9 * (3 - level);
}

static inline u64 pt_level_size(unsigned level)
{
	return 1UL << pt_level_shift(level);
}

/* Access rights and memory type of a mapping, independent of format. */
#define PT_R BIT(0)
#define PT_W BIT(1)
#define PT_X BIT(2)
#define PT_DEVICE BIT(3) /* Device-nGnRE; otherwise Normal write-back */
#define PT_RW (PT_R | PT_W)
#define PT_RWX (PT_R | PT_W | PT_X)
#define PT_RX (PT_R | PT_X)
typedef u32 pt_prot_t;

enum pt_format {
	PT_S1_EL2, /* EL2 stage 1 (non-VHE): AP[1] RES1, one XN bit */
	PT_S2,     /* stage 2: S2AP read/write, MemAttr */
};

/* Stage-1 MAIR_EL2 indices the stage-1 encoding uses (mmu.c programs them). */
#define MAIR_IDX_NORMAL 0 /* 0xff: Normal, inner/outer write-back */
#define MAIR_IDX_DEVICE 1 /* 0x04: Device-nGnRE */
#define MAIR_EL2_VALUE 0x04ffUL

struct pgtable;

struct pt_mm_ops {
	/* n zeroed, contiguous pages aligned to n pages, or NULL when there
	 * is no such run (n > 1 only for concatenated stage-2 roots). */
	void *(*zalloc_pages)(void *ctx, unsigned n);
	void (*free_pages)(void *ctx, void *pages, unsigned n);
	u64 (*virt_to_phys)(void *ctx, void *va);
	void *(*phys_to_virt)(void *ctx, u64 pa);
	/* Invalidate cached translations of ia (leaf at level) or of the
	 * whole table's address space; called only when pt->live. */
	void (*tlb_inval_ia)(void *ctx, const struct pgtable *pt, u64 ia,
			     unsigned level);
	void (*tlb_inval_all)(void *ctx, const struct pgtable *pt);
	/* Optional: ia on this CPU only, after rights were only granted. */
	void (*tlb_inval_ia_local)(void *ctx, const struct pgtable *pt, u64 ia,
				   unsigned level);
	void *ctx;
};

struct pgtable {
	enum pt_format format;
	unsigned ia_bits;     /* input address size */
	unsigned start_level; /* level of the root */
	unsigned root_pages;  /* concatenated root tables (stage 2) */
	u64 *root;
	u64 root_pa;
	u16 vmid;   /* stage 2: tags this table's TLB entries */
	bool live;  /* in use by hardware: changes need TLB maintenance */
	const struct pt_mm_ops *mm;
};

/* Level of the root for ia_bits: the stage-2 root may resolve up to 13 bits
 * through concatenation (at most 16 tables); a stage-1 root up to 9. */
unsigned pt_start_level(enum pt_format format, unsigned ia_bits);

/* Number of pages the root of such a table takes. */
unsigned pt_root_pages(enum pt_format format, unsigned ia_bits);

int pt_init(struct pgtable *pt, enum pt_format format, unsigned ia_bits,
	    const struct pt_mm_ops *mm);
/* Frees every table page, the root included. */
void pt_destroy(struct pgtable *pt);

/* Counts of leaves by level, filled in by pt_map when asked. */
struct pt_map_stats {
	u64 leaves[PT_LEVELS];
};

/* Maps [ia, ia + size) to [pa, pa + size) with prot, using the largest block
 * each piece's alignment allows. Replaces what was there (splitting blocks
 * that straddle the edges). 0, -EINVAL for unaligned or out-of-range
 * arguments, -ENOMEM when the allocator runs dry. */
int pt_map(struct pgtable *pt, u64 ia, u64 pa, u64 size, pt_prot_t prot,
	   struct pt_map_stats *stats);

/* Like pt_map, with 4 KiB pages only (dirty logging tracks pages). */
int pt_map_pages(struct pgtable *pt, u64 ia, u64 pa, u64 size, pt_prot_t prot,
		 struct pt_map_stats *stats);

/* Removes every mapping in [ia, ia + size), and pt_clear_leaves'
 * reservations there, freeing tables left empty. */
int pt_unmap(struct pgtable *pt, u64 ia, u64 size);

/* Makes every leaf in [ia, ia + size) invalid but keeps the tables, so that
 * mapping the same range again with pt_map allocates nothing: the entries
 * stay reserved (PTE_RESERVED), and a pt_unmap beside them frees no table
 * they are in. One TLB invalidation of the whole table (its VMID, stage 2)
 * at the end. */
int pt_clear_leaves(struct pgtable *pt, u64 ia, u64 size);

/* Changes the rights of every valid mapping in [ia, ia + size) to prot (the
 * memory type stays). Unmapped holes are left alone. */
int pt_protect(struct pgtable *pt, u64 ia, u64 size, pt_prot_t prot);

/* pt_protect over several ranges with one TLB invalidation at the end:
 * protect each range into a zeroed batch, then flush it (before relying
 * on rights taken away). */
struct pt_tlb_batch {
	u64 changed; /* live leaves whose rights changed */
	u64 first_ia;
	unsigned first_level;
	bool restricted; /* some right was taken away */
};
int pt_protect_batched(struct pgtable *pt, u64 ia, u64 size, pt_prot_t prot,
		       struct pt_tlb_batch *batch);
void pt_tlb_batch_flush(struct pgtable *pt, struct pt_tlb_batch *batch);

/* Looks up one address: 0 and the output address, rights and leaf level,
 * or -ENOENT when nothing maps it. */
int pt_lookup(const struct pgtable *pt, u64 ia, u64 *pa, pt_prot_t *prot,
	      unsigned *level);

/* Calls fn for each run of leaves in [ia, ia + size) that continue each
 * other (contiguous output, same rights, same level). */
typedef void (*pt_dump_fn)(void *arg, u64 ia, u64 pa, u64 size,
			   pt_prot_t prot, unsigned level);
int pt_dump(struct pgtable *pt, u64 ia, u64 size, pt_dump_fn fn, void *arg);

/* ---- The generic walker, for visitors beyond the ones above. ---- */

enum pt_visit_kind {
	PT_VISIT_LEAF = BIT(0),
	PT_VISIT_TABLE_PRE = BIT(1),
	PT_VISIT_TABLE_POST = BIT(2),
};

struct pt_visit {
	struct pgtable *pt;
	u64 *ptep;
	u64 ia;          /* first address the entry translates */
	unsigned level;
	u64 start, end;  /* the walk's range */
};

struct pt_walker {
	int (*fn)(const struct pt_visit *v, enum pt_visit_kind kind, void *arg);
	void *arg;
	unsigned kinds; /* PT_VISIT_* the visitor wants */
};

int pt_walk(struct pgtable *pt, u64 ia, u64 size, const struct pt_walker *w);

/* ---- Descriptors (Arm ARM D8.3). ---- */

#define PTE_VALID BIT(0)
#define PTE_TABLE BIT(1) /* levels 0-2: table, not block; level 3: page */
#define PTE_ADDR_MASK GENMASK(47, 12)
/* An invalid descriptor (bit 0 clear: the walker ignores the rest) that
 * pt_clear_leaves leaves behind: the entry is empty but reserved, so that
 * pt_unmap of a neighbour does not take its table for empty and free it. */
#define PTE_RESERVED BIT(55)
#define PTE_AF BIT(10)
#define PTE_SH_INNER (3UL << 8)
#define PTE_XN BIT(54)
#define PTE_S1_ATTRIDX(i) ((u64)(i) << 2)
#define PTE_S1_ATTRIDX_MASK (7UL << 2)
#define PTE_S1_AP_RW (1UL << 6) /* AP[2:1] = 01: AP[1] is RES1 at EL2 */
#define PTE_S1_AP_RO (3UL << 6)
#define PTE_S2_MEMATTR_MASK (0xfUL << 2)
#define PTE_S2_MEMATTR_NORMAL (0xfUL << 2) /* outer and inner write-back */
#define PTE_S2_MEMATTR_DEVICE (0x1UL << 2) /* Device-nGnRE */
#define PTE_S2_AP_R BIT(6)
#define PTE_S2_AP_W BIT(7)

static inline bool pte_valid(u64 pte)
{
	return pte & PTE_VALID;
}

static inline bool pte_is_table(u64 pte, unsigned level)
{
	return level < 3 && (pte & (PTE_VALID | PTE_TABLE)) ==
				    (PTE_VALID | PTE_TABLE);
}

static inline u64 pte_addr(u64 pte)
{
	return pte & PTE_ADDR_MASK;
}

/* The descriptor of a leaf (block or page) at level. */
u64 pt_leaf_pte(enum pt_format format, u64 pa, pt_prot_t prot, unsigned level);
/* The rights and memory type a leaf descriptor grants. */
pt_prot_t pt_pte_prot(enum pt_format format, u64 pte);

#endif
