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
