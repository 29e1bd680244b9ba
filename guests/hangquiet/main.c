/*
 * A guest that hangs as U-Boot's hang() does: no timer, nothing pending,
 * interrupts masked, spinning in place after one last line. Nothing ever
 * interrupts it, so only the hypervisor's own periodic look sees it.
 */
#include "guest.h"
#include "gic.h"

void guest_main(void);
void guest_main(void)
{
	printf("hangquiet: spinning in place with interrupts masked, no timer\n");
	irq_disable();
	for (;;)
		__asm__ volatile("" ::: "memory");
}
