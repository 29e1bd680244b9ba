/*
 * The console's output ring: what every writer (each VM, the hypervisor)
 * prints is appended here under the console lock, and moved into the
 * UART's transmit FIFO only as far as the FIFO has room, never waiting on
 * it: by whoever holds the lock, by the UART's transmit interrupt, and by
 * the timer tick (console_tx_poll). The caller of everything here holds
 * the console lock.
 *
 * Writes come in chunks (a VM's line, one printk call) that are kept or
 * dropped whole: a chunk that would take a VM past its share is dropped
 * and counted, and the console prints a note with the count.
 */
#ifndef HYP_CONSOLE_TX_H
#define HYP_CONSOLE_TX_H

#include "config.h"
#include "types.h"
#include "uart.h"

#define TX_RING 16384 /* bytes; a power of two */
/* A VM's chunk must leave its own bytes in the ring at or below a quarter
 * of it, and all VMs' at or below three quarters; the hypervisor may use
 * the whole ring. So a VM that prints without end holds back neither the
 * other VMs' lines nor the hypervisor's error lines. */
#define TX_VM_SHARE (TX_RING / 4)
#define TX_VMS_TOTAL (TX_RING / 4 * 3)
#define TX_HYP MAX_VMS /* the hypervisor's owner number */

enum tx_mode {
	TX_BOOT,  /* no transmit interrupt yet: wait on the UART */
	TX_ASYNC, /* the interrupt moves output: never wait */
	TX_SYNC,  /* a crash or the power-off: wait on the UART again */
};

/* The ring's state, here for the inline fast paths below; only
 * console_tx.c changes it otherwise. In BSS, zero at boot: TX_BOOT. */
struct tx_ring {
	u64 head, tail;     /* bytes appended, and sent, since boot */
	u64 mark;           /* head when the chunk began */
	u64 cap;            /* head the chunk may not reach */
	u64 over;           /* bytes of the chunk past cap */
	u64 dropped;        /* bytes dropped since the last note */
	u64 noted_at;       /* counter value at the last note */
	u32 owner;          /* the chunk's */
	enum tx_mode mode;
	bool irq_on;        /* the transmit interrupt is enabled */
	u32 held[TX_HYP + 1]; /* bytes in the ring, per owner */
	u8 own[TX_RING];    /* each byte's owner */
	char buf[TX_RING];
};
extern struct tx_ring tx_ring;

/*
 * A chunk by owner (a VM's index or TX_HYP) starts; worst: the most bytes
 * it can put in the ring, 0 when not known. Returns true when it fits
 * whatever it holds: it cannot be dropped.
 */
bool tx_begin(u32 owner, u64 worst);

/*
 * The same for a VM's chunk of at most TX_VM_SHARE bytes, when the ring is
 * empty: then it fits (the VM holds nothing in the ring), and only whether
 * the ring is empty is looked at. false: use tx_begin.
 */
static inline bool tx_begin_empty(u32 owner)
{
	if (tx_ring.head != tx_ring.tail)
		return false;
	tx_ring.owner = owner;
	tx_ring.cap = tx_ring.head + TX_VM_SHARE;
	return true;
}

void tx_putc_ring(char c);

/*
 * While the ring is empty, bytes go straight into the FIFO: the common case
 * costs what a write to the UART did. The ring can be empty here only if it
 * was when the chunk began (nothing leaves it during a chunk), and such a
 * chunk fits: a VM's is at most ~1 KiB of its 4 KiB share, the
 * hypervisor's a printk line of the 16 KiB ring. So no byte sent this way
 * belongs to a chunk that is taken back.
 */
static inline void tx_putc(char c)
{
	if (tx_ring.head == tx_ring.tail && uart_tx_put(c))
		return;
	tx_putc_ring(c);
}

bool tx_commit_slow(u64 *len);

/* The chunk ends: true when it was kept. If it did not fit it was taken
 * out of the ring again, and *len says how many bytes it had. */
static inline bool tx_commit(u64 *len)
{
	return !tx_ring.over || tx_commit_slow(len);
}

/* Counts bytes dropped without being tried (the rest of a dropped line). */
void tx_count_dropped(u64 len);

u64 tx_drop_note_slow(void);

/* When output was dropped and there is room again to say so: the count,
 * reset to 0; else 0. */
static inline u64 tx_drop_note_due(void)
{
	return tx_ring.dropped ? tx_drop_note_slow() : 0;
}

void tx_push_slow(void);

/* Moves what the FIFO takes now (or, after tx_set_sync, all of it, waiting
 * on the UART), and turns the transmit interrupt on while output waits. */
static inline void tx_push(void)
{
	if (tx_ring.head != tx_ring.tail || tx_ring.irq_on)
		tx_push_slow();
}
/* From now on the transmit interrupt moves output (it is routed). */
void tx_start_irq(void);
/* The transmit interrupt was taken: clears it (then tx_push). */
void tx_irq_ack(void);
/* From now on writers wait on the UART rather than drop: a crash report or
 * the power-off must get its text out whatever the ring holds. */
void tx_set_sync(void);
/* Output waits in the ring (read without the lock: a hint). */
static inline bool tx_waiting(void)
{
	return __atomic_load_n(&tx_ring.head, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&tx_ring.tail, __ATOMIC_RELAXED);
}

#endif
