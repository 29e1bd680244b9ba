/*
 * Fault policy FAULT_RESTART: "crash" (guests/crash) ends itself a
 * different way on each boot and is restarted each time, while "steady"
 * (guests/steady) works on. crash has a 300 ms watchdog. steady comes
 * first, so it has console input and writes unbuffered: crash's lines,
 * buffered, stay whole, and may split steady's (the test matches those
 * whole or broken, vm_line).
 */
#include "config.h"

GUEST_BLOB(steady, "build/guests/steady.bin");
GUEST_BLOB(crash, "build/guests/crash.bin");

static const struct memslot steady_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct memslot crash_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x48000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "steady",
		VCPUS_ON(0),
		SLOTS(steady_slots),
		.kernel = BUILT_IN(IMAGE_RAW, steady),
		.cmdline = "secs=4 report_ms=500",
		.vuart = true,
		.watchdog_ms = 2000,
	},
	{
		.name = "crash",
		VCPUS_ON(1, 2),
		SLOTS(crash_slots),
		.kernel = BUILT_IN(IMAGE_RAW, crash),
#ifdef GUEST_CMDLINE
		.cmdline = GUEST_CMDLINE,
#else
		.cmdline = "first=0 ways=5 pause_ms=400",
#endif
		.vuart = true,
		.on_fault = FAULT_RESTART,
		.watchdog_ms = 300,
	},
};

const struct hyp_config config = {
	VMS(vms),
};
