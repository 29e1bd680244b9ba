/*
 * The hypervisor console: printk and the lock that keeps lines whole.
 *
 * The lock records its owning CPU so that a CPU may take it again (a fault
 * inside printk that reports itself), and a CPU reporting its own crash may
 * take it by force after a bounded wait, since the owner may be the one that
 * died.
 */
#include <stdarg.h>

#include "uart.h"
#include "config.h"
#include "console.h"
#include "fmt.h"
#include "log.h"
#include "percpu.h"
#include "term_filter.h"

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

/*
 * Lines on the terminal have one owner each: the hypervisor or a VM, whose
 * lines start with "[name] ". When another owner writes while a line is
 * unfinished (a shell prompt, say), the line is broken first, and the
 * owner's tag repeated when it goes on.
 */
#define LINE_START (-1)
#define LINE_HYP (-2)
static int line_owner = LINE_START;

/* What each VM may do to the terminal: no cursor moves, erases or titles,
 * and its colours end with its line (term_filter.h). */
static struct term_filter filters[MAX_VMS];

static void raw_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

static void filter_out(void *ctx __unused, char c)
{
	raw_putc(c);
}

static void take_line(int owner)
{
	if (line_owner >= 0 && line_owner != owner)
		term_filter_end_line(&filters[line_owner], filter_out, NULL);
	if (line_owner != owner && line_owner != LINE_START)
		raw_putc('\n');
	if (line_owner != owner)
		line_owner = LINE_START;
}

static void console_sink(void *ctx __unused, char c)
{
	raw_putc(c);
	line_owner = c == '\n' ? LINE_START : LINE_HYP;
}

void console_vprintk(const char *fmt, va_list ap)
{
	console_lock(false);
	take_line(LINE_HYP);
	fmt_vformat(console_sink, NULL, fmt, ap);
	console_unlock();
}

static void guest_emit(u32 vm, const char *name, char c)
{
	take_line((int)vm);
	if (line_owner == LINE_START) {
		raw_putc('[');
		for (const char *p = name; *p; p++)
			raw_putc(*p);
		raw_putc(']');
		raw_putc(' ');
	}
	line_owner = (int)vm;
	filters[vm].focused = vm == console_focus();
	term_filter_putc(&filters[vm], c, filter_out, NULL);
	if (c == '\n')
		line_owner = LINE_START;
}

/* VMs without input focus are line-buffered, so their lines stay whole;
 * the one with focus is not, so its prompts show at once. */
#define LINE_MAX 160
static struct {
	char buf[LINE_MAX];
	u32 len;
} pending[MAX_VMS];

static void flush_pending(u32 vm, const char *name)
{
	for (u32 i = 0; i < pending[vm].len; i++)
		guest_emit(vm, name, pending[vm].buf[i]);
	pending[vm].len = 0;
}

void console_guest_flush(u32 vm, const char *name)
{
	if (vm >= MAX_VMS)
		return;
	console_lock(false);
	flush_pending(vm, name);
	if (line_owner == (int)vm)
		term_filter_flush(&filters[vm], filter_out, NULL);
	else
		filters[vm] = (struct term_filter){ 0 };
	console_unlock();
}

void console_guest_putc(u32 vm, const char *name, char c)
{
	if (c == '\r' || vm >= MAX_VMS)
		return; /* lines end in "\r\n" on the terminal anyway */
	console_lock(false);
	if (vm == console_focus()) {
		flush_pending(vm, name);
		guest_emit(vm, name, c);
	} else {
		pending[vm].buf[pending[vm].len++] = c;
		if (c == '\n' || pending[vm].len == LINE_MAX)
			flush_pending(vm, name);
	}
	console_unlock();
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintk(fmt, ap);
	va_end(ap);
}
