/*
 * Guest payload entry at EL1h (raw image at RAM base + 0x80000).
 * x0: DTB IPA (boot vCPU) or the context id (secondaries, from CPU_ON).
 */
#include "asm.h"

#define STACK_SIZE 0x4000
#define MAX_GUEST_CPUS 8

	.section .text.start, "ax"
	.global _start
_start:
#ifdef GUEST_ENTRY_PMCCNTR
	/* First of all, the cycle counter that a BENCH=1 hypervisor started
	 * at its own first instruction: its path to here (make bench). */
	mrs	x20, pmccntr_el0
#endif
	mov	x19, x0
	msr	daifset, #0xf
	adr_l	x1, guest_vectors
	msr	vbar_el1, x1
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	adr_l	x1, guest_dtb
	str	x19, [x1]
#ifdef GUEST_ENTRY_PMCCNTR
	adr_l	x1, guest_entry_pmccntr
	str	x20, [x1]
#endif
	mov	x0, #0
	bl	guest_stack_top
	mov	sp, x0
	isb
	bl	guest_main
	b	system_off

/* A secondary vCPU: x0 = our slot in guest_cpu_starts (from cpu_on). */
func guest_secondary_entry
	msr	daifset, #0xf
	adr_l	x1, guest_vectors
	msr	vbar_el1, x1
	mov	x19, x0
	bl	guest_stack_top
	mov	sp, x0
	isb
	mov	x0, x19
	bl	guest_secondary_main
1:	wfi
	b	1b
endfunc guest_secondary_entry

/* x0: CPU slot. Returns its stack top. Clobbers x1. */
func guest_stack_top
	add	x0, x0, #1
	mov	x1, #STACK_SIZE
	mul	x0, x0, x1
	adr_l	x1, guest_stacks
	add	x0, x0, x1
	ret
endfunc guest_stack_top

	.bss
	.balign 16
	.global guest_stacks
guest_stacks:
	.space	STACK_SIZE * MAX_GUEST_CPUS

/* EL1 vectors: every kind saves struct guest_regs and calls
 * guest_exception(regs, kind); the handler may change regs. */
.macro guest_vector kind
	.balign 128
	sub	sp, sp, #(36 * 8)
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	guest_exception_entry
.endm

	.section .text.vectors, "ax"
	.balign 2048
	.global guest_vectors
guest_vectors:
	guest_vector 0		/* current EL, SP_EL0 */
	guest_vector 1
	guest_vector 2
	guest_vector 3
	guest_vector 0		/* current EL, SP_ELx */
	guest_vector 1
	guest_vector 2
	guest_vector 3
	guest_vector 0		/* lower EL, AArch64 */
	guest_vector 1
	guest_vector 2
	guest_vector 3
	guest_vector 0		/* lower EL, AArch32 */
	guest_vector 1
	guest_vector 2
	guest_vector 3

guest_exception_entry:
	save_x2_x30 sp
	add	x2, sp, #(36 * 8)
	str	x2, [sp, #16 * 15 + 8]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #16 * 16]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #16 * 17]
	mov	x0, sp
	bl	guest_exception
	ldp	x2, x3, [sp, #16 * 16]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	restore_x2_x30 sp
	ldp	x0, x1, [sp]
	add	sp, sp, #(36 * 8)
	eret
