/*
 * The hostile guest's assembly: recovery from its own exceptions (hz_try,
 * hz_recover), SMCCC calls with every argument register, and one function
 * per memory access form. Each access function takes x0 = the address its
 * access must reach and x1 = a value to store; it returns what it loaded
 * (or a store-exclusive's status) in x0. Forms with an offset or writeback
 * compute a base that puts the access at x0.
 */
#include "asm.h"

	.arch_extension fp
	.arch_extension simd

/* x0: jb (13 words), x1: fn, x2, x3: its arguments. Returns fn's x0. */
func hz_try_asm
	stp	x19, x20, [x0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	mov	x4, sp
	stp	x29, x4, [x0, #80]
	str	x30, [x0, #96]
	mov	x19, x0
	mov	x16, x1
	mov	x0, x2
	mov	x1, x3
	blr	x16
	ldr	x30, [x19, #96]
	ldr	x19, [x19]
	ret
endfunc hz_try_asm

/* Entered by the exception handler's return, x0 = the jb of the hz_try
 * that faulted: back to its caller with 0. */
func hz_recover
	ldp	x19, x20, [x0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x1, [x0, #80]
	mov	sp, x1
	ldr	x30, [x0, #96]
	mov	x0, #0
	ret
endfunc hz_recover

/* x0: u64 r[18], x1: the stub (an HVC or SMC, then RET). x0-x17 are
 * loaded from r[] and stored back after the call. */
func hz_call_regs
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
	ldp	x8, x9, [x19, #64]
	ldp	x10, x11, [x19, #80]
	ldp	x12, x13, [x19, #96]
	ldp	x14, x15, [x19, #112]
	ldp	x16, x17, [x19, #128]
	ldp	x0, x1, [x19]
	blr	x20
	stp	x0, x1, [x19]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
	stp	x8, x9, [x19, #64]
	stp	x10, x11, [x19, #80]
	stp	x12, x13, [x19, #96]
	stp	x14, x15, [x19, #112]
	stp	x16, x17, [x19, #128]
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
endfunc hz_call_regs

/* x0: where to branch. Comes back only if what is there returns. */
func hz_branch
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	blr	x0
	ldp	x29, x30, [sp], #16
	ret
endfunc hz_branch

/* One access form: up to four instructions with x0 = address, x1 = value
 * (each quoted: a statement separator would end the macro's arguments). */
.macro access name, i1, i2, i3, i4
func hz_\name
	\i1
	\i2
	\i3
	\i4
	ret
endfunc hz_\name
.endm

/* Loads, single register. */
access ldrb, "ldrb w0, [x0]"
access ldrh, "ldrh w0, [x0]"
access ldrw, "ldr w0, [x0]"
access ldrx, "ldr x0, [x0]"
access ldrsbx, "ldrsb x0, [x0]"
access ldrshw, "ldrsh w0, [x0]"
access ldrsw, "ldrsw x0, [x0]"
access ldurx, "sub x2, x0, #3", "ldur x0, [x2, #3]"
access ldrx_imm, "sub x2, x0, #16", "ldr x0, [x2, #16]"
access ldrx_pre, "sub x2, x0, #8", "ldr x0, [x2, #8]!"
access ldrx_post, "mov x2, x0", "ldr x0, [x2], #8"
access ldrw_sxtw, "add x2, x0, #12", "mov w3, #-3", "ldr w0, [x2, w3, sxtw #2]"
access ldrx_lsl, "sub x2, x0, #8", "mov x3, #1", "ldr x0, [x2, x3, lsl #3]"
access ldtrx, "ldtr x0, [x0]"
access ldrxzr, "ldr xzr, [x0]", "mov x0, #0"

/* Stores, single register. */
access strb, "strb w1, [x0]"
access strh, "strh w1, [x0]"
access strw, "str w1, [x0]"
access strx, "str x1, [x0]"
access sturx, "add x2, x0, #5", "stur x1, [x2, #-5]"
access strx_pre, "sub x2, x0, #8", "str x1, [x2, #8]!"
access strx_post, "mov x2, x0", "str x1, [x2], #8"
access strw_lsl, "sub x2, x0, #4", "mov x3, #1", "str w1, [x2, x3, lsl #2]"
access sttrx, "sttr x1, [x0]"
access strxzr, "str xzr, [x0]"

/* Pairs. */
access ldpw, "ldp w0, w1, [x0]"
access ldpx, "ldp x0, x1, [x0]"
access ldpsw, "ldpsw x0, x1, [x0]"
access ldpx_pre, "sub x2, x0, #16", "ldp x0, x1, [x2, #16]!"
access ldpx_post, "mov x2, x0", "ldp x0, x1, [x2], #16"
access ldnpx, "ldnp x0, x1, [x0]"
access stpw, "stp w1, w1, [x0]"
access stpx, "stp x1, x1, [x0]"
access stpx_pre, "add x2, x0, #16", "stp x1, x1, [x2, #-16]!"
access stpx_post, "mov x2, x0", "stp xzr, x1, [x2], #32"
access stnpx, "stnp x1, x1, [x0]"

/* Exclusives and acquire/release (store-exclusives return their status). */
access ldxrb, "ldxrb w0, [x0]", "clrex"
access ldxrh, "ldxrh w0, [x0]", "clrex"
access ldxrw, "ldxr w0, [x0]", "clrex"
access ldxrx, "ldxr x0, [x0]", "clrex"
access ldaxrx, "ldaxr x0, [x0]", "clrex"
access ldxr_stxr, "ldxr x2, [x0]", "stxr w3, x1, [x0]", "mov x0, x3"
access ldaxr_stlxr, "ldaxr w2, [x0]", "stlxr w3, w1, [x0]", "mov x0, x3"
access stxr, "stxr w2, x1, [x0]", "mov x0, x2"
access ldxp_stxp, "ldxp x2, x3, [x0]", "stxp w4, x2, x3, [x0]", "mov x0, x4"
access ldarx, "ldar x0, [x0]"
access ldarb, "ldarb w0, [x0]"
access stlrx, "stlr x1, [x0]"
access stlrh, "stlrh w1, [x0]"

/* Atomics: only run when ID_AA64ISAR0_EL1.Atomic says the CPU has them. */
	.arch_extension lse
access ldaddx, "ldadd x1, x2, [x0]", "mov x0, x2"
access swpx, "swp x1, x2, [x0]", "mov x0, x2"
access casx, "mov x2, xzr", "cas x2, x1, [x0]", "mov x0, x2"
access ldaddb, "ldaddb w1, w2, [x0]", "mov x0, x2"
access staddx, "stadd x1, [x0]"

/* FP/SIMD registers. */
access ldrb_v, "ldr b0, [x0]", "fmov w0, s0"
access ldrh_v, "ldr h0, [x0]", "fmov w0, s0"
access ldrs_v, "ldr s0, [x0]", "fmov w0, s0"
access ldrd_v, "ldr d0, [x0]", "fmov x0, d0"
access ldrq_v, "ldr q0, [x0]", "fmov x0, d0"
access strq_v, "fmov d0, x1", "str q0, [x0]"
access ld1_v, "ld1 {v0.16b}, [x0]", "fmov x0, d0"
access st1_v, "fmov d0, x1", "st1 {v0.16b}, [x0]"
access ldpq_v, "ldp q0, q1, [x0]", "fmov x0, d0"
access ld1r_v, "ld1r {v0.8b}, [x0]", "fmov x0, d0"
access ld4_v, "ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x0]", "fmov x0, d0"

/* Cache maintenance and prefetches. */
access dc_civac, "dc civac, x0"
access dc_cvac, "dc cvac, x0"
access dc_cvau, "dc cvau, x0"
access dc_ivac, "dc ivac, x0"
access dc_zva, "dc zva, x0"
access ic_ivau, "ic ivau, x0"
access prfm_ld, "prfm pldl1keep, [x0]"
access prfm_st, "prfm pstl1strm, [x0]"
