/*
 * Rule: A preloaded image needs .preload_size: the most it may take.
 */
/* expect: error: vm "guest": kernel image is preloaded at 0x60000000 but \.preload_size is 0: give the most it may take */
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
		.kernel = { .kind = IMAGE_RAW, .preload_pa = 0x60000000 },
	},
};

const struct hyp_config config = {
	VMS(vms),
};
