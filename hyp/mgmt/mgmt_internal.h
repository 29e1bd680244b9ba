/* What hyp/mgmt/'s files share. */
#ifndef HYP_MGMT_INTERNAL_H
#define HYP_MGMT_INTERNAL_H

#include "mgmt.h"
#include "vm.h"

/* The VM a manager's call names: -EPERM unless the caller manages it,
 * -ENOENT when there is no such VM. */
int managed_vm(const struct vcpu *v, u64 index, struct vm **out);

/* One step (1 MiB at most) of clearing the memory of slots v's VM, a
 * manager, deleted: every management call makes one. mgmt_lock held. */
void mgmt_clear_step(const struct vcpu *v);

/* HC_VM_*: true when fid was one. */
bool lifecycle_hypercall(struct vcpu *v, u64 fid);

#endif
