/*
 * An SMCCC call with every general register set to a known value, for the
 * check that a call the hypervisor answers leaves all but x0 as they were
 * (x18 included: GCC uses it as a general register in EL1 code).
 *
 * x0: the function ID, x1: u64 out[31]. Sets x1-x30 to 0x5a00 + n, makes
 * `hvc #0`, stores x0-x30 as the call left them into out[0..30].
 */
#include "asm.h"

#define MARK 0x5a00

	.section .text.hvc_regs_kept, "ax"
	.global hvc_regs_kept
	.type hvc_regs_kept, %function
hvc_regs_kept:
	stp	x29, x30, [sp, #-112]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	str	x1, [sp, #96]
	.irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	mov	x\n, #(MARK + \n)
	.endr
	hvc	#0
	stp	x0, x1, [sp, #-16]!
	ldr	x0, [sp, #16 + 96]
	stp	x2, x3, [x0, #8 * 2]
	stp	x4, x5, [x0, #8 * 4]
	stp	x6, x7, [x0, #8 * 6]
	stp	x8, x9, [x0, #8 * 8]
	stp	x10, x11, [x0, #8 * 10]
	stp	x12, x13, [x0, #8 * 12]
	stp	x14, x15, [x0, #8 * 14]
	stp	x16, x17, [x0, #8 * 16]
	stp	x18, x19, [x0, #8 * 18]
	stp	x20, x21, [x0, #8 * 20]
	stp	x22, x23, [x0, #8 * 22]
	stp	x24, x25, [x0, #8 * 24]
	stp	x26, x27, [x0, #8 * 26]
	stp	x28, x29, [x0, #8 * 28]
	str	x30, [x0, #8 * 30]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #112
	ret
	.size hvc_regs_kept, . - hvc_regs_kept
