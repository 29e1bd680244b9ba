/*
 * Rule: A manager's host range is memory no VM has: here it takes the
 * upper half of "rtos"'s RAM.
 */
/* expect: error: vm "linux": manager host range 0x46000000-0x47ffffff overlaps vm "rtos" slot 0 \(0x44000000-0x47ffffff\): it must be memory no VM has */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot linux_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x50000000) },
};

static const struct memslot rtos_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

static const struct manager_config manages_rtos = {
	MANAGES("rtos"),
	.host_base = 0x46000000,
	.host_size = MiB(32),
};

static const struct vm_config vms[] = {
	{
		.name = "linux",
		VCPUS_ON(1),
		SLOTS(linux_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.manager = &manages_rtos,
	},
	{
		.name = "rtos",
		VCPUS_ON(2),
		SLOTS(rtos_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
