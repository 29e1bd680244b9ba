/*
 * guests/memslots alone: one slot of every kind. The IPAs are the ones the
 * guest tests (guests/memslots/main.c); side-by-side.c repeats them.
 */
#include "config.h"

GUEST_BLOB(memslots, "build/guests/memslots.bin");

static const struct memslot memslots_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(2), .pa = PA(0x45000000),
	  .flags = SLOT_READONLY },
	{ .id = 2, .ipa = IPA(0x50200000), .size = MiB(2), .pa = PA(0x45200000),
	  .flags = SLOT_NOEXEC },
	{ .id = 3, .ipa = IPA(0x50400000), .size = MiB(1), .pa = PA(0x45400000),
	  .flags = SLOT_LOG_DIRTY },
	{ .id = 4, .ipa = IPA(0x09010000), .size = 0x1000, .pa = PA(0x09010000),
	  .flags = SLOT_DEVICE }, /* QEMU's PL031 RTC */
};

static const struct vm_config vms[] = {
	{
		.name = "memslots",
		VCPUS_ON(1),
		SLOTS(memslots_slots),
		.kernel = BUILT_IN(IMAGE_RAW, memslots),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
