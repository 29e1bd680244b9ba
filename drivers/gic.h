/*
 * The physical interrupt controller, as the hypervisor uses it: GICv3
 * (system-register CPU interface, redistributors) or GICv2 (memory-mapped
 * CPU interface). Every interrupt is Group 1 (non-secure); EOImode 1 splits
 * the priority drop from deactivation, so an interrupt forwarded to a guest
 * stays active until the guest deactivates it (hardware-linked).
 */
#ifndef DRIVERS_GIC_H
#define DRIVERS_GIC_H

#include "types.h"

#define GIC_SPURIOUS 1023
#define GIC_PRIO_DEFAULT 0xa0

/* Distributor set-up, on the boot CPU. */
void gic_init(void);
/* This CPU's redistributor or CPU interface. */
void gic_cpu_init(void);

/* Acknowledges the highest-priority pending interrupt. The value is a
 * token for gic_eoi/gic_deactivate (GICv2 keeps an SGI's source CPU in
 * it); GIC_INTID(token) is the interrupt, GIC_SPURIOUS when none. */
u32 gic_ack(void);
#define GIC_INTID(token) ((token) & 0x3ff)
void gic_eoi(u32 token);        /* priority drop */
void gic_deactivate(u32 token); /* the interrupt is no longer active */

void gic_enable(u32 intid, bool on);
void gic_route_spi(u32 intid, u32 pcpu);
void gic_set_level(u32 intid, bool level); /* level- or edge-triggered */
void gic_send_sgi(u32 pcpu, u32 sgi);
/* The active state of an interrupt, on this CPU for an SGI or PPI: saved
 * and restored with a vCPU whose forwarded timer interrupt is in flight. */
void gic_set_active(u32 intid, bool on);
bool gic_is_active(u32 intid);
bool gic_is_v3(void);

#endif
