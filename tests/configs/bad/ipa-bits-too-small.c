/*
 * Rule: An explicit .ipa_bits must be at least 32.
 */
/* expect: error: vm "guest": \.ipa_bits is 30: it must be between 32 and the CPUs' 44 */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.ipa_bits = 30,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
