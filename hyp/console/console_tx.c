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
#include "timer.h"
#include "uart.h"

#define MASK (TX_RING - 1)
_Static_assert((TX_RING & MASK) == 0, "TX_RING must be a power of two");

/* How often a drop note may repeat while output is still being dropped;
 * once the ring is empty the note comes at once. */
#define NOTE_EVERY_NS 1000000000UL

struct tx_ring tx_ring;

bool tx_begin(u32 owner, u64 worst)
{
	tx_ring.owner = owner;
	tx_ring.mark = tx_ring.head;
	tx_ring.over = 0;
	if (owner >= TX_HYP) {
		tx_ring.owner = TX_HYP;
		tx_ring.cap = tx_ring.tail + TX_RING;
	} else {
		u32 held = tx_ring.held[owner];
		u64 own_cap = tx_ring.head + (held < TX_VM_SHARE ? TX_VM_SHARE - held : 0);
		u64 vms_cap = tx_ring.tail + TX_VMS_TOTAL;

		tx_ring.cap = own_cap < vms_cap ? own_cap : vms_cap;
	}
	/* Writers that wait drop nothing. */
	return tx_ring.mode != TX_ASYNC ||
	       (worst && tx_ring.cap > tx_ring.head && tx_ring.cap - tx_ring.head >= worst);
}

/* Moves into the FIFO what it has room for now. */
static void move_out(void)
{
	while (tx_ring.head != tx_ring.tail) {
		u32 at = tx_ring.tail & MASK;
		u64 left = tx_ring.head - tx_ring.tail;
		u32 n = left < TX_RING - at ? (u32)left : TX_RING - at;
		u32 sent = uart_tx_fill(&tx_ring.buf[at], n);

		for (u32 i = 0; i < sent; i++)
			tx_ring.held[tx_ring.own[at + i]]--;
		__atomic_store_n(&tx_ring.tail, tx_ring.tail + sent, __ATOMIC_RELAXED);
		if (sent < n)
			return;
	}
}

static void append(char c)
{
	u32 at = tx_ring.head & MASK;

	tx_ring.buf[at] = c;
	tx_ring.own[at] = (u8)tx_ring.owner;
	tx_ring.held[tx_ring.owner]++;
	__atomic_store_n(&tx_ring.head, tx_ring.head + 1, __ATOMIC_RELAXED);
}

void tx_putc_ring(char c)
{
	if (tx_ring.mode != TX_ASYNC) {
		/*
		 * Writers that wait (boot, a crash, the power-off): the byte
		 * is in the FIFO, after all that waited before it, when this
		 * returns. A crash report nested in a hold of the lock (a
		 * fault inside printk) has no outermost unlock to push the
		 * ring for it, and its CPU stops after it.
		 */
		append(c);
		for (move_out(); tx_ring.head != tx_ring.tail; move_out())
			uart_tx_wait();
		return;
	}
	if (tx_ring.over || tx_ring.head >= tx_ring.cap) {
		tx_ring.over++;
		return;
	}
	append(c);
}

bool tx_commit_slow(u64 *len)
{
	/* A crash report nested in the chunk made writers wait (tx_set_sync)
	 * and sent what it held: it stays. */
	if (tx_ring.mode != TX_ASYNC) {
		tx_ring.over = 0;
		return true;
	}
	/* Nothing left the ring meanwhile: bytes move out only in tx_push,
	 * which no chunk calls, and only under the console lock. */
	*len = tx_ring.head - tx_ring.mark + tx_ring.over;
	tx_ring.held[tx_ring.owner] -= (u32)(tx_ring.head - tx_ring.mark);
	__atomic_store_n(&tx_ring.head, tx_ring.mark, __ATOMIC_RELAXED);
	tx_ring.over = 0;
	return false;
}

void tx_count_dropped(u64 len)
{
	tx_ring.dropped += len;
}

u64 tx_drop_note_slow(void)
{
	u64 used = tx_ring.head - tx_ring.tail, now = timer_now_ticks();

	/* Past the VMs' three quarters only the hypervisor's own lines wait:
	 * the note would only add to them. Not half the ring: VMs that keep
	 * their 12 KiB full would hold the note back for as long. */
	if (used > TX_VMS_TOTAL)
		return 0;
	if (used && tx_ring.noted_at &&
	    now - tx_ring.noted_at < timer_ns_to_ticks(NOTE_EVERY_NS))
		return 0;
	u64 n = tx_ring.dropped;

	tx_ring.dropped = 0;
	tx_ring.noted_at = now;
	return n;
}

void tx_push_slow(void)
{
	move_out();
	if (tx_ring.mode != TX_ASYNC) {
		while (tx_ring.head != tx_ring.tail) {
			uart_tx_wait();
			move_out();
		}
	}
	/*
	 * On while output waits beyond a FIFO that the fill just found full:
	 * the FIFO draining raises it, and its handler fills again. Off when
	 * the ring is empty, or a FIFO with nothing to follow would raise it
	 * again and again.
	 */
	bool want = tx_ring.mode == TX_ASYNC && tx_ring.head != tx_ring.tail;

	if (want != tx_ring.irq_on) {
		tx_ring.irq_on = want;
		uart_tx_irq(want);
	}
}

void tx_start_irq(void)
{
	if (tx_ring.mode == TX_BOOT)
		tx_ring.mode = TX_ASYNC;
}

void tx_irq_ack(void)
{
	uart_tx_irq_ack();
}

void tx_set_sync(void)
{
	tx_ring.mode = TX_SYNC;
}
