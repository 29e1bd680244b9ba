/*
 * Decoding of the A64 loads and stores a guest may aim at an emulated
 * device when the abort syndrome does not describe the access (ESR.ISV = 0):
 * LDR/STR of every size in every addressing form (unsigned offset, unscaled,
 * pre- and post-index, register offset with extend and shift), sign-
 * extending loads, and LDP/STP/LDPSW in every form. Pure code, unit-tested
 * on the host.
 */
#ifndef HYP_INSN_H
#define HYP_INSN_H

#include "types.h"

/* The registers an address computation reads. */
struct insn_regs {
	const u64 *x; /* x0-x30 */
	u64 sp;       /* the stack pointer the instruction would use */
};

struct ldst {
	bool load;
	u8 size;          /* bytes per register */
	bool sign_extend; /* loads: extend the value's sign */
	bool dest64;      /* loads: to a 64-bit register (else 32, zero above) */
	u8 nregs;         /* 1, or 2 for a pair */
	u8 rt[2];         /* 31 is the zero register */
	u64 address;      /* of the first register's data */
	bool writeback;   /* base register updated to new_base */
	u8 rn;            /* base register; 31 is SP */
	u64 new_base;
};

/* 0 with *out filled, or -EINVAL for anything else (exclusives, atomics,
 * SIMD registers, literal loads, prefetches, unallocated encodings). */
int insn_decode_ldst(u32 insn, const struct insn_regs *regs, struct ldst *out);

#endif
