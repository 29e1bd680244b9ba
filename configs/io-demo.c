/*
 * Partitions that talk, to try (docs/forwarding.md):
 *
 *	make run CONFIG=io-demo
 *
 * Four bare-metal VMs, a CPU each. "fwd-front" reaches a small register
 * device through two forwarded windows that "fwd-dev", its device
 * partition, serves (guests/fwd); the device partition also reads the
 * frontend's 64 KiB I/O pool, fails an access on purpose, stalls past the
 * window's timeout and restarts, and the frontend goes on. "chan-a" and
 * "chan-b" exchange messages over a channel and flood its doorbell
 * (guests/channel). Each prints PASS lines and powers off; the machine
 * powers off after the last.
 *
 * Host memory (from the board's RAM base, 0x40000000 on virt):
 *	0x04000000  fwd-front RAM, 16 MiB      0x06000000  chan-a RAM, 16 MiB
 *	0x05000000  fwd-dev RAM, 16 MiB        0x07000000  chan-b RAM, 16 MiB
 *	0x0c000000  the frontend's I/O pool, 64 KiB (both fwd VMs)
 *	0x0c010000  the channel's memory, 64 KiB (both chan VMs)
 */
#include "config.h"
#include "../guests/fwd/layout.h"

GUEST_BLOB(fwd, "build/guests/fwd.bin");
GUEST_BLOB(channel, "build/guests/channel.bin");

static const struct memslot front_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x04000000)) },
	{ .id = 1, .ipa = IPA(FWD_POOL_IPA), .size = 0x10000,
	  .pa = PA(BOARD_RAM(0x0c000000)), .flags = SLOT_SHARED },
};

static const struct memslot dev_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x05000000)) },
	{ .id = 2, .ipa = IPA(FWD_POOL_DEV_IPA), .size = 0x10000,
	  .pa = PA(BOARD_RAM(0x0c000000)), .flags = SLOT_SHARED | SLOT_NOEXEC },
};

#define CHANNEL_MEMORY { .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, \
			 .pa = PA(BOARD_RAM(0x0c010000)), .flags = SLOT_SHARED }

static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x06000000)) },
	CHANNEL_MEMORY,
};

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x07000000)) },
	CHANNEL_MEMORY,
};

/* The frontend's windows: the first at virt's first virtio-mmio slot. */
static const struct fwd_window front_windows[] = {
	{ .name = "test0", .ipa = IPA(FWD_WIN0), .size = FWD_WIN_SIZE,
	  .server = "fwd-dev", .irq = FWD_WIN0_IRQ, .compatible = "hyp,test-device",
	  .on_fail = FWD_FAIL_ABORT, .timeout_us = FWD_TIMEOUT_US, DMA_SLOT(2) },
	{ .name = "test1", .ipa = IPA(FWD_WIN1), .size = FWD_WIN_SIZE,
	  .server = "fwd-dev", .on_fail = FWD_FAIL_ONES, .timeout_us = FWD_TIMEOUT_US },
};

static const struct vm_config vms[] = {
	{
		.name = "fwd-front",
		VCPUS_ON(0),
		SLOTS(front_slots),
		.kernel = BUILT_IN(IMAGE_RAW, fwd),
		.vuart = true,
		WINDOWS(front_windows),
	},
	{
		.name = "fwd-dev",
		VCPUS_ON(1),
		SLOTS(dev_slots),
		.kernel = BUILT_IN(IMAGE_RAW, fwd),
		.cmdline = "dev=1",
		.vuart = true,
		.fwd_request_irq = FWD_REQUEST_IRQ,
	},
	{
		.name = "chan-a",
		VCPUS_ON(2),
		SLOTS(a_slots),
		.kernel = BUILT_IN(IMAGE_RAW, channel),
		.cmdline = "role=0 chan=0 irq=40",
		.vuart = true,
	},
	{
		.name = "chan-b",
		VCPUS_ON(3),
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
