/*
 * Rule: A slot may not wrap around the end of the address space.
 */
/* expect: error: vm "guest" slot 1: wraps around the end of the address space \(IPA 0xffffffffffe00000, PA 0x50000000, size 0x400000\) */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0xffffffffffe00000), .size = MiB(4),
	  .pa = PA(0x50000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
