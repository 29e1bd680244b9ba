/* The virtual GIC: distributor and redistributor emulation, list
 * registers, virtual IPIs, forwarded physical interrupts. */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H

#include "types.h"

struct vm;
struct vcpu;

void vgic_init_vm(struct vm *vm);
/* A trapped GIC system register access (ICC_SGI1R_EL1, ...): true when
 * handled. */
bool vgic_sysreg(struct vcpu *v, u64 iss);
/* A physical interrupt that belongs to a guest: injects it, true. */
bool vgic_forward(u32 token);

#endif
