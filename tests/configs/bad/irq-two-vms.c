/*
 * Rule: An interrupt has one owner.
 */
/* expect: error: vm "second": interrupt 40 is also given to vm "first": an interrupt has one owner */
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
		IRQS(40),
	},
	{
		.name = "second",
		VCPUS_ON(2),
		SLOTS(second_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		IRQS(41, 40),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
