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
/* Built with GUEST_ENTRY_PMCCNTR (GUEST_DEFS_<name> in the Makefile): the
 * entry code's first instruction reads PMCCNTR_EL0 into this, which the
 * payload defines. */
extern u64 guest_entry_pmccntr;

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
/* The same with a fourth argument in x4 (HC_DIRTY_LOG_GET takes one). */
void hvc_res4(u64 fid, u64 a1, u64 a2, u64 a3, u64 a4, struct smccc_res *res);

/* The same, with all of x0-x7 back in r[] (the forwarding calls). */
void hvc_regs(u64 fid, u64 a1, u64 a2, u64 a3, u64 r[8]);

/* PSCI 1.1 (Arm DEN 0022D): the functions guests call, and the results. */
#define PSCI_VERSION 0x84000000
#define PSCI_CPU_SUSPEND 0xc4000001
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0xc4000003
#define PSCI_CPU_ON_32 0x84000003
#define PSCI_AFFINITY_INFO 0xc4000004
#define PSCI_AFFINITY_INFO_32 0x84000004
#define PSCI_MIGRATE_INFO_TYPE 0x84000006
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009
#define PSCI_FEATURES 0x8400000a
#define SMCCC_VERSION 0x80000000
#define SMCCC_ARCH_FEATURES 0x80000001
#define SMCCC_ARCH_WORKAROUND_1 0x80008000
#define SMCCC_ARCH_WORKAROUND_2 0x80007fff
#define SMCCC_ARCH_WORKAROUND_3 0x80003fff

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INVALID_ADDRESS (-9)

#define AFFINITY_ON 0
#define AFFINITY_OFF 1
#define AFFINITY_ON_PENDING 2

/* The device tree (guests/common/bootargs.c): whether guest_dtb holds one,
 * its /chosen/bootargs ("" if none), and the number in a "name=value" word
 * of them (decimal or 0x hex), or def. */
bool dt_present(void);
const char *dt_bootargs(void);
u64 bootarg(const char *name, u64 def);

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
/* What cpu_on does before its call, for tests that make the call
 * themselves: records fn and arg for mpidr and returns the context id to
 * pass with guest_secondary_entry as the entry point. */
u64 secondary_prepare(u64 mpidr, void (*fn)(u64), u64 arg);
extern char guest_secondary_entry[];

/* Time from the virtual counter (no interrupts needed). */
static inline u64 counter_now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static inline u64 counter_ms(u64 ms)
{
	return ms * (read_sysreg(cntfrq_el0) / 1000);
}

void delay_ms(u64 ms);

/* The cycle counter (PMCCNTR_EL0) on, counting EL1 and, where the
 * hypervisor lets it (make bench's BENCH_PMU_COUNTS_EL2 VMs), EL2 too:
 * under -icount it counts instructions. Returns whether the counters were
 * already enabled (PMCR_EL0.E) before. */
bool pmu_cycles_start(void);

/*
 * Spins until cond holds or ms milliseconds have passed; true if it held.
 * Loads and stores of shared flags must be single-copy atomic and ordered
 * (READ_ONCE/WRITE_ONCE with dmb): with the MMU off, memory is Device
 * memory, where exclusives may not work.
 */
#define spin_until(cond, ms)                                        \
	({                                                          \
		u64 __end = counter_now() + counter_ms(ms);         \
		bool __held;                                        \
		while (!(__held = (cond)) && counter_now() < __end) \
			;                                           \
		__held;                                             \
	})

/*
 * Expected aborts (guests/common/catch.c): once catch_aborts() is called,
 * synchronous exceptions are counted in caught instead of failing the test.
 * A data abort resumes after the faulting instruction; an instruction abort
 * returns to x30, so a test reaches the address it fetches with a call.
 */
struct caught {
	u32 count; /* since catch_reset() */
	u64 esr, far, elr; /* of the last one */
};
extern volatile struct caught caught;
void catch_aborts(void);
void catch_reset(void);
/* Checks that exactly one abort was taken since catch_reset(), of class ec
 * (EC_DABT_CUR or EC_IABT_CUR) with a synchronous external abort fault
 * status, FAR = far and, for data aborts, WnR = write; reports the result
 * under name. */
bool expect_one_abort(u32 ec, u64 far, bool write, const char *name);
/* Checks that nothing was taken since catch_reset(); reports it. */
bool expect_no_abort(const char *name);

#define ESR_WNR BIT(6)
#define FSC_SYNC_EXTERNAL 0x10

#define EXC_SYNC 0
#define EXC_IRQ 1
#define EXC_FIQ 2
#define EXC_SERROR 3

#endif
