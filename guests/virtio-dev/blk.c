/*
 * virtio-blk (virtio 1.x section 5.2): a disk held in the device
 * partition's memory, the image the configuration loads there at every
 * start (disk= its address, disk_size= its bytes, in the bootargs). With
 * disk_kept= (memory a restart leaves as it is, like persist.c's), the
 * first start copies the image there and every later one serves that copy:
 * a frontend that goes on across a restart with its file system mounted
 * finds the blocks it wrote, not the image again. All
 * block devices of the partition share it: give it to one frontend only
 * unless they only read.
 */
#include "virtio.h"

#define SECTOR 512
#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLK_T_FLUSH 4
#define BLK_T_GET_ID 8
#define BLK_S_OK 0
#define BLK_S_IOERR 1
#define BLK_S_UNSUPP 2
#define BLK_ID_BYTES 20

static volatile u8 *disk;
static u64 disk_sectors;

static void blk_init(struct vdev *d)
{
	volatile u8 *kept = (volatile u8 *)(uintptr_t)bootarg("disk_kept", 0);

	if (!disk) {
		disk = (volatile u8 *)(uintptr_t)bootarg("disk", 0);
		disk_sectors = disk ? bootarg("disk_size", 0) / SECTOR : 0;
		if (disk && kept) {
			if (!persist_disk_kept(disk_sectors * SECTOR)) {
				copy_bytes(kept, disk, disk_sectors * SECTOR);
				persist_mark_disk_kept(disk_sectors * SECTOR);
			}
			disk = kept;
		}
	}
	put_le(d->config, disk_sectors, 8); /* capacity, in 512-byte sectors */
	d->config_len = 8;
	printf("virtio-dev: window %u: virtio-blk, %lu KiB disk at 0x%lx\n", d->k,
	       disk_sectors * SECTOR / 1024, (u64)(uintptr_t)disk);
}

/* Whether [sector, sector + bytes / 512) lies on the disk, without a sum
 * that could wrap (both come from the frontend). */
static bool on_disk(u64 sector, u64 bytes)
{
	return !(bytes % SECTOR) && sector <= disk_sectors &&
	       bytes / SECTOR <= disk_sectors - sector;
}

static u32 blk_request(const struct chain *c)
{
	u8 hdr[16], status = BLK_S_OK;
	u64 sector, data;
	u32 type, written = 0;

	if (c->in_len < 1 || chain_read(c, 0, hdr, sizeof(hdr)) != sizeof(hdr))
		return 0; /* no header or no status byte: nothing to answer */
	type = get_le(hdr, 4);
	sector = get_le(hdr + 8, 8);
	switch (type) {
	case BLK_T_IN:
		data = c->in_len - 1;
		if (!on_disk(sector, data)) {
			status = BLK_S_IOERR;
			break;
		}
		written = chain_write(c, 0, (const u8 *)(disk + sector * SECTOR), data);
		break;
	case BLK_T_OUT:
		data = c->out_len - sizeof(hdr);
		if (!on_disk(sector, data)) {
			status = BLK_S_IOERR;
			break;
		}
		chain_read(c, sizeof(hdr), (u8 *)(disk + sector * SECTOR), data);
		break;
	case BLK_T_FLUSH:
		break; /* the disk is memory: nothing is cached */
	case BLK_T_GET_ID: {
		static const char id[BLK_ID_BYTES] = "hyp-virtio-blk";

		written = chain_write(c, 0, id, MIN(sizeof(id), c->in_len - 1));
		break;
	}
	default:
		status = BLK_S_UNSUPP;
	}
	chain_write(c, c->in_len - 1, &status, 1);
	return written + 1;
}

static void blk_notify(struct vdev *d, u32 queue)
{
	struct vq *q = &d->vq[queue];
	struct chain c;

	/* At most a queue's worth a notification: a driver never has more
	 * outstanding, and another vCPU of the frontend refilling the ring
	 * cannot keep us here. */
	for (u32 n = 0; n < q->num && vq_pop(d, q, &c) > 0; n++)
		vq_push(d, q, c.head, blk_request(&c));
}

const struct vdev_model virtio_blk_model = {
	.name = "virtio-blk",
	.id = VIRTIO_ID_BLOCK,
	.nr_queues = 1,
	.init = blk_init,
	.notify = blk_notify,
};
