/* The common emulated register access, inline where a stage-2 abort is
 * resolved (abort.c) and in mmio_emulate. Apart from mmio_emul.h, which
 * vm.h includes: these need struct vm and struct vcpu whole. */
#ifndef HYP_MMIO_FAST_H
#define HYP_MMIO_FAST_H

#include "esr.h"
#include "mmio_emul.h"
#include "sysreg.h"
#include "vm.h"

/* The window holding ipa, or NULL. The walk ends at the sentinel after
 * the last window (mmio_add_region), which holds every address and has
 * no handlers: no count to load or test at each step. */
static inline const struct mmio_region *mmio_find(struct vm *vm, u64 ipa)
{
	const struct mmio_region *r = vm->mmio;

	while (ipa - r->base >= r->size)
		r++;
	return r->read ? r : NULL;
}

static inline u64 mmio_size_mask(unsigned size)
{
	return size >= 8 ? ~0UL : (1UL << (8 * size)) - 1;
}

/* A loaded value as the register gets it: sign-extended from size bytes
 * if asked, cut to 32 bits for a W register. Out of line: the fast path's
 * common load needs none of it, and would keep its constants in
 * callee-saved registers. */
static __attribute__((noinline, unused)) u64 mmio_load_value(u64 raw, unsigned size, bool sign, bool dest64)
{
	u64 val = raw & mmio_size_mask(size);

	if (sign && size < 8)
		val = (u64)((s64)(val << (64 - 8 * size)) >> (64 - 8 * size));
	return dest64 ? val : val & 0xffffffffUL;
}

/* mmio_load_value for the load the syndrome describes. Out of line with
 * it: the fast path computes none of its arguments. */
static __attribute__((noinline, unused)) u64 mmio_load_syndrome(u64 raw, u64 esr)
{
	return mmio_load_value(raw, 1u << ESR_DABT_SAS(esr), esr & ESR_DABT_SSE,
			       esr & ESR_DABT_SF);
}

/* One register the syndrome describes, aligned, to window r. */
static inline bool mmio_syndrome_access(const struct mmio_region *r, u64 ipa, u64 esr)
{
	return r && (esr & ESR_DABT_ISV) && !(ipa & ((1u << ESR_DABT_SAS(esr)) - 1));
}

/* That access, emulated, and the vCPU moved past it. */
static inline void mmio_emulate_one(struct vcpu *v, const struct mmio_region *r,
				    u64 ipa, u64 esr)
{
	unsigned size = 1u << ESR_DABT_SAS(esr);

	if (esr & ESR_DABT_WNR) {
		unsigned rt = ESR_DABT_SRT(esr);
		/* The register cut to size bytes: shifted up and back down,
		 * by 0 for 8 bytes (no test of the size). */
		unsigned cut = 64 - 8 * size;
		u64 val = rt == 31 ? 0 : v->regs.x[rt];

		r->write(v, ipa - r->base, size, val << cut >> cut);
	} else {
		u64 raw = r->read(v, ipa - r->base, size);
		/* Only v and esr kept across the call: the rest is decoded
		 * from esr again, cheaper than callee-saved registers. */
		__asm__("" : "+r"(esr));
		unsigned rt = ESR_DABT_SRT(esr);
		/* The common load, 4 bytes zero-extended: no more to it. */
		u64 val = ESR_DABT_SAS(esr) == 2 && !(esr & ESR_DABT_SSE) ?
				  (u32)raw :
				  mmio_load_syndrome(raw, esr);

		if (rt != 31)
			v->regs.x[rt] = val;
	}
	/* 4 bytes, or 2 for a 16-bit T32 instruction (ESR.IL clear). */
	v->regs.pc += 2 + ((esr & ESR_IL) ? 2 : 0);
}

/* mmio_emulate's common case alone, tried first on every stage-2 abort:
 * one register the syndrome describes, aligned, in an emulated window.
 * false: not that case, nothing done. */
static inline bool mmio_emulate_syndrome(struct vcpu *v, u64 ipa, u64 esr)
{
	const struct mmio_region *r = mmio_find(v->vm, ipa);

	if (!mmio_syndrome_access(r, ipa, esr))
		return false;
	mmio_emulate_one(v, r, ipa, esr);
	return true;
}

#endif
