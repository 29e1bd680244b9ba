/*
 * Rule: A VM has one manager at most, and a manager is managed by none:
 * "a" and "b" manage each other.
 */
/* expect: error: vm "a": is a manager and is managed by vm "b": a manager cannot be managed */
/* expect: error: vm "b": is a manager and is managed by vm "a": a manager cannot be managed */
/* expect: 2 errors, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x48000000) },
};

static const struct manager_config manages_b = {
	MANAGES("b"), .host_base = 0x50000000, .host_size = MiB(16),
};

static const struct manager_config manages_a = {
	MANAGES("a"), .host_base = 0x51000000, .host_size = MiB(16),
};

static const struct vm_config vms[] = {
	{
		.name = "a",
		VCPUS_ON(1),
		SLOTS(a_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.manager = &manages_b,
	},
	{
		.name = "b",
		VCPUS_ON(2),
		SLOTS(b_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.manager = &manages_a,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
