/*
 * Two bare-metal partitions that talk over a channel (guests/channel): a
 * 64 KiB SHARED region in each, the doorbell SPI 40 in "chan-a" and 41 in
 * "chan-b" (tests/integration/io.py).
 */
#include "config.h"

GUEST_BLOB(channel, "build/guests/channel.bin");

#define CHANNEL_MEMORY { .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, \
			 .pa = PA(0x4c000000), .flags = SLOT_SHARED }

static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	CHANNEL_MEMORY,
};

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
	CHANNEL_MEMORY,
};

static const struct vm_config vms[] = {
	{
		.name = "chan-a",
		VCPUS_ON(1),
		SLOTS(a_slots),
		.kernel = BUILT_IN(IMAGE_RAW, channel),
		.cmdline = "role=0 chan=0 irq=40",
		.vuart = true,
	},
	{
		.name = "chan-b",
		VCPUS_ON(2),
		SLOTS(b_slots),
		.kernel = BUILT_IN(IMAGE_RAW, channel),
		.cmdline = "role=1 chan=0 irq=41",
		.vuart = true,
	},
};

static const struct channel channels[] = {
	{ .name = "ring", .end = { { "chan-a", 1, 40 }, { "chan-b", 1, 41 } } },
};

const struct hyp_config config = {
	VMS(vms),
	CHANNELS(channels),
};
