/* Dispatch to the UART driver the board names. */
#include "uart.h"
#include "sysreg.h"

/* Read inline by uart_tx_put (uart.h). */
const struct uart_ops *uart_ops_now;
u64 uart_base_now;

void uart_init(enum uart_kind kind, u64 base)
{
	switch (kind) {
	case UART_PL011:
		uart_ops_now = &pl011_ops;
		break;
	case UART_CADENCE:
		uart_ops_now = &cadence_uart_ops;
		break;
	default:
		return; /* unknown kind: stay silent rather than poke a device */
	}
	uart_base_now = base;
	uart_ops_now->init(base);
}

#ifdef TEST_SLOW_UART_BPS
/*
 * A test build's slow line (make SLOW_UART=bytes per second): QEMU's UARTs
 * send at once whatever the baud rate, so nothing would show what a board's
 * 115200 baud does to the console. This models a 16-byte transmit FIFO
 * that empties at TEST_SLOW_UART_BPS bytes a second of counter time: the
 * FIFO takes no more than it would have room for, and the direct calls
 * above are not used after boot. What a fill puts in is written to the
 * real UART at once. The model raises no interrupt when its FIFO empties:
 * output that waits is moved by the next console write or timer tick
 * (console_tx_poll).
 */
#define MODEL_FIFO 16
static u64 line_free_at; /* counter value when the modelled FIFO is empty */

static u32 model_room(u64 *tick)
{
	u64 now = read_sysreg(cntpct_el0);
	u64 per_byte = read_sysreg(cntfrq_el0) / TEST_SLOW_UART_BPS;

	*tick = per_byte;
	if (line_free_at <= now) {
		line_free_at = now;
		return MODEL_FIFO;
	}
	u64 queued = (line_free_at - now + per_byte - 1) / per_byte;
	return queued >= MODEL_FIFO ? 0 : MODEL_FIFO - (u32)queued;
}
#endif

u32 uart_tx_fill(const char *s, u32 n)
{
	if (!uart_ops_now)
		return n; /* no UART: what would wait for it is gone */
#ifdef TEST_SLOW_UART_BPS
	u64 per_byte;
	u32 room = model_room(&per_byte);

	n = n < room ? n : room;
	n = uart_ops_now->tx_fill(uart_base_now, s, n);
	line_free_at += n * per_byte;
	return n;
#else
	return uart_ops_now->tx_fill(uart_base_now, s, n);
#endif
}

#ifdef TEST_SLOW_UART_BPS
bool uart_tx_put(char c)
{
	return uart_tx_fill(&c, 1) == 1;
}
#endif

/*
 * Waits a little for the FIFO to take more (writers that wait: boot, a
 * crash, the power-off). In a SLOW_UART build, until the model's FIFO has
 * room, in a plain loop: under -icount every counter read ends QEMU's
 * translation block, and a wait of the modelled pace read that way took
 * seconds of host time; a loop takes the same virtual time (one nanosecond
 * an instruction) without them.
 */
void uart_tx_wait(void)
{
#ifdef TEST_SLOW_UART_BPS
	u64 now = read_sysreg(cntpct_el0), freq = read_sysreg(cntfrq_el0);
	u64 per_byte = freq / TEST_SLOW_UART_BPS;
	/* When the model's FIFO has room for one more byte. */
	u64 room_at = line_free_at - (MODEL_FIFO - 1) * per_byte;

	if (line_free_at > (MODEL_FIFO - 1) * per_byte && room_at > now) {
		/* Two instructions a turn. */
		u64 turns = (room_at - now) * (1000000000UL / freq) / 2 + 1;

		__asm__ volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(turns) : : "cc");
	}
#else
	__asm__ volatile("yield" ::: "memory");
#endif
}

void uart_tx_irq_ack(void)
{
	if (uart_ops_now)
		uart_ops_now->tx_irq_ack(uart_base_now);
}

void uart_tx_irq(bool enable)
{
#ifdef TEST_SLOW_UART_BPS
	/* The Cadence UART latches "FIFO empty" at once under QEMU, while
	 * the model has no room: the interrupt would be raised for ever. */
	if (uart_ops_now == &cadence_uart_ops)
		enable = false;
#endif
	if (uart_ops_now)
		uart_ops_now->tx_irq(uart_base_now, enable);
}

int uart_getc(void)
{
	return uart_ops_now ? uart_ops_now->getc(uart_base_now) : -1;
}

void uart_rx_irq(bool enable)
{
	if (uart_ops_now)
		uart_ops_now->rx_irq(uart_base_now, enable);
}
