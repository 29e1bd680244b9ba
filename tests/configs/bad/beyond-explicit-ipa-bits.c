/*
 * Rule: A slot must end within the VM's configured .ipa_bits (36: 64 GiB).
 */
/* expect: error: vm "guest" slot 1: IPA 0x1000000000-0x10001fffff ends beyond the VM's 36-bit guest physical space \(0x1000000000\); move it lower or raise \.ipa_bits */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(GiB(64)), .size = MiB(2), .pa = PA(0x50000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.ipa_bits = 36,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
