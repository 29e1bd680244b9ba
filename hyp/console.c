/*
 * The hypervisor console: printk and the lock that keeps lines whole.
 *
 * The lock records its owning CPU so that a CPU may take it again (a fault
 * inside printk that reports itself), and a CPU reporting its own crash may
 * take it by force after a bounded wait, since the owner may be the one that
 * died.
 */
#include <stdarg.h>

#include "../drivers/uart.h"
#include "console.h"
#include "fmt.h"
#include "log.h"
#include "percpu.h"

#define NO_OWNER (-1)

static int lock_owner = NO_OWNER;
static int lock_depth;
/* Exclusives need the MMU on; until then only the boot CPU runs. */
static bool locking_enabled;

static int my_cpu(void)
{
	struct pcpu *p = this_pcpu();

	return p ? (int)p->index : 0;
}

static bool try_take(int me)
{
	int expected = NO_OWNER;

	return __atomic_compare_exchange_n(&lock_owner, &expected, me, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void console_lock(bool force)
{
	int me = my_cpu();
	unsigned long spins = 0;

	if (!locking_enabled)
		return;
	if (__atomic_load_n(&lock_owner, __ATOMIC_RELAXED) == me) {
		lock_depth++;
		return;
	}
	while (!try_take(me)) {
		if (force && ++spins > 10000000UL) {
			__atomic_exchange_n(&lock_owner, me, __ATOMIC_ACQUIRE);
			break;
		}
		__asm__ volatile("yield");
	}
	lock_depth = 1;
}

void console_unlock(void)
{
	if (!locking_enabled)
		return;
	if (--lock_depth == 0)
		__atomic_store_n(&lock_owner, NO_OWNER, __ATOMIC_RELEASE);
}

void console_enable_locking(void)
{
	locking_enabled = true;
}

static void console_sink(void *ctx __unused, char c)
{
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

void console_vprintk(const char *fmt, va_list ap)
{
	console_lock(false);
	fmt_vformat(console_sink, NULL, fmt, ap);
	console_unlock();
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintk(fmt, ap);
	va_end(ap);
}
