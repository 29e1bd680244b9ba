/*
 * Run-time slot changes: "manager" (guests/manager) manages "managed"
 * (guests/managed) and hands out host memory 0x50000000-0x50ffffff. They
 * share the mailbox page. managed also shows that a VM that manages none
 * gets -EPERM. A channel over the mailbox (SPI 40 in manager, 41 in
 * managed) checks doorbells across the managed VM's stop and start.
 *
 *   0x44000000  manager RAM (16 MiB)      0x4c000000  mailbox (4 KiB, SHARED)
 *   0x48000000  managed RAM (16 MiB)      0x50000000  manager's host range (16 MiB)
 */
#include "config.h"

GUEST_BLOB(manager, "build/guests/manager.bin");
GUEST_BLOB(managed, "build/guests/managed.bin");

#define MAILBOX { .id = 1, .ipa = IPA(0x50000000), .size = 0x1000, \
		  .pa = PA(0x4c000000), .flags = SLOT_SHARED }

static const struct memslot manager_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	MAILBOX,
};

static const struct memslot managed_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x48000000) },
	MAILBOX,
};

static const struct manager_config manages_one = {
	MANAGES("managed"),
	.host_base = 0x50000000,
	.host_size = MiB(16),
};

static const struct vm_config vms[] = {
	{
		.name = "manager",
		VCPUS_ON(0),
		SLOTS(manager_slots),
		.kernel = BUILT_IN(IMAGE_RAW, manager),
		.vuart = true,
		.manager = &manages_one,
	},
	{
		.name = "managed",
		VCPUS_ON(1),
		SLOTS(managed_slots),
		.kernel = BUILT_IN(IMAGE_RAW, managed),
		.vuart = true,
	},
};

/* Over the mailbox: the manager rings the managed VM while it is stopped
 * and after it starts again (a restart must not leave its end rung). */
static const struct channel channels[] = {
	{ .name = "bell", .end = { { "manager", 1, 40 }, { "managed", 1, 41 } } },
};

const struct hyp_config config = {
	VMS(vms),
	CHANNELS(channels),
};
