/*
 * A passed-through level interrupt the guest makes untakeable, one way at
 * a time, while its device holds the line high (tests/integration/
 * untakeable.py, tests/configs/run/untakeable.c): routed to no vCPU,
 * disabled in the distributor, masked by the CPU interface's priority mask,
 * by its own priority, by its group at the distributor or at the CPU
 * interface, and left active (acknowledged, never ended). Each time the
 * interrupt must stay away while the condition lasts, its physical CPU must
 * go on running the other VM there (guests/steady), and it must arrive once
 * the guest undoes the condition.
 *
 * The device is QEMU virt's PL031 RTC (PrimeCell PL031 TRM): an alarm at
 * the current count raises its interrupt, which stays high until RTCICR
 * clears it.
 */
#include "gic.h"
#include "guest.h"
#include "guest_platform.h"
#include "mmio.h"

#define RTC 0x09010000UL
#define RTC_INTID 34
#define RTCDR 0x00   /* data: the count, in seconds */
#define RTCMR 0x04   /* match */
#define RTCIMSC 0x10 /* interrupt mask set (1: enabled) */
#define RTCRIS 0x14  /* raw interrupt status */
#define RTCMIS 0x18  /* masked interrupt status: the line */
#define RTCICR 0x1c  /* interrupt clear */

#define GICD VIRT_GICD_BASE
#define GICC VIRT_GICC_BASE
#define GICD_CTLR 0x000
#define GICD_ICENABLER 0x180
#define GICD_ISENABLER 0x100
#define GICD_ICPENDR 0x280
#define GICD_ITARGETSR 0x800
#define GICD_IROUTER 0x6000
#define GICC_CTLR 0x000
#define PRIO 0x80
#define QUIET_MS 200 /* how long the held line must stay away */
#define ARRIVE_MS 500

static volatile u32 taken;
static volatile bool hold;   /* leave the next one active */
static volatile u32 held_iar;

static bool on_irq(struct guest_regs *regs, u64 kind)
{
	if (kind != EXC_IRQ)
		return false;
	u32 iar = gic_ack(), id = GIC_IAR_INTID(iar);

	if (id >= 1020)
		return true;
	if (id == RTC_INTID && hold) {
		/* Acknowledged and left active: the line stays high. */
		hold = false;
		held_iar = iar;
		taken = taken + 1;
		return true;
	}
	if (id == RTC_INTID) {
		mmio_write32(RTC + RTCICR, 1);
		taken = taken + 1;
	} else {
		printf("FAIL: unexpected interrupt %u\n", id);
	}
	gic_eoi(iar);
	return true;
}

/* Raises the RTC's line: an alarm at the count now (the count may tick
 * between reading it and writing the match: then try again). */
static bool rtc_raise(void)
{
	mmio_write32(RTC + RTCIMSC, 1);
	for (int i = 0; i < 10; i++) {
		mmio_write32(RTC + RTCMR, mmio_read32(RTC + RTCDR));
		if (mmio_read32(RTC + RTCMIS) & 1)
			return true;
	}
	return false;
}

static void route(bool nowhere)
{
	if (!nowhere)
		gic_route_spi(RTC_INTID, 0);
	else if (gic_v3)
		mmio_write64(GICD + GICD_IROUTER + 8UL * RTC_INTID, 7); /* Aff0 7 */
	else
		mmio_write8(GICD + GICD_ITARGETSR + RTC_INTID, 0);
}

static void enable(bool on)
{
	mmio_write32(GICD + (on ? GICD_ISENABLER : GICD_ICENABLER) + RTC_INTID / 32 * 4,
		     BIT(RTC_INTID % 32));
}

/* The distributor's enable of the group the interrupt is in (GICv3:
 * Group 1 with ARE; GICv2: Group 0, see guests/common/gic.c). */
static void dist_group(bool on)
{
	if (gic_v3)
		mmio_write32(GICD + GICD_CTLR, BIT(4) | (on ? BIT(1) : 0));
	else
		mmio_write32(GICD + GICD_CTLR, on ? 3 : 2);
}

static void cpu_group(bool on)
{
	if (gic_v3)
		write_sysreg(on, S3_0_C12_C12_7); /* ICC_IGRPEN1_EL1 */
	else
		mmio_write32(GICC + GICC_CTLR, on ? 3 : 2);
	isb();
}

static void pmr_low(bool on) { gic_set_pmr(on ? PRIO : 0xff); }
/* Below a mask of 0xc0 (which the ways after this one keep), then above. */
static void prio_low(bool on)
{
	if (on)
		gic_set_pmr(0xc0);
	gic_set_priority(RTC_INTID, on ? 0xf0 : PRIO);
}
static void no_target(bool on) { route(on); }
static void disabled(bool on) { enable(!on); }
static void group_off(bool on) { dist_group(!on); }
static void cpu_group_off(bool on) { cpu_group(!on); }

struct way {
	const char *what, *undo;
	void (*block)(bool on);
};

static const struct way ways[] = {
	{ "routed to no vCPU", "routed to vCPU 0", no_target },
	{ "disabled in the distributor", "enabled", disabled },
	{ "masked by the CPU interface's priority mask", "mask lifted", pmr_low },
	{ "masked by its own priority", "priority raised", prio_low },
	{ "its group disabled in the distributor", "group enabled", group_off },
	{ "its group disabled at the CPU interface", "group enabled", cpu_group_off },
};

static void untakeable(const struct way *w)
{
	u32 before = taken;

	w->block(true);
	if (!rtc_raise()) {
		report(false, "%s: the RTC raised its interrupt", w->what);
		return;
	}
	delay_ms(QUIET_MS);
	bool quiet = taken == before;
	bool high = mmio_read32(RTC + RTCMIS) & 1;

	report(quiet && high, "SPI %u %s, its line high for %u ms: not taken (%u times)",
	       RTC_INTID, w->what, QUIET_MS, taken - before);
	w->block(false);
	bool came = spin_until(taken == before + 1, ARRIVE_MS);

	report(came && !(mmio_read32(RTC + RTCMIS) & 1),
	       "... %s: taken once (%u times)", w->undo, taken - before);
}

/* Acknowledged and never ended: it must not come again until its end. */
static void left_active(void)
{
	u32 before = taken;

	hold = true;
	if (!rtc_raise()) {
		report(false, "left active: the RTC raised its interrupt");
		return;
	}
	bool first = spin_until(taken == before + 1, ARRIVE_MS);
	delay_ms(QUIET_MS);
	report(first && taken == before + 1 && (mmio_read32(RTC + RTCMIS) & 1),
	       "SPI %u acknowledged and left active, its line high for %u ms: taken once "
	       "(%u times)", RTC_INTID, QUIET_MS, taken - before);
	gic_eoi(held_iar);
	bool again = spin_until(taken == before + 2, ARRIVE_MS);

	report(again && !(mmio_read32(RTC + RTCMIS) & 1),
	       "... ended: taken again, once (%u times in all)", taken - before);
}

/* Pending cleared (GICD_ICPENDR) while masked, its line still high: a
 * level source asserted is pending again, and must come once unmasked. */
static void pending_cleared(void)
{
	u32 before = taken;

	gic_set_pmr(0);
	if (!rtc_raise()) {
		report(false, "pending cleared: the RTC raised its interrupt");
		return;
	}
	delay_ms(20);
	mmio_write32(GICD + GICD_ICPENDR + RTC_INTID / 32 * 4, BIT(RTC_INTID % 32));
	delay_ms(20);
	gic_set_pmr(0xff);
	bool came = spin_until(taken == before + 1, ARRIVE_MS);

	report(came && !(mmio_read32(RTC + RTCMIS) & 1),
	       "SPI %u masked, its pending state cleared while its line is high: taken "
	       "once unmasked (%u times)", RTC_INTID, taken - before);
}

void guest_main(void);
void guest_main(void)
{
	printf("# untakeable: GICv%u, SPI %u of the PL031\n",
	       FIELD_GET(read_sysreg(id_aa64pfr0_el1), 27, 24) ? 3 : 2, RTC_INTID);
	set_exception_handler(on_irq);
	gic_init();
	gic_cpu_init();
	mmio_write32(RTC + RTCICR, 1);
	gic_set_edge(RTC_INTID, false);
	gic_enable_irq(RTC_INTID, PRIO);
	irq_enable();
	for (u32 i = 0; i < ARRAY_SIZE(ways); i++)
		untakeable(&ways[i]);
	left_active();
	pending_cleared();
	report_done();
}
