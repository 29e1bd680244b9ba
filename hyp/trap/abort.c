/*
 * Stage-2 aborts, resolved in the order the design gives:
 *  1. a write to a LOG_DIRTY slot: record the page, let the write through;
 *  2. an access to an emulated device window: emulate it;
 *  3. an access to a window another VM serves: forward it (hyp/io);
 *  4. anything else: inject a synchronous external abort into the guest
 *     and log one line saying what happened.
 */
#include "esr.h"
#include "fmt.h"
#include "inject.h"
#include "io.h"
#include "mmio_emul.h"
#include "mmio_fast.h"
#include "sysreg.h"
#include "vflash.h"
#include "trap.h"
#include "vm.h"

#define FSC_TYPE(fsc) ((fsc) >> 2)
#define FSC_TRANSLATION 1
#define FSC_PERMISSION 3

/* A stage-2 permission fault on the access itself (not on its table walk). */
static inline bool access_permission_fault(u64 esr)
{
	return FSC_TYPE(ESR_FSC(esr)) == FSC_PERMISSION && !(esr & ESR_DABT_S1PTW);
}

static u64 fault_ipa(u64 far)
{
#ifdef SELFTEST_HPFAR_UNKNOWN
	/* make SELFTEST=hpfar-unknown: HPFAR_EL2 as a board may leave it
	 * after a permission fault, so whatever resolves one by it goes wrong
	 * (tests/integration/guests.py, *-hpfar-unknown). */
	if (access_permission_fault(read_sysreg(esr_el2)))
		return 0xbad000UL | (far & 0xfff);
#endif
	/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]. */
	return (read_sysreg(hpfar_el2) & GENMASK(43, 4)) << 8 | (far & 0xfff);
}

/*
 * The faulting IPA. HPFAR_EL2 holds it for a stage-2 translation, access
 * flag or address size fault and for a fault on the guest's own table
 * walk; for a permission fault the architecture does not promise it (QEMU
 * fills it, a board need not; KVM and Gunyah ask AT too), so the guest's
 * stage 1 gives it (guest_va_to_ipa). GUEST_VA_UNMAPPED: that entry is gone,
 * another vCPU changed it since the fault (or this one, its TLB maintenance
 * omitted), and the access is retried: it then goes by what its tables say
 * now, as in KVM. A guest whose stale TLB entry AT never sees retries in
 * its own time, as any loop of its own (guests/flashat races it).
 */
static enum guest_va abort_ipa(u64 esr, u64 far, u64 *ipa)
{
	if (access_permission_fault(esr))
		return guest_va_to_ipa(far, ipa);
	*ipa = fault_ipa(far);
	return GUEST_VA_IPA;
}

/*
 * A permission fault (a fetch, or a write: not a cache maintenance) at an
 * IPA whose slot allows it: the translation moved since the fault (off a
 * bank's RAM, say), and the access is retried there. A logged slot's
 * pages are the caller's (recorded first). This CPU's TLB entry for the
 * page is dropped first: had it held one stale from before a grant made
 * on another CPU, the retry would fault on it for ever (as in
 * dirty_log_write_fault).
 */
static bool now_allowed(struct vcpu *v, u64 ipa, bool fetch)
{
	struct slot_state *s = vm_mem_find(&v->vm->mem, ipa);
	u64 refused = fetch ? SLOT_NOEXEC | SLOT_DEVICE : SLOT_READONLY | SLOT_LOG_DIRTY;

	if (!s || (s->cfg.flags & refused))
		return false;
	vm_mem_tlb_drop_local(&v->vm->mem, ipa);
	return true;
}

/* Its IPA shown is HPFAR_EL2's, which may be stale for a permission fault. */
#define WALK_ABORTED "its stage-1 table walk took an external abort when the " \
		     "hypervisor retraced it for the IPA"

static const char *access_name(u64 esr, bool fetch)
{
	if (fetch)
		return "instruction fetch";
	if (esr & ESR_DABT_CM)
		return "cache maintenance";
	return (esr & ESR_DABT_WNR) ? "write" : "read";
}

/* Why the access was refused, in words, from the slot it hit. */
static const char *refusal(struct slot_state *s, u64 esr, bool fetch,
			   const char *device_why)
{
	if (!s)
		return device_why;
	if (fetch && (s->cfg.flags & SLOT_DEVICE))
		return "instruction fetch from a DEVICE slot";
	if (fetch && (s->cfg.flags & SLOT_NOEXEC))
		return "instruction fetch from a NOEXEC slot";
	if (!fetch && (esr & ESR_DABT_WNR) && (s->cfg.flags & SLOT_READONLY))
		return "write to a READONLY slot";
	return "access the slot's mapping does not allow";
}

static void refuse(struct vcpu *v, u64 esr, u64 ipa, u64 far, bool fetch,
		   const char *why)
{
	struct slot_state *s = vm_mem_find(&v->vm->mem, ipa);
	bool write = !fetch && (esr & ESR_DABT_WNR) && !(esr & ESR_DABT_CM);
	char size[16] = "", slot[16] = "";

	if (!fetch && (esr & ESR_DABT_ISV))
		fmt_snprintf(size, sizeof(size), "%u-byte ", 1u << ESR_DABT_SAS(esr));
	if (s)
		fmt_snprintf(slot, sizeof(slot), " in slot %u", s->cfg.id);
	guest_log(v, "%s%s at IPA 0x%lx%s (VA 0x%lx, PC 0x%lx) refused: %s; "
		  "injected a synchronous external abort",
		  size, access_name(esr, fetch), ipa, slot, far, v->regs.pc,
		  refusal(s, esr, fetch, why));
	if (fetch)
		inject_insn_abort(v, far);
	else
		inject_data_abort(v, far, write);
}

/*
 * Step 2 for a flash bank's RAM, mapped read-only while the bank reads its
 * array: a write there is a command for the chips (hyp/flash), and a cache
 * maintenance by VA that needs write permission (DC IVAC) has nothing to
 * do, the hypervisor keeping that RAM clean.
 */
static bool flash_ram_write(struct vcpu *v, u64 esr, u64 far, u64 ipa)
{
	if (!v->vm->cfg->flash || !vflash_ram_holds(&v->vm->flash, ipa))
		return false;
	if (esr & ESR_DABT_CM) {
		v->regs.pc += 4;
		return true;
	}
	return vflash_write_fault(v, ipa, esr, far);
}

/* Steps 1 to 4, in order. Out of line: its frame is not the common case's. */
static void __attribute__((noinline)) resolve_data_abort(struct vcpu *v, u64 esr,
							 u64 far, u64 ipa)
{
	u32 fsc = ESR_FSC(esr);
	const char *why = "no slot or device there";

	if (esr & ESR_DABT_S1PTW) {
		/* A walk that updates its table's access or dirty flag in
		 * hardware (TCR_EL1.HA/HD) writes the table: in a logged slot
		 * it is a write like any other, logged and let through (KVM
		 * counts every S1PTW fault a write, as WnR may not say). */
		if (FSC_TYPE(fsc) == FSC_PERMISSION &&
		    dirty_log_write_fault(&v->vm->mem, ipa) == 0)
			return;
		/* The guest's own table walk left its memory. */
		refuse(v, esr, ipa, far, false,
		       "the guest's stage-1 table walk reached it");
		return;
	}
	if (FSC_TYPE(fsc) == FSC_PERMISSION && (esr & ESR_DABT_WNR)) {
		bool write = !(esr & ESR_DABT_CM);

		if (write && dirty_log_write_fault(&v->vm->mem, ipa) == 0)
			return; /* retry the write, now allowed and recorded */
		if (flash_ram_write(v, esr, far, ipa) ||
		    (write && now_allowed(v, ipa, false)))
			return;
	}
	if (FSC_TYPE(fsc) == FSC_TRANSLATION && !vm_mem_find(&v->vm->mem, ipa)) {
		if (esr & ESR_DABT_CM) {
			/* Cleaning a device or a hole: nothing to do. */
			v->regs.pc += 4;
			return;
		}
		if (mmio_emulate(v, ipa, esr, far, &why) ||
		    fwd_access(v, ipa, esr, far, &why))
			return;
	}
	refuse(v, esr, ipa, far, false, why);
}

void handle_data_abort(struct vcpu *v, u64 esr)
{
	u64 far = read_sysreg(far_el2);
	u64 ipa = 0;

	/*
	 * First the common case, an emulated device's register, without the
	 * slot lookup: no slot lies in an emulated window (the configuration
	 * checker and the run-time slot changes refuse it, mm/slot_change.c),
	 * so an access there cannot be step 1's, and steps 2 to 4 need no
	 * slot. A translation fault only: a permission fault is a slot's; a
	 * table walk's and a cache maintenance's are resolved in order.
	 */
	if (FSC_TYPE(ESR_FSC(esr)) == FSC_TRANSLATION &&
	    !(esr & (ESR_DABT_S1PTW | ESR_DABT_CM)) &&
	    mmio_emulate_syndrome(v, fault_ipa(far), esr))
		return;
	switch (abort_ipa(esr, far, &ipa)) {
	case GUEST_VA_IPA:
		resolve_data_abort(v, esr, far, ipa);
		return;
	case GUEST_VA_UNMAPPED:
		return; /* retried */
	case GUEST_VA_WALK_ABORTED:
		refuse(v, esr, fault_ipa(far), far, false, WALK_ABORTED);
		return;
	}
}

void handle_insn_abort(struct vcpu *v, u64 esr)
{
	u64 far = read_sysreg(far_el2), ipa = 0;
	const char *why = "no slot there";

	switch (abort_ipa(esr, far, &ipa)) {
	case GUEST_VA_IPA:
		break;
	case GUEST_VA_UNMAPPED:
		return; /* retried */
	case GUEST_VA_WALK_ABORTED:
		refuse(v, esr, fault_ipa(far), far, true, WALK_ABORTED);
		return;
	}
	if (FSC_TYPE(ESR_FSC(esr)) == FSC_PERMISSION) {
		/* The walk of a fetch updating its table in a logged slot
		 * (above), or a fetch whose translation moved since. */
		if ((esr & ESR_DABT_S1PTW) ?
			    dirty_log_write_fault(&v->vm->mem, ipa) == 0 :
			    now_allowed(v, ipa, true))
			return;
	}

	if (esr & ESR_DABT_S1PTW)
		why = "the guest's stage-1 table walk reached it";
	else if (v->vm->cfg->flash && vflash_ram_holds(&v->vm->flash, ipa))
		why = "its flash bank is in command mode (a program, erase or "
		      "query under way), so its array cannot be run until the "
		      "read-array command";
	refuse(v, esr, ipa, far, true, why);
}
