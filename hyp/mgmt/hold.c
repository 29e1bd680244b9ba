/*
 * Holding a VM (see hold.h). The scheduler enters no vCPU of a held VM and
 * drops one on its next exit (hyp/vcpu/sched.c); the holder kicks each
 * vCPU's CPU so that exit comes now, then waits until no CPU has one of
 * them as its current vCPU. The vCPUs keep all their state: released, each
 * goes on from where it was, unaware.
 */
#include "hold.h"
#include "percpu.h"
#include "sched.h"
#include "timer.h"

void vm_hold(struct vm *vm)
{
	WRITE_ONCE(vm->held, 1);
	/* Ordered before the reads of current below: see claim_next. */
	dmb(ish);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		sched_kick(vm->vcpus[i].pcpu);
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu *v = &vm->vcpus[i];
		u64 kicked = timer_now_ticks();
		u64 ms = timer_ns_to_ticks(1000000);

		while (READ_ONCE(pcpus[v->pcpu].current) == v) {
			/* A CPU that has not left after a millisecond is
			 * kicked again rather than trusted. */
			if (timer_now_ticks() - kicked >= ms) {
				sched_kick(v->pcpu);
				kicked = timer_now_ticks();
			}
			cpu_relax();
		}
	}
	/* A reload step runs with no vCPU current: waited for apart. */
	vm_wait_reload_step(vm);
	/* Everything the vCPUs did before leaving is seen from here on. */
	dmb(ish);
}

void vm_release(struct vm *vm)
{
	/* The changed map is complete before any vCPU may enter again. */
	dsb(ish);
	WRITE_ONCE(vm->held, 0);
	dsb(ish);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		sched_kick(vm->vcpus[i].pcpu);
}
