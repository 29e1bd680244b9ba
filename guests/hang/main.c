/*
 * A guest that hangs as a panicked kernel does: its timer interrupt is
 * enabled and due, and it spins with interrupts masked, printing nothing
 * more. The hypervisor should notice and say so once.
 */
#include "guest.h"
#include "gic.h"

void guest_main(void);
void guest_main(void)
{
	gic_init();
	gic_cpu_init();
	gic_enable_irq(VTIMER_INTID, 0x80);
	vtimer_arm(counter_ms(10));
	printf("hang: spinning with interrupts masked, the timer due in 10 ms\n");
	irq_disable();
	for (;;)
		__asm__ volatile("" ::: "memory");
}
