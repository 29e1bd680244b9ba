/*
 * Two bare-metal partitions, no downloads needed: "hello" says hello and
 * powers its VM off, "pulse" keeps printing a heartbeat from its timer
 * interrupt. Each has its own CPU and RAM.
 *
 * Host memory is placed from the board's RAM base (BOARD_RAM), so this
 * fits every board with 2 CPUs and 192 MiB of RAM from its base (QEMU virt,
 * ZCU102, Raspberry Pi 4, Versal):
 *   base + 0x00000000   16 MiB   the hypervisor
 *   base + 0x04000000   64 MiB   hello's RAM
 *   base + 0x08000000   64 MiB   pulse's RAM
 */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");
GUEST_BLOB(pulse, "build/guests/pulse.bin");

static const struct memslot hello_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(BOARD_RAM(0x04000000)) },
};

static const struct memslot pulse_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(BOARD_RAM(0x08000000)) },
};

/* pulse comes first: it keeps running, so it has the console's input focus
 * (whose output is shown as it comes), and hello's lines stay whole. */
static const struct vm_config vms[] = {
	{
		.name = "pulse",
		VCPUS_ON(1),
		SLOTS(pulse_slots),
		.kernel = BUILT_IN(IMAGE_RAW, pulse),
		.vuart = true,
	},
	{
		.name = "hello",
		VCPUS_ON(0),
		SLOTS(hello_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
