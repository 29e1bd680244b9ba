/*
 * A VM's guest-physical memory: its slot table at run time, the stage-2
 * tables built from it, guest memory access by IPA and dirty logging (the
 * bare-metal counterparts of KVM's memslots, kvm_read_guest/kvm_write_guest
 * and KVM_GET_DIRTY_LOG).
 *
 * Everything here is pure and builds for the host; TLB maintenance and page
 * allocation come in through struct pt_mm_ops.
 */
#ifndef MM_STAGE2_H
#define MM_STAGE2_H

#include "config.h"
#include "guest_platform.h"
#include "pgtable.h"
#include "platform.h"
#include "spinlock.h"

/* ---- Planning: what a VM's stage 2 will look like, without building it ---- */

/* The VM's guest physical address size: its configured ipa_bits, else the
 * smallest of 36, 40, 42, 44, 48 that holds every slot and virtual device
 * (36 bits keeps a level-1 root, so 1 GiB blocks stay possible). */
unsigned vm_ipa_bits(const struct vm_config *vm, unsigned cpu_pa_bits);

/* The prot a slot's flags give its stage-2 mapping. */
pt_prot_t slot_prot(u32 flags);

/* Pages of translation tables the VM's stage 2 takes (root included). */
u64 vm_table_pages(const struct vm_config *vm, const struct platform *plat,
		   unsigned ipa_bits);

/* Table pages below the root that mapping [ipa, ipa + size) to pa alone
 * takes with leaves no larger than top_level's. */
u64 mapping_table_pages(u64 ipa, u64 pa, u64 size, unsigned top_level,
			unsigned ipa_bits);

/* Pages of dirty bitmap a LOG_DIRTY slot of size bytes needs. */
u64 slot_bitmap_pages(u64 size);

/* Guest-physical windows the hypervisor emulates or maps for the VM itself
 * (the vGIC, the vUART, the flash banks): slots may not overlap them.
 * Returns how many. */
struct vm_window {
	const char *name;
	u64 ipa, size;
	u64 pa; /* backing for windows mapped straight through (GICv2 GICV), else 0 */
};
#define MAX_VM_WINDOWS 7
u32 vm_windows(const struct vm_config *vm, const struct platform *plat,
	       struct vm_window out[MAX_VM_WINDOWS]);

/* The IPA where flash bank b starts. */
static inline u64 flash_bank_ipa(u32 b)
{
	return VIRT_FLASH_BASE + (u64)b * VIRT_FLASH_BANK_SIZE;
}

/* ---- The built VM ---- */

struct slot_state {
	struct memslot cfg;
	u64 *dirty;    /* LOG_DIRTY: one bit per page, set on first write */
	u64 nr_pages;
	struct pt_map_stats stats; /* leaves by level backing the slot */
};

struct vm_mem {
	struct slot_state slots[MAX_SLOTS]; /* sorted by IPA */
	u32 nr_slots;
	unsigned ipa_bits;
	struct pgtable s2;
	u32 fixed_ids;   /* bit n: slot n is the configuration's */
	spinlock_t lock; /* dirty-log reads against dirty-log faults and
			  * run-time slot changes (mm/slot_update.c) */
};

/* Builds the VM's stage 2 from its slots and virtual windows. 0, or
 * -ENOMEM (the checker keeps that from happening) or -EINVAL. */
int vm_mem_build(struct vm_mem *m, const struct vm_config *vm,
		 const struct platform *plat, unsigned cpu_pa_bits, u16 vmid,
		 const struct pt_mm_ops *mm);

/* Maps flash bank's host RAM (.flash_ram) read-only and executable (on:
 * read-array mode) or clears those entries, tables kept, its VMID's TLBs
 * invalidated (off: command mode, every access traps). Nothing is
 * allocated once the VM is built. 0, or -EINVAL for a bank without RAM. */
int vm_mem_flash_map(struct vm_mem *m, const struct vm_config *vm, u32 bank,
		     bool on);

/* The slot holding ipa, or NULL. Binary search. */
struct slot_state *vm_mem_find(struct vm_mem *m, u64 ipa);
struct slot_state *vm_mem_slot_by_id(struct vm_mem *m, u32 id);

/* Prints the VM's map: each slot's IPA and PA ranges, flags and the 1G/2M/4K
 * leaves backing it, then the emulated windows. The firmware at boot and the
 * host tool (make memmap) print exactly the same lines. */
typedef void (*map_printf)(void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vm_mem_print(const struct vm_mem *m, const struct vm_config *vm,
		  const struct platform *plat, map_printf out, void *ctx);

/* ---- Guest memory by IPA (kvm_read_guest / kvm_write_guest) ---- */

/* Copies between guest memory and buf, across slot boundaries. Refuses
 * (-EFAULT) any byte outside RAM slots (DEVICE slots included: their
 * registers are not memory) and, for writes, READONLY slots (-EPERM).
 * Writes mark LOG_DIRTY pages. Nothing is copied when any byte is refused. */
int guest_read(struct vm_mem *m, u64 ipa, void *buf, u64 len);
int guest_write(struct vm_mem *m, u64 ipa, const void *buf, u64 len);
/* The loader's write: may fill READONLY slots, marks nothing dirty. */
int guest_load(struct vm_mem *m, u64 ipa, const void *buf, u64 len);
/* Zeroes [ipa, ipa + len) of RAM slots, as guest_load would. */
int guest_clear(struct vm_mem *m, u64 ipa, u64 len);
/* The host address of [ipa, ipa + len) when it lies within one RAM slot
 * (for a write: one the guest may write, whose LOG_DIRTY pages are then
 * marked), else NULL. For hypercall buffers. */
void *guest_ptr(struct vm_mem *m, u64 ipa, u64 len, bool write);

/* ---- Dirty logging (KVM_GET_DIRTY_LOG) ---- */

/* Drops this CPU's TLB entries for the page at ipa: an access retried after
 * a permission fault that another CPU's change already allowed would else
 * fault on a stale one for ever. */
void vm_mem_tlb_drop_local(struct vm_mem *m, u64 ipa);

/* A write fault at ipa in a LOG_DIRTY slot: records the page and lets the
 * guest write it. 0, or -ENOENT when ipa is not in a LOG_DIRTY slot. */
int dirty_log_write_fault(struct vm_mem *m, u64 ipa);

/* Copies the slot's bitmap into out (words of 64 pages, as KVM lays them
 * out), clears it, and write-protects the pages that were dirty again.
 * -ENOENT for a slot id that does not exist or does not log, -EINVAL when
 * out is too small; *words gets the bitmap's length either way. */
int dirty_log_get_and_clear(struct vm_mem *m, u32 slot_id, u64 *out,
			    u64 *words);

#endif
