/* PSCI 1.1 as guests see it (Arm DEN 0022): their vCPUs' power states and
 * their own VM's system off and reset. */
#ifndef HYP_VPSCI_H
#define HYP_VPSCI_H

#include "vcpu.h"

/* Handles fid if it is a PSCI function: sets x0 (and leaves the vCPU as
 * the call requires). false if fid is not PSCI's. */
bool vpsci_call(struct vcpu *v, u64 fid);

#endif
