/*
 * EL2 entry: the arm64 Image header, the boot CPU's path and the secondary
 * CPUs' path into C. Everything else is built in C (hyp/).
 *
 * Boot protocol (Linux Documentation/arm64/booting.rst, which QEMU -kernel,
 * U-Boot booti and TF-A's BL33 hand-off follow): MMU off, D-cache off or
 * cleaned, x0 = physical address of a DTB (may be 0), x1-x3 = 0.
 */
#include "asm.h"
#include "layout.h"

#define SCTLR_EL2_RES1 0x30c50830 /* RES1 bits with HCR_EL2.E2H = 0 */

	.section .head.text, "ax"
	.global _head
_head:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	HYP_TEXT_OFFSET			/* text_offset from 2 MiB base */
	.quad	_image_size			/* bytes to reserve, with bss */
	.quad	0x2				/* LE, 4 KiB pages, near RAM base */
	.quad	0, 0, 0				/* res2-res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

/*
 * The boot CPU.
 * x0: DTB physical address or 0 (kept in x19).
 */
func primary_entry
	.cfi_sections .debug_frame
	.cfi_startproc
	.cfi_undefined x30			/* outermost: nothing called us */
#ifdef BENCH
	/* Count instructions from here (make bench runs QEMU with -icount,
	 * where the cycle counter counts one per instruction): reset and
	 * enable PMCCNTR_EL0, counting at EL2 too (PMCCFILTR_EL0.NSH). */
	mov	x1, #(1 << 2 | 1 << 0)		/* PMCR_EL0.C, .E */
	msr	pmcr_el0, x1
	mov	x1, #(1 << 27)
	msr	pmccfiltr_el0, x1
	mov	x1, #(1 << 31)
	msr	pmcntenset_el0, x1
	isb
#endif
	mov	x19, x0
	mrs	x20, CurrentEL
	lsr	x20, x20, #2
	cmp	x20, #2
	b.eq	1f
	/* Wrong exception level: say so from C on CPU 0's stack, then stop. */
	bl	stack_top_cpu0
	mov	sp, x0
	mov	x0, x20
	bl	boot_wrong_el			/* does not return */

1:	bl	el2_reset_state
	/* Linked for one address: anywhere else, absolute pointers are wrong. */
	adr	x0, _head
	ldr	x1, =_head
	cmp	x0, x1
	b.eq	2f
	mov	x21, x0
	bl	stack_top_cpu0
	mov	sp, x0
	mov	x0, x21
	ldr	x1, =_head
	bl	boot_misplaced			/* does not return */

2:	/* Clear BSS, 64 bytes a turn (start and end 64-byte aligned by
	 * the linker script). With the MMU off memory is Device memory, so
	 * no DC ZVA; eight aligned doubleword stores are fine. */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
3:	cmp	x0, x1
	b.hs	4f
	stp	xzr, xzr, [x0]
	stp	xzr, xzr, [x0, #16]
	stp	xzr, xzr, [x0, #32]
	stp	xzr, xzr, [x0, #48]
	add	x0, x0, #64
	b	3b

4:	bl	stack_top_cpu0
	mov	sp, x0
	mrs	x0, mpidr_el1
	bl	boot_cpu_index			/* x0 = our index, or stops */
	mov	x22, x0
	bl	stack_top
	mov	sp, x0
	mov	x0, x22
	mov	x1, x19
	mov	x29, xzr			/* the outermost frame */
	bl	hyp_boot_main			/* does not return */
	.cfi_endproc
endfunc primary_entry

/*
 * A secondary CPU, started by PSCI CPU_ON or a spin-table release.
 * x0: this CPU's index (the PSCI context id; set by boot/spin_table code).
 */
func secondary_entry
	.cfi_sections .debug_frame
	.cfi_startproc
	.cfi_undefined x30			/* outermost: nothing called us */
	mov	x22, x0
	bl	el2_reset_state
	mov	x0, x22
	bl	stack_top
	mov	sp, x0
	mov	x0, x22
	mov	x29, xzr			/* the outermost frame */
	bl	hyp_secondary_main		/* does not return */
	.cfi_endproc
endfunc secondary_entry

/*
 * Puts EL2 in a known state: MMU and caches off, little-endian, nothing
 * trapped to EL2 from EL1 yet (U-Boot leaves HCR_EL2 set), our vectors.
 * Clobbers x0.
 */
func el2_reset_state
	ldr	x0, =SCTLR_EL2_RES1
	msr	sctlr_el2, x0
	msr	hcr_el2, xzr
	msr	tpidr_el2, xzr			/* no struct pcpu yet */
	adr_l	x0, el2_vectors
	msr	vbar_el2, x0
	isb
	ret
endfunc el2_reset_state

/*
 * x0: CPU index. Returns in x0 the top of that CPU's stack. Each stack sits
 * above an unmapped guard page. Clobbers x1.
 */
func stack_top
	mov	x1, #STACK_SLOT
	madd	x0, x0, x1, x1
	adr_l	x1, __stacks_start
	add	x0, x0, x1
	ret
endfunc stack_top

func stack_top_cpu0
	mov	x0, #0
	b	stack_top
endfunc stack_top_cpu0

/*
 * A secondary CPU released from a spin table: registers are not ours to
 * choose, so it finds its index by looking its MPIDR up in
 * spin_table_mpidrs (hyp/cpu/smp.c; cleaned to memory before release).
 */
func secondary_entry_spin
	mrs	x1, mpidr_el1
	ldr	x2, =0xff00ffffff		/* MPIDR affinity fields */
	and	x1, x1, x2
	adr_l	x2, spin_table_mpidrs
	mov	x0, #0
1:	ldr	x3, [x2, x0, lsl #3]
	cmp	x3, x1
	b.eq	secondary_entry
	add	x0, x0, #1
	cmp	x0, #MAX_CPUS
	b.lo	1b
2:	wfe					/* not ours: park */
	b	2b
endfunc secondary_entry_spin
