/* Bringing up the other physical CPUs. */
#ifndef HYP_SMP_H
#define HYP_SMP_H

#include "types.h"

/* Starts every CPU of the board but this one and waits until each has
 * reported online (or timed out). Returns how many CPUs are online. */
u32 smp_start_secondaries(void);

bool cpu_is_online(u32 index);

/* Set once the VMs are built: secondaries start scheduling. */
extern bool vms_ready;

/* Sets vms_ready and wakes the secondaries waiting for it. */
void smp_release_secondaries(void);

#endif
