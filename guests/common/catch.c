/*
 * Expected aborts (see guest.h): tests that make an access the hypervisor
 * must refuse count what arrives in their own EL1 exception handler.
 */
#include "guest.h"

volatile struct caught caught;

static bool on_exception(struct guest_regs *regs, u64 kind)
{
	if (kind != EXC_SYNC)
		return false; /* interrupts and SErrors are never expected */
	caught.esr = regs->esr;
	caught.far = regs->far;
	caught.elr = regs->pc;
	caught.count++;
	if (ESR_EC(regs->esr) == EC_IABT_CUR)
		regs->pc = regs->x[30]; /* back to the caller of the address */
	else
		regs->pc += 4;
	return true;
}

void catch_aborts(void)
{
	set_exception_handler(on_exception);
}

void catch_reset(void)
{
	caught.count = 0;
	caught.esr = 0;
	caught.far = 0;
	caught.elr = 0;
	dsb(sy);
}

bool expect_one_abort(u32 ec, u64 far, bool write, const char *name)
{
	u64 esr = caught.esr;
	bool wnr = esr & ESR_WNR;
	bool ok = caught.count == 1 && ESR_EC(esr) == ec &&
		  (esr & 0x3f) == FSC_SYNC_EXTERNAL && caught.far == far &&
		  (esr & ESR_IL) && (ec != EC_DABT_CUR || wnr == write);

	if (ok)
		report(true, "%s: one abort, ESR_EL1 0x%lx FAR_EL1 0x%lx",
		       name, esr, caught.far);
	else
		report(false, "%s: %u exception(s), the last ESR_EL1 0x%lx FAR_EL1 0x%lx; "
		       "expected one with EC 0x%x, FSC 0x10%s, FAR 0x%lx", name,
		       caught.count, esr, caught.far, ec,
		       ec != EC_DABT_CUR ? "" : write ? ", WnR 1" : ", WnR 0",
		       far);
	return ok;
}

bool expect_no_abort(const char *name)
{
	bool ok = caught.count == 0;

	if (ok)
		report(true, "%s: no exception", name);
	else
		report(false, "%s: %u exception(s), the last ESR_EL1 0x%lx FAR_EL1 0x%lx ELR_EL1 0x%lx",
		       name, caught.count, caught.esr, caught.far, caught.elr);
	return ok;
}
