/*
 * make bench's figures for partitions that talk (configs/bench-io.c): a
 * doorbell, hypercall to the peer's handler, and a forwarded register read
 * round trip, frontend load to the value in its register with the device
 * partition's whole answer in between. Under QEMU -icount shift=0,sleep=off
 * the PMU cycle counter advances once per instruction of all CPUs
 * together, so a count taken on one CPU includes the other VM's share
 * (its handler, its hypercalls, the hypervisor on its CPU). Each figure
 * comes from runs of n and 2n operations, which cancels the fixed costs.
 *
 * Bootargs: role=0 (the frontend, which measures and prints) or role=1 (the
 * device partition and the channel's other end).
 */
#include "gic.h"
#include "guest.h"

#define WINDOW 0x0a000000UL
#define REQUEST_IRQ 80
#define ROUNDS 64


static u32 role, doorbell_irq;
static volatile u32 pongs;

static u64 count(void)
{
	u64 c;

	__asm__ volatile("isb\n mrs %0, pmccntr_el0" : "=r"(c) : : "memory");
	return c;
}

static bool on_irq(struct guest_regs *regs, u64 kind)
{
	u64 r[8];
	u32 iar, id;

	if (kind != EXC_IRQ)
		return false;
	iar = gic_ack();
	id = GIC_IAR_INTID(iar);
	if (id == doorbell_irq) {
		hvc(HC_DOORBELL_ACK, 0, 0, 0);
		if (role == 1)
			hvc(HC_DOORBELL, 0, 0, 0); /* back at once */
		else
			pongs++;
	} else if (id == REQUEST_IRQ) {
		for (hvc_regs(HC_FWD_GET, 0, 0, 0, r); r[0] != HC_FWD_EMPTY;
		     hvc_regs(HC_FWD_GET, 0, 0, 0, r))
			if (r[0] == 0) /* not a frontend's reset record */
				hvc(HC_FWD_ANSWER, r[1], 0x1234 + r[3], 0);
	}
	if (id < 1020)
		gic_eoi(iar);
	return true;
}

/* n doorbell round trips: ring, the peer rings back from its handler. */
static u64 doorbells(u64 n)
{
	u64 c0, c1;

	pongs = 0;
	__asm__ volatile("yield");
	c0 = count();
	for (u64 i = 0; i < n; i++) {
		hvc(HC_DOORBELL, 0, 0, 0);
		while (READ_ONCE(pongs) <= i)
			wfi();
	}
	c1 = count();
	return c1 - c0;
}

/* n forwarded 32-bit reads of the window. */
static u64 reads(u64 n, u32 *last)
{
	u64 c0, c1;
	u32 v = 0;

	__asm__ volatile("yield");
	c0 = count();
	for (u64 i = 0; i < n; i++)
		__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(WINDOW + 8) : "memory");
	c1 = count();
	*last = v;
	return c1 - c0;
}

static void figure(const char *key, u64 once, u64 twice, u64 n, const char *what)
{
	u64 milli = (twice - once) * 1000 / n;

	printf("bench: %s = %lu.%03lu (%s)\n", key, milli / 1000, milli % 1000, what);
}

static void measure(void)
{
	u64 a, b;
	u32 v;

	pmu_cycles_start();

	/* The device partition says READY before it enables anything. */
	for (u64 end = counter_now() + counter_ms(3000); counter_now() < end;) {
		reads(1, &v);
		if (v == 0x1234 + 8)
			break;
	}
	report(v == 0x1234 + 8, "the device partition answers forwarded reads");
	doorbells(2); /* warm */
	a = doorbells(ROUNDS);
	b = doorbells(2 * ROUNDS);
	report(pongs == 2 * ROUNDS, "%u doorbell round trips", 2 * ROUNDS);
	/* Half a round trip: one doorbell, its acknowledgement included. */
	figure("doorbell", a, b, 2 * ROUNDS,
	       "doorbell, hypercall to the peer's handler, both CPUs");
	reads(2, &v);
	a = reads(ROUNDS, &v);
	b = reads(2 * ROUNDS, &v);
	report(v == 0x1234 + 8, "every forwarded read returned the device's value");
	figure("fwd_read", a, b, ROUNDS,
	       "forwarded register read round trip, both CPUs");
}

void guest_main(void);
void guest_main(void)
{
	role = bootarg("role", 0);
	doorbell_irq = role ? 41 : 40;
	set_exception_handler(on_irq);
	gic_init();
	gic_cpu_init();
	gic_set_edge(doorbell_irq, true);
	gic_enable_irq(doorbell_irq, 0x80);
	if (role == 1) {
		gic_enable_irq(REQUEST_IRQ, 0x80);
		hvc(HC_FWD_READY, 0, 0, 0);
	}
	irq_enable();
	if (role == 0) {
		measure();
		report_done();
	}
	for (;;)
		wfi();
}
