/*
 * The virtual GIC from inside a VM, on either generation: distributor and
 * redistributor register semantics (byte accesses, read-as-zero fields,
 * banking), SGIs between the VM's vCPUs with every way of naming targets,
 * GICv2 SGI source IDs, priority order, the priority mask and DAIF.I, an
 * interrupt pending again while active, more pending interrupts than there
 * are list registers, and the virtual and EL1 physical timers waking each
 * vCPU from WFI.
 *
 * The same image runs with its vCPUs on CPUs of their own
 * (tests/configs/run/vgic.c) and with two vCPUs time-sliced on one CPU
 * (vgic-shared.c): the results must not differ. It needs 2 to 4 vCPUs.
 *
 * vCPU 0 drives and prints; the others start in a loop that sleeps in WFI
 * and runs what vCPU 0 posts for it (rung by SGI 15). Every vCPU's
 * interrupt handler logs what it takes; each log has one writer.
 */
#include "gic.h"
#include "guest.h"
#include "guest_platform.h"
#include "mmio.h"

#define MAX_CPUS 4
#define NR_INTIDS 256
#define LOG_LEN 64
#define WAIT_MS 2000
#define SETTLE_MS 20 /* time for a stray interrupt to arrive */
#define DOORBELL 15  /* SGI: a command is waiting */

#define GICD VIRT_GICD_BASE
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
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
#define GICD_PIDR2_V2 0xfe8
#define GICD_IROUTER 0x6000
#define GICD_PIDR2_V3 0xffe8
#define CTLR_ARE BIT(4)
#define CTLR_DS BIT(6)
#define CTLR_RWP BIT(31)

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_SGI 0x10000
#define TYPER_LAST BIT(4)

#define IROUTER_IRM BIT(31)
#define SGI1R_IRM BIT(40)

static u32 nr_cpus;

static u32 this_cpu(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static u64 gicr(u32 cpu)
{
	return VIRT_GICR_BASE + cpu * VIRT_GICR_STRIDE;
}

static u32 archrev(u64 pidr2_addr)
{
	return (mmio_read32(pidr2_addr) >> 4) & 0xf;
}

/* ---- What each vCPU's handler takes ---- */

struct irq_log {
	u32 count[NR_INTIDS];
	u32 n;               /* interrupts taken */
	u16 order[LOG_LEN];  /* the last LOG_LEN, in order (a ring) */
	u8 source[LOG_LEN];  /* GICv2 SGIs: the sender's CPU ID */
	u64 timer_fired;     /* counter when a timer interrupt came */
	u32 spurious;
};
static struct irq_log logs[MAX_CPUS];

/* Set by vCPU 0 for the tests that need the handler to do more. */
static u32 handler_delay_ms;    /* busy time in each handler of vCPU 0 */
static u32 hold_intid = ~0u;    /* this one waits for release before EOI */
static u32 held, release;       /* handler -> vCPU 0, vCPU 0 -> handler */
static u32 repend_intid = ~0u;  /* vCPU 0 makes this SPI pending again */
static u32 storm_limit = ~0u;   /* a level storm: disable it past this */
static u32 active_seen;         /* vCPU 0: ISACTIVER had the SGI it took */
static u32 switched_in_handler; /* vCPU 0: handlers it was switched out of */

static u32 count(u32 cpu, u32 intid)
{
	return READ_ONCE(logs[cpu].count[intid]);
}

/* vCPU 0's i-th interrupt and its GICv2 source (i within LOG_LEN of n). */
static u32 taken_id(u32 i)
{
	return logs[0].order[i % LOG_LEN];
}

static u32 taken_source(u32 i)
{
	return logs[0].source[i % LOG_LEN];
}

static bool private_bit(u32 reg, u32 intid)
{
	return mmio_read32(gic_private_base() + reg) & BIT(intid);
}

static void irq_hooks(u32 me, u32 id)
{
	if (id == VTIMER_INTID)
		vtimer_stop(); /* level: quiet it before the EOI */
	else if (id == PTIMER_INTID)
		ptimer_stop();
	if (id == hold_intid && !READ_ONCE(held)) {
		WRITE_ONCE(held, 1);
		dmb(sy);
		spin_until(READ_ONCE(release), WAIT_MS);
	}
	if (me != 0)
		return;
	if (id == 11 && private_bit(GICD_ISACTIVER, 11) &&
	    !private_bit(GICD_ISPENDR, 11))
		active_seen++;
	if (id == repend_intid && count(0, id) == 0)
		gic_set_pending(id);
	if (count(0, id) + 1 >= storm_limit)
		gic_disable_irq(id);
	if (handler_delay_ms) {
		u64 t = counter_now();

		delay_ms(handler_delay_ms);
		if (counter_now() - t > counter_ms(handler_delay_ms + 1))
			switched_in_handler++;
	}
}

static bool on_exception(struct guest_regs *regs, u64 kind)
{
	u32 me = this_cpu();
	struct irq_log *l = &logs[me];

	if (kind != EXC_IRQ)
		return false;
	u32 iar = gic_ack(), id = GIC_IAR_INTID(iar);

	if (id >= 1020) {
		WRITE_ONCE(l->spurious, l->spurious + 1);
		return true;
	}
	if (id == VTIMER_INTID || id == PTIMER_INTID)
		l->timer_fired = counter_now();
	l->order[l->n % LOG_LEN] = id;
	l->source[l->n % LOG_LEN] = (iar >> 10) & 7;
	irq_hooks(me, id);
	gic_eoi(iar);
	/* Counted last: once vCPU 0 sees it, the handler is done. */
	dmb(sy);
	WRITE_ONCE(l->n, l->n + 1);
	WRITE_ONCE(l->count[id], l->count[id] + 1);
	return true;
}

/* Waits, IRQs masked, in WFI until cond holds (each wake lets pending
 * interrupts in): a wake-up can never slip between test and WFI. */
#define wfi_until(cond)                              \
	do {                                         \
		irq_disable();                       \
		while (!(cond)) {                    \
			wfi();                       \
			irq_enable();                \
			isb();                       \
			irq_disable();               \
		}                                    \
		irq_enable();                        \
	} while (0)

/* ---- Commands for the other vCPUs ---- */

enum { CMD_SGI = 1, CMD_READ32, CMD_TIMER, CMD_SPIN };

struct cmd {
	u32 op, seq;
	u64 a, b;
};
static struct cmd cmds[MAX_CPUS];     /* vCPU 0 -> vCPU i */
static u32 cmd_done[MAX_CPUS];        /* vCPU i -> vCPU 0 */
static u64 cmd_result[MAX_CPUS];
static u32 online[MAX_CPUS];

/* A raw SGI register write: ICC_SGI1R_EL1, or GICD_SGIR. */
static void sgi_raw(u64 val)
{
	if (gic_v3) {
		write_sysreg(val, S3_0_C12_C11_5); /* ICC_SGI1R_EL1 */
		isb();
	} else {
		mmio_write32(GICD + GICD_SGIR, (u32)val);
	}
}

/* The SGI register value that sends sgi to the vCPUs in mask. */
static u64 sgi_to(u64 mask, u32 sgi)
{
	return gic_v3 ? (u64)sgi << 24 | mask : mask << 16 | sgi;
}

static u64 sleep_for_timer(u32 intid, u64 ms)
{
	u32 me = this_cpu(), before = count(me, intid);
	u64 t0;

	gic_enable_irq(intid, 0x80);
	t0 = counter_now();
	if (intid == VTIMER_INTID)
		vtimer_arm(counter_ms(ms));
	else
		ptimer_arm(counter_ms(ms));
	wfi_until(count(me, intid) != before);
	return READ_ONCE(logs[me].timer_fired) - t0;
}

static u64 spin(u64 ms)
{
	u64 end = counter_now() + counter_ms(ms), n = 0;

	while (counter_now() < end)
		n++;
	return n;
}

static u64 run_cmd(const struct cmd *c)
{
	switch (c->op) {
	case CMD_SGI:
		sgi_raw(c->a);
		return 0;
	case CMD_READ32:
		return mmio_read32(c->a);
	case CMD_TIMER:
		return sleep_for_timer(c->a, c->b);
	case CMD_SPIN:
		return spin(c->a);
	default:
		return ~0UL;
	}
}

static void enable_sgis(void)
{
	for (u32 i = 0; i < 16; i++)
		gic_enable_irq(i, 0x80);
}

static void secondary_main(u64 cpu)
{
	u32 seen = 0;

	gic_cpu_init();
	enable_sgis();
	WRITE_ONCE(online[cpu], 1);
	for (;;) {
		wfi_until(READ_ONCE(cmds[cpu].seq) != seen);
		seen = cmds[cpu].seq;
		dmb(sy);
		cmd_result[cpu] = run_cmd(&cmds[cpu]);
		dmb(sy);
		WRITE_ONCE(cmd_done[cpu], seen);
	}
}

static u32 post(u32 cpu, u32 op, u64 a, u64 b)
{
	struct cmd *c = &cmds[cpu];
	u32 seq = c->seq + 1;

	c->op = op;
	c->a = a;
	c->b = b;
	dmb(sy);
	WRITE_ONCE(c->seq, seq);
	dsb(sy);
	gic_send_sgi(BIT(cpu), DOORBELL);
	return seq;
}

static u64 await(u32 cpu, u32 seq)
{
	if (!spin_until(READ_ONCE(cmd_done[cpu]) == seq, WAIT_MS)) {
		report(false, "vCPU %u finished its command within %u ms", cpu,
		       WAIT_MS);
		return ~0UL;
	}
	dmb(sy);
	return cmd_result[cpu];
}

static u64 run_on(u32 cpu, u32 op, u64 a, u64 b)
{
	return await(cpu, post(cpu, op, a, b));
}

/* ---- Distributor ---- */

static void check32(u64 addr, u32 want, const char *what)
{
	u32 got = mmio_read32(addr);

	report(got == want, "%s: 0x%08x (expected 0x%08x)", what, got, want);
}

static void ctlr_typer_iidr_pidr2(void)
{
	u32 on = gic_v3 ? CTLR_ARE | 3 : 3, fixed = gic_v3 ? CTLR_ARE | CTLR_DS : 0;
	u32 v, iidr;

	mmio_write32(GICD + GICD_CTLR, 0);
	check32(GICD + GICD_CTLR, fixed,
		"GICD_CTLR written 0: groups disabled, RWP clear");
	mmio_write32(GICD + GICD_CTLR, on);
	check32(GICD + GICD_CTLR, on | fixed,
		"GICD_CTLR written both group enables: they read back, RWP clear");
	v = mmio_read32(GICD + GICD_CTLR);
	report(!(v & CTLR_RWP), "GICD_CTLR.RWP reads 0 right after a write");
	gic_init(); /* what the rest of the test runs with */

	v = mmio_read32(GICD + GICD_TYPER);
	report((v & 0x1f) == 7, "GICD_TYPER.ITLinesNumber %u: 32 * (N + 1) = 256 INTIDs",
	       v & 0x1f);
	if (gic_v3)
		report(((v >> 19) & 0x1f) >= 7 && !(v & BIT(17)),
		       "GICD_TYPER.IDbits %u covers INTID 255, LPIS clear (0x%x)",
		       (v >> 19) & 0x1f, v);
	else
		report(((v >> 5) & 7) == nr_cpus - 1,
		       "GICD_TYPER.CPUNumber %u = vCPUs - 1", (v >> 5) & 7);
	mmio_write32(GICD + GICD_TYPER, 0);
	report(mmio_read32(GICD + GICD_TYPER) == v, "GICD_TYPER ignores writes");

	iidr = mmio_read32(GICD + GICD_IIDR);
	mmio_write32(GICD + GICD_IIDR, 0);
	report(iidr && mmio_read32(GICD + GICD_IIDR) == iidr,
	       "GICD_IIDR 0x%08x: an implementer, read-only", iidr);
	if (gic_v3)
		report(archrev(GICD + GICD_PIDR2_V3) == 3,
		       "GICD_PIDR2 (0xffe8) ArchRev %u: GICv3",
		       archrev(GICD + GICD_PIDR2_V3));
	else
		report(archrev(GICD + GICD_PIDR2_V2) == 2,
		       "GICD_PIDR2 (0xfe8) ArchRev %u: GICv2",
		       archrev(GICD + GICD_PIDR2_V2));
}

/* INTIDs 64-95 are used by no other test: free for register games. */
#define SPI_REG 2

static void bit_array(const char *name, u32 set, u32 clear)
{
	u64 s = GICD + set + SPI_REG * 4, c = GICD + clear + SPI_REG * 4;
	bool ok = mmio_read32(s) == 0;

	mmio_write32(s, 0x0000f00f);
	ok &= mmio_read32(s) == 0x0000f00f && mmio_read32(c) == 0x0000f00f;
	mmio_write32(s, 0x00f00000); /* zeros leave bits alone */
	ok &= mmio_read32(s) == 0x00f0f00f;
	mmio_write32(c, 0x0000000f);
	ok &= mmio_read32(s) == 0x00f0f000 && mmio_read32(c) == 0x00f0f000;
	mmio_write32(c, ~0u);
	ok &= mmio_read32(s) == 0;
	report(ok, "%s: write-1-to-set and write-1-to-clear on INTIDs 64-95, both "
	       "read the state (now 0x%08x)", name, mmio_read32(s));
}

static void groups_enables_pending_active(void)
{
	u64 g = GICD + GICD_IGROUPR + SPI_REG * 4;
	u32 saved = mmio_read32(g);
	bool ok = true;

	static const u32 patterns[] = { ~0u, 0, 0x5a5a5a5a };
	for (u32 i = 0; i < ARRAY_SIZE(patterns); i++) {
		mmio_write32(g, patterns[i]);
		ok &= mmio_read32(g) == patterns[i];
	}
	mmio_write32(g, saved);
	report(ok, "GICD_IGROUPR2: every group bit of INTIDs 64-95 is read/write");

	/* All disabled: nothing is delivered while they are pending. */
	bit_array("ISENABLER/ICENABLER", GICD_ISENABLER, GICD_ICENABLER);
	bit_array("ISPENDR/ICPENDR", GICD_ISPENDR, GICD_ICPENDR);
	bit_array("ISACTIVER/ICACTIVER", GICD_ISACTIVER, GICD_ICACTIVER);
}

static void private_enables(void)
{
	u64 pb = gic_private_base();
	u32 v;

	mmio_write32(pb + GICD_ISENABLER, BIT(20) | BIT(21));
	v = mmio_read32(pb + GICD_ISENABLER);
	mmio_write32(pb + GICD_ICENABLER, BIT(20));
	report((v & 0xffff0000) == (BIT(20) | BIT(21)) && (v & 0xffff) == 0xffff &&
	       (mmio_read32(pb + GICD_ISENABLER) & 0xffff0000) == BIT(21),
	       "ISENABLER0/ICENABLER0: PPIs 20 and 21 set, 20 cleared (0x%08x)", v);
	if (nr_cpus > 1) {
		/* Banked: vCPU 1 has its own PPI 21. */
		v = gic_v3 ? mmio_read32(gicr(1) + GICR_SGI + GICD_ISENABLER) :
			     (u32)run_on(1, CMD_READ32, GICD + GICD_ISENABLER, 0);
		report(!(v & BIT(21)) && (v & 0xffff) == 0xffff,
		       "vCPU 1's ISENABLER0 is its own: PPI 21 clear, its SGIs on (0x%08x)", v);
	}
	mmio_write32(pb + GICD_ICENABLER, BIT(21));

	/* PPI 22, disabled: pending without being delivered. */
	mmio_write32(pb + GICD_ISPENDR, BIT(22));
	v = mmio_read32(pb + GICD_ISPENDR);
	mmio_write32(pb + GICD_ICPENDR, BIT(22));
	report((v & BIT(22)) && !(mmio_read32(pb + GICD_ISPENDR) & BIT(22)) &&
	       count(0, 22) == 0,
	       "ISPENDR0/ICPENDR0: disabled PPI 22 pends, clears, is not taken");

	if (gic_v3) {
		/* With affinity routing INTIDs 0-31 are the redistributors'. */
		mmio_write32(GICD + GICD_ISENABLER, ~0u);
		report(mmio_read32(GICD + GICD_ISENABLER) == 0 &&
		       mmio_read32(GICD + GICD_IPRIORITYR) == 0 &&
		       !(mmio_read32(pb + GICD_ISENABLER) & 0xffff0000),
		       "GICD_ISENABLER0 and IPRIORITYR0 are RAZ/WI with ARE set");
	} else {
		/* GICv2 SGIs pend per source, through SPENDSGIR only. */
		gic_disable_irq(14);
		mmio_write32(GICD + GICD_ISPENDR, BIT(14));
		v = mmio_read32(GICD + GICD_ISPENDR);
		mmio_write8(GICD + GICD_SPENDSGIR + 14, 0x01);
		report(!(v & BIT(14)) && (mmio_read32(GICD + GICD_ISPENDR) & BIT(14)),
		       "GICv2 ISPENDR0 ignores SGI bits; SPENDSGIR pends SGI 14 (0x%08x)", v);
		report(mmio_read8(GICD + GICD_SPENDSGIR + 14) == 0x01 &&
		       mmio_read8(GICD + GICD_CPENDSGIR + 14) == 0x01,
		       "GICv2 SPENDSGIR and CPENDSGIR both read SGI 14's source, vCPU 0");
		mmio_write8(GICD + GICD_CPENDSGIR + 14, 0xff);
		report(!(mmio_read32(GICD + GICD_ISPENDR) & BIT(14)) &&
		       mmio_read8(GICD + GICD_SPENDSGIR + 14) == 0,
		       "GICv2 CPENDSGIR clears SGI 14's sources");
		gic_enable_irq(14, 0x80);
	}
}

static void priorities_and_config(void)
{
	u64 p = GICD + GICD_IPRIORITYR + 64, pb = gic_private_base();
	u32 v;
	u8 top;

	for (u32 i = 0; i < 4; i++)
		mmio_write8(p + i, (u8)(0x10 * (i + 1)));
	check32(p, 0x40302010, "IPRIORITYR: four byte writes read as one word");
	mmio_write32(p, 0xf0e0d0c0);
	report(mmio_read8(p) == 0xc0 && mmio_read8(p + 1) == 0xd0 &&
	       mmio_read8(p + 2) == 0xe0 && mmio_read8(p + 3) == 0xf0,
	       "IPRIORITYR: a word write reads back as its four bytes");
	mmio_write8(p + 1, 0xff);
	top = mmio_read8(p + 1);
	/* Unimplemented low bits read as zero; at least 16 levels. */
	report((top & 0xf0) == 0xf0 && ((u8)(top + (top & -top)) == 0) &&
	       mmio_read8(p) == 0xc0 && mmio_read8(p + 2) == 0xe0,
	       "IPRIORITYR: 0xff reads 0x%02x, neighbours untouched", top);
	mmio_write32(p, 0);

	/* Banked: SGI 13's priority is this vCPU's alone. */
	mmio_write8(pb + GICD_IPRIORITYR + 13, 0x30);
	v = mmio_read8(pb + GICD_IPRIORITYR + 13);
	if (nr_cpus > 1) {
		u32 other = gic_v3 ? mmio_read32(gicr(1) + GICR_SGI + GICD_IPRIORITYR + 12) :
				     (u32)run_on(1, CMD_READ32, GICD + GICD_IPRIORITYR + 12, 0);

		report(v == 0x30 && (other >> 8 & 0xff) == 0x80,
		       "SGI 13's priority: 0x%02x here, 0x%02x on vCPU 1", v,
		       (other >> 8) & 0xff);
	}
	mmio_write8(pb + GICD_IPRIORITYR + 13, 0x80);

	mmio_write32(pb + GICD_ICFGR, 0);
	check32(pb + GICD_ICFGR, 0xaaaaaaaa,
		"ICFGR0: SGIs read as edge-triggered and ignore writes");
	p = GICD + GICD_ICFGR + 16; /* INTIDs 64-79 */
	mmio_write32(p, 0xaaaaaaaa);
	v = mmio_read32(p);
	mmio_write32(p, ~0u);
	report(v == 0xaaaaaaaa && mmio_read32(p) == 0xaaaaaaaa,
	       "ICFGR4: edge bits are read/write, the reserved low bits read 0");
	mmio_write32(p, 0);
	check32(p, 0, "ICFGR4: back to level-sensitive");
}

static bool taken_since(u32 intid, const u32 *before)
{
	for (u32 i = 0; i < nr_cpus; i++)
		if (count(i, intid) != before[i])
			return true;
	return false;
}

/* Makes SPI intid pending, enabled and edge-triggered, and returns which
 * vCPUs (bit mask) took it once (waiting for one if some should); ~0 if
 * one took it twice. */
static u32 who_takes(u32 intid, bool some)
{
	u32 before[MAX_CPUS], mask = 0;

	u64 g = GICD + GICD_IGROUPR + intid / 32 * 4;

	for (u32 i = 0; i < nr_cpus; i++)
		before[i] = count(i, intid);
	/* The group the payload's CPU interfaces take (see gic.c). */
	if (gic_v3)
		mmio_write32(g, mmio_read32(g) | BIT(intid % 32));
	else
		mmio_write32(g, mmio_read32(g) & ~BIT(intid % 32));
	gic_set_edge(intid, true);
	gic_set_priority(intid, 0x80);
	mmio_write32(GICD + GICD_ISENABLER + intid / 32 * 4, BIT(intid % 32));
	gic_set_pending(intid);
	if (some)
		spin_until(taken_since(intid, before), WAIT_MS);
	delay_ms(SETTLE_MS);
	for (u32 i = 0; i < nr_cpus; i++) {
		u32 d = count(i, intid) - before[i];

		if (d > 1)
			return ~0u;
		if (d)
			mask |= BIT(i);
	}
	return mask;
}

static void itargetsr(void)
{
	u32 mask = (u32)BIT(nr_cpus) - 1, want = 0, v;
	u64 t = GICD + GICD_ITARGETSR;
	bool ok = true;

	for (u32 i = 0; i < 8; i++)
		ok &= mmio_read32(t + 4 * i) == 0x01010101;
	mmio_write32(t, ~0u);
	ok &= mmio_read32(t) == 0x01010101;
	report(ok, "ITARGETSR0-7 (SGIs, PPIs): read-only, each byte vCPU 0's own bit");
	for (u32 k = 1; k < nr_cpus; k++) {
		v = (u32)run_on(k, CMD_READ32, t + 28, 0);
		report(v == 0x01010101u << k,
		       "ITARGETSR7 read by vCPU %u: 0x%08x, its own bit", k, v);
	}

	mmio_write8(t + 64, 0xff);
	v = mmio_read8(t + 64);
	report(v == mask, "ITARGETSR byte for SPI 64 written 0xff reads 0x%02x: "
	       "bits of vCPUs the VM lacks read as zero", v);
	mmio_write32(t + 68, 0x0f030201);
	for (u32 i = 0; i < 4; i++)
		want |= ((0x0f030201 >> (8 * i)) & mask) << (8 * i);
	check32(t + 68, want, "ITARGETSR17: a word write, absent vCPUs masked");
	mmio_write8(t + 69, 0x01);
	check32(t + 68, (want & ~0xff00u) | 0x0100,
		"ITARGETSR17: a byte write changes that byte alone");

	if (nr_cpus > 1) {
		mmio_write8(t + 72, 0x02);
		v = who_takes(72, true);
		report(v == BIT(1), "SPI 72 targeted at vCPU 1 is taken there alone (0x%x)", v);
		mmio_write8(t + 72, (u8)mask);
		v = who_takes(72, true);
		report(v && !(v & (v - 1)) && v != ~0u,
		       "SPI 72 targeted at every vCPU is taken once, by one (0x%x)", v);
	}
	gic_disable_irq(72);
	for (u32 i = 64; i < 76; i++)
		mmio_write8(t + i, 0x01);
}

static void irouter(void)
{
	u64 r = GICD + GICD_IROUTER + 8 * 64;
	u64 v;
	u32 who, b;

	mmio_write64(r, ~0UL);
	v = mmio_read64(r);
	report(v == 0xff80ffffffUL,
	       "IROUTER64 written all ones reads 0x%lx: Aff3-0 and IRM, the rest RAZ", v);
	mmio_write64(r, 0);
	mmio_write32(r, 0x00010203);
	mmio_write32(r + 4, 0x04);
	v = mmio_read64(r);
	report(v == 0x0400010203UL && mmio_read32(r) == 0x00010203 &&
	       mmio_read32(r + 4) == 0x04,
	       "IROUTER64 as two 32-bit halves: 0x%lx", v);
	mmio_write64(r, 0);

	mmio_write64(GICD + GICD_IROUTER + 8 * 20, ~0UL);
	v = mmio_read64(GICD + GICD_IROUTER + 8 * 20);
	report(v == 0, "IROUTER of PPI 20 is reserved: RAZ/WI (0x%lx)", v);

	r = GICD + GICD_IROUTER + 8 * 72;
	if (nr_cpus > 1) {
		mmio_write64(r, 1);
		who = who_takes(72, true);
		report(who == BIT(1), "SPI 72 routed to Aff0 1 is taken by vCPU 1 alone (0x%x)",
		       who);
		mmio_write64(r, IROUTER_IRM);
		who = who_takes(72, true);
		report(who && !(who & (who - 1)) && who != ~0u,
		       "SPI 72 with IRM set is taken once, by one vCPU (0x%x)", who);
	}
	/* No such vCPU: the interrupt waits, and follows a new route. */
	mmio_write64(r, 0x0100);
	b = count(0, 72);
	who = who_takes(72, false);
	mmio_write64(r, 0);
	spin_until(count(0, 72) != b, WAIT_MS);
	delay_ms(SETTLE_MS);
	report(who == 0 && count(0, 72) - b == 1,
	       "SPI 72 routed to an absent Aff1 1 stays pending; routed back, vCPU 0 takes it");
	gic_disable_irq(72);
}

static void redistributors(void)
{
	bool ok = true;
	u64 typer = 0;
	u32 last = 0;

	for (u32 i = 0; i < nr_cpus; i++) {
		typer = mmio_read64(gicr(i) + GICR_TYPER);
		ok &= ((typer >> 8) & 0xffff) == i && typer >> 32 == i &&
		      (u32)typer == mmio_read32(gicr(i) + GICR_TYPER) &&
		      typer >> 32 == mmio_read32(gicr(i) + GICR_TYPER + 4);
		if (typer & TYPER_LAST)
			last |= BIT(i);
	}
	report(ok, "GICR_TYPER of each of %u frames: Processor_Number and affinity "
	       "= the vCPU, 32-bit halves agree", nr_cpus);
	report(last == BIT(nr_cpus - 1), "GICR_TYPER.Last is set on the last frame "
	       "only (frames 0x%x)", last);

	mmio_write32(gicr(0) + GICR_WAKER, BIT(1));
	check32(gicr(0) + GICR_WAKER, BIT(1) | BIT(2),
		"GICR_WAKER.ProcessorSleep set: ChildrenAsleep follows");
	mmio_write32(gicr(0) + GICR_WAKER, 0);
	check32(gicr(0) + GICR_WAKER, 0, "GICR_WAKER cleared: awake");
	check32(gicr(0) + GICR_CTLR, 0, "GICR_CTLR: no LPIs, RWP clear");
	report(mmio_read32(gicr(0) + GICR_IIDR) && archrev(gicr(0) + GICR_PIDR2) == 3,
	       "GICR_IIDR 0x%08x, GICR_PIDR2 ArchRev %u",
	       mmio_read32(gicr(0) + GICR_IIDR), archrev(gicr(0) + GICR_PIDR2));
}

/* ---- SGIs ---- */

/* Sends an SGI register value val from vCPU from and checks that exactly
 * the vCPUs in expect take SGI sgi, once each. */
static void sgi_case(u32 from, u64 val, u32 sgi, u32 expect, const char *how)
{
	u32 before[MAX_CPUS], got = 0;
	bool once = true;

	for (u32 i = 0; i < nr_cpus; i++)
		before[i] = count(i, sgi);
	if (from == 0)
		sgi_raw(val);
	else
		run_on(from, CMD_SGI, val, 0);
	for (u32 i = 0; i < nr_cpus; i++)
		if (expect & BIT(i))
			spin_until(count(i, sgi) != before[i], WAIT_MS);
	delay_ms(SETTLE_MS);
	for (u32 i = 0; i < nr_cpus; i++) {
		u32 d = count(i, sgi) - before[i];

		once &= d <= 1;
		if (d)
			got |= BIT(i);
	}
	report(got == expect && once, "SGI %u from vCPU %u %s: taken by vCPUs 0x%x "
	       "(expected 0x%x)%s", sgi, from, how, got, expect, once ? "" : ", twice");
}

/* Without security, ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 raise Group 0 SGIs:
 * handled (no UNDEF), they leave this payload's Group 1 SGIs alone. */
static void group0_sgis(void)
{
	u32 before[MAX_CPUS], moved = 0;

	for (u32 i = 0; i < nr_cpus; i++)
		before[i] = count(i, 6);
	write_sysreg(sgi_to(BIT(nr_cpus) - 1, 6), S3_0_C12_C11_7); /* ICC_SGI0R_EL1 */
	write_sysreg(sgi_to(BIT(nr_cpus) - 1, 6), S3_0_C12_C11_6); /* ICC_ASGI1R_EL1 */
	isb();
	delay_ms(SETTLE_MS);
	for (u32 i = 0; i < nr_cpus; i++)
		moved += count(i, 6) - before[i];
	report(!moved, "ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 writes: handled, no Group 1 "
	       "SGI raised (%u taken)", moved);
}

static void sgis(void)
{
	u32 all = (u32)BIT(nr_cpus) - 1;
	char how[48];

	for (u32 from = 0; from < nr_cpus && from < 2; from++)
		for (u32 t = 0; t < nr_cpus; t++) {
			fmt_snprintf(how, sizeof(how), "to vCPU %u", t);
			sgi_case(from, sgi_to(BIT(t), 3), 3, BIT(t), how);
		}
	if (gic_v3) {
		sgi_case(0, sgi_to(all, 5), 5, all, "to every Aff0 of the VM");
		sgi_case(0, sgi_to(0xffff, 5), 5, all, "to target list 0xffff");
		sgi_case(0, SGI1R_IRM | 5UL << 24, 5, all & ~1u, "with IRM (all but self)");
		sgi_case(1, SGI1R_IRM | 5UL << 24, 5, all & ~2u, "with IRM (all but self)");
		sgi_case(0, 1UL << 44 | 5UL << 24 | 0xffff, 5, 0,
			 "to RS 1 (Aff0 16-31, none)");
		sgi_case(0, 1UL << 16 | 5UL << 24 | 0xffff, 5, 0, "to Aff1 1 (none)");
		group0_sgis();
	} else {
		sgi_case(0, sgi_to(0xff, 5), 5, all, "to target list 0xff");
		sgi_case(0, 1u << 24 | 5, 5, all & ~1u, "with filter 1 (all but self)");
		sgi_case(1, 1u << 24 | 5, 5, all & ~2u, "with filter 1 (all but self)");
		sgi_case(1, 2u << 24 | 5, 5, 2, "with filter 2 (self)");
		sgi_case(0, 3u << 24 | 5, 5, 0, "with the reserved filter 3");
	}
}

/* GICv2: one SGI from several senders is taken once per sender, and IAR
 * names each; GICv3 keeps one pending state. */
static void sgi_sources(void)
{
	u32 n0 = logs[0].n, before = count(0, 4), senders = 0, srcs = 0, d, masked;

	irq_disable();
	for (u32 k = 1; k < nr_cpus; k++) {
		run_on(k, CMD_SGI, sgi_to(1, 4), 0);
		senders |= BIT(k);
	}
	sgi_raw(gic_v3 ? sgi_to(1, 4) : 2u << 24 | 4);
	senders |= 1;
	delay_ms(SETTLE_MS);
	masked = count(0, 4) - before;
	/* No exit from here on: nothing but the vGIC brings the rest in. */
	irq_enable();
	spin_until(count(0, 4) - before == (gic_v3 ? 1 : nr_cpus), WAIT_MS);
	delay_ms(SETTLE_MS);
	d = count(0, 4) - before;
	report(masked == 0, "SGI 4 from %u vCPUs while DAIF.I is set: not taken (%u)",
	       nr_cpus, masked);
	for (u32 i = n0; i < logs[0].n; i++)
		if (taken_id(i) == 4)
			srcs |= BIT(taken_source(i));
	if (gic_v3)
		report(d == 1, "... unmasked: taken once, the senders merged (%u)", d);
	else
		report(d == nr_cpus && srcs == senders,
		       "... unmasked: taken %u times, IAR source IDs 0x%x (expected 0x%x)",
		       d, srcs, senders);

	if (!gic_v3) {
		before = count(0, 10);
		n0 = logs[0].n;
		irq_disable();
		mmio_write8(GICD + GICD_SPENDSGIR + 10, 0x03);
		d = mmio_read8(GICD + GICD_SPENDSGIR + 10);
		mmio_write8(GICD + GICD_CPENDSGIR + 10, 0x02);
		report(d == 0x03 && mmio_read8(GICD + GICD_SPENDSGIR + 10) == 0x01,
		       "SPENDSGIR byte: sources 0 and 1 pend SGI 10, CPENDSGIR clears 1");
		irq_enable();
		spin_until(count(0, 10) != before, WAIT_MS);
		delay_ms(SETTLE_MS);
		report(count(0, 10) - before == 1 && taken_source(n0) == 0,
		       "... taken once, from source 0");

		before = count(0, 10);
		n0 = logs[0].n;
		irq_disable();
		mmio_write8(GICD + GICD_SPENDSGIR + 10, 0x03);
		irq_enable();
		spin_until(count(0, 10) - before == 2, WAIT_MS);
		delay_ms(SETTLE_MS);
		d = count(0, 10) - before;
		report(d == 2 && taken_source(n0) == 0 && taken_source(n0 + 1) == 1,
		       "SPENDSGIR sources 0 and 1 of SGI 10, no exit after: taken %u "
		       "times, from 0 then 1", d);
	}
}

/* ---- Priority and masking ---- */

/* One interrupt of a priority test: an SGI (< 16) sent to vCPU 0, or an
 * edge-triggered SPI routed there, at priority prio. */
struct prio_irq {
	u16 intid;
	u8 prio;
};

static void raise_all(const struct prio_irq *list, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		if (list[i].intid < 16)
			gic_send_sgi(1, list[i].intid);
		else
			gic_set_pending(list[i].intid);
	}
}

static void setup_all(const struct prio_irq *list, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		if (list[i].intid >= 32) {
			gic_set_edge(list[i].intid, true);
			gic_enable_irq(list[i].intid, list[i].prio);
		} else {
			gic_set_priority(list[i].intid, list[i].prio);
		}
	}
}

/* Whether vCPU 0 took exactly the n of list since log entry first, by
 * priority; what it took, in order, goes into seen. */
static bool in_priority_order(const struct prio_irq *list, u32 n, u32 first,
			      char *seen, u32 len)
{
	u32 last = 0, pos = 0;
	bool ok = logs[0].n - first == n;

	seen[0] = 0;
	for (u32 i = first; i < logs[0].n && i < first + LOG_LEN; i++) {
		u32 id = taken_id(i), prio = ~0u;

		for (u32 k = 0; k < n; k++)
			if (list[k].intid == id)
				prio = list[k].prio;
		ok &= prio != ~0u && prio >= last;
		last = prio;
		pos += fmt_snprintf(seen + pos, len - pos, "%s%u", i > first ? " " : "", id);
		if (pos >= len)
			break;
	}
	for (u32 k = 0; k < n; k++)
		ok &= count(0, list[k].intid) >= 1;
	return ok;
}

static void priority_order(void)
{
	static const struct prio_irq two[] = { { 5, 0xa0 }, { 6, 0x40 } };
	static const struct prio_irq three[] = { { 41, 0x90 }, { 7, 0x30 }, { 40, 0x60 } };
	char seen[64];
	u32 first;

	setup_all(two, ARRAY_SIZE(two));
	irq_disable();
	first = logs[0].n;
	raise_all(two, ARRAY_SIZE(two));
	irq_enable();
	spin_until(logs[0].n - first >= 2, WAIT_MS);
	delay_ms(SETTLE_MS);
	report(in_priority_order(two, ARRAY_SIZE(two), first, seen, sizeof(seen)),
	       "SGI 5 (0xa0) and SGI 6 (0x40) pending together: taken %s", seen);

	setup_all(three, ARRAY_SIZE(three));
	irq_disable();
	first = logs[0].n;
	raise_all(three, ARRAY_SIZE(three));
	irq_enable();
	spin_until(logs[0].n - first >= 3, WAIT_MS);
	delay_ms(SETTLE_MS);
	report(in_priority_order(three, ARRAY_SIZE(three), first, seen, sizeof(seen)),
	       "SPI 41 (0x90), SGI 7 (0x30), SPI 40 (0x60): taken %s", seen);
	for (u32 i = 0; i < 16; i++)
		gic_set_priority(i, 0x80);
	gic_disable_irq(40);
	gic_disable_irq(41);
}

static void pmr_and_daif(void)
{
	u32 b8 = count(0, 8), b9 = count(0, 9), d;

	gic_set_priority(8, 0x80);
	gic_set_priority(9, 0x70);
	gic_set_pmr(0x80);
	gic_send_sgi(1, 8);
	gic_send_sgi(1, 9);
	spin_until(count(0, 9) != b9, WAIT_MS);
	delay_ms(SETTLE_MS);
	report(count(0, 9) - b9 == 1 && count(0, 8) == b8,
	       "PMR 0x80: SGI 9 (0x70) is taken, SGI 8 (0x80) is held back");
	gic_set_pmr(0xff);
	spin_until(count(0, 8) != b8, WAIT_MS);
	report(count(0, 8) - b8 == 1, "PMR 0xff: the held-back SGI 8 is taken once");
	gic_set_priority(8, 0x80);
	gic_set_priority(9, 0x80);

	if (nr_cpus < 2)
		return;
	b9 = count(0, 9);
	irq_disable();
	run_on(1, CMD_SGI, sgi_to(1, 9), 0);
	delay_ms(SETTLE_MS);
	d = count(0, 9) - b9;
	irq_enable();
	spin_until(count(0, 9) != b9, WAIT_MS);
	delay_ms(SETTLE_MS);
	report(d == 0 && count(0, 9) - b9 == 1,
	       "SGI 9 from vCPU 1 while DAIF.I is set: taken once, after unmasking");
}

/* Handled-state checks: the interrupt being handled reads active; one made
 * pending again while active is taken again after its EOI. */
static void active_and_pending(void)
{
	u32 b = count(0, 11);

	gic_send_sgi(1, 11);
	spin_until(count(0, 11) != b, WAIT_MS);
	report(active_seen == 1 && !private_bit(GICD_ISACTIVER, 11),
	       "SGI 11 reads active (not pending) in ISACTIVER0 in its handler, "
	       "inactive after EOI");

	/* SPI 50 (edge) pended again by its own handler. */
	gic_set_edge(50, true);
	gic_enable_irq(50, 0x80);
	repend_intid = 50;
	gic_set_pending(50);
	spin_until(count(0, 50) >= 2, WAIT_MS);
	delay_ms(SETTLE_MS);
	report(count(0, 50) == 2, "SPI 50 pended again in its handler: taken %u times "
	       "(expected 2)", count(0, 50));
	repend_intid = ~0u;
	gic_disable_irq(50);

	if (nr_cpus < 2)
		return;
	/* SGI 12 sent again while vCPU 1 is still in its handler. */
	b = count(1, 12);
	hold_intid = 12;
	gic_send_sgi(2, 12);
	spin_until(READ_ONCE(held), WAIT_MS);
	gic_send_sgi(2, 12);
	delay_ms(SETTLE_MS);
	WRITE_ONCE(release, 1);
	spin_until(count(1, 12) - b >= 2, WAIT_MS);
	delay_ms(SETTLE_MS);
	report(READ_ONCE(held) && count(1, 12) - b == 2,
	       "SGI 12 sent again while vCPU 1 handles it: taken again after "
	       "the EOI (%u times)", count(1, 12) - b);
	hold_intid = ~0u;
}

/* Twelve interrupts pending at once, three times the list registers:
 * each taken once, in priority order. Each handler takes a millisecond,
 * so on a shared CPU the vCPU is switched out with some active and others
 * pending while vCPU 1 spins. */
static void more_than_list_registers(void)
{
	static const struct prio_irq burst[] = {
		{ 40, 0x70 }, { 1, 0xb0 }, { 41, 0x30 }, { 42, 0xa0 },
		{ 2, 0x10 }, { 43, 0x90 }, { 44, 0x50 }, { 3, 0x60 },
		{ 45, 0xc0 }, { 46, 0x20 }, { 4, 0x80 }, { 47, 0x40 },
	};
	char seen[64];
	u32 first, pend, spinner = 0;

	setup_all(burst, ARRAY_SIZE(burst));
	irq_disable();
	first = logs[0].n;
	raise_all(burst, ARRAY_SIZE(burst));
	pend = mmio_read32(GICD + GICD_ISPENDR + 4);
	if (nr_cpus > 1)
		spinner = post(1, CMD_SPIN, 100, 0);
	handler_delay_ms = 1;
	irq_enable();
	spin_until(logs[0].n - first >= ARRAY_SIZE(burst), WAIT_MS);
	delay_ms(SETTLE_MS);
	handler_delay_ms = 0;
	report((pend & 0xff00) == 0xff00, "ISPENDR1 shows SPIs 40-47 pending while "
	       "masked (0x%08x)", pend);
	report(in_priority_order(burst, ARRAY_SIZE(burst), first, seen, sizeof(seen)),
	       "12 interrupts pending at once (8 SPIs, 4 SGIs): each taken once, by "
	       "priority: %s", seen);
	if (spinner)
		await(1, spinner);
	printf("# vCPU 0 was switched out inside %u of the 12 handlers\n",
	       switched_in_handler);
	for (u32 i = 40; i < 48; i++)
		gic_disable_irq(i);
	for (u32 i = 0; i < 16; i++)
		gic_set_priority(i, 0x80);
}

/* A level-sensitive SPI made pending by ISPENDR: the latch clears when the
 * interrupt is acknowledged, so it is taken once. */
static void level_spi(void)
{
	u32 v;

	gic_set_edge(48, false);
	gic_enable_irq(48, 0x80);
	storm_limit = 50;
	gic_set_pending(48);
	spin_until(count(0, 48) != 0, WAIT_MS);
	delay_ms(SETTLE_MS);
	v = mmio_read32(GICD + GICD_ISPENDR + 4);
	report(count(0, 48) == 1 && !(v & BIT(16)),
	       "level SPI 48 pended by ISPENDR: taken %u time(s), no longer pending",
	       count(0, 48));
	storm_limit = ~0u;

	irq_disable();
	gic_set_pending(48);
	mmio_write32(GICD + GICD_ICPENDR + 4, BIT(16));
	irq_enable();
	delay_ms(SETTLE_MS);
	report(count(0, 48) == 1, "level SPI 48 pended then cleared while masked: "
	       "not taken");
	gic_disable_irq(48);
}

/* ---- Timers ---- */

static void timer_case(u32 intid, const char *name)
{
	u64 ms[MAX_CPUS], got[MAX_CPUS];
	u32 seq[MAX_CPUS], before[MAX_CPUS];
	u64 tick = counter_ms(1);

	for (u32 k = 0; k < nr_cpus; k++) {
		before[k] = count(k, intid);
		ms[k] = 15 + 10 * k;
	}
	/* Every vCPU asleep on its own deadline at the same time. */
	for (u32 k = 1; k < nr_cpus; k++)
		seq[k] = post(k, CMD_TIMER, intid, ms[k]);
	got[0] = sleep_for_timer(intid, ms[0]);
	for (u32 k = 1; k < nr_cpus; k++)
		got[k] = await(k, seq[k]);
	delay_ms(SETTLE_MS);
	for (u32 k = 0; k < nr_cpus; k++)
		report(got[k] >= ms[k] * tick && got[k] < (ms[k] + 1000) * tick &&
		       count(k, intid) - before[k] == 1,
		       "vCPU %u: the %s (INTID %u) woke it from WFI once, after %lu ms "
		       "(armed for %lu)", k, name, intid, got[k] / tick, ms[k]);
}

/* CVAL at 2^64 - 1 with the timer enabled: "never", not now. Under QEMU
 * before 8.2 this hung the whole emulator whenever CNTVOFF_EL2 was not 0. */
static void timer_never(u32 intid, const char *name)
{
	u32 before = count(0, intid);
	u64 ctl;

	if (intid == VTIMER_INTID) {
		write_sysreg(~0UL, cntv_cval_el0);
		write_sysreg(1, cntv_ctl_el0);
	} else {
		write_sysreg(~0UL, cntp_cval_el0);
		write_sysreg(1, cntp_ctl_el0);
	}
	isb();
	delay_ms(20);
	if (intid == VTIMER_INTID) {
		ctl = read_sysreg(cntv_ctl_el0);
		vtimer_stop();
	} else {
		ctl = read_sysreg(cntp_ctl_el0);
		ptimer_stop();
	}
	report(count(0, intid) == before && !(ctl & 4),
	       "the %s enabled with CVAL 2^64 - 1 stays quiet for 20 ms (CTL 0x%lx)",
	       name, ctl);
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res vm;

	hvc_res(HC_VM_INFO, 0, 0, 0, &vm);
	nr_cpus = MIN(vm.a1, (u64)MAX_CPUS);
	set_exception_handler(on_exception);
	gic_init();
	gic_cpu_init();
	enable_sgis();
	printf("# vgic: GICv%u, %u vCPUs\n", gic_v3 ? 3 : 2, nr_cpus);
	for (u32 k = 1; k < nr_cpus; k++) {
		s64 ret = cpu_on(k, secondary_main, k);

		report(ret == PSCI_RET_SUCCESS && spin_until(READ_ONCE(online[k]), WAIT_MS),
		       "vCPU %u started (%ld)", k, ret);
	}
	irq_enable();

	ctlr_typer_iidr_pidr2();
	groups_enables_pending_active();
	private_enables();
	priorities_and_config();
	if (gic_v3) {
		redistributors();
		irouter();
	} else {
		itargetsr();
	}
	sgis();
	sgi_sources();
	priority_order();
	pmr_and_daif();
	active_and_pending();
	more_than_list_registers();
	level_spi();
	timer_case(VTIMER_INTID, "virtual timer");
	timer_case(PTIMER_INTID, "EL1 physical timer");
	timer_never(VTIMER_INTID, "virtual timer");
	timer_never(PTIMER_INTID, "EL1 physical timer");
	for (u32 k = 0; k < nr_cpus; k++)
		report(!READ_ONCE(logs[k].spurious), "vCPU %u: no spurious interrupts (%u)",
		       k, READ_ONCE(logs[k].spurious));
	report_done();
}
