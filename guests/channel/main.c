/*
 * Two partitions that talk over a channel (tests/configs/run/channel.c):
 * a SHARED region with a message ring each way, and a doorbell each way
 * (HC_DOORBELL, acknowledged by the receiver's handler before it reads the
 * ring). Role 0 sends numbered pings and waits for each pong; role 1
 * answers them from its doorbell interrupt. Then role 0 floods the
 * doorbell while role 1 has interrupts masked: one doorbell is delivered,
 * the rest coalesce, and role 1 takes exactly one interrupt for them all;
 * and again with role 1 taking them: it takes one per acknowledgement.
 *
 * Bootargs: role=0|1 chan=<channel index> irq=<this VM's doorbell INTID>.
 */
#include "gic.h"
#include "guest.h"

#define SHARED_IPA 0x50000000UL
#define RING_SLOTS 16
#define MSG_BYTES 48
#define PINGS 20
#define FLOOD 10000
#define WAIT_MS 3000

struct ring {
	u32 head; /* written by the producer */
	u32 tail; /* written by the consumer */
	char msg[RING_SLOTS][MSG_BYTES];
};

struct shared {
	struct ring ring[2];  /* [0]: role 0 to role 1, [1]: back */
	u32 ready[2];         /* each role: its doorbell is enabled */
	u32 flood_phase;      /* 1: role 1 masked, 2: flood done, 3: counted,
			       * 4: unmasked flood done, 5: counted */
	u32 flood_taken;      /* role 1: interrupts taken for the flood */
	u32 flood_delivered;  /* role 0: doorbells of the second flood raised */
	u32 bad[2];           /* messages a role found out of order */
};

static volatile struct shared *sh = (volatile struct shared *)SHARED_IPA;
static u32 role, chan, irq;
static volatile u32 doorbells_taken, received;

static void vstrcpy(volatile char *dst, const char *src)
{
	while ((*dst++ = *src++))
		;
}

static bool vstreq(const volatile char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void send(u32 ring, const char *text)
{
	volatile struct ring *r = &sh->ring[ring];
	u32 head = READ_ONCE(r->head);

	vstrcpy(r->msg[head % RING_SLOTS], text);
	dmb(sy);
	WRITE_ONCE(r->head, head + 1);
}

/* Takes every message waiting in ring; role 1 answers each ping. */
static void drain(u32 ring)
{
	volatile struct ring *r = &sh->ring[ring];
	char want[MSG_BYTES], reply[MSG_BYTES];

	while (READ_ONCE(r->tail) != READ_ONCE(r->head)) {
		u32 n = READ_ONCE(r->tail);

		dmb(sy);
		fmt_snprintf(want, sizeof(want), "%s %u", ring ? "pong" : "ping", n);
		if (!vstreq(r->msg[n % RING_SLOTS], want))
			sh->bad[role]++;
		WRITE_ONCE(r->tail, n + 1);
		received++;
		if (ring == 0) {
			fmt_snprintf(reply, sizeof(reply), "pong %u", n);
			send(1, reply);
			hvc(HC_DOORBELL, chan, 0, 0);
		}
	}
}

static bool on_irq(struct guest_regs *regs, u64 kind)
{
	u32 iar, id;

	if (kind != EXC_IRQ)
		return false;
	iar = gic_ack();
	id = GIC_IAR_INTID(iar);
	if (id == irq) {
		doorbells_taken++;
		hvc(HC_DOORBELL_ACK, chan, 0, 0); /* before looking */
		drain(role == 0 ? 1 : 0);
	}
	if (id < 1020)
		gic_eoi(iar);
	return true;
}

/* Spins with interrupts on until *v reaches value (taken by the handler). */
static void wait_irq_until(volatile u32 *v, u32 value, u64 ms)
{
	u64 end = counter_now() + counter_ms(ms);

	while (READ_ONCE(*v) < value && counter_now() < end)
		;
}

static void sender(void)
{
	char text[MSG_BYTES];
	u32 delivered = 0, coalesced = 0, other = 0;
	s64 r;

	spin_until(READ_ONCE(sh->ready[1]), WAIT_MS);
	for (u32 i = 0; i < PINGS; i++) {
		fmt_snprintf(text, sizeof(text), "ping %u", i);
		send(0, text);
		r = hvc(HC_DOORBELL, chan, 0, 0);
		if (r != 0 && r != HC_DOORBELL_COALESCED)
			other++;
		wait_irq_until(&received, i + 1, WAIT_MS);
	}
	report(received == PINGS && !sh->bad[0] && !other,
	       "%u pings sent over channel %u, %u pongs back in order (%u out of order)",
	       PINGS, chan, received, sh->bad[0]);
	report(READ_ONCE(sh->bad[1]) == 0 && READ_ONCE(sh->ring[0].tail) == PINGS,
	       "the peer read the %u pings in order", PINGS);

	/* The flood, while the peer has interrupts masked. */
	spin_until(READ_ONCE(sh->flood_phase) == 1, WAIT_MS);
	for (u32 i = 0; i < FLOOD; i++) {
		r = hvc(HC_DOORBELL, chan, 0, 0);
		if (r == 0)
			delivered++;
		else if (r == HC_DOORBELL_COALESCED)
			coalesced++;
	}
	dmb(sy);
	WRITE_ONCE(sh->flood_phase, 2);
	spin_until(READ_ONCE(sh->flood_phase) == 3, WAIT_MS);
	report(delivered == 1 && coalesced == FLOOD - 1 && READ_ONCE(sh->flood_taken) == 1,
	       "%u doorbells while the peer had interrupts masked: %u delivered, %u "
	       "coalesced, the peer took %u interrupt(s)",
	       FLOOD, delivered, coalesced, READ_ONCE(sh->flood_taken));

	/* Again, the peer taking them as they come. */
	delivered = coalesced = 0;
	for (u32 i = 0; i < FLOOD; i++) {
		r = hvc(HC_DOORBELL, chan, 0, 0);
		if (r == 0)
			delivered++;
		else if (r == HC_DOORBELL_COALESCED)
			coalesced++;
	}
	WRITE_ONCE(sh->flood_delivered, delivered);
	dmb(sy);
	WRITE_ONCE(sh->flood_phase, 4);
	spin_until(READ_ONCE(sh->flood_phase) == 5, WAIT_MS);
	report(delivered + coalesced == FLOOD && delivered == READ_ONCE(sh->flood_taken),
	       "%u doorbells while the peer takes them: %u delivered, %u coalesced, "
	       "the peer took %u interrupts, one per acknowledgement",
	       FLOOD, delivered, coalesced, READ_ONCE(sh->flood_taken));

	report(hvc(HC_DOORBELL, 7, 0, 0) == SMCCC_INVALID_PARAMETER &&
	       hvc(HC_DOORBELL, 1UL << 40, 0, 0) == SMCCC_INVALID_PARAMETER,
	       "a doorbell on a channel that does not exist is refused");
}

static void receiver(void)
{
	u32 before, taken;

	WRITE_ONCE(sh->ready[1], 1);
	/* The pings come by interrupt. */
	wait_irq_until(&received, PINGS, WAIT_MS);
	report(received == PINGS, "%u pings received by doorbell and answered", received);

	spin_until(READ_ONCE(sh->flood_phase) == 0 && READ_ONCE(sh->ring[0].tail) == PINGS,
		   WAIT_MS);
	irq_disable();
	before = doorbells_taken;
	WRITE_ONCE(sh->flood_phase, 1);
	spin_until(READ_ONCE(sh->flood_phase) == 2, WAIT_MS);
	irq_enable();
	isb();
	delay_ms(20); /* anything more would be taken by now */
	taken = doorbells_taken - before;
	WRITE_ONCE(sh->flood_taken, taken);
	/* Counted from here: the second flood starts as soon as it sees 3. */
	before = doorbells_taken;
	dmb(sy);
	WRITE_ONCE(sh->flood_phase, 3);
	report(taken == 1, "a flood of doorbells while masked is one interrupt (%u taken)",
	       taken);

	/* Every doorbell raised is taken (none lost), and no more. */
	spin_until(READ_ONCE(sh->flood_phase) == 4, WAIT_MS);
	spin_until(doorbells_taken - before >= READ_ONCE(sh->flood_delivered), WAIT_MS);
	delay_ms(5);
	WRITE_ONCE(sh->flood_taken, doorbells_taken - before);
	dmb(sy);
	WRITE_ONCE(sh->flood_phase, 5);
}

void guest_main(void);
void guest_main(void)
{
	role = bootarg("role", 0);
	chan = bootarg("chan", 0);
	irq = bootarg("irq", 40);
	printf("# channel: role %u, channel %u, doorbell INTID %u\n", role, chan, irq);

	set_exception_handler(on_irq);
	gic_init();
	gic_cpu_init();
	gic_set_edge(irq, true);
	gic_enable_irq(irq, 0x80);
	irq_enable();
	if (role == 0)
		sender();
	else
		receiver();
	report_done();
}
