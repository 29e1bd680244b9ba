/*
 * Two VMs share 2 MiB of host memory (a mailbox), each at its own IPA: both
 * slots say SHARED, so the checker lets them overlap in host memory.
 */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot first_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(2), .pa = PA(0x50000000),
	  .flags = SLOT_SHARED },
};

static const struct memslot second_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x48000000) },
	{ .id = 7, .ipa = IPA(0x60000000), .size = MiB(2), .pa = PA(0x50000000),
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
};

static const struct vm_config vms[] = {
	{
		.name = "first",
		VCPUS_ON(1),
		SLOTS(first_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
	{
		.name = "second",
		VCPUS_ON(2),
		SLOTS(second_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
