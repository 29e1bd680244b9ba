/* The error policy (docs/architecture.md, "Errors"):
 *  - bad data from outside (a guest, a configuration) is reported and
 *    recovered from, never asserted on;
 *  - ASSERT is for the hypervisor's own invariants only;
 *  - panic() stops this CPU after saying where, and is reserved for the
 *    hypervisor's own bugs. */
#ifndef PANIC_H
#define PANIC_H

#include "types.h"

void panic_at(const char *file, int line, const char *fmt, ...)
	__printf(3, 4) __noreturn;

#define panic(fmt, ...) panic_at(__FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define ASSERT(cond)                                               \
	do {                                                       \
		if (__builtin_expect(!(cond), 0))                  \
			panic("assertion failed: %s", #cond);      \
	} while (0)

#define BUILD_ASSERT(cond, msg) _Static_assert(cond, msg)

#endif
