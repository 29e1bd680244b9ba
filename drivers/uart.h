/* The hypervisor's own console UART, interrupt-driven both ways: input as it
 * arrives, output from the console's ring (hyp/console/console_tx.c) as the
 * transmit FIFO has room. One implementation per UART kind; the board picks
 * the kind. */
#ifndef DRIVERS_UART_H
#define DRIVERS_UART_H

#include "platform.h"

struct uart_ops {
	void (*init)(u64 base);
	/* Puts at most n of s into the transmit FIFO, as many as it has
	 * room for now, never waiting; returns how many. */
	u32 (*tx_fill)(u64 base, const char *s, u32 n);
	/* The same for one character: false when the FIFO is full. */
	bool (*tx_put)(u64 base, char c);
	/* Clears a raised transmit interrupt (before a fill: one that the
	 * fill makes room for again is raised anew). */
	void (*tx_irq_ack)(u64 base);
	/* The transmit interrupt: on when output waits beyond the FIFO. */
	void (*tx_irq)(u64 base, bool enable);
	int (*getc)(u64 base); /* -1 when nothing is waiting */
	void (*rx_irq)(u64 base, bool enable);
};

extern const struct uart_ops pl011_ops;
extern const struct uart_ops cadence_uart_ops;

/* Direct calls, for code that runs before the image is where it was linked
 * (where the function pointers in the tables above are wrong). They wait
 * on the FIFO. */
void pl011_putc(u64 base, char c);
void cadence_putc(u64 base, char c);

/* Selects the driver for kind at base; until then output is dropped. */
void uart_init(enum uart_kind kind, u64 base);
u32 uart_tx_fill(const char *s, u32 n);

/* The console's common case, one character into a FIFO with room, without
 * a call through uart.c (unless a test models a slow UART there). */
#ifdef TEST_SLOW_UART_BPS
bool uart_tx_put(char c);
#else
extern const struct uart_ops *uart_ops_now;
extern u64 uart_base_now;

static inline bool uart_tx_put(char c)
{
	return uart_ops_now ? uart_ops_now->tx_put(uart_base_now, c) : true;
}
#endif
/* A short wait for room in the FIFO (for writers that wait). */
void uart_tx_wait(void);
void uart_tx_irq_ack(void);
void uart_tx_irq(bool enable);
int uart_getc(void);
void uart_rx_irq(bool enable);

#endif
