/*
 * A bare-metal partition beside Linux: every PULSE_MS its virtual timer
 * interrupt wakes it from WFI and it prints a heartbeat with the count of
 * timer interrupts taken, forever.
 */
#include "gic.h"
#include "guest.h"

#define PULSE_MS 5000

static volatile u64 ticks;

static bool on_irq(struct guest_regs *regs, u64 kind)
{
	if (kind != EXC_IRQ)
		return false;
	u32 iar = gic_ack();

	if (GIC_IAR_INTID(iar) == VTIMER_INTID) {
		ticks++;
		vtimer_arm(counter_ms(PULSE_MS));
	}
	gic_eoi(iar);
	return true;
}

void guest_main(void);
void guest_main(void)
{
	u64 seen = 0;

	set_exception_handler(on_irq);
	gic_init();
	gic_cpu_init();
	gic_enable_irq(VTIMER_INTID, 0x80);
	vtimer_arm(counter_ms(PULSE_MS));
	printf("pulse: a bare-metal partition, heartbeat every %u ms (GICv%u)\n",
	       PULSE_MS, gic_v3 ? 3 : 2);
	irq_enable();
	for (;;) {
		__asm__ volatile("wfi");
		if (ticks != seen) {
			seen = ticks;
			printf("heartbeat %lu (timer interrupts: %lu)\n", seen, seen);
		}
	}
}
