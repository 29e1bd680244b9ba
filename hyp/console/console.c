/*
 * The hypervisor console: printk and the lock that keeps lines whole.
 *
 * The lock records its owning CPU so that a CPU may take it again (a fault
 * inside printk that reports itself), and a CPU reporting its own crash may
 * take it by force after a bounded wait, since the owner may be the one that
 * died.
 *
 * Output goes to the ring of console_tx.c, never straight to the UART, so
 * no writer waits on the UART while it holds the lock. Each printk call and
 * each VM line is one chunk there, kept or dropped whole; what the chunk
 * changed here (the line's owner, the filters) is put back when it is
 * dropped, so the terminal sees it as never written.
 */
#include <stdarg.h>

#include "config.h"
#include "console.h"
#include "console_tx.h"
#include "fmt.h"
#include "log.h"
#include "panic.h"
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

	/* A crash report: its text goes out before the CPU stops, whatever
	 * the ring holds (with the lock taken, below). */
	if (!locking_enabled) {
		if (force)
			tx_set_sync();
		return;
	}
	if (__atomic_load_n(&lock_owner, __ATOMIC_RELAXED) == me) {
		lock_depth++;
		if (force)
			tx_set_sync();
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
	if (force)
		tx_set_sync();
}

static void console_finish(void);
static void hyp_line_close(void);
/* Whose share the hypervisor's lines count in (console_lines_about). */
static u32 hyp_owner = TX_HYP;
/* A hypervisor line is open, or hyp_owner set: the outermost unlock puts
 * them back (one flag, so the vUART's write path pays one check). */
static bool hyp_busy;

void console_unlock(void)
{
	if (locking_enabled && lock_depth > 1) {
		lock_depth--;
		return;
	}
	/* The outermost unlock: a hypervisor line to end, output that waits,
	 * or a note to give. */
	if (hyp_busy || tx_ring.head != tx_ring.tail || tx_ring.irq_on ||
	    tx_ring.dropped)
		console_finish();
	if (locking_enabled) {
		lock_depth = 0;
		__atomic_store_n(&lock_owner, NO_OWNER, __ATOMIC_RELEASE);
	}
}

void console_lines_about(u32 vm)
{
	if (vm < MAX_VMS) {
		hyp_owner = vm;
		hyp_busy = true;
	}
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
		tx_putc('\r');
	tx_putc(c);
}

static void filter_out(void *ctx __unused, char c)
{
	raw_putc(c);
}

static void take_line_from_other(void)
{
	if (line_owner >= 0)
		term_filter_end_line(&filters[line_owner], filter_out, NULL);
	if (line_owner != LINE_START)
		raw_putc('\n');
	line_owner = LINE_START;
}

static inline void take_line(int owner)
{
	if (line_owner != owner)
		take_line_from_other();
}

static void console_sink(void *ctx __unused, char c)
{
	raw_putc(c);
	line_owner = c == '\n' ? LINE_START : LINE_HYP;
}

/*
 * A chunk's undo: what it may change here besides the ring. Under the lock,
 * so one is enough (a nested chunk comes only from a crash report inside
 * printk, and then nothing is dropped: tx_set_sync). The filters first:
 * copied as words, not bytes.
 */
static struct {
	struct term_filter prev; /* the filter of the line's owner */
	struct term_filter mine; /* the writing VM's */
	int line_owner;
	bool saved;
} undo;

/*
 * worst: the most bytes the chunk can put in the ring, or 0 when not
 * known. When its room is at least that, the chunk cannot be dropped and
 * nothing is saved: the focus VM's path, a character at a time, stays as
 * cheap as a direct write.
 */
static void chunk_begin(u32 owner, u64 worst)
{
	hyp_line_close();
	undo.saved = !tx_begin(owner, worst);
	if (!undo.saved)
		return;
	undo.line_owner = line_owner;
	if (line_owner >= 0)
		undo.prev = filters[line_owner];
	if (owner < MAX_VMS)
		undo.mine = filters[owner];
}

/* true: kept. Else undone, *len = its bytes. */
static bool chunk_end(u32 owner, u64 *len)
{
	if (tx_commit(len))
		return true;
	ASSERT(undo.saved);
	if (owner < MAX_VMS)
		filters[owner] = undo.mine;
	if (undo.line_owner >= 0)
		filters[undo.line_owner] = undo.prev;
	line_owner = undo.line_owner;
	return false;
}

/*
 * The hypervisor's chunk is its line, however many printk calls of one hold
 * of the lock write it (a register dump, guest_log): kept or dropped whole,
 * never cut after its "hyp:" prefix. It ends with the line, at the
 * outermost unlock, or when another chunk begins.
 */
static bool hyp_line_open;
static u32 hyp_line_owner;

static void hyp_line_close(void)
{
	u64 len;

	if (!hyp_line_open)
		return;
	hyp_line_open = false;
	if (!chunk_end(hyp_line_owner, &len))
		tx_count_dropped(len);
}

/* The lock is held. */
static void hyp_vprint(const char *fmt, va_list ap)
{
	if (!hyp_line_open) {
		chunk_begin(hyp_owner, 0);
		hyp_line_open = true;
		hyp_busy = true;
		hyp_line_owner = hyp_owner;
	}
	take_line(LINE_HYP);
	fmt_vformat(console_sink, NULL, fmt, ap);
	if (line_owner == LINE_START)
		hyp_line_close();
}

static void hyp_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hyp_vprint(fmt, ap);
	va_end(ap);
}

void console_vprintk(const char *fmt, va_list ap)
{
	console_lock(false);
	hyp_vprint(fmt, ap);
	console_unlock();
}

/* The outermost unlock: the UART takes what it has room for, and a note
 * says what was dropped once the ring has room for it. */
static void __attribute__((noinline)) console_finish(void)
{
	if (hyp_busy) {
		hyp_line_close();
		hyp_owner = TX_HYP;
		hyp_busy = false;
	}
	tx_push();
	u64 dropped = tx_drop_note_due();

	if (dropped) {
		hyp_print("hyp: console: %lu bytes of output dropped (the UART is "
			  "slower than the guests print)\n", dropped);
		hyp_busy = false; /* the note's line ended */
		tx_push();
	}
}

void console_tx_irq(void)
{
	console_lock(false);
	tx_irq_ack();
	console_unlock();
}

void console_tx_poll(void)
{
	if (!tx_waiting())
		return;
	console_lock(false);
	console_unlock();
}

void console_tx_start(void)
{
	console_lock(false);
	tx_start_irq();
	console_unlock();
}

void console_flush_sync(void)
{
	console_lock(false);
	tx_set_sync();
	console_unlock();
}

static inline __attribute__((always_inline)) void guest_emit(u32 vm, const char *name,
							       char c)
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

/* The VM's line lost a part: the rest is dropped too, to its newline. */
static bool dropping[MAX_VMS];

/* A VM's dropped line had its start on the terminal: end it there, so the
 * VM's next line does not go on from it. */
static void end_dropped_line(u32 vm)
{
	u64 len;

	if (line_owner == (int)vm) {
		chunk_begin(TX_HYP, 0);
		term_filter_end_line(&filters[vm], filter_out, NULL);
		raw_putc('\n');
		line_owner = LINE_START;
		if (!chunk_end(TX_HYP, &len))
			tx_count_dropped(len);
	}
	if (line_owner != (int)vm)
		filters[vm] = (struct term_filter){ 0 };
}

/*
 * The most bytes n characters of a VM can become: the previous owner's
 * line ended (its colours reset, a line break), the tag, and each character
 * shown as \xHH, after a held sequence shown the same way.
 */
static u64 chunk_worst(u32 n)
{
	return 16 + (MAX_VM_NAME + 3) + 4 * ((u64)n + TERM_SEQ_MAX + 1) + n;
}

/* n > 0 characters of VM vm, kept or dropped whole (a line, or a part of
 * one that filled the buffer, or one character of the focus VM). */
static void emit_chunk(u32 vm, const char *name, const char *s, u32 n)
{
	bool ends = s[n - 1] == '\n';
	u64 len;

	if (!dropping[vm]) {
		chunk_begin(vm, chunk_worst(n));
		for (u32 i = 0; i < n; i++)
			guest_emit(vm, name, s[i]);
		if (chunk_end(vm, &len))
			return;
	}
	tx_count_dropped(n);
	dropping[vm] = !ends;
	if (ends)
		end_dropped_line(vm);
}

static void flush_pending(u32 vm, const char *name)
{
	if (pending[vm].len)
		emit_chunk(vm, name, pending[vm].buf, pending[vm].len);
	pending[vm].len = 0;
}

void console_guest_flush(u32 vm, const char *name)
{
	if (vm >= MAX_VMS)
		return;
	console_lock(false);
	flush_pending(vm, name);
	dropping[vm] = false;
	if (line_owner == (int)vm) {
		u64 len;

		chunk_begin(TX_HYP, 0);
		term_filter_flush(&filters[vm], filter_out, NULL);
		if (!chunk_end(TX_HYP, &len))
			tx_count_dropped(len);
	} else {
		filters[vm] = (struct term_filter){ 0 };
	}
	console_unlock();
}

void console_guest_putc(u32 vm, const char *name, char c)
{
	if (c == '\r' || vm >= MAX_VMS)
		return; /* lines end in "\r\n" on the terminal anyway */
	console_lock(false);
	if (vm == console_focus()) {
		flush_pending(vm, name);
		/* The common case inline: nothing waits, so the character
		 * fits and goes straight to the FIFO (and, fitting, needs no
		 * tx_commit). */
		if (!dropping[vm] && tx_begin_empty(vm)) {
			guest_emit(vm, name, c);
		} else {
			emit_chunk(vm, name, &c, 1);
		}
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
