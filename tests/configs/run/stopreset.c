/* A stop and a reset at once (guests/stopreset): "race" on CPUs 0 and 1;
 * "restarter" (guests/restarter) on CPU 2 manages it and starts it again
 * whenever it stops. Hung, two CPUs never come back. */
#include "config.h"

GUEST_BLOB(stopreset, "build/guests/stopreset.bin");
GUEST_BLOB(restarter, "build/guests/restarter.bin");

static const struct memslot race_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(2), .pa = PA(0x44000000) },
};

static const struct memslot restarter_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(2), .pa = PA(0x46000000) },
};

static const struct manager_config manages_race = {
	MANAGES("race"),
	.host_base = 0x47000000, /* unused: it changes no slot */
	.host_size = MiB(2),
};

static const struct vm_config vms[] = {
	{ .name = "race", VCPUS_ON(0, 1), SLOTS(race_slots),
	  .kernel = BUILT_IN(IMAGE_RAW, stopreset), .vuart = true },
	{ .name = "restarter", VCPUS_ON(2), SLOTS(restarter_slots),
	  .kernel = BUILT_IN(IMAGE_RAW, restarter), .vuart = true,
	  .manager = &manages_race },
};

const struct hyp_config config = {
	VMS(vms),
};
