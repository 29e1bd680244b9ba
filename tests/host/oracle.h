/*
 * The oracle of the stage-2 tests: a model of what a VM's stage 2 must
 * translate, derived from its slots and DESIGN.md alone, and a walker of the
 * tables written from the Arm ARM's VMSAv8-64 descriptor formats (D8.3), not
 * from mm/pgtable.c. Shared by the unit tests and the fuzzer.
 *
 * Tables are reached through host pointers: the physical address in a
 * descriptor is the host address of the table (the tests' allocators make
 * that so).
 */
#ifndef TESTS_ORACLE_H
#define TESTS_ORACLE_H

#include "config.h"
#include "pgtable.h"
#include "platform.h"

#define ORACLE_MAX_SEGS 512

/* One IPA range that must translate, contiguously, to pa with prot. */
struct oracle_seg {
	u64 ipa, size, pa;
	pt_prot_t prot;     /* PT_R, PT_W, PT_X, PT_DEVICE */
	unsigned top_level; /* largest leaf allowed: 1 (1 GiB), or 3 */
	int slot;           /* index in the VM's slot array; -1: a window */
	/* Filled in by oracle_check. */
	u64 leaves[PT_LEVELS];
	u64 covered;
};

struct oracle_model {
	struct oracle_seg seg[ORACLE_MAX_SEGS]; /* sorted by IPA, disjoint */
	u32 n;
	/* As built, before any unmap or protect: every leaf must then be the
	 * largest block that the alignment of its slot allows. */
	bool fresh;
};

/* What a slot's flags must give its mapping, per DESIGN.md: READONLY and
 * LOG_DIRTY (until the first write) without write, NOEXEC and DEVICE
 * without execute, DEVICE as Device-nGnRE. */
pt_prot_t oracle_slot_prot(u32 flags);

/* The model of a VM whose configuration the checker accepted. */
void oracle_model_init(struct oracle_model *m, const struct vm_config *vm,
		       const struct platform *plat);
void oracle_model_unmap(struct oracle_model *m, u64 ipa, u64 size);
/* New rights for every mapped page of the range; the memory type stays. */
void oracle_model_protect(struct oracle_model *m, u64 ipa, u64 size,
			  pt_prot_t prot);
/* What the model says ipa translates to: false when nothing. */
bool oracle_model_lookup(const struct oracle_model *m, u64 ipa, u64 *pa,
			 pt_prot_t *prot);

/* Walks every table of a stage-2 pt: true when exactly the model
 * translates, with exactly its attributes, and the tables are well formed
 * (no stray descriptor bits, no empty tables). *table_pages gets the pages
 * the tables take, the root included. Otherwise false, and why in err. */
bool oracle_check(const struct pgtable *pt, struct oracle_model *m,
		  u64 *table_pages, char *err, size_t err_len);

/* Translates ia by walking the tables: true and the leaf descriptor and its
 * level, or false when the walk meets an invalid entry. Any format. */
bool oracle_leaf(const struct pgtable *pt, u64 ia, u64 *pte, unsigned *level);
/* The output address of ia through that leaf. */
u64 oracle_leaf_pa(u64 pte, unsigned level, u64 ia);
/* Stage-2 rights and type a leaf grants, or false (and why) when the
 * descriptor is not one the builder may produce. */
bool oracle_s2_prot(u64 pte, pt_prot_t *prot, char *err, size_t err_len);
/* The entry at level that the walk of ia reaches, or NULL when the walk
 * ends before that level (at an invalid entry or a leaf). */
u64 *oracle_entry(const struct pgtable *pt, u64 ia, unsigned level);

#endif
