/*
 * guests/isotrap with guests/hello on the same CPU 0, so that WFI and WFIT
 * are trapped (a shared CPU) and the console has two VMs' lines
 * (tests/integration/isotrap.py). hello is first so that it has the input
 * focus: isotrap's lines are then buffered whole, one line per sequence.
 * hello keeps it until isotrap has printed them: they meet in a page both
 * map (isotrap's done=, hello's hold=).
 */
#include "config.h"

GUEST_BLOB(isotrap, "build/guests/isotrap.bin");
GUEST_BLOB(hello, "build/guests/hello.bin");

#define MAILBOX { .id = 1, .ipa = IPA(0x50000000), .size = 0x1000, \
		  .pa = PA(0x46000000), .flags = SLOT_SHARED }

static const struct memslot isotrap_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	MAILBOX,
};

static const struct memslot hello_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
	MAILBOX,
};

static const struct vm_config vms[] = {
	{
		.name = "hello",
		VCPUS_ON(0),
		SLOTS(hello_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.cmdline = "hold=0x50000000",
		.vuart = true,
	},
	{
		.name = "isotrap",
		VCPUS_ON(0),
		SLOTS(isotrap_slots),
		.kernel = BUILT_IN(IMAGE_RAW, isotrap),
		.cmdline = "done=0x50000000",
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
};
