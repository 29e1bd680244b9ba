/*
 * Rule: A VM needs memory slots.
 */
/* expect: error: vm "guest": has no memory slots: give it at least a RAM slot at IPA 0x40000000 \(SLOTS\(\.\.\.\)\) */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
