/*
 * Isolation: "victim" fills its RAM (host 0x48000000-0x48ffffff) with a
 * pattern; "prober" probes its IPA space outside its slots, the victim's
 * host range included, and must fault on every access. They share only the
 * mailbox page (SHARED) that orders the two. The victim comes first: the
 * first VM has console input and writes unbuffered, so the prober's lines,
 * buffered, stay whole; they (and the hypervisor's) may split the
 * victim's, which the test matches whole or broken (vm_line).
 */
#include "config.h"

GUEST_BLOB(victim, "build/guests/victim.bin");
GUEST_BLOB(prober, "build/guests/prober.bin");

#define MAILBOX { .id = 1, .ipa = IPA(0x50000000), .size = 0x1000, \
		  .pa = PA(0x4c000000), .flags = SLOT_SHARED }

static const struct memslot victim_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x48000000) },
	MAILBOX,
};

static const struct memslot prober_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	MAILBOX,
};

static const struct vm_config vms[] = {
	{
		.name = "victim",
		VCPUS_ON(1),
		SLOTS(victim_slots),
		.kernel = BUILT_IN(IMAGE_RAW, victim),
		.vuart = true,
	},
	{
		.name = "prober",
		VCPUS_ON(2),
		SLOTS(prober_slots),
		.kernel = BUILT_IN(IMAGE_RAW, prober),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
