/* Places a VM's images and device tree in its memory (at boot and at every
 * reset) and says where its boot vCPU starts. */
#ifndef HYP_LOADER_H
#define HYP_LOADER_H

#include "config.h"
#include "types.h"
#include "vm_dt.h"

struct vm;

/*
 * The most one loading step writes: 1 MiB cleared or copied, on a board
 * about 50-200 us (at 5-20 GB/s), under QEMU TCG about 1 ms. Between steps
 * the CPU takes its interrupts and may run another vCPU, so this bounds
 * how long a reset holds a CPU at EL2 (docs/reliability.md).
 */
#define LOAD_STEP_BYTES (1UL << 20)

/* One range to write: zeroes (src NULL) or a copy of a pristine image. */
struct load_job {
	const char *what;
	u64 ipa, size;
	const u8 *src;
};

/* A load in progress: every RAM slot cleared, then the images copied, then
 * the device tree written. */
struct vm_load_plan {
	struct load_job job[MAX_SLOTS + 2 + MAX_VM_LOADS]; /* RAM, kernel, initrd, .loads */
	u32 nr_jobs, cur; /* the job under way */
	u64 done;         /* its bytes written so far */
	struct vm_dt_params dt;
	u64 entry_pc, dtb_ipa;
	bool quiet; /* a reload: its device partitions let go (io_front_quiet) */
};

/* Plans the load: where the kernel, initrd and device tree go. 0, or a
 * negative error already logged. */
int vm_load_begin(struct vm *vm);

/* vm's configuration as its device tree describes it now: with the slots
 * it has, run-time ones a manager made included (in *now, with slots, when
 * it has any; else its configuration itself). */
const struct vm_config *vm_config_now(const struct vm *vm, struct vm_config *now,
				      struct memslot slots[MAX_SLOTS]);
/* Writes at most LOAD_STEP_BYTES of the plan, or the device tree last:
 * 1 when the load is complete (vm->entry_pc and dtb_ipa set), 0 when more
 * remains, or a negative error already logged. */
int vm_load_step(struct vm *vm);

#endif
