/* Distributor helpers both GIC generations share. */
#include "gic_ops.h"
#include "gic.h"
#include "mmio.h"

void gic_dist_reset_spis(u64 gicd)
{
	u32 lines = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);

	for (u32 i = 32; i < lines; i += 32) {
		mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(gicd + GICD_ICPENDR + i / 8, ~0u);
		mmio_write32(gicd + GICD_ICACTIVER + i / 8, ~0u);
		mmio_write32(gicd + GICD_IGROUPR + i / 8, ~0u);
	}
	for (u32 i = 32; i < lines; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	for (u32 i = 32; i < lines; i += 16)
		mmio_write32(gicd + GICD_ICFGR + i / 4, 0);
}

void gic_dist_set_level(u64 base, u32 intid, bool level)
{
	u64 reg = base + GICD_ICFGR + intid / 16 * 4;
	u32 shift = (intid % 16) * 2 + 1;
	u32 v = mmio_read32(reg);

	v = level ? v & ~(1u << shift) : v | (1u << shift);
	mmio_write32(reg, v);
}
