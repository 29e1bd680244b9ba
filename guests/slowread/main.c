/*
 * A slow reader of console input: says it is ready, then takes one
 * character every 2 ms (polling the UART, as a busy bootloader does) until
 * a newline, and reports what arrived. A paste longer than the UART's FIFO
 * must arrive whole, waiting in the hypervisor meanwhile.
 */
#include "guest.h"
#include "guest_platform.h"
#include "mmio.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define FR_RXFE BIT(4)
#define LINE_MAX 512

static char line[LINE_MAX];

void guest_main(void);
void guest_main(void)
{
	u32 n = 0;

	printf("slowread: ready\n");
	for (;;) {
		while (mmio_read32(VIRT_UART_BASE + UARTFR) & FR_RXFE)
			;
		char c = (char)mmio_read32(VIRT_UART_BASE + UARTDR);

		if (c == '\r' || c == '\n')
			break;
		if (n < LINE_MAX - 1)
			line[n++] = c;
		delay_ms(2);
	}
	line[n] = 0;
	printf("slowread: got %u characters: %s\n", n, line);
	report(n > 0, "a line arrived");
	report_done();
}
