/*
 * A hostile virtio frontend and its victim (guests/virtio-forge) against
 * the virtio device partition (guests/virtio-dev): each frontend has a
 * virtio-blk window with 64 KiB of DMA memory, and the device partition
 * maps the victim's right after the forger's. The forger forges requests
 * that point there and beyond; the device partition must refuse them all
 * and the victim's memory stay untouched (tests/integration/virtio.py).
 * The two frontends meet in a mailbox, a SHARED slot of both.
 */
#include "config.h"

GUEST_BLOB(virtio_dev, "build/guests/virtio-dev.bin");
GUEST_BLOB(virtio_forge, "build/guests/virtio-forge.bin");

#define FORGER_POOL PA(BOARD_RAM(0x0c000000))
#define VICTIM_POOL PA(BOARD_RAM(0x0c010000))
#define MAILBOX { .id = 2, .ipa = IPA(0x60000000), .size = 0x10000, \
		  .pa = PA(BOARD_RAM(0x0c020000)), .flags = SLOT_SHARED }

static const struct memslot forger_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x04000000)) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, .pa = FORGER_POOL,
	  .flags = SLOT_SHARED },
	MAILBOX,
};

static const struct memslot victim_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x06000000)) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, .pa = VICTIM_POOL,
	  .flags = SLOT_SHARED },
	MAILBOX,
};

/* The victim's DMA memory right after the forger's, in the device
 * partition's address space. */
static const struct memslot dev_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(32), .pa = PA(BOARD_RAM(0x08000000)) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, .pa = FORGER_POOL,
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
	{ .id = 2, .ipa = IPA(0x50010000), .size = 0x10000, .pa = VICTIM_POOL,
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
};

#define BLK_WINDOW(dma)                                                        \
	{ .name = "blk", .ipa = IPA(0x0a000000), .size = 0x200, .server = "virtio-dev", \
	  .irq = 48, .compatible = "virtio,mmio", .on_fail = FWD_FAIL_ONES,     \
	  .timeout_us = 500000, DMA_SLOT(dma) }

static const struct fwd_window forger_windows[] = { BLK_WINDOW(1) };
static const struct fwd_window victim_windows[] = { BLK_WINDOW(2) };

static const struct vm_config vms[] = {
	{
		.name = "forger",
		VCPUS_ON(0),
		SLOTS(forger_slots),
		.kernel = BUILT_IN(IMAGE_RAW, virtio_forge),
		.vuart = true,
		WINDOWS(forger_windows),
	},
	{
		.name = "victim",
		VCPUS_ON(2),
		SLOTS(victim_slots),
		.kernel = BUILT_IN(IMAGE_RAW, virtio_forge),
		.cmdline = "victim=1",
		.vuart = true,
		WINDOWS(victim_windows),
	},
	{
		.name = "virtio-dev",
		VCPUS_ON(1),
		SLOTS(dev_slots),
		.kernel = BUILT_IN(IMAGE_RAW, virtio_dev),
		.cmdline = "irq=80 win0=2 win1=2 disk=0x41000000 disk_size=0x400000",
		.loads = { { .ipa = 0x41000000,
			     .img = PRELOADED(IMAGE_RAW, BOARD_RAM(0x07000000), MiB(4),
					      "build/virtio/disk.img") } },
		.nr_loads = 1,
		.vuart = true,
		.fwd_request_irq = 80,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
