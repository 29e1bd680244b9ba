/*
 * Debian's U-Boot, unmodified, with virt's flash banks, beside the
 * bare-metal "pulse": U-Boot's reset and poweroff must act on its VM alone.
 * U-Boot comes first, so it has console input.
 */
#include "config.h"

GUEST_BLOB(uboot, "/usr/lib/u-boot/qemu_arm64/u-boot.bin");
GUEST_BLOB(pulse, "build/guests/pulse.bin");

static const struct memslot uboot_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(128), .pa = PA(0x48000000) },
};

static const struct memslot pulse_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x46000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "uboot",
		VCPUS_ON(0),
		SLOTS(uboot_slots),
		.kernel = BUILT_IN(IMAGE_RAW, uboot),
		.vuart = true,
		.flash = true,
	},
	{
		.name = "pulse",
		VCPUS_ON(1),
		SLOTS(pulse_slots),
		.kernel = BUILT_IN(IMAGE_RAW, pulse),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
