/* ESR_ELx decoding into words (Arm ARM D17.2.37), for reports and logs.
 * Pure code, unit-tested on the host. */
#ifndef HYP_ESR_H
#define HYP_ESR_H

#include "sysreg.h"
#include "types.h"

/* "data abort from a lower EL", or "unknown exception class 0x3f". */
const char *esr_class_name(u64 esr);

/* "translation fault, level 3", "permission fault, level 1", ...
 * Writes into buf and returns it. */
const char *fault_status_name(u32 fsc, char *buf, size_t size);

/* One line for the whole syndrome, e.g. "data abort from a lower EL:
 * translation fault, level 2; 4-byte write from w3". */
const char *esr_describe(u64 esr, char *buf, size_t size);

/* Data-abort ISS fields (valid when ESR_DABT_ISV is set). */
#define ESR_DABT_ISV BIT(24)
#define ESR_DABT_SAS(esr) (((esr) >> 22) & 3) /* log2 of the access size */
#define ESR_DABT_SSE BIT(21)                  /* sign-extend the load */
#define ESR_DABT_SRT(esr) (((esr) >> 16) & 0x1f)
#define ESR_DABT_SF BIT(15) /* 64-bit register */
#define ESR_DABT_FNV BIT(10)
#define ESR_DABT_CM BIT(8) /* cache maintenance */
#define ESR_DABT_S1PTW BIT(7)
#define ESR_DABT_WNR BIT(6)
#define ESR_FSC(esr) ((u32)(esr) & 0x3f)

#endif
