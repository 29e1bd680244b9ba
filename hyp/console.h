/* The hypervisor console (printk is declared in include/log.h). */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <stdarg.h>
#include "types.h"

/* Holds the console across several printk calls so a report stays whole.
 * force: take it anyway after a bounded wait (crash reports). */
void console_lock(bool force);
void console_unlock(void);

/* Called once the MMU is on and other CPUs may print. */
void console_enable_locking(void);

void console_vprintk(const char *fmt, va_list ap);

#endif
