/*
 * A timer interrupt follows its timer: the virtual and the EL1 physical
 * timer are level sources, so their interrupt is pending exactly while the
 * timer fires (enabled, unmasked, compare value reached), as on a machine
 * without a hypervisor. For each timer, with the interrupt held back first
 * by a disabled INTID, then by IRQs masked in PSTATE: the timer fires, the
 * interrupt reads pending (GICR_ISPENDR0, or GICv2's banked GICD_ISPENDR0);
 * then the timer is quieted one way (CTL.ENABLE = 0, CTL.IMASK = 1, CVAL
 * moved a second ahead) and the interrupt must read not pending and must
 * not be delivered when let through. A control case lets the interrupt
 * through while the timer still fires: it must come, once.
 *
 * One vCPU (tests/configs/run/timerlevel.c, tests/integration/vgic.py).
 */
#include "gic.h"
#include "guest.h"
#include "mmio.h"

#define GICD_ISPENDR 0x200
#define WAIT_MS 500
#define SETTLE_MS 5 /* time for a stray interrupt to arrive */

static u32 taken[2];  /* interrupts taken, per timer */
static u32 spurious;

static u32 timer_intid(u32 t)
{
	return t ? PTIMER_INTID : VTIMER_INTID;
}

static void write_ctl(u32 t, u64 ctl)
{
	if (t)
		write_sysreg(ctl, cntp_ctl_el0);
	else
		write_sysreg(ctl, cntv_ctl_el0);
	isb();
}

static void write_cval(u32 t, u64 cval)
{
	if (t)
		write_sysreg(cval, cntp_cval_el0);
	else
		write_sysreg(cval, cntv_cval_el0);
	isb();
}

static u64 now(u32 t)
{
	isb();
	return t ? read_sysreg(cntpct_el0) : read_sysreg(cntvct_el0);
}

static bool reads_pending(u32 intid)
{
	return mmio_read32(gic_private_base() + GICD_ISPENDR) & BIT(intid);
}

static bool on_exception(struct guest_regs *regs, u64 kind)
{
	(void)regs;
	if (kind != EXC_IRQ)
		return false;
	u32 iar = gic_ack(), id = GIC_IAR_INTID(iar);

	if (id == VTIMER_INTID || id == PTIMER_INTID) {
		u32 t = id == PTIMER_INTID;

		write_ctl(t, 0); /* level: quiet it before the EOI */
		WRITE_ONCE(taken[t], taken[t] + 1);
	} else if (id >= 1020) {
		WRITE_ONCE(spurious, spurious + 1);
		return true;
	}
	gic_eoi(iar);
	return true;
}

enum hold { BY_DISABLE, BY_PSTATE };
enum quiet { QUIET_NONE, QUIET_DISABLE, QUIET_IMASK, QUIET_CVAL };

static const char *const hold_names[] = { "its INTID disabled", "IRQs masked" };
static const char *const quiet_names[] = {
	"left firing", "CTL.ENABLE = 0", "CTL.IMASK = 1", "CVAL moved 1 s ahead",
};
static const char *const timer_names[] = { "virtual timer", "EL1 physical timer" };

static void one_case(u32 t, enum hold hold, enum quiet quiet)
{
	u32 intid = timer_intid(t), before;
	bool was_pending, now_pending;

	irq_disable();
	if (hold == BY_DISABLE) {
		gic_disable_irq(intid);
		irq_enable();
	} else {
		gic_enable_irq(intid, 0x80);
	}
	before = READ_ONCE(taken[t]);
	/* A deadline already past: the timer fires at once. */
	write_cval(t, now(t) - 1);
	write_ctl(t, 1);
	was_pending = spin_until(reads_pending(intid), WAIT_MS);

	switch (quiet) {
	case QUIET_NONE: break;
	case QUIET_DISABLE: write_ctl(t, 0); break;
	case QUIET_IMASK: write_ctl(t, 3); break;
	case QUIET_CVAL: write_cval(t, now(t) + counter_ms(1000)); break;
	}
	now_pending = reads_pending(intid);

	/* Let it through. */
	if (hold == BY_DISABLE)
		gic_enable_irq(intid, 0x80);
	else
		irq_enable();
	delay_ms(SETTLE_MS);
	u32 got = READ_ONCE(taken[t]) - before;

	irq_disable();
	write_ctl(t, 0);
	gic_disable_irq(intid);
	irq_enable();

	if (quiet == QUIET_NONE)
		report(was_pending && now_pending && got == 1,
		       "%s fired with %s: pending %u, taken %u time(s) once let through",
		       timer_names[t], hold_names[hold], now_pending, got);
	else
		report(was_pending && !now_pending && got == 0,
		       "%s fired with %s, then %s: pending before %u, after %u, "
		       "taken %u time(s) once let through",
		       timer_names[t], hold_names[hold], quiet_names[quiet],
		       was_pending, now_pending, got);
}

void guest_main(void);
void guest_main(void)
{
	gic_init();
	gic_cpu_init();
	set_exception_handler(on_exception);
	printf("# timerlevel: GICv%u\n", gic_v3 ? 3 : 2);
	for (u32 t = 0; t < 2; t++)
		for (u32 hold = BY_DISABLE; hold <= BY_PSTATE; hold++)
			for (u32 q = QUIET_NONE; q <= QUIET_CVAL; q++)
				one_case(t, hold, q);
	report(READ_ONCE(spurious) == 0, "no spurious acknowledgements (%u)",
	       READ_ONCE(spurious));
	report_done();
}
