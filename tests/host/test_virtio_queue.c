/* The virtio device partition's checks of what a frontend gives it
 * (guests/virtio-dev/transport.c and queue.c, docs/virtio.md): every
 * address it follows lies in the frontend's DMA window, whatever the
 * frontend writes into its registers and rings. The frontend's memory is
 * a host array here. */
/* The guest runtime's console functions have stdio's names with other
 * types: renamed here, and guest_printf below stands in for printf. */
#include "types.h"
#undef __printf
#define __printf(a, b)
#define printf guest_printf
#define putc guest_putc
#define puts guest_puts
#include "../../guests/virtio-dev/transport.c"
#include "../../guests/virtio-dev/queue.c"
#include "../../guests/virtio-dev/persist.c"
#undef printf
#undef putc
#undef puts
#include "unit.h"

/* The device partition's console lines (refusals): not wanted here. */
void guest_printf(const char *fmt, ...)
{
}

#include <stdlib.h>

#define FRONT 0x40000000ULL /* the frontend's address of mem[0] */
#define NUM 8

static u8 mem[0x4000] __attribute__((aligned(16)));
static u32 notified;

/* What guest.h's users call, for the transport (the window's interrupt). */
s64 hvc(u64 fid, u64 a1, u64 a2, u64 a3)
{
	return 0;
}

u64 bootarg(const char *name, u64 def)
{
	return def;
}

static void count_notify(struct vdev *d, u32 q)
{
	notified++;
}

static const struct vdev_model test_model = {
	.name = "test", .id = 2, .nr_queues = 1, .notify = count_notify,
};

static void setup(struct vdev *d, u64 desc, u64 avail, u64 used)
{
	memset(mem, 0, sizeof(mem));
	*d = (struct vdev){ .model = &test_model, .dma_base = (u64)(uintptr_t)mem,
			    .dma_front = FRONT, .dma_size = sizeof(mem) };
	vdev_write(d, VIRTIO_MMIO_QUEUE_SEL, 4, 0);
	vdev_write(d, VIRTIO_MMIO_QUEUE_NUM, 4, NUM);
	vdev_write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, 4, (u32)desc);
	vdev_write(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, 4, desc >> 32);
	vdev_write(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, 4, (u32)avail);
	vdev_write(d, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 4, avail >> 32);
	vdev_write(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, 4, (u32)used);
	vdev_write(d, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 4, used >> 32);
	vdev_write(d, VIRTIO_MMIO_QUEUE_READY, 4, 1);
}

/* The usual layout: descriptors at 0, available ring at 0x100, used at 0x200. */
static void setup_ok(struct vdev *d)
{
	setup(d, FRONT, FRONT + 0x100, FRONT + 0x200);
}

static void put_desc(u32 i, u64 addr, u32 len, u16 flags, u16 next)
{
	u8 *p = mem + 16 * i;

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

static void offer(u16 idx, u16 head)
{
	memcpy(mem + 0x100 + 4 + 2 * ((idx - 1) % NUM), &head, 2);
	memcpy(mem + 0x100 + 2, &idx, 2);
}

static bool inside(volatile u8 *p, u32 len)
{
	return p >= mem && (u64)(p - mem) + len <= sizeof(mem);
}

TEST(virtio_dma_window_bounds)
{
	struct vdev d = { .dma_base = 0x80000000, .dma_front = 0x1000, .dma_size = 0x1000 };

	CHECK(dma_ptr(&d, 0x1000, 0x1000) == (volatile u8 *)0x80000000);
	CHECK(dma_ptr(&d, 0x1fff, 1) == (volatile u8 *)0x80000fff);
	CHECK(!dma_ptr(&d, 0x1000, 0x1001));
	CHECK(!dma_ptr(&d, 0x2000, 1));
	CHECK(!dma_ptr(&d, 0xfff, 1));
	CHECK(!dma_ptr(&d, ~0ULL - 10, 100)); /* wraps */
	CHECK(!dma_ptr(&d, 0x1800, ~0ULL));
	CHECK(!dma_ptr(&d, 0x1800, 0xffffffffULL));
	d.dma_size = 0;
	CHECK(!dma_ptr(&d, 0x1000, 1));
}

TEST(virtio_queue_setup_refuses_bad_rings)
{
	struct vdev d;

	setup_ok(&d);
	CHECK(d.vq[0].ready);
	setup(&d, FRONT + 8, FRONT + 0x100, FRONT + 0x200); /* misaligned */
	CHECK(!d.vq[0].ready && (d.status & VIRTIO_S_NEEDS_RESET));
	setup(&d, FRONT + sizeof(mem) - 16, FRONT + 0x100, FRONT + 0x200); /* runs out */
	CHECK(!d.vq[0].ready);
	setup(&d, FRONT - 0x1000, FRONT + 0x100, FRONT + 0x200); /* before */
	CHECK(!d.vq[0].ready);
	setup(&d, FRONT, ~0ULL - 1, FRONT + 0x200); /* wraps */
	CHECK(!d.vq[0].ready);
	/* A size that is no power of 2, or too large. */
	setup_ok(&d);
	vdev_write(&d, VIRTIO_MMIO_QUEUE_READY, 4, 0);
	vdev_write(&d, VIRTIO_MMIO_QUEUE_NUM, 4, 6);
	vdev_write(&d, VIRTIO_MMIO_QUEUE_READY, 4, 1);
	CHECK(!d.vq[0].ready);
	vdev_write(&d, VIRTIO_MMIO_QUEUE_NUM, 4, 256);
	vdev_write(&d, VIRTIO_MMIO_QUEUE_READY, 4, 1);
	CHECK(!d.vq[0].ready);
	/* Addresses cannot change under a ready queue. */
	setup_ok(&d);
	vdev_write(&d, VIRTIO_MMIO_QUEUE_DESC_HIGH, 4, 0x1234);
	CHECK(d.vq[0].desc_addr == FRONT);
}

TEST(virtio_chain_good_and_forged)
{
	struct vdev d;
	struct chain c;

	setup_ok(&d);
	put_desc(0, FRONT + 0x1000, 16, VRING_DESC_F_NEXT, 1);
	put_desc(1, FRONT + 0x2000, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	put_desc(2, FRONT + 0x3000, 1, VRING_DESC_F_WRITE, 0);
	offer(1, 0);
	CHECK(vq_pop(&d, &d.vq[0], &c) == 1);
	CHECK(c.nr == 3 && c.out_len == 16 && c.in_len == 513);
	CHECK(c.seg[1].p == mem + 0x2000 && c.seg[1].write);
	CHECK(vq_pop(&d, &d.vq[0], &c) == 0);

	/* A buffer one byte past the window. */
	setup_ok(&d);
	put_desc(0, FRONT + sizeof(mem) - 511, 512, 0, 0);
	offer(1, 0);
	CHECK(vq_pop(&d, &d.vq[0], &c) == -1 && (d.status & VIRTIO_S_NEEDS_RESET));
	CHECK(vq_pop(&d, &d.vq[0], &c) == -1); /* stopped until reset */

	/* A loop of descriptors. */
	setup_ok(&d);
	put_desc(0, FRONT + 0x1000, 16, VRING_DESC_F_NEXT, 1);
	put_desc(1, FRONT + 0x1000, 16, VRING_DESC_F_NEXT, 0);
	offer(1, 0);
	CHECK(vq_pop(&d, &d.vq[0], &c) == -1);

	/* A head, or a next, beyond the queue; an indirect table. */
	setup_ok(&d);
	offer(1, NUM);
	CHECK(vq_pop(&d, &d.vq[0], &c) == -1);
	setup_ok(&d);
	put_desc(0, FRONT + 0x1000, 16, VRING_DESC_F_NEXT, NUM + 3);
	offer(1, 0);
	CHECK(vq_pop(&d, &d.vq[0], &c) == -1);
	setup_ok(&d);
	put_desc(0, FRONT + 0x1000, 16, VRING_DESC_F_INDIRECT, 0);
	offer(1, 0);
	CHECK(vq_pop(&d, &d.vq[0], &c) == -1);

	/* An available index more than a queue ahead. */
	setup_ok(&d);
	offer(NUM + 1, 0);
	CHECK(vq_pop(&d, &d.vq[0], &c) == -1);

	/* A reset brings the device back. */
	vdev_write(&d, VIRTIO_MMIO_STATUS, 4, 0);
	CHECK(d.status == 0 && !d.vq[0].ready && !d.vq[0].broken);
}

/* Random rings: whatever vq_pop returns lies inside the frontend's memory. */
TEST(virtio_random_rings_stay_inside)
{
	struct vdev d;
	struct chain c;
	u64 popped = 0;

	srand(13);
	for (u32 round = 0; round < 20000; round++) {
		setup_ok(&d);
		for (u32 i = 0; i < NUM; i++) {
			u64 addr = rand() & 1 ? FRONT + (rand() % (sizeof(mem) + 64)) :
				   ((u64)rand() << 33) ^ (u64)rand();
			u32 len = rand() & 1 ? (u32)rand() % 0x2000 : (u32)rand() << 1;

			put_desc(i, addr, len, rand() & 7, rand() % (NUM + 2));
		}
		offer(1 + rand() % (NUM + 2), rand() % (NUM + 1));
		for (int r; (r = vq_pop(&d, &d.vq[0], &c)) == 1;) {
			popped++;
			for (u32 s = 0; s < c.nr; s++)
				CHECK(inside(c.seg[s].p, c.seg[s].len));
		}
	}
	CHECK(popped > 100); /* some random chains were valid ones */
}

TEST(virtio_features_need_version_1)
{
	struct vdev d = { .model = &test_model };

	vdev_write(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 4, 0);
	vdev_write(&d, VIRTIO_MMIO_DRIVER_FEATURES, 4, 0);
	vdev_write(&d, VIRTIO_MMIO_STATUS, 4, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER |
		   VIRTIO_S_FEATURES_OK);
	CHECK(!(d.status & VIRTIO_S_FEATURES_OK)); /* legacy: refused */
	vdev_write(&d, VIRTIO_MMIO_STATUS, 4, 0);
	vdev_write(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 4, 1);
	vdev_write(&d, VIRTIO_MMIO_DRIVER_FEATURES, 4, 1 | 2); /* and one not offered */
	vdev_write(&d, VIRTIO_MMIO_STATUS, 4, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER |
		   VIRTIO_S_FEATURES_OK);
	CHECK(!(d.status & VIRTIO_S_FEATURES_OK));
	vdev_write(&d, VIRTIO_MMIO_STATUS, 4, 0);
	vdev_write(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 4, 1);
	vdev_write(&d, VIRTIO_MMIO_DRIVER_FEATURES, 4, 1);
	vdev_write(&d, VIRTIO_MMIO_STATUS, 4, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER |
		   VIRTIO_S_FEATURES_OK);
	CHECK(d.status & VIRTIO_S_FEATURES_OK);
	CHECK(vdev_read(&d, VIRTIO_MMIO_MAGIC_VALUE, 4) == VIRTIO_MAGIC &&
	      vdev_read(&d, VIRTIO_MMIO_VERSION, 4) == 2);
	CHECK(notified == 0);
}

/* persist.c: a restarted device partition takes the transport up where
 * the old one left it, and re-checks the saved state as a frontend's. */
static u64 store[64];

static void live_device(struct vdev *d)
{
	setup_ok(d);
	vdev_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 4, 1);
	vdev_write(d, VIRTIO_MMIO_DRIVER_FEATURES, 4, 1);
	vdev_write(d, VIRTIO_MMIO_STATUS, 4, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER |
		   VIRTIO_S_FEATURES_OK | VIRTIO_S_DRIVER_OK);
}

/* What a new instance has before it resumes: the window, nothing more. */
static void restarted(struct vdev *e)
{
	*e = (struct vdev){ .model = &test_model, .dma_base = (u64)(uintptr_t)mem,
			    .dma_front = FRONT, .dma_size = sizeof(mem) };
}

TEST(virtio_resume_goes_on_where_it_stopped)
{
	struct vdev d, e;
	u16 used = 5, avail = 6;

	memset(store, 0, sizeof(store));
	vdev_persist_init((u64)(uintptr_t)store, sizeof(store));
	live_device(&d);
	/* Five requests done, a sixth in flight (popped, never pushed). */
	put_desc(0, FRONT + 0x1000, 16, 0, 0);
	memcpy(mem + 0x200 + 2, &used, 2);
	memcpy(mem + 0x100 + 4 + 2 * 5, &(u16){ 0 }, 2);
	memcpy(mem + 0x100 + 2, &avail, 2);
	restarted(&e);
	vdev_resume(&e);
	CHECK(e.status == d.status && e.driver_features == d.driver_features);
	CHECK(e.vq[0].ready && e.vq[0].num == NUM && e.vq[0].desc == mem);
	CHECK(e.vq[0].used_idx == 5 && e.vq[0].last_avail == 5);
	notified = 0;
	vdev_resume_queues(&e);
	CHECK(notified == 1); /* the request in flight is taken again */
	notified = 0;

	/* Reset by its driver: a new instance starts fresh. */
	vdev_write(&d, VIRTIO_MMIO_STATUS, 4, 0);
	restarted(&e);
	vdev_resume(&e);
	CHECK(!e.status && !e.vq[0].ready);
	vdev_persist_init(0, 0);
}

TEST(virtio_resume_fails_a_corrupt_state)
{
	struct vdev d, e;
	struct saved_vdev *r = (struct saved_vdev *)store;

	vdev_persist_init((u64)(uintptr_t)store, sizeof(store));
	/* Torn: any word changed without its sum. */
	live_device(&d);
	r->vq[0].desc += 16;
	restarted(&e);
	vdev_resume(&e);
	CHECK(!e.vq[0].ready && e.status == VIRTIO_S_NEEDS_RESET);
	/* ... and it stays failed across the next restart. */
	restarted(&e);
	vdev_resume(&e);
	CHECK(!e.vq[0].ready && e.status == VIRTIO_S_NEEDS_RESET);

	/* A sum that matches cannot widen access: a ring outside the
	 * frontend's window, or a window that shrank, fails the device. */
	live_device(&d);
	r->vq[0].device = FRONT + sizeof(mem) - 8;
	r->sum = sum_of((u64 *)r);
	restarted(&e);
	vdev_resume(&e);
	CHECK(!e.vq[0].ready && (e.status & VIRTIO_S_NEEDS_RESET));
	live_device(&d);
	restarted(&e);
	e.dma_size = 0x100;
	vdev_resume(&e);
	CHECK(!e.vq[0].ready && e.status == VIRTIO_S_NEEDS_RESET);
	/* Features it never offered, or a queue it does not have. */
	live_device(&d);
	r->driver_features |= 2;
	r->sum = sum_of((u64 *)r);
	restarted(&e);
	vdev_resume(&e);
	CHECK(e.status == VIRTIO_S_NEEDS_RESET);
	live_device(&d);
	r->vq[1] = r->vq[0];
	r->sum = sum_of((u64 *)r);
	restarted(&e);
	vdev_resume(&e);
	CHECK(e.status & VIRTIO_S_NEEDS_RESET);
	CHECK(notified == 0);
	vdev_persist_init(0, 0);
}
