/*
 * guests/irqiso twice: "iso-a" on CPUs 0 and 1, "iso-b" on CPUs 1 and 2,
 * so that they run at once and also take turns on CPU 1 (a's vCPU 1, b's
 * vCPU 0). They share only the page that orders their rounds
 * (tests/integration/vgic.py).
 */
#include "config.h"

GUEST_BLOB(irqiso, "build/guests/irqiso.bin");

#define ROUNDS_PAGE { .id = 1, .ipa = IPA(0x50000000), .size = 0x1000, \
		      .pa = PA(0x4c000000), .flags = SLOT_SHARED }

static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	ROUNDS_PAGE,
};

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
	ROUNDS_PAGE,
};

static const struct vm_config vms[] = {
	{
		.name = "iso-a",
		VCPUS_ON(0, 1),
		SLOTS(a_slots),
		.kernel = BUILT_IN(IMAGE_RAW, irqiso),
		.vuart = true,
	},
	{
		.name = "iso-b",
		VCPUS_ON(1, 2),
		SLOTS(b_slots),
		.kernel = BUILT_IN(IMAGE_RAW, irqiso),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
	.time_slice_us = 5000,
};
