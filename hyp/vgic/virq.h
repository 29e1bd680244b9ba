/* Virtual interrupts: what devices and the hypervisor tell the vGIC. */
#ifndef HYP_VIRQ_H
#define HYP_VIRQ_H

#include "types.h"

struct vm;
struct vcpu;

/* A level-sensitive line of an emulated device (an SPI of vm). */
void virq_set_level(struct vm *vm, u32 intid, bool level);

/* Whether v has a virtual interrupt it could take now (ends WFI). */
bool virq_pending(struct vcpu *v);

#endif
