/*
 * Rule: A preloaded image's area may not overlap the hypervisor.
 */
/* expect: error: vm "guest": kernel image preload area 0x40400000-0x413fffff overlaps the hypervisor \(0x40000000-0x40ffffff\) */
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
		.kernel = { .kind = IMAGE_RAW, .preload_pa = 0x40400000,
			     .preload_size = MiB(16) },
	},
};

const struct hyp_config config = {
	VMS(vms),
};
