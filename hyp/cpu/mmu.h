/* The hypervisor's own EL2 stage-1 translation: an identity map of board RAM
 * (data, no execute), the image with per-section rights, the devices the
 * hypervisor drives, and unmapped stack guards. */
#ifndef HYP_MMU_H
#define HYP_MMU_H

#include "pgtable.h"
#include "pool.h"

extern struct page_pool hyp_pool;
extern const struct pt_mm_ops hyp_mm_ops;

/* Physical address bits this CPU supports (ID_AA64MMFR0_EL1.PARange), at
 * most 48. */
unsigned cpu_pa_bits(void);

/* VTTBR_EL2 for a stage-2 table: its root and VMID. */
u64 vttbr_of(const struct pgtable *pt);

/* Builds the EL2 tables (boot CPU, MMU off). */
void mmu_build(void);
/* Turns on this CPU's MMU and caches with those tables. */
void mmu_enable(void);

#endif
