/*
 * Rule: A VM has at most MAX_SLOTS (32) slots.
 */
/* expect: error: vm "guest": has 33 slots; the limit is 32 */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

#define S(n) { .id = (n), .ipa = IPA(0x40000000 + (n) * 0x1000), .size = 0x1000, \
	       .pa = PA(0x44000000 + (n) * 0x1000) }

static const struct memslot slots[] = {
	S(0), S(1), S(2), S(3),
	S(4), S(5), S(6), S(7),
	S(8), S(9), S(10), S(11),
	S(12), S(13), S(14), S(15),
	S(16), S(17), S(18), S(19),
	S(20), S(21), S(22), S(23),
	S(24), S(25), S(26), S(27),
	S(28), S(29), S(30), S(31),
	S(32),
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
