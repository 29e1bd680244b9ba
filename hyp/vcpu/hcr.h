/* EL2 control register bits the hypervisor programs (Arm ARM D17.2). */
#ifndef HYP_HCR_H
#define HYP_HCR_H

#include "types.h"

/* HCR_EL2 */
#define HCR_VM BIT(0)   /* stage 2 on */
#define HCR_SWIO BIT(1) /* set/way invalidate becomes clean+invalidate */
#define HCR_FMO BIT(3)  /* FIQs, IRQs and SErrors to EL2 */
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_VSE BIT(8)  /* a virtual SError is pending */
#define HCR_FB BIT(9)   /* guest TLB and cache maintenance broadcast */
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TID3 BIT(18) /* ID registers trap, so features can be hidden */
#define HCR_TSC BIT(19)  /* SMC traps */
#define HCR_TIDCP BIT(20) /* IMPLEMENTATION DEFINED registers trap */
#define HCR_TSW BIT(22)  /* data cache maintenance by set/way traps */
#define HCR_RW BIT(31)   /* EL1 is AArch64 */
#define HCR_TLOR BIT(35) /* LORegion registers trap */
#define HCR_TERR BIT(36) /* RAS error record registers trap */
#define HCR_APK BIT(40)  /* pointer-authentication keys and */
#define HCR_API BIT(41)  /* instructions do not trap */

/* CPTR_EL2 (non-VHE): RES1 bits, SVE (TZ) trapped, FP/SIMD not. */
#define CPTR_EL2_RES1 0x32ffUL
#define CPTR_TZ BIT(8)
#define CPTR_TTA BIT(20) /* trace registers trap */
#define CPTR_TAM BIT(30) /* activity monitors trap */

/* CNTHCTL_EL2 (non-VHE) */
#define CNTHCTL_EL1PCTEN BIT(0) /* EL1 reads the physical counter */
#define CNTHCTL_EL1PCEN BIT(1)  /* EL1 uses the physical timer */

/* MDCR_EL2 */
#define MDCR_HPMN_MASK 0x1fUL
#define MDCR_TPMCR BIT(5) /* PMCR_EL0 traps */
#define MDCR_TPM BIT(6)   /* every PMU register traps */
#define MDCR_TDA BIT(9)   /* debug registers trap */
#define MDCR_TDOSA BIT(10) /* OS lock and power-down registers trap */
#define MDCR_TDRA BIT(11) /* the debug ROM address register traps */
#define MDCR_TPMS BIT(14) /* statistical profiling traps (FEAT_SPE) */
#define MDCR_HPMD BIT(17) /* no event counting at EL2 (PMUv3p1) */
#define MDCR_TTRF BIT(19) /* trace filter registers trap (FEAT_TRF) */
#define MDCR_HCCD BIT(23) /* no cycle counting at EL2 (PMUv3p5) */

/* VTCR_EL2 */
#define VTCR_RES1 BIT(31)
#define VTCR_T0SZ(bits) (64UL - (bits))
#define VTCR_SL0(start_level) ((u64)(2 - (start_level)) << 6)
#define VTCR_IRGN0_WBWA (1UL << 8)
#define VTCR_ORGN0_WBWA (1UL << 10)
#define VTCR_SH0_INNER (3UL << 12)
#define VTCR_TG0_4K (0UL << 14)
#define VTCR_PS_SHIFT 16

#endif
