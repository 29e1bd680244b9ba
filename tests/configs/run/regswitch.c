/*
 * Two VMs of one vCPU each, both on CPU 1 with a 2 ms slice, writing their
 * own values to every register the hypervisor switches and checking them
 * across the switches (guests/regswitch, tests/integration/regswitch.py).
 * They share one page, only to wait for each other at the end.
 */
#include "config.h"

GUEST_BLOB(regswitch, "build/guests/regswitch.bin");

#define DONE_PAGE { .id = 1, .ipa = IPA(0x50000000), .size = 0x1000, \
		    .pa = PA(0x4c000000), .flags = SLOT_SHARED }

static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	DONE_PAGE,
};

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
	DONE_PAGE,
};

static const struct vm_config vms[] = {
	{
		.name = "regs-a",
		VCPUS_ON(1),
		SLOTS(a_slots),
		.kernel = BUILT_IN(IMAGE_RAW, regswitch),
		.cmdline = "vm=1",
		.vuart = true,
	},
	{
		.name = "regs-b",
		VCPUS_ON(1),
		SLOTS(b_slots),
		.kernel = BUILT_IN(IMAGE_RAW, regswitch),
		.cmdline = "vm=2",
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
	.time_slice_us = 2000,
};
