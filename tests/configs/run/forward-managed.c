/*
 * A manager's write into its stopped frontend while the frontend's device
 * partition still copies into its memory (guests/fwd/managed.c,
 * tests/integration/io.py): "fwd-front" on CPU 0 with its manager
 * "fwd-mgr", its device partition "fwd-dev" on CPU 1, which maps the
 * frontend's 64 KiB I/O pool (DMA_SLOT) as in forward.c.
 */
#include "config.h"
#include "../../../guests/fwd/layout.h"

GUEST_BLOB(fwd, "build/guests/fwd.bin");

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

static const struct memslot mgr_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x46000000) },
};

static const struct fwd_window front_windows[] = {
	{ .name = "test0", .ipa = IPA(FWD_WIN0), .size = FWD_WIN_SIZE,
	  .server = "fwd-dev", .irq = FWD_WIN0_IRQ, .compatible = "hyp,test-device",
	  .on_fail = FWD_FAIL_ABORT, .timeout_us = FWD_TIMEOUT_US, DMA_SLOT(2) },
	{ .name = "test1", .ipa = IPA(FWD_WIN1), .size = FWD_WIN_SIZE,
	  .server = "fwd-dev", .on_fail = FWD_FAIL_ONES, .timeout_us = FWD_TIMEOUT_US },
};

static const struct manager_config manages_front = {
	MANAGES("fwd-front"),
	.host_base = 0x47000000, /* unused: it changes no slot */
	.host_size = MiB(2),
};

static const struct vm_config vms[] = {
	{
		.name = "fwd-front", /* VM 0: guests/fwd/managed.c's FRONT */
		VCPUS_ON(0),
		SLOTS(front_slots),
		.kernel = BUILT_IN(IMAGE_RAW, fwd),
		.cmdline = "managed=1",
		.vuart = true,
		WINDOWS(front_windows),
	},
	{
		.name = "fwd-dev",
		VCPUS_ON(1),
		SLOTS(dev_slots),
		.kernel = BUILT_IN(IMAGE_RAW, fwd),
		.cmdline = "dev=1",
		.vuart = true,
		.fwd_request_irq = FWD_REQUEST_IRQ,
	},
	{
		.name = "fwd-mgr",
		VCPUS_ON(0),
		SLOTS(mgr_slots),
		.kernel = BUILT_IN(IMAGE_RAW, fwd),
		.cmdline = "mgr=1",
		.vuart = true,
		.manager = &manages_front,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
};
