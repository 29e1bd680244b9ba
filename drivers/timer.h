/* The Arm generic timer, as the hypervisor reads it. */
#ifndef DRIVERS_TIMER_H
#define DRIVERS_TIMER_H

#include "types.h"

/* Counter frequency: CNTFRQ_EL0, or the board's figure if firmware left it 0. */
u64 timer_freq(void);
u64 timer_now_ticks(void);
u64 timer_now_ns(void);
u64 timer_ticks_to_ns(u64 ticks);
u64 timer_ns_to_ticks(u64 ns);

/* The EL2 physical timer (CNTHP, PPI 10): the hypervisor's own, for time
 * slices and for waking vCPUs whose timers fire while they are switched
 * out. Arms it for the counter value deadline, or stops it. */
void timer_hyp_arm(u64 deadline);
void timer_hyp_stop(void);

#endif
