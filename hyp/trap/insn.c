/* A64 load/store decoding (Arm ARM C4.1.66 "Loads and Stores"; see insn.h). */
#include "insn.h"
#include "errno.h"

static u64 bits(u32 insn, unsigned hi, unsigned lo)
{
	return (insn >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static s64 sign_extend(u64 v, unsigned width)
{
	return (s64)(v << (64 - width)) >> (64 - width);
}

static u64 reg_or_zero(const struct insn_regs *r, unsigned n)
{
	return n == 31 ? 0 : r->x[n];
}

static u64 base_reg(const struct insn_regs *r, unsigned n)
{
	return n == 31 ? r->sp : r->x[n];
}

/* size (log2 bytes) and opc of a single-register load/store: what it
 * moves, or false for prefetches and unallocated encodings. */
static bool single_kind(unsigned size, unsigned opc, struct ldst *o)
{
	o->size = 1u << size;
	switch (opc) {
	case 0: /* STR */
		o->load = false;
		o->dest64 = size == 3;
		return true;
	case 1: /* LDR, zero-extending */
		o->load = true;
		o->dest64 = size == 3;
		return true;
	case 2: /* LDRSB/LDRSH/LDRSW to Xt; size 3 is PRFM */
		if (size == 3)
			return false;
		o->load = true;
		o->sign_extend = true;
		o->dest64 = true;
		return true;
	case 3: /* LDRSB/LDRSH to Wt; no LDRSW or 64-bit form */
		if (size >= 2)
			return false;
		o->load = true;
		o->sign_extend = true;
		o->dest64 = false;
		return true;
	}
	return false;
}

/* Register-offset extension: UXTW, LSL (UXTX), SXTW, SXTX. */
static bool extend_offset(u64 rm, unsigned option, unsigned shift, u64 *off)
{
	switch (option) {
	case 2: rm = (u32)rm; break;
	case 3: break;
	case 6: rm = (u64)(s64)(s32)rm; break;
	case 7: break;
	default: return false;
	}
	*off = rm << shift;
	return true;
}

static int decode_single(u32 insn, const struct insn_regs *r, struct ldst *o)
{
	unsigned size = bits(insn, 31, 30), opc = bits(insn, 23, 22);
	unsigned rn = bits(insn, 9, 5);
	u64 base = base_reg(r, rn);

	if (!single_kind(size, opc, o))
		return -EINVAL;
	o->nregs = 1;
	o->rt[0] = bits(insn, 4, 0);
	o->rn = rn;

	if (bits(insn, 25, 24) == 1) { /* unsigned 12-bit offset, scaled */
		o->address = base + (bits(insn, 21, 10) << size);
		return 0;
	}
	if (bits(insn, 21, 21) == 0) { /* 9-bit signed immediate forms */
		s64 imm = sign_extend(bits(insn, 20, 12), 9);

		switch (bits(insn, 11, 10)) {
		case 0: /* unscaled (LDUR/STUR) */
		case 2: /* unprivileged (LDTR/STTR): same access here */
			o->address = base + imm;
			return 0;
		case 1: /* post-index */
			o->address = base;
			o->writeback = true;
			o->new_base = base + imm;
			return 0;
		case 3: /* pre-index */
			o->address = base + imm;
			o->writeback = true;
			o->new_base = o->address;
			return 0;
		}
	}
	if (bits(insn, 11, 10) == 2) { /* register offset */
		u64 off;
		unsigned shift = bits(insn, 12, 12) ? size : 0;

		if (!extend_offset(reg_or_zero(r, bits(insn, 20, 16)),
				   bits(insn, 15, 13), shift, &off))
			return -EINVAL;
		o->address = base + off;
		return 0;
	}
	return -EINVAL; /* atomics and others share the space */
}

static int decode_pair(u32 insn, const struct insn_regs *r, struct ldst *o)
{
	unsigned opc = bits(insn, 31, 30), load = bits(insn, 22, 22);
	unsigned rn = bits(insn, 9, 5), scale;
	u64 base = base_reg(r, rn);

	switch (opc) {
	case 0: /* 32-bit */
		scale = 2;
		o->dest64 = false;
		break;
	case 1: /* LDPSW; no store (STGP) and no no-allocate form */
		if (!load || bits(insn, 25, 23) == 0)
			return -EINVAL;
		scale = 2;
		o->sign_extend = true;
		o->dest64 = true;
		break;
	case 2: /* 64-bit */
		scale = 3;
		o->dest64 = true;
		break;
	default:
		return -EINVAL;
	}
	s64 off = sign_extend(bits(insn, 21, 15), 7) * (1L << scale);

	o->load = load;
	o->size = 1u << scale;
	o->nregs = 2;
	o->rt[0] = bits(insn, 4, 0);
	o->rt[1] = bits(insn, 14, 10);
	o->rn = rn;
	switch (bits(insn, 25, 23)) {
	case 0: /* no-allocate pair (LDNP/STNP), signed offset */
	case 2: /* signed offset */
		o->address = base + off;
		return 0;
	case 1: /* post-index */
		o->address = base;
		o->writeback = true;
		o->new_base = base + off;
		return 0;
	case 3: /* pre-index */
		o->address = base + off;
		o->writeback = true;
		o->new_base = o->address;
		return 0;
	}
	return -EINVAL;
}

int insn_decode_ldst(u32 insn, const struct insn_regs *regs, struct ldst *out)
{
	*out = (struct ldst){ 0 };
	/*
	 * Loads and stores have bit 27 set and bit 25 clear (op0 = x1x0);
	 * with bit 25 set the same bits 29:27 are data processing (ADCS,
	 * CCMP, ...). General-purpose registers only (V, bit 26, clear).
	 */
	if (bits(insn, 27, 25) != 4)
		return -EINVAL;
	if (bits(insn, 29, 27) == 7) /* xx111x0x: single register */
		return decode_single(insn, regs, out);
	if (bits(insn, 29, 27) == 5) /* xx101x0x: pair */
		return decode_pair(insn, regs, out);
	return -EINVAL;
}
