/* What each GIC generation's driver provides (gicv2.c, gicv3.c). */
#ifndef DRIVERS_GIC_OPS_H
#define DRIVERS_GIC_OPS_H

#include "types.h"

struct gic_ops {
	void (*init)(void);
	void (*cpu_init)(void);
	u32 (*ack)(void);
	void (*eoi)(u32 intid);
	void (*deactivate)(u32 intid);
	void (*enable)(u32 intid, bool on);
	void (*route_spi)(u32 intid, u32 pcpu);
	void (*set_level)(u32 intid, bool level);
	void (*send_sgi)(u32 pcpu, u32 sgi);
	void (*set_active)(u32 intid, bool on);
	bool (*is_active)(u32 intid);
};

extern const struct gic_ops gicv2_ops, gicv3_ops;

/* Distributor registers common to both generations (offsets). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_SGIR 0x0f00
#define GICD_IROUTER 0x6000

/* Shared distributor set-up: every SPI group 1, disabled, default
 * priority, level-triggered. */
void gic_dist_reset_spis(u64 gicd);
void gic_dist_set_level(u64 gicd_or_sgi_frame, u32 intid, bool level);

#endif
