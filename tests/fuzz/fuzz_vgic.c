/*
 * A libFuzzer target over the virtual GIC (hyp/vgic/vgic.c, vgic_v2.c,
 * vgic_v3.c, as they are; around them tests/host/fake_vgic_env.c): one VM
 * of 2 to 4 vCPUs, each on its own CPU, driven by what guests and devices
 * can do to it. The distributor (and, GICv3, the redistributors) through
 * the MMIO regions vgic_init_vm registers, with accesses as mmio_emulate
 * delivers them (1, 2, 4 or 8 bytes, naturally aligned, in the window);
 * trapped ICC_SGI1R/ASGI1R/SGI0R_EL1 writes; entries (vgic_flush) and exits
 * (vgic_sync) with the guest taking interrupts from the list registers in
 * between; forwarded timer PPIs and passed-through SPIs; device lines;
 * vCPU switches (vgic_save, vgic_load); VM resets.
 *
 * After every operation, besides the sanitizers:
 *  - the vGIC lock is free; vCPUs past nr_vcpus are all zero; no SPI
 *    target, GICv2 target byte or SGI source names a vCPU the VM lacks;
 *    routing is what the guest wrote (ITARGETSR: the lowest vCPU named;
 *    IROUTER: the vCPU with that affinity, any with IRM); hardware links
 *    are the timer PPIs and the VM's own SPIs, never changed;
 *  - cand (vgic.h: "pending-and-enabled or active"): each vCPU's bit is set
 *    exactly for the interrupts it owns (its SGIs and PPIs, SPIs routed to
 *    it) that are pending with enable and group enable, or active; an
 *    interrupt in its list registers while it is in the guest excepted;
 *  - list registers: only the first nr_lrs are used, only those lr_used
 *    names hold anything, each the INTID lr_irq says (below VGIC_NR_IRQS,
 *    once per vCPU), hardware ones linked to the same physical INTID; the
 *    underflow interrupt (UIE) is on exactly while underflow says so; out
 *    of the guest nothing is held;
 *  - each operation changes only what it may: a register read nothing at
 *    all; a distributor write SPIs and, GICv2 (banked), the writer's own
 *    SGIs and PPIs; a redistributor write that vCPU's SGIs and PPIs only;
 *    an SGI (GICD_SGIR, ICC_*SGI*R_EL1) exactly the vCPUs and the SGI its
 *    encoding names; a vCPU made a candidate on another CPU is kicked;
 *  - virq_pending (what ends WFI) agrees with cand;
 *  - an entry loads the best-ranked candidates (active first, then
 *    priority), as the interrupt stands, and asks for underflow exactly
 *    when some are left out; an exit takes back the active state and the
 *    pending state the guest did not take; a switch restores the CPU
 *    interface and keeps timer interrupts in flight off the CPU meanwhile.
 * The fakes check the physical side: only the VM's own SPIs (and the
 * timer PPIs' active state) are touched, only implemented list registers
 * and active-priority registers, only the token being handled is ended.
 *
 * Input: byte 0 the board (bit 0: GICv3, else GICv2; bits 1-2: 2 to 4
 * vCPUs; bits 3-4: GICv3 preemption bits 5 to 7), byte 1 the list
 * registers (1 to 16), then operations, each an opcode byte and its
 * operands (run_op); missing bytes read as zero. tests/fuzz/corpus-vgic
 * has a few worked inputs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gic.h"
#include "gic_ops.h"
#include "fake_vgic_env.h"
#include "guest_platform.h"
#include "platform.h"
#include "virq.h"
#include "vm.h"

/* The checks are no coverage to steer by, only the code under test. */
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), \
			     apply_to = function)

#define PPI_VTIMER 27
#define PPI_PTIMER 30
#define MAINTENANCE_INTID 25
#define NR_SPIS (VGIC_NR_IRQS - VGIC_NR_PRIVATE)
#define GICR_FRAME 0x10000UL
#define GICH_HCR_WORD 0
#define GICH_VMCR_WORD (0x008 / 4)
#define GICH_APR_WORD (0x0f0 / 4)
#define GICH_LR0_WORD (0x100 / 4)
#define GICH_MAX_LRS 64
#define HCR_UIE BIT(1) /* ICH_HCR_EL2 and GICH_HCR alike */
#define IROUTER_IRM BIT(31)

/* The board's interrupt controller: what the vGIC code reads. */
struct platform platform;

static struct vm vm;
static struct vm_config cfg;
static bool v3;
static u32 nr_lrs;
static bool in_guest[FAKE_CPUS];
static const struct mmio_region *dist, *redist;

/* Physical SPIs passed through (300: beyond the vGIC, ignored). */
static const u32 passthrough[] = { 40, 41, 100, 255, 300 };

/* ---- Input ---- */

static const u8 *input;
static size_t input_len, input_pos;
static u32 op_index;

static u64 take(unsigned bytes)
{
	u64 v = 0;

	for (unsigned i = 0; i < bytes; i++, input_pos++)
		if (input_pos < input_len)
			v |= (u64)input[input_pos] << (8 * i);
	return v;
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz_vgic: %s, %u vCPUs, %u list registers: %s: ",
		v3 ? "GICv3" : "GICv2", vm.nr_vcpus, nr_lrs, fake_gic.op);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* ---- The model's view of the state ---- */

static struct virq *irq_of(u32 cpu, u32 intid)
{
	return intid < VGIC_NR_PRIVATE ? &vm.vcpus[cpu].vgic.priv[intid] :
		&vm.vgic.spi[intid - VGIC_NR_PRIVATE];
}

static u64 vcpu_mask(void)
{
	return BIT(vm.nr_vcpus) - 1;
}

static bool timer_ppi(u32 intid)
{
	return intid == PPI_VTIMER || intid == PPI_PTIMER;
}

/* The control register of cpu's timer for intid, as the fake CPU holds it:
 * the guest's timers fire (ENABLE and ISTATUS) or are quiet (0). */
#define TIMER_FIRING 5
static u64 *timer_ctl(u32 cpu, u32 intid)
{
	return intid == PPI_VTIMER ? &fake_gic.cpu[cpu].cntv_ctl :
		&fake_gic.cpu[cpu].cntp_ctl;
}

static bool pending_state(const struct virq *irq)
{
	return irq->pending || irq->sgi_src || (!irq->edge && irq->line);
}

static bool deliverable(const struct virq *irq, u32 ctlr)
{
	return pending_state(irq) && irq->enabled && (ctlr & BIT(irq->group));
}

/* The vCPU whose candidate intid is: its own, or an SPI's target. */
static bool owns(u32 cpu, u32 intid, const struct virq *irq)
{
	return intid < VGIC_NR_PRIVATE || irq->target == cpu;
}

static u32 rank(const struct virq *irq)
{
	return (irq->active ? 0 : 0x100) | irq->priority;
}

/* Where IROUTER sends an SPI: vCPU i has affinity 0.0.0.i (vm.c). */
static u8 route_of(u64 irouter)
{
	u64 aff = irouter & MPIDR_AFF_MASK;

	if (irouter & IROUTER_IRM)
		return 0;
	return aff < vm.nr_vcpus ? (u8)aff : VGIC_NO_TARGET;
}

/* One list register, from the fake: GICv3 ICH_LR<n>_EL2 or GICv2 GICH_LR. */
struct lr_view {
	u32 intid, pintid, source;
	u8 priority;
	bool group, hw, pending, active;
};

static u64 lr_raw(u32 cpu, u32 i)
{
	if (v3)
		return i < VGIC_MAX_LRS ? fake_gic.cpu[cpu].ich_lr[i] : 0;
	return fake_gic.cpu[cpu].gich[GICH_LR0_WORD + i];
}

static struct lr_view lr_view(u64 raw)
{
	if (v3) /* vINTID 31:0, pINTID 44:32, priority 55:48, 60-63 */
		return (struct lr_view){
			.intid = (u32)raw, .pintid = (raw >> 32) & 0x1fff,
			.priority = raw >> 48, .group = raw >> 60 & 1,
			.hw = raw >> 61 & 1, .pending = raw >> 62 & 1,
			.active = raw >> 63 & 1,
		};
	bool hw = raw >> 31 & 1; /* GICH_LR: VirtualID 9:0, 19:10, 27:23, 28-31 */
	return (struct lr_view){
		.intid = raw & 0x3ff, .pintid = hw ? (raw >> 10) & 0x3ff : 0,
		.source = hw ? 0 : (raw >> 10) & 7,
		.priority = ((raw >> 23) & 0x1f) << 3, .group = raw >> 30 & 1,
		.hw = hw, .pending = raw >> 28 & 1, .active = raw >> 29 & 1,
	};
}

static bool uie(u32 cpu)
{
	return (v3 ? fake_gic.cpu[cpu].ich_hcr :
		fake_gic.cpu[cpu].gich[GICH_HCR_WORD]) & HCR_UIE;
}

/* ---- What an operation may change ---- */

enum {
	F_PRIORITY = BIT(0), F_GROUP = BIT(1), F_TARGET = BIT(2),
	F_TARGETS_V2 = BIT(3), F_SGI_SRC = BIT(4), F_ENABLED = BIT(5),
	F_PENDING = BIT(6), F_LINE = BIT(7), F_ACTIVE = BIT(8),
	F_EDGE = BIT(9), F_HW = BIT(10), F_PINTID = BIT(11),
	F_IROUTER = BIT(12),
};
static const char *const field_names[] = {
	"priority", "group", "target", "targets_v2", "sgi_src", "enabled",
	"pending", "line", "active", "edge", "hw", "pintid", "irouter",
};
/* What guest register writes may change. */
#define F_CONFIG (F_PRIORITY | F_GROUP | F_ENABLED | F_PENDING | F_ACTIVE | F_EDGE)

static u32 virq_diff(const struct virq *a, const struct virq *b)
{
	return (a->priority != b->priority ? F_PRIORITY : 0) |
	       (a->group != b->group ? F_GROUP : 0) |
	       (a->target != b->target ? F_TARGET : 0) |
	       (a->targets_v2 != b->targets_v2 ? F_TARGETS_V2 : 0) |
	       (a->sgi_src != b->sgi_src ? F_SGI_SRC : 0) |
	       (a->enabled != b->enabled ? F_ENABLED : 0) |
	       (a->pending != b->pending ? F_PENDING : 0) |
	       (a->line != b->line ? F_LINE : 0) |
	       (a->active != b->active ? F_ACTIVE : 0) |
	       (a->edge != b->edge ? F_EDGE : 0) |
	       (a->hw != b->hw ? F_HW : 0) |
	       (a->pintid != b->pintid ? F_PINTID : 0) |
	       (a->irouter != b->irouter ? F_IROUTER : 0);
}

struct snapshot {
	struct virq priv[FAKE_CPUS][VGIC_NR_PRIVATE];
	struct virq spi[NR_SPIS];
	u64 cand[FAKE_CPUS][VGIC_NR_IRQS / 64];
	bool asleep[FAKE_CPUS];
	u32 ctlr;
	u32 kicks[FAKE_CPUS];
	u64 lr[FAKE_CPUS][VGIC_MAX_LRS];
	bool uie[FAKE_CPUS];
};

/* The state before the operation, and what it may change. */
static struct snapshot before;
static u32 allow_priv[FAKE_CPUS][VGIC_NR_PRIVATE], allow_spi[NR_SPIS];
static bool allow_asleep[FAKE_CPUS], allow_ctlr, allow_lr[FAKE_CPUS];
static bool allow_all; /* a VM reset */

static void snap(struct snapshot *s)
{
	for (u32 c = 0; c < vm.nr_vcpus; c++) {
		struct vgic_cpu *g = &vm.vcpus[c].vgic;

		memcpy(s->priv[c], g->priv, sizeof(s->priv[c]));
		memcpy(s->cand[c], g->cand, sizeof(s->cand[c]));
		s->asleep[c] = g->asleep;
		s->kicks[c] = fake_gic.cpu[c].kicks;
		for (u32 i = 0; i < VGIC_MAX_LRS; i++)
			s->lr[c][i] = lr_raw(c, i);
		s->uie[c] = uie(c);
	}
	memcpy(s->spi, vm.vgic.spi, sizeof(s->spi));
	s->ctlr = vm.vgic.ctlr;
}

static const struct virq *before_irq(u32 cpu, u32 intid)
{
	return intid < VGIC_NR_PRIVATE ? &before.priv[cpu][intid] :
		&before.spi[intid - VGIC_NR_PRIVATE];
}

static bool cand_bit(const u64 *cand, u32 intid)
{
	return cand[intid / 64] & BIT(intid % 64);
}

static void __attribute__((format(printf, 1, 2))) op_begin(const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(fake_gic.op, sizeof(fake_gic.op), "op %u: ", op_index);

	va_start(ap, fmt);
	vsnprintf(fake_gic.op + n, sizeof(fake_gic.op) - n, fmt, ap);
	va_end(ap);
	snap(&before);
	memset(allow_priv, 0, sizeof(allow_priv));
	memset(allow_spi, 0, sizeof(allow_spi));
	memset(allow_asleep, 0, sizeof(allow_asleep));
	memset(allow_lr, 0, sizeof(allow_lr));
	allow_ctlr = allow_all = false;
}

static void allow_private(u32 cpu, u32 fields)
{
	for (u32 i = 0; i < VGIC_NR_PRIVATE; i++)
		allow_priv[cpu][i] |= fields;
}

static void allow_spis(u32 fields)
{
	for (u32 i = 0; i < NR_SPIS; i++)
		allow_spi[i] |= fields;
}

static void check_fields(const char *what, u32 cpu, u32 intid,
			 const struct virq *old, const struct virq *now,
			 u32 allowed)
{
	u32 d = virq_diff(old, now) & ~allowed;

	if (d && intid < VGIC_NR_PRIVATE)
		fail("%s %u of vCPU %u: %s changed", what, intid, cpu,
		     field_names[__builtin_ctz(d)]);
	if (d)
		fail("%s %u: %s changed", what, intid,
		     field_names[__builtin_ctz(d)]);
}

/* Everything the operation changed, against what it may. */
static void check_changes(u32 current)
{
	struct snapshot now;

	if (allow_all)
		return;
	snap(&now);
	for (u32 c = 0; c < vm.nr_vcpus; c++) {
		for (u32 i = 0; i < VGIC_NR_PRIVATE; i++)
			check_fields("private INTID", c, i, &before.priv[c][i],
				     &now.priv[c][i], allow_priv[c][i]);
		if (now.asleep[c] != before.asleep[c] && !allow_asleep[c])
			fail("GICR_WAKER of vCPU %u changed", c);
		if (!allow_lr[c] &&
		    (memcmp(now.lr[c], before.lr[c], sizeof(now.lr[c])) ||
		     now.uie[c] != before.uie[c]))
			fail("the list registers of CPU %u changed", c);
		/* Made a candidate elsewhere: that CPU must look again. */
		for (u32 w = 0; w < VGIC_NR_IRQS / 64; w++)
			if ((now.cand[c][w] & ~before.cand[c][w]) && c != current &&
			    now.kicks[c] == before.kicks[c])
				fail("vCPU %u got candidate INTID %u, no kick", c,
				     w * 64 + __builtin_ctzl(now.cand[c][w] &
							     ~before.cand[c][w]));
	}
	for (u32 i = 0; i < NR_SPIS; i++)
		check_fields("SPI", 0, VGIC_NR_PRIVATE + i, &before.spi[i],
			     &now.spi[i], allow_spi[i]);
	if (now.ctlr != before.ctlr && !allow_ctlr)
		fail("GICD_CTLR changed from 0x%x to 0x%x", before.ctlr, now.ctlr);
}

/* ---- The invariants that always hold ---- */

static void check_irq(u32 cpu, u32 intid, const struct virq *irq)
{
	u64 vcpus = vcpu_mask();
	bool hw = intid < VGIC_NR_PRIVATE ? timer_ppi(intid) :
		fake_gic.owned[intid];

	if (irq->group > 1)
		fail("INTID %u (vCPU %u): group %u", intid, cpu, irq->group);
	if (irq->hw != hw || irq->pintid != (hw ? intid : 0))
		fail("INTID %u (vCPU %u): hw %u, pintid %u", intid, cpu, irq->hw,
		     irq->pintid);
	if (irq->sgi_src & ~((!v3 && intid < 16) ? vcpus : 0))
		fail("INTID %u (vCPU %u): SGI sources 0x%x", intid, cpu,
		     irq->sgi_src);
	if (intid < VGIC_NR_PRIVATE) {
		if (irq->target || irq->targets_v2 || irq->irouter)
			fail("private INTID %u (vCPU %u): routed", intid, cpu);
		return;
	}
	if (irq->target >= vm.nr_vcpus && irq->target != VGIC_NO_TARGET)
		fail("SPI %u: target vCPU %u of %u", intid, irq->target,
		     vm.nr_vcpus);
	if (!v3) {
		u8 first = irq->targets_v2 ? __builtin_ctz(irq->targets_v2) :
			VGIC_NO_TARGET;

		if (irq->targets_v2 & ~vcpus)
			fail("SPI %u: ITARGETSR 0x%x", intid, irq->targets_v2);
		if (irq->target != first)
			fail("SPI %u: ITARGETSR 0x%x, target %u", intid,
			     irq->targets_v2, irq->target);
	} else {
		if (irq->irouter & ~(MPIDR_AFF_MASK | IROUTER_IRM))
			fail("SPI %u: IROUTER 0x%lx", intid, irq->irouter);
		if (irq->target != route_of(irq->irouter))
			fail("SPI %u: IROUTER 0x%lx, target %u", intid,
			     irq->irouter, irq->target);
	}
}

/* The list registers of vCPU cpu's CPU; *held gets the INTIDs in them. */
static void check_lrs(u32 cpu, u64 held[VGIC_NR_IRQS / 64])
{
	const struct vgic_cpu *g = &vm.vcpus[cpu].vgic;
	u32 max = v3 ? VGIC_MAX_LRS : GICH_MAX_LRS;

	memset(held, 0, VGIC_NR_IRQS / 8);
	if (g->lr_used & ~(BIT(nr_lrs) - 1) || g->lr_latch & ~g->lr_used)
		fail("vCPU %u: lr_used 0x%x, lr_latch 0x%x, %u list registers",
		     cpu, g->lr_used, g->lr_latch, nr_lrs);
	if (!in_guest[cpu] && (g->lr_used || g->underflow))
		fail("vCPU %u out of the guest: lr_used 0x%x, underflow %u", cpu,
		     g->lr_used, g->underflow);
	if (uie(cpu) != g->underflow)
		fail("vCPU %u: underflow %u, UIE %u", cpu, g->underflow, uie(cpu));
	for (u32 i = 0; i < max; i++) {
		u64 raw = lr_raw(cpu, i);
		struct lr_view lr = lr_view(raw);

		if (i >= nr_lrs || !(g->lr_used & BIT(i))) {
			/* Cleared, or left as the guest emptied it (vgic_sync
			 * skips what ELRSR reports empty): invalid to the GIC,
			 * and no EOI maintenance owed. */
			u64 eoi = v3 ? BIT(41) : BIT(19);

			if (lr.pending || lr.active || (!lr.hw && (raw & eoi)))
				fail("CPU %u: unused list register %u holds 0x%lx",
				     cpu, i, raw);
			continue;
		}
		if (lr.intid != g->lr_irq[i] || lr.intid >= VGIC_NR_IRQS)
			fail("CPU %u: list register %u holds INTID %u, lr_irq %u",
			     cpu, i, lr.intid, g->lr_irq[i]);
		if (cand_bit(held, lr.intid))
			fail("CPU %u: INTID %u in two list registers", cpu,
			     lr.intid);
		held[lr.intid / 64] |= BIT(lr.intid % 64);
		if (lr.hw && (lr.pintid != lr.intid ||
			      !(timer_ppi(lr.intid) || fake_gic.owned[lr.intid])))
			fail("CPU %u: list register %u links INTID %u to physical %u",
			     cpu, i, lr.intid, lr.pintid);
		if (!v3 && !lr.hw && lr.intid < 16 && lr.source >= vm.nr_vcpus)
			fail("CPU %u: SGI %u from vCPU %u", cpu, lr.intid,
			     lr.source);
	}
}

static void check_state(void)
{
	static const struct vcpu zero;
	u32 n = vm.nr_vcpus;

	if (vm.vgic.lock.owner != vm.vgic.lock.next)
		fail("the vGIC lock is held");
	if (vm.vgic.ctlr & ~3u)
		fail("GICD_CTLR 0x%x", vm.vgic.ctlr);
	for (u32 c = n; c < MAX_VCPUS; c++)
		if (memcmp(&vm.vcpus[c], &zero, sizeof(zero)))
			fail("vCPU %u of %u was written", c, n);
	for (u32 i = VGIC_NR_PRIVATE; i < VGIC_NR_IRQS; i++)
		check_irq(0, i, irq_of(0, i));
	for (u32 c = 0; c < n; c++) {
		const struct vgic_cpu *g = &vm.vcpus[c].vgic;
		u64 held[VGIC_NR_IRQS / 64];
		bool any = false;

		check_lrs(c, held);
		for (u32 i = 0; i < VGIC_NR_IRQS; i++) {
			const struct virq *irq = irq_of(c, i);
			bool want;

			if (i < VGIC_NR_PRIVATE)
				check_irq(c, i, irq);
			if (in_guest[c] && cand_bit(held, i))
				continue; /* in the guest's hands */
			any |= owns(c, i, irq) && deliverable(irq, vm.vgic.ctlr);
			want = owns(c, i, irq) &&
			       (deliverable(irq, vm.vgic.ctlr) || irq->active);
			if (cand_bit(g->cand, i) != want)
				fail("vCPU %u: cand %u for INTID %u (pending %u, "
				     "sgi_src 0x%x, line %u, edge %u, enabled %u, "
				     "group %u, active %u, target %u, GICD_CTLR %u)",
				     c, !want, i, irq->pending, irq->sgi_src,
				     irq->line, irq->edge, irq->enabled, irq->group,
				     irq->active, irq->target, vm.vgic.ctlr);
		}
		/* What ends WFI (its timers are loaded: not asked). */
		if (!in_guest[c] && virq_pending(&vm.vcpus[c]) != any)
			fail("vCPU %u: virq_pending %u", c, !any);
	}
}

static void op_end(u32 current)
{
	check_changes(current);
	check_state();
	fake_gic.token = FAKE_NO_TOKEN;
}

/* ---- Entering and leaving the guest ---- */

static void on_cpu(u32 cpu)
{
	fake_gic_set_cpu(cpu, &vm.vcpus[cpu]);
	platform.gic.gich = (u64)(uintptr_t)fake_gic.cpu[cpu].gich;
}

/* vgic_flush at entry: the best-ranked candidates, as they stand. */
static void enter(u32 cpu)
{
	struct vcpu *v = &vm.vcpus[cpu];
	u32 total = 0, n, worst_in = 0, best_out = ~0u;
	u64 held[VGIC_NR_IRQS / 64];

	if (in_guest[cpu])
		return;
	on_cpu(cpu);
	op_begin("enter vCPU %u", cpu);
	allow_private(cpu, F_PENDING | F_SGI_SRC);
	allow_spis(F_PENDING);
	allow_lr[cpu] = true;
	vgic_flush(v);
	in_guest[cpu] = true;

	for (u32 i = 0; i < VGIC_NR_IRQS; i++)
		total += cand_bit(before.cand[cpu], i);
	n = MIN(total, nr_lrs);
	if (v->vgic.lr_used != BIT(n) - 1)
		fail("%u candidates, lr_used 0x%x", total, v->vgic.lr_used);
	if (v->vgic.underflow != (total > n))
		fail("%u candidates, underflow %u", total, v->vgic.underflow);
	for (u32 i = 0; i < n; i++) {
		struct lr_view lr = lr_view(lr_raw(cpu, i));
		const struct virq *irq;

		if (lr.intid >= VGIC_NR_IRQS || !cand_bit(before.cand[cpu], lr.intid))
			fail("list register %u: INTID %u, not a candidate", i,
			     lr.intid);
		irq = before_irq(cpu, lr.intid);
		if (lr.pending != deliverable(irq, before.ctlr) ||
		    lr.active != irq->active || lr.hw != irq->hw ||
		    lr.group != irq->group ||
		    lr.priority != (v3 ? irq->priority : irq->priority & 0xf8))
			fail("list register %u: 0x%lx for INTID %u", i,
			     lr_raw(cpu, i), lr.intid);
		if (!lr.pending && !lr.active)
			fail("list register %u: INTID %u, neither pending nor "
			     "active", i, lr.intid);
		worst_in = MAX(worst_in, rank(irq));
	}
	check_lrs(cpu, held);
	for (u32 i = 0; i < VGIC_NR_IRQS; i++)
		if (cand_bit(before.cand[cpu], i) && !cand_bit(held, i))
			best_out = MIN(best_out, rank(before_irq(cpu, i)));
	if (best_out < worst_in)
		fail("left out rank 0x%x, loaded rank 0x%x", best_out, worst_in);
	op_end(cpu);
}

/* vgic_sync at exit: active and untaken pending state come back. */
static void leave(u32 cpu)
{
	struct vcpu *v = &vm.vcpus[cpu];
	struct lr_view lrs[VGIC_MAX_LRS];
	u16 used = v->vgic.lr_used, latch = v->vgic.lr_latch;

	if (!in_guest[cpu])
		return;
	on_cpu(cpu);
	op_begin("leave vCPU %u", cpu);
	allow_private(cpu, F_PENDING | F_ACTIVE | F_SGI_SRC);
	allow_priv[cpu][PPI_VTIMER] |= F_LINE;
	allow_priv[cpu][PPI_PTIMER] |= F_LINE;
	allow_spis(F_PENDING | F_ACTIVE);
	allow_lr[cpu] = true;
	for (u32 i = 0; i < nr_lrs; i++)
		lrs[i] = lr_view(lr_raw(cpu, i));
	if (!v3)
		fake_gic_update_elrsr(cpu);
	vgic_sync(v);
	in_guest[cpu] = false;

	for (u32 i = 0; i < nr_lrs; i++) {
		const struct virq *irq;

		if (!(used & BIT(i)))
			continue;
		irq = irq_of(cpu, lrs[i].intid);
		if (irq->active != lrs[i].active)
			fail("INTID %u: active %u, list register %u said %u",
			     lrs[i].intid, irq->active, i, lrs[i].active);
		if (timer_ppi(lrs[i].intid)) {
			/* Level: untaken, it stays up while the timer fires;
			 * taken or done, it is forwarded afresh if need be. */
			bool up = before.priv[cpu][lrs[i].intid].line &&
				  lrs[i].pending &&
				  *timer_ctl(cpu, lrs[i].intid) == TIMER_FIRING;

			if (lrs[i].pending && (latch & BIT(i)) && !irq->pending)
				fail("timer INTID %u, pended by ISPENDR, untaken in "
				     "list register %u, lost", lrs[i].intid, i);
			if (irq->line != up)
				fail("timer INTID %u: line %u, list register %u "
				     "pending %u, timer firing %u", lrs[i].intid,
				     irq->line, i, lrs[i].pending,
				     *timer_ctl(cpu, lrs[i].intid) == TIMER_FIRING);
			continue;
		}
		if (!lrs[i].pending)
			continue;
		if (!v3 && lrs[i].intid < 16) {
			if (!(irq->sgi_src & BIT(lrs[i].source)))
				fail("SGI %u from vCPU %u, untaken, lost",
				     lrs[i].intid, lrs[i].source);
		} else if ((irq->edge || irq->hw || (latch & BIT(i))) &&
			   !irq->pending) {
			fail("INTID %u, untaken in list register %u, lost",
			     lrs[i].intid, i);
		}
	}
	/* A timer interrupt no one holds (not up, pending or active) leaves
	 * its physical PPI free to signal the next expiry. */
	for (u32 t = PPI_VTIMER; t <= PPI_PTIMER; t += PPI_PTIMER - PPI_VTIMER) {
		const struct virq *irq = irq_of(cpu, t);

		if (irq->line && *timer_ctl(cpu, t) != TIMER_FIRING)
			fail("timer INTID %u up with the timer quiet", t);
		if (!irq->line && !irq->pending && !irq->active &&
		    fake_gic.cpu[cpu].ppi_active[t])
			fail("timer INTID %u held by no one, its PPI still active", t);
	}
	op_end(cpu);
}

/* The guest takes (acknowledges) and ends (deactivates) what its list
 * registers hold, as the CPU interface would: pending -> active ->
 * inactive; a hardware one deactivates its physical INTID too. */
static void guest_acts(u32 cpu, u32 i, u32 action)
{
	u64 pend = v3 ? BIT(62) : BIT(28), act = v3 ? BIT(63) : BIT(29);
	u64 raw = lr_raw(cpu, i);
	struct lr_view lr = lr_view(raw);

	if (!in_guest[cpu] || i >= nr_lrs || !(vm.vcpus[cpu].vgic.lr_used & BIT(i)))
		return;
	op_begin("vCPU %u acts %u on list register %u (0x%lx)", cpu, action, i,
		 raw);
	allow_lr[cpu] = true;
	if ((action & 1) && lr.pending && !lr.active) /* acknowledge */
		raw = (raw & ~pend) | act;
	if ((action & 2) && (raw & act)) { /* deactivate */
		raw &= ~act;
		if (lr.hw && timer_ppi(lr.pintid))
			fake_gic.cpu[cpu].ppi_active[lr.pintid] = false;
		else if (lr.hw)
			fake_gic.active[lr.pintid] = false;
	}
	if (v3)
		fake_gic.cpu[cpu].ich_lr[i] = raw;
	else
		fake_gic.cpu[cpu].gich[GICH_LR0_WORD + i] = (u32)raw;
	op_end(cpu);
}

/* ---- Operations ---- */

/* Interesting places in the windows: an operand selects one, or an
 * offset anywhere. */
static const u32 dist_spots[] = {
	GICD_CTLR, GICD_IGROUPR, GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR,
	GICD_ICPENDR, GICD_ISACTIVER, GICD_ICACTIVER, GICD_IPRIORITYR,
	GICD_IPRIORITYR + 0x80, GICD_ITARGETSR, GICD_ITARGETSR + 0x80,
	GICD_ICFGR, GICD_SGIR, GICD_IROUTER + 0x100, GICD_IROUTER + 0x500,
	0xff00,
};
static const u32 redist_spots[] = {
	0, GICR_FRAME + GICD_IGROUPR, GICR_FRAME + GICD_ISENABLER,
	GICR_FRAME + GICD_ICENABLER, GICR_FRAME + GICD_ISPENDR,
	GICR_FRAME + GICD_ICPENDR, GICR_FRAME + GICD_ISACTIVER,
	GICR_FRAME + GICD_ICACTIVER, GICR_FRAME + GICD_IPRIORITYR,
	GICR_FRAME + GICD_ICFGR, 0xff00, GICR_FRAME + 0xff00,
};

static void do_sgir(u32 cpu, u32 val)
{
	u32 sgi = val & 15, filter = (val >> 24) & 3;
	u64 to = filter == 0 ? (val >> 16) & 0xff : filter == 1 ? ~BIT(cpu) :
		filter == 2 ? BIT(cpu) : 0;

	for (u32 c = 0; c < vm.nr_vcpus; c++) {
		u8 want = before.priv[c][sgi].sgi_src | ((to & BIT(c)) ? BIT(cpu) : 0);

		if (vm.vcpus[c].vgic.priv[sgi].sgi_src != want)
			fail("GICD_SGIR 0x%x: SGI %u of vCPU %u from 0x%x to 0x%x, "
			     "expected 0x%x", val, sgi, c, before.priv[c][sgi].sgi_src,
			     vm.vcpus[c].vgic.priv[sgi].sgi_src, want);
	}
}

/* A distributor (rd: redistributor) access by vCPU cpu at off in the
 * window, as mmio_emulate makes it after the vCPU's exit. */
static void mmio_access(u32 cpu, bool rd, u64 off, unsigned size, u64 val,
			bool write)
{
	const struct mmio_region *r = rd ? redist : dist;
	u32 frame = off / (2 * GICR_FRAME);

	leave(cpu);
	on_cpu(cpu);
	op_begin("vCPU %u %s %s+0x%lx, %u bytes, 0x%lx", cpu,
		 write ? "writes" : "reads", rd ? "GICR" : "GICD", off, size, val);
	if (!write) {
		r->read(&vm.vcpus[cpu], off, size);
		op_end(cpu);
		return;
	}
	if (rd) {
		allow_private(frame, F_CONFIG);
		allow_asleep[frame] = true;
	} else {
		allow_spis(F_CONFIG | F_TARGET | (v3 ? F_IROUTER : F_TARGETS_V2));
		allow_ctlr = off == GICD_CTLR;
		if (!v3)
			allow_private(cpu, F_CONFIG | F_SGI_SRC);
		if (!v3 && off == GICD_SGIR)
			for (u32 c = 0; c < vm.nr_vcpus; c++)
				allow_priv[c][val & 15] |= F_SGI_SRC;
	}
	r->write(&vm.vcpus[cpu], off, size, val);
	if (!v3 && !rd && off == GICD_SGIR)
		do_sgir(cpu, (u32)val);
	if (off == GICD_CTLR && !rd && vm.vgic.ctlr != (val & 3))
		fail("GICD_CTLR is 0x%x", vm.vgic.ctlr);
	op_end(cpu);
}

static void op_mmio(bool write)
{
	u32 who = take(1), cpu = who % vm.nr_vcpus, sel = take(1);
	bool rd = v3 && (who & 0x80);
	unsigned size = 1u << (sel & 3);
	u64 raw = take(3), val = take(write ? 8 : 0);
	const u32 *spots = rd ? redist_spots : dist_spots;
	u32 nspots = rd ? ARRAY_SIZE(redist_spots) : ARRAY_SIZE(dist_spots);
	u64 off;

	if (rd) {
		off = (sel >> 2) < nspots ? spots[sel >> 2] + (raw & 0xff) :
			raw & (2 * GICR_FRAME - 1);
		off = MIN(off, 2 * GICR_FRAME - 8) +
		      (raw >> 17) % vm.nr_vcpus * 2 * GICR_FRAME;
	} else {
		off = (sel >> 2) < nspots ? spots[sel >> 2] + (raw & 0x1ff) :
			raw & 0xffff;
		off = MIN(off, dist->size - 8);
	}
	off &= ~(u64)(size - 1);
	if (size < 8)
		val &= BIT(8 * size) - 1;
	mmio_access(cpu, rd, off, size, val, write);
}

/* What a guest's GIC driver does first: both groups on, every interrupt
 * enabled (groups too, when asked), through the registers. */
static void op_driver_init(void)
{
	u32 cpu = take(1) % vm.nr_vcpus, what = take(1);
	u32 reg = (what & 1) ? GICD_IGROUPR : GICD_ISENABLER;

	mmio_access(cpu, false, GICD_CTLR, 4, 3, true);
	for (u32 i = v3 ? 4 : 0; i < VGIC_NR_IRQS / 8; i += 4)
		mmio_access(cpu, false, reg + i, 4, 0xffffffff, true);
	if (v3)
		mmio_access(cpu, true, cpu * 2 * GICR_FRAME + GICR_FRAME + reg,
			    4, 0xffffffff, true);
}

/* ESR_EL2 ISS of a trapped MSR/MRS (EC 0x18): Op0 21:20, Op2 19:17,
 * Op1 16:14, CRn 13:10, Rt 9:5, CRm 4:1, direction 0 (1: read). */
#define SYSREG(op0, op1, crn, crm, op2) \
	((u64)(op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define SYSREG_MASK 0x3ffc1eUL

/* A trapped ICC_SGI1R_EL1, ICC_ASGI1R_EL1 or ICC_SGI0R_EL1 write (or some
 * other system register access, which is not the vGIC's). */
static void op_sysreg(void)
{
	static const u64 sgi_regs[3] = {
		SYSREG(3, 0, 12, 11, 5), SYSREG(3, 0, 12, 11, 6),
		SYSREG(3, 0, 12, 11, 7),
	};
	u32 cpu = take(1) % vm.nr_vcpus, kind = take(1), rt = take(1) & 31;
	u64 val = take(8), iss, sys, to = 0;
	u32 sgi = (val >> 24) & 15;
	bool ok, want;

	iss = (kind & 3) < 3 ? sgi_regs[kind & 3] | (kind >> 7) : take(3) & 0x1ffffff;
	iss = (iss & ~(0x1fUL << 5)) | (u64)rt << 5;
	sys = iss & SYSREG_MASK;
	want = v3 && !(iss & 1) && (sys == sgi_regs[0] || sys == sgi_regs[1] ||
				    sys == sgi_regs[2]);
	if (rt == 31)
		val = 0; /* XZR */

	leave(cpu);
	on_cpu(cpu);
	op_begin("vCPU %u system register ISS 0x%lx, x%u = 0x%lx", cpu, iss, rt,
		 val);
	if (rt != 31)
		vm.vcpus[cpu].regs.x[rt] = val;
	if (want) {
		/* IRM: all but the sender; else Aff3.Aff2.Aff1 (all 0 here),
		 * RS and the target list pick Aff0 = vCPU index. */
		if (val & BIT(40))
			to = vcpu_mask() & ~BIT(cpu);
		else if (!(val & (0xffUL << 48 | 0xffUL << 32 | 0xffUL << 16 |
				  0xfUL << 44)))
			to = val & vcpu_mask();
		for (u32 c = 0; c < vm.nr_vcpus; c++)
			allow_priv[c][sgi] |= F_PENDING;
	}
	ok = vgic_sysreg(&vm.vcpus[cpu], iss);
	if (ok != want)
		fail("vgic_sysreg returned %u", ok);
	for (u32 c = 0; want && c < vm.nr_vcpus; c++) {
		/* ICC_SGI1R_EL1: either group; the other two (DS = 1): Group 0. */
		bool hit = (to & BIT(c)) &&
			   (sys == sgi_regs[0] || !before.priv[c][sgi].group);
		bool now = vm.vcpus[c].vgic.priv[sgi].pending;

		if (now != (before.priv[c][sgi].pending || hit))
			fail("SGI %u of vCPU %u: pending %u, expected %u", sgi, c,
			     now, before.priv[c][sgi].pending || hit);
	}
	op_end(cpu);
}

/* A physical interrupt taken on cpu and handed to vgic_forward. */
static void forward(u32 cpu, u32 token, const char *what)
{
	u32 intid = GIC_INTID(token);
	bool mine = timer_ppi(intid) || intid == MAINTENANCE_INTID ||
		    (intid < FAKE_NR_INTIDS && fake_gic.owned[intid] &&
		     intid < VGIC_NR_IRQS);
	const struct virq *irq;
	bool ok;

	leave(cpu);
	on_cpu(cpu);
	op_begin("%s INTID %u on CPU %u", what, intid, cpu);
	/* Acknowledged: active in the physical GIC. */
	if (mine && timer_ppi(intid)) {
		fake_gic.cpu[cpu].ppi_active[intid] = true;
		*timer_ctl(cpu, intid) = TIMER_FIRING; /* why it signals */
		allow_priv[cpu][intid] |= F_LINE;
	} else if (mine && intid != MAINTENANCE_INTID) {
		fake_gic.active[intid] = true;
		allow_spi[intid - VGIC_NR_PRIVATE] |= F_PENDING;
	}
	fake_gic.token = token;
	ok = vgic_forward(token);
	if (ok != mine)
		fail("vgic_forward returned %u", ok);
	if (mine && intid != MAINTENANCE_INTID) {
		irq = timer_ppi(intid) ? irq_of(cpu, intid) : irq_of(0, intid);
		/* Routed to a vCPU or not: pending (a timer's: its line up), and
		 * left active in the GIC for the guest's deactivation (a level
		 * source held high would interrupt again at once, for ever). */
		if (!(timer_ppi(intid) ? irq->line : irq->pending))
			fail("not pending");
	}
	if (fake_gic.eois != mine ||
	    fake_gic.deactivations != (mine && intid == MAINTENANCE_INTID))
		fail("%u EOIs, %u deactivations", fake_gic.eois,
		     fake_gic.deactivations);
	fake_gic.eois = fake_gic.deactivations = 0;
	op_end(cpu);
}

static void op_forward(void)
{
	u32 kind = take(1), arg = take(1), cpu = arg % vm.nr_vcpus;
	u32 spi = passthrough[arg % (ARRAY_SIZE(passthrough) - 1)];

	switch (kind % 4) {
	case 0:
	case 1: {
		u32 intid = kind % 4 ? PPI_PTIMER : PPI_VTIMER;

		/* Active until the guest deactivates it: not raised again.
		 * Meanwhile the guest may quiet its timer (CTL.ENABLE = 0),
		 * which no trap reports. */
		if (!fake_gic.cpu[cpu].ppi_active[intid])
			forward(cpu, intid, "timer");
		else
			*timer_ctl(cpu, intid) = 0;
		break;
	}
	case 2:
		if (fake_gic.enabled[spi] && !fake_gic.active[spi])
			forward(fake_gic.route[spi], spi, "passed-through SPI");
		break;
	default:
		/* The maintenance interrupt, or one that is not the vGIC's. */
		forward(cpu, (kind & 4) ? MAINTENANCE_INTID : 26 + (kind >> 3) % 2 * 24,
			"other");
		break;
	}
}

/* An emulated device's level-sensitive line (the virtual UART's, say). */
static void op_line(void)
{
	u32 cpu = take(1) % vm.nr_vcpus, intid = take(2) % 320;
	bool level = take(1) & 1;
	bool spi = intid >= VGIC_NR_PRIVATE && intid < VGIC_NR_IRQS;

	if (intid < FAKE_NR_INTIDS && fake_gic.owned[intid])
		return; /* a hardware interrupt: no device line */
	leave(cpu);
	on_cpu(cpu);
	op_begin("line of INTID %u to %u", intid, level);
	if (spi)
		allow_spi[intid - VGIC_NR_PRIVATE] |= F_LINE | F_PENDING;
	virq_set_level(&vm, intid, level);
	if (spi && (irq_of(0, intid)->line != level ||
		    (level && irq_of(0, intid)->edge && !irq_of(0, intid)->pending)))
		fail("line %u, pending %u", irq_of(0, intid)->line,
		     irq_of(0, intid)->pending);
	op_end(cpu);
}

/* VM start and reset (vm.c start), then each vCPU's first load. */
static void reset_vm(void)
{
	for (u32 c = 0; c < vm.nr_vcpus; c++)
		leave(c);
	on_cpu(0);
	op_begin("VM reset");
	allow_all = true;
	vgic_reset_vm(&vm);
	for (u32 c = 0; c < vm.nr_vcpus; c++)
		vgic_reset_vcpu(&vm.vcpus[c]);
	for (u32 c = 0; c < vm.nr_vcpus; c++) {
		on_cpu(c);
		vgic_load(&vm.vcpus[c]);
	}
	for (u32 c = 0; c < vm.nr_vcpus; c++)
		for (u32 i = 0; i < VGIC_NR_IRQS; i++) {
			const struct virq *irq = irq_of(c, i);

			if (irq->enabled || pending_state(irq) || irq->line ||
			    irq->active || irq->priority || irq->group ||
			    irq->edge != (i < 16) || irq->target ||
			    cand_bit(vm.vcpus[c].vgic.cand, i) ||
			    !vm.vcpus[c].vgic.asleep ||
			    (i < FAKE_NR_INTIDS && fake_gic.owned[i] &&
			     fake_gic.enabled[i]))
				fail("INTID %u of vCPU %u not reset", i, c);
		}
	op_end(0);
}

/* vCPU cpu switched out for another on its CPU and back (vcpu.c
 * vcpu_save_state, vcpu_load_state): its CPU interface state comes back,
 * and its timer interrupts in flight are off the CPU meanwhile. */
static void op_switch(u32 cpu)
{
	static const u32 timers[2] = { PPI_VTIMER, PPI_PTIMER };
	struct fake_cpu *fc = &fake_gic.cpu[cpu];
	u32 vmcr = take(4), apr = take(4), others = take(1);
	u32 naprs = 1u << (fake_gic.pre_bits - 5);
	bool flight[2];

	leave(cpu);
	on_cpu(cpu);
	op_begin("vCPU %u switched out and back, VMCR 0x%x, APR 0x%x", cpu,
		 vmcr, apr);
	for (u32 t = 0; t < 2; t++) /* as the guest left them */
		flight[t] = irq_of(cpu, timers[t])->line ||
			    irq_of(cpu, timers[t])->pending ||
			    irq_of(cpu, timers[t])->active;
	if (v3) {
		fc->ich_vmcr = vmcr;
		for (u32 i = 0; i < 8; i++)
			fc->ich_apr[i] = i % 4 < naprs ? apr + i : 0;
	} else {
		fc->gich[GICH_VMCR_WORD] = vmcr;
		fc->gich[GICH_APR_WORD] = apr;
	}
	vgic_save(&vm.vcpus[cpu]);
	for (u32 t = 0; t < 2; t++)
		if (flight[t] && fc->ppi_active[timers[t]])
			fail("timer PPI %u in flight stays active on the CPU",
			     timers[t]);

	/* Another vCPU's turn: its state, its timers. */
	if (v3) {
		fc->ich_vmcr = ~vmcr;
		for (u32 i = 0; i < 8; i++)
			fc->ich_apr[i] = i % 4 < naprs ? ~apr : 0;
	} else {
		fc->gich[GICH_VMCR_WORD] = ~vmcr;
		fc->gich[GICH_APR_WORD] = ~apr;
	}
	for (u32 t = 0; t < 2; t++)
		fc->ppi_active[timers[t]] = others & BIT(t);

	vgic_load(&vm.vcpus[cpu]);
	if ((v3 ? fc->ich_vmcr : fc->gich[GICH_VMCR_WORD]) != vmcr)
		fail("VMCR not restored");
	for (u32 i = 0; i < (v3 ? 8 : 1); i++)
		if (i % 4 < naprs &&
		    (v3 ? fc->ich_apr[i] : fc->gich[GICH_APR_WORD]) != apr + i)
			fail("active priorities %u not restored", i);
	for (u32 t = 0; t < 2; t++)
		if (fc->ppi_active[timers[t]] != flight[t])
			fail("timer PPI %u: active %u, in flight %u", timers[t],
			     fc->ppi_active[timers[t]], flight[t]);
	op_end(cpu);
}

static void run_op(void)
{
	u32 code = take(1);

	switch (code % 16) {
	case 0 ... 4:
		op_mmio(true);
		break;
	case 5 ... 6:
		op_mmio(false);
		break;
	case 7:
		op_sysreg();
		break;
	case 8:
		enter(take(1) % vm.nr_vcpus);
		break;
	case 9: {
		u32 cpu = take(1) % vm.nr_vcpus, what = take(1);

		guest_acts(cpu, what % 16, what >> 4);
		break;
	}
	case 10:
		leave(take(1) % vm.nr_vcpus);
		break;
	case 11:
		op_forward();
		break;
	case 12:
		op_line();
		break;
	case 13: { /* a whole stay in the guest */
		u32 cpu = take(1) % vm.nr_vcpus, acts = take(4);

		enter(cpu);
		for (u32 i = 0; i < nr_lrs; i++)
			guest_acts(cpu, i, (acts >> (2 * i)) & 3);
		leave(cpu);
		break;
	}
	case 14:
		op_driver_init();
		break;
	default: {
		u32 what = take(1);

		if (what == 0x5a)
			reset_vm();
		else
			op_switch(what % vm.nr_vcpus);
		break;
	}
	}
}

/* ---- The VM ---- */

static void build(u8 board, u8 lrs)
{
	u32 n = 2 + ((board >> 1) & 3) % 3;

	v3 = board & 1;
	nr_lrs = 1 + lrs % VGIC_MAX_LRS;
	memset(&vm, 0, sizeof(vm));
	memset(in_guest, 0, sizeof(in_guest));
	cfg = (struct vm_config){ .name = "fuzz", .nr_vcpus = n };
	for (u32 i = 0; i < ARRAY_SIZE(passthrough); i++)
		cfg.irqs[cfg.nr_irqs++] = passthrough[i];

	fake_gic_reset(n, nr_lrs, 5 + ((board >> 3) & 3) % 3);
	fake_gic.gicv2 = !v3;
	for (u32 i = 0; i < ARRAY_SIZE(passthrough); i++)
		if (passthrough[i] < VGIC_NR_IRQS)
			fake_gic.owned[passthrough[i]] = true;
	platform = (struct platform){
		.name = "fuzz",
		.gic = {
			.version = v3 ? GIC_V3 : GIC_V2,
			.gich = (u64)(uintptr_t)fake_gic.cpu[0].gich,
			.maintenance_intid = MAINTENANCE_INTID,
		},
		.nr_cpus = n,
	};
	snprintf(fake_gic.op, sizeof(fake_gic.op), "set-up");
	vgic_init();

	vm.cfg = &cfg;
	vm.nr_vcpus = n;
	for (u32 i = 0; i < n; i++) {
		struct vcpu *v = &vm.vcpus[i];

		cfg.vcpu_pcpu[i] = i;
		v->vm = &vm;
		v->index = i;
		v->pcpu = i;
		v->vmpidr = BIT(31) | i;
		v->state_loaded = true;
		fake_gic.cpu[i].loaded = v;
	}
	vgic_init_vm(&vm);
	dist = redist = NULL;
	for (u32 i = 0; i < vm.nr_mmio; i++) {
		if (vm.mmio[i].base == VIRT_GICD_BASE)
			dist = &vm.mmio[i];
		if (vm.mmio[i].base == VIRT_GICR_BASE &&
		    vm.mmio[i].size == n * VIRT_GICR_STRIDE)
			redist = &vm.mmio[i];
	}
	if (!dist || (v3 && !redist) || vm.nr_mmio != 1u + v3)
		fail("%u regions registered", vm.nr_mmio);
	vm.state = VM_RUNNING;
	op_index = 0;
	reset_vm();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	input = data;
	input_len = size;
	input_pos = 2;
	build(size > 0 ? data[0] : 0, size > 1 ? data[1] : 0);
	for (op_index = 1; input_pos < input_len; op_index++)
		run_op();
	return 0;
}

#pragma clang attribute pop
