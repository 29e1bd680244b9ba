/*
 * The management interface: a manager VM (include/config.h .manager)
 * changes the slots of the VMs it manages by hypercall (include/
 * hypercall.h, HC_SLOT_*), with the rules and code of mm/slot_update.c,
 * backed by its host range. docs/management.md describes it for users.
 */
#ifndef HYP_MGMT_H
#define HYP_MGMT_H

#include "vcpu.h"

/* Sets up every usable manager's host range (cleared here) and hands the
 * VMs it manages its allocator. After vms_create, before vms_start. */
void mgmt_init(void);

/* A hypercall that may be one of HC_SLOT_*: true when it was (x0 and x1
 * then hold the answer). */
bool mgmt_hypercall(struct vcpu *v, u64 fid);

/* The lock every run-time slot change holds: whoever reads another VM's
 * slot table (or what its slots point to) holds it too. */
void mgmt_lock_all(void);
void mgmt_unlock_all(void);
/* mgmt_lock_all for a call from a VM that may itself be managed: false,
 * without the lock, once the VM is held, stopping or restarting (its
 * manager may hold the lock and wait for this vCPU to leave: spinning on
 * would wait for ever). */
bool mgmt_lock_unless_held(const struct vm *caller);

#endif
