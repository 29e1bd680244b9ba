/*
 * Rule: a passed-through SPI must be one the virtual GIC models (INTIDs
 * below 256): SPI 300 is a valid GIC INTID, but the vGIC would drop it.
 */
/* expect: error: vm "guest": interrupt 300 cannot be passed through: the virtual GIC handles INTIDs below 256 only; use a device interrupt in 32-255 */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		IRQS(300),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
