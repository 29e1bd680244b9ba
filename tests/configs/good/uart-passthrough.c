/*
 * The console UART itself passed through with its interrupt: allowed, with a
 * warning that the VM's output will mix with the hypervisor's.
 */
/* expect: warning: vm "console" slot 1: passes through the hypervisor's console UART at 0x9000000: its output and other VMs' will mix with this VM's */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(0x09000000), .size = 0x1000, .pa = PA(0x09000000),
	  .flags = SLOT_DEVICE },
};

static const struct vm_config vms[] = {
	{
		.name = "console",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		IRQS(33),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
