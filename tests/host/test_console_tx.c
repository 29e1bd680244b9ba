/* The console's output ring (hyp/console/console_tx.c): chunks kept or
 * dropped whole, each VM's share, what the UART takes, the drop note. A
 * fake UART whose FIFO takes what `room` says. */
#include "console_tx.h"
#include "unit.h"

static u32 room;          /* bytes the fake FIFO takes next */
static char sent[1 << 16];
static u32 nsent;
static bool tx_irq_on;

static u32 fake_fill(u64 base, const char *s, u32 n)
{
	u32 k = n < room ? n : room;

	memcpy(sent + nsent, s, k);
	nsent += k;
	room -= k;
	return k;
}

static bool fake_put(u64 base, char c)
{
	return fake_fill(base, &c, 1) == 1;
}

static void fake_irq(u64 base, bool enable)
{
	tx_irq_on = enable;
}

static void fake_ack(u64 base)
{
}

static const struct uart_ops fake_uart = {
	.tx_fill = fake_fill, .tx_put = fake_put, .tx_irq = fake_irq,
	.tx_irq_ack = fake_ack,
};

const struct uart_ops *uart_ops_now = &fake_uart;
u64 uart_base_now;

u32 uart_tx_fill(const char *s, u32 n)
{
	return fake_fill(0, s, n);
}

void uart_tx_irq(bool enable)
{
	fake_irq(0, enable);
}

void uart_tx_irq_ack(void)
{
}

void uart_tx_wait(void)
{
	room = 64; /* the FIFO drained meanwhile */
}

u64 timer_ns_to_ticks(u64 ns)
{
	return ns;
}

/* A fresh ring, interrupt-driven, the FIFO full. */
static void reset(void)
{
	memset(&tx_ring, 0, sizeof(tx_ring));
	tx_start_irq();
	room = 0;
	nsent = 0;
	tx_irq_on = false;
}

/* One chunk of n copies of c by owner: kept or not. A dropped chunk that
 * says it had other than n bytes is reported as kept, so that the test's
 * CHECK(!chunk(...)) fails on it. */
static bool chunk(u32 owner, char c, u32 n)
{
	u64 len = 0;

	tx_begin(owner, 0);
	for (u32 i = 0; i < n; i++)
		tx_putc(c);
	if (tx_commit(&len))
		return true;
	tx_count_dropped(len);
	return len != n;
}

TEST(console_tx_empty_ring_writes_straight_to_the_fifo)
{
	reset();
	room = 64;
	CHECK(chunk(0, 'a', 10));
	CHECK_EQ(nsent, 10);
	CHECK_EQ(tx_ring.head, tx_ring.tail);
	CHECK_EQ(tx_ring.held[0], 0);
}

TEST(console_tx_a_vm_keeps_to_its_share_and_others_still_print)
{
	reset();
	for (u32 i = 0; i < 4; i++)
		CHECK(chunk(0, 'x', 1000));
	u64 head = tx_ring.head;

	CHECK(!chunk(0, 'x', 1000)); /* past 4 KiB: dropped whole */
	CHECK_EQ(tx_ring.head, head);
	CHECK_EQ(tx_ring.held[0], 4000);
	CHECK_EQ(tx_ring.dropped, 1000);
	CHECK(chunk(1, 'y', 1000)); /* another VM's line goes in */
	CHECK(chunk(TX_HYP, 'h', 1000)); /* and the hypervisor's */
	CHECK_EQ(tx_ring.held[1], 1000);
	CHECK_EQ(tx_ring.held[TX_HYP], 1000);
}

TEST(console_tx_vms_together_leave_a_quarter_to_the_hypervisor)
{
	reset();
	for (u32 vm = 0; vm < 3; vm++)
		for (u32 i = 0; i < 4; i++)
			CHECK(chunk(vm, 'a' + vm, 1024));
	CHECK_EQ(tx_ring.head - tx_ring.tail, TX_VMS_TOTAL);
	CHECK(!chunk(3, 'd', 1)); /* the VMs' three quarters are full */
	for (u32 i = 0; i < 4; i++)
		CHECK(chunk(TX_HYP, 'h', 1024));
	CHECK(!chunk(TX_HYP, 'h', 1)); /* the ring is full */
	CHECK_EQ(tx_ring.head - tx_ring.tail, TX_RING);
}

TEST(console_tx_drains_in_order_and_gives_back_shares)
{
	reset();
	CHECK(chunk(0, 'a', 3000));
	CHECK(chunk(1, 'b', 100));
	tx_push();
	CHECK(tx_irq_on); /* output waits beyond a full FIFO */
	room = 3050;
	tx_push();
	CHECK_EQ(nsent, 3050);
	CHECK(sent[2999] == 'a' && sent[3000] == 'b');
	CHECK_EQ(tx_ring.held[0], 0);
	CHECK_EQ(tx_ring.held[1], 50);
	CHECK(tx_irq_on);
	room = 1000;
	tx_push();
	CHECK_EQ(tx_ring.held[1], 0);
	CHECK(!tx_irq_on); /* nothing waits: off */
}

TEST(console_tx_drop_note_once_there_is_room)
{
	reset();
	for (u32 i = 0; i < 3; i++)
		CHECK(chunk(TX_HYP, 'h', 4400));
	CHECK(!chunk(TX_HYP, 'h', 5000));
	CHECK_EQ(tx_drop_note_due(), 0); /* 13200 of 16384 wait: no room */
	room = 8000;
	tx_push();
	CHECK_EQ(tx_drop_note_due(), 5000);
	CHECK_EQ(tx_drop_note_due(), 0); /* said once */
	room = 1 << 15;
	tx_push();
}

/* VMs that keep their 12 KiB full do not hold the note back: the
 * hypervisor's quarter has room for it. */
TEST(console_tx_drop_note_while_vms_fill_their_total)
{
	reset();
	tx_ring.noted_at = 0;
	for (u32 vm = 0; vm < 3; vm++)
		CHECK(chunk(vm, 'a' + vm, TX_VM_SHARE));
	CHECK(!chunk(3, 'd', 100)); /* the VMs' 12 KiB are full */
	CHECK_EQ(tx_drop_note_due(), 100);
	room = 1 << 15;
	tx_push();
}

TEST(console_tx_writers_that_wait_drop_nothing)
{
	reset();
	tx_set_sync();
	for (u32 i = 0; i < 5; i++)
		CHECK(chunk(0, 'x', 5000)); /* past any share: waits instead */
	tx_push();
	CHECK_EQ(tx_ring.head, tx_ring.tail);
	CHECK_EQ(nsent, 25000);
	CHECK_EQ(tx_ring.dropped, 0);
}
