/*
 * Console focus when the VM that has it stops: "a" (guests/slowread) reads
 * one line and powers off; input must then go to "b" (guests/pulse), with
 * a line saying so. "a" comes first, so it has input at boot.
 */
#include "config.h"

GUEST_BLOB(slowread, "build/guests/slowread.bin");
GUEST_BLOB(pulse, "build/guests/pulse.bin");

static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x46000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "a",
		VCPUS_ON(0),
		SLOTS(a_slots),
		.kernel = BUILT_IN(IMAGE_RAW, slowread),
		.vuart = true,
	},
	{
		.name = "b",
		VCPUS_ON(1),
		SLOTS(b_slots),
		.kernel = BUILT_IN(IMAGE_RAW, pulse),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
