/*
 * Rule: a file of .loads must land inside one of the VM's RAM slots.
 */
/* expect: error: vm "guest": load 0 \(0x[0-9a-f]+ bytes at IPA 0x60000000\) is not inside one of its RAM slots */
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
		.loads = { { .ipa = 0x60000000, .img = BUILT_IN(IMAGE_RAW, hello) } },
		.nr_loads = 1,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
