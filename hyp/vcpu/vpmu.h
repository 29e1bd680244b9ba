/*
 * The PMU per vCPU (PMUv3). A vCPU runs with MDCR_EL2.TPM and TPMCR set
 * until it first touches a PMU register; from then on it owns a PMU whose
 * registers are switched with it, and nothing it sets counts at EL2:
 *
 * - PMUv3p5 (MDCR_EL2.HPMD and HCCD): the owner reaches every register
 *   directly; HPMD stops its event counters at EL2, HCCD its cycle counter.
 * - PMUv3p1 to p4 (HPMD, no HCCD): PMCR_EL0 stays trapped, and the CPU's
 *   PMCR_EL0.DP is kept set, which stops the cycle counter where HPMD
 *   prohibits counting. The guest reads back its own DP.
 * - PMUv3 of Armv8.0 (neither; Cortex-A53/A57/A72): nothing can stop EL2
 *   counting but the filters' NSH bit, so every PMU access stays trapped
 *   and is emulated on the owner's registers, with NSH (and M, MT, SH)
 *   dropped from what the guest writes to the filters.
 *
 * The overflow interrupt (PPI 23) is not given to guests.
 */
#ifndef HYP_VPMU_H
#define HYP_VPMU_H

#include "sysreg_access.h"
#include "types.h"

struct vcpu;

#define PMU_MAX_COUNTERS 31

struct vpmu_state {
	u64 pmcr;   /* the guest's view (its DP, not the CPU's) */
	u64 pmselr, pmuserenr, pmcnten, pminten, pmovs, pmccfiltr, pmccntr;
	u64 evtyper[PMU_MAX_COUNTERS], evcntr[PMU_MAX_COUNTERS];
};

/* Reads the CPU's PMU features; once, on the boot CPU, before any VM. */
void vpmu_init(void);
/* MDCR_EL2 PMU bits (with HPMN) for a vCPU that owns a PMU or does not. */
u64 vpmu_mdcr(bool owner);

void vpmu_reset(struct vcpu *v);
void vpmu_save(struct vcpu *v);
void vpmu_load(const struct vcpu *v);

/* A trapped PMU register access; SYSREG_NOT_MINE for other registers. */
enum sysreg_result vpmu_sysreg(struct vcpu *v, u32 enc, bool read, u64 *val);

#endif
