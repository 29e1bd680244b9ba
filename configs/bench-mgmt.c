/*
 * make bench's run-time slot figures: "bench-mgmt" (guests/bench-mgmt)
 * manages "spinner", the same payload, whose one vCPU runs throughout (it
 * spins), and hands out host memory 0x50000000-0x50ffffff. Both share CPU
 * 0: under -icount QEMU runs the CPUs one after another in long turns, so
 * a manager on CPU 0 waiting for CPU 1's vCPU to leave would count QEMU's
 * turns, not the hypervisor's path. Sharing, the spinner is switched out
 * (runnable) whenever the manager calls; the cross-CPU kick is left out of
 * the figures (tests/integration mgmt-* exercises it).
 *
 *	make CONFIG=bench-mgmt BENCH=1 run    (figures need QEMU -icount)
 */
#include "config.h"

GUEST_BLOB(bench_mgmt, "build/guests/bench-mgmt.bin");

#define MAILBOX { .id = 1, .ipa = IPA(0x50000000), .size = 0x1000, \
		  .pa = PA(0x4c000000), .flags = SLOT_SHARED }

static const struct memslot manager_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	MAILBOX,
};

static const struct memslot spinner_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x48000000) },
	MAILBOX,
};

static const struct manager_config manages_spinner = {
	MANAGES("spinner"),
	.host_base = 0x50000000,
	.host_size = MiB(16),
};

static const struct vm_config vms[] = {
	{
		.name = "bench-mgmt",
		VCPUS_ON(0),
		SLOTS(manager_slots),
		.kernel = BUILT_IN(IMAGE_RAW, bench_mgmt),
		.vuart = true,
		.manager = &manages_spinner,
		BENCH_PMU_COUNTS_EL2 /* the manager counts the hypervisor's work */
	},
	{
		.name = "spinner",
		VCPUS_ON(0),
		SLOTS(spinner_slots),
		.kernel = BUILT_IN(IMAGE_RAW, bench_mgmt),
		.vuart = true,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
};
