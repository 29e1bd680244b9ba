/*
 * Self-hosted debug state per vCPU: breakpoints, watchpoints, the OS lock,
 * the claim tags and the debug-comms interrupt enable. A vCPU runs with
 * MDCR_EL2.TDA set until it first touches a debug register; from then on
 * its registers are switched with it. MDSCR_EL1, which enables debug
 * exceptions, is switched for every vCPU (vcpu.c), so another vCPU's
 * breakpoints left in the CPU never fire for one that has not claimed.
 * The OS lock and power-down registers (TDOSA) and the debug ROM address
 * (TDRA) always trap: the OS lock is kept per vCPU and put in the CPU,
 * OSDLR_EL1 and DBGPRCR_EL1 read as zero and ignore writes (no guest
 * decides the core's power-down behaviour), MDRAR_EL1 reads as "no ROM".
 */
#ifndef HYP_VDEBUG_H
#define HYP_VDEBUG_H

#include "sysreg_access.h"
#include "types.h"

struct vcpu;

#define DEBUG_MAX_POINTS 16

struct vdebug_state {
	u64 bvr[DEBUG_MAX_POINTS], bcr[DEBUG_MAX_POINTS];
	u64 wvr[DEBUG_MAX_POINTS], wcr[DEBUG_MAX_POINTS];
	u64 claim, mdccint;
	bool os_locked;
};

/* Reads the number of breakpoints and watchpoints; once, before any VM. */
void vdebug_init(void);
/* MDCR_EL2 debug trap bits for a vCPU that has claimed debug or not. */
u64 vdebug_mdcr(bool owner);

void vdebug_reset(struct vcpu *v);
void vdebug_save(struct vcpu *v);
void vdebug_load(const struct vcpu *v);

/* A trapped op0 = 2 access (debug registers); SYSREG_NOT_MINE otherwise. */
enum sysreg_result vdebug_sysreg(struct vcpu *v, u32 enc, bool read, u64 *val);

#endif
