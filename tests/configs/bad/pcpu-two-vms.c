/*
 * Rule: A physical CPU runs one VM's vCPUs unless .allow_pcpu_sharing is set.
 */
/* expect: error: vm "second" vcpu 1: physical CPU 1 also runs vm "first" vcpu 0: give each VM its own CPUs, or set \.allow_pcpu_sharing = true */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot first_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

static const struct memslot second_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x48000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "first",
		VCPUS_ON(1),
		SLOTS(first_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
	{
		.name = "second",
		VCPUS_ON(2, 1),
		SLOTS(second_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
