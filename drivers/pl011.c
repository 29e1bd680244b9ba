/* Arm PL011 UART (Arm DDI 0183). Baud rate and line settings are left as the
 * firmware set them; the driver only makes sure TX and RX are on. */
#include "mmio.h"
#include "uart.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTCR 0x30
#define UARTIMSC 0x38
#define UARTICR 0x44

#define FR_TXFF BIT(5) /* transmit FIFO full */
#define FR_RXFE BIT(4) /* receive FIFO empty */
#define CR_UARTEN BIT(0)
#define CR_TXE BIT(8)
#define CR_RXE BIT(9)
#define INT_RX BIT(4)
#define INT_TX BIT(5) /* transmit FIFO at or below its level (IFLS) */
#define INT_RT BIT(6) /* receive timeout: fewer chars than the FIFO level */

static void pl011_init(u64 base)
{
	u32 cr = mmio_read32(base + UARTCR);
	u32 want = CR_UARTEN | CR_TXE | CR_RXE;

	if ((cr & want) != want)
		mmio_write32(base + UARTCR, cr | want);
}

void pl011_putc(u64 base, char c)
{
	while (mmio_read32(base + UARTFR) & FR_TXFF)
		;
	mmio_write32(base + UARTDR, (u8)c);
}

/* Only "full" can be known, not the level: each character is checked. */
static u32 pl011_tx_fill(u64 base, const char *s, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (mmio_read32(base + UARTFR) & FR_TXFF)
			break;
		mmio_write32(base + UARTDR, (u8)s[i]);
	}
	return i;
}

static bool pl011_tx_put(u64 base, char c)
{
	if (mmio_read32(base + UARTFR) & FR_TXFF)
		return false;
	mmio_write32(base + UARTDR, (u8)c);
	return true;
}

/*
 * The transmit interrupt is raised as the FIFO drains through its level,
 * not by the level itself (DDI 0183, UARTTXINTR): enabled with the FIFO
 * already low it stays quiet, so the console enables it only after a fill
 * that stopped at a full FIFO, whose draining raises it.
 */
static void pl011_tx_irq_ack(u64 base)
{
	mmio_write32(base + UARTICR, INT_TX);
}

/* The mask is shared with the receive side: both change it under the
 * console lock. */
static void pl011_tx_irq(u64 base, bool enable)
{
	u32 imsc = mmio_read32(base + UARTIMSC);

	mmio_write32(base + UARTIMSC, enable ? imsc | INT_TX : imsc & ~INT_TX);
}

static int pl011_getc(u64 base)
{
	if (mmio_read32(base + UARTFR) & FR_RXFE)
		return -1;
	return mmio_read32(base + UARTDR) & 0xff;
}

static void pl011_rx_irq(u64 base, bool enable)
{
	u32 imsc = mmio_read32(base + UARTIMSC) & ~(INT_RX | INT_RT);

	mmio_write32(base + UARTICR, INT_RX | INT_RT);
	mmio_write32(base + UARTIMSC, enable ? imsc | INT_RX | INT_RT : imsc);
}

const struct uart_ops pl011_ops = {
	.init = pl011_init,
	.tx_fill = pl011_tx_fill,
	.tx_put = pl011_tx_put,
	.tx_irq_ack = pl011_tx_irq_ack,
	.tx_irq = pl011_tx_irq,
	.getc = pl011_getc,
	.rx_irq = pl011_rx_irq,
};
