/* The virtual GIC's generation-independent core (see vgic.h). */
#include "vgic.h"
#include "gic.h"
#include "gic_ops.h"
#include "timer.h"
#include "log.h"
#include "mem.h"
#include "panic.h"
#include "percpu.h"
#include "platform.h"
#include "sched.h"
#include "virq.h"
#include "vm.h"

#define PPI_VTIMER 27
#define PPI_PTIMER 30

static const struct vgic_ops *ops;
static u32 nr_lrs;
/* Which VM owns each passed-through physical SPI. */
static struct vm *spi_owner[VGIC_NR_IRQS];

void vgic_init(void)
{
	ops = platform.gic.version == GIC_V3 ? &vgic_v3_ops : &vgic_v2_ops;
	nr_lrs = MIN(ops->nr_lrs(), (u32)VGIC_MAX_LRS);
}

struct virq *vgic_irq(struct vcpu *v, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return &v->vgic.priv[intid];
	if (intid < VGIC_NR_IRQS)
		return &v->vm->vgic.spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

struct vcpu *vgic_target(struct vm *vm, u32 intid, struct virq *irq)
{
	if (irq->target >= vm->nr_vcpus)
		return NULL;
	return &vm->vcpus[irq->target];
}

static bool group_enabled(struct vm *vm, const struct virq *irq)
{
	return vm->vgic.ctlr & BIT(irq->group);
}

static bool pending(const struct virq *irq)
{
	return irq->pending || irq->sgi_src || (!irq->edge && irq->line);
}

static bool deliverable(struct vm *vm, const struct virq *irq)
{
	return pending(irq) && irq->enabled && group_enabled(vm, irq);
}

static void set_cand(struct vcpu *v, u32 intid, bool on)
{
	u64 *w = &v->vgic.cand[intid / 64];

	if (on)
		*w |= BIT(intid % 64);
	else
		*w &= ~BIT(intid % 64);
}

static inline __attribute__((always_inline)) void
update_irq(struct vm *vm, struct vcpu *owner, u32 intid, struct virq *irq)
{
	bool deliver = deliverable(vm, irq);
	bool want = deliver || irq->active;
	bool was = owner->vgic.cand[intid / 64] & BIT(intid % 64);

	set_cand(owner, intid, want);
	/*
	 * Newly deliverable: the owner must exit to see it (or wake). Its
	 * bit may be set already, left by a list register whose interrupt the
	 * guest has taken since without exiting, so a latched edge (or GICv2
	 * SGI source) kicks in any case: flush moved the last one into a list
	 * register, so this one is new. Level lines need not: their EOI exits.
	 */
	if (((want && !was) || (deliver && (irq->pending || irq->sgi_src))) &&
	    owner != this_pcpu()->current)
		sched_kick(owner->pcpu);
}

void vgic_update(struct vm *vm, struct vcpu *owner, u32 intid)
{
	update_irq(vm, owner, intid, vgic_irq(owner, intid));
}

/* Private interrupts are owned by their vCPU, SPIs by their target. */
static void update_intid(struct vm *vm, struct vcpu *v, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE) {
		vgic_update(vm, v, intid);
		return;
	}
	struct vcpu *t = vgic_target(vm, intid, vgic_irq(v, intid));

	if (t)
		vgic_update(vm, t, intid);
}

void vgic_set_ctlr(struct vm *vm, u32 ctlr)
{
	spin_lock(&vm->vgic.lock);
	vm->vgic.ctlr = ctlr;
	/* Group enables change what every interrupt's delivery is. */
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		for (u32 k = 0; k < VGIC_NR_PRIVATE; k++)
			vgic_update(vm, &vm->vcpus[i], k);
	for (u32 k = VGIC_NR_PRIVATE; k < VGIC_NR_IRQS; k++)
		update_intid(vm, &vm->vcpus[0], k);
	spin_unlock(&vm->vgic.lock);
}

void vgic_route(struct vm *vm, u32 intid, u8 target)
{
	struct virq *irq = &vm->vgic.spi[intid - VGIC_NR_PRIVATE];
	struct vcpu *old = vgic_target(vm, intid, irq);

	if (irq->target == target)
		return;
	if (old)
		set_cand(old, intid, false);
	irq->target = target;
	struct vcpu *t = vgic_target(vm, intid, irq);
	if (t) {
		vgic_update(vm, t, intid);
		if (irq->hw)
			gic_route_spi(irq->pintid, t->pcpu);
	}
}

/* ---- Reset ---- */

static void reset_irq(struct virq *irq, u32 intid)
{
	*irq = (struct virq){ .target = 0, .edge = intid < 16 };
	if (intid >= VGIC_NR_PRIVATE)
		irq->targets_v2 = 1;
}

void vgic_reset_vcpu(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;

	memset(c, 0, sizeof(*c));
	for (u32 i = 0; i < VGIC_NR_PRIVATE; i++)
		reset_irq(&c->priv[i], i);
	/* The timers are always the hardware's: forwarded, guest-deactivated. */
	c->priv[PPI_VTIMER].hw = true;
	c->priv[PPI_VTIMER].pintid = PPI_VTIMER;
	c->priv[PPI_PTIMER].hw = true;
	c->priv[PPI_PTIMER].pintid = PPI_PTIMER;
	c->asleep = true;
}

void vgic_reset_vm(struct vm *vm)
{
	struct vgic_dist *d = &vm->vgic;

	spin_lock(&d->lock);
	d->ctlr = 0;
	for (u32 i = VGIC_NR_PRIVATE; i < VGIC_NR_IRQS; i++) {
		struct virq *irq = &d->spi[i - VGIC_NR_PRIVATE];
		bool hw = spi_owner[i] == vm;

		reset_irq(irq, i);
		if (hw) {
			irq->hw = true;
			irq->pintid = i;
			gic_enable(i, false);
			gic_set_active(i, false);
			gic_route_spi(i, vm->vcpus[0].pcpu);
		}
	}
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		memset(vm->vcpus[i].vgic.cand, 0, sizeof(vm->vcpus[i].vgic.cand));
	spin_unlock(&d->lock);
}

void vgic_init_vm(struct vm *vm)
{
	for (u32 i = 0; i < vm->cfg->nr_irqs && i < MAX_VM_IRQS; i++) {
		u32 irq = vm->cfg->irqs[i];

		if (irq < VGIC_NR_IRQS)
			spi_owner[irq] = vm;
	}
	ops->init_vm(vm); /* the VM's start resets the state */
}

/* ---- The timers' output lines ---- */

#define TIMER_CTL_ENABLE BIT(0)
#define TIMER_CTL_IMASK BIT(1)
#define TIMER_CTL_ISTATUS BIT(2)

static const u32 timer_ppis[2] = { PPI_VTIMER, PPI_PTIMER };

static bool is_timer(u32 intid)
{
	return intid == PPI_VTIMER || intid == PPI_PTIMER;
}

/* A timer's output from its control register as the CPU holds it. */
static bool timer_output(u64 ctl)
{
	return (ctl & (TIMER_CTL_ENABLE | TIMER_CTL_IMASK | TIMER_CTL_ISTATUS)) ==
	       (TIMER_CTL_ENABLE | TIMER_CTL_ISTATUS);
}

static bool timer_fired(u64 ctl, u64 cval, u64 now)
{
	/* ENABLE set, IMASK clear, and the compare value reached. */
	return (ctl & 3) == 1 && now >= cval;
}

/*
 * Timer i's output for vCPU v, as this CPU can know it: read from the
 * hardware if v runs here, computed from its saved registers if it runs
 * nowhere; if it runs on another CPU, as last sampled there (at its last
 * exit or forwarded interrupt), which is all a reader elsewhere can see.
 */
static bool timer_level(struct vcpu *v, u32 i)
{
	if (v == this_pcpu()->current && v->state_loaded)
		return timer_output(i ? read_sysreg(cntp_ctl_el0) :
				    read_sysreg(cntv_ctl_el0));
	if (!v->state_loaded)
		return i ? timer_fired(v->sys.cntp_ctl, v->sys.cntp_cval, timer_now_ticks()) :
			   timer_fired(v->sys.cntv_ctl, v->sys.cntv_cval, timer_now_ticks());
	return v->vgic.priv[timer_ppis[i]].line;
}

/*
 * At every exit of v, on its CPU, with the vGIC lock held: a timer
 * interrupt forwarded and not yet taken by the guest follows the timer's
 * output. The guest cannot be trapped when it writes CNTV_CTL_EL0, so this
 * is the first moment it can look (a distributor read, a re-enable, the
 * next entry). A timer now quiet (disabled, masked, CVAL moved on) is no
 * longer pending, and its physical PPI, held active since it was
 * forwarded, is released so that it can signal the next expiry.
 * On a board: the exception that brought us here synchronises the guest's
 * CTL and CVAL writes with the ISTATUS we read; the release is a posted
 * redistributor (GICv2: distributor) write, and if it lands after the
 * guest is back, an expiry in between is signalled that much later, not
 * lost, since the PPI is level-sensitive.
 */
static void timers_resample(struct vcpu *v)
{
	for (u32 i = 0; i < 2; i++) {
		struct virq *irq = &v->vgic.priv[timer_ppis[i]];

		if (!irq->line || timer_level(v, i))
			continue;
		irq->line = false;
		if (!irq->active && !irq->pending)
			gic_set_active(timer_ppis[i], false);
		vgic_update(v->vm, v, timer_ppis[i]);
	}
}

/* ---- List registers ---- */

/*
 * A list register the GIC reports empty: the guest has taken and ended its
 * interrupt since the entry, which is what most are at the next exit. No
 * read and no clear: an empty one is invalid to the GIC, whatever else it
 * holds, and the next flush writes it whole. A private INTID's owner is v,
 * the current vCPU here, whom vgic_update never kicks: its candidate bit is
 * all that update does, inline.
 */
static inline __attribute__((always_inline)) void drop_empty(struct vcpu *v, u32 intid)
{
	struct virq *irq = vgic_irq(v, intid);

	irq->active = false;
	if (is_timer(intid))
		irq->line = false;
	if (intid < VGIC_NR_PRIVATE)
		set_cand(v, intid, deliverable(v->vm, irq));
	else
		update_intid(v->vm, v, intid);
}

/* Any list register still holding state, or the underflow interrupt. */
static void __attribute__((noinline)) sync_full(struct vcpu *v, u32 empty)
{
	struct vgic_cpu *c = &v->vgic;
	struct vm *vm = v->vm;
	bool still_pending = false;

	spin_lock(&vm->vgic.lock);
	for (u32 used = c->lr_used; used; used &= used - 1) {
		u32 i = __builtin_ctz(used);
		u32 intid = c->lr_irq[i];
		struct virq *irq = vgic_irq(v, intid);
		struct vgic_lr lr;

		if (empty & BIT(i)) {
			drop_empty(v, intid);
			continue;
		}
		ops->read_lr(i, &lr);
		still_pending |= lr.pending;
		irq->active = lr.active;
		if (is_timer(intid)) {
			/* Its line stays up only while untaken: once the guest
			 * has it (active) or is done (its deactivation reached
			 * the physical PPI), it is forwarded afresh if the timer
			 * still fires. An ISPENDR latch untaken goes back. */
			if (!lr.pending)
				irq->line = false;
			else if (c->lr_latch & BIT(i))
				irq->pending = true;
		} else if (lr.pending) {
			if (intid < 16 && platform.gic.version == GIC_V2)
				irq->sgi_src |= BIT(lr.source);
			else if (irq->edge || irq->hw || (c->lr_latch & BIT(i)))
				irq->pending = true; /* not taken: back it goes */
		}
		ops->write_lr(i, NULL);
		update_intid(vm, v, intid);
	}
	c->lr_used = 0;
	c->lr_latch = 0;
	timers_resample(v);
	if (!still_pending)
		v->irq_pending_since = 0; /* the guest takes its interrupts */
	if (c->underflow) {
		c->underflow = false;
		ops->set_hcr(false);
	}
	spin_unlock(&vm->vgic.lock);
}

void vgic_sync(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;
	struct vm *vm = v->vm;

	if (!c->lr_used && !c->underflow && !vgic_timer_up(c))
		return;
	/* On a board: the exit's dsb sy (vectors.S) has completed the
	 * guest's GICV_EOIR/DIR writes (GICv2: posted device writes) before
	 * this read; GICv3's ICV_* writes are synchronised by the exception.
	 * One still on its way would leave its register not empty: read in
	 * full below, as before. */
	u32 empty = c->lr_used ? ops->empty_lrs() : 0;

	if ((c->lr_used & ~empty) || c->underflow) {
		sync_full(v, empty);
		return;
	}
	/* The common case: every list register written at the entry the
	 * guest has emptied since (or none, and a timer's line is up). */
	spin_lock(&vm->vgic.lock);
	for (u32 used = c->lr_used; used; used &= used - 1)
		drop_empty(v, c->lr_irq[__builtin_ctz(used)]);
	c->lr_used = 0;
	c->lr_latch = 0;
	if (vgic_timer_up(c))
		timers_resample(v);
	v->irq_pending_since = 0; /* the guest takes its interrupts */
	spin_unlock(&vm->vgic.lock);
}

/* Active first, then by priority (lower value first). */
static u32 rank(const struct virq *irq)
{
	return (irq->active ? 0 : 0x100) | irq->priority;
}

/* The nr_lrs best-ranked candidates of v into best, in rank order. Out of
 * line: it is rare, and its registers would burden the common path. */
static __attribute__((noinline)) u32 choose_ranked(struct vcpu *v, u32 *best)
{
	u32 n = 0;

	for (u32 w = 0; w < VGIC_NR_IRQS / 64; w++) {
		for (u64 bits = v->vgic.cand[w]; bits; bits &= bits - 1) {
			u32 intid = w * 64 + __builtin_ctzl(bits);
			u32 r = rank(vgic_irq(v, intid)), k;

			if (n < nr_lrs)
				n++;
			else if (r >= rank(vgic_irq(v, best[n - 1])))
				continue;
			for (k = n - 1; k > 0 && rank(vgic_irq(v, best[k - 1])) > r; k--)
				best[k] = best[k - 1];
			best[k] = intid;
		}
	}
	return n;
}

/* INTID intid into list register i, with the VM's vGIC lock held. */
static inline __attribute__((always_inline)) void load_lr(struct vcpu *v, u32 i, u32 intid)
{
	struct vgic_cpu *c = &v->vgic;
	struct vm *vm = v->vm;
	struct virq *irq = vgic_irq(v, intid);
	struct vgic_lr lr = {
		.intid = intid,
		.priority = irq->priority,
		.group = irq->group,
		.active = irq->active,
		.pending = deliverable(vm, irq),
		.hw = irq->hw,
		.pintid = irq->pintid,
	};

	if (lr.pending && irq->sgi_src) { /* GICv2: one source at a time */
		lr.source = __builtin_ctz(irq->sgi_src);
		irq->sgi_src &= irq->sgi_src - 1;
	} else if (lr.pending && irq->pending) {
		/* The list register holds it now. A level interrupt's latch
		 * (ISPENDR) too: acknowledging it clears it. */
		if (!irq->edge && (!irq->hw || is_timer(intid)))
			c->lr_latch |= BIT(i);
		irq->pending = false;
	}
	/* Level lines: learn when the guest is done, to re-present; GICv2
	 * SGIs: the next source goes in once this one is. */
	lr.eoi_maintenance = (!irq->hw && !irq->edge) || (lr.pending && irq->sgi_src);
	ops->write_lr(i, &lr);
	if (lr.pending && !v->irq_pending_since && vm->watch_ms)
		v->irq_pending_since = timer_now_ticks();
	c->lr_irq[i] = intid;
	c->lr_used |= BIT(i);
}

/* More than one candidate, with the lock held. Out of line: the common
 * case, one, keeps a small frame. */
static void __attribute__((noinline)) flush_many(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;
	u32 best[VGIC_MAX_LRS], n, total = 0;

	/* Mostly they all fit: then the GIC itself orders them, and ranking
	 * is only for choosing which do when they do not. */
	for (u32 w = 0; w < VGIC_NR_IRQS / 64; w++)
		for (u64 bits = c->cand[w]; bits; bits &= bits - 1, total++)
			if (total < nr_lrs)
				best[total] = w * 64 + __builtin_ctzl(bits);
	n = total > nr_lrs ? choose_ranked(v, best) : total;
	for (u32 i = 0; i < n; i++)
		load_lr(v, i, best[i]);
	if (total > n) {
		c->underflow = true;
		ops->set_hcr(true);
	}
}

void vgic_flush(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;
	struct vm *vm = v->vm;

	if (!(c->cand[0] | c->cand[1] | c->cand[2] | c->cand[3]))
		return;
	spin_lock(&vm->vgic.lock);
	u64 first = c->cand[0]; /* again, now that no one changes it */

	if (!(c->cand[1] | c->cand[2] | c->cand[3]) && !(first & (first - 1))) {
		/* Mostly one, an SGI, a PPI or a low SPI: no scan. */
		if (first)
			load_lr(v, 0, __builtin_ctzl(first));
	} else {
		flush_many(v);
	}
	spin_unlock(&vm->vgic.lock);
}

/* ---- vCPU switch ---- */

/* A forwarded timer interrupt is active in the GIC from the moment it is
 * forwarded until the guest deactivates it: while the vCPU's software state
 * (synced at every exit) has it up, pending or active. */
static bool timer_in_flight(const struct vcpu *v, u32 i)
{
	const struct virq *irq = &v->vgic.priv[timer_ppis[i]];

	return irq->line || irq->pending || irq->active;
}

void vgic_save(struct vcpu *v)
{
	ops->save(&v->vgic);
	/* An interrupt in flight stays with its vCPU, off this CPU's GIC. */
	for (u32 i = 0; i < 2; i++) {
		v->vgic.timer_active[i] = timer_in_flight(v, i);
		if (v->vgic.timer_active[i])
			gic_set_active(timer_ppis[i], false);
	}
}

void vgic_load(struct vcpu *v)
{
	ops->load(&v->vgic);
	/* Set or clear: a VM stopped with one in flight must not leave it
	 * active for the next vCPU here. */
	for (u32 i = 0; i < 2; i++)
		gic_set_active(timer_ppis[i], v->vgic.timer_active[i]);
}

/* ---- Interrupt sources ---- */

void vgic_send_sgi(struct vcpu *src, u32 sgi, u64 mask, bool group0_only)
{
	struct vm *vm = src->vm;

	BUILD_ASSERT(MAX_VCPUS < 64, "a vCPU mask is a u64");
	mask &= BIT(vm->nr_vcpus) - 1;
	spin_lock(&vm->vgic.lock);
	for (; mask; mask &= mask - 1) {
		struct vcpu *t = &vm->vcpus[__builtin_ctzl(mask)];
		struct virq *irq = &t->vgic.priv[sgi & 15];

		if (group0_only && irq->group)
			continue;

		if (platform.gic.version == GIC_V2)
			irq->sgi_src |= BIT(src->index);
		else
			irq->pending = true;
		update_irq(vm, t, sgi & 15, irq);
	}
	spin_unlock(&vm->vgic.lock);
}

void virq_set_level(struct vm *vm, u32 intid, bool level)
{
	if (intid < VGIC_NR_PRIVATE || intid >= VGIC_NR_IRQS)
		return;
	spin_lock(&vm->vgic.lock);
	struct virq *irq = &vm->vgic.spi[intid - VGIC_NR_PRIVATE];

	irq->line = level;
	if (level && irq->edge)
		irq->pending = true;
	update_intid(vm, &vm->vcpus[0], intid);
	spin_unlock(&vm->vgic.lock);
}

/* A hardware interrupt for vCPU t: pending until the guest takes it. */
static void inject_hw(struct vcpu *t, u32 intid)
{
	struct vm *vm = t->vm;

	spin_lock(&vm->vgic.lock);
	if (is_timer(intid))
		vgic_irq(t, intid)->line = true; /* level: see timers_resample */
	else
		vgic_irq(t, intid)->pending = true;
	update_intid(vm, t, intid);
	spin_unlock(&vm->vgic.lock);
}

/*
 * A forwarded timer or device interrupt whose VM is stopping or stopped:
 * no guest will answer it, and a level source left asserted would
 * interrupt this CPU again as soon as it is deactivated, for ever, keeping
 * it at EL2 (and away from the other vCPUs it runs). Silence the source:
 * mask the loaded vCPU's timer (a restart resets it), disable the SPI (a
 * restart or the guest enables it again).
 */
static void silence(u32 intid)
{
	if (intid == PPI_VTIMER)
		write_sysreg(read_sysreg(cntv_ctl_el0) | TIMER_CTL_IMASK, cntv_ctl_el0);
	else if (intid == PPI_PTIMER)
		write_sysreg(read_sysreg(cntp_ctl_el0) | TIMER_CTL_IMASK, cntp_ctl_el0);
	else
		gic_enable(intid, false);
	isb();
}

bool vgic_forward(u32 token)
{
	u32 intid = GIC_INTID(token);

	if (intid == platform.gic.maintenance_intid) {
		/* The exit itself was the point: vgic_sync/flush follow. */
		gic_eoi(token);
		gic_deactivate(token);
		return true;
	}
	if (intid == PPI_VTIMER || intid == PPI_PTIMER) {
		struct vcpu *v = sched_loaded(this_cpu_index());

		gic_eoi(token);
		if (!v || READ_ONCE(v->vm->state) != VM_RUNNING) {
			silence(intid);
			gic_deactivate(token);
			return true;
		}
		inject_hw(v, intid); /* the guest's deactivation ends it */
		return true;
	}
	if (intid >= VGIC_NR_PRIVATE && intid < VGIC_NR_IRQS && spi_owner[intid]) {
		struct vm *vm = spi_owner[intid];
		bool running = READ_ONCE(vm->state) == VM_RUNNING;

		gic_eoi(token);
		if (!running) {
			silence(intid);
			gic_deactivate(token);
			return true;
		}
		/*
		 * Left active until the guest deactivates it, whether or not
		 * it can take it now (disabled, masked, its group off, routed
		 * to no vCPU of its VM): active, it cannot signal again, so a
		 * level source held high costs one interrupt, not a storm.
		 * Latched pending, it goes to its target when it has one
		 * (vgic_route, looked up under the lock: routes change
		 * concurrently), whose deactivation ends it in the GIC. That
		 * vCPU may run on another CPU than this one, which took it:
		 * an SPI's active state is the distributor's, and the GIC
		 * architecture lets any CPU interface deactivate it (GICv3
		 * and GICv2 alike), so a re-route in flight is fine on boards.
		 */
		inject_hw(&vm->vcpus[0], intid);
		return true;
	}
	return false;
}

/* ---- Waking ---- */

bool virq_pending(struct vcpu *v)
{
	struct vm *vm = v->vm;

	for (u32 w = 0; w < VGIC_NR_IRQS / 64; w++)
		for (u64 bits = v->vgic.cand[w]; bits; bits &= bits - 1) {
			struct virq *irq = vgic_irq(v, w * 64 + __builtin_ctzl(bits));

			if (deliverable(vm, irq))
				return true;
		}
	if (v->state_loaded)
		return false; /* its timers are in the hardware: they interrupt */
	u64 now = timer_now_ticks();
	return timer_fired(v->sys.cntv_ctl, v->sys.cntv_cval, now) ||
	       timer_fired(v->sys.cntp_ctl, v->sys.cntp_cval, now);
}

u64 vgic_timer_deadline(struct vcpu *v)
{
	u64 d = ~0UL;

	if ((v->sys.cntv_ctl & 3) == 1)
		d = v->sys.cntv_cval;
	if ((v->sys.cntp_ctl & 3) == 1)
		d = MIN(d, v->sys.cntp_cval);
	return d;
}

bool vgic_sysreg(struct vcpu *v, u64 iss)
{
	return ops->sysreg && ops->sysreg(v, iss);
}

/* ---- The registers both generations' distributors share ---- */

/* Bits per interrupt in each array, by register. */
static unsigned field_bits(u32 reg)
{
	switch (reg) {
	case GICD_IPRIORITYR:
	case GICD_ITARGETSR:
		return 8;
	case GICD_ICFGR:
		return 2;
	default:
		return 1;
	}
}

static u64 read_field(struct vcpu *v, u32 intid, const struct virq *irq,
		      u32 reg)
{
	switch (reg) {
	case GICD_IGROUPR: return irq->group;
	case GICD_ISENABLER:
	case GICD_ICENABLER: return irq->enabled;
	case GICD_ISPENDR:
	case GICD_ICPENDR:
		/* A timer's level as of now, not of its last exit. */
		if (is_timer(intid))
			return irq->pending || timer_level(v, intid == PPI_PTIMER);
		return pending(irq);
	case GICD_ISACTIVER:
	case GICD_ICACTIVER: return irq->active;
	case GICD_IPRIORITYR: return irq->priority;
	case GICD_ICFGR: return irq->edge ? 2 : 0;
	default: return 0;
	}
}

/* Applies one interrupt's field of a write. */
static void write_field(struct vcpu *v, u32 intid, struct virq *irq, u32 reg,
			u64 f)
{
	switch (reg) {
	case GICD_IGROUPR:
		irq->group = f & 1;
		break;
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		if (!f)
			return;
		irq->enabled = reg == GICD_ISENABLER;
		if (irq->hw && intid >= VGIC_NR_PRIVATE)
			gic_enable(irq->pintid, irq->enabled);
		break;
	case GICD_ISPENDR:
	case GICD_ICPENDR:
		/* GICv2 SGIs pend per source: GICD_[SC]PENDSGIR, not these. */
		if (!f || (intid < 16 && platform.gic.version == GIC_V2))
			return;
		irq->pending = reg == GICD_ISPENDR;
		if (reg == GICD_ICPENDR)
			irq->sgi_src = 0;
		/* A passed-through SPI pending here is active in the GIC, and
		 * only the guest's deactivation would end it: cleared, it
		 * would stay active, its device silent, for good. A source
		 * still high signals it again. */
		if (reg == GICD_ICPENDR && irq->hw && !irq->active &&
		    intid >= VGIC_NR_PRIVATE)
			gic_set_active(irq->pintid, false);
		break;
	case GICD_ISACTIVER:
	case GICD_ICACTIVER:
		if (!f || irq->hw) /* a hardware interrupt's state is the GIC's */
			return;
		irq->active = reg == GICD_ISACTIVER;
		break;
	case GICD_IPRIORITYR:
		irq->priority = (u8)f;
		break;
	case GICD_ICFGR:
		if (intid < 16 || is_timer(intid))
			return; /* SGIs are edge-triggered, the timers level */
		irq->edge = f & 2;
		if (irq->hw && intid >= VGIC_NR_PRIVATE)
			gic_set_level(irq->pintid, !irq->edge);
		break;
	}
	update_intid(v->vm, v, intid);
}

static bool in_array(u64 off, u32 reg, u32 bits_per_irq, u32 *index)
{
	u32 len = VGIC_NR_IRQS * bits_per_irq / 8;

	if (off < reg || off >= reg + len)
		return false;
	*index = off - reg;
	return true;
}

static const u32 bit_regs[] = {
	GICD_IGROUPR, GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR,
	GICD_ICPENDR, GICD_ISACTIVER, GICD_ICACTIVER,
};

/* The shared interrupt arrays at offset off: the register, the byte index
 * in it and the first INTID the access covers. */
bool vgic_irq_array(u64 off, u32 *reg, u32 *index, u32 *intid)
{
	u32 bits = 0;

	for (u32 i = 0; i < ARRAY_SIZE(bit_regs) && !bits; i++)
		if (in_array(off, bit_regs[i], 1, index)) {
			*reg = bit_regs[i];
			bits = 1;
		}
	if (!bits && in_array(off, GICD_IPRIORITYR, 8, index)) {
		*reg = GICD_IPRIORITYR;
		bits = 8;
	}
	if (!bits && in_array(off, GICD_ICFGR, 2, index)) {
		*reg = GICD_ICFGR;
		bits = 2;
	}
	if (!bits)
		return false;
	*intid = *index * 8 / bits;
	return true;
}

/* The 1-bit arrays other than the pending one, for INTIDs first to
 * first + n - 1 (all private or all SPIs): one field, a tight loop. */
static u64 read_bits(struct vcpu *v, u32 reg, u32 first, u32 n)
{
	const struct virq *irq = vgic_irq(v, first);
	u64 val = 0;

	switch (reg) {
	case GICD_IGROUPR:
		for (u32 i = 0; i < n; i++)
			val |= (u64)irq[i].group << i;
		break;
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		for (u32 i = 0; i < n; i++)
			val |= (u64)irq[i].enabled << i;
		break;
	default: /* GICD_ISACTIVER, GICD_ICACTIVER */
		for (u32 i = 0; i < n; i++)
			val |= (u64)irq[i].active << i;
		break;
	}
	return val;
}

u64 vgic_read_irq_reg(struct vcpu *v, u32 reg, u32 index, unsigned size)
{
	unsigned fb = field_bits(reg);
	u32 first = index * 8 / fb, n = size * 8 / fb;
	u64 val = 0;

	/* A 32-bit (or smaller) access to a 1-bit array stays within the
	 * private interrupts or the SPIs, which lie in arrays of their own. */
	if (fb == 1 && reg != GICD_ISPENDR && reg != GICD_ICPENDR && n <= 32 &&
	    first + n <= VGIC_NR_IRQS && (first % 32) + n <= 32) {
		spin_lock(&v->vm->vgic.lock);
		val = read_bits(v, reg, first, n);
		spin_unlock(&v->vm->vgic.lock);
		return val;
	}
	spin_lock(&v->vm->vgic.lock);
	for (u32 i = 0; i < n && first + i < VGIC_NR_IRQS; i++)
		val |= read_field(v, first + i, vgic_irq(v, first + i), reg) << (i * fb);
	spin_unlock(&v->vm->vgic.lock);
	return val;
}

void vgic_write_irq_reg(struct vcpu *v, u32 reg, u32 index, unsigned size,
			u64 value)
{
	unsigned fb = field_bits(reg);
	u32 first = index * 8 / fb, n = size * 8 / fb;
	u64 mask = (1UL << fb) - 1;

	spin_lock(&v->vm->vgic.lock);
	for (u32 i = 0; i < n && first + i < VGIC_NR_IRQS; i++)
		write_field(v, first + i, vgic_irq(v, first + i), reg,
			    (value >> (i * fb)) & mask);
	spin_unlock(&v->vm->vgic.lock);
}
