/*
 * The page two test VMs share through a SHARED slot at MAILBOX_IPA (see
 * tests/configs/run/isolation.c and reset.c). Each field has one writer,
 * so plain ordered loads and stores suffice.
 */
#ifndef GUEST_MAILBOX_H
#define GUEST_MAILBOX_H

#include "types.h"

#define MAILBOX_IPA 0x50000000UL

struct mailbox {
	/* isolation: victim and prober */
	u32 victim_filled; /* victim: its pattern is in place */
	u32 prober_done;   /* prober: every probe is made and reported */
	/* reset: a and b */
	u32 a_boots; /* a: boots so far; SHARED slots survive a reset */
	u32 a_done;  /* a: about to power off */
	u32 b_beats; /* b: heartbeats printed */
	/* mgmt: manager and managed (tests/configs/run/mgmt.c) */
	u32 mgmt_ready; /* managed: its refused calls are made */
	u32 mgmt_step;  /* manager: the change it made, for the other to see */
	u32 mgmt_ack;   /* managed: the step it has checked */
	u32 mgmt_image; /* the image the manager started in managed: it ran
			 * (offset 32: guests/manager/image.S writes it) */
	u32 mgmt_rerun; /* manager: managed, started again, checks its tree;
			 * 2: restarted (HC_VM_RESTART), it checks its RAM */
};

static inline struct mailbox *mailbox(void)
{
	return (struct mailbox *)MAILBOX_IPA;
}

#endif
