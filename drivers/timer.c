/* Generic timer helpers (Arm ARM D11). */
#include "timer.h"
#include "platform.h"
#include "sysreg.h"

u64 timer_freq(void)
{
	u64 f = read_sysreg(cntfrq_el0);

	return f ? f : platform.timer.freq_hz;
}

u64 timer_now_ticks(void)
{
	isb(); /* do not read the counter early */
	return read_sysreg(cntpct_el0);
}

u64 timer_ticks_to_ns(u64 ticks)
{
	u64 f = timer_freq();

	return ticks / f * 1000000000UL + ticks % f * 1000000000UL / f;
}

u64 timer_ns_to_ticks(u64 ns)
{
	u64 f = timer_freq();

	return ns / 1000000000UL * f + ns % 1000000000UL * f / 1000000000UL;
}

void timer_hyp_arm(u64 deadline)
{
	write_sysreg(deadline, cnthp_cval_el2);
	write_sysreg(1, cnthp_ctl_el2); /* ENABLE, not masked */
	isb();
}

void timer_hyp_stop(void)
{
	write_sysreg(0, cnthp_ctl_el2);
	isb();
}

u64 timer_now_ns(void)
{
	return timer_ticks_to_ns(timer_now_ticks());
}
