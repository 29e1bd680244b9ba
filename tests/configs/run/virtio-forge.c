/*
 * A hostile virtio frontend (guests/virtio-forge) against the virtio device
 * partition (guests/virtio-dev): two virtio-blk windows, each with its own
 * 64 KiB of DMA memory, adjacent in both VMs' address spaces. The frontend
 * forges requests for window 0 that point into window 1's memory and
 * beyond; the device partition must refuse them all (tests/integration/
 * virtio.py).
 */
#include "config.h"

GUEST_BLOB(virtio_dev, "build/guests/virtio-dev.bin");
GUEST_BLOB(virtio_forge, "build/guests/virtio-forge.bin");

static const struct memslot forge_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(BOARD_RAM(0x04000000)) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, .pa = PA(BOARD_RAM(0x0c000000)),
	  .flags = SLOT_SHARED },
	{ .id = 2, .ipa = IPA(0x50010000), .size = 0x10000, .pa = PA(BOARD_RAM(0x0c010000)),
	  .flags = SLOT_SHARED },
};

static const struct memslot dev_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(32), .pa = PA(BOARD_RAM(0x05000000)) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = 0x10000, .pa = PA(BOARD_RAM(0x0c000000)),
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
	{ .id = 2, .ipa = IPA(0x50010000), .size = 0x10000, .pa = PA(BOARD_RAM(0x0c010000)),
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
};

static const struct fwd_window forge_windows[] = {
	{ .name = "blk0", .ipa = IPA(0x0a000000), .size = 0x200, .server = "virtio-dev",
	  .irq = 48, .compatible = "virtio,mmio", .on_fail = FWD_FAIL_ONES,
	  .timeout_us = 500000, DMA_SLOT(1) },
	{ .name = "blk1", .ipa = IPA(0x0a000200), .size = 0x200, .server = "virtio-dev",
	  .irq = 49, .compatible = "virtio,mmio", .on_fail = FWD_FAIL_ONES,
	  .timeout_us = 500000, DMA_SLOT(2) },
};

static const struct vm_config vms[] = {
	{
		.name = "forger",
		VCPUS_ON(0),
		SLOTS(forge_slots),
		.kernel = BUILT_IN(IMAGE_RAW, virtio_forge),
		.vuart = true,
		WINDOWS(forge_windows),
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
