/*
 * Containment: "hostile" (guests/hostile) runs its campaign while
 * "steady" (guests/steady) does checkable work. hostile's vCPU 1 shares
 * physical CPU 0 with steady, so the scheduler, the vCPU switch and the
 * vGIC's save and restore are between them too. hostile is restarted when
 * it ends itself (FAULT_RESTART); steady has a watchdog that must never
 * fire. Both take their settings from GUEST_CMDLINE (make CMDLINE=...):
 * hostile reads seed=, until=, kill=; steady secs=.
 */
#include "config.h"
#include "../../../guests/hostile/layout.h"

GUEST_BLOB(steady, "build/guests/steady.bin");
GUEST_BLOB(hostile, "build/guests/hostile.bin");

#ifndef GUEST_CMDLINE
#define GUEST_CMDLINE "seed=1 until=12 kill=400 secs=13"
#endif

static const struct memslot steady_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16), .pa = PA(0x44000000) },
};

static const struct memslot hostile_slots[] = {
	{ .id = 0, .ipa = IPA(HZ_RAM_IPA), .size = HZ_RAM_SIZE, .pa = PA(0x48000000) },
	{ .id = 1, .ipa = IPA(HZ_RO_IPA), .size = HZ_SLOT_SIZE, .pa = PA(0x49000000),
	  .flags = SLOT_READONLY },
	{ .id = 2, .ipa = IPA(HZ_NX_IPA), .size = HZ_SLOT_SIZE, .pa = PA(0x49100000),
	  .flags = SLOT_NOEXEC },
	{ .id = HZ_DIRTY_SLOT, .ipa = IPA(HZ_DIRTY_IPA), .size = HZ_SLOT_SIZE,
	  .pa = PA(0x49200000), .flags = SLOT_LOG_DIRTY },
	/* The PL031 RTC and its SPI, for untakeable passed-through interrupts. */
	{ .id = 4, .ipa = IPA(HZ_RTC_IPA), .size = 0x1000, .pa = PA(HZ_RTC_IPA),
	  .flags = SLOT_DEVICE },
};

static const struct vm_config vms[] = {
	{
		.name = "steady",
		VCPUS_ON(0),
		SLOTS(steady_slots),
		.kernel = BUILT_IN(IMAGE_RAW, steady),
		.cmdline = GUEST_CMDLINE,
		.vuart = true,
		.watchdog_ms = 2000,
	},
	{
		.name = "hostile",
		VCPUS_ON(1, 0),
		SLOTS(hostile_slots),
		.ipa_bits = HZ_IPA_BITS,
		.kernel = BUILT_IN(IMAGE_RAW, hostile),
		.cmdline = GUEST_CMDLINE,
		IRQS(HZ_RTC_INTID),
		.vuart = true,
		.on_fault = FAULT_RESTART,
	},
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
};
