/*
 * A LOG_DIRTY slot, mapped with 4 KiB pages and write-protected until first
 * written, and a VM allowed to read other VMs' dirty logs.
 */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot worker_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x80000000), .size = MiB(128), .pa = PA(0x50000000),
	  .flags = SLOT_LOG_DIRTY },
};

static const struct memslot manager_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(32), .pa = PA(0x48000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "worker",
		VCPUS_ON(1, 2),
		SLOTS(worker_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
	{
		.name = "manager",
		VCPUS_ON(3),
		SLOTS(manager_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
		.dirty_log_manager = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
