/*
 * Two unmodified Debian Linux VMs and a bare-metal device partition that
 * gives them virtio devices (docs/virtio.md):
 *
 *	make run CONFIG=linux-pair
 *
 * "linux-a" (CPU 0) and "linux-b" (CPU 1) each see virtio-mmio devices in
 * forwarded windows at virt's virtio-mmio addresses: a network card on one
 * switch (192.0.2.1 and 192.0.2.2, a documentation range that exists only
 * inside this machine), a console (/dev/hvc0, which echoes), and for
 * linux-a a disk (/dev/vda, an ext4 file system). "virtio-dev" (CPU 2,
 * guests/virtio-dev) serves all of them. The console's input goes to
 * linux-a; Ctrl-\ then 2 gives it to linux-b, Ctrl-\ then 1 back.
 *
 * Host memory (from the board's RAM base, 0x40000000 on virt; 1 GiB):
 *   base + 0x00000000   16 MiB   the hypervisor
 *   base + 0x01000000   48 MiB   Linux Image, preloaded (both VMs boot it)
 *   base + 0x04000000   16 MiB   Linux initramfs, likewise
 *   base + 0x05000000   32 MiB   virtio-dev's RAM
 *   base + 0x07000000    4 MiB   the disk image, preloaded
 *   base + 0x07400000   64 KiB   virtio-dev's transport state, kept across its restarts
 *   base + 0x07800000    4 MiB   the disk virtio-dev serves, likewise
 *   base + 0x10000000  256 MiB   linux-a's RAM (virtio-dev maps it too)
 *   base + 0x20000000  256 MiB   linux-b's RAM (likewise)
 * The disk image is copied into virtio-dev's RAM at 0x41000000 at every
 * start; its first start copies it on into a SHARED slot of its own, which
 * a restart leaves as it is, and serves that. Its transport state (each
 * device's status and queues) is kept likewise: across a restart of the
 * device partition the frontends' drivers go on (docs/virtio.md).
 */
#include "config.h"

GUEST_BLOB(virtio_dev, "build/guests/virtio-dev.bin");

/* configs/bench-virtio.c: linux-a measures ping and disk reads at boot. */
#ifdef VIRTIO_BENCH
#define LINUX_A_BENCH " virtio_bench=192.0.2.2"
#else
#define LINUX_A_BENCH ""
#endif

#define A_RAM BOARD_RAM(0x10000000)
#define B_RAM BOARD_RAM(0x20000000)
#define DISK_IPA 0x41000000
#define DISK_SIZE MiB(4)
#define REQUEST_IRQ 80

/* Each Linux's whole RAM is SHARED with the device partition: Linux puts
 * its virtqueues and buffers anywhere in it. The device partition checks
 * every address against the frontend's own window (docs/virtio.md). */
static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(256), .pa = PA(A_RAM),
	  .flags = SLOT_SHARED },
};

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(256), .pa = PA(B_RAM),
	  .flags = SLOT_SHARED },
};

static const struct memslot dev_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(32), .pa = PA(BOARD_RAM(0x05000000)) },
	{ .id = 1, .ipa = IPA(0x50000000), .size = MiB(256), .pa = PA(A_RAM),
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
	{ .id = 2, .ipa = IPA(0x60000000), .size = MiB(256), .pa = PA(B_RAM),
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
	{ .id = 3, .ipa = IPA(0x70000000), .size = SZ_64K, .pa = PA(BOARD_RAM(0x07400000)),
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
	{ .id = 4, .ipa = IPA(0x70400000), .size = DISK_SIZE, .pa = PA(BOARD_RAM(0x07800000)),
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
};

/* A virtio-mmio window: 0x200 bytes at virt's virtio-mmio addresses. An
 * access the device partition cannot answer reads all ones (the transport
 * then reads as no device) rather than aborting inside Linux's driver. */
#define VIRTIO_WINDOW(name_, n, irq_, dma)                                  \
	{ .name = (name_), .ipa = IPA(0x0a000000 + 0x200 * (n)), .size = 0x200, \
	  .server = "virtio-dev", .irq = (irq_), .compatible = "virtio,mmio",  \
	  .on_fail = FWD_FAIL_ONES, .timeout_us = 500000, DMA_SLOT(dma) }

/* Windows 0-2 of virtio-dev, then 3-4: its bootargs name their devices. */
static const struct fwd_window a_windows[] = {
	VIRTIO_WINDOW("blk", 0, 48, 1),
	VIRTIO_WINDOW("net", 1, 49, 1),
	VIRTIO_WINDOW("console", 2, 50, 1),
};

static const struct fwd_window b_windows[] = {
	VIRTIO_WINDOW("net", 1, 49, 2),
	VIRTIO_WINDOW("console", 2, 50, 2),
};

#define LINUX_IMAGES                                                              \
	.kernel = PRELOADED(IMAGE_LINUX, BOARD_RAM(0x01000000), MiB(48),          \
			    "build/linux/Image"),                                 \
	.initrd = PRELOADED(IMAGE_RAW, BOARD_RAM(0x04000000), MiB(16),            \
			    "build/linux/initramfs.cpio.gz")

static const struct vm_config vms[] = {
	{
		.name = "linux-a",
		VCPUS_ON(0),
		SLOTS(a_slots),
		LINUX_IMAGES,
		.cmdline = "console=ttyAMA0 virtio_net_ip=192.0.2.1/24" LINUX_A_BENCH,
		.vuart = true,
		WINDOWS(a_windows),
	},
	{
		.name = "linux-b",
		VCPUS_ON(1),
		SLOTS(b_slots),
		LINUX_IMAGES,
		.cmdline = "console=ttyAMA0 virtio_net_ip=192.0.2.2/24",
		.vuart = true,
		WINDOWS(b_windows),
	},
	{
		.name = "virtio-dev",
		VCPUS_ON(2),
		SLOTS(dev_slots),
		.kernel = BUILT_IN(IMAGE_RAW, virtio_dev),
		.cmdline = "irq=80 win0=2 win1=1 win2=3 win3=1 win4=3 "
			   "disk=0x41000000 disk_size=0x400000 "
			   "state=0x70000000 state_size=0x10000 disk_kept=0x70400000",
		.loads = { { .ipa = DISK_IPA,
			     .img = PRELOADED(IMAGE_RAW, BOARD_RAM(0x07000000), DISK_SIZE,
					      "build/virtio/disk.img") } },
		.nr_loads = 1,
		.vuart = true,
		.fwd_request_irq = REQUEST_IRQ,
		.on_fault = FAULT_RESTART,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
