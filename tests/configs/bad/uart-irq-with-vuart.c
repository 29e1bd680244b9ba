/*
 * Rule: A VM with a virtual UART may not take the physical console UART's
 * interrupt: the vUART's interrupt is virtual and the hypervisor keeps the real
 * one.
 */
/* expect: error: vm "guest": interrupt 33 is the hypervisor's console UART's; pass the UART itself through as a DEVICE slot to give it away */
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
		.vuart = true,
		IRQS(33),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
