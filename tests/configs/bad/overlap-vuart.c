/*
 * Rule: No slot may overlap the virtual UART of a VM that has one (.vuart).
 */
/* expect: error: vm "guest" slot 1: IPA 0x9000000-0x9000fff overlaps the virtual UART the hypervisor provides at 0x9000000-0x9000fff */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x09000000), .size = 0x1000, .pa = PA(0x50000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
