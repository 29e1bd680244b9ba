/*
 * Every limit reached at once: MAX_VMS VMs, one with MAX_SLOTS slots,
 * MAX_VCPUS vCPUs, MAX_VM_IRQS interrupts and a 15-character name, and an
 * explicit 40-bit IPA space with a slot at its top.
 */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

/* Slot n of the big VM: 1 MiB of RAM at 0x40000000 + n MiB. */
#define BIG(n)                                                              \
	{ .id = (n), .ipa = IPA(0x40000000 + MiB(n)), .size = MiB(1),       \
	  .pa = PA(0x41000000 + MiB(n)) }

static const struct memslot big_slots[] = {
	BIG(0), BIG(1), BIG(2), BIG(3), BIG(4), BIG(5), BIG(6), BIG(7),
	BIG(8), BIG(9), BIG(10), BIG(11), BIG(12), BIG(13), BIG(14), BIG(15),
	BIG(16), BIG(17), BIG(18), BIG(19), BIG(20), BIG(21), BIG(22), BIG(23),
	BIG(24), BIG(25), BIG(26), BIG(27), BIG(28), BIG(29), BIG(30),
	/* the top 2 MiB of the 40-bit space */
	{ .id = 31, .ipa = IPA(0xffffe00000), .size = MiB(2),
	  .pa = PA(0x43000000) },
};

/* Small VM n: 16 MiB of RAM, one vCPU on CPU n % 4. */
#define SMALL(name_, n)                                                     \
	{                                                                   \
		.name = name_,                                              \
		VCPUS_ON((n) % 4),                                          \
		.slots = &small_slots[n],                                   \
		.nr_slots = 1,                                              \
		.kernel = BUILT_IN(IMAGE_RAW, hello),                       \
	}
#define RAM(n)                                                              \
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16),                 \
	  .pa = PA(0x48000000 + (n) * MiB(16)) }

static const struct memslot small_slots[] = {
	RAM(0), RAM(1), RAM(2), RAM(3), RAM(4), RAM(5), RAM(6),
};

static const struct vm_config vms[] = {
	{
		.name = "fifteen-chars-x",
		VCPUS_ON(0, 1, 2, 3, 0, 1, 2, 3),
		SLOTS(big_slots),
		.ipa_bits = 40,
		.kernel = BUILT_IN(IMAGE_RAW, hello),
		IRQS(40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55),
	},
	SMALL("s0", 0), SMALL("s1", 1), SMALL("s2", 2), SMALL("s3", 3),
	SMALL("s4", 4), SMALL("s5", 5), SMALL("s6", 6),
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
};
