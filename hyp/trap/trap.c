/* Guest exits: the dispatch on the exception class (see trap.h). */
#include "trap.h"
#include "timer.h"
#include "console.h"
#include "esr.h"
#include "fmt.h"
#include "exception.h"
#include "inject.h"
#include "irq.h"
#include "log.h"
#include "percpu.h"
#include "pauth.h"
#include "sched.h"
#include "vgic.h"
#include "vm.h"

/* At most one line per vCPU in this many ns; the rest are counted. */
#define GUEST_LOG_INTERVAL_NS 100000000UL

void guest_log(struct vcpu *v, const char *fmt, ...)
{
	u64 now = timer_now_ns();
	va_list ap;

	if (v->last_abort_log_ns && now - v->last_abort_log_ns < GUEST_LOG_INTERVAL_NS) {
		v->aborts_suppressed++;
		return;
	}
	v->last_abort_log_ns = now;
	console_lock(false);
	console_lines_about(v->vm->index);
	printk("hyp: vm \"%s\" vcpu %u: ", v->vm->cfg->name, v->index);
	va_start(ap, fmt);
	console_vprintk(fmt, ap);
	va_end(ap);
	if (v->aborts_suppressed)
		printk(" (%u more events not shown)", v->aborts_suppressed);
	printk("\n");
	console_unlock();
	v->aborts_suppressed = 0;
}

/* ESR_EL2 ISS of a trapped WFx (Arm ARM D17.2.37, EC 0x01). */
#define WFX_TI(esr) ((esr) & 3)
#define WFX_TI_WFI 0
#define WFX_TI_WFIT 2
#define WFX_RV BIT(2)
#define WFX_RN(esr) (((esr) >> 5) & 0x1f)

/*
 * WFI sleeps until an interrupt is pending for the vCPU. WFIT (FEAT_WFxT)
 * also ends when the virtual counter reaches its register operand: the
 * scheduler wakes the vCPU then (sched.c). WFE and WFET are not trapped
 * (HCR_EL2.TWE clear): they never come here but are ignored if they do,
 * as a WFE may complete at any time.
 */
static void handle_wfx(struct vcpu *v, u64 esr)
{
	if (WFX_TI(esr) == WFX_TI_WFI) {
		v->wfi = true;
		v->wake_at = 0;
		return;
	}
	if (WFX_TI(esr) != WFX_TI_WFIT || !(esr & WFX_RV))
		return;
	u64 rn = WFX_RN(esr);
	u64 deadline = rn == 31 ? 0 : v->regs.x[rn];
	/* The operand is virtual-counter time; the scheduler keeps physical. */
	u64 wake = deadline + read_sysreg(cntvoff_el2);

	if (wake < deadline)
		wake = ~0UL; /* beyond the counter's range: an interrupt ends it */
	if (wake <= timer_now_ticks())
		return; /* its time has come already: WFIT completes at once */
	v->wfi = true;
	v->wake_at = wake;
}

static void handle_sync(struct vcpu *v)
{
	u64 esr = read_sysreg(esr_el2);
	char why[160];

	/* Emulated device registers first: the most frequent exit. */
	if (ESR_EC(esr) == EC_DABT_LOW) {
		handle_data_abort(v, esr);
		return;
	}
	switch (ESR_EC(esr)) {
	case EC_HVC64:
		handle_smccc(v); /* ELR already points past the HVC */
		break;
	case EC_SMC64:
		skip_instruction(v, esr); /* ELR points at a trapped SMC */
		handle_smccc(v);
		break;
	case EC_WFX:
		skip_instruction(v, esr);
		handle_wfx(v, esr);
		break;
	case EC_SYSREG:
		handle_sysreg(v, esr);
		break;
	case EC_IABT_LOW:
		handle_insn_abort(v, esr);
		break;
	default:
		/* Its first PAC instruction: it gets its own keys, and the
		 * instruction runs again. Tested here, not as a case: a case
		 * would be compared before the hypercall's on every exit. */
		if (ESR_EC(esr) == EC_PAC) {
			pauth_trap(v);
			break;
		}
		/* FP/SVE (hidden), AArch32 calls and anything else. */
		guest_log(v, "%s at PC 0x%lx: injected an undefined instruction",
			  esr_describe(esr, why, sizeof(why)), v->regs.pc);
		inject_undef(v);
		break;
	}
}

/*
 * The per-VM watchdog: a vCPU that leaves an interrupt pending in its list
 * registers, untaken, for longer than watchdog_ms has stopped making
 * progress (interrupts masked in a loop, a handler that never returns).
 * Its CPU's timer brings it out periodically so this is looked at.
 */
static void watchdog_check(struct vcpu *v)
{
	u64 since = v->irq_pending_since;
	u64 limit = timer_ns_to_ticks((u64)v->vm->cfg->watchdog_ms * 1000000);
	char why[96];

	if (!since || READ_ONCE(v->vm->state) != VM_RUNNING ||
	    timer_now_ticks() - since <= limit)
		return;
	fmt_snprintf(why, sizeof(why),
		     "watchdog: an interrupt waited %u ms untaken (stuck with "
		     "interrupts masked?)", v->vm->cfg->watchdog_ms);
	vm_fault(v, why);
}

#define EXIT_DONE 4 /* no vector's kind */

/* An SError taken as v exited (vectors.S): its own error, whatever the
 * exit was for (ESR_EL2 now describes the SError). Out of line: it keeps
 * guest_exit's frame small. */
static void __attribute__((noinline, cold)) exit_serror_fault(struct vcpu *v)
{
	char why[200], esr[120];

	fmt_snprintf(why, sizeof(why), "an SError interrupt (asynchronous "
		     "external abort) its accesses caused, taken as it exited: %s",
		     esr_describe(this_pcpu()->exit_serror, esr, sizeof(esr)));
	this_pcpu()->exit_serror = 0;
	vm_fault(v, why);
}

#define PSTATE_I BIT(7)
#define PSTATE_AARCH32 BIT(4)

/*
 * The stall report (.stall_ms): the same sign of a hang, told once per wait
 * and the VM left running. An idle vCPU (WFI) takes its interrupts, and a
 * busy one with interrupts unmasked too, so neither is reported.
 */
static void stall_check(struct vcpu *v)
{
	u64 since = v->irq_pending_since;
	u32 ms = v->vm->cfg->stall_ms;

	if (!since) {
		v->stall_reported = false;
		return;
	}
	if (v->stall_reported || READ_ONCE(v->vm->state) != VM_RUNNING ||
	    timer_now_ticks() - since <= timer_ns_to_ticks((u64)ms * 1000000))
		return;
	v->stall_reported = true;
	log_warn("vm \"%s\" vcpu %u has stopped making progress: an interrupt "
		 "has waited %u ms untaken, %s, PC 0x%lx (a panic or a hang?); "
		 "it is left running (.watchdog_ms would stop or restart it)",
		 v->vm->cfg->name, v->index, ms,
		 (v->regs.pstate & PSTATE_I) ? "with interrupts masked" :
		 "interrupts unmasked (a handler that never returns?)", v->regs.pc);
}

/* No guest PC: instructions are aligned, at least to 2 bytes. */
#define SPIN_PC_NONE 1UL

/*
 * The other sign of a hang, where nothing is pending so stall_check sees
 * nothing: a vCPU spinning in place with interrupts masked and its timer
 * off (U-Boot's hang(), a `b .` after a fatal error). Only the watch
 * timer's periodic looks (sched.c) bring it out; if every look in
 * stall_ms finds it at the same PC with interrupts masked, and it made no
 * exit of its own between (a trap, a console write, WFI), it is told once.
 * A loop polling a flag with interrupts masked for that long could be
 * sampled at one PC each time too: it is as good as hung.
 */
/*
 * An idle vCPU that has its CPU alone sleeps in an untrapped WFI, with
 * interrupts masked as Linux's idle loop has them: each look finds it just
 * after the WFI, which the look's interrupt ended, at the same PC. That is
 * idling, not a hang: asked once a wait, when it would be reported.
 */
static bool idles_in_wfx(struct vcpu *v)
{
	const char *why;
	u32 insn;

	if ((v->regs.pstate & PSTATE_AARCH32) ||
	    !guest_insn_at(v, v->regs.pc - 4, &insn, &why))
		return false;
	/* WFE, WFI (hint space, CRm 0, op2 2 or 3); WFET, WFIT (FEAT_WFxT). */
	return (insn & ~0x20u) == 0xd503205f || (insn & ~0x3fu) == 0xd5031000;
}

static void spin_check(struct vcpu *v, u64 kind)
{
	u64 now = timer_now_ticks();

	if (kind == VEC_SYNC || !(v->regs.pstate & PSTATE_I) ||
	    v->regs.pc != v->spin_pc) {
		v->spin_pc = v->regs.pc;
		v->spin_since = now;
		v->spin_reported = false;
		return;
	}
	/* With an interrupt waiting, stall_check tells it: one line a hang. */
	if (v->spin_reported || v->irq_pending_since ||
	    READ_ONCE(v->vm->state) != VM_RUNNING ||
	    now - v->spin_since <= timer_ns_to_ticks((u64)v->vm->cfg->stall_ms * 1000000))
		return;
	v->spin_reported = true;
	if (idles_in_wfx(v))
		return;
	log_warn("vm \"%s\" vcpu %u has stopped making progress: it has spun at "
		 "PC 0x%lx with interrupts masked and made no exit for %u ms "
		 "(a hang?); it is left running (.watchdog_ms would stop or "
		 "restart it)", v->vm->cfg->name, v->index, v->regs.pc,
		 v->vm->cfg->stall_ms);
}

static void __attribute__((noinline)) watch_checks(struct vcpu *v, u64 kind)
{
	if (v->vm->cfg->watchdog_ms)
		watchdog_check(v);
	if (v->vm->cfg->stall_ms) {
		stall_check(v);
		spin_check(v, kind);
	}
}

struct vcpu *guest_exit(struct vcpu *v, u64 kind)
{
	struct vcpu *next;

	/* First: it also quiets the maintenance interrupt. Inline tests keep
	 * exits with no interrupt in flight cheap. */
	if (v->vgic.lr_used || v->vgic.underflow || vgic_timer_up(&v->vgic))
		vgic_sync(v);
	if (this_pcpu()->exit_serror) {
		exit_serror_fault(v);
		if (kind == VEC_SYNC || kind == VEC_SERROR)
			kind = EXIT_DONE; /* nothing of the exit is left to do */
	}
	switch (kind) {
	case VEC_SYNC:
		handle_sync(v);
		break;
	case VEC_IRQ:
	case VEC_FIQ:
		irq_handle_all();
		break;
	case VEC_SERROR:
		/* Physical SError while the guest ran: an error it caused
		 * (a passed-through device, say). It cannot continue. */
		vm_fault(v, "an SError interrupt (asynchronous external abort)");
		break;
	}
	if (v->vm->watch_ms) {
		/* The common case, inline and without a counter read: nothing
		 * waits for the guest, and it exited of its own or runs with
		 * interrupts unmasked. No wait is stalled, and spinning
		 * starts afresh, counted from the next look (SPIN_PC_NONE
		 * matches no PC). */
		if (!v->irq_pending_since &&
		    (kind == VEC_SYNC || !(v->regs.pstate & PSTATE_I))) {
			v->stall_reported = false;
			v->spin_pc = SPIN_PC_NONE;
		} else {
			watch_checks(v, kind);
		}
	}
	/* The common case without a call: a vCPU that has its CPU to itself
	 * goes on (sched_next's first test, where no slice can end). */
	if (!v->vm->shares_pcpu && sched_continues(v))
		next = v;
	else
		next = sched_next(v);
	if (next->vgic.cand[0] | next->vgic.cand[1] | next->vgic.cand[2] |
	    next->vgic.cand[3])
		vgic_flush(next);
	return next;
}
