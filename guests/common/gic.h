/*
 * A guest-side GIC driver for the payloads: the virt machine's GICv3
 * (system-register CPU interface) or GICv2 (GICC frame), whichever the
 * hypervisor gives (ID_AA64PFR0_EL1.GIC tells).
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include "types.h"

#define VTIMER_INTID 27
#define PTIMER_INTID 30 /* the EL1 physical timer */

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

/* Where this vCPU's SGI and PPI registers are: its GICv3 redistributor's
 * SGI frame, or the GICv2 distributor (banked). */
u64 gic_private_base(void);
void gic_set_priority(u32 intid, u8 prio);
/* Makes intid pending through GICD_ISPENDR (or the SGI frame's). */
void gic_set_pending(u32 intid);
/* Routes SPI intid to vCPU cpu (IROUTER Aff0, or ITARGETSR bit). */
void gic_route_spi(u32 intid, u32 cpu);
/* The CPU interface's priority mask: priorities >= pmr are not signalled. */
void gic_set_pmr(u8 pmr);

/* The virtual timer: fire in ticks counter ticks, or stop. */
void vtimer_arm(u64 ticks);
void vtimer_stop(void);
/* The same for the EL1 physical timer. */
void ptimer_arm(u64 ticks);
void ptimer_stop(void);

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
