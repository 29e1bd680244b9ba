/* The hypervisor's own console UART, polled for output and interrupt-driven
 * for input. One implementation per UART kind; the board picks the kind. */
#ifndef DRIVERS_UART_H
#define DRIVERS_UART_H

#include "platform.h"

struct uart_ops {
	void (*init)(u64 base);
	void (*putc)(u64 base, char c);
	int (*getc)(u64 base); /* -1 when nothing is waiting */
	void (*rx_irq)(u64 base, bool enable);
};

extern const struct uart_ops pl011_ops;
extern const struct uart_ops cadence_uart_ops;

/* Direct calls, for code that runs before the image is where it was linked
 * (where the function pointers in the tables above are wrong). */
void pl011_putc(u64 base, char c);
void cadence_putc(u64 base, char c);

/* Selects the driver for kind at base; until then output is dropped. */
void uart_init(enum uart_kind kind, u64 base);
void uart_putc(char c);
int uart_getc(void);
void uart_rx_irq(bool enable);

#endif
