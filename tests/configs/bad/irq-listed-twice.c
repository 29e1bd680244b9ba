/*
 * Rule: An interrupt listed twice in one VM's .irqs is a mistake.
 */
/* expect: error: vm "guest": interrupt 40 is listed twice in \.irqs */
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
		IRQS(40, 41, 40),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
