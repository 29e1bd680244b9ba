/*
 * guests/timerlevel: one vCPU on CPU 0, the timers' interrupts as level
 * sources (tests/integration/vgic.py).
 */
#include "config.h"

GUEST_BLOB(timerlevel, "build/guests/timerlevel.bin");

static const struct memslot timerlevel_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "timerlevel",
		VCPUS_ON(0),
		SLOTS(timerlevel_slots),
		.kernel = BUILT_IN(IMAGE_RAW, timerlevel),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
