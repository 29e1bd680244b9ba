/* The smallest guest: says hello with its DTB address and powers off. */
#include "guest.h"

void guest_main(void);
void guest_main(void)
{
	printf("hello from EL%lu, DTB at 0x%lx\n",
	       (read_sysreg(CurrentEL) >> 2) & 3, guest_dtb);
	report(((read_sysreg(CurrentEL) >> 2) & 3) == 1, "running at EL1");
	report_done();
}
