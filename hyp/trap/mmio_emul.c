/* Emulated device windows and the emulation of one access (see mmio.h). */
#include "mmio_emul.h"
#include "esr.h"
#include "insn.h"
#include "sysreg.h"
#include "vm.h"

void mmio_add_region(struct vm *vm, const struct mmio_region *r)
{
	if (vm->nr_mmio < MAX_MMIO_REGIONS)
		vm->mmio[vm->nr_mmio++] = *r;
}

const struct mmio_region *mmio_find(struct vm *vm, u64 ipa)
{
	for (u32 i = 0; i < vm->nr_mmio; i++)
		if (ipa - vm->mmio[i].base < vm->mmio[i].size)
			return &vm->mmio[i];
	return NULL;
}

#define PSTATE_MODE_MASK 0xfUL
#define PSTATE_EL0T 0x0UL
#define PSTATE_EL1T 0x4UL
#define PSTATE_AARCH32 BIT(4)

/* The stack pointer the vCPU's current mode uses. */
static u64 guest_sp(const struct vcpu *v)
{
	u64 mode = v->regs.pstate & PSTATE_MODE_MASK;

	return (mode == PSTATE_EL0T || mode == PSTATE_EL1T) ?
		       read_sysreg(sp_el0) : read_sysreg(sp_el1);
}

static void set_guest_sp(const struct vcpu *v, u64 sp)
{
	u64 mode = v->regs.pstate & PSTATE_MODE_MASK;

	if (mode == PSTATE_EL0T || mode == PSTATE_EL1T)
		write_sysreg(sp, sp_el0);
	else
		write_sysreg(sp, sp_el1);
}

/* guest_at.S: PAR_EL1 after AT, or GUEST_AT_FAULTED when the walk raised
 * an exception at EL2 (an external abort). */
u64 guest_at_s1(u64 va, u64 el0);
#define GUEST_AT_FAULTED (~0UL)
#define PAR_F BIT(0)

/* Reads the instruction at the vCPU's PC through its own stage 1. */
static bool fetch_insn(struct vcpu *v, u32 *insn, const char **why)
{
	u64 saved = read_sysreg(par_el1);
	u64 par, va = v->regs.pc;

	par = guest_at_s1(va, (v->regs.pstate & PSTATE_MODE_MASK) == PSTATE_EL0T);
	write_sysreg(saved, par_el1); /* PAR_EL1 is the guest's */
	if (par == GUEST_AT_FAULTED) {
		*why = "the walk of its stage-1 tables for its instruction took "
		       "an external abort";
		return false;
	}
	/* F clear: PA[47:12] is the IPA of the page (stage 1 only); its
	 * memory attributes do not matter for a read through EL2's map. */
	if (par & PAR_F) {
		*why = "its instruction could not be read (its stage-1 "
		       "translation faults)";
		return false;
	}
	if (guest_read(&v->vm->mem, (par & GENMASK(47, 12)) | (va & 0xfff),
		       insn, 4)) {
		*why = "its instruction could not be read (not in its RAM)";
		return false;
	}
	return true;
}

static u64 size_mask(unsigned size)
{
	return size >= 8 ? ~0UL : (1UL << (8 * size)) - 1;
}

/* One register's worth: a load sets rt, a store sends it. */
static void access_reg(struct vcpu *v, const struct mmio_region *r, u64 ipa,
		       bool load, unsigned size, bool sign, bool dest64,
		       unsigned rt)
{
	u64 off = ipa - r->base;

	if (!load) {
		u64 val = rt == 31 ? 0 : v->regs.x[rt];
		r->write(v, off, size, val & size_mask(size));
		return;
	}
	u64 val = r->read(v, off, size) & size_mask(size);

	if (sign && size < 8)
		val = (u64)((s64)(val << (64 - 8 * size)) >> (64 - 8 * size));
	if (!dest64)
		val &= 0xffffffffUL;
	if (rt != 31)
		v->regs.x[rt] = val;
}

bool mmio_emulate(struct vcpu *v, u64 ipa, u64 esr, u64 far, const char **why)
{
	const struct mmio_region *r = mmio_find(v->vm, ipa);
	struct ldst op;
	u32 insn;

	if (!r) {
		*why = "no slot or device there";
		return false;
	}
	if (esr & ESR_DABT_ISV) {
		unsigned size = 1u << ESR_DABT_SAS(esr);

		if (ipa & (size - 1)) {
			*why = "unaligned access to an emulated device";
			return false;
		}
		access_reg(v, r, ipa, !(esr & ESR_DABT_WNR), size,
			   esr & ESR_DABT_SSE, esr & ESR_DABT_SF,
			   ESR_DABT_SRT(esr));
		v->regs.pc += (esr & ESR_IL) ? 4 : 2; /* T32 may be 16-bit */
		return true;
	}
	if (v->regs.pstate & PSTATE_AARCH32) {
		*why = "an AArch32 access the syndrome does not describe";
		return false;
	}

	/* No syndrome: decode the instruction (LDP/STP, writeback forms). */
	struct insn_regs regs = { .x = v->regs.x, .sp = guest_sp(v) };

	if (!fetch_insn(v, &insn, why))
		return false;
	if (insn_decode_ldst(insn, &regs, &op)) {
		*why = "an instruction the hypervisor does not emulate on devices "
		       "(exclusive, atomic, SIMD or literal)";
		return false;
	}
	/* The IPA of the first register's data: FAR and the IPA name the
	 * same byte. */
	u64 first = ipa - (far - op.address);
	u64 total = (u64)op.size * op.nregs;

	if (far - op.address >= total || (first & (op.size - 1)) ||
	    mmio_find(v->vm, first) != r || mmio_find(v->vm, first + total - 1) != r) {
		*why = "an access that is unaligned or leaves the device window";
		return false;
	}
	for (unsigned i = 0; i < op.nregs; i++)
		access_reg(v, r, first + i * op.size, op.load, op.size,
			   op.sign_extend, op.dest64, op.rt[i]);
	if (op.writeback) {
		if (op.rn == 31)
			set_guest_sp(v, op.new_base);
		else
			v->regs.x[op.rn] = op.new_base;
	}
	v->regs.pc += 4;
	return true;
}
