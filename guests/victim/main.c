/*
 * Isolation, the victim's side: fills all of its RAM but its own image and
 * stacks with a pattern that names each word's address, lets the prober
 * (guests/prober) search for it, and checks afterwards that every word is
 * intact. The layout is tests/configs/run/isolation.c's.
 */
#include "guest.h"
#include "guest_platform.h"
#include "mailbox.h"

#define RAM_SIZE 0x01000000UL
#define WAIT_MS 30000

extern char _end[];

static u64 pattern(u64 addr)
{
	return addr ^ 0x5a5a0000c0ffee00UL;
}

struct range {
	u64 start, end;
};

/* All RAM but the image, its BSS and the stacks in it. */
static void get_ranges(struct range r[2])
{
	r[0] = (struct range){ VIRT_RAM_BASE,
			       VIRT_RAM_BASE + VIRT_RAW_IMAGE_OFFSET };
	r[1] = (struct range){ ALIGN_UP((u64)(uintptr_t)_end, PAGE_SIZE),
			       VIRT_RAM_BASE + RAM_SIZE };
}

void guest_main(void);
void guest_main(void)
{
	struct mailbox *mb = mailbox();
	u64 words = 0, bad = 0, first_bad = 0;
	struct range r[2];

	get_ranges(r);

	for (u32 i = 0; i < 2; i++)
		for (u64 a = r[i].start; a < r[i].end; a += 8) {
			*(volatile u64 *)a = pattern(a);
			words++;
		}
	printf("# victim: %lu words of RAM hold the pattern\n", words);
	dmb(sy);
	WRITE_ONCE(mb->victim_filled, 1);

	bool done = spin_until(READ_ONCE(mb->prober_done), WAIT_MS);

	report(done, "the prober finished");
	/* Let the prober's last line out before ours: its SUMMARY follows
	 * prober_done at once. */
	delay_ms(200);
	for (u32 i = 0; i < 2; i++)
		for (u64 a = r[i].start; a < r[i].end; a += 8)
			if (*(volatile u64 *)a != pattern(a) && !bad++)
				first_bad = a;
	report(!bad, "victim: all %lu words of the pattern intact after the probes "
	       "(%lu changed, the first at 0x%lx)", words, bad, first_bad);
	report_done();
}
