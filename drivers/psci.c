/* SMCCC calls to firmware (SMC Calling Convention, Arm DEN 0028). */
#include "psci.h"

s64 smccc_call(enum smccc_conduit conduit, u64 fid, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fid;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

#define SMCCC_CLOBBERS "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", \
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory"
	if (conduit == SMCCC_HVC)
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : SMCCC_CLOBBERS);
	else
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : SMCCC_CLOBBERS);
	return (s64)x0;
}

const char *psci_error_name(s64 err)
{
	switch (err) {
	case PSCI_SUCCESS: return "success";
	case PSCI_NOT_SUPPORTED: return "not supported";
	case PSCI_INVALID_PARAMETERS: return "invalid parameters";
	case PSCI_DENIED: return "denied";
	case PSCI_ALREADY_ON: return "already on";
	case PSCI_ON_PENDING: return "on pending";
	case PSCI_INTERNAL_FAILURE: return "internal failure";
	case PSCI_NOT_PRESENT: return "not present";
	case PSCI_DISABLED: return "disabled";
	case PSCI_INVALID_ADDRESS: return "invalid address";
	default: return "unknown error";
	}
}
