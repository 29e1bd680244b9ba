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
#include "fmt.h"
#include "spinlock.h"
#include "vm.h"

#define ESCAPE 0x1c /* Ctrl-\ */
#define INPUT_QUEUE 4096 /* characters per VM */

struct input_queue {
	u8 buf[INPUT_QUEUE];
	u32 head, count;
	u32 dropped; /* since the queue was last empty */
};

/* Read inline by console_focus (console.h). */
u32 console_focus_vm;
static bool escaped;
static bool told_dropped; /* that input to the stopped focus is dropped */
static struct input_queue queues[MAX_VMS];
static spinlock_t queue_lock = SPINLOCK_INIT;

static bool can_take_input(u32 i)
{
	return i < config.nr_vms && vms[i].usable && vms[i].cfg->vuart;
}

/* It reads input now or will after its restart. */
static bool reads_input(u32 i)
{
	if (!can_take_input(i))
		return false;
	enum vm_state st = READ_ONCE(vms[i].state);
	return st == VM_RUNNING || st == VM_RESETTING;
}

/* The first VM after 'after' (cyclically, itself last) that reads input,
 * or -1. */
static int next_reader(u32 after)
{
	for (u32 k = 1; k <= config.nr_vms; k++) {
		u32 i = (after + k) % config.nr_vms;

		if (reads_input(i))
			return (int)i;
	}
	return -1;
}

/* VMs input can go to now: the switch hint is for two or more. */
static u32 readers(void)
{
	u32 n = 0;

	for (u32 i = 0; i < config.nr_vms; i++)
		n += reads_input(i);
	return n;
}

/* why: "" or " (because ...)". The line first, the focus after: while
 * VM i is still line-buffered, the line cannot break one of its own. */
static void set_focus(u32 i, const char *why_fmt, const char *why_name)
{
	char why[64] = "";

	if (why_fmt)
		fmt_snprintf(why, sizeof(why), why_fmt, why_name);
	if (readers() > 1)
		log_info("console input goes to vm \"%s\"%s (Ctrl-\\ then 1-%u "
			 "to switch)", vms[i].cfg->name, why, config.nr_vms);
	else
		log_info("console input goes to vm \"%s\"%s", vms[i].cfg->name, why);
	told_dropped = false;
	WRITE_ONCE(console_focus_vm, i);
}

void console_input_init(void)
{
	gic_set_level(platform.uart.intid, true);
	gic_route_spi(platform.uart.intid, this_cpu_index());
	gic_enable(platform.uart.intid, true);
	/* Under the console lock: the mask is shared with output's. */
	console_lock(false);
	uart_rx_irq(true);
	console_unlock();
	/* Output moves on the same interrupt from now on. */
	console_tx_start();
	int first = next_reader(config.nr_vms - 1);

	if (first >= 0)
		set_focus((u32)first, NULL, NULL);
	else
		log_info("console input is dropped: no VM has a virtual UART "
			 "(.vuart) to read it");
}

/* Why VM i cannot have focus, in words, or NULL when it can. */
static const char *no_focus_reason(u32 i)
{
	if (i >= config.nr_vms)
		return "there is no such VM";
	if (!vms[i].usable)
		return "it did not pass the configuration checks";
	if (!vms[i].cfg->vuart)
		return "it has no virtual UART (.vuart), so it reads no input";
	if (!reads_input(i))
		return "it is stopped";
	return NULL;
}

static void switch_to(u32 i, char key)
{
	const char *why = no_focus_reason(i);

	if (!why) {
		set_focus(i, NULL, NULL);
		return;
	}
	if (i < config.nr_vms)
		log_info("console: vm %u (\"%s\") cannot take input: %s; it stays "
			 "with vm \"%s\"", i + 1, vms[i].cfg->name, why,
			 vms[console_focus_vm].cfg->name);
	else
		log_info("console: Ctrl-\\ then %c: there is no vm %c (%u configured); "
			 "input stays with vm \"%s\"", key, key, config.nr_vms,
			 vms[console_focus_vm].cfg->name);
}

void console_input_vm_stopped(struct vm *vm)
{
	struct input_queue *q = &queues[vm->index];
	u32 unread;

	spin_lock(&queue_lock);
	unread = q->count;
	q->count = 0;
	q->dropped = 0;
	spin_unlock(&queue_lock);
	if (unread)
		log_info("console: %u typed characters vm \"%s\" had not read "
			 "are dropped", unread, vm->cfg->name);
	if (READ_ONCE(console_focus_vm) != vm->index)
		return;
	int next = next_reader(vm->index);

	if (next >= 0) {
		set_focus((u32)next, " (vm \"%s\" stopped)", vm->cfg->name);
		return;
	}
	for (u32 i = 0; i < config.nr_vms; i++)
		if (vms[i].usable && READ_ONCE(vms[i].state) != VM_STOPPED &&
		    &vms[i] != vm) {
			log_info("console input is dropped from now on: vm \"%s\" "
				 "stopped and no other VM reads the console",
				 vm->cfg->name);
			told_dropped = true;
			return;
		}
}

/* Straight into the VM's FIFO when nothing waits before it, else queued. */
static void deliver(char c)
{
	struct vm *vm = &vms[console_focus_vm];
	struct input_queue *q = &queues[console_focus_vm];
	bool first_drop = false;

	if (!reads_input(console_focus_vm)) {
		if (!told_dropped && can_take_input(console_focus_vm))
			log_info("console input is dropped: vm \"%s\" is stopped "
				 "and no other VM reads the console", vm->cfg->name);
		told_dropped = true;
		return;
	}
	if (vm->state != VM_RUNNING)
		return; /* restarting: what it would have read before is gone */
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
		int next = next_reader(console_focus_vm);

		if (next >= 0 && (u32)next != console_focus_vm)
			set_focus((u32)next, NULL, NULL);
		else
			log_info("console: no other VM reads input; it stays with "
				 "vm \"%s\"", vms[console_focus_vm].cfg->name);
	} else if (c >= '1' && c <= '9') {
		switch_to((u32)(c - '1'), c);
	} else {
		log_info("console: Ctrl-\\ then a VM's number (1-%u) gives it "
			 "input, Tab the next VM, Ctrl-\\ again a Ctrl-\\ itself",
			 config.nr_vms);
	}
}

void console_input_irq(void)
{
	int c;

	while ((c = uart_getc()) >= 0)
		input_char((char)c);
}
