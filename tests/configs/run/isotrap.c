/*
 * guests/isotrap with guests/hello on the same CPU 0, so that WFI and WFIT
 * are trapped (a shared CPU) and the console has two VMs' lines
 * (tests/integration/isotrap.py). hello is first so that it has the input
 * focus: isotrap's lines are then buffered whole, one line per sequence.
 */
#include "config.h"

GUEST_BLOB(isotrap, "build/guests/isotrap.bin");
GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot isotrap_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct memslot hello_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "hello",
		VCPUS_ON(0),
		SLOTS(hello_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
	{
		.name = "isotrap",
		VCPUS_ON(0),
		SLOTS(isotrap_slots),
		.kernel = BUILT_IN(IMAGE_RAW, isotrap),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
};
