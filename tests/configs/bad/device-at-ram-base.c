/*
 * Rule: A DEVICE slot at IPA 0x40000000 does not count as the VM's RAM.
 */
/* expect: error: vm "guest": has no RAM slot at IPA 0x40000000, where guests for the virt machine expect RAM to start */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = 0x1000, .pa = PA(0x09010000),
	  .flags = SLOT_DEVICE },
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(64), .pa = PA(0x44000000) },
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
