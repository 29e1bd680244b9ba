/*
 * A managed VM's life cycle from its manager (include/hypercall.h
 * HC_VM_*): its state, stopping it, writing an image into it while it is
 * stopped, and starting it at an entry point (see mgmt.h).
 */
#include "cache.h"
#include "console_ring.h"
#include "errno.h"
#include "hypercall.h"
#include "io.h"
#include "mem.h"
#include "mgmt_internal.h"
#include "platform.h"
#include "vm_dt.h"

/* The regenerated device tree, built here and then copied in; used under
 * the management lock only. */
static u8 dt_buf[VM_DT_MAX_SIZE] __aligned(8);
static struct memslot dt_slots[MAX_SLOTS];

/* Written memory must reach memory and the instruction side: the VM
 * starts with its MMU and caches off, and may run what was written. */
static void clean_written(struct vm *t, u64 ipa, u64 len)
{
	while (len) {
		struct slot_state *s = vm_mem_find(&t->mem, ipa);
		u64 off = ipa - ipa_val(s->cfg.ipa);
		u64 chunk = MIN(len, s->cfg.size - off);

		dcache_clean_inval((void *)(uintptr_t)(pa_val(s->cfg.pa) + off), chunk);
		ipa += chunk;
		len -= chunk;
	}
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

/*
 * Stopped, and let go by its device partitions: each took the reset record
 * its stop left them, or had its windows' timeout (io_front_quiet). Until
 * then one may still copy a frame into a buffer of the old run, over what
 * its manager writes (HC_VM_WRITE) or into what it starts (HC_VM_START),
 * as a reload waits for the same (vm_reload_step). It still reads
 * "stopping" meanwhile (HC_VM_QUERY), and these calls are -EBUSY.
 */
static bool stopped_let_go(struct vm *t)
{
	return READ_ONCE(t->state) == VM_STOPPED && io_front_quiet(t);
}

static s64 vm_write(struct vcpu *v, struct vm *t)
{
	u64 *x = v->regs.x;
	u64 ipa = x[2], len = x[4];
	const void *src;
	int err;

	if (!stopped_let_go(t))
		return -EBUSY;
	src = guest_ptr(&v->vm->mem, x[3], len, false);
	if (!src)
		return -EFAULT;
	/* The copy and its clean run at EL2 with the machine-wide management
	 * lock held: one call may hold its CPU (and the vCPUs sharing it)
	 * and every other manager no longer than a reload step does. */
	if (len > HC_VM_WRITE_MAX)
		return -EINVAL;
	/* The loader's write: READONLY slots too, nothing marked dirty. */
	err = guest_load(&t->mem, ipa, src, len);
	if (!err)
		clean_written(t, ipa, len);
	return err;
}

/* A device tree of the VM as it is now: its configuration with its
 * current slot table (memory nodes = RAM slots, run-time ones included),
 * written at IPA dtb. */
static int write_dt(struct vm *t, u64 dtb)
{
	struct vm_config now;
	int size, err;

	size = vm_dt_build(vm_config_now(t, &now, dt_slots), &platform,
			   &(struct vm_dt_params){ 0 }, dt_buf, sizeof(dt_buf));
	if (size < 0)
		return size;
	err = guest_load(&t->mem, dtb, dt_buf, (u64)size);
	if (!err)
		clean_written(t, dtb, (u64)size);
	return err;
}

static s64 vm_start(struct vcpu *v, struct vm *t)
{
	u64 *x = v->regs.x;
	int err;

	if (!stopped_let_go(t))
		return -EBUSY;
	if (x[4]) {
		err = write_dt(t, x[4]);
		if (err)
			return err;
		return vm_start_at(t, x[2], x[4]);
	}
	return vm_start_at(t, x[2], x[3]);
}

/* HC_VM_NAME: the name into the caller's buffer. */
static s64 vm_name(struct vcpu *v, struct vm *t)
{
	u64 *x = v->regs.x;
	const char *name = t->cfg->name ? t->cfg->name : "";
	u64 len = strlen(name);
	char *out;

	x[1] = len;
	if (x[3] < len + 1)
		return -EINVAL;
	out = guest_ptr(&v->vm->mem, x[2], len + 1, true);
	if (!out)
		return -EFAULT;
	memcpy(out, name, len + 1);
	return 0;
}

/* HC_VM_CONSOLE: what it printed since the last read. */
static s64 vm_console(struct vcpu *v, struct vm *t)
{
	u64 *x = v->regs.x;
	u64 max = MIN(x[3], (u64)HC_VM_CONSOLE_MAX), lost;
	char *out;

	_Static_assert(HC_VM_CONSOLE_MAX == CONSOLE_RING_SIZE,
		       "a read can empty the ring");
	x[1] = 0;
	if (!max)
		return -EINVAL;
	/* The whole buffer, checked before anything is taken from the ring:
	 * a refused read loses nothing. */
	out = guest_ptr(&v->vm->mem, x[2], max, true);
	if (!out)
		return -EFAULT;
	x[1] = console_ring_read(t->index, out, max, &lost);
	x[2] = lost;
	return 0;
}

/* The state as the ABI names it (include/hypercall.h), not as vm.h does:
 * the hypervisor's states may grow without changing what managers read. */
static u64 abi_state(struct vm *t)
{
	switch (READ_ONCE(t->state)) {
	case VM_RUNNING:
		return HC_VM_STATE_RUNNING;
	case VM_STOPPING:
		return HC_VM_STATE_STOPPING;
	case VM_RESETTING:
	case VM_LOADING:
		return HC_VM_STATE_RESTARTING;
	case VM_STOPPED:
		break;
	}
	return stopped_let_go(t) ? HC_VM_STATE_STOPPED : HC_VM_STATE_STOPPING;
}

bool lifecycle_hypercall(struct vcpu *v, u64 fid)
{
	u64 *x = v->regs.x;
	struct vm *t;
	s64 err;

	if (fid < HC_VM_QUERY || fid > HC_VM_CONSOLE)
		return false;
	err = managed_vm(v, x[1], &t);
	if (err) {
		x[0] = (u64)err;
		return true;
	}
	/* Stopped VMs stay stopped meanwhile: only their manager starts them,
	 * and its calls are one at a time. */
	mgmt_lock_all();
	/* A write is a step's worth already: one at a time. */
	if (fid != HC_VM_WRITE)
		mgmt_clear_step(v);
	switch (fid) {
	case HC_VM_QUERY:
		x[1] = abi_state(t);
		x[2] = t->mem.nr_slots;
		x[3] = t->resets;
		x[4] = t->nr_vcpus;
		break;
	case HC_VM_STOP:
		vm_stop(t, "stopped by its manager");
		break;
	case HC_VM_WRITE:
		err = vm_write(v, t);
		break;
	case HC_VM_START:
		err = vm_start(v, t);
		break;
	case HC_VM_RESTART:
		err = vm_restart(t, "restarted by its manager");
		break;
	case HC_VM_NAME:
		err = vm_name(v, t);
		break;
	case HC_VM_CONSOLE:
		err = vm_console(v, t);
		break;
	}
	mgmt_unlock_all();
	x[0] = (u64)err;
	return true;
}
