/*
 * A passed-through device interrupt made untakeable while its device holds
 * it high: QEMU's PL031 RTC, whose window and SPI 34 the configuration
 * (tests/configs/run/hostile.c) gives this VM. Its line is raised (an alarm
 * at the count now) and cleared at random, and the SPI is routed to either
 * vCPU or to none, enabled and disabled, given any priority, masked by the
 * CPU interface's priority mask or group enables, acknowledged and left
 * active. Nothing is checked here: the SPI targets the CPU of the vCPU it
 * was last routed to, vCPU 1's shares CPU 0 with guests/steady, and an
 * interrupt storm at EL2 there would stop steady's heartbeat.
 */
#include "gic.h"
#include "hostile.h"
#include "guest_platform.h"
#include "mmio.h"

#define GICD VIRT_GICD_BASE
#define GICC VIRT_GICC_BASE
#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_IROUTER 0x6000
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010

#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCICR 0x1c

/* An interrupt acknowledged and kept active, per vCPU (0: none). */
static u64 held[HZ_MAX_CPUS];

static void raise_line(void)
{
	mmio_write32(HZ_RTC_IPA + RTCIMSC, 1);
	mmio_write32(HZ_RTC_IPA + RTCMR, mmio_read32(HZ_RTC_IPA + RTCDR));
}

static void route(struct hz_cpu *c)
{
	if (env.v3)
		mmio_write64(GICD + GICD_IROUTER + 8UL * HZ_RTC_INTID,
			     rnd_below(c, 8) | (chance(c, 8) ? BIT(31) : 0));
	else
		mmio_write8(GICD + GICD_ITARGETSR + HZ_RTC_INTID,
			    chance(c, 2) ? 0 : (u8)rnd(c));
}

/* Acknowledges what is pending (interrupts are masked here): the RTC's is
 * kept active, anything else ended. */
static void ack_and_hold(struct hz_cpu *c)
{
	u64 iar = env.v3 ? read_sysreg(S3_0_C12_C12_0) /* ICC_IAR1_EL1 */
			 : mmio_read32(GICC + GICC_IAR);
	u32 intid = iar & 0x3ff;

	if (intid >= 1020)
		return;
	c->irqs++;
	if (intid == HZ_RTC_INTID && !held[c->index]) {
		held[c->index] = iar | BIT(63);
		return;
	}
	if (env.v3)
		write_sysreg(iar, S3_0_C12_C12_1); /* ICC_EOIR1_EL1 */
	else
		mmio_write32(GICC + GICC_EOIR, (u32)iar);
	isb();
}

static void end_held(struct hz_cpu *c)
{
	u64 iar = held[c->index];

	if (!iar)
		return;
	held[c->index] = 0;
	if (env.v3)
		write_sysreg(iar & 0xffffff, S3_0_C12_C12_1);
	else
		mmio_write32(GICC + GICC_EOIR, (u32)iar);
	isb();
}

void hz_op_spi(struct hz_cpu *c)
{
	u32 bit = BIT(HZ_RTC_INTID % 32), reg = HZ_RTC_INTID / 32 * 4;

	c->tried[K_spi]++;
	hz_gic_lock(c);
	switch (rnd_below(c, 10)) {
	case 0:
	case 1:
		raise_line();
		break;
	case 2:
		mmio_write32(HZ_RTC_IPA + RTCICR, 1);
		if (chance(c, 4))
			mmio_write32(HZ_RTC_IPA + RTCIMSC, 0);
		break;
	case 3:
		route(c);
		break;
	case 4:
		mmio_write32(GICD + (chance(c, 2) ? GICD_ISENABLER : GICD_ICENABLER) + reg, bit);
		break;
	case 5:
		mmio_write8(GICD + GICD_IPRIORITYR + HZ_RTC_INTID, (u8)rnd(c));
		break;
	case 6: /* group enables, distributor (GICv3 with ARE) or CPU interface */
		if (chance(c, 2))
			mmio_write32(GICD + GICD_CTLR,
				     (env.v3 ? BIT(4) : 0) | rnd_below(c, 4));
		else if (env.v3)
			write_sysreg(rnd_below(c, 2), S3_0_C12_C12_7); /* ICC_IGRPEN1_EL1 */
		else
			mmio_write32(GICC + GICC_CTLR, rnd_below(c, 4));
		isb();
		break;
	case 7:
		if (env.v3)
			write_sysreg(rnd(c) & 0xff, S3_0_C4_C6_0); /* ICC_PMR_EL1 */
		else
			mmio_write32(GICC + GICC_PMR, rnd(c) & 0xff);
		isb();
		break;
	case 8:
		ack_and_hold(c);
		break;
	default:
		if (chance(c, 2))
			end_held(c);
		else
			mmio_write32(GICD + GICD_ICPENDR + reg, bit);
		break;
	}
	hz_gic_unlock(c);
}
