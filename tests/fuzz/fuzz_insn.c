/*
 * A libFuzzer target over the load/store decoder of MMIO emulation
 * (hyp/trap/insn.c): any instruction word, any register file.
 *
 * The decoder must not crash, and must agree with a second reading of the
 * word written here a different way, from the class masks of the Arm ARM's
 * encoding index (C4.1.66): which words are accepted, what moves, which
 * registers, whether the base is written back, the address and the new
 * base. On top of that, whatever is accepted must be in range: size 1, 2,
 * 4 or 8, one or two registers, registers below 32, pairs of 4 or 8 bytes.
 *
 * Input: the instruction (4 bytes, little-endian), then x0-x30 and SP
 * (8 bytes each); what the input lacks comes from a fixed pattern.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "errno.h"
#include "insn.h"

/* ---- The second reading ---- */

/* Load/store classes, general-purpose registers (V = 0): mask, value. */
#define CLASS_UIMM_MASK 0x3f000000u /* LDR/STR (unsigned immediate) */
#define CLASS_UIMM 0x39000000u
#define CLASS_IMM9_MASK 0x3f200000u /* unscaled, unprivileged, pre, post */
#define CLASS_IMM9 0x38000000u
#define CLASS_REG_MASK 0x3f200c00u /* LDR/STR (register offset) */
#define CLASS_REG 0x38200800u
#define CLASS_PAIR_MASK 0x3e000000u /* LDP/STP/LDNP/STNP/LDPSW */
#define CLASS_PAIR 0x28000000u

struct expect {
	bool load, sign, dest64;
	unsigned size, nregs, rt0, rt1, rn;
	u64 address;
	bool writeback;
	u64 new_base;
};

static u64 field(u32 insn, unsigned lo, unsigned width)
{
	return (insn >> lo) & ((1u << width) - 1);
}

/* A signed field: shifted to the top of 32 bits, then arithmetically down. */
static s64 signed_field(u32 insn, unsigned lo, unsigned width)
{
	return (s32)(insn << (32 - lo - width)) >> (32 - width);
}

/*
 * Single register, by [size][opc]: 0 unallocated or not a data access
 * (PRFM), else 'S' store, 'L' load, 'X' sign-extending load to X, 'W'
 * sign-extending load to W.
 */
static const char single_kinds[4][4] = {
	{ 'S', 'L', 'X', 'W' }, /* B: STRB LDRB LDRSB(X) LDRSB(W) */
	{ 'S', 'L', 'X', 'W' }, /* H */
	{ 'S', 'L', 'X', 0 },   /* W: STR LDR LDRSW - */
	{ 'S', 'L', 0, 0 },     /* X: STR LDR PRFM - */
};

static bool expect_single(u32 insn, const struct insn_regs *r,
			  struct expect *e)
{
	unsigned size = field(insn, 30, 2);
	char kind = single_kinds[size][field(insn, 22, 2)];
	u64 base;

	if (!kind)
		return false;
	e->size = 1u << size;
	e->load = kind != 'S';
	e->sign = kind == 'X' || kind == 'W';
	e->dest64 = kind == 'X' || (size == 3 && kind != 'W');
	e->nregs = 1;
	e->rt0 = field(insn, 0, 5);
	e->rn = field(insn, 5, 5);
	base = e->rn == 31 ? r->sp : r->x[e->rn];

	if ((insn & CLASS_UIMM_MASK) == CLASS_UIMM) {
		e->address = base + field(insn, 10, 12) * e->size;
		return true;
	}
	if ((insn & CLASS_IMM9_MASK) == CLASS_IMM9) {
		s64 imm = signed_field(insn, 12, 9);
		unsigned mode = field(insn, 10, 2);

		/* 00 unscaled, 01 post-index, 10 unprivileged, 11 pre */
		e->address = mode == 1 ? base : base + imm;
		e->writeback = mode & 1;
		e->new_base = base + imm;
		return true;
	}
	if ((insn & CLASS_REG_MASK) == CLASS_REG) {
		unsigned option = field(insn, 13, 3), m = field(insn, 16, 5);
		u64 rm = m == 31 ? 0 : r->x[m];
		u64 index;

		if (option == 2) /* UXTW */
			index = rm & 0xffffffffu;
		else if (option == 6) /* SXTW */
			index = (s64)(s32)(u32)rm;
		else if (option == 3 || option == 7) /* LSL, SXTX */
			index = rm;
		else
			return false;
		if (field(insn, 12, 1))
			index *= e->size;
		e->address = base + index;
		return true;
	}
	return false;
}

static bool expect_pair(u32 insn, const struct insn_regs *r, struct expect *e)
{
	unsigned opc = field(insn, 30, 2), mode = field(insn, 23, 2);
	bool load = field(insn, 22, 1);
	u64 base;
	s64 off;

	/* opc 00 W, 10 X, 01 LDPSW (loads, indexed or offset forms only) */
	if (opc == 3 || (opc == 1 && (!load || mode == 0)))
		return false;
	e->load = load;
	e->size = opc == 2 ? 8 : 4;
	e->sign = opc == 1;
	e->dest64 = opc != 0;
	e->nregs = 2;
	e->rt0 = field(insn, 0, 5);
	e->rt1 = field(insn, 10, 5);
	e->rn = field(insn, 5, 5);
	base = e->rn == 31 ? r->sp : r->x[e->rn];
	off = signed_field(insn, 15, 7) * (s64)e->size;

	/* 00 no-allocate, 01 post-index, 10 offset, 11 pre-index */
	e->address = mode == 1 ? base : base + off;
	e->writeback = mode & 1;
	e->new_base = base + off;
	return true;
}

static bool expect_ldst(u32 insn, const struct insn_regs *r, struct expect *e)
{
	*e = (struct expect){ 0 };
	if ((insn & CLASS_PAIR_MASK) == CLASS_PAIR)
		return expect_pair(insn, r, e);
	if ((insn & CLASS_UIMM_MASK) == CLASS_UIMM ||
	    (insn & CLASS_IMM9_MASK) == CLASS_IMM9 ||
	    (insn & CLASS_REG_MASK) == CLASS_REG)
		return expect_single(insn, r, e);
	return false;
}

/* ---- The target ---- */

static u32 insn;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz_insn: 0x%08x: ", insn);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

#define SAME(name, got, want)                                               \
	do {                                                                \
		if ((u64)(got) != (u64)(want))                              \
			fail("%s is 0x%lx, expected 0x%lx", name, (u64)(got), \
			     (u64)(want));                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u64 x[32];
	struct insn_regs regs = { .x = x };
	struct expect e;
	struct ldst o;
	int err;

	insn = 0;
	for (size_t i = 0; i < 4 && i < size; i++)
		insn |= (u32)data[i] << (8 * i);
	for (unsigned n = 0; n < 32; n++) {
		x[n] = 0x0101010101010101UL * n;
		for (size_t i = 0; i < 8 && 4 + 8 * n + i < size; i++) {
			x[n] &= ~(0xffUL << (8 * i));
			x[n] |= (u64)data[4 + 8 * n + i] << (8 * i);
		}
	}
	regs.sp = x[31];

	err = insn_decode_ldst(insn, &regs, &o);
	if (err && err != -EINVAL)
		fail("returned %d", err);
	if (!expect_ldst(insn, &regs, &e)) {
		if (!err)
			fail("accepted; not a general-purpose load or store");
		return 0;
	}
	if (err)
		fail("refused a general-purpose load or store");

	if (o.size != 1 && o.size != 2 && o.size != 4 && o.size != 8)
		fail("size %u", o.size);
	if (o.nregs != 1 && o.nregs != 2)
		fail("nregs %u", o.nregs);
	if (o.rt[0] >= 32 || o.rt[1] >= 32 || o.rn >= 32)
		fail("register out of range: rt %u, %u, rn %u", o.rt[0],
		     o.rt[1], o.rn);
	if (o.nregs == 2 && o.size != 4 && o.size != 8)
		fail("a pair of %u-byte registers", o.size);

	SAME("load", o.load, e.load);
	SAME("size", o.size, e.size);
	SAME("sign_extend", o.sign_extend, e.sign);
	SAME("dest64", o.dest64, e.dest64);
	SAME("nregs", o.nregs, e.nregs);
	SAME("rt[0]", o.rt[0], e.rt0);
	if (e.nregs == 2)
		SAME("rt[1]", o.rt[1], e.rt1);
	SAME("rn", o.rn, e.rn);
	SAME("writeback", o.writeback, e.writeback);
	SAME("address", o.address, e.address);
	if (e.writeback)
		SAME("new_base", o.new_base, e.new_base);
	return 0;
}
