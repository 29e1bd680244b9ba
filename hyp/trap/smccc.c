/* SMCCC calls from guests (HVC, or SMC which is trapped): PSCI, SMCCC's own
 * calls, the hypervisor's hypercalls (include/hypercall.h), and
 * NOT_SUPPORTED for anything else; a guest is never killed for asking. */
#include "hypercall.h"
#include "errno.h"
#include "io.h"
#include "mgmt.h"
#include "mitigations.h"
#include "smccc_owners.h"
#include "trap.h"
#include "vm.h"
#include "vpsci.h"

#define SMCCC_VERSION_1_1 0x10001

/* false: not answered, x0 unchanged, the call is made again (see below). */
static bool dirty_log_get(struct vcpu *v, s64 *ret_out)
{
	u64 *x = v->regs.x;
	struct vm *target = v->vm;
	u32 slot_id = (u32)x[1];
	u64 words, capacity = x[3] / 8;

	/* Slot ids are 32 bits: a larger x1 names no slot (not x1 mod 2^32). */
	*ret_out = SMCCC_INVALID_PARAMETER;
	if (x[1] != slot_id)
		return true;
	if (x[4] != v->vm->index) {
		if (!v->vm->cfg->dirty_log_manager || x[4] >= MAX_VMS ||
		    !vms[x[4]].usable)
			return true;
		target = &vms[x[4]];
	}
	/* Another VM's slots may change under its manager (hyp/mgmt) while
	 * this runs: a deleted slot's bitmap and table pages go back to the
	 * manager's host range and on to other VMs, which this would then
	 * clear and re-protect. Its own cannot (a change holds it out until
	 * this exit is over): the lock is taken for other VMs only. The
	 * caller may be managed too: held or stopped by its manager, which
	 * has the lock and waits for this vCPU to leave, it leaves with the
	 * call not made
	 * (PC back on the HVC or SMC, 4 bytes, x0 as it was) and makes it
	 * again once released. */
	bool other = target != v->vm;
	s64 ret = SMCCC_INVALID_PARAMETER;

	if (other && !mgmt_lock_unless_held(v->vm)) {
		v->regs.pc -= 4;
		return false;
	}
	struct slot_state *s = vm_mem_slot_by_id(&target->mem, slot_id);
	if (!s || !s->dirty)
		goto out;
	words = (s->nr_pages + 63) / 64;
	x[1] = words * 8;
	if (capacity < words)
		goto out;
	/* The caller's buffer must be its own writable RAM. */
	u64 *out = guest_ptr(&v->vm->mem, x[2], words * 8, true);
	if (out && !dirty_log_get_and_clear(&target->mem, slot_id, out, &words))
		ret = 0;
out:
	if (other)
		mgmt_unlock_all();
	*ret_out = ret;
	return true;
}

static bool hypercall(struct vcpu *v, u64 fid)
{
	u64 *x = v->regs.x;

	switch (fid) {
	case HC_NOP:
		x[0] = 0;
		return true;
	case HC_VM_INFO:
		x[0] = v->vm->index;
		x[1] = v->vm->nr_vcpus;
		x[2] = v->vm->resets;
		return true;
	case HC_DIRTY_LOG_GET: {
		s64 ret;

		if (dirty_log_get(v, &ret))
			x[0] = (u64)ret;
		return true;
	}
	default:
		return mgmt_hypercall(v, fid);
	}
}

void handle_smccc(struct vcpu *v)
{
	u64 fid = (u32)v->regs.x[0];
	u32 owner = (fid >> SMCCC_OWNER_SHIFT) & ((1u << SMCCC_OWNER_BITS) - 1);

	/* Three owners answer here (smccc_owners.h). Anyone else's call, a
	 * guest probing for a service, is refused at once: an HVC's in the
	 * vector already, a trapped SMC's here. */
	if (owner != SMCCC_OWNER_ARM && owner != SMCCC_OWNER_STANDARD &&
	    owner != SMCCC_OWNER_HYP) {
		v->regs.x[0] = (u64)SMCCC_NOT_SUPPORTED;
		return;
	}
	/* The hypervisor's own calls first: the null call is benchmarked. */
	if (hypercall(v, fid) || vpsci_call(v, fid) || io_hypercall(v, fid))
		return;
	switch (fid) {
	case SMCCC_VERSION:
		v->regs.x[0] = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES:
		/* The workarounds: the truth for the CPU the vCPU is pinned
		 * to (hyp/cpu/mitigations.c). */
		v->regs.x[0] = (u64)mitigations_guest_features((u32)v->regs.x[1]);
		break;
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_2:
	case SMCCC_ARCH_WORKAROUND_3:
		v->regs.x[0] = (u64)mitigations_guest_call((u32)fid);
		break;
	default:
		v->regs.x[0] = (u64)SMCCC_NOT_SUPPORTED;
		break;
	}
}
