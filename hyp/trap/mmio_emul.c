/* Emulated device windows and the emulation of one access (see mmio.h). */
#include "mmio_emul.h"
#include "mmio_fast.h"
#include "esr.h"
#include "panic.h"
#include "insn.h"
#include "sysreg.h"
#include "vm.h"

/* After the last window: every IPA lies in it (an IPA is at most 52
 * bits), and no handler says "no window". */
static const struct mmio_region sentinel = { .name = "none", .size = ~0UL };

void mmio_init_vm(struct vm *vm)
{
	vm->nr_mmio = 0;
	vm->mmio[0] = sentinel;
}

void mmio_add_region(struct vm *vm, const struct mmio_region *r)
{
	ASSERT(r->read && r->write && vm->mmio[vm->nr_mmio].read == NULL);
	if (vm->nr_mmio < MAX_MMIO_REGIONS) {
		vm->mmio[vm->nr_mmio++] = *r;
		vm->mmio[vm->nr_mmio] = sentinel;
	}
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

enum guest_va guest_va_to_ipa(u64 va, u64 *ipa)
{
	u64 saved = read_sysreg(par_el1);
	u64 par = guest_at_s1(va, 0);

	write_sysreg(saved, par_el1); /* PAR_EL1 is the guest's */
	if (par == GUEST_AT_FAULTED)
		return GUEST_VA_WALK_ABORTED;
	if (par & PAR_F)
		return GUEST_VA_UNMAPPED;
	*ipa = (par & GENMASK(47, 12)) | (va & 0xfff);
	return GUEST_VA_IPA;
}

bool guest_insn_at(struct vcpu *v, u64 va, u32 *insn, const char **why)
{
	u64 ipa;

	switch (guest_va_to_ipa(va, &ipa)) {
	case GUEST_VA_WALK_ABORTED:
		*why = "the walk of its stage-1 tables for its instruction took "
		       "an external abort";
		return false;
	case GUEST_VA_UNMAPPED:
		*why = "its instruction could not be read (its stage-1 "
		       "translation faults)";
		return false;
	case GUEST_VA_IPA:
		break;
	}
	/* Its memory attributes do not matter for a read through EL2's map. */
	if (guest_read(&v->vm->mem, ipa, insn, 4)) {
		*why = "its instruction could not be read (not in its RAM)";
		return false;
	}
	return true;
}

bool mmio_decode(struct vcpu *v, u64 ipa, u64 esr, u64 far, u64 base,
		 u64 size, struct mmio_access *a, const char **why)
{
	struct ldst op;
	u32 insn;

	if (esr & ESR_DABT_ISV) {
		unsigned bytes = 1u << ESR_DABT_SAS(esr);
		unsigned rt = ESR_DABT_SRT(esr);

		if (ipa & (bytes - 1)) {
			*why = "unaligned access to a device window";
			return false;
		}
		*a = (struct mmio_access){
			.ipa = { ipa }, .nregs = 1, .size = bytes, .rt = { rt },
			.load = !(esr & ESR_DABT_WNR),
			.sign_extend = esr & ESR_DABT_SSE,
			.dest64 = esr & ESR_DABT_SF,
			.insn_len = (esr & ESR_IL) ? 4 : 2, /* T32 may be 16-bit */
		};
		a->store[0] = (rt == 31 ? 0 : v->regs.x[rt]) & mmio_size_mask(bytes);
		return true;
	}
	if (v->regs.pstate & PSTATE_AARCH32) {
		*why = "an AArch32 access the syndrome does not describe";
		return false;
	}

	/* No syndrome: decode the instruction (LDP/STP, writeback forms). */
	struct insn_regs regs = { .x = v->regs.x, .sp = guest_sp(v) };

	if (!guest_insn_at(v, v->regs.pc, &insn, why))
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
	    first - base >= size || first + total - 1 - base >= size) {
		*why = "an access that is unaligned or leaves the device window";
		return false;
	}
	*a = (struct mmio_access){
		.nregs = op.nregs, .size = op.size, .load = op.load,
		.sign_extend = op.sign_extend, .dest64 = op.dest64,
		.writeback = op.writeback, .rn = op.rn, .new_base = op.new_base,
		.insn_len = 4,
	};
	for (unsigned i = 0; i < op.nregs; i++) {
		a->ipa[i] = first + i * op.size;
		a->rt[i] = op.rt[i];
		a->store[i] = (op.rt[i] == 31 ? 0 : v->regs.x[op.rt[i]]) &
			      mmio_size_mask(op.size);
	}
	return true;
}

void mmio_complete(struct vcpu *v, const struct mmio_access *a,
		   const u64 loaded[2])
{
	for (unsigned i = 0; a->load && i < a->nregs; i++)
		if (a->rt[i] != 31)
			v->regs.x[a->rt[i]] = mmio_load_value(loaded[i], a->size,
							 a->sign_extend, a->dest64);
	if (a->writeback) {
		if (a->rn == 31)
			set_guest_sp(v, a->new_base);
		else
			v->regs.x[a->rn] = a->new_base;
	}
	v->regs.pc += a->insn_len;
}

bool mmio_emulate(struct vcpu *v, u64 ipa, u64 esr, u64 far, const char **why)
{
	const struct mmio_region *r = mmio_find(v->vm, ipa);
	struct mmio_access a;
	u64 loaded[2] = { 0, 0 };

	if (!r) {
		*why = "no slot or device there";
		return false;
	}
	if (mmio_syndrome_access(r, ipa, esr)) {
		mmio_emulate_one(v, r, ipa, esr);
		return true;
	}
	if (!mmio_decode(v, ipa, esr, far, r->base, r->size, &a, why))
		return false;
	for (unsigned i = 0; i < a.nregs; i++) {
		if (a.load)
			loaded[i] = r->read(v, a.ipa[i] - r->base, a.size);
		else
			r->write(v, a.ipa[i] - r->base, a.size, a.store[i]);
	}
	mmio_complete(v, &a, loaded);
	return true;
}
