/* The manager's slot hypercalls (include/hypercall.h HC_SLOT_*): up to five
 * arguments, x0 and x1 back. */
#ifndef GUEST_SLOTCALL_H
#define GUEST_SLOTCALL_H

#include "types.h"

struct slot_answer {
	s64 err;  /* x0: 0 or -errno */
	u64 rule; /* x1: enum slot_rule, or the bitmap size for dirty logs */
};

static inline struct slot_answer slot_call(u64 fid, u64 a1, u64 a2, u64 a3,
					   u64 a4, u64 a5)
{
	register u64 x0 __asm__("x0") = fid;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;
	register u64 x4 __asm__("x4") = a4;
	register u64 x5 __asm__("x5") = a5;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
			 :
			 : "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			   "x14", "x15", "x16", "x17", "memory");
	return (struct slot_answer){ (s64)x0, x1 };
}

#endif
