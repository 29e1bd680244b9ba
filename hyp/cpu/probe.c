/* System registers found by reading them once (see probe.h). */
#include "probe.h"
#include "sysreg.h"

/* Returns 0 in x0 if the read worked; probe_fixup() makes it 1. */
u64 probe_dbgclaim(void);
extern const u32 probe_dbgclaim_insn[];
__asm__(".pushsection .text.probe, \"ax\"\n"
	".type probe_dbgclaim, %function\n"
	"probe_dbgclaim:\n"
	"	mov	x0, #0\n"
	"probe_dbgclaim_insn:\n"
	"	mrs	x1, dbgclaimclr_el1\n"
	"	ret\n"
	".size probe_dbgclaim, . - probe_dbgclaim\n"
	".popsection\n");

/* The same for TPIDR2_EL0 (SME), which firmware may keep from EL2. */
u64 probe_tpidr2(void);
extern const u32 probe_tpidr2_insn[];
__asm__(".pushsection .text.probe, \"ax\"\n"
	".type probe_tpidr2, %function\n"
	"probe_tpidr2:\n"
	"	mov	x0, #0\n"
	"probe_tpidr2_insn:\n"
	"	mrs	x1, S3_3_C13_C0_5\n"
	"	ret\n"
	".size probe_tpidr2, . - probe_tpidr2\n"
	".popsection\n");

bool cpu_has_dbgclaim(void)
{
	return probe_dbgclaim() == 0;
}

bool cpu_has_tpidr2(void)
{
	/* ID_AA64PFR1_EL1.SME first: without it the encoding may be another's. */
	return FIELD_GET(read_sysreg(id_aa64pfr1_el1), 27, 24) && probe_tpidr2() == 0;
}

bool probe_fixup(struct el2_frame *f)
{
	if ((ESR_EC(f->esr) != EC_UNKNOWN && ESR_EC(f->esr) != EC_SYSREG) ||
	    (f->elr != (u64)(uintptr_t)probe_dbgclaim_insn &&
	     f->elr != (u64)(uintptr_t)probe_tpidr2_insn))
		return false;
	f->x[0] = 1;
	f->elr += 4;
	return true;
}
