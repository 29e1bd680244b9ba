/*
 * Three VMs on two CPUs: .allow_pcpu_sharing lets VMs share a CPU, and one
 * VM runs two vCPUs on the same CPU (always allowed).
 */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot a_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(32), .pa = PA(0x42000000) },
};

static const struct memslot b_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(32), .pa = PA(0x44000000) },
};

static const struct memslot c_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(32), .pa = PA(0x46000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "a",
		VCPUS_ON(1, 1),
		SLOTS(a_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
	{
		.name = "b",
		VCPUS_ON(1),
		SLOTS(b_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
	{
		.name = "c",
		VCPUS_ON(2, 1),
		SLOTS(c_slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
	.time_slice_us = 2000,
};
