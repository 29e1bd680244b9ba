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

static void handle_sync(struct vcpu *v)
{
	u64 esr = read_sysreg(esr_el2);
	char why[160];

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
		if (!(esr & 1)) /* WFI: sleep until an interrupt is pending */
			v->wfi = true;
		break;
	case EC_SYSREG:
		handle_sysreg(v, esr);
		break;
	case EC_DABT_LOW:
		handle_data_abort(v, esr);
		break;
	case EC_IABT_LOW:
		handle_insn_abort(v, esr);
		break;
	default:
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

struct vcpu *guest_exit(struct vcpu *v, u64 kind)
{
	struct vcpu *next;

	/* First: it also quiets the maintenance interrupt. Inline tests keep
	 * exits with no interrupt in flight cheap. */
	if (v->vgic.lr_used || v->vgic.underflow || vgic_timer_up(&v->vgic))
		vgic_sync(v);
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
	if (v->vm->cfg->watchdog_ms)
		watchdog_check(v);
	/* The common case without a call: a vCPU that has its CPU to itself
	 * goes on (sched_next's first test, where no slice can end). */
	if (!v->vm->shares_pcpu && READ_ONCE(v->vm->state) == VM_RUNNING &&
	    READ_ONCE(v->power) == VCPU_ON && !v->wfi && v->state_loaded)
		next = v;
	else
		next = sched_next(v);
	if (next->vgic.cand[0] | next->vgic.cand[1] | next->vgic.cand[2] |
	    next->vgic.cand[3])
		vgic_flush(next);
	return next;
}
