/*
 * Frontend restarts against the virtio device partition (guests/
 * virtio-netfront, tests/integration/virtio.py): a talker and a restarter,
 * each with a virtio-net window and 64 KiB of DMA memory (a SHARED slot, so
 * a restart leaves the old run's rings in it), served by guests/virtio-dev
 * with its devices' state kept across its own restarts. The two frontends
 * meet in a mailbox, a SHARED slot of both.
 */
#include "config.h"

GUEST_BLOB(virtio_dev, "build/guests/virtio-dev.bin");
GUEST_BLOB(virtio_netfront, "build/guests/virtio-netfront.bin");

#define TALKER_POOL PA(BOARD_RAM(0x0c000000))
#define RESTARTER_POOL PA(BOARD_RAM(0x0c010000))
#define MAILBOX { .id = 2, .ipa = IPA(0x60000000), .size = 0x10000, \
		  .pa = PA(BOARD_RAM(0x0c020000)), .flags = SLOT_SHARED }

static const struct memslot talker_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x04000000)) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, .pa = TALKER_POOL,
	  .flags = SLOT_SHARED },
	MAILBOX,
};

static const struct memslot restarter_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x06000000)) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, .pa = RESTARTER_POOL,
	  .flags = SLOT_SHARED },
	MAILBOX,
};

static const struct memslot dev_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x08000000)) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, .pa = TALKER_POOL,
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
	{ .id = 2, .ipa = IPA(0x50010000), .size = 0x10000, .pa = RESTARTER_POOL,
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
	/* Its devices' state, kept across its restarts (docs/virtio.md). */
	{ .id = 3, .ipa = IPA(0x70000000), .size = 0x10000,
	  .pa = PA(BOARD_RAM(0x0c030000)), .flags = SLOT_SHARED | SLOT_NOEXEC },
};

#define NET_WINDOW(dma)                                                        \
	{ .name = "net", .ipa = IPA(0x0a000000), .size = 0x200, .server = "virtio-dev", \
	  .irq = 48, .compatible = "virtio,mmio", .on_fail = FWD_FAIL_ONES,     \
	  .timeout_us = 500000, DMA_SLOT(dma) }

static const struct fwd_window talker_windows[] = { NET_WINDOW(1) };
static const struct fwd_window restarter_windows[] = { NET_WINDOW(2) };

static const struct vm_config vms[] = {
	{
		.name = "talker",
		VCPUS_ON(0),
		SLOTS(talker_slots),
		.kernel = BUILT_IN(IMAGE_RAW, virtio_netfront),
		.cmdline = "talker=1",
		.vuart = true,
		WINDOWS(talker_windows),
	},
	{
		.name = "restarter",
		VCPUS_ON(2),
		SLOTS(restarter_slots),
		.kernel = BUILT_IN(IMAGE_RAW, virtio_netfront),
		.vuart = true,
		WINDOWS(restarter_windows),
	},
	{
		.name = "virtio-dev",
		VCPUS_ON(1),
		SLOTS(dev_slots),
		.kernel = BUILT_IN(IMAGE_RAW, virtio_dev),
		.cmdline = "irq=80 win0=1 win1=1 state=0x70000000 state_size=0x10000",
		.vuart = true,
		.fwd_request_irq = 80,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
