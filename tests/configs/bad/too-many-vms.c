/*
 * Rule: There are at most MAX_VMS (8) VMs.
 */
/* expect: error: config: there are 9 VMs; the limit is 8 */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

/* VM n: 16 MiB of its own RAM, one vCPU on CPU n % 4. */
#define VM(name_, n)                                                        \
	{                                                                   \
		.name = name_,                                              \
		VCPUS_ON((n) % 4),                                          \
		.slots = &slots[n],                                         \
		.nr_slots = 1,                                              \
		.kernel = BUILT_IN(IMAGE_RAW, hello),                       \
	}
#define RAM(n)                                                              \
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(16),                 \
	  .pa = PA(0x42000000 + (n) * MiB(16)) }

static const struct memslot slots[] = {
	RAM(0), RAM(1), RAM(2), RAM(3), RAM(4), RAM(5), RAM(6), RAM(7), RAM(8),
};

static const struct vm_config vms[] = {
	VM("vm0", 0), VM("vm1", 1), VM("vm2", 2), VM("vm3", 3), VM("vm4", 4),
	VM("vm5", 5), VM("vm6", 6), VM("vm7", 7), VM("vm8", 8),
};

const struct hyp_config config = {
	VMS(vms),
	.allow_pcpu_sharing = true,
};
