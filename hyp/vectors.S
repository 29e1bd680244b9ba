/*
 * EL2 exception vectors (Arm ARM D1.10.2: four groups of four 128-byte
 * entries: current EL with SP_EL0, current EL with SP_ELx, lower EL AArch64,
 * lower EL AArch32).
 *
 * Exceptions from EL2 itself are hypervisor bugs: the entry checks for a
 * stack overflow, saves a struct el2_frame on the stack and calls
 * el2_exception(frame, kind).
 *
 * Exceptions from a guest save its general registers into the running
 * vCPU (TPIDR_EL2 -> struct pcpu -> current) and call
 * guest_exit(vcpu, kind), which returns the vCPU to run next; its
 * registers are restored and it is entered. While a guest runs, SP_EL2 is
 * the top of this CPU's stack, so nothing is on it.
 */
#include "asm.h"
#include "layout.h"
#include "percpu.h"
#include "vcpu.h"

#define FRAME_SIZE (36 * 8) /* struct el2_frame */

#define VEC_SYNC 0
#define VEC_IRQ 1
#define VEC_FIQ 2
#define VEC_SERROR 3

/*
 * Reserves a frame and saves x0/x1 in it; on an overflow (the frame would
 * leave this CPU's stack for its guard) moves to the emergency stack and
 * reports. Leaves x1 = kind.
 */
.macro el2_entry kind
	sub	sp, sp, #FRAME_SIZE
	add	sp, sp, x0		/* sp = frame + x0, x0 still intact */
	sub	x0, sp, x0		/* x0 = frame */
	tbz	x0, #STACK_SHIFT, el2_overflow
	sub	x0, sp, x0		/* x0 = original x0 */
	sub	sp, sp, x0		/* sp = frame */
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	el2_save_and_handle
.endm

.macro guest_entry kind
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	guest_exit_common
.endm

	.section .text.vectors, "ax"
	.balign 2048
	.global el2_vectors
el2_vectors:
vector_entry cur_sp0_sync
	el2_entry VEC_SYNC
end_vector_entry cur_sp0_sync
vector_entry cur_sp0_irq
	el2_entry VEC_IRQ
end_vector_entry cur_sp0_irq
vector_entry cur_sp0_fiq
	el2_entry VEC_FIQ
end_vector_entry cur_sp0_fiq
vector_entry cur_sp0_serror
	el2_entry VEC_SERROR
end_vector_entry cur_sp0_serror

vector_entry cur_spx_sync
	el2_entry VEC_SYNC
end_vector_entry cur_spx_sync
vector_entry cur_spx_irq
	el2_entry VEC_IRQ
end_vector_entry cur_spx_irq
vector_entry cur_spx_fiq
	el2_entry VEC_FIQ
end_vector_entry cur_spx_fiq
vector_entry cur_spx_serror
	el2_entry VEC_SERROR
end_vector_entry cur_spx_serror

vector_entry low64_sync
	guest_entry VEC_SYNC
end_vector_entry low64_sync
vector_entry low64_irq
	guest_entry VEC_IRQ
end_vector_entry low64_irq
vector_entry low64_fiq
	guest_entry VEC_FIQ
end_vector_entry low64_fiq
vector_entry low64_serror
	guest_entry VEC_SERROR
end_vector_entry low64_serror

vector_entry low32_sync
	guest_entry VEC_SYNC
end_vector_entry low32_sync
vector_entry low32_irq
	guest_entry VEC_IRQ
end_vector_entry low32_irq
vector_entry low32_fiq
	guest_entry VEC_FIQ
end_vector_entry low32_fiq
vector_entry low32_serror
	guest_entry VEC_SERROR
end_vector_entry low32_serror

/*
 * x0/x1 saved at [sp]; x1 = kind. Saves the rest of struct el2_frame, calls
 * el2_exception(frame, kind) and, if it returns, resumes where the exception
 * was taken.
 */
/* The handlers stay in the vectors' section: tbz above reaches only 32 KiB. */
	.type el2_save_and_handle, %function
el2_save_and_handle:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x2, sp, #FRAME_SIZE
	stp	x30, x2, [sp, #16 * 15]		/* x30, sp */
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #16 * 16]		/* elr, spsr */
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #16 * 17]		/* esr, far */
	mov	x0, sp
	bl	el2_exception

	ldp	x2, x3, [sp, #16 * 16]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #16 * 15]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret
	.size el2_save_and_handle, . - el2_save_and_handle

/*
 * The stack overflowed into its guard: nothing can be pushed. Move to this
 * CPU's emergency stack and report. x0 = the frame that did not fit.
 */
	.type el2_overflow, %function
el2_overflow:
	add	x3, x0, #FRAME_SIZE
	mrs	x0, tpidr_el2
	cbz	x0, .				/* before pcpu_init: nowhere to go */
	ldr	x0, [x0, #PCPU_EMERGENCY_SP]
	mov	sp, x0
	mrs	x0, elr_el2
	mrs	x1, esr_el2
	mrs	x2, far_el2
	bl	el2_stack_overflow		/* does not return */
	.size el2_overflow, . - el2_overflow

/*
 * A guest exited. [sp] = its x0, x1; x1 = kind. Saves everything into the
 * current vCPU and calls guest_exit(vcpu, kind).
 */
	.type guest_exit_common, %function
guest_exit_common:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_CURRENT_VCPU]
	stp	x2, x3, [x0, #16 * 1]
	stp	x4, x5, [x0, #16 * 2]
	stp	x6, x7, [x0, #16 * 3]
	stp	x8, x9, [x0, #16 * 4]
	stp	x10, x11, [x0, #16 * 5]
	stp	x12, x13, [x0, #16 * 6]
	stp	x14, x15, [x0, #16 * 7]
	stp	x16, x17, [x0, #16 * 8]
	stp	x18, x19, [x0, #16 * 9]
	stp	x20, x21, [x0, #16 * 10]
	stp	x22, x23, [x0, #16 * 11]
	stp	x24, x25, [x0, #16 * 12]
	stp	x26, x27, [x0, #16 * 13]
	stp	x28, x29, [x0, #16 * 14]
	str	x30, [x0, #8 * 30]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #VCPU_REG_PC]
	bl	guest_exit
	b	guest_resume
	.size guest_exit_common, . - guest_exit_common

/*
 * x0: the vCPU to enter, x1: the stack top to leave SP_EL2 at.
 */
func guest_enter
	mov	sp, x1
	b	guest_resume
endfunc guest_enter

/* x0: the vCPU. Restores its registers and enters it. */
func guest_resume
	ldp	x2, x3, [x0, #VCPU_REG_PC]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x0, #16 * 1]
	ldp	x4, x5, [x0, #16 * 2]
	ldp	x6, x7, [x0, #16 * 3]
	ldp	x8, x9, [x0, #16 * 4]
	ldp	x10, x11, [x0, #16 * 5]
	ldp	x12, x13, [x0, #16 * 6]
	ldp	x14, x15, [x0, #16 * 7]
	ldp	x16, x17, [x0, #16 * 8]
	ldp	x18, x19, [x0, #16 * 9]
	ldp	x20, x21, [x0, #16 * 10]
	ldp	x22, x23, [x0, #16 * 11]
	ldp	x24, x25, [x0, #16 * 12]
	ldp	x26, x27, [x0, #16 * 13]
	ldp	x28, x29, [x0, #16 * 14]
	ldr	x30, [x0, #8 * 30]
	ldp	x0, x1, [x0]
	eret
endfunc guest_resume
