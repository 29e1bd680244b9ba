/*
 * A hostile virtio frontend and its victim (tests/configs/run/
 * virtio-forge.c). The forger drives the virtio-blk device of its window
 * as a driver would, then forges requests whose addresses leave that
 * window's DMA memory, the one place the device partition may touch for
 * it. The victim, another frontend of the same device partition, has its
 * DMA memory right after the forger's in the device partition's address
 * space: a device partition that followed a forged address would write
 * there. The forger's requests must be refused (Status NEEDS_RESET), the
 * device must work again after a reset, and the victim finds its memory
 * untouched. The two meet in a mailbox, a SHARED slot of both.
 */
#include "guest.h"

#define WIN0 0x0a000000UL
#define POOL0 0x50000000UL /* our window's DMA memory, 64 KiB */
/* Nothing of ours; the victim's DMA memory in the device partition's
 * address space, where its translation of this address would land. */
#define NEXT 0x50010000UL
#define POOL_SIZE 0x10000UL
#define VICTIM_POOL 0x50000000UL /* the victim's own DMA memory, in its space */

/* The mailbox, each word written by one side only. */
#define MAILBOX 0x60000000UL
#define VICTIM_READY (MAILBOX + 0x0)   /* 1: its memory is filled */
#define FORGER_DONE (MAILBOX + 0x40)   /* 1: every forged request made */
#define VICTIM_VERDICT (MAILBOX + 0x80) /* 1: untouched, 2: written */
#define PATTERN 0xa5a5a5a5

#define QNUM 8
#define DESC (POOL0 + 0x0)
#define AVAIL (POOL0 + 0x100)
#define USED (POOL0 + 0x200)
#define HDR (POOL0 + 0x800)
#define STATUS_BYTE (POOL0 + 0x810)
#define BUF (POOL0 + 0x1000)

#define R_STATUS 0x070
#define S_NEEDS_RESET 0x40

static void w32(u64 a, u32 v)
{
	*(volatile u32 *)a = v;
}

static u32 r32(u64 a)
{
	return *(volatile u32 *)a;
}

static void reg(u32 off, u32 v)
{
	w32(WIN0 + off, v);
}

/* The driver's side of virtio 1.x section 3.1.1, for one queue of QNUM. */
static bool device_init(void)
{
	for (u64 a = POOL0; a < POOL0 + 0x1000; a += 4)
		w32(a, 0);
	reg(R_STATUS, 0);
	if (r32(WIN0) != 0x74726976 || r32(WIN0 + 4) != 2 || r32(WIN0 + 8) != 2)
		return false;
	reg(R_STATUS, 1 | 2);
	reg(0x024, 1); /* DriverFeaturesSel */
	reg(0x020, 1); /* VIRTIO_F_VERSION_1 */
	reg(0x024, 0);
	reg(0x020, 0);
	reg(R_STATUS, 1 | 2 | 8);
	if (!(r32(WIN0 + R_STATUS) & 8))
		return false;
	reg(0x030, 0);
	reg(0x038, QNUM);
	reg(0x080, DESC), reg(0x084, 0);
	reg(0x090, AVAIL), reg(0x094, 0);
	reg(0x0a0, USED), reg(0x0a4, 0);
	reg(0x044, 1);
	reg(R_STATUS, 1 | 2 | 8 | 4);
	return r32(WIN0 + 0x044) == 1;
}

static void desc(u32 i, u64 addr, u32 len, u16 flags, u16 next)
{
	u64 d = DESC + 16 * i;

	*(volatile u64 *)d = addr;
	w32(d + 8, len);
	w32(d + 12, flags | (u32)next << 16);
}

static u16 avail_idx, used_seen;

/* A read of one sector into [data, data + len): header, data, status. */
static bool blk_read(u64 sector, u64 data, u32 len)
{
	w32(HDR, 0); /* VIRTIO_BLK_T_IN */
	w32(HDR + 4, 0);
	*(volatile u64 *)(HDR + 8) = sector;
	*(volatile u8 *)STATUS_BYTE = 0xff;
	desc(0, HDR, 16, 1, 1);
	desc(1, data, len, 1 | 2, 2);
	desc(2, STATUS_BYTE, 1, 2, 0);
	*(volatile u16 *)(AVAIL + 4 + 2 * (avail_idx % QNUM)) = 0;
	dmb(sy);
	*(volatile u16 *)(AVAIL + 2) = ++avail_idx;
	dmb(sy);
	reg(0x050, 0); /* QueueNotify */
	/* Notifications are acted on after the write is answered. */
	spin_until(*(volatile u16 *)(USED + 2) != used_seen ||
		   (r32(WIN0 + R_STATUS) & S_NEEDS_RESET), 2000);
	if (*(volatile u16 *)(USED + 2) == used_seen)
		return false;
	used_seen++;
	return *(volatile u8 *)STATUS_BYTE == 0;
}

static bool victim_intact(void)
{
	for (u64 a = VICTIM_POOL; a < VICTIM_POOL + POOL_SIZE; a += 4)
		if (r32(a) != PATTERN)
			return false;
	return true;
}

static void __noreturn victim(void)
{
	for (u64 a = VICTIM_POOL; a < VICTIM_POOL + POOL_SIZE; a += 4)
		w32(a, PATTERN);
	dmb(sy);
	w32(VICTIM_READY, 1);
	report(spin_until(r32(FORGER_DONE) == 1, 30000), "the forger finished");
	w32(VICTIM_VERDICT, victim_intact() ? 1 : 2);
	report(r32(VICTIM_VERDICT) == 1, "our memory is untouched by the forger's requests");
	report_done();
}

static bool refused(const char *what, u64 addr, u32 len)
{
	bool ok;

	avail_idx = used_seen = 0;
	if (!device_init())
		return false;
	ok = !blk_read(2, addr, len) && (r32(WIN0 + R_STATUS) & S_NEEDS_RESET);
	report(ok, "%s: refused, the device needs a reset", what);
	return ok;
}

void guest_main(void);
void guest_main(void)
{
	if (bootarg("victim", 0))
		victim();
	/* The device partition may start after us: until it is ready, the
	 * window reads all ones (FWD_FAIL_ONES). */
	report(spin_until(r32(WIN0) == 0x74726976, 5000) &&
	       spin_until(r32(VICTIM_READY) == 1, 5000),
	       "the device partition answers and the victim is ready");
	report(device_init(), "the virtio-blk device of our window is set up as a driver would");
	/* The disk is ext4: its superblock, at byte 1024, has the magic
	 * 0xef53 at offset 0x38. */
	report(blk_read(2, BUF, 512) && *(volatile u16 *)(BUF + 0x38) == 0xef53,
	       "a read of sector 2 within our memory brings the ext4 superblock");

	refused("a data buffer where the victim's memory is", NEXT, 512);
	refused("a data buffer that starts inside and runs past the end",
		POOL0 + POOL_SIZE - 256, 512);
	refused("a data buffer whose end wraps around 2^64", ~0UL - 255, 512);
	refused("a data buffer at the device partition's own RAM address", 0x41000000, 512);

	/* A queue placed where the victim's memory is never becomes ready. */
	reg(R_STATUS, 0);
	reg(0x030, 0);
	reg(0x038, QNUM);
	reg(0x080, NEXT), reg(0x084, 0);
	reg(0x044, 1);
	report(r32(WIN0 + 0x044) == 0, "a queue where the victim's memory is is refused");

	avail_idx = used_seen = 0;
	report(device_init() && blk_read(2, BUF, 512) && !(r32(WIN0 + R_STATUS) & S_NEEDS_RESET),
	       "after a reset the device serves reads again");

	dmb(sy);
	w32(FORGER_DONE, 1);
	report(spin_until(r32(VICTIM_VERDICT) != 0, 5000) && r32(VICTIM_VERDICT) == 1,
	       "the victim found its memory untouched");
	report_done();
}
