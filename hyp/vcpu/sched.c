/* The per-CPU scheduler (see sched.h). */
#include "sched.h"
#include "gic.h"
#include "timer.h"
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

static bool runnable(struct vcpu *v)
{
	if (READ_ONCE(v->vm->state) != VM_RUNNING)
		return false;
	switch (READ_ONCE(v->power)) {
	case VCPU_ON_PENDING:
		return true;
	case VCPU_ON:
		return !v->wfi || virq_pending(v);
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

		if (v->wfi && !v->state_loaded && v->power == VCPU_ON) {
			u64 wake = vgic_timer_deadline(v);

			if (wake > now)
				deadline = MIN(deadline, wake);
		}
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

	if (s->loaded != next || !next->state_loaded) {
		if (s->loaded && s->loaded != next && s->loaded->state_loaded)
			vcpu_save_state(s->loaded);
		vcpu_load_state(next);
		s->loaded = next;
	}
	vcpu_load_traps(next);
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

/* Whether prev simply goes on: still on, not waiting, state in place. */
static bool continues(const struct vcpu *prev)
{
	return READ_ONCE(prev->vm->state) == VM_RUNNING &&
	       READ_ONCE(prev->power) == VCPU_ON && !prev->wfi &&
	       prev->state_loaded;
}

struct vcpu *sched_next(struct vcpu *prev)
{
	struct sched *s = &scheds[prev->pcpu]; /* prev runs on this CPU */
	struct vcpu *next;

	/* The common case, checked first and cheaply: the vCPU has its CPU to
	 * itself, or its slice is not over. */
	if (continues(prev) && (s->n == 1 || timer_now_ticks() < s->slice_end))
		return prev;
	next = pick(s);
	if (!next)
		next = wait_for_runnable(s);
	switch_to(s, next);
	return next;
}

void sched_run(void)
{
	struct sched *s = &scheds[this_cpu_index()];
	struct vcpu *next = pick(s);

	if (!next)
		next = wait_for_runnable(s);
	switch_to(s, next);
	vcpu_enter_first(next);
}

void sched_timer_irq(void)
{
	struct sched *s = &scheds[this_cpu_index()];

	arm_timer(s, s->n > 1 && this_pcpu()->current);
}

void sched_kick(u32 pcpu)
{
	if (pcpu != this_cpu_index())
		gic_send_sgi(pcpu, SGI_KICK);
}
