/*
 * The default partition set, what make run boots: an unmodified Debian
 * arm64 Linux with 2 vCPUs on CPUs 0 and 1, and beside it a bare-metal
 * partition on CPU 2 printing a heartbeat from its timer interrupt. The
 * console's input goes to Linux; Ctrl-\ then 2 gives it to "pulse",
 * Ctrl-\ then 1 back.
 *
 * Host memory is placed from the board's RAM base (BOARD_RAM), so this
 * fits every board with 4 CPUs and 512 MiB of RAM from its base: on QEMU
 * virt (base 0x40000000) and on the ZCU102 and Raspberry Pi 4 (base 0).
 *   base + 0x00000000   16 MiB   the hypervisor
 *   base + 0x01000000   48 MiB   Linux Image, as the bootloader loads it
 *   base + 0x04000000   16 MiB   Linux initramfs, likewise
 *   base + 0x06000000   32 MiB   pulse's RAM
 *   base + 0x08000000   64 MiB   Linux's host range: memory for the slots
 *                                it adds to pulse at run time
 *   base + 0x10000000  256 MiB   Linux's RAM
 * Linux is pulse's manager (docs/management.md): its hypctl, in the
 * initramfs, stops, loads, starts and restarts pulse and changes its
 * slots through the control window the hypervisor gives Linux.
 * The loader copies the images into Linux's RAM at every (re)start, so the
 * copies above stay pristine for SYSTEM_RESET.
 */
#include "config.h"

GUEST_BLOB(pulse, "build/guests/pulse.bin");

static const struct memslot linux_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(256), .pa = PA(BOARD_RAM(0x10000000)) },
};

static const struct memslot pulse_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(32), .pa = PA(BOARD_RAM(0x06000000)) },
};

static const struct manager_config linux_manages = {
	MANAGES("pulse"),
	.host_base = BOARD_RAM(0x08000000),
	.host_size = MiB(64),
};

static const struct vm_config vms[] = {
	{
		.name = "linux",
		VCPUS_ON(0, 1),
		SLOTS(linux_slots),
		.kernel = PRELOADED(IMAGE_LINUX, BOARD_RAM(0x01000000), MiB(48), "build/linux/Image"),
		.initrd = PRELOADED(IMAGE_RAW, BOARD_RAM(0x04000000), MiB(16),
				    "build/linux/initramfs.cpio.gz"),
		.cmdline = "console=ttyAMA0",
		.vuart = true,
		.stall_ms = 3000, /* say so when it hangs (a panic without panic=) */
		.manager = &linux_manages,
	},
	{
		.name = "pulse",
		VCPUS_ON(2),
		SLOTS(pulse_slots),
		.kernel = BUILT_IN(IMAGE_RAW, pulse),
		.vuart = true,
		.stall_ms = 3000,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
