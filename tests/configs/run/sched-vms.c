/*
 * Two VMs of one vCPU each, both on CPU 1 with a 20 ms slice (guests/sched's
 * SLICE_MS), sharing only the page through which each sees the other
 * advance (tests/integration/vgic.py).
 */
#include "config.h"

GUEST_BLOB(sched, "build/guests/sched.bin");

#define SCHED_PAGE { .id = 1, .ipa = IPA(0x50000000), .size = 0x1000, \
		     .pa = PA(0x4c000000), .flags = SLOT_SHARED }

static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	SCHED_PAGE,
};

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
	SCHED_PAGE,
};

static const struct vm_config vms[] = {
	{
		.name = "sched-a",
		VCPUS_ON(1),
		SLOTS(a_slots),
		.kernel = BUILT_IN(IMAGE_RAW, sched),
		.vuart = true,
	},
	{
		.name = "sched-b",
		VCPUS_ON(1),
		SLOTS(b_slots),
		.kernel = BUILT_IN(IMAGE_RAW, sched),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
	.time_slice_us = 20000,
};
