/*
 * The device partition's virtio-mmio devices (docs/virtio.md): one device
 * per forwarded window, each a virtio-mmio version 2 transport (virtio 1.x,
 * section 4.2.2) in front of a device model (blk.c, net.c, console.c).
 * Every address a frontend gives is checked against that frontend's own
 * DMA window before it is touched (dma_ptr), so a frontend reaches only its
 * own memory through its devices.
 */
#ifndef VIRTIO_DEV_H
#define VIRTIO_DEV_H

#include "guest.h"
#include "types.h"

/* Transport registers (offsets in the window). */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100
#define VIRTIO_MMIO_WINDOW_MIN 0x200 /* what Linux's virtio_mmio maps */

#define VIRTIO_MAGIC 0x74726976 /* "virt" */
#define VIRTIO_VENDOR 0x00707968 /* "hyp" */

/* Device status bits. */
#define VIRTIO_S_ACKNOWLEDGE 1
#define VIRTIO_S_DRIVER 2
#define VIRTIO_S_DRIVER_OK 4
#define VIRTIO_S_FEATURES_OK 8
#define VIRTIO_S_NEEDS_RESET 0x40
#define VIRTIO_S_FAILED 0x80

#define VIRTIO_F_VERSION_1 (1ULL << 32)

#define VIRTIO_INT_USED 1

/* Device types (virtio 1.x section 5): what a window's win<k>= says. */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3

#define VDEV_MAX 16      /* windows the partition serves */
#define VQ_MAX 2         /* queues per device: rx/tx, or the one blk queue */
#define VQ_NUM_MAX 128   /* entries per queue we offer */
#define CHAIN_MAX_SEGS 32 /* descriptors per request we accept */

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1

/* A split virtqueue: the frontend's addresses as written, and once ready
 * our pointers to its three parts, checked to lie in its DMA window. */
struct vq {
	u32 num;
	bool ready, broken;
	u64 desc_addr, driver_addr, device_addr;
	volatile u8 *desc, *avail, *used;
	u16 last_avail; /* next avail entry we take */
	u16 used_idx;   /* next used entry we fill */
};

/* One request: its descriptor chain as our pointers. The readable
 * segments come first in a well-formed chain, then the writable ones. */
struct chain {
	u16 head;
	u32 nr;
	u64 out_len, in_len; /* bytes readable, bytes writable */
	struct {
		volatile u8 *p;
		u32 len;
		bool write;
	} seg[CHAIN_MAX_SEGS];
};

struct vdev;

struct vdev_model {
	const char *name;
	u32 id;
	u32 nr_queues;
	u64 features; /* besides VIRTIO_F_VERSION_1 */
	void (*init)(struct vdev *d);  /* once: fills d->config */
	void (*reset)(struct vdev *d); /* the driver wrote Status 0 */
	void (*notify)(struct vdev *d, u32 queue);
};

struct vdev {
	u32 k;        /* the window */
	u32 frontend; /* its VM index */
	u64 ipa, size;
	bool has_irq;
	/* The frontend's memory we may touch: frontend IPA [dma_front,
	 * dma_front + dma_size) is at our dma_base. */
	u64 dma_base, dma_front, dma_size;
	const struct vdev_model *model;

	u32 status, isr;
	u32 dev_features_sel, drv_features_sel;
	u64 driver_features;
	u32 queue_sel;
	struct vq vq[VQ_MAX];
	u8 config[32];
	u32 config_len;
	void *priv; /* the model's state */
	u32 refused; /* requests refused (bad addresses, chains) */
};

extern const struct vdev_model virtio_blk_model, virtio_net_model, virtio_console_model;

/* transport.c */
u64 vdev_read(struct vdev *d, u64 off, u32 size);
void vdev_write(struct vdev *d, u64 off, u32 size, u64 val);
void vdev_reset(struct vdev *d);
void vdev_interrupt(struct vdev *d, u32 bits);
bool vdev_driver_ok(const struct vdev *d);
volatile u8 *dma_ptr(const struct vdev *d, u64 addr, u64 len);
void vdev_refuse(struct vdev *d, const char *why, u64 a, u64 b);
bool vq_setup(struct vdev *d, struct vq *q);

/* persist.c: the transport's setup, kept across restarts. */
void vdev_persist_init(u64 base, u64 size);
void vdev_save(const struct vdev *d);
void vdev_resume(struct vdev *d);
void vdev_resume_queues(struct vdev *d);
bool persist_disk_kept(u64 bytes);
void persist_mark_disk_kept(u64 bytes);

/* queue.c: 1 with a request in c, 0 with none, -1 when the queue is (or
 * just became) broken. */
int vq_pop(struct vdev *d, struct vq *q, struct chain *c);
void vq_push(struct vdev *d, struct vq *q, u16 head, u32 written);
u64 chain_read(const struct chain *c, u64 off, void *buf, u64 len);
u64 chain_write(const struct chain *c, u64 off, const void *buf, u64 len);
void copy_bytes(volatile u8 *dst, const volatile u8 *src, u64 len);

/* Little-endian stores into a config array. */
static inline void put_le(u8 *p, u64 v, u32 bytes)
{
	for (u32 i = 0; i < bytes; i++)
		p[i] = v >> (8 * i);
}

static inline u64 get_le(const u8 *p, u32 bytes)
{
	u64 v = 0;

	for (u32 i = 0; i < bytes; i++)
		v |= (u64)p[i] << (8 * i);
	return v;
}

/* operator.c */
void operator_start(void);
void operator_poll(void);

/* main.c: stops serving until the next restart (the operator's "h"). */
void serve_hold(void);

/* main.c: the devices, by window. */
extern struct vdev vdevs[];
extern u32 nr_vdevs;

#endif
