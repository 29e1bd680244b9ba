/* Dispatch to the UART driver the board names. */
#include "uart.h"
#include "sysreg.h"

static const struct uart_ops *ops;
static u64 uart_base;

void uart_init(enum uart_kind kind, u64 base)
{
	switch (kind) {
	case UART_PL011:
		ops = &pl011_ops;
		break;
	case UART_CADENCE:
		ops = &cadence_uart_ops;
		break;
	default:
		return; /* unknown kind: stay silent rather than poke a device */
	}
	uart_base = base;
	ops->init(base);
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
	if (!ops)
		return n; /* no UART: what would wait for it is gone */
#ifdef TEST_SLOW_UART_BPS
	u64 per_byte;
	u32 room = model_room(&per_byte);

	n = n < room ? n : room;
	n = ops->tx_fill(uart_base, s, n);
	line_free_at += n * per_byte;
	return n;
#else
	return ops->tx_fill(uart_base, s, n);
#endif
}

void uart_tx_irq_ack(void)
{
	if (ops)
		ops->tx_irq_ack(uart_base);
}

void uart_tx_irq(bool enable)
{
#ifdef TEST_SLOW_UART_BPS
	/* The Cadence UART latches "FIFO empty" at once under QEMU, while
	 * the model has no room: the interrupt would be raised for ever. */
	if (ops == &cadence_uart_ops)
		enable = false;
#endif
	if (ops)
		ops->tx_irq(uart_base, enable);
}

int uart_getc(void)
{
	return ops ? ops->getc(uart_base) : -1;
}

void uart_rx_irq(bool enable)
{
	if (ops)
		ops->rx_irq(uart_base, enable);
}
