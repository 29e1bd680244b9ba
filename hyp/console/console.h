/* The hypervisor console (printk is declared in include/log.h). */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <stdarg.h>
#include "types.h"

/* Holds the console across several printk calls so a report stays whole.
 * force: take it anyway after a bounded wait (crash reports). */
void console_lock(bool force);
void console_unlock(void);

/* With the lock held: until the outermost unlock, the hypervisor's lines
 * count in VM vm's share of the output ring (console_tx.h), being about
 * what it did (its faults, restarts, trapped accesses). A VM that makes the
 * hypervisor print without end then loses its own lines, not the other
 * VMs' or the hypervisor's own. */
void console_lines_about(u32 vm);

/* Called once the MMU is on and other CPUs may print. */
void console_enable_locking(void);

void console_vprintk(const char *fmt, va_list ap);

/* Output (console_tx.h): the UART's transmit interrupt was taken; a timer
 * tick looks whether output waits; the transmit interrupt is routed (until
 * then output waits on the UART); everything goes out now, waiting on the
 * UART, and so does all later output (the machine powers off). */
void console_tx_irq(void);
void console_tx_poll(void);
void console_tx_start(void);
void console_flush_sync(void);

/* Input: the UART's receive interrupt, and the first focus (after the VMs
 * are created). */
void console_input_irq(void);
void console_input_init(void);
/* The VM that has input focus. */
extern u32 console_focus_vm;

static inline u32 console_focus(void)
{
	return READ_ONCE(console_focus_vm);
}

struct vm;
/* Typed characters wait for vm beyond its UART's FIFO. */
bool console_input_waiting(const struct vm *vm);
/* Moves what waits into vm's UART FIFO as far as it has room (the VM read
 * from it). Not with the vUART's lock held. */
void console_input_refill(struct vm *vm);
/* vm stopped: drops what waits for it and, when it had focus, gives focus
 * to the next VM that reads input, saying so. */
void console_input_vm_stopped(struct vm *vm);

/* One character of VM vm's output: lines are tagged "[name] ". */
void console_guest_putc(u32 vm, const char *name, char c);
/* Shows what VM vm left unfinished (it stopped mid-line). */
void console_guest_flush(u32 vm, const char *name);

#endif
