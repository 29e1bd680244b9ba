/* GICv2 / GIC-400 (Arm IHI 0048): memory-mapped distributor and CPU
 * interface. As the non-secure world of a board with firmware at EL3, the
 * groups are the firmware's (group 1); on a GIC without security extensions
 * (QEMU virt without secure=on) everything goes in group 0, signalled as
 * IRQ. Either way GICC_CTLR bit 0 enables, bit 9 splits EOI. */
#include "gic.h"
#include "gic_ops.h"
#include "layout.h"
#include "mmio.h"
#include "platform.h"
#include "sysreg.h"

#define GICD_TYPER_SECURITY_EXTN BIT(10)

#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_BPR 0x0008
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010
#define GICC_DIR 0x1000
#define GICC_CTLR_ENABLE BIT(0)
#define GICC_CTLR_EOIMODE BIT(9)

/* Each CPU's interface number, for SGI targets. */
static u8 cpu_mask[MAX_CPUS];

static bool has_security(void)
{
	return mmio_read32(platform.gic.gicd + GICD_TYPER) & GICD_TYPER_SECURITY_EXTN;
}

static void v2_init(void)
{
	u64 gicd = platform.gic.gicd;
	u32 lines = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);

	mmio_write32(gicd + GICD_CTLR, 0);
	gic_dist_reset_spis(gicd);
	if (!has_security())
		for (u32 i = 32; i < lines; i += 32)
			mmio_write32(gicd + GICD_IGROUPR + i / 8, 0);
	mmio_write32(gicd + GICD_CTLR, 1);
}

static void v2_cpu_init(void)
{
	u64 gicd = platform.gic.gicd, gicc = platform.gic.gicc;
	u64 mpidr = this_mpidr();

	for (u32 i = 0; i < platform.nr_cpus; i++)
		if (platform.cpus[i].mpidr == mpidr)
			/* ITARGETSR0-7 are banked: they read as this CPU's bit. */
			cpu_mask[i] = mmio_read32(gicd + GICD_ITARGETSR) & 0xff;
	mmio_write32(gicd + GICD_ICENABLER, ~0u);
	mmio_write32(gicd + GICD_ICACTIVER, ~0u);
	if (!has_security())
		mmio_write32(gicd + GICD_IGROUPR, 0);
	for (u32 i = 0; i < 32; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	mmio_write32(gicc + GICC_PMR, 0xff);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
}

static u32 v2_ack(void)
{
	u32 iar = mmio_read32(platform.gic.gicc + GICC_IAR);

	/* Keep the source CPU bits of SGIs: EOI and DIR need the whole IAR. */
	return iar & 0x1fff;
}

static void v2_eoi(u32 iar)
{
	mmio_write32(platform.gic.gicc + GICC_EOIR, iar);
}

static void v2_deactivate(u32 iar)
{
	mmio_write32(platform.gic.gicc + GICC_DIR, iar);
}

static void v2_enable(u32 intid, bool on)
{
	mmio_write32(platform.gic.gicd + (on ? GICD_ISENABLER : GICD_ICENABLER) +
			     intid / 32 * 4,
		     BIT(intid % 32));
}

static void v2_route_spi(u32 intid, u32 pcpu)
{
	mmio_write8(platform.gic.gicd + GICD_ITARGETSR + intid, cpu_mask[pcpu]);
}

static void v2_set_level(u32 intid, bool level)
{
	gic_dist_set_level(platform.gic.gicd, intid, level);
}

static void v2_send_sgi(u32 pcpu, u32 sgi)
{
	dsb(ishst);
	mmio_write32(platform.gic.gicd + GICD_SGIR,
		     (u32)cpu_mask[pcpu] << 16 | (sgi & 0xf));
}

/* Registers for INTIDs 0-31 are banked per CPU: this CPU's. */
static void v2_set_active(u32 intid, bool on)
{
	mmio_write32(platform.gic.gicd + (on ? GICD_ISACTIVER : GICD_ICACTIVER) +
			     intid / 32 * 4,
		     BIT(intid % 32));
}

static bool v2_is_active(u32 intid)
{
	return mmio_read32(platform.gic.gicd + GICD_ISACTIVER + intid / 32 * 4) &
	       BIT(intid % 32);
}

const struct gic_ops gicv2_ops = {
	.init = v2_init,
	.cpu_init = v2_cpu_init,
	.ack = v2_ack,
	.eoi = v2_eoi,
	.deactivate = v2_deactivate,
	.enable = v2_enable,
	.route_spi = v2_route_spi,
	.set_level = v2_set_level,
	.send_sgi = v2_send_sgi,
	.set_active = v2_set_active,
	.is_active = v2_is_active,
};
