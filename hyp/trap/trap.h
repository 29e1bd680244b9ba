/* Handlers for what a guest's exit asks of the hypervisor. */
#ifndef HYP_TRAP_H
#define HYP_TRAP_H

#include "vcpu.h"

/* From vectors.S: handles the exit, returns the vCPU to enter next. */
struct vcpu *guest_exit(struct vcpu *v, u64 kind);

void handle_data_abort(struct vcpu *v, u64 esr);
void handle_insn_abort(struct vcpu *v, u64 esr);
/* HVC, or SMC (already moved past): SMCCC dispatch. */
void handle_smccc(struct vcpu *v);
/* A trapped MSR/MRS (ESR_EL2.EC 0x18). */
void handle_sysreg(struct vcpu *v, u64 esr);

/* One log line per event, rate-limited per vCPU: "vm "x" vcpu N: ...". */
void guest_log(struct vcpu *v, const char *fmt, ...) __printf(2, 3);

#endif
