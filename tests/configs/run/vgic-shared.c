/*
 * guests/vgic with two vCPUs time-sliced on CPU 1: SGIs between vCPUs of
 * one CPU, WFI trapped and yielding, timers of a switched-out vCPU, and
 * list-register state kept across switches. A short slice makes the vCPUs
 * switch inside the payload's interrupt handlers (tests/integration/vgic.py).
 */
#include "config.h"

GUEST_BLOB(vgic, "build/guests/vgic.bin");

static const struct memslot vgic_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "vgic",
		VCPUS_ON(1, 1),
		SLOTS(vgic_slots),
		.kernel = BUILT_IN(IMAGE_RAW, vgic),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.time_slice_us = 2000,
};
