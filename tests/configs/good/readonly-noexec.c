/*
 * A ROM-like READONLY slot, a NOEXEC data slot and one that is both, beside
 * ordinary RAM.
 */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x00000000), .size = MiB(2), .pa = PA(0x48000000),
	  .flags = SLOT_READONLY },
	{ .id = 2, .ipa = IPA(0x50000000), .size = MiB(16), .pa = PA(0x49000000),
	  .flags = SLOT_NOEXEC },
	{ .id = 3, .ipa = IPA(0x60000000), .size = 0x3000, .pa = PA(0x4a000000),
	  .flags = SLOT_READONLY | SLOT_NOEXEC },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(0),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
