/*
 * The PMU per vCPU (PMUv3). A vCPU runs with MDCR_EL2.TPM and TPMCR set
 * until it first touches a PMU register; from then on it owns a PMU whose
 * registers are switched with it, and nothing it sets counts at EL2:
 *
 * - PMUv3p5 (MDCR_EL2.HPMD and HCCD): the owner reaches every register
 *   directly; HPMD stops its event counters at EL2, HCCD its cycle counter.
 * - Before p5 (Cortex-A53/A57/A72 have PMUv3, A76/N1 PMUv3p1): nothing
 *   stops the cycle counter at EL2 but PMCCFILTR_EL0.NSH (HPMD does only
 *   with PMCR_EL0.DP, which the guest writes), nor the event counters
 *   without HPMD but their NSH. So every PMU access stays trapped and is
 *   emulated on the owner's registers in the CPU, with NSH (and M, MT, SH)
 *   dropped from what the guest writes to a filter: a guest reads them
 *   back as 0, as under KVM. (Trapping only PMCR_EL0, TPMCR, to keep DP
 *   set would be cheaper on p1-p4, but QEMU 7.2 ignores TPMCR, so that
 *   path could not be tested here.)
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
	u64 pmcr;
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
