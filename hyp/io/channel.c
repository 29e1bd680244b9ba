/*
 * Channels: two VMs that share a SHARED slot each and ring each other's
 * doorbell (see io.h, docs/forwarding.md). A doorbell latches the peer's
 * SPI pending, as a write to GICD_ISPENDR would (so it works whether the
 * peer configured it edge or level); one still pending absorbs the next,
 * so however fast a VM rings, its peer has at most one doorbell interrupt
 * pending per channel and is interrupted no more often than it takes them.
 */
#include "io_internal.h"
#include "hypercall.h"
#include "vgic.h"
#include "vm.h"

s64 channel_doorbell(struct vcpu *v, u64 k)
{
	const struct channel *ch;
	struct vm *peer;
	struct virq *irq;
	bool pending;
	u32 e;

	if (k >= config.nr_channels || k >= MAX_CHANNELS || !config.channels)
		return SMCCC_INVALID_PARAMETER;
	ch = &config.channels[k];
	for (e = 0; e < 2; e++)
		if (io_vm_index(ch->end[e].vm) == (int)v->vm->index)
			break;
	if (e == 2)
		return SMCCC_INVALID_PARAMETER; /* not an end of it */
	int p = io_vm_index(ch->end[1 - e].vm);

	if (p < 0 || !vms[p].usable)
		return SMCCC_INVALID_PARAMETER;
	peer = &vms[p];
	u32 intid = ch->end[1 - e].irq;

	/* Through the vGIC's interface, under its lock. */
	spin_lock(&peer->vgic.lock);
	irq = vgic_irq(&peer->vcpus[0], intid);
	pending = irq->pending;
	if (!pending) {
		struct vcpu *t = vgic_target(peer, intid, irq);

		irq->pending = true;
		if (t)
			vgic_update(peer, t, intid);
	}
	spin_unlock(&peer->vgic.lock);
	return pending ? HC_DOORBELL_COALESCED : 0;
}
