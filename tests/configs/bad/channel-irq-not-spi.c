/*
 * Rule: A doorbell is an SPI the virtual GIC has.
 */
/* expect: error: vm "front": channel 0: interrupt 300 is not an SPI the virtual GIC has */
#include "channel-two-vms.h"

static const struct channel channels[] = {
	{ .name = "ring", .end = { { "front", 1, 300 }, { "dev", 2, 41 } } },
};

const struct hyp_config config = {
	VMS(vms),
	CHANNELS(channels),
};
