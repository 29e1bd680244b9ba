/* The hypervisor's control window as seen from Linux user space: mapped
 * through /dev/mem, one call at a time (docs/management.md). */
#ifndef HYPCTL_WINDOW_H
#define HYPCTL_WINDOW_H

#include <stdint.h>

/* A call's answer: x0 = 0 or -errno, x1-x4 as the call defines them. */
struct answer {
	int64_t err;
	uint64_t x[5];
};

/* A page of this process's memory, locked, with its guest physical
 * address: where the hypervisor reads and writes a call's data. */
struct page {
	void *va;
	uint64_t pa;
};

/* Maps the window and takes the lock every hypctl holds while it uses
 * it. Exits with a message when it cannot. */
void window_open(void);
/* Runs function fid with x1-x5 = a[0..4]. */
struct answer window_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			  uint64_t a4, uint64_t a5);
/* A fresh locked page; exits with a message when its address cannot be
 * learnt (not root). */
struct page page_get(void);

#endif
