/*
 * The abort-loop way's EL1 vectors (guests/crash/main.c): every
 * synchronous entry returns straight to the instruction that took it,
 * fixing nothing, so a load from a hole faults again for ever. The other
 * entries go to the common runtime's (guests/common/start.S).
 */
#include "asm.h"

/* A synchronous entry: back to ELR_EL1, the faulting instruction. */
.macro back_to_fault
	.balign 128
	eret
.endm

.macro to_common n
	.balign 128
	b	guest_vectors + \n * 0x80
.endm

	.section .text.loop_vectors, "ax"
	.balign 2048
	.global loop_vectors
loop_vectors:
	back_to_fault		/* current EL, SP_EL0 */
	to_common 1
	to_common 2
	to_common 3
	back_to_fault		/* current EL, SP_ELx */
	to_common 5
	to_common 6
	to_common 7
	back_to_fault		/* lower EL, AArch64 */
	to_common 9
	to_common 10
	to_common 11
	back_to_fault		/* lower EL, AArch32 */
	to_common 13
	to_common 14
	to_common 15
