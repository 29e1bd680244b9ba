/*
 * Rule: A configuration needs at least one VM.
 */
/* expect: error: config: there are no VMs: add at least one to \.vms \(VMS\(\.\.\.\)\) */
/* expect: 1 error, 0 warnings: fix the configuration; nothing was built */
#include "config.h"

GUEST_BLOB(hello, "build/guests/hello.bin");

const struct hyp_config config = {
	.nr_vms = 0,
};
