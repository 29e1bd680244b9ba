/*
 * virtio-net (virtio 1.x section 5.1): a switch between the partition's
 * network devices. A frame one frontend transmits goes to the receive
 * queue of each other device whose MAC address it names, or of every other
 * device for a broadcast or multicast; it is dropped when a receiver has
 * no buffer posted. Each device's MAC is 52:54:00:00:00:<window + 1>.
 */
#include "virtio.h"

#define NET_F_MAC (1ULL << 5)
#define NET_HDR 12 /* struct virtio_net_hdr_mrg_rxbuf: VERSION_1's header */
#define NET_FRAME_MAX 1518 /* no offloads offered: frames are at most this */
#define RXQ 0
#define TXQ 1

static void net_init(struct vdev *d)
{
	static const u8 oui[3] = { 0x52, 0x54, 0x00 };

	for (u32 i = 0; i < 3; i++)
		d->config[i] = oui[i];
	d->config[3] = d->config[4] = 0;
	d->config[5] = d->k + 1;
	d->config_len = 6;
	printf("virtio-dev: window %u: virtio-net, MAC 52:54:00:00:00:%02x\n", d->k, d->k + 1);
}

static bool wants(const struct vdev *to, const u8 *frame)
{
	if (frame[0] & 1)
		return true; /* broadcast or multicast */
	for (u32 i = 0; i < 6; i++)
		if (frame[i] != to->config[i])
			return false;
	return true;
}

static void deliver(struct vdev *to, const u8 *pkt, u32 len)
{
	struct vq *q = &to->vq[RXQ];
	struct chain c;

	if (!vdev_driver_ok(to) || vq_pop(to, q, &c) <= 0)
		return; /* no buffer posted: dropped, as a full port would */
	if (c.in_len < len) {
		vq_push(to, q, c.head, 0);
		return;
	}
	vq_push(to, q, c.head, chain_write(&c, 0, pkt, len));
}

static void net_transmit(struct vdev *d)
{
	struct vq *q = &d->vq[TXQ];
	struct chain c;
	/* The header as the receiver gets it: no offloads, num_buffers 1. */
	static u8 pkt[NET_HDR + NET_FRAME_MAX];

	for (u32 n = 0; n < q->num && vq_pop(d, q, &c) > 0; n++) { /* as blk_notify */
		u64 len = c.out_len;

		if (len > NET_HDR + 14 && len <= sizeof(pkt)) {
			chain_read(&c, 0, pkt, len);
			for (u32 i = 0; i < NET_HDR; i++)
				pkt[i] = 0;
			pkt[10] = 1;
			for (u32 k = 0; k < nr_vdevs; k++)
				if (&vdevs[k] != d && vdevs[k].model == &virtio_net_model &&
				    wants(&vdevs[k], pkt + NET_HDR))
					deliver(&vdevs[k], pkt, len);
		}
		vq_push(d, q, c.head, 0);
	}
}

static void net_notify(struct vdev *d, u32 queue)
{
	/* A posted receive buffer waits for the next frame. */
	if (queue == TXQ)
		net_transmit(d);
}

const struct vdev_model virtio_net_model = {
	.name = "virtio-net",
	.id = VIRTIO_ID_NET,
	.nr_queues = 2,
	.features = NET_F_MAC,
	.init = net_init,
	.notify = net_notify,
};
