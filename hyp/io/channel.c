/*
 * Channels: two VMs that share a SHARED slot each and ring each other's
 * doorbell (see io.h, docs/forwarding.md).
 *
 * A doorbell latches the peer's SPI pending, as a write to GICD_ISPENDR
 * would (so it works whether the peer configured it edge or level), and
 * leaves that end "rung" until the peer acknowledges it (HC_DOORBELL_ACK).
 * Doorbells to a rung end change nothing: however fast a VM rings, its
 * peer has one doorbell interrupt pending per channel and is interrupted
 * (or kicked out of its guest) once per acknowledgement, at the pace it
 * chooses. Without the acknowledgement a doorbell found pending would still
 * have to kick the peer's CPU, since only an exit tells whether the guest
 * has taken the copy in its list registers.
 *
 * On a board (QEMU models no caches): the guests' messages in the shared
 * memory are theirs to order before the doorbell and after the
 * acknowledgement (docs/forwarding.md); the rung flags here are changed by
 * acquire/release exchanges, and the pending bit under the vGIC's lock.
 */
#include "io_internal.h"
#include "hypercall.h"
#include "vgic.h"
#include "vm.h"

/* rung[k][e]: end e of channel k has a doorbell it has not acknowledged. */
static bool rung[MAX_CHANNELS][2];

/* The caller's end of channel k (0 or 1), or -1. */
static int caller_end(const struct vcpu *v, u64 k)
{
	if (k >= config.nr_channels || k >= MAX_CHANNELS || !config.channels)
		return -1;
	for (int e = 0; e < 2; e++)
		if (io_vm_index(config.channels[k].end[e].vm) ==
		    (int)v->vm->index)
			return e;
	return -1;
}

s64 channel_doorbell(struct vcpu *v, u64 k)
{
	int e = caller_end(v, k);

	if (e < 0)
		return SMCCC_INVALID_PARAMETER;
	const struct channel_end *to = &config.channels[k].end[1 - e];
	int p = io_vm_index(to->vm);

	if (p < 0)
		return SMCCC_INVALID_PARAMETER;
	struct vm *peer = &vms[p];

	if (__atomic_exchange_n(&rung[k][1 - e], true, __ATOMIC_ACQ_REL))
		return HC_DOORBELL_COALESCED;
	/* Through the vGIC's interface, under its lock. */
	spin_lock(&peer->vgic.lock);
	struct virq *irq = vgic_irq(&peer->vcpus[0], to->irq);
	struct vcpu *t = irq ? vgic_target(peer, to->irq, irq) : NULL;

	if (irq) /* the checker keeps it an SPI the vGIC has */
		irq->pending = true;
	if (t)
		vgic_update(peer, t, to->irq);
	spin_unlock(&peer->vgic.lock);
	return 0;
}

s64 channel_ack(struct vcpu *v, u64 k)
{
	int e = caller_end(v, k);

	if (e < 0)
		return SMCCC_INVALID_PARAMETER;
	__atomic_store_n(&rung[k][e], false, __ATOMIC_RELEASE);
	return 0;
}

void channel_vm_down(struct vm *vm)
{
	for (u32 k = 0; k < config.nr_channels && k < MAX_CHANNELS; k++)
		for (int e = 0; e < 2; e++)
			if (io_vm_index(config.channels[k].end[e].vm) ==
			    (int)vm->index)
				__atomic_store_n(&rung[k][e], false,
						 __ATOMIC_RELEASE);
}
