/*
 * The device partition's own console input, for its operator (Ctrl-\ then
 * its number on the hypervisor's console): "r" restarts it, as a crash
 * would, "h" holds every request until then (docs/virtio.md says what the
 * frontends see and how their drivers go on). Polled from the virtual timer every 200 ms: no
 * frontend can reach this console.
 */
#include "gic.h"
#include "guest_platform.h"
#include "mmio.h"
#include "virtio.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define FR_RXFE BIT(4)
#define POLL_MS 200

void operator_start(void)
{
	gic_enable_irq(VTIMER_INTID, 0x80);
	vtimer_arm(counter_ms(POLL_MS));
}

void operator_poll(void)
{
	while (!(mmio_read32(VIRT_UART_BASE + UARTFR) & FR_RXFE)) {
		char c = mmio_read32(VIRT_UART_BASE + UARTDR);

		if (c == 'r') {
			printf("virtio-dev: restarting, as the operator asked\n");
			hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		}
		if (c == 'h')
			serve_hold();
	}
	vtimer_arm(counter_ms(POLL_MS));
}
