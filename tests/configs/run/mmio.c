/* guests/mmio alone: RAM and the virtual UART it exercises. */
#include "config.h"

GUEST_BLOB(mmio, "build/guests/mmio.bin");

static const struct memslot mmio_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "mmio",
		VCPUS_ON(1),
		SLOTS(mmio_slots),
		.kernel = BUILT_IN(IMAGE_RAW, mmio),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
