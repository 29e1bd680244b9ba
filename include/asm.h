/* Assembly helpers. func/endfunc give every routine its own section, a
 * type and a size; vector_entry/end_vector_entry fail the build when a
 * vector outgrows its 128 bytes. */
#ifndef ASM_H
#define ASM_H

#ifdef __ASSEMBLER__

.macro func name
	.section .text.\name, "ax"
	.type \name, %function
	.global \name
	.balign 4
\name:
.endm

.macro endfunc name
	.size \name, . - \name
.endm

/* PC-relative address of sym, valid before the MMU is on and wherever the
 * image was loaded. */
.macro adr_l reg, sym
	adrp \reg, \sym
	add \reg, \reg, :lo12:\sym
.endm

/*
 * x2-x29 to/from 16-byte-aligned slots 1-14 at [base] (x0/x1 live in
 * slot 0, saved and restored around these by the caller, which needs
 * scratch registers), and x30 at slot 15. The layout of struct vcpu_regs,
 * struct el2_frame and the guests' struct guest_regs alike.
 */
.macro save_x2_x30 base
	stp	x2, x3, [\base, #16 * 1]
	stp	x4, x5, [\base, #16 * 2]
	stp	x6, x7, [\base, #16 * 3]
	stp	x8, x9, [\base, #16 * 4]
	stp	x10, x11, [\base, #16 * 5]
	stp	x12, x13, [\base, #16 * 6]
	stp	x14, x15, [\base, #16 * 7]
	stp	x16, x17, [\base, #16 * 8]
	stp	x18, x19, [\base, #16 * 9]
	stp	x20, x21, [\base, #16 * 10]
	stp	x22, x23, [\base, #16 * 11]
	stp	x24, x25, [\base, #16 * 12]
	stp	x26, x27, [\base, #16 * 13]
	stp	x28, x29, [\base, #16 * 14]
	str	x30, [\base, #16 * 15]
.endm

.macro restore_x2_x30 base
	ldp	x2, x3, [\base, #16 * 1]
	ldp	x4, x5, [\base, #16 * 2]
	ldp	x6, x7, [\base, #16 * 3]
	ldp	x8, x9, [\base, #16 * 4]
	ldp	x10, x11, [\base, #16 * 5]
	ldp	x12, x13, [\base, #16 * 6]
	ldp	x14, x15, [\base, #16 * 7]
	ldp	x16, x17, [\base, #16 * 8]
	ldp	x18, x19, [\base, #16 * 9]
	ldp	x20, x21, [\base, #16 * 10]
	ldp	x22, x23, [\base, #16 * 11]
	ldp	x24, x25, [\base, #16 * 12]
	ldp	x26, x27, [\base, #16 * 13]
	ldp	x28, x29, [\base, #16 * 14]
	ldr	x30, [\base, #16 * 15]
.endm

.macro vector_entry name
	.balign 128
\name:
.endm

.macro end_vector_entry name
	.if (. - \name) > 128
	.error "vector \name is larger than 128 bytes"
	.endif
.endm

#endif
#endif
