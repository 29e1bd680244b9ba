/* GICv3 (Arm IHI 0069): distributor with affinity routing, one
 * redistributor per CPU, CPU interface through system registers. */
#include "gic.h"
#include "gic_ops.h"
#include "layout.h"
#include "mmio.h"
#include "platform.h"
#include "sysreg.h"

#define GICD_CTLR_RWP BIT(31)
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_GRP1 BIT(1)

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_TYPER_LAST BIT(4)
#define WAKER_PROCESSOR_SLEEP BIT(1)
#define WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_SGI_FRAME 0x10000

#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_ENABLE BIT(3) /* EL1 may use ICC_SRE_EL1 */
#define ICC_CTLR_EOIMODE BIT(1)

/* Each CPU's redistributor, found by affinity at gic_cpu_init. */
static u64 rdist[MAX_CPUS];

static u32 this_cpu(void)
{
	u64 mpidr = this_mpidr();

	for (u32 i = 0; i < platform.nr_cpus; i++)
		if (platform.cpus[i].mpidr == mpidr)
			return i;
	return 0;
}

static void wait_rwp(u64 reg)
{
	while (mmio_read32(reg) & GICD_CTLR_RWP)
		;
}

static void v3_init(void)
{
	u64 gicd = platform.gic.gicd;

	mmio_write32(gicd + GICD_CTLR, 0);
	wait_rwp(gicd + GICD_CTLR);
	gic_dist_reset_spis(gicd);
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	wait_rwp(gicd + GICD_CTLR);
}

static u64 find_rdist(u64 mpidr)
{
	/* GICR_TYPER.Affinity packs Aff3.Aff2.Aff1.Aff0 into bits 63:32. */
	u64 want = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
	u64 rd = platform.gic.gicr;

	for (u32 i = 0; i < MAX_CPUS * 4; i++, rd += platform.gic.gicr_stride) {
		u64 typer = mmio_read64(rd + GICR_TYPER);

		if ((typer >> 32) == want)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

static void v3_cpu_init(void)
{
	u32 cpu = this_cpu();
	u64 rd = find_rdist(this_mpidr());
	u64 sgi = rd + GICR_SGI_FRAME;

	rdist[cpu] = rd;
	if (!rd)
		return; /* reported by the caller through gic_ack never firing */
	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
		;
	/* SGIs and PPIs: group 1, disabled until asked for, default priority. */
	mmio_write32(sgi + GICD_IGROUPR, ~0u);
	mmio_write32(sgi + GICD_ICENABLER, ~0u);
	mmio_write32(sgi + GICD_ICACTIVER, ~0u);
	for (u32 i = 0; i < 32; i += 4)
		mmio_write32(sgi + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);

	write_sysreg(ICC_SRE_SRE | ICC_SRE_ENABLE, S3_4_C12_C9_5); /* ICC_SRE_EL2 */
	isb();
	write_sysreg(0xff, S3_0_C4_C6_0);                /* ICC_PMR_EL1 */
	write_sysreg(0, S3_0_C12_C12_3);                 /* ICC_BPR1_EL1 */
	write_sysreg(ICC_CTLR_EOIMODE, S3_0_C12_C12_4);  /* ICC_CTLR_EL1 */
	write_sysreg(1, S3_0_C12_C12_7);                 /* ICC_IGRPEN1_EL1 */
	isb();
}

static u32 v3_ack(void)
{
	u32 intid = read_sysreg(S3_0_C12_C12_0) & 0xffffff; /* ICC_IAR1_EL1 */

	dsb(sy);
	return intid;
}

static void v3_eoi(u32 intid)
{
	write_sysreg(intid, S3_0_C12_C12_1); /* ICC_EOIR1_EL1 */
	isb();
}

static void v3_deactivate(u32 intid)
{
	write_sysreg(intid, S3_0_C12_C11_1); /* ICC_DIR_EL1 */
	isb();
}

/* SGIs and PPIs live in this CPU's redistributor, SPIs in the distributor. */
static u64 reg_base(u32 intid)
{
	return intid < 32 ? rdist[this_cpu()] + GICR_SGI_FRAME : platform.gic.gicd;
}

static void v3_enable(u32 intid, bool on)
{
	u64 reg = reg_base(intid) + (on ? GICD_ISENABLER : GICD_ICENABLER);

	mmio_write32(reg + intid / 32 * 4, BIT(intid % 32));
	if (intid >= 32)
		wait_rwp(platform.gic.gicd + GICD_CTLR);
}

static void v3_route_spi(u32 intid, u32 pcpu)
{
	u64 mpidr = platform.cpus[pcpu].mpidr;

	mmio_write64(platform.gic.gicd + GICD_IROUTER + 8UL * intid,
		     mpidr & MPIDR_AFF_MASK);
}

static void v3_set_level(u32 intid, bool level)
{
	gic_dist_set_level(reg_base(intid), intid, level);
}

static void v3_send_sgi(u32 pcpu, u32 sgi)
{
	u64 m = platform.cpus[pcpu].mpidr;
	/* ICC_SGI1R_EL1: Aff3 [55:48], Aff2 [39:32], INTID [27:24],
	 * Aff1 [23:16], target list [15:0] (Aff0 < 16). */
	u64 v = ((m >> 32) & 0xff) << 48 | ((m >> 16) & 0xff) << 32 |
		(u64)(sgi & 0xf) << 24 | ((m >> 8) & 0xff) << 16 |
		BIT(m & 0xf);

	dsb(ishst); /* what the target must see before the SGI */
	write_sysreg(v, S3_0_C12_C11_5);
	isb();
}

static void v3_set_active(u32 intid, bool on)
{
	u64 reg = reg_base(intid) + (on ? GICD_ISACTIVER : GICD_ICACTIVER);

	mmio_write32(reg + intid / 32 * 4, BIT(intid % 32));
}

static bool v3_is_active(u32 intid)
{
	return mmio_read32(reg_base(intid) + GICD_ISACTIVER + intid / 32 * 4) &
	       BIT(intid % 32);
}

const struct gic_ops gicv3_ops = {
	.init = v3_init,
	.cpu_init = v3_cpu_init,
	.ack = v3_ack,
	.eoi = v3_eoi,
	.deactivate = v3_deactivate,
	.enable = v3_enable,
	.route_spi = v3_route_spi,
	.set_level = v3_set_level,
	.send_sgi = v3_send_sgi,
	.set_active = v3_set_active,
	.is_active = v3_is_active,
};
