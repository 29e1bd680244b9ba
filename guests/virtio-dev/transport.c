/*
 * The virtio-mmio version 2 transport (virtio 1.x section 4.2.2): the
 * registers a frontend's driver reads and writes through its forwarded
 * window, the status and feature handshake, the queues' setup and the
 * interrupt: InterruptStatus is a level on the window's SPI, raised when a
 * bit is set and lowered when the driver acknowledges the last one.
 */
#include "virtio.h"

volatile u8 *dma_ptr(const struct vdev *d, u64 addr, u64 len)
{
	/* Written so that no sum can wrap: addr and len are the frontend's. */
	if (!d->dma_size || addr < d->dma_front || len > d->dma_size ||
	    addr - d->dma_front > d->dma_size - len)
		return NULL;
	return (volatile u8 *)(uintptr_t)(d->dma_base + (addr - d->dma_front));
}

/* One line per device for the first few refusals, then silence: a hostile
 * frontend cannot flood the device partition's console. */
void vdev_refuse(struct vdev *d, const char *why, u64 a, u64 b)
{
	if (d->refused++ < 4)
		printf("virtio-dev: window %u (%s of vm %u): refused: %s (0x%lx, 0x%lx); "
		       "the device needs a reset\n", d->k, d->model->name, d->frontend,
		       why, a, b);
	d->status |= VIRTIO_S_NEEDS_RESET;
	vdev_save(d); /* failed for the next instance too */
}

bool vdev_driver_ok(const struct vdev *d)
{
	return (d->status & VIRTIO_S_DRIVER_OK) && !(d->status & VIRTIO_S_NEEDS_RESET);
}

static void set_level(struct vdev *d, bool high)
{
	if (d->has_irq)
		hvc(HC_FWD_IRQ, d->k, high, 0);
}

void vdev_interrupt(struct vdev *d, u32 bits)
{
	u32 was = d->isr;

	d->isr |= bits;
	if (!was && d->isr)
		set_level(d, true);
}

void vdev_reset(struct vdev *d)
{
	for (u32 i = 0; i < VQ_MAX; i++)
		d->vq[i] = (struct vq){ 0 };
	d->status = 0;
	d->dev_features_sel = d->drv_features_sel = 0;
	d->driver_features = 0;
	d->queue_sel = 0;
	if (d->isr)
		set_level(d, false);
	d->isr = 0;
	if (d->model->reset)
		d->model->reset(d);
}

static u64 offered(const struct vdev *d)
{
	return VIRTIO_F_VERSION_1 | d->model->features;
}

static struct vq *selected(struct vdev *d)
{
	return d->queue_sel < d->model->nr_queues ? &d->vq[d->queue_sel] : NULL;
}

/* QueueReady = 1: the three parts must lie in the frontend's DMA window,
 * aligned as the spec requires (our loads would fault otherwise: the device
 * partition runs with its MMU off, where memory is Device memory). */
bool vq_setup(struct vdev *d, struct vq *q)
{
	u32 n = q->num;

	if (!n || n > VQ_NUM_MAX || (n & (n - 1))) {
		vdev_refuse(d, "queue size is not a power of 2 up to 128", n, 0);
		return false;
	}
	if ((q->desc_addr & 15) || (q->driver_addr & 1) || (q->device_addr & 3)) {
		vdev_refuse(d, "misaligned queue", q->desc_addr, q->device_addr);
		return false;
	}
	q->desc = dma_ptr(d, q->desc_addr, 16ULL * n);
	q->avail = dma_ptr(d, q->driver_addr, 6 + 2ULL * n);
	q->used = dma_ptr(d, q->device_addr, 6 + 8ULL * n);
	if (!q->desc || !q->avail || !q->used) {
		vdev_refuse(d, "queue outside the frontend's memory", q->desc_addr,
			    q->driver_addr);
		return false;
	}
	q->last_avail = q->used_idx = 0;
	q->broken = false;
	q->ready = true;
	return true;
}

static u32 config_read(const struct vdev *d, u64 off, u32 size)
{
	u8 b[8] = { 0 };

	for (u32 i = 0; i < size; i++)
		if (off + i < d->config_len)
			b[i] = d->config[off + i];
	return get_le(b, size);
}

u64 vdev_read(struct vdev *d, u64 off, u32 size)
{
	struct vq *q = selected(d);

	if (off >= VIRTIO_MMIO_CONFIG)
		return config_read(d, off - VIRTIO_MMIO_CONFIG, size);
	if (size != 4)
		return 0; /* registers are 32 bits wide */
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return 2;
	case VIRTIO_MMIO_DEVICE_ID:
		return d->model->id;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return d->dev_features_sel < 2 ? (u32)(offered(d) >> (32 * d->dev_features_sel)) : 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return q ? VQ_NUM_MAX : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return q && q->ready;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return d->isr;
	case VIRTIO_MMIO_STATUS:
		return d->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return 0; /* our config never changes */
	default:
		return 0;
	}
}

static void set_half(u64 *v, bool high, u64 val)
{
	*v = high ? (*v & 0xffffffffULL) | (u64)(u32)val << 32
		  : (*v & ~0xffffffffULL) | (u32)val;
}

static void status_write(struct vdev *d, u32 val)
{
	if (!val) {
		vdev_reset(d);
		return;
	}
	/* FEATURES_OK sticks only for features we offered, VERSION_1 among
	 * them: the driver reads it back and gives up otherwise. */
	if ((val & VIRTIO_S_FEATURES_OK) && !(d->status & VIRTIO_S_FEATURES_OK) &&
	    (!(d->driver_features & VIRTIO_F_VERSION_1) ||
	     (d->driver_features & ~offered(d))))
		val &= ~VIRTIO_S_FEATURES_OK;
	d->status = val | (d->status & VIRTIO_S_NEEDS_RESET);
}

static void transport_write(struct vdev *d, u64 off, u32 size, u64 val)
{
	struct vq *q = selected(d);

	if (off >= VIRTIO_MMIO_CONFIG || size != 4)
		return; /* no writable config; registers are 32 bits wide */
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		d->dev_features_sel = val;
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		d->drv_features_sel = val;
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (d->drv_features_sel < 2 && !(d->status & VIRTIO_S_FEATURES_OK))
			set_half(&d->driver_features, d->drv_features_sel, val);
		return;
	case VIRTIO_MMIO_QUEUE_SEL:
		d->queue_sel = val;
		return;
	case VIRTIO_MMIO_STATUS:
		status_write(d, val);
		return;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		if (d->isr && !(d->isr &= ~(u32)val))
			set_level(d, false);
		return;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		if (val < d->model->nr_queues && d->vq[val].ready && !d->vq[val].broken &&
		    vdev_driver_ok(d))
			d->model->notify(d, val);
		return;
	}
	if (!q)
		return;
	/* A queue's setup may change only while it is not ready. */
	if (off == VIRTIO_MMIO_QUEUE_READY) {
		if (val && !q->ready)
			vq_setup(d, q);
		else if (!val)
			q->ready = false;
		return;
	}
	if (q->ready)
		return;
	switch (off) {
	case VIRTIO_MMIO_QUEUE_NUM:
		q->num = val;
		return;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		set_half(&q->desc_addr, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, val);
		return;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
		set_half(&q->driver_addr, off == VIRTIO_MMIO_QUEUE_DRIVER_HIGH, val);
		return;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		set_half(&q->device_addr, off == VIRTIO_MMIO_QUEUE_DEVICE_HIGH, val);
		return;
	}
}

/* Every write but the two the data path makes (notifications and
 * acknowledgements) may change the transport's setup: saved for the next
 * instance (persist.c). The setup is written a few dozen times a probe. */
void vdev_write(struct vdev *d, u64 off, u32 size, u64 val)
{
	transport_write(d, off, size, val);
	if (off != VIRTIO_MMIO_QUEUE_NOTIFY && off != VIRTIO_MMIO_INTERRUPT_ACK)
		vdev_save(d);
}
