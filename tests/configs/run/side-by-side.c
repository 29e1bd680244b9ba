/*
 * Two test guests at once on QEMU -smp 4: guests/psci with three vCPUs on
 * CPUs 0-2 (two callers race in CPU_ON) and guests/memslots on CPU 3 with
 * memslots.c's slots.
 */
#include "config.h"

GUEST_BLOB(psci, "build/guests/psci.bin");
GUEST_BLOB(memslots, "build/guests/memslots.bin");

static const struct memslot psci_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x48000000) },
};

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
		.name = "psci",
		VCPUS_ON(0, 1, 2),
		SLOTS(psci_slots),
		.kernel = BUILT_IN(IMAGE_RAW, psci),
		.vuart = true,
	},
	{
		.name = "memslots",
		VCPUS_ON(3),
		SLOTS(memslots_slots),
		.kernel = BUILT_IN(IMAGE_RAW, memslots),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
