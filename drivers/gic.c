/* Chooses the GIC driver the board names. */
#include "gic.h"
#include "gic_ops.h"
#include "platform.h"

static const struct gic_ops *ops;

void gic_init(void)
{
	ops = platform.gic.version == GIC_V3 ? &gicv3_ops : &gicv2_ops;
	ops->init();
}

void gic_cpu_init(void)
{
	ops->cpu_init();
}

u32 gic_ack(void)
{
	return ops->ack();
}

void gic_eoi(u32 intid)
{
	ops->eoi(intid);
}

void gic_deactivate(u32 intid)
{
	ops->deactivate(intid);
}

void gic_enable(u32 intid, bool on)
{
	ops->enable(intid, on);
}

void gic_route_spi(u32 intid, u32 pcpu)
{
	ops->route_spi(intid, pcpu);
}

void gic_set_level(u32 intid, bool level)
{
	ops->set_level(intid, level);
}

void gic_send_sgi(u32 pcpu, u32 sgi)
{
	ops->send_sgi(pcpu, sgi);
}

void gic_set_active(u32 intid, bool on)
{
	ops->set_active(intid, on);
}

bool gic_is_active(u32 intid)
{
	return ops->is_active(intid);
}

bool gic_is_v3(void)
{
	return ops == &gicv3_ops;
}
