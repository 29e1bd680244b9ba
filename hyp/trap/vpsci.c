/* PSCI for guests (see vpsci.h). */
#include "vpsci.h"
#include "psci.h"
#include "sched.h"
#include "sysreg.h"
#include "vm.h"

#define PSCI_VERSION_1_1 0x10001
#define SMCCC_VERSION_FID 0x80000000
#define AFFINITY_ON 0
#define AFFINITY_OFF 1
#define AFFINITY_ON_PENDING 2
#define MIGRATE_NOT_REQUIRED 2 /* no Trusted OS to migrate */

static bool is_smc32(u64 fid)
{
	return !(fid & BIT(30));
}

/* CPU_ON: exactly one caller wins for a target that is off. */
static s64 cpu_on(struct vcpu *v, u64 target, u64 entry, u64 ctx)
{
	struct vcpu *t = vm_vcpu_by_mpidr(v->vm, target);
	s64 ret;

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	struct slot_state *s = vm_mem_find(&v->vm->mem, entry);

	/* It must be memory the vCPU can run: RAM, executable. */
	if (!s || (s->cfg.flags & (SLOT_DEVICE | SLOT_NOEXEC)))
		return PSCI_INVALID_ADDRESS;
	spin_lock(&t->power_lock);
	switch (t->power) {
	case VCPU_ON:
		ret = PSCI_ALREADY_ON;
		break;
	case VCPU_ON_PENDING:
		ret = PSCI_ON_PENDING;
		break;
	default:
		t->entry_pc = entry;
		t->entry_x0 = ctx;
		t->power = VCPU_ON_PENDING;
		ret = PSCI_SUCCESS;
		break;
	}
	spin_unlock(&t->power_lock);
	if (ret == PSCI_SUCCESS)
		sched_kick(t->pcpu);
	return ret;
}

/*
 * Whether no vCPU of vm runs or is about to: then nothing in it can ever
 * CPU_ON one again, and the VM would stay "running" on no CPU for good. Two
 * vCPUs turning off at once each see the other's store (the barrier orders
 * its own store before its loads), so at least one finds them all off.
 */
static bool all_off(struct vm *vm)
{
	dmb(ish);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if (READ_ONCE(vm->vcpus[i].power) != VCPU_OFF)
			return false;
	return true;
}

static s64 affinity_info(struct vcpu *v, u64 target, u64 level)
{
	struct vcpu *t;

	if (level != 0) /* PSCI 1.0 on: only level 0 */
		return PSCI_INVALID_PARAMETERS;
	t = vm_vcpu_by_mpidr(v->vm, target);
	if (!t)
		return PSCI_INVALID_PARAMETERS;
	switch (READ_ONCE(t->power)) {
	case VCPU_ON:
		return AFFINITY_ON;
	case VCPU_ON_PENDING:
		return AFFINITY_ON_PENDING;
	default:
		return AFFINITY_OFF;
	}
}

static s64 features(u64 fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_32_CPU_ON:
	case PSCI_AFFINITY_INFO:
	case PSCI_32_AFFINITY_INFO:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case SMCCC_VERSION_FID:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

bool vpsci_call(struct vcpu *v, u64 fid)
{
	u64 *x = v->regs.x;
	u64 a1 = x[1], a2 = x[2], a3 = x[3];

	if ((fid & 0xbfffffe0) != 0x84000000)
		return false; /* not the PSCI range (0x84000000-0x8400001f, 0xc4...) */
	if (is_smc32(fid)) {
		a1 = (u32)a1;
		a2 = (u32)a2;
		a3 = (u32)a3;
	}
	switch (fid) {
	case PSCI_VERSION:
		x[0] = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		x[0] = features((u32)a1);
		break;
	case PSCI_CPU_ON:
	case PSCI_32_CPU_ON:
		x[0] = cpu_on(v, a1, a2, a3);
		break;
	case PSCI_CPU_OFF:
		spin_lock(&v->power_lock);
		v->power = VCPU_OFF;
		spin_unlock(&v->power_lock);
		x[0] = PSCI_DENIED; /* seen only if it ever ran again */
		if (all_off(v->vm))
			vm_fault(v, "PSCI CPU_OFF of its last running vCPU: "
				 "none is left to start it again");
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_32_AFFINITY_INFO:
		x[0] = affinity_info(v, a1, a2);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		x[0] = MIGRATE_NOT_REQUIRED;
		break;
	case PSCI_SYSTEM_OFF:
		vm_stop(v->vm, "PSCI SYSTEM_OFF");
		break;
	case PSCI_SYSTEM_RESET:
		vm_reset(v->vm, "PSCI SYSTEM_RESET");
		break;
	default:
		x[0] = PSCI_NOT_SUPPORTED;
		break;
	}
	return true;
}
