/* The hostile guest's pieces (see main.c for the campaign). */
#ifndef HOSTILE_H
#define HOSTILE_H

#include "guest.h"
#include "layout.h"

#define HZ_MAX_CPUS 2

/* What it tries, counted per kind. */
#define HZ_KINDS(X)                                                   \
	X(load) X(store) X(pair) X(excl) X(atomic) X(simd) X(fetch)    \
	X(cache) X(walk) X(hvc) X(smc) X(psci) X(hcall) X(sysrd)       \
	X(syswr) X(sys) X(pstate) X(gic) X(sgi) X(wfi) X(wfe)          \
	X(pauth) X(pmu) X(debug) X(spi)
#define HZ_KIND_ENUM(k) K_##k,
enum hz_kind { HZ_KINDS(HZ_KIND_ENUM) NR_KINDS };
extern const char *const hz_kind_names[NR_KINDS];

/* Per vCPU; only its own vCPU writes it (vCPU 0 reads the counts). */
struct hz_cpu {
	u64 jb[13]; /* hz_try's x19-x29, sp, x30 */
	u32 index;
	bool in_try;
	u32 exc;             /* synchronous exceptions in this try */
	u64 esr, far, elr;   /* of the first of them */
	u64 rng;
	u64 ops;             /* operations done this boot */
	u64 tried[NR_KINDS], faulted[NR_KINDS];
	u64 irqs, findings;
	bool mmu;            /* its stage 1 is on (this batch) */
	u32 *code;           /* a page it writes instructions into */
};

extern struct hz_cpu hz_cpus[HZ_MAX_CPUS];
struct hz_cpu *hz_this(void);

/* The campaign's facts, set by vCPU 0 at boot. */
struct hz_env {
	u64 seed, boot, stream;
	unsigned ipa_bits;
	u32 nr_vcpus, vm_index;
	bool v3, lse;
	u64 zva_size;
};
extern struct hz_env env;

/* Random numbers (xorshift64*): every choice comes from the vCPU's stream,
 * so a seed repeats a campaign. */
u64 rnd(struct hz_cpu *c);
static inline u64 rnd_below(struct hz_cpu *c, u64 n)
{
	return n ? rnd(c) % n : 0;
}
static inline bool chance(struct hz_cpu *c, u64 one_in)
{
	return rnd_below(c, one_in) == 0;
}
u64 rnd_value(struct hz_cpu *c); /* values worth writing: 0, ~0, bits */

/*
 * Runs fn(a, b) and returns its result. A synchronous exception in fn
 * comes back here instead (c->exc counts it, c->esr/far/elr describe the
 * first): the guest's exception handler resumes at hz_recover, which
 * restores the stack and registers hz_try saved.
 */
u64 hz_try(struct hz_cpu *c, u64 (*fn)(u64, u64), u64 a, u64 b);
extern char hz_recover[];

/* Where an IPA falls. */
enum hz_region {
	R_RAM,      /* its own RAM slot */
	R_RO,       /* its READONLY slot */
	R_NX,       /* its NOEXEC slot */
	R_DIRTY,    /* its LOG_DIRTY slot */
	R_DEVICE,   /* an emulated device window */
	R_FORBIDDEN /* anything else: every access must fault */
};
enum hz_region hz_region(u64 ipa);
/* The strictest region any byte of [ipa, ipa + len) is in. */
enum hz_region hz_region_range(u64 ipa, u64 len);
/* An IPA worth trying (device windows, edges, holes, its own slots). */
u64 hz_pick_ipa(struct hz_cpu *c);
/* The address an access to ipa uses in the current translation regime:
 * the IPA itself, or (stage 1 on) its Normal-memory alias. */
u64 hz_va(struct hz_cpu *c, u64 ipa, bool fetch);
#define HZ_ALIAS_BASE (1UL << 47)

void hz_finding(struct hz_cpu *c, enum hz_kind k, const char *fmt, ...)
	__printf(3, 4);

/* vCPU 1's campaign, started by CPU_ON (also from hz_op_psci). */
void hz_helper_main(u64 arg);

/* Operations by family (ops_mem.c, ops_call.c, ops_sys.c, ops_gic.c). */
void hz_op_mem(struct hz_cpu *c, enum hz_kind k);
void hz_op_fetch(struct hz_cpu *c);
void hz_op_walk(struct hz_cpu *c);
void hz_op_call(struct hz_cpu *c, enum hz_kind k);
void hz_op_psci(struct hz_cpu *c);
void hz_op_hcall(struct hz_cpu *c);
void hz_op_sysreg(struct hz_cpu *c, bool write);
void hz_op_sys(struct hz_cpu *c);
void hz_op_pstate(struct hz_cpu *c);
void hz_op_gic(struct hz_cpu *c);
void hz_op_sgi(struct hz_cpu *c);
void hz_op_wfi(struct hz_cpu *c);
void hz_op_wfe(struct hz_cpu *c);
/* Registers a vCPU owns once it has used them (ops_regs.c). */
void hz_op_pauth(struct hz_cpu *c);
void hz_op_pmu(struct hz_cpu *c);
void hz_op_debug(struct hz_cpu *c);
/* The passed-through RTC's SPI made untakeable (ops_spi.c). */
void hz_op_spi(struct hz_cpu *c);

/* Stage 1 (mmu.c): identity map with Device attributes but for RAM, and a
 * Normal alias of the low 512 GiB at HZ_ALIAS_BASE. */
void hz_mmu_build(void);
void hz_mmu_init_cpu(void);
void hz_mmu_on(struct hz_cpu *c);
void hz_mmu_off(struct hz_cpu *c);
/* Stage 1 on with TTBR0_EL1 = ttbr0: no way back (a deliberate kill). */
void hz_mmu_junk(u64 ttbr0);

/*
 * Its two vCPUs share a distributor, and each can reach the other's
 * redistributor: one could disable the interrupt the other's WFI waits
 * for. Writes to the GIC and each wait (from its repair to its wake-up)
 * take this lock (Peterson's, for two: exclusives need Normal memory).
 */
void hz_gic_lock(const struct hz_cpu *c);
void hz_gic_unlock(const struct hz_cpu *c);

/* The GIC as the campaign needs it before waiting for its timer: every
 * CPU interface and distributor setting it may have scrambled put back,
 * interrupts it left acknowledged or active ended. */
void hz_gic_repair(void);
/* Takes what is pending (interrupts masked): acknowledge and end, and
 * keep from coming back what it does not own. */
void hz_irq_drain(struct hz_cpu *c);

/* Runs the instructions insns[0..n) then RET from the vCPU's code page,
 * through hz_try: x0 = a, x1 = b; returns x0. */
u64 hz_run_code(struct hz_cpu *c, const u32 *insns, u32 n, u64 a, u64 b);

/* Calls with x0-x17 from r[] and back into r[] (asm.S); stub is
 * the HVC or SMC and a RET. */
void hz_call_regs(u64 r[18], const u32 *stub);

/* Instruction encodings. */
#define A64_RET 0xd65f03c0U
#define A64_NOP 0xd503201fU
/* MRS/MSR/SYS/SYSL: op0 op1 CRn CRm op2, L (read), Rt. */
static inline u32 a64_sys(u32 op0, u32 op1, u32 crn, u32 crm, u32 op2, bool l,
			  u32 rt)
{
	return 0xd5000000U | (u32)l << 21 | op0 << 19 | op1 << 16 | crn << 12 |
	       crm << 8 | op2 << 5 | rt;
}

#endif
