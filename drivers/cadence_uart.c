/* Cadence UART as on Xilinx Zynq UltraScale+ (UG1085, "UART Controller").
 * The controller must have TX and RX enabled before it transmits. */
#include "mmio.h"
#include "uart.h"

#define CR 0x00
#define IER 0x08
#define IDR 0x0c
#define ISR 0x14
#define RXWM 0x20
#define SR 0x2c
#define FIFO 0x30

#define CR_RXEN BIT(2)
#define CR_TXEN BIT(4)
#define CR_RXDIS BIT(3)
#define CR_TXDIS BIT(5)
#define SR_RXEMPTY BIT(1)
#define SR_TXFULL BIT(4)
#define INT_RTRIG BIT(0)   /* receive FIFO reached the watermark */
#define INT_TEMPTY BIT(3)  /* transmit FIFO empty */
#define INT_TIMEOUT BIT(8) /* receive timeout */

static void cadence_init(u64 base)
{
	u32 cr = mmio_read32(base + CR);

	cr &= ~(CR_RXDIS | CR_TXDIS);
	mmio_write32(base + CR, cr | CR_RXEN | CR_TXEN);
	mmio_write32(base + RXWM, 1);
}

void cadence_putc(u64 base, char c)
{
	while (mmio_read32(base + SR) & SR_TXFULL)
		;
	mmio_write32(base + FIFO, (u8)c);
}

static u32 cadence_tx_fill(u64 base, const char *s, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (mmio_read32(base + SR) & SR_TXFULL)
			break;
		mmio_write32(base + FIFO, (u8)s[i]);
	}
	return i;
}

static bool cadence_tx_put(u64 base, char c)
{
	if (mmio_read32(base + SR) & SR_TXFULL)
		return false;
	mmio_write32(base + FIFO, (u8)c);
	return true;
}

/* "Empty" is latched in ISR (write 1 to clear) each time the FIFO runs
 * dry: cleared before a fill, it is raised again when that fill is sent. */
static void cadence_tx_irq_ack(u64 base)
{
	mmio_write32(base + ISR, INT_TEMPTY);
}

/* Off once nothing waits: the FIFO stays empty, and so would the interrupt
 * stay raised. */
static void cadence_tx_irq(u64 base, bool enable)
{
	mmio_write32(base + (enable ? IER : IDR), INT_TEMPTY);
}

/* Unlike the PL011's, the interrupt status bits are sticky (write 1 to
 * clear): once the FIFO is drained they are cleared here, or the interrupt
 * stays raised. A character that arrived meanwhile is looked for again. */
static int cadence_getc(u64 base)
{
	if (mmio_read32(base + SR) & SR_RXEMPTY) {
		mmio_write32(base + ISR, INT_RTRIG | INT_TIMEOUT);
		if (mmio_read32(base + SR) & SR_RXEMPTY)
			return -1;
	}
	return mmio_read32(base + FIFO) & 0xff;
}

static void cadence_rx_irq(u64 base, bool enable)
{
	mmio_write32(base + ISR, INT_RTRIG | INT_TIMEOUT);
	mmio_write32(base + (enable ? IER : IDR), INT_RTRIG);
}

const struct uart_ops cadence_uart_ops = {
	.init = cadence_init,
	.tx_fill = cadence_tx_fill,
	.tx_put = cadence_tx_put,
	.tx_irq_ack = cadence_tx_irq_ack,
	.tx_irq = cadence_tx_irq,
	.getc = cadence_getc,
	.rx_irq = cadence_rx_irq,
};
