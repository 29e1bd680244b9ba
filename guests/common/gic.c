/* The payloads' GIC driver (see gic.h); register layouts from the GICv3
 * and GICv2 architecture specifications. */
#include "gic.h"
#include "guest_platform.h"
#include "mmio.h"
#include "sysreg.h"

#define GICD VIRT_GICD_BASE
#define GICC VIRT_GICC_BASE

#define GICD_CTLR 0x000
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_IROUTER 0x6000

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000

#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010

bool gic_v3;

static u64 mpidr_aff(void)
{
	return read_sysreg(mpidr_el1) & 0xff00ffffffUL;
}

/* This vCPU's redistributor: the frame whose TYPER names its affinity. */
static u64 rdist(void)
{
	u64 aff = mpidr_aff(), rd = VIRT_GICR_BASE;
	u64 want = (aff & 0xffffff) | ((aff >> 32) & 0xff) << 24;

	for (int i = 0; i < 64; i++, rd += VIRT_GICR_STRIDE) {
		u64 typer = mmio_read64(rd + GICR_TYPER);

		if (typer >> 32 == want)
			return rd;
		if (typer & BIT(4)) /* Last */
			break;
	}
	return VIRT_GICR_BASE;
}

/* SGI/PPI registers: the redistributor's SGI frame, or GICv2's banked
 * distributor registers. */
static u64 private_base(void)
{
	return gic_v3 ? rdist() + GICR_SGI : GICD;
}

/* GICv3: Group 1 (the only one the system-register interface signals as
 * IRQ). GICv2: Group 0, as Linux does, which GICC_IAR acknowledges
 * without AckCtl. */
static u32 group_bits(void)
{
	return gic_v3 ? ~0u : 0;
}

void gic_init(void)
{
	gic_v3 = FIELD_GET(read_sysreg(id_aa64pfr0_el1), 27, 24) != 0;
	/* GICv3: ARE and EnableGrp1 (bit 4, bit 1); GICv2: both groups. */
	mmio_write32(GICD + GICD_CTLR, gic_v3 ? (BIT(4) | BIT(1)) : 3);
}

void gic_cpu_init(void)
{
	if (gic_v3) {
		u64 rd = rdist();

		mmio_write32(rd + GICR_WAKER, 0);
		write_sysreg(0x7, S3_0_C12_C12_5);  /* ICC_SRE_EL1: SRE */
		isb();
		write_sysreg(0xff, S3_0_C4_C6_0);   /* ICC_PMR_EL1 */
		write_sysreg(0, S3_0_C12_C12_4);    /* ICC_CTLR_EL1: EOI drops and deactivates */
		write_sysreg(1, S3_0_C12_C12_7);    /* ICC_IGRPEN1_EL1 */
		isb();
	} else {
		mmio_write32(GICC + GICC_PMR, 0xff);
		mmio_write32(GICC + GICC_CTLR, 3);
	}
	mmio_write32(private_base() + GICD_IGROUPR, group_bits());
}

void gic_enable_irq(u32 intid, u8 prio)
{
	u64 base = intid < 32 ? private_base() : GICD;

	mmio_write8(base + GICD_IPRIORITYR + intid, prio);
	if (intid >= 32) {
		u64 reg = GICD + GICD_IGROUPR + intid / 32 * 4;
		u32 g = mmio_read32(reg) & ~BIT(intid % 32);

		mmio_write32(reg, g | (group_bits() & BIT(intid % 32)));
		if (gic_v3)
			mmio_write64(GICD + GICD_IROUTER + 8UL * intid, mpidr_aff());
		else
			mmio_write8(GICD + GICD_ITARGETSR + intid,
				    mmio_read8(GICD + GICD_ITARGETSR));
	}
	mmio_write32(base + GICD_ISENABLER + intid / 32 * 4, BIT(intid % 32));
}

void gic_disable_irq(u32 intid)
{
	u64 base = intid < 32 ? private_base() : GICD;

	mmio_write32(base + GICD_ICENABLER + intid / 32 * 4, BIT(intid % 32));
}

void gic_set_edge(u32 intid, bool edge)
{
	u64 base = intid < 32 ? private_base() : GICD;
	u64 reg = base + GICD_ICFGR + intid / 16 * 4;
	u32 bit = BIT((intid % 16) * 2 + 1);
	u32 v = mmio_read32(reg);

	mmio_write32(reg, edge ? v | bit : v & ~bit);
}

u32 gic_ack(void)
{
	if (gic_v3)
		return read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
	return mmio_read32(GICC + GICC_IAR);
}

void gic_eoi(u32 iar)
{
	if (gic_v3)
		write_sysreg(iar, S3_0_C12_C12_1); /* ICC_EOIR1_EL1 */
	else
		mmio_write32(GICC + GICC_EOIR, iar);
}

void gic_send_sgi(u64 mask, u32 sgi)
{
	if (gic_v3) {
		/* Aff3-1 = 0, target list = Aff0 bits. */
		write_sysreg((u64)(sgi & 0xf) << 24 | (mask & 0xffff),
			     S3_0_C12_C11_5); /* ICC_SGI1R_EL1 */
		isb();
	} else {
		mmio_write32(GICD + GICD_SGIR, (u32)(mask & 0xff) << 16 | (sgi & 0xf));
	}
}

u64 gic_private_base(void)
{
	return private_base();
}

void gic_set_priority(u32 intid, u8 prio)
{
	mmio_write8((intid < 32 ? private_base() : GICD) + GICD_IPRIORITYR + intid,
		    prio);
}

void gic_set_pending(u32 intid)
{
	u64 base = intid < 32 ? private_base() : GICD;

	mmio_write32(base + GICD_ISPENDR + intid / 32 * 4, BIT(intid % 32));
}

void gic_route_spi(u32 intid, u32 cpu)
{
	if (gic_v3)
		mmio_write64(GICD + GICD_IROUTER + 8UL * intid, cpu);
	else
		mmio_write8(GICD + GICD_ITARGETSR + intid, (u8)BIT(cpu));
}

void gic_set_pmr(u8 pmr)
{
	if (gic_v3)
		write_sysreg(pmr, S3_0_C4_C6_0); /* ICC_PMR_EL1 */
	else
		mmio_write32(GICC + GICC_PMR, pmr);
	isb();
}

void vtimer_arm(u64 ticks)
{
	write_sysreg(ticks, cntv_tval_el0);
	write_sysreg(1, cntv_ctl_el0); /* ENABLE, not masked */
	isb();
}

void vtimer_stop(void)
{
	write_sysreg(0, cntv_ctl_el0);
	isb();
}

void ptimer_arm(u64 ticks)
{
	write_sysreg(ticks, cntp_tval_el0);
	write_sysreg(1, cntp_ctl_el0);
	isb();
}

void ptimer_stop(void)
{
	write_sysreg(0, cntp_ctl_el0);
	isb();
}
