/*
 * The GIC from the hostile side: random distributor and redistributor
 * writes (enabling, routing, raising and configuring interrupts it does
 * not own, up to INTID 1019), GICv2 CPU interface (GICV) registers, SGIs
 * to vCPUs and affinities that do not exist; and waits: WFI storms with
 * its virtual timer armed to end them, WFE with the event stream on. What
 * must hold is checked by the other VM (guests/steady): none of this may
 * reach it. Here it must only never hang itself: before each WFI it
 * repairs what it scrambled in its own GIC state, so the timer can wake it.
 */
#include "gic.h"
#include "hostile.h"
#include "guest_platform.h"
#include "mmio.h"

u64 hz_strb(u64, u64);
u64 hz_strh(u64, u64);
u64 hz_strw(u64, u64);
u64 hz_strx(u64, u64);
u64 hz_ldrb(u64, u64);
u64 hz_ldrh(u64, u64);
u64 hz_ldrw(u64, u64);
u64 hz_ldrx(u64, u64);

#define GICD VIRT_GICD_BASE
#define GICC VIRT_GICC_BASE
#define GICR_SGI 0x10000

#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_IROUTER 0x6000

#define GICC_CTLR 0x00
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_AIAR 0x20
#define GICC_AEOIR 0x24
#define GICC_APR0 0xd0
#define GICC_DIR 0x1000

static u32 want[HZ_MAX_CPUS], turn;

void hz_gic_lock(const struct hz_cpu *c)
{
	u32 me = c->index, other = me ^ 1;

	WRITE_ONCE(want[me], 1);
	WRITE_ONCE(turn, other);
	dmb(sy);
	while (READ_ONCE(want[other]) && READ_ONCE(turn) == other)
		;
	dmb(sy);
}

void hz_gic_unlock(const struct hz_cpu *c)
{
	dmb(sy);
	WRITE_ONCE(want[c->index], 0);
}

static u64 private_base(const struct hz_cpu *c)
{
	return env.v3 ? VIRT_GICR_BASE + c->index * VIRT_GICR_STRIDE + GICR_SGI : GICD;
}

static u64 (*const stores[])(u64, u64) = { hz_strb, hz_strh, hz_strw, hz_strx };
static u64 (*const loads[])(u64, u64) = { hz_ldrb, hz_ldrh, hz_ldrw, hz_ldrx };

/* One access of 1 << log2 bytes, through hz_try. */
static u64 access(struct hz_cpu *c, bool read, u64 addr, u32 log2, u64 val)
{
	return hz_try(c, read ? loads[log2] : stores[log2], addr, val);
}

/* A GICv2 CPU interface read that acknowledged an interrupt: ended at
 * once, or its timer could never wake it again. */
static void end_acked(u64 off, u64 iar)
{
	if ((iar & 0x3ff) >= 1020)
		return;
	if (off == GICC_IAR)
		mmio_write32(GICC + GICC_EOIR, iar);
	else if (off == GICC_AIAR)
		mmio_write32(GICC + GICC_AEOIR, iar);
}

static const u16 gicc_regs[] = {
	0x00, 0x04, 0x08, GICC_IAR, GICC_EOIR, 0x14, 0x18, 0x1c, GICC_AIAR,
	GICC_AEOIR, 0x28, GICC_APR0, 0xe0, 0xfc, GICC_DIR,
};

void hz_op_gic(struct hz_cpu *c)
{
	bool read = chance(c, 4);
	u64 val = rnd_value(c), addr, base = chance(c, 2) ? GICD : private_base(c);
	u32 log2 = 2;

	switch (rnd_below(c, 9)) {
	case 0: /* group, enable, pending and active bits, 1024 INTIDs */
		addr = base + GICD_IGROUPR + 0x80 * rnd_below(c, 7) +
		       4 * (chance(c, 2) ? rnd_below(c, 8) : rnd_below(c, 32));
		break;
	case 1:
		log2 = chance(c, 2) ? 0 : 2;
		addr = base + GICD_IPRIORITYR + ALIGN_DOWN(rnd_below(c, 1024), 1U << log2);
		break;
	case 2:
		addr = base + GICD_ICFGR + 4 * rnd_below(c, 64);
		break;
	case 3: /* routing, to vCPUs it has and has not */
		if (env.v3) {
			log2 = 3;
			addr = GICD + GICD_IROUTER + 8 * (32 + rnd_below(c, 988));
			val = chance(c, 2) ? (rnd(c) & 0xff00ffffffUL) | (rnd(c) & BIT(31)) :
					     rnd_below(c, 8);
		} else {
			log2 = chance(c, 2) ? 0 : 2;
			addr = GICD + GICD_ITARGETSR + ALIGN_DOWN(rnd_below(c, 1024), 1U << log2);
		}
		break;
	case 4:
		if (env.v3) { /* a redistributor frame, its own or not */
			u64 frame = VIRT_GICR_BASE + rnd_below(c, env.nr_vcpus + 1) * VIRT_GICR_STRIDE;
			static const u16 rd[] = { 0x0, 0x4, 0x8, 0x14, 0x70, 0x78, 0xa0, 0xb0 };

			addr = frame + (chance(c, 2) ? rd[rnd_below(c, ARRAY_SIZE(rd))] :
				       GICR_SGI + ALIGN_DOWN(rnd_below(c, 0x1000), 4));
			log2 = chance(c, 4) ? 3 : 2;
			addr = ALIGN_DOWN(addr, 1U << log2);
		} else { /* GICD_SGIR: any filter, targets that do not exist */
			addr = GICD + GICD_SGIR;
			val = rnd_below(c, 4) << 24 | rnd_below(c, 256) << 16 |
			      (rnd(c) & BIT(15)) | rnd_below(c, 16);
			read = false;
		}
		break;
	case 5:
		if (env.v3) { /* raise: pending bits of the other vCPU's frame */
			addr = VIRT_GICR_BASE + (c->index ^ 1) * VIRT_GICR_STRIDE + GICR_SGI +
			       GICD_ISPENDR;
			read = false;
		} else {
			addr = GICD + GICD_CPENDSGIR + ALIGN_DOWN(rnd_below(c, 32), 4);
		}
		break;
	case 6:
		if (!env.v3) {
			u64 off = gicc_regs[rnd_below(c, ARRAY_SIZE(gicc_regs))];

			addr = GICC + off;
			c->tried[K_gic]++;
			hz_gic_lock(c);
			val = access(c, read, addr, 2, val);
			hz_gic_unlock(c);
			if (c->exc)
				c->faulted[K_gic]++;
			else if (read)
				end_acked(off, val);
			return;
		}
		addr = GICD; /* GICD_CTLR */
		break;
	default: /* anywhere in its windows, any size */
		log2 = rnd_below(c, 4);
		addr = env.v3 && chance(c, 2) ?
			       VIRT_GICR_BASE + rnd_below(c, env.nr_vcpus * VIRT_GICR_STRIDE) :
			       GICD + rnd_below(c, VIRT_GICD_SIZE);
		if (!chance(c, 8))
			addr = ALIGN_DOWN(addr, 1U << log2);
		break;
	}
	c->tried[K_gic]++;
	hz_gic_lock(c);
	access(c, read, addr, log2, val);
	hz_gic_unlock(c);
	if (c->exc)
		c->faulted[K_gic]++;
}

void hz_op_sgi(struct hz_cpu *c)
{
	u64 val;

	c->tried[K_sgi]++;
	if (!env.v3) {
		val = rnd_below(c, 4) << 24 | rnd_below(c, 256) << 16 | rnd_below(c, 16);
		access(c, false, GICD + GICD_SGIR, 2, val);
	} else {
		/* ICC_SGI1R_EL1 (or ASGI1R, SGI0R): target list, Aff1-3, RS,
		 * IRM; mostly aimed at Aff0 0-15 of cluster 0. */
		static const u32 crm_op2[] = { 11 << 3 | 5, 11 << 3 | 6, 11 << 3 | 7 };
		u32 sel = chance(c, 4) ? crm_op2[rnd_below(c, 3)] : crm_op2[0];
		u32 insn = a64_sys(3, 0, 12, sel >> 3, sel & 7, false, 1);

		val = rnd_below(c, 0x10000) | rnd_below(c, 16) << 24;
		if (chance(c, 2))
			val |= rnd(c) & (0xffUL << 16 | 0xffUL << 32 | BIT(40) |
					 0xfUL << 44 | 0xffUL << 48);
		hz_run_code(c, &insn, 1, 0, val);
	}
	if (c->exc)
		c->faulted[K_sgi]++;
}

/* Keeps an interrupt it took from coming straight back. */
static void quiet(const struct hz_cpu *c, u32 intid)
{
	if (intid == VTIMER_INTID)
		write_sysreg(0, cntv_ctl_el0);
	else if (intid == 30)
		write_sysreg(0, cntp_ctl_el0);
	else if (intid >= 16 && intid < 32)
		mmio_write32(private_base(c) + GICD_ICENABLER, BIT(intid));
	else if (intid >= 32)
		mmio_write32(GICD + GICD_ICENABLER + intid / 32 * 4, BIT(intid % 32));
	isb();
}

/* GICv2: every interrupt it can reach back to Group 0. */
static void regroup_all(void)
{
	for (u32 i = 0; i < 1024 / 32; i++)
		mmio_write32(GICD + GICD_IGROUPR + 4 * i, 0);
}

void hz_irq_drain(struct hz_cpu *c)
{
	for (u32 n = 0; n < 64; n++) {
		bool g0 = false;
		u64 iar, intid;

		if (env.v3) {
			iar = read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
			if ((iar & 0xffffff) >= 1020) {
				iar = read_sysreg(S3_0_C12_C8_0); /* ICC_IAR0_EL1 */
				g0 = true;
			}
			intid = iar & 0xffffff;
		} else {
			iar = mmio_read32(GICC + GICC_IAR);
			if ((iar & 0x3ff) == 1022) {
				/* A Group 1 interrupt it set up pends. GICV_AIAR
				 * would take it, but QEMU's virtual CPU interface
				 * reads it as 0 and acknowledges nothing: the
				 * interrupt would come back for ever. Group 0
				 * again, GICC_IAR takes it at the next exception. */
				regroup_all();
				return;
			}
			intid = iar & 0x3ff;
		}
		if (intid >= 1020)
			return;
		c->irqs++;
		quiet(c, intid);
		if (env.v3 && g0)
			write_sysreg(iar, S3_0_C12_C8_1); /* ICC_EOIR0_EL1 */
		else if (env.v3)
			write_sysreg(iar, S3_0_C12_C12_1); /* ICC_EOIR1_EL1 */
		else
			mmio_write32(GICC + (g0 ? GICC_AEOIR : GICC_EOIR), iar);
		isb();
	}
}

void hz_gic_repair(void)
{
	struct hz_cpu *c = hz_this();

	gic_init();
	gic_cpu_init();
	/* Interrupts it acknowledged and lost, active priorities it wrote:
	 * deactivate every private INTID, clear the priorities. */
	if (env.v3) {
		write_sysreg(0, S3_0_C12_C8_3);       /* ICC_BPR0_EL1 */
		write_sysreg(0, S3_0_C12_C12_3);      /* ICC_BPR1_EL1 */
		write_sysreg(0, S3_0_C12_C12_6);      /* ICC_IGRPEN0_EL1 */
		write_sysreg(BIT(1), S3_0_C12_C12_4); /* ICC_CTLR_EL1.EOImode */
		isb();
		for (u32 i = 0; i < 32; i++)
			write_sysreg(i, S3_0_C12_C11_1); /* ICC_DIR_EL1 */
		write_sysreg(0, S3_0_C12_C8_4);       /* ICC_AP0R0_EL1 */
		write_sysreg(0, S3_0_C12_C9_0);       /* ICC_AP1R0_EL1 */
		write_sysreg(0, S3_0_C12_C12_4);
		isb();
	} else {
		mmio_write32(GICC + GICC_CTLR, 3 | BIT(9)); /* EOImode */
		for (u32 i = 0; i < 32; i++)
			mmio_write32(GICC + GICC_DIR, i);
		mmio_write32(GICC + GICC_APR0, 0);
		mmio_write32(GICC + GICC_CTLR, 3);
	}
	gic_enable_irq(VTIMER_INTID, 0x80);
	gic_set_edge(VTIMER_INTID, false);
	/* Its timer's interrupt may have been cleared while its physical one
	 * was active: pend it, so that taking it ends that too. */
	mmio_write32(private_base(c) + GICD_ISPENDR, BIT(VTIMER_INTID));
	hz_irq_drain(c);
}

void hz_op_wfi(struct hz_cpu *c)
{
	u32 n = 1 + rnd_below(c, 4);

	c->tried[K_wfi]++;
	hz_gic_lock(c);
	hz_gic_repair();
	for (u32 i = 0; i < n; i++) {
		write_sysreg(600 + rnd_below(c, 60000), cntv_tval_el0); /* 10 us-1 ms */
		write_sysreg(1, cntv_ctl_el0);
		isb();
		wfi(); /* wakes on the timer's interrupt, masked or not */
		if (chance(c, 2)) {
			__asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tmsr daifset, #2"
					 ::: "memory");
		}
		hz_irq_drain(c);
		write_sysreg(0, cntv_ctl_el0);
		isb();
	}
	hz_gic_unlock(c);
}

void hz_op_wfe(struct hz_cpu *c)
{
	u64 kctl = read_sysreg(cntkctl_el1) & ~0xfcUL;
	u32 n = 1 + rnd_below(c, 16);

	c->tried[K_wfe]++;
	/* The event stream: an event every 2^(EVNTI + 1) counter ticks. */
	kctl |= BIT(2) | (6 + rnd_below(c, 7)) << 4 | (chance(c, 2) ? BIT(3) : 0);
	write_sysreg(kctl, cntkctl_el1);
	isb();
	for (u32 i = 0; i < n; i++) {
		if (chance(c, 4))
			sev();
		else if (chance(c, 2))
			__asm__ volatile("sevl" ::: "memory");
		wfe();
	}
}
