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

static u64 fault_ipa(u64 far)
{
	/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]. */
	return (read_sysreg(hpfar_el2) & GENMASK(43, 4)) << 8 | (far & 0xfff);
}

u64 guest_at_s1(u64 va, u64 el0);

/*
 * The IPA of a stage-2 permission fault. HPFAR_EL2 holds the IPA of a
 * translation, access flag or address size fault and of a fault on the
 * guest's own table walk; of a permission fault the architecture does not
 * promise it (QEMU fills it, a board need not; KVM and Gunyah ask AT too).
 * So the guest's stage 1 gives it, with AT S1E1R: EL1 may read through any
 * valid stage-1 entry, so it translates whatever the faulting access used,
 * fetches and EL0's accesses included. false when that entry is gone (another
 * vCPU changed it since the fault): the access is then retried, and faults
 * afresh if it still must. A guest that changes an entry without the TLB
 * maintenance may keep its vCPU retrying: on its own CPU time, as any loop.
 */
static bool permission_fault_ipa(u64 far, u64 *ipa)
{
	u64 saved = read_sysreg(par_el1);
	u64 par = guest_at_s1(far, 0);

	write_sysreg(saved, par_el1); /* PAR_EL1 is the guest's */
	if (par == ~0UL || (par & BIT(0)))
		return false;
	*ipa = (par & GENMASK(47, 12)) | (far & 0xfff);
	return true;
}

#ifdef SELFTEST_HPFAR_UNKNOWN
/* A test build option (make SELFTEST=hpfar-unknown): HPFAR_EL2 reads as a
 * board may leave it after a permission fault, so a permission fault
 * resolved from it goes wrong (tests/integration/guests.py). */
#define hpfar_ipa(esr, far) \
	(FSC_TYPE(ESR_FSC(esr)) == FSC_PERMISSION && !((esr) & ESR_DABT_S1PTW) ? \
	 0xbad000UL : fault_ipa(far))
#else
#define hpfar_ipa(esr, far) fault_ipa(far)
#endif

/* The faulting IPA; false: retry the access (permission_fault_ipa). */
static bool abort_ipa(u64 esr, u64 far, u64 *ipa)
{
	if (FSC_TYPE(ESR_FSC(esr)) == FSC_PERMISSION && !(esr & ESR_DABT_S1PTW))
		return permission_fault_ipa(far, ipa);
	*ipa = hpfar_ipa(esr, far);
	return true;
}

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
 * do, the hypervisor keeping that RAM clean. HPFAR_EL2 need not hold the
 * IPA of a permission fault (KVM asks AT too), so the guest's own stage 1
 * gives it; QEMU fills HPFAR_EL2 either way.
 */
static bool flash_ram_write(struct vcpu *v, u64 esr, u64 far)
{
	u64 ipa;

	if (!v->vm->cfg->flash)
		return false;
	switch (guest_va_to_ipa(v, far, &ipa)) {
	case GUEST_VA_UNMAPPED:
		/* It translated when it faulted, and no longer does: another
		 * vCPU changed the tables (or this one, TLB maintenance
		 * omitted). Retried, as KVM does: the access then goes by
		 * what its tables say now (guests/flashat). A guest whose
		 * stale TLB entry AT never sees retries in its own time. */
		return true;
	case GUEST_VA_WALK_ABORTED:
		return false;
	case GUEST_VA_IPA:
		break;
	}
	if (!vflash_ram_holds(&v->vm->flash, ipa)) {
		/* Now a page the VM may write, though the fault was not
		 * (the bank's RAM, say): its translation moved since, and the
		 * write is retried there, a logged page recorded first by
		 * this IPA. A slot that refuses writes, or a cache
		 * maintenance, goes on below. */
		struct slot_state *s = vm_mem_find(&v->vm->mem, ipa);

		if ((esr & ESR_DABT_CM) || !s || (s->cfg.flags & SLOT_READONLY))
			return false;
		if (s->cfg.flags & SLOT_LOG_DIRTY)
			dirty_log_write_fault(&v->vm->mem, ipa);
		return true;
	}
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
	if (FSC_TYPE(fsc) == FSC_PERMISSION && (esr & ESR_DABT_WNR) &&
	    !(esr & ESR_DABT_CM) && dirty_log_write_fault(&v->vm->mem, ipa) == 0)
		return; /* retry the write, now allowed and recorded */
	if (FSC_TYPE(fsc) == FSC_PERMISSION && (esr & ESR_DABT_WNR) &&
	    flash_ram_write(v, esr, far))
		return;
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
	u64 ipa;

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
	if (abort_ipa(esr, far, &ipa))
		resolve_data_abort(v, esr, far, ipa);
}

void handle_insn_abort(struct vcpu *v, u64 esr)
{
	u64 far = read_sysreg(far_el2), ipa;
	const char *why = "no slot there";

	if (!abort_ipa(esr, far, &ipa))
		return; /* retried */
	/* The walk of a fetch updating its table in a logged slot (above). */
	if ((esr & ESR_DABT_S1PTW) && FSC_TYPE(ESR_FSC(esr)) == FSC_PERMISSION &&
	    dirty_log_write_fault(&v->vm->mem, ipa) == 0)
		return;

	if (esr & ESR_DABT_S1PTW)
		why = "the guest's stage-1 table walk reached it";
	else if (v->vm->cfg->flash && vflash_ram_holds(&v->vm->flash, ipa))
		why = "its flash bank is in command mode (a program, erase or "
		      "query under way), so its array cannot be run until the "
		      "read-array command";
	refuse(v, esr, ipa, far, true, why);
}
