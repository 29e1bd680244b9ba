/*
 * Rule: VM names are unique.
 */
/* expect: error: vm "first": name is also VM #0's: names must be unique */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot first_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

static const struct memslot second_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x48000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "first",
		VCPUS_ON(1),
		SLOTS(first_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
	{
		.name = "first",
		VCPUS_ON(2),
		SLOTS(second_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
