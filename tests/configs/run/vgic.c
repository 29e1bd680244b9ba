/*
 * guests/vgic with three vCPUs on CPUs of their own: SGIs cross physical
 * CPUs, WFI is not trapped, and ITARGETSR has a bit for an absent vCPU 3
 * (tests/integration/vgic.py).
 */
#include "config.h"

GUEST_BLOB(vgic, "build/guests/vgic.bin");

static const struct memslot vgic_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "vgic",
		VCPUS_ON(0, 1, 2),
		SLOTS(vgic_slots),
		.kernel = BUILT_IN(IMAGE_RAW, vgic),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
