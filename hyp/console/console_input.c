/*
 * Console input: characters from the physical UART go to the VM that has
 * focus. Ctrl-\ then a digit gives focus to that VM (1 for the first in
 * the configuration), Ctrl-\ then Tab to the next one, and Ctrl-\ twice
 * sends a Ctrl-\ itself.
 */
#include "gic.h"
#include "uart.h"
#include "percpu.h"
#include "platform.h"
#include "config.h"
#include "console.h"
#include "log.h"
#include "vm.h"

#define ESCAPE 0x1c /* Ctrl-\ */

static u32 focus;
static bool escaped;

static bool can_take_input(u32 i)
{
	return i < config.nr_vms && vms[i].usable && vms[i].cfg->vuart;
}

u32 console_focus(void)
{
	return focus;
}

static void set_focus(u32 i)
{
	focus = i;
	log_info("console input goes to vm \"%s\" (Ctrl-\\ then 1-%u to switch)",
		 vms[i].cfg->name, config.nr_vms);
}

void console_input_init(void)
{
	gic_set_level(platform.uart.intid, true);
	gic_route_spi(platform.uart.intid, this_cpu_index());
	gic_enable(platform.uart.intid, true);
	uart_rx_irq(true);
	for (u32 i = 0; i < config.nr_vms; i++)
		if (can_take_input(i)) {
			set_focus(i);
			return;
		}
}

static void deliver(char c)
{
	if (can_take_input(focus) && vms[focus].state == VM_RUNNING)
		vuart_receive(&vms[focus], c);
}

static void input_char(char c)
{
	if (!escaped) {
		if (c == ESCAPE)
			escaped = true;
		else
			deliver(c);
		return;
	}
	escaped = false;
	if (c == ESCAPE) {
		deliver(c);
	} else if (c == '\t') {
		for (u32 k = 1; k <= config.nr_vms; k++) {
			u32 i = (focus + k) % config.nr_vms;

			if (can_take_input(i)) {
				set_focus(i);
				break;
			}
		}
	} else if (c >= '1' && c <= '9' && can_take_input(c - '1')) {
		set_focus(c - '1');
	}
}

void console_input_irq(void)
{
	int c;

	while ((c = uart_getc()) >= 0)
		input_char((char)c);
}
