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
#include "smccc_owners.h"
#include "vcpu.h"

#define FRAME_SIZE (36 * 8) /* struct el2_frame */

#define VEC_SYNC 0
#define VEC_IRQ 1
#define VEC_FIQ 2
#define VEC_SERROR 3

#define ESR_EC_SHIFT 26
#define EC_HVC64 0x16
#define SMCCC_NOT_SUPPORTED (-1)

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
	stp	x0, x1, [sp, #-16]!
	mrs	x1, esr_el2
	lsr	x1, x1, #ESR_EC_SHIFT
	cmp	x1, #EC_HVC64
	b.eq	low64_hvc
	mov	x1, #VEC_SYNC
	b	guest_exit_common
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
	save_x2_x30 sp
	add	x2, sp, #FRAME_SIZE
	str	x2, [sp, #16 * 15 + 8]		/* sp */
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
	restore_x2_x30 sp
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
	/* For debuggers: the hypervisor's outermost frame, no return address
	 * (the guest's registers are not a caller). */
	.cfi_sections .debug_frame
	.cfi_startproc
	.cfi_undefined x30
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_CURRENT_VCPU]
	save_x2_x30 x0
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #VCPU_REG_PC]
	/*
	 * Spectre: where the firmware says this CPU needs it, discard what
	 * the guest trained into the branch predictors before the first
	 * indirect branch (hyp/cpu/mitigations.c). The guest's registers are
	 * saved; x19/x20 survive the call (SMCCC).
	 */
	mrs	x19, tpidr_el2
	ldr	x2, [x19, #PCPU_BP_HARDEN_FID]
	cbz	x2, 1f
	mov	x20, x0
	mov	x0, x2
	smc	#0
	mov	x0, x20
1:
	/*
	 * SError attribution: an asynchronous abort the guest's accesses
	 * caused (a passed-through device's error response, say) may still
	 * be on its way. Complete them all, then open SErrors for the time
	 * of an isb: one pending now is taken here, at EL2, and belongs to
	 * this guest (el2_exception records it in pcpu.exit_serror and
	 * guest_exit stops or restarts its VM), not to whichever VM this CPU
	 * runs next. QEMU raises no SErrors for guests' accesses; on a board
	 * this is what keeps VM A's error from stopping VM B.
	 */
	dsb	sy
	msr	daifclr, #4
	.global exit_serror_window_start
exit_serror_window_start:
	isb
	.global exit_serror_window_end
exit_serror_window_end:
	msr	daifset, #4
	mov	x29, xzr	/* the frame chain ends here, not in the guest's x29 */
	bl	guest_exit
	b	guest_resume
	.cfi_endproc
	.size guest_exit_common, . - guest_exit_common

/*
 * An HVC from AArch64. [sp] = the guest's x0, x1; x0 its function ID.
 * A call of an SMCCC owner this hypervisor does not answer
 * (smccc_owners.h: handle_smccc would refuse it) is refused here, x0 =
 * NOT_SUPPORTED, every other register as it was, without an exit: a guest
 * probing for services costs a dozen instructions, not an exit's hundred
 * and fifty. Nothing of an exit is missed. The guest's vGIC state stays in
 * the list registers as it would while it runs; an interrupt or a kick
 * that arrived meanwhile, and an SError its earlier accesses raise, are
 * taken as soon as it is back (physical IRQs and SErrors go to EL2 whatever
 * its PSTATE), as exits of this same guest. No indirect branch runs, so the
 * branch-predictor hardening can wait for an exit that has one. To the watch
 * (spin_check, hyp/trap/trap.c) a refused call is no exit of its own: a
 * loop of them with interrupts masked is reported as a hang. Anything else
 * (a served owner) makes the full exit, x0/x1 still on the stack.
 */
	.type low64_hvc, %function
low64_hvc:
	ubfx	x1, x0, #SMCCC_OWNER_SHIFT, #SMCCC_OWNER_BITS
	cmp	x1, #SMCCC_OWNER_HYP		/* the hypercalls first: most made */
	b.eq	1f
	cmp	x1, #SMCCC_OWNER_STANDARD
	b.eq	1f
	cmp	x1, #SMCCC_OWNER_ARM
	b.eq	1f
	mov	x0, #SMCCC_NOT_SUPPORTED
	ldr	x1, [sp, #8]
	add	sp, sp, #16
	eret
1:	mov	x1, #VEC_SYNC
	b	guest_exit_common
	.size low64_hvc, . - low64_hvc

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
	restore_x2_x30 x0
	ldp	x0, x1, [x0]
	eret
endfunc guest_resume
