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

/* Adds an emulated window to vm (at VM creation). */
void mmio_add_region(struct vm *vm, const struct mmio_region *r);
const struct mmio_region *mmio_find(struct vm *vm, u64 ipa);

/* Emulates the access that faulted at ipa (ESR_EL2 esr, FAR_EL2 far) and
 * moves the vCPU past it. Returns false when the access cannot be emulated
 * (not a device window, or an instruction that cannot be decoded): the
 * caller then injects an abort; *why says what was wrong. */
bool mmio_emulate(struct vcpu *v, u64 ipa, u64 esr, u64 far, const char **why);

#endif
