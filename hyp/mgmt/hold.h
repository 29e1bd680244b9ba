/* Keeping a VM's vCPUs out of the guest while its memory map changes. */
#ifndef HYP_MGMT_HOLD_H
#define HYP_MGMT_HOLD_H

#include "vm.h"

/* Returns once no vCPU of vm is in the guest or handling an exit, and none
 * will enter until vm_release. Not for a vCPU of vm itself to call. */
void vm_hold(struct vm *vm);
/* Lets its vCPUs run again, wherever they were. */
void vm_release(struct vm *vm);

#endif
