/* The smallest guest: says hello with its DTB address and powers off. */
#include "guest.h"

void guest_main(void);
void guest_main(void)
{
	printf("hello from EL%lu, DTB at 0x%lx\n",
	       (read_sysreg(CurrentEL) >> 2) & 3, guest_dtb);
	report(((read_sysreg(CurrentEL) >> 2) & 3) == 1, "running at EL1");
	/* hold=<address>: stays until another VM writes a nonzero word there
	 * (at most 30 s), keeping the console's input focus meanwhile. */
	if (bootarg("hold", 0))
		spin_until(*(volatile u32 *)bootarg("hold", 0), 30000);
	report_done();
}
