/*
 * Virtual CPUs: the state a guest CPU needs while it does not own a
 * physical CPU, and its power state (PSCI). Each vCPU is pinned to one
 * physical CPU by the configuration; several may share one (hyp/vcpu/sched.c).
 */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

/* Offsets the guest entry/exit assembly uses; checked in vcpu.c. */
#define VCPU_REGS 0
#define VCPU_REG_PC (31 * 8)
#define VCPU_REG_PSTATE (32 * 8)

#ifndef __ASSEMBLER__

#include "pauth.h"
#include "spinlock.h"
#include "types.h"
#include "vdebug.h"
#include "vgic.h"
#include "vpmu.h"

struct vm;

/* The registers a vCPU claims on first use (CLAIMED_* below). */
struct vcpu_lazy_regs {
	struct pauth_keys pauth;
	struct vpmu_state pmu;
	struct vdebug_state dbg;
};

/* General registers, saved on every exit (offset 0 of struct vcpu). */
struct vcpu_regs {
	u64 x[31];
	u64 pc;     /* ELR_EL2 */
	u64 pstate; /* SPSR_EL2 */
};

/* EL1 system registers: live in the CPU while the vCPU runs, saved here
 * only when another vCPU takes the physical CPU. */
struct el1_sysregs {
	u64 sctlr, actlr, cpacr, ttbr0, ttbr1, tcr, mair, amair;
	u64 vbar, contextidr, tpidr_el0, tpidrro_el0, tpidr_el1;
	u64 sp_el0, sp_el1, elr, spsr, esr, far, afsr0, afsr1, par;
	u64 cntkctl, csselr, mdscr;
	u64 cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
	u64 tpidr2;  /* SME's TPIDR2_EL0, where the CPU has it */
	u64 vdisr;   /* VDISR_EL2: the DISR_EL1 guests see (RAS) */
};

struct fpsimd_state {
	__uint128_t q[32];
	u64 fpsr, fpcr;
};

enum vcpu_power {
	VCPU_OFF,        /* not started, or CPU_OFF */
	VCPU_ON_PENDING, /* CPU_ON accepted, not yet entered */
	VCPU_ON,
};

struct vcpu {
	struct vcpu_regs regs; /* first: the assembly stores here */
	struct el1_sysregs sys;
	struct fpsimd_state fp;
	struct vm *vm;
	u32 index; /* within the VM */
	u32 pcpu;  /* the physical CPU it runs on */
	u64 vmpidr;

	spinlock_t power_lock;
	enum vcpu_power power;
	/* Where CPU_ON asked it to start. */
	u64 entry_pc, entry_x0;
	bool reset_pending; /* enter at entry_pc with a clean EL1 */

	struct vgic_cpu vgic;

	bool wfi;          /* blocked in WFI until an interrupt is pending */
	u64 wake_at;       /* WFIT: or until the counter reaches this, if set */
	bool io_wait;      /* waits for a forwarded access's answer (hyp/io);
			    * wfi is set with it, so the fast path skips it */
	bool state_loaded; /* its EL1 state is in the CPU */
	/* What it has claimed by using it once (a trap), CLAIMED_*, and
	 * SWITCH_OPTIONAL where the CPU has TPIDR2_EL0 or VDISR_EL2: what is
	 * switched beyond the common set, tested once per switch. MDCR_EL2
	 * follows the claims (vcpu_claimed()). */
	u8 claimed;
	u64 mdcr;
	/* Fault detection: where the last injected exception sent it (a
	 * fault right there means its vectors are broken), and since when
	 * an interrupt has waited in a list register untaken (watchdog). */
	u64 inject_target;
	u64 irq_pending_since;
	bool stall_reported; /* for this wait (stall_ms) */
	/* Spinning in place (stall_ms): the PC it had at the watch timer's
	 * looks, with interrupts masked and no exit of its own, since when. */
	u64 spin_pc, spin_since;
	bool spin_reported;
	/* The last exception injected from EL1: the registers it faulted
	 * with, its ESR and FAR, and how many identical ones followed in a
	 * row (a handler that returns to the fault unfixed; hyp/trap/inject.c). */
	struct vcpu_regs inject_regs;
	u64 inject_esr, inject_far;
	u32 inject_repeats;

	u64 last_abort_log_ns; /* rate limit for the abort log line */
	u32 aborts_suppressed;
	/* Its claimed registers' saved values, kept out of struct vcpu
	 * (which struct vm holds inline): large, and used by few vCPUs. */
	struct vcpu_lazy_regs *lazy;
};

#define CLAIMED_PAUTH BIT(0)
#define CLAIMED_PMU BIT(1)
#define CLAIMED_DEBUG BIT(2)
#define SWITCH_OPTIONAL BIT(3)

/* Puts a vCPU in its reset state: EL1h, all DAIF masked, MMU off, pc and
 * x0 as given, x1-x3 zero (the Linux arm64 boot protocol). */
void vcpu_reset(struct vcpu *v, u64 pc, u64 x0);

/* Reads which optional EL1 registers the CPU has; once, before any VM. */
void vcpu_init_features(void);

/* Saves the EL1 state of the vCPU the CPU holds, loads another's. */
void vcpu_save_state(struct vcpu *v);
void vcpu_load_state(struct vcpu *v);

/* The EL2 controls for running v: HCR_EL2, VTTBR_EL2, VMPIDR_EL2, ... */
void vcpu_load_traps(struct vcpu *v);
/* Its HCR_EL2, which follows what it has claimed. */
u64 vcpu_hcr(const struct vcpu *v);
/* Records that v (running) claimed what: its MDCR_EL2 and HCR_EL2 are
 * recomputed and written. */
void vcpu_claimed(struct vcpu *v, u8 what);

/* Enters v for the first time on this CPU, discarding the stack. */
void __noreturn vcpu_enter_first(struct vcpu *v);
/* boot/entry-side assembly: restore v's registers and eret. */
void __noreturn guest_enter(struct vcpu *v, u64 stack_top);

#endif /* __ASSEMBLER__ */
#endif
