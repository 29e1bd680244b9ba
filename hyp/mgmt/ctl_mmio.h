/* The manager's control window (ctl_mmio.c). */
#ifndef HYP_MGMT_CTL_MMIO_H
#define HYP_MGMT_CTL_MMIO_H

#include "vm.h"

/* Gives a manager VM its window (at VM set-up, before it runs). */
void ctl_mmio_add(struct vm *manager);

#endif
