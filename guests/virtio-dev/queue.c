/*
 * Split virtqueues (virtio 1.x section 2.7): taking a request's descriptor
 * chain from the available ring, and returning it on the used ring.
 * Everything read from the frontend's memory is read once into our own
 * variables before it is checked and used, so the frontend cannot change a
 * value between our check and our use of it.
 */
#include "virtio.h"

/* The device partition runs with its MMU off: memory is Device memory, so
 * wide accesses must be aligned. Whole double words when both ends allow. */
void copy_bytes(volatile u8 *dst, const volatile u8 *src, u64 len)
{
	if (!(((uintptr_t)dst | (uintptr_t)src) & 7)) {
		for (; len >= 8; len -= 8, dst += 8, src += 8)
			*(volatile u64 *)dst = *(const volatile u64 *)src;
	}
	while (len--)
		*dst++ = *src++;
}

static u16 rd16(volatile u8 *p)
{
	return *(volatile u16 *)p;
}

int vq_pop(struct vdev *d, struct vq *q, struct chain *c)
{
	u16 avail_idx, head, i;

	if (!q->ready || q->broken)
		return -1;
	avail_idx = rd16(q->avail + 2);
	if (avail_idx == q->last_avail)
		return 0;
	if ((u16)(avail_idx - q->last_avail) > q->num) {
		vdev_refuse(d, "available index ran ahead of the queue", avail_idx,
			    q->last_avail);
		q->broken = true;
		return -1;
	}
	/* The ring entry after the index that published it (a board needs the
	 * barrier; QEMU does not reorder). */
	dmb(sy);
	head = rd16(q->avail + 4 + 2 * (q->last_avail % q->num));
	q->last_avail++;

	c->head = head;
	c->nr = c->out_len = c->in_len = 0;
	for (i = head;;) {
		volatile u8 *desc = q->desc + 16 * (u64)i;
		u64 addr;
		u32 len;
		u16 flags, next;

		if (i >= q->num || c->nr >= CHAIN_MAX_SEGS || c->nr >= q->num) {
			vdev_refuse(d, "descriptor chain too long or index out of range",
				    i, c->nr);
			goto bad;
		}
		addr = *(volatile u64 *)desc;
		len = *(volatile u32 *)(desc + 8);
		flags = rd16(desc + 12);
		next = rd16(desc + 14);
		if (flags & VRING_DESC_F_INDIRECT) {
			vdev_refuse(d, "indirect descriptor (not offered)", addr, len);
			goto bad;
		}
		c->seg[c->nr].p = dma_ptr(d, addr, len);
		if (!c->seg[c->nr].p) {
			vdev_refuse(d, "buffer outside the frontend's memory", addr, len);
			goto bad;
		}
		c->seg[c->nr].len = len;
		c->seg[c->nr].write = flags & VRING_DESC_F_WRITE;
		if (flags & VRING_DESC_F_WRITE)
			c->in_len += len;
		else
			c->out_len += len;
		c->nr++;
		if (!(flags & VRING_DESC_F_NEXT))
			return 1;
		i = next;
	}
bad:
	/* Nothing of the request is touched; the queue stops until reset. */
	q->broken = true;
	return -1;
}

void vq_push(struct vdev *d, struct vq *q, u16 head, u32 written)
{
	volatile u8 *e = q->used + 4 + 8 * (u64)(q->used_idx % q->num);

	*(volatile u32 *)e = head;
	*(volatile u32 *)(e + 4) = written;
	/* The entry before the index that publishes it. */
	dmb(sy);
	*(volatile u16 *)(q->used + 2) = ++q->used_idx;
	dmb(sy);
	if (!(rd16(q->avail) & VRING_AVAIL_F_NO_INTERRUPT))
		vdev_interrupt(d, VIRTIO_INT_USED);
}

/* Copies len bytes at offset off of the chain's readable (or writable)
 * bytes; returns how many there were. */
static u64 chain_copy(const struct chain *c, u64 off, u8 *buf, u64 len, bool write)
{
	u64 done = 0;

	for (u32 s = 0; s < c->nr && done < len; s++) {
		u64 n;

		if (c->seg[s].write != write)
			continue;
		if (off >= c->seg[s].len) {
			off -= c->seg[s].len;
			continue;
		}
		n = MIN(c->seg[s].len - off, len - done);
		if (write)
			copy_bytes(c->seg[s].p + off, buf + done, n);
		else
			copy_bytes(buf + done, c->seg[s].p + off, n);
		done += n;
		off = 0;
	}
	return done;
}

u64 chain_read(const struct chain *c, u64 off, void *buf, u64 len)
{
	return chain_copy(c, off, buf, len, false);
}

u64 chain_write(const struct chain *c, u64 off, const void *buf, u64 len)
{
	return chain_copy(c, off, (u8 *)buf, len, true);
}
