/* CPU_ON racing a reset (guests/cpuonrace): three vCPUs on three CPUs. */
#include "config.h"

GUEST_BLOB(cpuonrace, "build/guests/cpuonrace.bin");

static const struct memslot slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(2), .pa = PA(0x44000000) },
};

static const struct vm_config vms[] = {
	{ .name = "race", VCPUS_ON(0, 1, 2), SLOTS(slots),
	  .kernel = BUILT_IN(IMAGE_RAW, cpuonrace), .vuart = true },
};

const struct hyp_config config = {
	VMS(vms),
};
