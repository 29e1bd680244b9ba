/*
 * SYSTEM_RESET of one VM while another runs (guests/heartbeat): boots three
 * times, resetting itself twice with PSCI SYSTEM_RESET, then powers off
 * with SYSTEM_OFF. Each boot checks that the reset cleared RAM (a word it
 * set before is 0) and reloaded the image (.data has its initial value
 * again). The boot count lives in the SHARED mailbox, which a reset leaves
 * alone. The layout is tests/configs/run/reset.c's.
 */
#include "guest.h"
#include "mailbox.h"
#include "mmio.h"

#define MARK_IPA 0x40800000UL /* RAM outside the image and its stacks */
#define MARK 0xfeedfacecafef00dUL
#define BOOTS 3
#define WAIT_MS 10000

static u32 data_word = 0x1234;

void guest_main(void);
void guest_main(void)
{
	struct mailbox *mb = mailbox();
	u32 boot = READ_ONCE(mb->a_boots) + 1, beats;
	u64 mark = mmio_read64(MARK_IPA);

	WRITE_ONCE(mb->a_boots, boot);
	printf("# boot %u\n", boot);
	report(mark == 0, "boot %u: RAM is clear (the word set before reads 0x%lx)", boot, mark);
	report(READ_ONCE(data_word) == 0x1234,
	       "boot %u: .data holds the image's value again (0x%x)", boot, data_word);
	mmio_write64(MARK_IPA, MARK);
	WRITE_ONCE(data_word, 0x5678);

	/* The other VM goes on meanwhile. */
	beats = READ_ONCE(mb->b_beats);
	report(spin_until(READ_ONCE(mb->b_beats) >= beats + 2, WAIT_MS),
	       "boot %u: the other VM printed heartbeats meanwhile", boot);
	if (boot < BOOTS) {
		printf("# resetting\n");
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		report(false, "SYSTEM_RESET returned");
	}
	dmb(sy);
	WRITE_ONCE(mb->a_done, 1);
	report_done();
}
