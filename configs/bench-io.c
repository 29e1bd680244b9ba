/*
 * make bench's figures for partitions that talk (guests/bench-io): a
 * frontend on CPU 0 with one forwarded window (a virtio-mmio slot's
 * address) served by a device partition on CPU 1, and a channel between
 * them. CPUs 2 and 3 stay idle.
 *
 *	make CONFIG=bench-io run    (figures need QEMU -icount; make bench)
 */
#include "config.h"

GUEST_BLOB(bench_io, "build/guests/bench-io.bin");

#define CHANNEL_MEMORY { .id = 1, .ipa = IPA(0x50000000), .size = 0x1000, \
			 .pa = PA(0x4c000000), .flags = SLOT_SHARED }

static const struct memslot front_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	CHANNEL_MEMORY,
};

static const struct memslot dev_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
	CHANNEL_MEMORY,
};

static const struct fwd_window front_windows[] = {
	{ .name = "bench", .ipa = IPA(0x0a000000), .size = 0x200,
	  .server = "bench-dev", .on_fail = FWD_FAIL_ABORT },
};

static const struct vm_config vms[] = {
	{
		.name = "bench-io",
		VCPUS_ON(0),
		SLOTS(front_slots),
		.kernel = BUILT_IN(IMAGE_RAW, bench_io),
		.cmdline = "role=0",
		.vuart = true,
		WINDOWS(front_windows),
		BENCH_PMU_COUNTS_EL2 /* the frontend counts both CPUs' work */
	},
	{
		.name = "bench-dev",
		VCPUS_ON(1),
		SLOTS(dev_slots),
		.kernel = BUILT_IN(IMAGE_RAW, bench_io),
		.cmdline = "role=1",
		.vuart = true,
		.fwd_request_irq = 80,
	},
};

static const struct channel channels[] = {
	{ .name = "bench", .end = { { "bench-io", 1, 40 }, { "bench-dev", 1, 41 } } },
};

const struct hyp_config config = {
	VMS(vms),
	CHANNELS(channels),
};
