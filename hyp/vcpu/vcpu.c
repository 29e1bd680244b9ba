/* vCPU state: reset, EL1 context switch, and the EL2 controls for running
 * a guest (see vcpu.h). */
#include "vcpu.h"
#include "hcr.h"
#include "mem.h"
#include "mmu.h"
#include "panic.h"
#include "percpu.h"
#include "probe.h"
#include "sysreg.h"
#include "vgic.h"
#include "vm.h"

#include <stddef.h>

BUILD_ASSERT(offsetof(struct vcpu, regs) == VCPU_REGS, "asm offset");
BUILD_ASSERT(offsetof(struct vcpu_regs, pc) == VCPU_REG_PC, "asm offset");
BUILD_ASSERT(offsetof(struct vcpu_regs, pstate) == VCPU_REG_PSTATE, "asm offset");
BUILD_ASSERT(offsetof(struct fpsimd_state, fpsr) == 512, "fpsimd.S offset");

void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

#define SCTLR_EL1_RES1 0x30d00800UL /* MMU and caches off, little-endian */
#define PSTATE_EL1H_MASKED 0x3c5UL  /* EL1h with D, A, I and F masked */

static u64 vcpu_mdcr(const struct vcpu *v);

static struct vcpu_lazy_regs lazy_regs[MAX_VMS][MAX_VCPUS];

/*
 * EL1-visible registers that only some CPUs have and that no trap covers:
 * TPIDR2_EL0 (SME: SCTLR_EL1.EnTP2, which the guest sets, opens it) and
 * DISR_EL1, which with HCR_EL2.AMO is VDISR_EL2 (RAS). Switched with the
 * rest where present.
 */
#define HAS_TPIDR2 BIT(0)
#define HAS_VDISR BIT(1)
static u8 optional_regs; /* a vCPU's SWITCH_OPTIONAL where not 0 */

void vcpu_init_features(void)
{
	if (cpu_has_tpidr2())
		optional_regs |= HAS_TPIDR2;
	if (FIELD_GET(read_sysreg(id_aa64pfr0_el1), 31, 28))
		optional_regs |= HAS_VDISR;
}

static void save_optional(struct el1_sysregs *s)
{
	if (optional_regs & HAS_TPIDR2)
		s->tpidr2 = read_sysreg(S3_3_C13_C0_5);
	if (optional_regs & HAS_VDISR)
		s->vdisr = read_sysreg(S3_4_C12_C1_1);
}

static void load_optional(const struct el1_sysregs *s)
{
	if (optional_regs & HAS_TPIDR2)
		write_sysreg(s->tpidr2, S3_3_C13_C0_5);
	if (optional_regs & HAS_VDISR)
		write_sysreg(s->vdisr, S3_4_C12_C1_1);
}

void vcpu_reset(struct vcpu *v, u64 pc, u64 x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	memset(&v->sys, 0, sizeof(v->sys));
	memset(&v->fp, 0, sizeof(v->fp));
	v->lazy = &lazy_regs[v->vm->index][v->index];
	memset(&v->lazy->pauth, 0, sizeof(v->lazy->pauth));
	vpmu_reset(v);
	vdebug_reset(v);
	/* One test per switch covers these too (vcpu_save_state). */
	v->claimed = optional_regs ? SWITCH_OPTIONAL : 0;
	v->mdcr = vcpu_mdcr(v);
	v->regs.x[0] = x0;
	v->regs.pc = pc;
	v->regs.pstate = PSTATE_EL1H_MASKED;
	v->sys.sctlr = SCTLR_EL1_RES1;
	v->wfi = false;
	v->wake_at = 0;
	v->inject_target = ~0UL;
	v->inject_esr = 0; /* matches no injection: they all set ESR.IL */
	v->inject_repeats = 0;
	v->irq_pending_since = 0;
	v->stall_reported = false;
	v->spin_since = 0;
	v->spin_reported = false;
	v->state_loaded = false; /* the CPU's EL1 registers are stale now */
}

#define SAVE(field, reg) (s->field = read_sysreg(reg))
#define LOAD(field, reg) write_sysreg(s->field, reg)

#define EL1_SYSREGS(X)                        \
	X(sctlr, sctlr_el1);                  \
	X(actlr, actlr_el1);                  \
	X(cpacr, cpacr_el1);                  \
	X(ttbr0, ttbr0_el1);                  \
	X(ttbr1, ttbr1_el1);                  \
	X(tcr, tcr_el1);                      \
	X(mair, mair_el1);                    \
	X(amair, amair_el1);                  \
	X(vbar, vbar_el1);                    \
	X(contextidr, contextidr_el1);        \
	X(tpidr_el0, tpidr_el0);              \
	X(tpidrro_el0, tpidrro_el0);          \
	X(tpidr_el1, tpidr_el1);              \
	X(sp_el0, sp_el0);                    \
	X(sp_el1, sp_el1);                    \
	X(elr, elr_el1);                      \
	X(spsr, spsr_el1);                    \
	X(esr, esr_el1);                      \
	X(far, far_el1);                      \
	X(afsr0, afsr0_el1);                  \
	X(afsr1, afsr1_el1);                  \
	X(par, par_el1);                      \
	X(cntkctl, cntkctl_el1);              \
	X(csselr, csselr_el1);                \
	X(mdscr, mdscr_el1);                  \
	X(cntv_cval, cntv_cval_el0);          \
	X(cntv_ctl, cntv_ctl_el0);            \
	X(cntp_cval, cntp_cval_el0);          \
	X(cntp_ctl, cntp_ctl_el0)

static void save_claimed(struct vcpu *v)
{
	if (v->claimed & SWITCH_OPTIONAL)
		save_optional(&v->sys);
	if (v->claimed & CLAIMED_PAUTH)
		pauth_save(v);
	if (v->claimed & CLAIMED_PMU)
		vpmu_save(v);
	if (v->claimed & CLAIMED_DEBUG)
		vdebug_save(v);
}

static void load_claimed(const struct vcpu *v)
{
	if (v->claimed & SWITCH_OPTIONAL)
		load_optional(&v->sys);
	if (v->claimed & CLAIMED_PAUTH)
		pauth_load(v);
	if (v->claimed & CLAIMED_PMU)
		vpmu_load(v);
	if (v->claimed & CLAIMED_DEBUG)
		vdebug_load(v);
}

void vcpu_save_state(struct vcpu *v)
{
	struct el1_sysregs *s = &v->sys;

	EL1_SYSREGS(SAVE);
	/* Stop its timers firing into whoever runs next. */
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	fpsimd_save(&v->fp);
	if (v->claimed)
		save_claimed(v);
	vgic_save(v);
	v->state_loaded = false;
}

void vcpu_load_state(struct vcpu *v)
{
	const struct el1_sysregs *s = &v->sys;

	EL1_SYSREGS(LOAD);
	fpsimd_restore(&v->fp);
	if (v->claimed)
		load_claimed(v);
	vgic_load(v);
	isb();
	v->state_loaded = true;
}

/* TLOR and TERR are RES0 where FEAT_LOR or FEAT_RAS is absent: set only
 * where the registers they trap exist (a later architecture could give a
 * RES0 bit a meaning). */
static u64 feature_traps(void)
{
	u64 traps = 0;

	if (FIELD_GET(read_sysreg(id_aa64mmfr1_el1), 19, 16))
		traps |= HCR_TLOR;
	if (FIELD_GET(read_sysreg(id_aa64pfr0_el1), 31, 28))
		traps |= HCR_TERR;
	return traps;
}

u64 vcpu_hcr(const struct vcpu *v)
{
	/*
	 * Traps so that a guest reaches nothing shared with other VMs:
	 * IMPLEMENTATION DEFINED registers (TIDCP: CPUECTLR.SMPEN and the
	 * like would change coherency for the whole machine) and set/way
	 * cache maintenance (TSW: it acts on caches every VM shares; emulated
	 * on the VM's own memory, hyp/trap/setway.c) answer as
	 * sysreg_trap.c says; RAS error records (TERR) read as none;
	 * LORegions (TLOR) and trace (CPTR_EL2.TTA) are hidden and UNDEFINED.
	 */
	u64 hcr = HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB |
		  HCR_BSU_IS | HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_TSW |
		  HCR_RW | feature_traps();

	/* Pointer authentication traps until the vCPU has its keys in. */
	if (v->claimed & CLAIMED_PAUTH)
		hcr |= HCR_API | HCR_APK;
	if (v->vm->shares_pcpu)
		hcr |= HCR_TWI;
	return hcr;
}

static u64 vcpu_mdcr(const struct vcpu *v)
{
#ifdef BENCH
	/* make bench's payloads count the hypervisor's instructions from
	 * inside (docs/benchmarks.md): their VMs keep the CPU's PMU as it
	 * is, unswitched and counting at EL2. Never in a normal build. */
	if (v->vm->cfg->bench_pmu_counts_el2)
		return (vpmu_mdcr(true) & MDCR_HPMN_MASK) |
		       vdebug_mdcr(v->claimed & CLAIMED_DEBUG);
#endif
	return vpmu_mdcr(v->claimed & CLAIMED_PMU) |
	       vdebug_mdcr(v->claimed & CLAIMED_DEBUG);
}

void vcpu_claimed(struct vcpu *v, u8 what)
{
	v->claimed |= what;
	v->mdcr = vcpu_mdcr(v);
	write_sysreg(v->mdcr, mdcr_el2);
	write_sysreg(vcpu_hcr(v), hcr_el2);
}

void vcpu_load_traps(struct vcpu *v)
{
	struct vm *vm = v->vm;

	write_sysreg(vcpu_hcr(v), hcr_el2);
	write_sysreg(vm->vtcr, vtcr_el2);
	write_sysreg(vttbr_of(&vm->mem.s2), vttbr_el2);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(v->vmpidr, vmpidr_el2);
	/* A VM's virtual counter is the system counter, as on a machine
	 * without EL2, and it goes on counting across a VM's restart. With
	 * any other offset, QEMU before 8.2 hangs for good when a guest
	 * enables its virtual timer with CNTV_CVAL_EL0 near 2^64 ("never"),
	 * since CVAL + offset wraps (QEMU issue 60, Debian 12 has 7.2). */
	write_sysreg(0, cntvoff_el2);
	write_sysreg(CPTR_EL2_RES1 | CPTR_TZ | CPTR_TAM | CPTR_TTA, cptr_el2);
	write_sysreg(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, cnthctl_el2);
	write_sysreg(v->mdcr, mdcr_el2);
	isb();
}

void vcpu_enter_first(struct vcpu *v)
{
	extern u8 __stacks_start[];
	u64 top = (u64)(uintptr_t)__stacks_start +
		  (this_cpu_index() + 1) * STACK_SLOT;

	vgic_flush(v);
	guest_enter(v, top);
}
