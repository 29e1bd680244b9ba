/*
 * The measured loops of the benchmark payload. Each runs its body n times
 * (x0 = n, at least 1) between two reads of PMCCNTR_EL0 and returns the
 * difference in x0. A _bare twin is the same loop without the operation
 * measured. The loop state lives in x9-x17, which a hypercall preserves
 * (SMCCC 1.1: x4-x17 are the caller's across a call).
 */
#include "asm.h"

/*
 * x16 = the counter before the loop. Under QEMU -icount the counter is the
 * machine's instruction count, all CPUs together, and the other CPUs (idle
 * in this configuration) run only between one CPU's time slices: yield ends
 * this CPU's slice first, so whatever the others still have to do before
 * they sleep is done outside the count, and the measurement starts a full
 * slice. On hardware, yield is a hint that does nothing.
 */
.macro count_start
	yield
	isb
	mrs	x16, pmccntr_el0
.endm

/* x0 = the instructions since count_start. Clobbers x17. */
.macro count_end
	isb
	mrs	x17, pmccntr_el0
	sub	x0, x17, x16
.endm

/*
 * u64 loop_hvc_nop(u64 n, u64 fid): n hypercalls fid (HC_NOP) with no
 * arguments. Clobbers x0-x3, x9, x10, x16, x17.
 */
func loop_hvc_nop
	mov	x9, x0
	mov	x10, x1
	count_start
1:	mov	x0, x10
	hvc	#0
	subs	x9, x9, #1
	b.ne	1b
	count_end
	ret
endfunc loop_hvc_nop

func loop_hvc_nop_bare
	mov	x9, x0
	mov	x10, x1
	count_start
1:	mov	x0, x10
	subs	x9, x9, #1
	b.ne	1b
	count_end
	ret
endfunc loop_hvc_nop_bare

/*
 * u64 loop_hvc(u64 n, u64 fid, u64 a1, u64 a2, u64 a3, u64 a4): n
 * hypercalls fid with arguments x1-x4 set afresh for each (a call may
 * return results in them). Clobbers x0-x4, x9-x14, x16, x17.
 */
func loop_hvc
	mov	x9, x0
	mov	x10, x1
	mov	x11, x2
	mov	x12, x3
	mov	x13, x4
	mov	x14, x5
	count_start
1:	mov	x0, x10
	mov	x1, x11
	mov	x2, x12
	mov	x3, x13
	mov	x4, x14
	hvc	#0
	subs	x9, x9, #1
	b.ne	1b
	count_end
	ret
endfunc loop_hvc

func loop_hvc_bare
	mov	x9, x0
	mov	x10, x1
	mov	x11, x2
	mov	x12, x3
	mov	x13, x4
	mov	x14, x5
	count_start
1:	mov	x0, x10
	mov	x1, x11
	mov	x2, x12
	mov	x3, x13
	mov	x4, x14
	subs	x9, x9, #1
	b.ne	1b
	count_end
	ret
endfunc loop_hvc_bare

/*
 * u64 loop_read32(u64 n, u64 addr): n 32-bit loads from addr (a device
 * register). Clobbers x0, x9-x11, x16, x17.
 */
func loop_read32
	mov	x9, x0
	mov	x10, x1
	count_start
1:	ldr	w11, [x10]
	subs	x9, x9, #1
	b.ne	1b
	count_end
	ret
endfunc loop_read32

func loop_read32_bare
	mov	x9, x0
	mov	x10, x1
	count_start
1:	subs	x9, x9, #1
	b.ne	1b
	count_end
	ret
endfunc loop_read32_bare

/*
 * u64 loop_write32(u64 n, u64 addr, u64 value): n 32-bit stores of value to
 * addr (a device register). Clobbers x0, x9-x11, x16, x17.
 */
func loop_write32
	mov	x9, x0
	mov	x10, x1
	mov	x11, x2
	count_start
1:	str	w11, [x10]
	subs	x9, x9, #1
	b.ne	1b
	count_end
	ret
endfunc loop_write32

/*
 * u64 loop_write_pages(u64 n, u64 addr): one 64-bit store of zero at the
 * start of each of n consecutive 4 KiB pages from addr. Clobbers x0, x9,
 * x10, x16, x17.
 */
func loop_write_pages
	mov	x9, x0
	mov	x10, x1
	count_start
1:	str	xzr, [x10]
	add	x10, x10, #4096
	subs	x9, x9, #1
	b.ne	1b
	count_end
	ret
endfunc loop_write_pages
