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

#define TX_RING 16384 /* bytes; a power of two */
/* A VM's chunk must leave its own bytes in the ring at or below a quarter
 * of it, and all VMs' at or below three quarters; the hypervisor may use
 * the whole ring. So a VM that prints without end holds back neither the
 * other VMs' lines nor the hypervisor's error lines. */
#define TX_VM_SHARE (TX_RING / 4)
#define TX_VMS_TOTAL (TX_RING / 4 * 3)
#define TX_HYP MAX_VMS /* the hypervisor's owner number */

/* A chunk by owner (a VM's index or TX_HYP) starts. */
void tx_begin(u32 owner);
void tx_putc(char c);
/* The chunk ends: true when it was kept. If it did not fit it was taken
 * out of the ring again, and *len says how many bytes it had. */
bool tx_commit(u64 *len);
/* Counts bytes dropped without being tried (the rest of a dropped line). */
void tx_count_dropped(u64 len);
/* When output was dropped and there is room again to say so: the count,
 * reset to 0; else 0. */
u64 tx_drop_note_due(void);

/* Moves what the FIFO takes now (or, after tx_set_sync, all of it, waiting
 * on the UART), and turns the transmit interrupt on while output waits. */
void tx_push(void);
/* From now on the transmit interrupt moves output (it is routed). */
void tx_start_irq(void);
/* The transmit interrupt was taken: clears it (then tx_push). */
void tx_irq_ack(void);
/* From now on writers wait on the UART rather than drop: a crash report or
 * the power-off must get its text out whatever the ring holds. */
void tx_set_sync(void);
/* Output waits in the ring (read without the lock: a hint). */
bool tx_waiting(void);

#endif
