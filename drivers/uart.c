/* Dispatch to the UART driver the board names. */
#include "uart.h"

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

void uart_putc(char c)
{
	if (ops)
		ops->putc(uart_base, c);
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
