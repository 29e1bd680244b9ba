/*
 * Test-and-set spinlock (the console has its own). Not a ticket lock: a
 * ticket hands the lock to the next waiter in line whether or not its CPU
 * is running, and when physical CPUs are themselves threads (QEMU on a busy
 * host, a nested hypervisor) a waiter descheduled with the next ticket
 * stalls every CPU behind it. Linux with 4 vCPUs took 120 s to /init
 * beside other QEMUs with one, 6.6 s with this (docs/benchmarks.md). The
 * critical sections are short and bounded, so no CPU starves in practice.
 * owner == next: free; the holder moves owner on. Needs the MMU on
 * (exclusives on Normal memory).
 */
#ifndef SPINLOCK_H
#define SPINLOCK_H

#include "types.h"

#if defined(__aarch64__)
#define cpu_relax() __asm__ volatile("yield" ::: "memory")
#else /* host builds of mm/ for tests */
#define cpu_relax() __asm__ volatile("" ::: "memory")
#endif

typedef struct {
	u16 owner;
	u16 next;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline bool spin_trylock(spinlock_t *l)
{
	u16 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u16 expected = owner;

	return __atomic_compare_exchange_n(&l->next, &expected, owner + 1,
					   false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
		       __atomic_load_n(&l->next, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

#endif
