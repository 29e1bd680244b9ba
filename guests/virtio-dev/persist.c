/*
 * The transport state that outlives a restart of the device partition
 * (docs/virtio.md, "Restarts"): each window's status, negotiated features
 * and queue setup, kept in a SHARED slot of the partition alone (bootargs
 * state= and state_size=), which a reset leaves as it is (hyp/vm/loader.c
 * clears only RAM slots). A new instance takes the devices up where the old
 * one left them, so the frontends' drivers go on without a new probe.
 *
 * What the slot holds is treated as a frontend's input: the old instance
 * may have died half way through a save, so each record carries a sum, and
 * every queue is set up again through vq_setup's checks against the
 * frontend's DMA window now. A record that fails any check fails its
 * device (NEEDS_RESET); it never widens what the device may touch.
 *
 * How far each queue was consumed is not saved: every request is popped
 * and pushed within one notification, so the used index the frontend
 * holds (the ring's idx, written by us) says where to go on. A request in
 * flight at the restart is taken again from the available ring.
 */
#include "virtio.h"

#define SAVED_MAGIC 0x31766e7274726976ULL /* "virtrnv1" */

struct saved_vq {
	u64 desc, driver, device;
	u32 num, ready;
};

struct saved_vdev {
	u64 magic;
	u64 ipa, dma_front, dma_size; /* which window it belongs to */
	u32 frontend, id;
	u32 status, pad;
	u64 driver_features;
	struct saved_vq vq[VQ_MAX];
	u64 sum;
};

#define SAVED_WORDS (sizeof(struct saved_vdev) / 8)

static volatile u64 *saved_base;
static u64 saved_slots;

void vdev_persist_init(u64 base, u64 size)
{
	u64 n = size / sizeof(struct saved_vdev);

	/* The last record's first word is the kept disk's mark. */
	saved_base = (volatile u64 *)(uintptr_t)base;
	saved_slots = base && n > 1 ? n - 1 : 0;
}

/* Whether the disk kept across restarts holds a copy of the image of this
 * size (blk.c): set once the copy is whole, so a restart during the copy
 * copies again. */
#define DISK_KEPT_MAGIC 0x74706b6b736964ULL

bool persist_disk_kept(u64 bytes)
{
	return saved_slots && saved_base[saved_slots * SAVED_WORDS] == (DISK_KEPT_MAGIC ^ bytes);
}

void persist_mark_disk_kept(u64 bytes)
{
	if (saved_slots)
		saved_base[saved_slots * SAVED_WORDS] = DISK_KEPT_MAGIC ^ bytes;
}

/* Not a defence against a forger (only we write the slot): a torn save. */
static u64 sum_of(const u64 *w)
{
	u64 s = 0x9e3779b97f4a7c15ULL;

	for (u32 i = 0; i < SAVED_WORDS - 1; i++)
		s = (s ^ w[i]) * 0x100000001b3ULL;
	return s;
}

static volatile u64 *record(const struct vdev *d)
{
	return d->k < saved_slots ? saved_base + d->k * SAVED_WORDS : NULL;
}

void vdev_save(const struct vdev *d)
{
	volatile u64 *p = record(d);
	union {
		struct saved_vdev s;
		u64 w[SAVED_WORDS];
	} r;

	if (!p)
		return;
	/* Field by field: the runtime has no memset for an initializer. */
	r.s.magic = SAVED_MAGIC;
	r.s.ipa = d->ipa;
	r.s.dma_front = d->dma_front;
	r.s.dma_size = d->dma_size;
	r.s.frontend = d->frontend;
	r.s.id = d->model->id;
	r.s.status = d->status;
	r.s.pad = 0;
	r.s.driver_features = d->driver_features;
	for (u32 i = 0; i < VQ_MAX; i++) {
		r.s.vq[i].desc = d->vq[i].desc_addr;
		r.s.vq[i].driver = d->vq[i].driver_addr;
		r.s.vq[i].device = d->vq[i].device_addr;
		r.s.vq[i].num = d->vq[i].num;
		r.s.vq[i].ready = d->vq[i].ready;
	}
	r.s.sum = sum_of(r.w);
	for (u32 i = 0; i < SAVED_WORDS; i++)
		p[i] = r.w[i];
}

/* Called once a window is set up and before any request is served. */
void vdev_resume(struct vdev *d)
{
	volatile u64 *p = record(d);
	u64 offered = VIRTIO_F_VERSION_1 | d->model->features;
	union {
		struct saved_vdev s;
		u64 w[SAVED_WORDS];
	} r;

	if (!p)
		return;
	for (u32 i = 0; i < SAVED_WORDS; i++)
		r.w[i] = p[i];
	if (r.s.magic != SAVED_MAGIC || !r.s.status)
		return; /* never saved, or reset by its driver: starts fresh */
	if (r.s.sum != sum_of(r.w) || r.s.ipa != d->ipa || r.s.frontend != d->frontend ||
	    r.s.dma_front != d->dma_front || r.s.dma_size != d->dma_size ||
	    r.s.id != d->model->id) {
		vdev_refuse(d, "saved state is torn or belongs to another window",
			    r.s.sum, r.s.ipa);
		return;
	}
	if ((r.s.status & VIRTIO_S_FEATURES_OK) &&
	    (!(r.s.driver_features & VIRTIO_F_VERSION_1) ||
	     (r.s.driver_features & ~offered))) {
		vdev_refuse(d, "saved features were never offered", r.s.driver_features,
			    offered);
		return;
	}
	d->status = r.s.status;
	d->driver_features = r.s.driver_features;
	for (u32 i = 0; i < VQ_MAX; i++) {
		struct vq *q = &d->vq[i];

		q->num = r.s.vq[i].num;
		q->desc_addr = r.s.vq[i].desc;
		q->driver_addr = r.s.vq[i].driver;
		q->device_addr = r.s.vq[i].device;
		if (!r.s.vq[i].ready)
			continue;
		if (i >= d->model->nr_queues) {
			vdev_refuse(d, "saved queue the device does not have", i, 0);
			return;
		}
		if (!vq_setup(d, q))
			return;
		/* Where the frontend saw us stop; a value it forged only makes
		 * vq_pop refuse or take its own descriptors again. */
		q->used_idx = q->last_avail = *(volatile u16 *)(q->used + 2);
	}
	vdev_save(d);
}

/* Once every window is resumed (a frame one sends may be for another):
 * serves what the frontends queued while we were away, and raises each
 * live device's interrupt, which our READY lowered, in case a completion
 * of the old instance had not been seen yet. */
void vdev_resume_queues(struct vdev *d)
{
	if (!d->model || !vdev_driver_ok(d))
		return;
	for (u32 i = 0; i < d->model->nr_queues; i++)
		if (d->vq[i].ready && !d->vq[i].broken)
			d->model->notify(d, i);
	vdev_interrupt(d, VIRTIO_INT_USED);
}
