/*
 * Two bare-metal virtio-net frontends of the virtio device partition
 * (tests/configs/run/virtio-front-restart.c): a talker that sends
 * broadcast frames when asked, and a restarter whose receive buffers
 * should catch them, until it restarts. A frontend's restart must reset
 * its devices in the device partition before its new run's first access,
 * and no frame may then land at an address its old run posted (its DMA
 * memory is a SHARED slot: a restart leaves the old rings there, as a
 * Linux restart leaves its old buffers' addresses in RAM the reload
 * reuses). Twice: while the device partition runs (it is told at once),
 * and while it is held and then restarts keeping its devices' state (it
 * must learn of the restart before it resumes them). The two meet in a
 * mailbox, a SHARED slot of both, each word written by one side only.
 */
#include "guest.h"

#define WIN 0x0a000000UL
#define POOL 0x50000000UL /* our window's DMA memory, 64 KiB */
#define MAGIC 0x74726976

#define MAILBOX 0x60000000UL
#define ASK (MAILBOX + 0x0)   /* restarter: send frame n */
#define SENT (MAILBOX + 0x40) /* talker: frame n sent (5: frame 4 completed) */

#define QNUM 8
#define RXQ 0
#define TXQ 1
#define RING(q) (POOL + 0x800 * (q)) /* desc, then avail at +0x100, used at +0x200 */
#define RXBUF POOL + 0x1000
#define RXBUF_SIZE 0x800
#define NR_RXBUF 4
#define TXFRAME (POOL + 0x4000)
#define FRAME_LEN 72 /* the 12-byte header and a 60-byte Ethernet frame */
#define PATTERN 0x5a5a5a5a

#define R_STATUS 0x070
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050

static void w32(u64 a, u32 v)
{
	*(volatile u32 *)a = v;
}

static u32 r32(u64 a)
{
	return *(volatile u32 *)a;
}

static volatile u16 *used_idx(u32 q)
{
	return (volatile u16 *)(RING(q) + 0x200 + 2);
}

static void desc(u32 q, u32 i, u64 addr, u32 len, u16 flags)
{
	u64 d = RING(q) + 16 * i;

	*(volatile u64 *)d = addr;
	w32(d + 8, len);
	w32(d + 12, flags);
}

/* Makes descriptor i the avail ring's entry idx - 1 and publishes it. */
static void publish(u32 q, u32 i, u16 idx)
{
	*(volatile u16 *)(RING(q) + 0x100 + 4 + 2 * ((idx - 1) % QNUM)) = i;
	dmb(sy);
	*(volatile u16 *)(RING(q) + 0x100 + 2) = idx;
	dmb(sy);
}

static void queue(u32 q)
{
	w32(WIN + R_QUEUE_SEL, q);
	w32(WIN + R_QUEUE_NUM, QNUM);
	w32(WIN + 0x080, RING(q)), w32(WIN + 0x084, 0);
	w32(WIN + 0x090, RING(q) + 0x100), w32(WIN + 0x094, 0);
	w32(WIN + 0x0a0, RING(q) + 0x200), w32(WIN + 0x0a4, 0);
	w32(WIN + R_QUEUE_READY, 1);
}

/* The driver's side of virtio 1.x section 3.1.1, with fresh rings. */
static bool device_init(bool rx)
{
	for (u64 a = POOL; a < POOL + 0x1000; a += 4)
		w32(a, 0);
	w32(WIN + R_STATUS, 0);
	if (r32(WIN) != MAGIC || r32(WIN + 4) != 2 || r32(WIN + 8) != 1)
		return false;
	w32(WIN + R_STATUS, 1 | 2);
	w32(WIN + 0x024, 1), w32(WIN + 0x020, 1); /* VIRTIO_F_VERSION_1 */
	w32(WIN + 0x024, 0), w32(WIN + 0x020, 0);
	w32(WIN + R_STATUS, 1 | 2 | 8);
	if (!(r32(WIN + R_STATUS) & 8))
		return false;
	if (rx) {
		for (u32 i = 0; i < NR_RXBUF; i++) {
			desc(RXQ, i, RXBUF + i * RXBUF_SIZE, RXBUF_SIZE, 2 /* WRITE */);
			publish(RXQ, i, i + 1);
		}
		queue(RXQ);
	}
	queue(TXQ);
	w32(WIN + R_STATUS, 1 | 2 | 8 | 4);
	return r32(WIN + R_STATUS) == (1 | 2 | 8 | 4);
}

static void fill_rx(void)
{
	for (u64 a = RXBUF; a < RXBUF + NR_RXBUF * RXBUF_SIZE; a += 4)
		w32(a, PATTERN);
	dmb(sy);
}

static bool rx_untouched(void)
{
	for (u64 a = RXBUF; a < RXBUF + NR_RXBUF * RXBUF_SIZE; a += 4)
		if (r32(a) != PATTERN)
			return false;
	return true;
}

/* Reads a window register every 10 ms until it holds want: each read is a
 * request to the device partition, or a failure logged by the hypervisor. */
static bool poll_until(u64 reg, u32 want, u64 ms)
{
	u64 end = counter_now() + counter_ms(ms);

	while (r32(reg) != want) {
		if (counter_now() > end)
			return false;
		delay_ms(10);
	}
	return true;
}

static void ask(u32 n)
{
	w32(ASK, n);
	dmb(sy);
	if (!spin_until(r32(SENT) >= n, 30000))
		printf("FAIL: the talker did not send frame %u\n", n);
}

/* Boot 1: a frame arrives while everything runs; then a restart. */
static void __noreturn restarter_first(void)
{
	report(poll_until(WIN, MAGIC, 10000) && device_init(true),
	       "our virtio-net device is set up with %u receive buffers", NR_RXBUF);
	ask(1);
	report(spin_until(*used_idx(RXQ) == 1, 5000) &&
	       *(volatile u8 *)(RXBUF + 12) == 0xff,
	       "the talker's broadcast frame landed in our first receive buffer");
	printf("# restarting with receive buffers posted\n");
	hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		wfi();
}

/* Boot 2: the device partition was told at once. Then a second restart,
 * with the device partition held. */
static void __noreturn restarter_second(void)
{
	u32 status;

	fill_rx(); /* where the old run's buffers were posted */
	status = r32(WIN + R_STATUS);
	report(status == 0, "our device was reset before our new run's first access "
	       "(Status 0x%x)", status);
	ask(2);
	report(rx_untouched() && *used_idx(RXQ) == 1,
	       "a frame sent after our restart did not land in our old run's buffers");

	report(device_init(true), "the device is set up again");
	ask(3);
	report(spin_until(*used_idx(RXQ) == 1, 5000),
	       "and receives the talker's next frame");

	printf("# waiting for the device partition to hold\n");
	/* Held, our access waits out the window's timeout and reads ones. */
	report(poll_until(WIN + R_STATUS, 0xffffffff, 120000),
	       "the device partition holds our requests");
	/* The talker's next frame waits in its queue, unseen; three of our
	 * buffers stay posted, as the old run leaves them. */
	ask(4);
	fill_rx();
	printf("# restarting while the device partition holds\n");
	hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		wfi();
}

/* Boot 3: the device partition restarts, keeping its devices' state. */
static void __noreturn restarter_third(void)
{
	u32 status;

	printf("# waiting for the device partition's restart\n");
	report(poll_until(WIN, MAGIC, 120000), "the device partition serves again");
	status = r32(WIN + R_STATUS);
	report(status == 0, "its new instance did not resume our old run's device "
	       "(Status 0x%x)", status);
	report(spin_until(r32(SENT) == 5, 10000), "the talker's held frame went out");
	report(rx_untouched(), "and it did not land in our old run's buffers");
	report_done();
}

static void __noreturn talker(void)
{
	report(poll_until(WIN, MAGIC, 10000) && device_init(false),
	       "our virtio-net device is set up to transmit");
	for (u32 i = 12; i < 12 + FRAME_LEN; i++)
		*(volatile u8 *)(TXFRAME + i - 12) = 0;
	for (u32 i = 12; i < 18; i++) /* to everyone */
		*(volatile u8 *)(TXFRAME + i) = 0xff;
	*(volatile u8 *)(TXFRAME + 12 + 12) = 0x88; /* a local ethertype */
	*(volatile u8 *)(TXFRAME + 12 + 13) = 0xb5;
	for (u32 n = 1; n <= 4; n++) {
		spin_until(r32(ASK) >= n, 120000);
		desc(TXQ, n % QNUM, TXFRAME, FRAME_LEN, 0);
		publish(TXQ, n % QNUM, n);
		w32(WIN + R_QUEUE_NOTIFY, TXQ);
		/* Frame 4 meets a held device partition: it goes when the
		 * partition's new instance resumes our queue. */
		if (n < 4 && !spin_until(*used_idx(TXQ) == n, 5000))
			printf("FAIL: frame %u was not sent\n", n);
		w32(SENT, n);
	}
	report(spin_until(*used_idx(TXQ) == 4, 120000),
	       "the frame queued while the device partition held went out after its restart");
	w32(SENT, 5);
	report_done();
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res info;

	if (bootarg("talker", 0))
		talker();
	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	printf("# boot %lu\n", info.a2 + 1);
	if (info.a2 == 0)
		restarter_first();
	if (info.a2 == 1)
		restarter_second();
	restarter_third();
}
