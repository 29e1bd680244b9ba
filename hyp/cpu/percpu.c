#include "percpu.h"
#include "panic.h"

#include <stddef.h>

BUILD_ASSERT(offsetof(struct pcpu, emergency_sp) == PCPU_EMERGENCY_SP,
	     "vectors.S expects emergency_sp here");
BUILD_ASSERT(offsetof(struct pcpu, current) == PCPU_CURRENT_VCPU,
	     "vectors.S expects current here");

BUILD_ASSERT(offsetof(struct pcpu, bp_harden_fid) == PCPU_BP_HARDEN_FID,
	     "vectors.S expects bp_harden_fid here");
BUILD_ASSERT(offsetof(struct pcpu, exit_serror) == PCPU_EXIT_SERROR,
	     "vectors.S expects exit_serror here");

struct pcpu pcpus[MAX_CPUS];

void pcpu_init(u32 index)
{
	struct pcpu *p = &pcpus[index];

	p->index = index;
	p->mpidr = this_mpidr();
	p->emergency_sp = (u64)(uintptr_t)(p->emergency_stack +
					   sizeof(p->emergency_stack));
	write_sysreg(p, tpidr_el2);
}
