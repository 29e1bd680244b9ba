/*
 * Address translation of a guest virtual address through the guest's own
 * stage 1, for decoding the instruction at its PC (mmio_emul.c).
 *
 * An AT instruction walks the guest's tables in guest memory. A stage-2
 * fault on that walk is reported in PAR_EL1, but an external abort on it
 * may be taken as an exception at EL2 instead (IMPLEMENTATION DEFINED, Arm
 * ARM D8.14 / PAR_EL1), synchronously or as an SError: with tables a guest
 * points at a passed-through device, say. Unhandled, it would be a
 * hypervisor crash caused by a guest. The AT runs in a window that
 * el2_exception (hyp/cpu/exception.c) knows: an exception taken there
 * resumes at guest_at_fixup, and the guest gets an abort injected instead.
 * SErrors are opened for the window so one the walk raises is taken in
 * it, not later in another VM's time.
 */
#include "asm.h"

/*
 * x0: the virtual address, x1: nonzero for an EL0 translation.
 * Returns in x0 PAR_EL1 after AT S1E0R/S1E1R, or ~0 when the walk raised
 * an exception. Clobbers PAR_EL1 (the caller puts the guest's back).
 */
func guest_at_s1
	msr	daifclr, #4
	.global guest_at_window_start
guest_at_window_start:
#ifdef SELFTEST_AT_FIXUP
	/* make SELFTEST=at-fixup: x1 = 2 reads [x0] here instead, to show
	 * that a fault in the window comes back as ~0 (hyp/main.c). */
	cmp	x1, #2
	b.ne	0f
	ldr	x0, [x0]
	b	2f
0:
#endif
	cbnz	x1, 1f
	at	s1e1r, x0
	b	2f
1:	at	s1e0r, x0
2:	isb
	dsb	sy		/* the walk's reads done: their SErrors due */
	isb
	.global guest_at_window_end
guest_at_window_end:
	msr	daifset, #4
	mrs	x0, par_el1
	ret
	.global guest_at_fixup
guest_at_fixup:
	msr	daifset, #4
	mov	x0, #-1
	ret
endfunc guest_at_s1
