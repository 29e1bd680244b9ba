/*
 * Rule: A built-in image may not be empty.
 */
/* expect: error: vm "guest": kernel image is empty */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const u8 empty[1];

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = { .kind = IMAGE_RAW, .start = empty, .end = empty },
	},
};

const struct hyp_config config = {
	VMS(vms),
};
