/*
 * The registers C cannot name with -mgeneral-regs-only: the 32 SIMD
 * registers with FPSR and FPCR, and the pointer-authentication
 * instructions (Armv8.3).
 */
#include "asm.h"

	.arch armv8.3-a

/* x0: 32 quadwords, then FPSR and FPCR (64 bits each). Loads them all. */
func simd_write
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	add	x0, x0, #512
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
endfunc simd_write

/* x0: where to store the same layout. Clobbers nothing else. */
func simd_read
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #512
	stp	x1, x2, [x0]
	ret
endfunc simd_read

/* x0, x1: a pointer and a modifier. Returns the PACGA of them (APGA key). */
func pac_generic
	pacga	x0, x0, x1
	ret
endfunc pac_generic

/* x0, x1: a pointer and a modifier. Returns the pointer signed with APIA. */
func pac_sign_ia
	pacia	x0, x1
	ret
endfunc pac_sign_ia

/* x0: a pointer signed by pac_sign_ia, x1: the modifier. Returns it
 * authenticated: the pointer if the key is the one that signed it,
 * otherwise with an error code in its top bits. */
func pac_auth_ia
	autia	x0, x1
	ret
endfunc pac_auth_ia

/* x0: null hypercalls (HC_NOP) to make, one after another. Clobbers x0-x3
 * (the call's results). */
func hvc_loop
	str	x19, [sp, #-16]!
	mov	x19, x0
1:	ldr	x0, =0xc6000000
	hvc	#0
	subs	x19, x19, #1
	b.ne	1b
	ldr	x19, [sp], #16
	ret
endfunc hvc_loop
