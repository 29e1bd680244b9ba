/*
 * Forwarded I/O (guests/fwd, tests/integration/io.py): "fwd-front" (two vCPUs) has two
 * windows served by "fwd-dev", its device partition, and a 64 KiB I/O
 * pool the device partition maps too; the frontend on CPU 0, its device partition on CPU 1.
 * forward-shared.c puts both on CPU 1 (FRONT_CPUS, SHARE_CPUS);
 * forward-dev-restarts.c changes the bootargs (FRONT_CMDLINE, DEV_CMDLINE).
 */
#include "config.h"
#include "../../../guests/fwd/layout.h"

#ifndef DEV_CMDLINE
#define DEV_CMDLINE "dev=1"
#define FRONT_CMDLINE NULL
#endif

#ifndef FRONT_CPUS
#define FRONT_CPUS VCPUS_ON(0, 2)
#define SHARE_CPUS
#endif

GUEST_BLOB(fwd, "build/guests/fwd.bin");

/* fwdfaultloop.c runs another frontend, restarted on a fault. */
#ifndef FRONT_IMAGE
#define FRONT_IMAGE BUILT_IN(IMAGE_RAW, fwd)
#define FRONT_ON_FAULT FAULT_STOP
#endif

static const struct memslot front_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
	{ .id = 1, .ipa = IPA(FWD_POOL_IPA), .size = 0x10000, .pa = PA(0x4c000000),
	  .flags = SLOT_SHARED },
};

static const struct memslot dev_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x45000000) },
	{ .id = 2, .ipa = IPA(FWD_POOL_DEV_IPA), .size = 0x10000, .pa = PA(0x4c000000),
	  .flags = SLOT_SHARED | SLOT_NOEXEC },
};

static const struct fwd_window front_windows[] = {
	{ .name = "test0", .ipa = IPA(FWD_WIN0), .size = FWD_WIN_SIZE,
	  .server = "fwd-dev", .irq = FWD_WIN0_IRQ, .compatible = "hyp,test-device",
	  .on_fail = FWD_FAIL_ABORT, .timeout_us = FWD_TIMEOUT_US, DMA_SLOT(2) },
	{ .name = "test1", .ipa = IPA(FWD_WIN1), .size = FWD_WIN_SIZE,
	  .server = "fwd-dev", .on_fail = FWD_FAIL_ONES, .timeout_us = FWD_TIMEOUT_US },
};

static const struct vm_config vms[] = {
	{
		.name = "fwd-front",
		FRONT_CPUS,
		SLOTS(front_slots),
		.kernel = FRONT_IMAGE,
		.cmdline = FRONT_CMDLINE,
		.on_fault = FRONT_ON_FAULT,
		.vuart = true,
		WINDOWS(front_windows),
	},
	{
		.name = "fwd-dev",
		VCPUS_ON(1),
		SLOTS(dev_slots),
		.kernel = BUILT_IN(IMAGE_RAW, fwd),
		.cmdline = DEV_CMDLINE,
		.vuart = true,
		.fwd_request_irq = FWD_REQUEST_IRQ,
	},
};

const struct hyp_config config = {
	VMS(vms),
	SHARE_CPUS
};
