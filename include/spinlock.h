/* Ticket spinlock: fair, so no CPU starves at the console or a VM's lock.
 * Needs the MMU on (exclusives on Normal memory). */
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

static inline void spin_lock(spinlock_t *l)
{
	u16 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	u16 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u16 expected = owner;

	return __atomic_compare_exchange_n(&l->next, &expected, owner + 1,
					   false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

#endif
