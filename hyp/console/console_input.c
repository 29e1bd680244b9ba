/*
 * Console input: characters from the physical UART go to the VM that has
 * focus. Ctrl-\ then a digit gives focus to that VM (1 for the first in
 * the configuration), Ctrl-\ then Tab to the next one, and Ctrl-\ twice
 * sends a Ctrl-\ itself.
 *
 * A paste arrives faster than a VM reads through its emulated UART (32
 * characters of FIFO): what does not fit waits here, in a bounded queue per
 * VM, and moves into the FIFO as the VM reads (console_input_refill from
 * the UART's data register read). When the queue is full, characters are
 * dropped and the console says so, once as it starts and once with the
 * count when the queue has drained.
 */
#include "gic.h"
#include "uart.h"
#include "percpu.h"
#include "platform.h"
#include "config.h"
#include "console.h"
#include "log.h"
#include "spinlock.h"
#include "vm.h"

#define ESCAPE 0x1c /* Ctrl-\ */
#define INPUT_QUEUE 4096 /* characters per VM */

struct input_queue {
	u8 buf[INPUT_QUEUE];
	u32 head, count;
	u32 dropped; /* since the queue was last empty */
};

static u32 focus;
static bool escaped;
static struct input_queue queues[MAX_VMS];
static spinlock_t queue_lock = SPINLOCK_INIT;

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

/* Straight into the VM's FIFO when nothing waits before it, else queued. */
static void deliver(char c)
{
	struct vm *vm = &vms[focus];
	struct input_queue *q = &queues[focus];
	bool first_drop = false;

	if (!can_take_input(focus) || vm->state != VM_RUNNING)
		return;
	spin_lock(&queue_lock);
	if (q->count == 0 && vuart_receive(vm, c)) {
		/* taken */
	} else if (q->count < INPUT_QUEUE) {
		q->buf[(q->head + q->count) % INPUT_QUEUE] = (u8)c;
		WRITE_ONCE(q->count, q->count + 1);
	} else {
		first_drop = q->dropped++ == 0;
	}
	spin_unlock(&queue_lock);
	if (first_drop)
		log_warn("console input for vm \"%s\": %u typed characters wait "
			 "unread, the most it holds; more are dropped until it "
			 "reads", vm->cfg->name, INPUT_QUEUE);
}

bool console_input_waiting(const struct vm *vm)
{
	return READ_ONCE(queues[vm->index].count) != 0;
}

void console_input_refill(struct vm *vm)
{
	struct input_queue *q = &queues[vm->index];
	u32 dropped = 0;

	spin_lock(&queue_lock);
	while (q->count && vuart_receive(vm, (char)q->buf[q->head])) {
		q->head = (q->head + 1) % INPUT_QUEUE;
		WRITE_ONCE(q->count, q->count - 1);
	}
	if (!q->count) {
		dropped = q->dropped;
		q->dropped = 0;
	}
	spin_unlock(&queue_lock);
	if (dropped)
		log_warn("console input for vm \"%s\": %u typed characters were "
			 "dropped while it was not reading", vm->cfg->name, dropped);
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
