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

static int pl011_getc(u64 base)
{
	if (mmio_read32(base + UARTFR) & FR_RXFE)
		return -1;
	return mmio_read32(base + UARTDR) & 0xff;
}

static void pl011_rx_irq(u64 base, bool enable)
{
	mmio_write32(base + UARTICR, INT_RX | INT_RT);
	mmio_write32(base + UARTIMSC, enable ? INT_RX | INT_RT : 0);
}

const struct uart_ops pl011_ops = {
	.init = pl011_init,
	.putc = pl011_putc,
	.getc = pl011_getc,
	.rx_irq = pl011_rx_irq,
};
