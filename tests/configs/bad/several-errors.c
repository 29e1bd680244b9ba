/*
 * Rule: Every error is reported, not just the first: here a misaligned slot, an
 * IPA overlap, a CPU given to two VMs and host memory shared without SHARED.
 */
/* expect: error: vm "first" slot 1: IPA 0x50000800, PA 0x50000000 and size 0x200000 must all be multiples of 4 KiB \(0x1000\) */
/* expect: error: vm "first" slot 3: IPA 0x68000000-0x681fffff overlaps slot 2 \(0x60000000-0x6fffffff\) */
/* expect: error: vm "second" vcpu 0: physical CPU 1 also runs vm "first" vcpu 0: give each VM its own CPUs, or set \.allow_pcpu_sharing = true */
/* expect: error: vm "second" slot 1: host memory 0x60200000-0x603fffff overlaps vm "first" slot 2 \(0x60000000-0x6fffffff\); flag both slots SHARED if they are meant to share it */
/* expect: 4 errors, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot first_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x50000800), .size = MiB(2), .pa = PA(0x50000000) },
	{ .id = 2, .ipa = IPA(0x60000000), .size = MiB(256), .pa = PA(0x60000000) },
	{ .id = 3, .ipa = IPA(0x68000000), .size = MiB(2), .pa = PA(0x70000000) },
};

static const struct memslot second_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x48000000) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(2), .pa = PA(0x60200000) },
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
		VCPUS_ON(1),
		SLOTS(second_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
