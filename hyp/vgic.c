/* Placeholder until the vGIC lands: no virtual interrupts yet. */
#include "vgic.h"
#include "virq.h"

void vgic_init_vm(struct vm *vm)
{
}

bool vgic_sysreg(struct vcpu *v, u64 iss)
{
	return false;
}

bool vgic_forward(u32 token)
{
	return false;
}

void virq_set_level(struct vm *vm, u32 intid, bool level)
{
}

bool virq_pending(struct vcpu *v)
{
	return false;
}
