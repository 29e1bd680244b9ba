/*
 * guests/flashat: two vCPUs on two CPUs; bank 0 backed by read-only RAM,
 * which vCPU 0 writes through a page whose descriptor vCPU 1 toggles.
 */
#include "config.h"

GUEST_BLOB(flashat, "build/guests/flashat.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(2), .pa = PA(0x48000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "flashat",
		VCPUS_ON(0, 1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, flashat),
		.vuart = true,
		.flash = true,
		.flash_ram = { [0] = { .pa = PA(0x49000000), .size = 0x40000 } },
	},
};

const struct hyp_config config = {
	VMS(vms),
};
