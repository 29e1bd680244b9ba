/*
 * IPA and PA that differ in their low 21 bits: valid, but the slot cannot use
 * 2 MiB blocks, and the build says so.
 */
/* expect: warning: vm "guest" slot 0: IPA 0x40000000 and PA 0x44100000 differ in their low 21 bits, so it cannot use 2 MiB blocks: \d+ page-table pages instead of \d+ \(\d+ more\) and more TLB misses; align both to the same offset within 2 MiB */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44100000) },
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
