/* The recent output of each VM, kept for its manager to read what it
 * missed (HC_VM_CONSOLE, docs/management.md). */
#ifndef HYP_CONSOLE_RING_H
#define HYP_CONSOLE_RING_H

#include "types.h"

#define CONSOLE_RING_SIZE 4096 /* bytes kept per VM; a power of two */

/* One character VM vm printed. */
void console_ring_put(u32 vm, char c);
/* Copies at most max of VM vm's characters not read yet, oldest first,
 * and marks them read. *lost = how many were overwritten unread since the
 * last read. Returns how many were copied. */
u64 console_ring_read(u32 vm, char *out, u64 max, u64 *lost);

#endif
