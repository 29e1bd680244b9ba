/*
 * A trapped MSR/MRS as the per-vCPU register owners (pauth.c, vpmu.c,
 * vdebug.c) see it: the register's encoding and what to do next.
 */
#ifndef HYP_SYSREG_ACCESS_H
#define HYP_SYSREG_ACCESS_H

#include "types.h"

/* op0, op1, CRn, CRm, op2 in one number, as the Arm ARM lists them. */
#define SYSREG_ENC(op0, op1, crn, crm, op2) \
	((u32)(op0) << 14 | (u32)(op1) << 11 | (u32)(crn) << 7 | (u32)(crm) << 3 | (u32)(op2))
#define SYSREG_ENC_CRN(enc) (((enc) >> 7) & 0xf)
#define SYSREG_ENC_CRM(enc) (((enc) >> 3) & 0xf)
#define SYSREG_ENC_OP2(enc) ((enc) & 7)

enum sysreg_result {
	SYSREG_NOT_MINE, /* another owner's register */
	SYSREG_DONE,     /* emulated: step past the instruction */
	SYSREG_RETRY,    /* the trap is off now: run the instruction again */
	SYSREG_UNDEF,    /* undefined for the guest */
};

#endif
