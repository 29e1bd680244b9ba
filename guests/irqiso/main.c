/*
 * Interrupt isolation between two VMs that run at once (and share a CPU):
 * one VM attacks its own virtual GIC with everything a guest can write,
 * SGIs to every target list, affinity and filter, every SPI enabled,
 * pended, activated and routed to every possible target, its PPIs pended;
 * the other, listening with only its own SGIs and timer enabled, must take
 * none of it and find its distributor as it left it. Then they swap.
 *
 * Both VMs run this image with two vCPUs (tests/configs/run/irqiso.c);
 * HC_VM_INFO tells each which it is. They order the rounds through a
 * shared page, each field written by one VM only.
 */
#include "gic.h"
#include "guest.h"
#include "guest_platform.h"
#include "mailbox.h"
#include "mmio.h"

#define NR_INTIDS 256
#define NR_CPUS 2
#define WAIT_MS 10000
#define SETTLE_MS 20
#define TICK_MS 2 /* the listener's timer period */
#define CONTROL_SGI 2

#define GICD VIRT_GICD_BASE
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICD_IROUTER 0x6000
#define GICR_SGI 0x10000
#define IROUTER_IRM BIT(31)

/* Each VM's progress, in the page both map: READY, then per round r
 * DONE(r) from the attacker and CHECKED(r) from the listener. */
struct iso_page {
	u32 stage[2];
};
#define READY 1
#define DONE(r) (2 + 2 * (r))
#define CHECKED(r) (3 + 2 * (r))

static u32 me, other;
static struct iso_page *page = (struct iso_page *)MAILBOX_IPA;

static u32 counts[NR_CPUS][NR_INTIDS]; /* written by each vCPU's handler */
static u32 ticking;                    /* vCPU 0's timer re-arms itself */
static u32 aborts;                     /* data aborts taken (expected) */
static u32 online;

static u32 this_cpu(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static bool on_exception(struct guest_regs *regs, u64 kind)
{
	u32 cpu = this_cpu() % NR_CPUS, iar, id;

	if (kind == EXC_SYNC && ESR_EC(regs->esr) == EC_DABT_CUR) {
		WRITE_ONCE(aborts, aborts + 1);
		regs->pc += 4;
		return true;
	}
	if (kind != EXC_IRQ)
		return false;
	iar = gic_ack();
	id = GIC_IAR_INTID(iar);
	if (id >= NR_INTIDS)
		return true; /* spurious */
	if (id == VTIMER_INTID) {
		if (READ_ONCE(ticking))
			vtimer_arm(counter_ms(TICK_MS));
		else
			vtimer_stop();
	}
	gic_eoi(iar);
	WRITE_ONCE(counts[cpu][id], counts[cpu][id] + 1);
	return true;
}

static void enable_own_sources(void)
{
	for (u32 i = 0; i < 16; i++)
		gic_enable_irq(i, 0x80);
}

static void secondary_main(u64 cpu)
{
	gic_cpu_init();
	enable_own_sources();
	WRITE_ONCE(online, 1);
	irq_enable();
	for (;;)
		wfi();
}

static u32 total(u32 cpu, u32 from, u32 to)
{
	u32 n = 0;

	for (u32 i = from; i < to; i++)
		n += READ_ONCE(counts[cpu][i]);
	return n;
}

/* ---- The attacker ---- */

static void sgi_write(u64 val)
{
	if (gic_v3) {
		write_sysreg(val, S3_0_C12_C11_5); /* ICC_SGI1R_EL1 */
		write_sysreg(val, S3_0_C12_C11_6); /* ICC_ASGI1R_EL1 */
		write_sysreg(val, S3_0_C12_C11_7); /* ICC_SGI0R_EL1 */
		isb();
	} else {
		mmio_write32(GICD + GICD_SGIR, (u32)val);
	}
}

/* Every SGI to every target a guest can name. */
static void attack_sgis(void)
{
	for (u64 sgi = 0; sgi < 16; sgi++) {
		if (!gic_v3) {
			for (u32 filter = 0; filter < 4; filter++)
				sgi_write(filter << 24 | 0xffu << 16 | sgi);
			mmio_write8(GICD + GICD_SPENDSGIR + sgi, 0xff);
			continue;
		}
		sgi_write(BIT(40) | sgi << 24); /* IRM */
		/* Every Aff0 range, then Aff3.Aff2.Aff1 other than 0.0.0. */
		for (u64 rs = 0; rs < 16; rs++)
			sgi_write(rs << 44 | sgi << 24 | 0xffff);
		for (u64 aff = 1; aff < 4; aff++)
			sgi_write(aff << 48 | aff << 32 | sgi << 24 | aff << 16 | 0xffff);
	}
}

/* Every SPI enabled, pending and routed to every target, in turn. */
static void attack_spis(void)
{
	for (u32 r = 1; r < NR_INTIDS / 32; r++) {
		mmio_write32(GICD + GICD_IGROUPR + 4 * r, gic_v3 ? ~0u : 0);
		mmio_write32(GICD + GICD_ISACTIVER + 4 * r, ~0u);
	}
	for (u32 i = 32; i < NR_INTIDS; i += 4)
		mmio_write32(GICD + GICD_IPRIORITYR + i, 0x80808080);
	for (u32 i = 32; i < NR_INTIDS; i++) {
		if (gic_v3) {
			for (u64 aff = 0; aff < 8; aff++)
				mmio_write64(GICD + GICD_IROUTER + 8 * i,
					     aff << 32 | aff << 16 | aff << 8 | aff);
			mmio_write64(GICD + GICD_IROUTER + 8 * i, IROUTER_IRM);
		} else {
			for (u32 t = 0; t < 8; t++)
				mmio_write8(GICD + GICD_ITARGETSR + i, (u8)BIT(t));
			mmio_write8(GICD + GICD_ITARGETSR + i, 0xff);
		}
	}
	/* Active ones are not delivered: clear that, then let them come. */
	for (u32 r = 1; r < NR_INTIDS / 32; r++) {
		mmio_write32(GICD + GICD_ICACTIVER + 4 * r, ~0u);
		mmio_write32(GICD + GICD_ISENABLER + 4 * r, ~0u);
		mmio_write32(GICD + GICD_ISPENDR + 4 * r, ~0u);
	}
}

/* This vCPU's PPIs (the timers' included) pended and enabled. */
static void attack_ppis(void)
{
	u64 pb = gic_private_base();

	mmio_write32(pb + GICD_ISPENDR, 0xffff0000);
	mmio_write32(pb + GICD_ISENABLER, 0xffff0000);
}

static void clean_up(void)
{
	u64 pb = gic_private_base();

	irq_disable();
	for (u32 r = 1; r < NR_INTIDS / 32; r++) {
		mmio_write32(GICD + GICD_ICENABLER + 4 * r, ~0u);
		mmio_write32(GICD + GICD_ICPENDR + 4 * r, ~0u);
		mmio_write32(GICD + GICD_ICACTIVER + 4 * r, ~0u);
	}
	mmio_write32(pb + GICD_ICENABLER, 0xffff0000);
	mmio_write32(pb + GICD_ICPENDR, 0xffff0000);
	gic_enable_irq(VTIMER_INTID, 0x80);
	/* As reset: the other VM checks the same of its own. */
	for (u32 r = 1; r < NR_INTIDS / 32; r++)
		mmio_write32(GICD + GICD_IGROUPR + 4 * r, 0);
	for (u32 i = 32; i < NR_INTIDS; i++) {
		mmio_write8(GICD + GICD_IPRIORITYR + i, 0);
		if (gic_v3)
			mmio_write64(GICD + GICD_IROUTER + 8 * i, 0);
		else
			mmio_write8(GICD + GICD_ITARGETSR + i, 0x01);
	}
	irq_enable();
	delay_ms(SETTLE_MS);
}

static void attack(u32 round)
{
	u32 spis0 = total(0, 32, NR_INTIDS), sgis1 = total(1, 0, 16);
	u32 got;

	printf("# round %u: VM %u attacks\n", round + 1, me);
	attack_sgis();
	attack_spis();
	attack_ppis();
	if (gic_v3) {
		/* The redistributor window ends with this VM's vCPUs. */
		u64 beyond = VIRT_GICR_BASE + NR_CPUS * VIRT_GICR_STRIDE;

		WRITE_ONCE(aborts, 0);
		mmio_write32(beyond + GICR_SGI + GICD_ISPENDR, ~0u);
		mmio_write32(beyond + GICR_SGI + GICD_ISENABLER, ~0u);
		report(READ_ONCE(aborts) == 2, "VM %u: writes to a redistributor frame "
		       "past its last vCPU fault (%u aborts)", me, READ_ONCE(aborts));
	}
	/* Its own SPIs all come, each once, to its vCPU 0. */
	spin_until(total(0, 32, NR_INTIDS) - spis0 >= NR_INTIDS - 32, WAIT_MS);
	delay_ms(SETTLE_MS);
	got = total(0, 32, NR_INTIDS) - spis0;
	report(got == NR_INTIDS - 32, "VM %u: its own %u SPIs, all pended, came to it "
	       "once each (%u)", me, NR_INTIDS - 32, got);
	report(total(1, 0, 16) - sgis1 >= 16, "VM %u: its own vCPU 1 took the SGIs "
	       "it was sent (%u)", me, total(1, 0, 16) - sgis1);
	clean_up();
}

/* ---- The listener ---- */

static bool spi_regs_clean(u32 reg, u32 want, u32 bytes_per_irq)
{
	u32 first = 32 * bytes_per_irq, end = NR_INTIDS * bytes_per_irq;

	for (u32 off = first / 8; off < end / 8; off += 4)
		if (mmio_read32(GICD + reg + off) != want)
			return false;
	return true;
}

static void listener_checks(u32 before[NR_CPUS][NR_INTIDS])
{
	u32 stray = 0, first = 0, ticks = counts[0][VTIMER_INTID] - before[0][VTIMER_INTID];
	u64 pb = gic_private_base();
	bool routes = true;

	for (u32 c = 0; c < NR_CPUS; c++)
		for (u32 i = 0; i < NR_INTIDS; i++) {
			u32 d = READ_ONCE(counts[c][i]) - before[c][i];

			if (d && !(c == 0 && i == VTIMER_INTID)) {
				if (!stray)
					first = c << 16 | i;
				stray += d;
			}
		}
	report(!stray, "VM %u while VM %u attacked: took no interrupt but its own "
	       "timer's (%u stray, the first INTID %u on vCPU %u)", me, other,
	       stray, first & 0xffff, first >> 16);
	report(ticks > 0, "VM %u: its timer interrupts kept coming meanwhile (%u)",
	       me, ticks);

	report(spi_regs_clean(GICD_ISENABLER, 0, 1) && spi_regs_clean(GICD_ISPENDR, 0, 1) &&
	       spi_regs_clean(GICD_ISACTIVER, 0, 1),
	       "VM %u: none of its SPIs is enabled, pending or active", me);
	report(spi_regs_clean(GICD_IGROUPR, 0, 1) && spi_regs_clean(GICD_IPRIORITYR, 0, 8) &&
	       spi_regs_clean(GICD_ICFGR, 0, 2),
	       "VM %u: its SPIs' groups, priorities and configuration are as reset", me);
	for (u32 i = 32; i < NR_INTIDS; i++)
		routes &= gic_v3 ? mmio_read64(GICD + GICD_IROUTER + 8 * i) == 0 :
				   mmio_read8(GICD + GICD_ITARGETSR + i) == 0x01;
	report(routes, "VM %u: its SPIs' routes are as reset (%s)", me,
	       gic_v3 ? "IROUTER 0" : "ITARGETSR 0x01");
	report(!(mmio_read32(pb + GICD_ISPENDR)) && !(mmio_read32(pb + GICD_ISACTIVER)) &&
	       (mmio_read32(pb + GICD_ISENABLER) == (0xffff | BIT(VTIMER_INTID))),
	       "VM %u: its SGIs and PPIs: none pending or active, its own enables kept", me);

	/* Its own interrupts still work. */
	u32 c0 = counts[0][CONTROL_SGI], c1 = counts[1][CONTROL_SGI];

	gic_send_sgi(3, CONTROL_SGI);
	spin_until(counts[0][CONTROL_SGI] != c0 && counts[1][CONTROL_SGI] != c1, WAIT_MS);
	delay_ms(SETTLE_MS);
	report(counts[0][CONTROL_SGI] - c0 == 1 && counts[1][CONTROL_SGI] - c1 == 1,
	       "VM %u: its own SGI %u still reaches both its vCPUs, once", me, CONTROL_SGI);
}

static void listen(u32 round)
{
	static u32 before[NR_CPUS][NR_INTIDS];
	bool done;

	for (u32 c = 0; c < NR_CPUS; c++)
		for (u32 i = 0; i < NR_INTIDS; i++)
			before[c][i] = READ_ONCE(counts[c][i]);
	WRITE_ONCE(ticking, 1);
	vtimer_arm(counter_ms(TICK_MS));
	/* Asleep but for the timer, until the attacker is done. */
	u64 end = counter_now() + counter_ms(WAIT_MS);

	irq_disable();
	while (!(done = READ_ONCE(page->stage[other]) >= DONE(round)) &&
	       counter_now() < end) {
		wfi();
		irq_enable();
		isb();
		irq_disable();
	}
	irq_enable();
	WRITE_ONCE(ticking, 0);
	delay_ms(SETTLE_MS);
	report(done, "VM %u: VM %u finished its attack", me, other);
	listener_checks(before);
}

static void set_stage(u32 s)
{
	dmb(sy);
	WRITE_ONCE(page->stage[me], s);
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res vm;

	hvc_res(HC_VM_INFO, 0, 0, 0, &vm);
	me = vm.a0 & 1;
	other = !me;
	set_exception_handler(on_exception);
	gic_init();
	gic_cpu_init();
	enable_own_sources();
	gic_enable_irq(VTIMER_INTID, 0x80);
	printf("# irqiso: VM %u of 2, %lu vCPUs, GICv%u\n", me, vm.a1, gic_v3 ? 3 : 2);
	report(vm.a1 == NR_CPUS && cpu_on(1, secondary_main, 1) == PSCI_RET_SUCCESS &&
	       spin_until(READ_ONCE(online), WAIT_MS), "VM %u: vCPU 1 started", me);
	irq_enable();

	set_stage(READY);
	report(spin_until(READ_ONCE(page->stage[other]) >= READY, WAIT_MS),
	       "VM %u: VM %u is up", me, other);
	for (u32 round = 0; round < 2; round++) {
		if (round == me) {
			attack(round);
			set_stage(DONE(round));
			/* The listener checks before this VM goes on. */
			spin_until(READ_ONCE(page->stage[other]) >= CHECKED(round), WAIT_MS);
		} else {
			listen(round);
			set_stage(CHECKED(round));
		}
	}
	report_done();
}
