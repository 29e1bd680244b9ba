/*
 * A VM that prints as fast as it can, lines the console must show four
 * times longer than written (tests/integration/console_tx.py): each is a
 * numbered line of C1 control characters (0x9b, shown as "\x9b"), so a
 * 160-character line is ~600 bytes on the terminal. With a slow UART the
 * hypervisor must neither hold this VM's CPU while the UART catches up
 * (guests/steady shares it and measures its timer's lateness) nor let it
 * crowd out other lines. Prints for ms= milliseconds, then a count of its
 * lines, and powers off.
 *
 * bootargs: ms= (1000), chars= (control characters a line, 140), drain_ms=
 * (600: the wait before the report).
 */
#include "guest.h"

void guest_main(void);
void guest_main(void)
{
	u64 ms = bootarg("ms", 1000), chars = bootarg("chars", 140), lines = 0;
	u64 end = counter_now() + counter_ms(ms);

	printf("# uartflood: lines of %lu control characters for %lu ms\n", chars, ms);
	while (counter_now() < end) {
		printf("flood %lu ", lines++);
		for (u64 i = 0; i < chars; i++)
			putc((char)0x9b);
		puts("|end\n");
	}
	/* Its share of the console's ring is full: let it drain (~4 KiB at
	 * 115200 baud: 350 ms) so that the report is not dropped too. */
	end = counter_now() + counter_ms(bootarg("drain_ms", 600));
	while (counter_now() < end)
		;
	report(true, "uartflood printed %lu lines", lines);
	report_done();
}
