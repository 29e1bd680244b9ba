/*
 * Which vCPU each physical CPU runs. Every vCPU is pinned to one CPU by the
 * configuration. A CPU with one vCPU just runs it (no ticks); a CPU with
 * several runs them round-robin, switching on WFI, power-off and the end
 * of a time slice. A CPU with nothing to run waits for an interrupt.
 */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H

#include "vcpu.h"
#include "vm.h"

#define SGI_KICK 0 /* another CPU changed something this CPU must see */

/* Pins v to its CPU (set-up, boot CPU). */
void sched_add(struct vcpu *v);
/* How many vCPUs are pinned to CPU pcpu. */
u32 sched_count(u32 pcpu);

/* After prev's exit was handled: the vCPU to enter now (prev, or another
 * with its state loaded). Waits for one if none can run. */
/* Whether v simply goes on after its exit: its VM running and not held
 * (hyp/mgmt/hold.c), v on, not waiting (WFI, or a forwarded access: that
 * sets wfi too), its state in the CPU. The exit path's fast test, and
 * sched_next's first. */
static inline bool sched_continues(const struct vcpu *v)
{
	return READ_ONCE(v->vm->state) == VM_RUNNING && !READ_ONCE(v->vm->held) &&
	       READ_ONCE(v->power) == VCPU_ON && !v->wfi && v->state_loaded;
}

struct vcpu *sched_next(struct vcpu *prev);

/* Starts running vCPUs on this CPU; never returns. */
void sched_run(void) __noreturn;

/* The vCPU whose EL1 state (timers included) CPU pcpu holds, or NULL. */
struct vcpu *sched_loaded(u32 pcpu);

/* The hypervisor's timer fired on this CPU: re-arms it for whatever still
 * needs it (the slice, sleeping vCPUs' timers, watchdogs). */
void sched_timer_irq(void);

/* Makes CPU pcpu re-examine its vCPUs (an interrupt if it is another). */
void sched_kick(u32 pcpu);

#endif
