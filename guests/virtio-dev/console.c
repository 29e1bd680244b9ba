/*
 * virtio-console (virtio 1.x section 5.3), one port, no features: what the
 * frontend writes comes back on its receive queue (an echo, so a line
 * written to /dev/hvc0 can be read back), and each line is also printed on
 * the device partition's own console, its bytes outside printable ASCII
 * shown as '.'. Bytes that find no receive buffer posted are dropped.
 */
#include "virtio.h"

#define RXQ 0
#define TXQ 1
#define LINE_MAX 120

struct console_state {
	char line[LINE_MAX + 1];
	u32 len;
};

static struct console_state consoles[VDEV_MAX];

static void console_init(struct vdev *d)
{
	d->priv = &consoles[d->k];
	d->config_len = 12; /* cols, rows, max_nr_ports, emerg_wr: all 0 */
	printf("virtio-dev: window %u: virtio-console, echoing\n", d->k);
}

static void console_reset(struct vdev *d)
{
	((struct console_state *)d->priv)->len = 0;
}

static void show(struct vdev *d, const u8 *buf, u64 n)
{
	struct console_state *s = d->priv;

	for (u64 i = 0; i < n; i++) {
		char ch = buf[i];

		if (ch == '\n' || s->len == LINE_MAX) {
			s->line[s->len] = 0;
			printf("virtio-dev: console of vm %u: %s\n", d->frontend, s->line);
			s->len = 0;
		}
		if (ch != '\n')
			s->line[s->len++] = ch >= 0x20 && ch < 0x7f ? ch : '.';
	}
}

static void console_notify(struct vdev *d, u32 queue)
{
	struct vq *tx = &d->vq[TXQ], *rx = &d->vq[RXQ];
	struct chain c, r;
	u8 buf[256];

	if (queue != TXQ)
		return;
	for (u32 i = 0; i < tx->num && vq_pop(d, tx, &c) > 0; i++) { /* as blk_notify */
		for (u64 off = 0; off < c.out_len;) {
			u64 n = chain_read(&c, off, buf, MIN(sizeof(buf), c.out_len - off));

			if (!n)
				break;
			show(d, buf, n);
			/* One receive buffer per piece: at most 256 bytes each. */
			if (vq_pop(d, rx, &r) > 0)
				vq_push(d, rx, r.head, chain_write(&r, 0, buf, MIN(n, r.in_len)));
			off += n;
		}
		vq_push(d, tx, c.head, 0);
	}
}

const struct vdev_model virtio_console_model = {
	.name = "virtio-console",
	.id = VIRTIO_ID_CONSOLE,
	.nr_queues = 2,
	.init = console_init,
	.reset = console_reset,
	.notify = console_notify,
};
