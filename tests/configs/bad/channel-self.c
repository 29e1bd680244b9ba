/*
 * Rule: A channel joins two VMs.
 */
/* expect: error: config: channel 0 \(ring\): both ends are vm "front" */
#include "channel-two-vms.h"

static const struct channel channels[] = {
	{ .name = "ring", .end = { { "front", 1, 40 }, { "front", 1, 41 } } },
};

const struct hyp_config config = {
	VMS(vms),
	CHANNELS(channels),
};
