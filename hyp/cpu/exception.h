/* Exceptions taken at EL2 from EL2 itself: always a hypervisor bug (guests
 * never cause them), reported in words, after which the CPU stops. */
#ifndef HYP_EXCEPTION_H
#define HYP_EXCEPTION_H

#include "types.h"

/* Saved by vectors.S; offsets fixed there. */
struct el2_frame {
	u64 x[31];
	u64 sp;
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
};

enum el2_vector {
	VEC_SYNC,
	VEC_IRQ,
	VEC_FIQ,
	VEC_SERROR,
};

void el2_exception(struct el2_frame *f, enum el2_vector kind);
void el2_stack_overflow(u64 elr, u64 esr, u64 far, u64 sp) __noreturn;

/* Prints the frame-pointer chain starting at fp, with symbol names. */
void backtrace_print(u64 pc, u64 fp);

/* Stops this CPU for good: interrupts masked, waiting forever. */
void cpu_stop(void) __noreturn;

#endif
