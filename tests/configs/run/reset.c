/*
 * SYSTEM_RESET of one VM while another runs: "a" (guests/reset) resets
 * itself twice, "b" (guests/heartbeat) prints throughout. They share the
 * mailbox page (SHARED, so a's reset keeps its boot count there). b comes
 * first so that a's lines, buffered as a VM without console input, stay
 * whole.
 */
#include "config.h"

GUEST_BLOB(reset, "build/guests/reset.bin");
GUEST_BLOB(heartbeat, "build/guests/heartbeat.bin");

#define MAILBOX { .id = 1, .ipa = IPA(0x50000000), .size = 0x1000, \
		  .pa = PA(0x4c000000), .flags = SLOT_SHARED }

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	MAILBOX,
};

static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x48000000) },
	MAILBOX,
};

static const struct vm_config vms[] = {
	{
		.name = "b",
		VCPUS_ON(1),
		SLOTS(b_slots),
		.kernel = BUILT_IN(IMAGE_RAW, heartbeat),
		.vuart = true,
	},
	{
		.name = "a",
		VCPUS_ON(2),
		SLOTS(a_slots),
		.kernel = BUILT_IN(IMAGE_RAW, reset),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
