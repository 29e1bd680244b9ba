/*
 * The VM that keeps running while guests/reset resets itself: prints a
 * heartbeat every 20 ms (busy-waiting on the counter), and once the other
 * VM has said it is powering off, ten more, so that they follow its
 * SYSTEM_OFF; then powers off itself, the last VM, which stops the machine.
 */
#include "guest.h"
#include "mailbox.h"

#define PERIOD_MS 20
#define AFTER 10
#define MAX_BEATS 1000 /* 20 s */

void guest_main(void);
void guest_main(void)
{
	struct mailbox *mb = mailbox();
	u32 beat, done_at = 0;

	for (beat = 1; beat <= MAX_BEATS; beat++) {
		printf("# heartbeat %u\n", beat);
		dmb(sy);
		WRITE_ONCE(mb->b_beats, beat);
		if (!done_at && READ_ONCE(mb->a_done))
			done_at = beat;
		if (done_at && beat >= done_at + AFTER)
			break;
		delay_ms(PERIOD_MS);
	}
	report(done_at, "the other VM finished while this one ran (%u heartbeats)", beat);
	report(READ_ONCE(mb->a_boots) == 3, "the other VM booted 3 times (%u)",
	       READ_ONCE(mb->a_boots));
	report_done();
}
