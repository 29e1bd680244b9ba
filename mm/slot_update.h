/*
 * Run-time changes of a built VM's slot table (KVM_SET_USER_MEMORY_REGION):
 * a manager's create, delete, move and flags-only requests, checked by the
 * one slot-change checker (slot_change.h) and then applied to the slot table
 * and the stage-2 tables together. Backing, table pages and dirty bitmaps
 * come from the manager's host range (host_range.h); memory is cleared
 * before it goes back there.
 *
 * The caller keeps the VM's vCPUs out of the guest while a change is made
 * (hyp/mgmt/): with none running, no vCPU sees a half-changed map, and the
 * walker's break-before-make and TLB invalidation by VMID leave nothing
 * stale behind for when they come back. m->lock is taken here, against
 * dirty-log readers on other CPUs.
 */
#ifndef MM_SLOT_UPDATE_H
#define MM_SLOT_UPDATE_H

#include "host_range.h"
#include "slot_change.h"
#include "stage2.h"

/* A manager's page allocator for the stage 2 of the VMs it manages: new
 * table pages and dirty bitmaps from its host range, pages given back to
 * wherever they came from (tables built at boot came from the page pool),
 * everything else (TLB maintenance, address translation) from base. */
struct slot_mm {
	struct pt_mm_ops ops; /* ops.ctx points back here */
	const struct pt_mm_ops *base;
	struct host_range *range;
	/* Optional: writes zeroed memory back from the data cache, so that a
	 * guest reading it uncached (its MMU off) sees the zeros too. */
	void (*clean)(void *va, u64 size);
};

/* Sets sm up over range and clears every page of the range (through
 * base's phys_to_virt), so that what it hands out starts zeroed; clean
 * may be NULL (no caches to think of, as on the host). */
void slot_mm_init(struct slot_mm *sm, const struct pt_mm_ops *base,
		  struct host_range *range, void (*clean)(void *va, u64 size));

/* What the checker needs besides the slots. */
struct slot_update_env {
	const struct vm_window *win;
	u32 nr_win;
	unsigned cpu_pa_bits;
};

/* Memory a delete unmapped, still to be cleared and given back: the
 * caller does it with slot_mm_give_back once the VM runs again, so that
 * the VM is not held while a large slot is cleared. size 0: none. */
struct slot_gone {
	u64 pa, size;
};

/* Checks c against m's current slots and applies it. m->s2.mm must be
 * &sm->ops. 0, or a negative error code (the checker's, or -ENOMEM when
 * the host range cannot hold the slot with its tables and bitmap), and
 * *rule says which rule refused. A refused change changes nothing. After
 * a delete, *gone names the memory to give back. */
int vm_mem_change(struct vm_mem *m, struct slot_mm *sm,
		  const struct slot_update_env *env,
		  const struct slot_change *c, enum slot_rule *rule,
		  struct slot_gone *gone);

/* Clears the memory of a deleted slot and gives it back to the range. No
 * VM maps it any more (and the TLBs were invalidated): nothing can see it
 * meanwhile, and it is not handed out again before it is clear. */
void slot_mm_give_back(struct slot_mm *sm, const struct slot_gone *gone);

#endif
