/* Exception injection into EL1 (Arm ARM D1.10, "Exception entry"). */
#include "inject.h"
#include "esr.h"
#include "fmt.h"
#include "mem.h"
#include "sysreg.h"
#include "vm.h"

#define PSTATE_MODE_MASK 0x1fUL
#define PSTATE_EL1H 0x5UL
#define PSTATE_EL1T 0x4UL
#define PSTATE_DAIF (0xfUL << 6)
#define PSTATE_AARCH32 BIT(4)

#define FSC_SYNC_EXTERNAL 0x10
#define ESR_ISS_WNR BIT(6)

static bool from_el1(const struct vcpu *v)
{
	u64 mode = v->regs.pstate & PSTATE_MODE_MASK;

	return mode == PSTATE_EL1H || mode == PSTATE_EL1T;
}

/* The VBAR_EL1 offset for a synchronous exception taken from the vCPU's
 * current mode. */
static u64 vector_offset(const struct vcpu *v)
{
	u64 mode = v->regs.pstate & PSTATE_MODE_MASK;

	if (v->regs.pstate & PSTATE_AARCH32)
		return 0x600;
	if (mode == PSTATE_EL1H)
		return 0x200;
	if (mode == PSTATE_EL1T)
		return 0x000;
	return 0x400; /* from EL0 */
}

/*
 * A handler that returns to the faulting instruction without fixing
 * anything brings the vCPU back to the same fault for ever. The same
 * exception (registers, ESR and FAR all as before) injected this many times
 * in a row is taken for that. Returning to the fault leaves no trace in
 * the registers, while a guest that goes on, even one probing the same
 * address in a loop, changes one (a counter, a time). So the limit can be
 * low, and detection takes milliseconds (3 to 30 ms under QEMU TCG).
 */
#define INJECT_REPEAT_LIMIT 1000u

static bool is_abort(u64 esr)
{
	switch (ESR_EC(esr)) {
	case EC_DABT_LOW:
	case EC_DABT_CUR:
	case EC_IABT_LOW:
	case EC_IABT_CUR:
		return true;
	default:
		return false;
	}
}

/* Counts the injection of (esr, far) at the vCPU's state if it repeats the
 * last one; true when they reach INJECT_REPEAT_LIMIT. Only exceptions
 * taken from EL1 count: one from EL0 is the guest kernel's to deal with (a
 * user process's signal handler may well loop), and it still runs. */
static bool repeats_for_ever(struct vcpu *v, u64 esr, u64 far)
{
	if (!from_el1(v)) {
		v->inject_esr = 0; /* matches nothing: ESR.IL is always set */
		v->inject_repeats = 0;
		return false;
	}
	if (esr == v->inject_esr && far == v->inject_far &&
	    !memcmp(&v->regs, &v->inject_regs, sizeof(v->regs)))
		return ++v->inject_repeats >= INJECT_REPEAT_LIMIT;
	v->inject_regs = v->regs;
	v->inject_esr = esr;
	v->inject_far = far;
	v->inject_repeats = 0;
	return false;
}

static void fault_repeated(struct vcpu *v, u64 esr, u64 far)
{
	bool abort = is_abort(esr);
	char why[192], far_text[32] = "";

	if (abort)
		fmt_snprintf(far_text, sizeof(far_text), ", FAR 0x%lx", far);
	fmt_snprintf(why, sizeof(why),
		     "the same %s was injected %u times in a row at PC 0x%lx: "
		     "its handler returns to the faulting %s (%s%s)",
		     abort ? "abort" : "exception", INJECT_REPEAT_LIMIT,
		     v->regs.pc, abort ? "access" : "instruction",
		     esr_class_name(esr), far_text);
	vm_fault(v, why);
}

static void inject(struct vcpu *v, u64 esr, u64 far)
{
	u64 target = read_sysreg(vbar_el1) + vector_offset(v);

	/* Faulting at the very entry an injected exception just took it to:
	 * its exception vectors are not memory it can run. */
	if (v->regs.pc == v->inject_target) {
		char why[96];

		fmt_snprintf(why, sizeof(why),
			     "it cannot take exceptions: its vector at 0x%lx faults",
			     v->regs.pc);
		vm_fault(v, why);
		return;
	}
	if (repeats_for_ever(v, esr, far)) {
		fault_repeated(v, esr, far);
		return;
	}
	v->inject_target = target;
	write_sysreg(esr, esr_el1);
	write_sysreg(far, far_el1);
	write_sysreg(v->regs.pc, elr_el1);
	write_sysreg(v->regs.pstate, spsr_el1);
	v->regs.pc = target;
	v->regs.pstate = PSTATE_EL1H | PSTATE_DAIF;
}

void inject_data_abort(struct vcpu *v, u64 va, bool write)
{
	u64 ec = from_el1(v) ? EC_DABT_CUR : EC_DABT_LOW;

	inject(v, ec << 26 | ESR_IL | (write ? ESR_ISS_WNR : 0) |
			  FSC_SYNC_EXTERNAL,
	       va);
}

void inject_insn_abort(struct vcpu *v, u64 va)
{
	u64 ec = from_el1(v) ? EC_IABT_CUR : EC_IABT_LOW;

	inject(v, ec << 26 | ESR_IL | FSC_SYNC_EXTERNAL, va);
}

void inject_undef(struct vcpu *v)
{
	inject(v, (u64)EC_UNKNOWN << 26 | ESR_IL, 0);
}
