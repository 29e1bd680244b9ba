/*
 * guests/sched with two vCPUs of one VM on CPU 1 and a 20 ms slice (the
 * payload's SLICE_MS): round robin, WFI yielding, wake-ups by timer and
 * SGI (tests/integration/vgic.py).
 */
#include "config.h"

GUEST_BLOB(sched, "build/guests/sched.bin");

static const struct memslot sched_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "sched",
		VCPUS_ON(1, 1),
		SLOTS(sched_slots),
		.kernel = BUILT_IN(IMAGE_RAW, sched),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.time_slice_us = 20000,
};
