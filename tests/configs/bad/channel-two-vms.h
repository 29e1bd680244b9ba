/*
 * Two VMs joined by a channel over a SHARED slot each, for the channel rules'
 * bad configurations: each includes this and gives its own channels[].
 */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot front_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, .pa = PA(0x46000000), .flags = SLOT_SHARED },
};

static const struct memslot dev_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x48000000) },
	{ .id = 2, .ipa = IPA(0x60000000), .size = 0x10000, .pa = PA(0x46000000), .flags = SLOT_SHARED },
};

static const struct fwd_window front_windows[] = {
	{ .name = "regs", .ipa = IPA(0x0a000000), .size = 0x200, .server = "dev", .irq = 48 },
};

static const struct vm_config vms[] = {
	{
		.name = "front",
		VCPUS_ON(0),
		SLOTS(front_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
		WINDOWS(front_windows),
	},
	{
		.name = "dev",
		VCPUS_ON(1),
		SLOTS(dev_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
		.fwd_request_irq = 50,
	},
};
