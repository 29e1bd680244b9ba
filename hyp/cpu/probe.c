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

bool cpu_has_dbgclaim(void)
{
	return probe_dbgclaim() == 0;
}

bool probe_fixup(struct el2_frame *f)
{
	if (ESR_EC(f->esr) != EC_UNKNOWN || f->elr != (u64)(uintptr_t)probe_dbgclaim_insn)
		return false;
	f->x[0] = 1;
	f->elr += 4;
	return true;
}
