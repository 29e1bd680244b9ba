/*
 * guests/dirtylog: a LOG_DIRTY slot of 515 pages (slot 3, so the bitmap's
 * last word is partial) and a READONLY slot the guest offers as a bad
 * bitmap buffer. The IPAs are the ones guests/dirtylog/main.c uses.
 */
#include "config.h"

GUEST_BLOB(dirtylog, "build/guests/dirtylog.bin");

static const struct memslot dirtylog_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(2), .pa = PA(0x45000000),
	  .flags = SLOT_READONLY },
	{ .id = 3, .ipa = IPA(0x60000000), .size = 515 * 0x1000, .pa = PA(0x45400000),
	  .flags = SLOT_LOG_DIRTY },
};

static const struct vm_config vms[] = {
	{
		.name = "dirtylog",
		VCPUS_ON(1),
		SLOTS(dirtylog_slots),
		.kernel = BUILT_IN(IMAGE_RAW, dirtylog),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
