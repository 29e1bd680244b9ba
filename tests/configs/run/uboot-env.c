/*
 * Debian's U-Boot with its environment in flash bank 1, filled from a file
 * (build/test/uboot-env.bin, which tests/integration/firmware.py writes: a
 * CRC32 and "name=value" strings, as mkenvimage makes them).
 */
#include "config.h"

GUEST_BLOB(uboot, "/usr/lib/u-boot/qemu_arm64/u-boot.bin");
GUEST_BLOB(env, "build/test/uboot-env.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(128), .pa = PA(0x48000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "uboot",
		VCPUS_ON(0),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, uboot),
		.vuart = true,
		.flash = true,
		.flash_image = { [1] = BUILT_IN(IMAGE_RAW, env) },
	},
};

const struct hyp_config config = {
	VMS(vms),
};
