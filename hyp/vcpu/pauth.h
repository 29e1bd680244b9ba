/*
 * Pointer-authentication keys per vCPU (FEAT_PAuth). A vCPU runs with
 * HCR_EL2.API and APK clear, so its first PAC instruction or key access
 * traps; from then on it owns keys that are switched with it. vCPUs that
 * never use pointer authentication cost one flag test per switch.
 */
#ifndef HYP_PAUTH_H
#define HYP_PAUTH_H

#include "sysreg_access.h"
#include "types.h"

struct vcpu;

/* APIA, APIB, APDA, APDB, APGA, each Lo then Hi. */
struct pauth_keys {
	u64 key[10];
};

/* Whether the CPUs implement address or generic authentication. */
bool cpu_has_pauth(void);

void pauth_save(struct vcpu *v);
void pauth_load(const struct vcpu *v);

/* A trapped PAC instruction (ESR_EL2.EC 0x09): the vCPU takes its keys. */
void pauth_trap(struct vcpu *v);
/* A trapped key register access; SYSREG_NOT_MINE for other registers. */
enum sysreg_result pauth_sysreg(struct vcpu *v, u32 enc);

#endif
