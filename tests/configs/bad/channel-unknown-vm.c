/*
 * Rule: A channel's ends are VMs of the configuration.
 */
/* expect: error: config: channel 0 \(ring\): end 1's .vm "nobody" names no VM */
#include "channel-two-vms.h"

static const struct channel channels[] = {
	{ .name = "ring", .end = { { "front", 1, 40 }, { "nobody", 2, 41 } } },
};

const struct hyp_config config = {
	VMS(vms),
	CHANNELS(channels),
};
