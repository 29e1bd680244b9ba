/*
 * The console's output ring (console_tx.h). On a board a UART at 115200
 * baud takes ~87 us a character: a VM's line of control characters shown
 * as \xHH (up to ~650 bytes) took ~56 ms when it was written to the UART
 * under the console lock, with its CPU held at EL2 and every other CPU
 * that printed waiting on the lock. Now a write costs its bytes' copy; the
 * UART's transmit interrupt (or the next writer, or a timer tick) moves
 * them out at the UART's pace, each time no more than the FIFO takes then
 * (at most a FIFO's worth of register writes: 32 on a PL011, 64 on the
 * Cadence UART).
 *
 * Each byte's owner is kept beside it, so each writer's share of the ring
 * is known as bytes leave it. Before the interrupt is set up (boot), and
 * after a crash report or the power-off asked for it, writers wait on the
 * UART instead: that text must come out, and nothing else runs then.
 */
#include "console_tx.h"
#include "spinlock.h"
#include "timer.h"
#include "uart.h"

#define MASK (TX_RING - 1)
_Static_assert((TX_RING & MASK) == 0, "TX_RING must be a power of two");

/* How often a drop note may repeat while output is still being dropped;
 * once the ring is empty the note comes at once. */
#define NOTE_EVERY_NS 1000000000UL

enum tx_mode {
	TX_BOOT,  /* no transmit interrupt yet: wait on the UART */
	TX_ASYNC, /* the interrupt moves output: never wait */
	TX_SYNC,  /* a crash or the power-off: wait on the UART again */
};

/* In BSS, zero at boot: TX_BOOT. */
static struct {
	u64 head, tail;     /* bytes appended, and sent, since boot */
	u64 mark;           /* head when the chunk began */
	u64 cap;            /* head the chunk may not reach */
	u64 over;           /* bytes of the chunk past cap */
	u64 dropped;        /* bytes dropped since the last note */
	u64 noted_at;       /* counter value at the last note */
	u32 owner;          /* the chunk's */
	enum tx_mode mode;
	bool irq_on;        /* the transmit interrupt is enabled */
	u32 held[TX_HYP + 1]; /* bytes in the ring, per owner */
	u8 own[TX_RING];    /* each byte's owner */
	char buf[TX_RING];
} out;

void tx_begin(u32 owner)
{
	out.owner = owner;
	out.mark = out.head;
	out.over = 0;
	if (owner >= TX_HYP) {
		out.owner = TX_HYP;
		out.cap = out.tail + TX_RING;
		return;
	}
	u32 held = out.held[owner];
	u64 own_cap = out.head + (held < TX_VM_SHARE ? TX_VM_SHARE - held : 0);
	u64 vms_cap = out.tail + TX_VMS_TOTAL;

	out.cap = own_cap < vms_cap ? own_cap : vms_cap;
}

/* Moves into the FIFO what it has room for now. */
static void move_out(void)
{
	while (out.head != out.tail) {
		u32 at = out.tail & MASK;
		u64 left = out.head - out.tail;
		u32 n = left < TX_RING - at ? (u32)left : TX_RING - at;
		u32 sent = uart_tx_fill(&out.buf[at], n);

		for (u32 i = 0; i < sent; i++)
			out.held[out.own[at + i]]--;
		__atomic_store_n(&out.tail, out.tail + sent, __ATOMIC_RELAXED);
		if (sent < n)
			return;
	}
}

void tx_putc(char c)
{
	if (out.mode != TX_ASYNC) {
		/* Waiting is allowed here (boot, crash, power-off). */
		while (out.head - out.tail == TX_RING) {
			move_out();
			cpu_relax();
		}
	} else if (out.over || out.head >= out.cap) {
		out.over++;
		return;
	}
	u32 at = out.head & MASK;

	out.buf[at] = c;
	out.own[at] = (u8)out.owner;
	out.held[out.owner]++;
	__atomic_store_n(&out.head, out.head + 1, __ATOMIC_RELAXED);
}

bool tx_commit(u64 *len)
{
	if (!out.over)
		return true;
	/* Nothing left the ring meanwhile: bytes move out only in tx_push,
	 * which no chunk calls, and only under the console lock. */
	*len = out.head - out.mark + out.over;
	out.held[out.owner] -= (u32)(out.head - out.mark);
	__atomic_store_n(&out.head, out.mark, __ATOMIC_RELAXED);
	out.over = 0;
	return false;
}

void tx_count_dropped(u64 len)
{
	out.dropped += len;
}

u64 tx_drop_note_due(void)
{
	if (!out.dropped)
		return 0;
	u64 used = out.head - out.tail, now = timer_now_ticks();

	if (used > TX_RING / 2)
		return 0; /* the note would only add to the backlog */
	if (used && out.noted_at &&
	    now - out.noted_at < timer_ns_to_ticks(NOTE_EVERY_NS))
		return 0;
	u64 n = out.dropped;

	out.dropped = 0;
	out.noted_at = now;
	return n;
}

void tx_push(void)
{
	if (out.head == out.tail && !out.irq_on)
		return;
	move_out();
	if (out.mode != TX_ASYNC) {
		while (out.head != out.tail) {
			cpu_relax();
			move_out();
		}
	}
	/*
	 * On while output waits beyond a FIFO that the fill just found full:
	 * the FIFO draining raises it, and its handler fills again. Off when
	 * the ring is empty, or a FIFO with nothing to follow would raise it
	 * again and again.
	 */
	bool want = out.mode == TX_ASYNC && out.head != out.tail;

	if (want != out.irq_on) {
		out.irq_on = want;
		uart_tx_irq(want);
	}
}

void tx_start_irq(void)
{
	if (out.mode == TX_BOOT)
		out.mode = TX_ASYNC;
}

void tx_irq_ack(void)
{
	uart_tx_irq_ack();
}

void tx_set_sync(void)
{
	out.mode = TX_SYNC;
}

bool tx_waiting(void)
{
	return __atomic_load_n(&out.head, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&out.tail, __ATOMIC_RELAXED);
}
