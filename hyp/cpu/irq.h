/* Physical interrupts, all taken at EL2: the hypervisor's own (kicks
 * between CPUs, the console UART, its timer) and those it forwards to
 * guests (their timers, passed-through devices). */
#ifndef HYP_IRQ_H
#define HYP_IRQ_H

#include "types.h"

/* Distributor set-up (boot CPU), then each CPU's interface. */
void irq_init(void);
void irq_init_cpu(void);

/* Takes and handles every pending physical interrupt. */
void irq_handle_all(void);

#endif
