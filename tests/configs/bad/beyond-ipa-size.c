/*
 * Rule: A slot must end within the VM's guest physical address size (here the
 * CPUs' 44 bits, as .ipa_bits is 0).
 */
/* expect: error: vm "guest" slot 1: IPA 0xfffffe00000-0x1000001fffff ends beyond the VM's 44-bit guest physical space \(0x100000000000\); move it lower */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	/* ends 2 MiB past 16 TiB */
	{ .id = 1, .ipa = IPA(0xfffffe00000), .size = MiB(4),
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
