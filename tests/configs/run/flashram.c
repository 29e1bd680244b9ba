/*
 * guests/flashram drives its flash banks' host RAM: bank 1's (writable,
 * 512 KiB) ends where the host memory of its slot 1 begins, so a program or
 * erase past that RAM would show in slot 1.
 */
#include "config.h"

GUEST_BLOB(flashram, "build/guests/flashram.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x48000000) },
	{ .id = 1, .ipa = IPA(0x50080000), .size = MiB(1), .pa = PA(0x4a080000) },
};

static const struct vm_config vms[] = {
	{
		.name = "flashram",
		VCPUS_ON(0),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, flashram),
		.vuart = true,
		.flash = true,
		.flash_ram = {
			[0] = { .pa = PA(0x49000000), .size = 0x40000 },
			[1] = { .pa = PA(0x4a000000), .size = 0x80000, .writable = true },
		},
	},
};

const struct hyp_config config = {
	VMS(vms),
};
