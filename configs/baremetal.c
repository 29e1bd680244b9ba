/*
 * Two bare-metal partitions for QEMU virt (-smp 4 -m 1G), no downloads
 * needed: "hello" says hello and powers its VM off, "pulse" keeps printing
 * a heartbeat from its timer interrupt. Each has its own CPU and RAM.
 *
 * Host RAM 0x40000000-0x7fffffff: the hypervisor owns the first 16 MiB.
 */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");
GUEST_BLOB(pulse, "build/guests/pulse.bin");

static const struct memslot hello_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

static const struct memslot pulse_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x48000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "hello",
		VCPUS_ON(1),
		SLOTS(hello_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
	{
		.name = "pulse",
		VCPUS_ON(2),
		SLOTS(pulse_slots),
		.kernel = BUILT_IN(IMAGE_RAW, pulse),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
