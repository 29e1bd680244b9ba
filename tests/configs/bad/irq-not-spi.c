/*
 * Rule: Only SPIs (INTIDs 32-1019) can be passed through: not the virtual timer
 * PPI.
 */
/* expect: error: vm "guest": interrupt 27 cannot be passed through: only SPIs \(INTIDs 32-1019\) can */
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
		IRQS(27),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
