/* Exceptions the hypervisor makes a guest take at EL1, as the hardware
 * would have: ESR_EL1, FAR_EL1, ELR_EL1 and SPSR_EL1 set, PSTATE to EL1h
 * with DAIF masked, PC to the right entry of VBAR_EL1. */
#ifndef HYP_INJECT_H
#define HYP_INJECT_H

#include "sysreg.h"
#include "vcpu.h"

/* A synchronous external abort on a data access to va. */
void inject_data_abort(struct vcpu *v, u64 va, bool write);
/* A synchronous external abort on an instruction fetch from va. */
void inject_insn_abort(struct vcpu *v, u64 va);
/* An undefined instruction at the vCPU's PC. */
void inject_undef(struct vcpu *v);

/* Moves the vCPU past the instruction that trapped (ESR_EL2.IL). Inline:
 * every emulated instruction takes it. */
static inline void skip_instruction(struct vcpu *v, u64 esr)
{
	v->regs.pc += (esr & ESR_IL) ? 4 : 2;
}

#endif
