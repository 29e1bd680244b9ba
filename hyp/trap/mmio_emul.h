/* Emulated device windows of a VM, and the emulation of a guest's access
 * to one after a stage-2 abort. */
#ifndef HYP_MMIO_EMUL_H
#define HYP_MMIO_EMUL_H

#include "types.h"

struct vcpu;
struct vm;

struct mmio_region {
	const char *name;
	u64 base, size;
	/* offset within the window; size 1, 2, 4 or 8 */
	u64 (*read)(struct vcpu *v, u64 offset, unsigned size);
	void (*write)(struct vcpu *v, u64 offset, unsigned size, u64 value);
};

#define MAX_MMIO_REGIONS 6

/* Ends vm's windows, before any is added (vm_init_cpus_and_devices):
 * mmio_find's walk stops there. */
void mmio_init_vm(struct vm *vm);
/* Adds an emulated window to vm (at VM creation). */
void mmio_add_region(struct vm *vm, const struct mmio_region *r);

/* One decoded load or store to a device window: one register, or two for
 * a pair, each of size bytes at ipa[i]. A store's data is taken at decode
 * time, so the access can be finished later (a forwarded request). */
struct mmio_access {
	u64 ipa[2];
	u64 store[2]; /* stores: each register's value, masked to size */
	u8 nregs, size, rt[2];
	bool load, sign_extend, dest64;
	bool writeback; /* base register rn becomes new_base */
	u8 rn;
	u8 insn_len;    /* 4, or 2 for a 16-bit T32 instruction */
	u64 new_base;
};

/* The IPA the vCPU's own stage 1 gives va, by AT S1E1R (its EL1 state
 * loaded on this CPU, as in its exit): EL1 may read through any valid
 * stage-1 entry, so it translates whatever access faulted, a fetch or
 * EL0's included. */
enum guest_va {
	GUEST_VA_IPA,         /* *ipa set */
	GUEST_VA_UNMAPPED,    /* the translation faults (PAR_EL1.F) */
	GUEST_VA_WALK_ABORTED /* the walk took an external abort */
};
enum guest_va guest_va_to_ipa(u64 va, u64 *ipa);

/* Reads the A64 instruction at va through the vCPU's own stage 1 (its
 * EL1 state loaded on this CPU, as in its exit). false with *why. */
bool guest_insn_at(struct vcpu *v, u64 va, u32 *insn, const char **why);

/* Decodes the access that faulted at ipa (ESR_EL2 esr, FAR_EL2 far), which
 * must lie within [base, base + size). false with *why when it cannot be
 * done (unaligned, leaving the window, an instruction not emulated). */
bool mmio_decode(struct vcpu *v, u64 ipa, u64 esr, u64 far, u64 base,
		 u64 size, struct mmio_access *a, const char **why);
/* Finishes a decoded access: loads set their registers from loaded[]
 * (raw, zero-extended values), the base is written back, PC moves past. */
void mmio_complete(struct vcpu *v, const struct mmio_access *a,
		   const u64 loaded[2]);

/* Emulates the access that faulted at ipa (ESR_EL2 esr, FAR_EL2 far) and
 * moves the vCPU past it. Returns false when the access cannot be emulated
 * (not a device window, or an instruction that cannot be decoded): the
 * caller then injects an abort; *why says what was wrong. */
bool mmio_emulate(struct vcpu *v, u64 ipa, u64 esr, u64 far, const char **why);

#endif
