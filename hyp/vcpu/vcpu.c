/* vCPU state: reset, EL1 context switch, and the EL2 controls for running
 * a guest (see vcpu.h). */
#include "vcpu.h"
#include "hcr.h"
#include "mem.h"
#include "mmu.h"
#include "panic.h"
#include "percpu.h"
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

void vcpu_reset(struct vcpu *v, u64 pc, u64 x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	memset(&v->sys, 0, sizeof(v->sys));
	memset(&v->fp, 0, sizeof(v->fp));
	v->regs.x[0] = x0;
	v->regs.pc = pc;
	v->regs.pstate = PSTATE_EL1H_MASKED;
	v->sys.sctlr = SCTLR_EL1_RES1;
	v->wfi = false;
	v->inject_target = ~0UL;
	v->inject_esr = 0; /* matches no injection: they all set ESR.IL */
	v->inject_repeats = 0;
	v->irq_pending_since = 0;
	v->stall_reported = false;
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

void vcpu_save_state(struct vcpu *v)
{
	struct el1_sysregs *s = &v->sys;

	EL1_SYSREGS(SAVE);
	/* Stop its timers firing into whoever runs next. */
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	fpsimd_save(&v->fp);
	vgic_save(v);
	v->state_loaded = false;
}

void vcpu_load_state(struct vcpu *v)
{
	const struct el1_sysregs *s = &v->sys;

	EL1_SYSREGS(LOAD);
	fpsimd_restore(&v->fp);
	vgic_load(v);
	isb();
	v->state_loaded = true;
}

static bool cpu_has_pauth(void)
{
	u64 isar1 = read_sysreg(id_aa64isar1_el1);

	/* APA, API, GPA or GPI: any address or generic authentication. */
	return isar1 & (0xffUL << 4 | 0xffUL << 24);
}

static u64 vcpu_hcr(const struct vcpu *v)
{
	u64 hcr = HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB |
		  HCR_BSU_IS | HCR_TID3 | HCR_TSC | HCR_RW;

	if (cpu_has_pauth())
		hcr |= HCR_API | HCR_APK;
	if (v->vm->shares_pcpu)
		hcr |= HCR_TWI;
	return hcr;
}

void vcpu_load_traps(struct vcpu *v)
{
	struct vm *vm = v->vm;
	u64 pmcr_n = FIELD_GET(read_sysreg(pmcr_el0), 15, 11);

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
	write_sysreg(CPTR_EL2_RES1 | CPTR_TZ | CPTR_TAM, cptr_el2);
	write_sysreg(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, cnthctl_el2);
	/* Guests own the PMU counters: benchmarks count from inside. */
	write_sysreg(pmcr_n & MDCR_HPMN_MASK, mdcr_el2);
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
