/* The per-CPU scheduler (see sched.h). */
#include "sched.h"
#include "console.h"
#include "gic.h"
#include "timer.h"
#include "io.h"
#include "irq.h"
#include "layout.h"
#include "percpu.h"
#include "vgic.h"
#include "virq.h"
#include "vm.h"

#define MAX_PINNED (MAX_VMS * MAX_VCPUS)
#define DEFAULT_SLICE_US 10000

static struct sched {
	struct vcpu *vcpus[MAX_PINNED];
	u32 n;
	u32 last;            /* index of the last one picked */
	struct vcpu *loaded; /* whose EL1 state the CPU holds */
	u64 slice_end;       /* counter value; shared CPUs only */
} scheds[MAX_CPUS];

void sched_add(struct vcpu *v)
{
	struct sched *s = &scheds[v->pcpu];

	if (s->n < MAX_PINNED)
		s->vcpus[s->n++] = v;
}

u32 sched_count(u32 pcpu)
{
	return scheds[pcpu].n;
}

struct vcpu *sched_loaded(u32 pcpu)
{
	return scheds[pcpu].loaded;
}

/* Whether v's turn reloads its VM (vm_reset): the boot vCPU's does. */
static bool reloading(const struct vcpu *v)
{
	return READ_ONCE(v->vm->state) == VM_LOADING && v->index == 0;
}

static bool runnable(struct vcpu *v)
{
	enum vm_state st = READ_ONCE(v->vm->state);

	if (st != VM_RUNNING)
		/* reloading(v), unless held: its steps wait for the holder
		 * (vm_reload_step), and picking it would spin here. */
		return st == VM_LOADING && v->index == 0 &&
		       !READ_ONCE(v->vm->held);
	if (READ_ONCE(v->vm->held))
		return false;
	switch (READ_ONCE(v->power)) {
	case VCPU_ON_PENDING:
		return true;
	case VCPU_ON:
		/* A vCPU waiting on a forwarded access has wfi set too. */
		if (!v->wfi)
			return true;
		if (v->io_wait)
			return fwd_resumable(v);
		return virq_pending(v) ||
		       (v->wake_at && timer_now_ticks() >= v->wake_at);
	default:
		return false;
	}
}

/* Round-robin from the one after the last picked. */
static struct vcpu *pick(struct sched *s)
{
	for (u32 i = 1; i <= s->n; i++) {
		u32 k = (s->last + i) % s->n;

		if (runnable(s->vcpus[k])) {
			s->last = k;
			return s->vcpus[k];
		}
	}
	return NULL;
}

/*
 * A CPU running several vCPUs needs its own timer for the end of the slice
 * and for the timers of vCPUs switched out in WFI (a switched-in vCPU's
 * timers interrupt by themselves). Deadlines already past are left out:
 * the slice's end or a sleeper's wake-up is acted on where the CPU next
 * picks a vCPU, and the timer armed for it would fire again at once, for
 * ever, while the interrupt that brought us here is being handled.
 */
static void arm_timer(struct sched *s, bool slicing)
{
	u64 now = timer_now_ticks();
	u64 deadline = slicing && s->slice_end > now ? s->slice_end : ~0UL;

	for (u32 i = 0; i < s->n; i++) {
		struct vcpu *v = s->vcpus[i];

		/* A WFIT deadline: no timer of the vCPU's raises it. */
		if (v->wfi && v->wake_at > now && v->power == VCPU_ON)
			deadline = MIN(deadline, v->wake_at);
		if (v->wfi && !v->state_loaded && v->power == VCPU_ON) {
			u64 wake = vgic_timer_deadline(v);

			if (wake > now)
				deadline = MIN(deadline, wake);
		}
		/* A forwarded access's deadline: it fails then. */
		if (v->io_wait && v->power == VCPU_ON && fwd_deadline(v) > now)
			deadline = MIN(deadline, fwd_deadline(v));
		/* A watched vCPU is looked at every half period. */
		if (v->vm->watch_ms && v->power == VCPU_ON)
			deadline = MIN(deadline, now + timer_ns_to_ticks(
				(u64)v->vm->watch_ms * 500000));
	}
	if (deadline == ~0UL)
		timer_hyp_stop();
	else
		timer_hyp_arm(deadline);
}

static u64 slice_ticks(void)
{
	u32 us = config.time_slice_us ? config.time_slice_us : DEFAULT_SLICE_US;

	return timer_ns_to_ticks((u64)us * 1000);
}

/* Makes next the vCPU this CPU holds, starting it if CPU_ON asked. */
static void switch_to(struct sched *s, struct vcpu *next)
{
	spin_lock(&next->power_lock);
	if (next->power == VCPU_ON_PENDING) {
		vcpu_reset(next, next->entry_pc, next->entry_x0);
		next->power = VCPU_ON;
	}
	spin_unlock(&next->power_lock);
	next->wfi = false;
	next->wake_at = 0;

	if (s->loaded != next || !next->state_loaded) {
		if (s->loaded && s->loaded != next && s->loaded->state_loaded)
			vcpu_save_state(s->loaded);
		vcpu_load_state(next);
		s->loaded = next;
	}
	vcpu_load_traps(next);
	/* Its forwarded access is answered or failed: finish it here, with
	 * its state loaded (never on the fast path: it waited). */
	if (next->io_wait)
		fwd_resume(next);
	if (s->n > 1) {
		s->slice_end = timer_now_ticks() + slice_ticks();
		arm_timer(s, true);
	} else if (next->vm->watch_ms) {
		arm_timer(s, false);
	}
	this_pcpu()->current = next;
}

static struct vcpu *wait_for_runnable(struct sched *s)
{
	struct vcpu *v;

	this_pcpu()->current = NULL;
	for (;;) {
		arm_timer(s, false);
		/* Looked at after arming: a deadline that passed before is
		 * not armed, but its vCPU is runnable now. */
		v = pick(s);
		if (v)
			return v;
		/* IRQs stay masked at EL2: WFI still wakes on a pending one,
		 * which is then taken from the GIC here. */
		wfi();
		irq_handle_all();
	}
}

/*
 * A turn of a VM's reload: bounded steps (LOAD_STEP_BYTES each) until it is
 * done or, on a shared CPU, a slice is over, with this CPU's interrupts
 * taken between steps. So a reset holds the CPU at EL2 for one step at a
 * time, and the VM that reset pays for its reload with its own slices.
 */
static void __attribute__((noinline, cold))
reload_turn(struct sched *s, struct vcpu *boot)
{
	u64 end = timer_now_ticks() + slice_ticks();

	this_pcpu()->current = NULL;
	/* Taken here too: a reload waiting on its device partitions
	 * (vm_reload_step) comes back at once, turn after turn. */
	irq_handle_all();
	while (reloading(boot) && vm_reload_step(boot->vm)) {
		irq_handle_all();
		if (s->n > 1 && timer_now_ticks() >= end)
			break;
	}
}

/* The next vCPU to enter, reload turns taken on the way. Inlined: a call
 * here cost the vCPU switch 13 instructions (make bench); the test for a
 * reload costs it 5. */
static inline __attribute__((always_inline)) struct vcpu *
schedule(struct sched *s)
{
	struct vcpu *next = pick(s);

	if (!next)
		next = wait_for_runnable(s);
	/* Out of line: the vCPU switch is a hot path. */
	while (__builtin_expect(reloading(next), 0)) {
		reload_turn(s, next);
		next = pick(s);
		if (!next)
			next = wait_for_runnable(s);
	}
	return next;
}

/*
 * Picks a vCPU and makes it this CPU's current one. A VM being held
 * (hyp/mgmt/hold.c) may have been picked just before the hold began: the
 * holder sets held and then reads each CPU's current, this CPU sets current
 * and then reads held, each with a full barrier between, so at least one
 * sees the other. Seen here: back off and pick again.
 */
static struct vcpu *claim_next(struct sched *s)
{
	for (;;) {
		struct vcpu *next = schedule(s);

		switch_to(s, next);
		dmb(ish);
		/* Also its VM's state and its power: finishing a forwarded
		 * access in switch_to may inject a fault that stops or resets
		 * the VM right here (vm_fault), and an eviction sets power off
		 * then reads current (vm.c), as a hold does with held. */
		if (!READ_ONCE(next->vm->held) &&
		    READ_ONCE(next->vm->state) == VM_RUNNING &&
		    READ_ONCE(next->power) == VCPU_ON)
			return next;
		this_pcpu()->current = NULL;
	}
}

struct vcpu *sched_next(struct vcpu *prev)
{
	struct sched *s = &scheds[prev->pcpu]; /* prev runs on this CPU */

	/* The common case, checked first and cheaply: the vCPU has its CPU to
	 * itself, or its slice is not over. */
	if (sched_continues(prev) && (s->n == 1 || timer_now_ticks() < s->slice_end))
		return prev;
	return claim_next(s);
}

void sched_run(void)
{
	vcpu_enter_first(claim_next(&scheds[this_cpu_index()]));
}

void sched_timer_irq(void)
{
	struct sched *s = &scheds[this_cpu_index()];

	/* Output that waits for the UART: a fallback for its interrupt
	 * (and what moves it in SLOW_UART test builds). */
	console_tx_poll();
	arm_timer(s, s->n > 1 && this_pcpu()->current);
}

void sched_kick(u32 pcpu)
{
	if (pcpu != this_cpu_index())
		gic_send_sgi(pcpu, SGI_KICK);
}
