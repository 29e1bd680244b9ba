/*
 * The measured code of the interrupt benchmarks (guests/bench-irq/main.c):
 * an IRQ vector whose first instruction reads PMCCNTR_EL0, the SGI
 * ping-pong loops, the virtual-counter phase and the wait for an interrupt.
 *
 * Under QEMU -icount the cycle counter is the machine's instruction count,
 * all CPUs together, and each CPU runs in turns until it halts (WFI), yields
 * or uses up its budget. The loops below therefore end the sending CPU's
 * turn right after each SGI write (wfi, or yield when the other side
 * spins), so that what is counted between a write and the target's vector
 * is the path of the interrupt and nothing else.
 *
 * Register x15 belongs to the IRQ vector: code that runs with IRQs
 * unmasked (only the loops of this file) must not use it.
 */
#include "asm.h"
#include "hypercall.h"

/* struct pingpong, main.c (checked there). */
#define PP_ROUNDS 0
#define PP_INITIATOR 8
#define PP_SGIR 16
#define PP_GICD_SGIR 24
#define PP_FLAG 32
#define PP_SENDS 40

#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

/*
 * EL1 vectors: IRQ from the current EL with SP_ELx (entry 5) is ours; every
 * other entry goes to the common runtime's (guests/common/start.S).
 */
.macro to_common n
	.balign 128
	b	guest_vectors + \n * 0x80
.endm

	.section .text.bench_vectors, "ax"
	.balign 2048
	.global bench_vectors
bench_vectors:
	to_common 0
	to_common 1
	to_common 2
	to_common 3
	to_common 4
	.balign 128
	mrs	x15, pmccntr_el0	/* the handler's first instruction */
	b	bench_irq_entry
	to_common 6
	to_common 7
	to_common 8
	to_common 9
	to_common 10
	to_common 11
	to_common 12
	to_common 13
	to_common 14
	to_common 15

/* Calls bench_irq(stamp) with the caller-saved registers preserved (the
 * handler takes no exception, so ELR_EL1 and SPSR_EL1 stay as they are). */
bench_irq_entry:
	sub	sp, sp, #(20 * 8)
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x16, [sp, #16 * 7]
	stp	x17, x18, [sp, #16 * 8]
	stp	x29, x30, [sp, #16 * 9]
	mov	x0, x15
	bl	bench_irq
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x16, [sp, #16 * 7]
	ldp	x17, x18, [sp, #16 * 8]
	ldp	x29, x30, [sp, #16 * 9]
	add	sp, sp, #(20 * 8)
	eret

/*
 * void pingpong_<gic>_<wait>(struct pingpong *pp): pp->rounds SGIs sent to
 * the other vCPU, each answered by one from it. The initiator sends first,
 * the other answers each. Around each SGI write the counter is read into
 * pp->sends (two words a round: before the write, and after it, when the
 * sender goes on), then the sender ends its turn at once: wfi (the other
 * side waits in WFI) or yield (it spins with IRQs unmasked). Between rounds
 * each side waits for its flag, which the IRQ handler sets, in WFI or by
 * spinning with yield (Linux's cpu_relax()). Before each SGI the sender
 * makes a null hypercall: that exit reads back the list register of the
 * interrupt it took last, a cost that belongs to that interrupt (main.c
 * measures it on its own), not to this SGI. The hypercall preserves
 * x4-x17 (SMCCC).
 *
 * send: a macro making the SGI write (x10 = the value, x11 = GICD_SGIR's
 * address for GICv2). after: what the sender does next. idle: the body of
 * the wait loop.
 */
.macro pingpong name, send, after, idle
func \name
	ldr	x9, [x0, #PP_ROUNDS]
	ldr	x7, [x0, #PP_INITIATOR]
	ldr	x10, [x0, #PP_SGIR]
	ldr	x11, [x0, #PP_GICD_SGIR]
	ldr	x12, [x0, #PP_FLAG]
	ldr	x8, [x0, #PP_SENDS]
	msr	daifclr, #2
	cbnz	x7, 2f
1:	ldr	w6, [x12]		/* wait for the other's SGI */
	cbnz	w6, 3f
	\idle
	b	1b
3:	str	wzr, [x12]
	cbz	x9, 4f			/* the initiator's last answer */
2:	mov	x0, #HC_NOP		/* an exit: no list register in use */
	hvc	#0
	isb
	mrs	x14, pmccntr_el0
	\send
	mrs	x13, pmccntr_el0
	\after
	stp	x14, x13, [x8], #16
	subs	x9, x9, #1
	b.ne	1b
	cbnz	x7, 1b			/* the initiator waits for the answer */
4:	msr	daifset, #2
	ret
endfunc \name
.endm

.macro send_v3
	msr	ICC_SGI1R_EL1, x10
.endm

.macro send_v2
	str	w10, [x11]
.endm

pingpong pingpong_v3_wfi, send_v3, wfi, wfi
pingpong pingpong_v3_spin, send_v3, yield, yield
pingpong pingpong_v2_wfi, send_v2, wfi, wfi
pingpong pingpong_v2_spin, send_v2, yield, yield

/*
 * void wait_irq_wfi(u32 *flag): with IRQs unmasked, waits in WFI until the
 * handler sets *flag, then clears it. The interrupt is taken straight from
 * the WFI: what the timer figures measure. (main.c's wait_flag() is the
 * race-free wait for everything else.)
 */
func wait_irq_wfi
	msr	daifclr, #2
1:	wfi
	ldr	w1, [x0]
	cbz	w1, 1b
	msr	daifset, #2
	str	wzr, [x0]
	ret
endfunc wait_irq_wfi

/*
 * void straight_line(u64 *start): with IRQs unmasked, reads the counter
 * into *start and runs STRAIGHT_ADDS adds from straight_adds on: an
 * interrupt taken there returns to straight_adds + 4 * (adds done before
 * it), so the instruction count at which it was taken is known exactly.
 */
#define STRAIGHT_ADDS 2048

func straight_line
	msr	daifclr, #2
	isb
	mrs	x2, pmccntr_el0
	.global straight_adds
straight_adds:
	.rept	STRAIGHT_ADDS
	add	x1, x1, #1
	.endr
	msr	daifset, #2
	str	x2, [x0]
	ret
endfunc straight_line

/*
 * void counter_phase(u64 out[18]): out[0] = PMCCNTR_EL0, then out[1..17] =
 * CNTVCT_EL0 read by the 17 instructions that follow it. Under icount the
 * virtual counter ticks once per 16 instructions, so exactly one of
 * out[2..17] is the first read of a new tick: at that instruction the
 * counter value and the instruction count line up.
 */
func counter_phase
	stp	x19, x20, [sp, #-16]!
	isb
	mrs	x1, pmccntr_el0
	mrs	x2, cntvct_el0
	mrs	x3, cntvct_el0
	mrs	x4, cntvct_el0
	mrs	x5, cntvct_el0
	mrs	x6, cntvct_el0
	mrs	x7, cntvct_el0
	mrs	x8, cntvct_el0
	mrs	x9, cntvct_el0
	mrs	x10, cntvct_el0
	mrs	x11, cntvct_el0
	mrs	x12, cntvct_el0
	mrs	x13, cntvct_el0
	mrs	x14, cntvct_el0
	mrs	x15, cntvct_el0
	mrs	x16, cntvct_el0
	mrs	x17, cntvct_el0
	mrs	x19, cntvct_el0
	stp	x1, x2, [x0, #16 * 0]
	stp	x3, x4, [x0, #16 * 1]
	stp	x5, x6, [x0, #16 * 2]
	stp	x7, x8, [x0, #16 * 3]
	stp	x9, x10, [x0, #16 * 4]
	stp	x11, x12, [x0, #16 * 5]
	stp	x13, x14, [x0, #16 * 6]
	stp	x15, x16, [x0, #16 * 7]
	stp	x17, x19, [x0, #16 * 8]
	ldp	x19, x20, [sp], #16
	ret
endfunc counter_phase

/*
 * u64 poll_counter(u64 cval): spins until CNTVCT_EL0 >= cval, then returns
 * PMCCNTR_EL0. The read that first sees cval is 3 instructions before the
 * counter's (cmp, b.lo, mrs), plus up to 2 more for the loop's phase.
 */
func poll_counter
1:	mrs	x1, cntvct_el0
	cmp	x1, x0
	b.lo	1b
	mrs	x0, pmccntr_el0
	ret
endfunc poll_counter

/*
 * The costs of one GIC CPU interface access, in instructions counted
 * between two reads of the counter (one more than the access costs).
 * u32 ack_v3(u64 *cost), ack_v2(u64 *cost, u64 gicc_iar): the
 * acknowledge, returning the IAR value. void eoi_v3(u32 iar, u64 *cost),
 * eoi_v2(u32 iar, u64 *cost, u64 gicc_eoir): the end of interrupt.
 * u64 counter_pair(void): the two reads with nothing between.
 */
func ack_v3
	mrs	x2, pmccntr_el0
	mrs	x1, ICC_IAR1_EL1
	mrs	x3, pmccntr_el0
	sub	x3, x3, x2
	str	x3, [x0]
	mov	w0, w1
	ret
endfunc ack_v3

func ack_v2
	mrs	x2, pmccntr_el0
	ldr	w4, [x1]
	mrs	x3, pmccntr_el0
	sub	x3, x3, x2
	str	x3, [x0]
	mov	w0, w4
	ret
endfunc ack_v2

func eoi_v3
	mrs	x2, pmccntr_el0
	msr	ICC_EOIR1_EL1, x0
	mrs	x3, pmccntr_el0
	sub	x3, x3, x2
	str	x3, [x1]
	ret
endfunc eoi_v3

func eoi_v2
	mrs	x3, pmccntr_el0
	str	w0, [x2]
	mrs	x4, pmccntr_el0
	sub	x4, x4, x3
	str	x4, [x1]
	ret
endfunc eoi_v2

/* u64 timed_hvc(u64 fid): the counter's advance over one hypercall. */
func timed_hvc
	isb
	mrs	x9, pmccntr_el0
	hvc	#0
	mrs	x0, pmccntr_el0
	sub	x0, x0, x9
	ret
endfunc timed_hvc

func counter_pair
	mrs	x1, pmccntr_el0
	mrs	x0, pmccntr_el0
	sub	x0, x0, x1
	ret
endfunc counter_pair
