/*
 * The small runtime the project's bare-metal guest payloads share: entry at
 * EL1 (raw image at RAM base + 0x80000, x0 = DTB), console on the virt
 * PL011, SMCCC/PSCI calls over HVC, an exception handler a test can hook,
 * and PASS/FAIL reporting in the kvm-unit-tests style.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>

#include "fmt.h"
#include "hypercall.h"
#include "sysreg.h"
#include "types.h"

/* Set by the entry code: the DTB address the hypervisor passed in x0. */
extern u64 guest_dtb;

void putc(char c);
void puts(const char *s);
void printf(const char *fmt, ...) __printf(1, 2);

/* SMCCC call over HVC (or SMC): returns x0, and x1-x3 in res[] if given. */
s64 hvc(u64 fid, u64 a1, u64 a2, u64 a3);
s64 smc(u64 fid, u64 a1, u64 a2, u64 a3);
struct smccc_res {
	u64 a0, a1, a2, a3;
};
void hvc_res(u64 fid, u64 a1, u64 a2, u64 a3, struct smccc_res *res);

/* Reporting: each check prints PASS: or FAIL: with its name. */
void report(bool ok, const char *fmt, ...) __printf(2, 3);
/* Prints the summary and powers the VM off (PSCI SYSTEM_OFF). */
void __noreturn report_done(void);
void __noreturn system_off(void);

/* Exceptions taken at EL1. A handler returns true when it handled the
 * exception (it may change regs->pc to skip the instruction). */
struct guest_regs {
	u64 x[31];
	u64 sp, pc, pstate;
	u64 esr, far;
};
typedef bool (*exception_handler)(struct guest_regs *regs, u64 kind);
void set_exception_handler(exception_handler h);

/* Secondary CPUs: started with PSCI CPU_ON at guest_secondary_entry, they
 * run fn(arg) on their own stack. */
s64 cpu_on(u64 mpidr, void (*fn)(u64), u64 arg);

#define EXC_SYNC 0
#define EXC_IRQ 1
#define EXC_FIQ 2
#define EXC_SERROR 3

#endif
