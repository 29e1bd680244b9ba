/*
 * Debian's EDK2 (UEFI, qemu-efi-aarch64) as the guest, unmodified, booted
 * as QEMU's -bios boots it:
 *
 *   make run CONFIG=edk2   (then type a key at the countdown for the shell)
 *
 * Host memory (qemu-virt, 1 GiB of RAM from 0x40000000):
 *
 *   0x40000000 +-----------------------------+
 *              | hypervisor (16 MiB), with   |
 *              | QEMU_EFI.fd built in        |
 *   0x41000000 +-----------------------------+
 *              | (unused)                    |
 *   0x50000000 +-----------------------------+
 *              | VM "efi" RAM, 256 MiB       |  IPA 0x40000000
 *   0x60000000 +-----------------------------+
 *              | flash bank 0 RAM, 2 MiB     |  IPA 0x00000000, read-only:
 *              |                             |  the firmware, run in place
 *   0x60200000 +-----------------------------+
 *              | flash bank 1 RAM, 2 MiB     |  IPA 0x04000000, writable:
 *              |                             |  its variable store
 *   0x60400000 +-----------------------------+
 *
 * The VM is entered at IPA 0 with its device tree at RAM base. Bank 1
 * starts erased: EDK2 formats its variable store there on first boot,
 * through the CFI program and erase commands, and what it writes survives
 * a reset of the VM (PSCI SYSTEM_RESET, the shell's `reset`), not a power
 * cycle: nothing is written back to a file.
 */
#include "config.h"

GUEST_BLOB(efi, "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd");

static const struct memslot efi_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(256), .pa = PA(0x50000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "efi",
		VCPUS_ON(0),
		SLOTS(efi_slots),
		.boot_from_flash = true,
		.flash = true,
		.flash_image = { [0] = BUILT_IN(IMAGE_RAW, efi) },
		.flash_ram = {
			[0] = { .pa = PA(0x60000000), .size = MiB(2) },
			[1] = { .pa = PA(0x60200000), .size = MiB(2), .writable = true },
		},
		.vuart = true,
		.stall_ms = 3000, /* say so when it hangs */
	},
};

const struct hyp_config config = {
	VMS(vms),
};
