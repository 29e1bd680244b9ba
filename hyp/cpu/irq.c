/* Physical interrupt dispatch (see irq.h). */
#include "irq.h"
#include "gic.h"
#include "timer.h"
#include "uart.h"
#include "console.h"
#include "entry.h"
#include "log.h"
#include "mmio.h"
#include "percpu.h"
#include "platform.h"
#include "sched.h"
#include "sysreg.h"
#include "vgic.h"

/* Whether the GIC the board describes is the one this machine has: a
 * GICv3 shows in the CPU's ID registers (its system-register interface),
 * a GICv2 in its distributor's GICD_PIDR2.ArchRev (1 or 2). */
static bool gic_matches_board(void)
{
	if (platform.gic.version == GIC_V3)
		return FIELD_GET(read_sysreg(id_aa64pfr0_el1), 27, 24) != 0;
	u32 rev = (mmio_read32(platform.gic.gicd + 0xfe8) >> 4) & 0xf;

	return rev == 1 || rev == 2;
}

void irq_init(void)
{
	if (!gic_matches_board()) {
		log_err("board %s describes a GICv%u, but this machine's GIC is "
			"another generation: under QEMU use -M virt,gic-version=%u, "
			"or build for the board this is (make help lists them)",
			platform.name, platform.gic.version, platform.gic.version);
		system_off();
	}
	gic_init();
	vgic_init();
}

void irq_init_cpu(void)
{
	gic_cpu_init();
	gic_enable(SGI_KICK, true);
	/* Guests' timers (forwarded), the hypervisor's, the vGIC's
	 * maintenance interrupt: all level-sensitive PPIs. */
	const u32 ppis[] = { platform.timer.virt_intid, platform.timer.phys_intid,
			     platform.timer.hyp_intid, platform.gic.maintenance_intid };
	for (u32 i = 0; i < ARRAY_SIZE(ppis); i++) {
		gic_set_level(ppis[i], true);
		gic_enable(ppis[i], true);
	}
}

static void irq_dispatch(u32 token)
{
	u32 intid = GIC_INTID(token);

	if (intid == SGI_KICK) {
		/* Nothing to do: the scheduler looks again on the way out. */
	} else if (intid == platform.uart.intid) {
		/* One line for both directions: room to send, input to read. */
		console_tx_irq();
		console_input_irq();
	} else if (intid == platform.timer.hyp_intid) {
		sched_timer_irq();
	} else if (vgic_forward(token)) {
		return; /* the guest deactivates it */
	} else {
		log_warn("unexpected interrupt %u on CPU %u; disabled it", intid,
			 this_cpu_index());
		gic_enable(intid, false);
	}
	gic_eoi(token);
	gic_deactivate(token);
}

void irq_handle_all(void)
{
	for (;;) {
		u32 token = gic_ack();

		if (GIC_INTID(token) >= 1020)
			return;
		irq_dispatch(token);
	}
}
