/*
 * A guest-side GIC driver for the payloads: the virt machine's GICv3
 * (system-register CPU interface) or GICv2 (GICC frame), whichever the
 * hypervisor gives (ID_AA64PFR0_EL1.GIC tells).
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include "types.h"

#define VTIMER_INTID 27

extern bool gic_v3;

/* Distributor (once) and this vCPU's interface (on each vCPU). */
void gic_init(void);
void gic_cpu_init(void);

/* Enables intid at priority prio; SPIs go to this vCPU. */
void gic_enable_irq(u32 intid, u8 prio);
void gic_disable_irq(u32 intid);
void gic_set_edge(u32 intid, bool edge);

/* Acknowledge (the raw value, for gic_eoi) and end an interrupt. */
u32 gic_ack(void);
void gic_eoi(u32 iar);
#define GIC_IAR_INTID(iar) ((iar) & 0x3ff)

/* SGI sgi to the vCPUs in mask (bit n = vCPU n, Aff0 = n). */
void gic_send_sgi(u64 mask, u32 sgi);

/* The virtual timer: fire in ticks counter ticks, or stop. */
void vtimer_arm(u64 ticks);
void vtimer_stop(void);

/* Unmask or mask IRQs at EL1. */
static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

#endif
