/*
 * Rule: The VMs' stage-2 tables and dirty bitmaps must fit the page pool. A
 * LOG_DIRTY slot is mapped with 4 KiB pages, one table page per 2 MiB, so a
 * 1008 MiB one takes more than the default pool's 496 free pages.
 */
/* expect: error: config: the VMs need \d+ pages for stage-2 tables and dirty bitmaps but the page pool has \d+ free; build with a larger pool \(make POOL_PAGES=\d+\) */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(1008), .pa = PA(0x41000000),
	  .flags = SLOT_LOG_DIRTY },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		VCPUS_ON(1),
		SLOTS(slots),
		.kernel = BUILT_IN(IMAGE_RAW, hello),
	},
};

const struct hyp_config config = {
	VMS(vms),
};
