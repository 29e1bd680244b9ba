/*
 * guests/psci alone: four vCPUs on four CPUs, for the CPU_ON race with
 * three callers (tests/integration/guests.py).
 */
#include "config.h"

GUEST_BLOB(psci, "build/guests/psci.bin");

static const struct memslot psci_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "psci",
		VCPUS_ON(0, 1, 2, 3),
		SLOTS(psci_slots),
		.kernel = BUILT_IN(IMAGE_RAW, psci),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
