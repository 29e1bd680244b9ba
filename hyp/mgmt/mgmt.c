/* Slot changes from a manager VM (see mgmt.h). */
#include "mgmt_internal.h"
#include "cache.h"
#include "ctl_mmio.h"
#include "errno.h"
#include "hold.h"
#include "hypercall.h"
#include "log.h"
#include "mem.h"
#include "mmu.h"
#include "platform.h"
#include "slot_update.h"
#include "vm.h"

/* Deleted slots' memory is cleared in steps of this, one in each of its
 * manager's calls, so that no call holds its CPU for longer than a reload
 * step does (docs/reliability.md, "Time at EL2"). */
#define CLEAR_STEP_BYTES (1UL << 20)
#define MAX_CLEARING MAX_SLOTS

struct manager {
	struct host_range range;
	struct slot_mm sm;
	/* Deleted, unmapped, not yet cleared: oldest first. Not in the range
	 * until cleared, so never handed out with old contents. */
	struct slot_gone clearing[MAX_CLEARING];
	u32 nr_clearing;
};

static struct manager managers[MAX_VMS]; /* by the manager's VM index */
static s8 manager_of[MAX_VMS];            /* by VM index; -1: none */
/* One change at a time, machine-wide: changes are rare, and a manager
 * holding a VM never waits for another manager. */
static spinlock_t mgmt_lock = SPINLOCK_INIT;

static void clean_to_memory(void *va, u64 size)
{
	dcache_clean_inval(va, size);
}

static int vm_index_named(const char *name)
{
	for (u32 j = 0; j < config.nr_vms && j < MAX_VMS; j++)
		if (!strcmp(config.vms[j].name, name))
			return (int)j;
	return -1;
}

static void setup_manager(struct vm *vm)
{
	const struct manager_config *mc = vm->cfg->manager;
	struct manager *m = &managers[vm->index];
	/* The range's first pages hold its own bitmap. */
	u64 bitmap = ALIGN_UP(host_range_bitmap_bytes(mc->host_size), PAGE_SIZE);

	host_range_init(&m->range, mc->host_base + bitmap, mc->host_size - bitmap,
			(u64 *)(uintptr_t)mc->host_base);
	/* Zeroed through the cache; a guest with its MMU off reads memory
	 * uncached, so the zeros are cleaned to memory too, here and each
	 * time memory comes back (QEMU models no caches: reasoned, not
	 * tested; docs/reliability.md). */
	slot_mm_init(&m->sm, &hyp_mm_ops, &m->range, clean_to_memory);
	ctl_mmio_add(vm);
	for (u32 k = 0; k < mc->nr_manages; k++) {
		int j = vm_index_named(mc->manages[k]);

		/* The checker refuses this; kept out all the same. */
		if (j < 0 || !vms[j].usable || vms[j].cfg->forbid_management)
			continue;
		manager_of[j] = (s8)vm->index;
		vms[j].mem.s2.mm = &m->sm.ops;
		log_info("vm \"%s\" manages vm \"%s\"'s slots, from host memory 0x%lx-0x%lx",
			 vm->cfg->name, vms[j].cfg->name, mc->host_base,
			 mc->host_base + mc->host_size - 1);
	}
}

void mgmt_init(void)
{
	for (u32 i = 0; i < MAX_VMS; i++)
		manager_of[i] = -1;
	for (u32 i = 0; i < config.nr_vms && i < MAX_VMS; i++)
		if (vms[i].usable && vms[i].cfg->manager)
			setup_manager(&vms[i]);
}

void mgmt_lock_all(void)
{
	spin_lock(&mgmt_lock);
}

bool mgmt_lock_unless_held(const struct vm *caller)
{
	while (!spin_trylock(&mgmt_lock)) {
		if (READ_ONCE(caller->held) ||
		    READ_ONCE(caller->state) != VM_RUNNING)
			return false;
		cpu_relax();
	}
	return true;
}

void mgmt_unlock_all(void)
{
	spin_unlock(&mgmt_lock);
}

/* Bytes of deleted slots the manager's range waits to get back. */
static u64 clearing_bytes(const struct manager *m)
{
	u64 n = 0;

	for (u32 i = 0; i < m->nr_clearing; i++)
		n += m->clearing[i].size;
	return n;
}

void mgmt_clear_step(const struct vcpu *v)
{
	struct manager *m = &managers[v->vm->index];
	struct slot_gone *g = &m->clearing[0];
	struct slot_gone step;

	if (!v->vm->cfg->manager || !m->nr_clearing)
		return;
	step = (struct slot_gone){ g->pa, MIN(g->size, CLEAR_STEP_BYTES) };
	slot_mm_give_back(&m->sm, &step);
	g->pa += step.size;
	g->size -= step.size;
	if (!g->size) {
		m->nr_clearing--;
		memmove(m->clearing, m->clearing + 1, m->nr_clearing * sizeof(*g));
	}
}

/* The VM a manager's call names in x1: -EPERM unless the caller manages
 * it (a caller that manages nothing learns nothing more). */
int managed_vm(const struct vcpu *v, u64 index, struct vm **out)
{
	if (!v->vm->cfg->manager)
		return -EPERM;
	if (index >= MAX_VMS || index >= config.nr_vms || !vms[index].usable)
		return -ENOENT;
	if (manager_of[index] != (s8)v->vm->index || vms[index].cfg->forbid_management)
		return -EPERM;
	*out = &vms[index];
	return 0;
}

/* A slot change: checked, applied with the VM held, answered. */
static s64 slot_change(struct vcpu *v, enum slot_change_kind kind)
{
	u64 *x = v->regs.x;
	struct slot_change c = { .kind = kind, .slot = { .id = (u32)x[2] } };
	struct vm_window win[MAX_VM_WINDOWS];
	struct slot_update_env env;
	enum slot_rule rule = RULE_NONE;
	struct slot_gone gone;
	struct manager *m = &managers[v->vm->index];
	struct vm *t;
	int err = managed_vm(v, x[1], &t);

	/* A VM that manages none sees x0 change and nothing else, as for
	 * any call it has no business making. */
	if (err)
		return err;
	x[1] = RULE_NONE;
	/* 32-bit fields: larger values name no slot and no flags. */
	if (x[2] != c.slot.id) {
		x[1] = RULE_ID_RANGE;
		return -EINVAL;
	}
	switch (kind) {
	case SLOT_CREATE:
		c.slot.ipa = IPA(x[3]);
		c.slot.size = x[4];
		c.slot.flags = (u32)x[5];
		if (x[5] != c.slot.flags) {
			x[1] = RULE_FLAGS_UNKNOWN;
			return -EINVAL;
		}
		break;
	case SLOT_MOVE:
		c.slot.ipa = IPA(x[3]);
		c.slot.size = x[4];
		break;
	case SLOT_FLAGS_ONLY:
		c.slot.flags = (u32)x[3];
		if (x[3] != c.slot.flags) {
			x[1] = RULE_FLAGS_UNKNOWN;
			return -EINVAL;
		}
		break;
	case SLOT_DELETE:
		break;
	}
	env = (struct slot_update_env){
		.win = win,
		.nr_win = vm_windows(t->cfg, &platform, win),
		.cpu_pa_bits = MIN(cpu_pa_bits(), platform.pa_bits),
	};

	spin_lock(&mgmt_lock);
	/* One clearing step a call. A delete makes it after its change (its
	 * own memory may be the oldest waiting); other calls first, as a
	 * create may need that memory. */
	if (kind == SLOT_DELETE && m->nr_clearing == MAX_CLEARING) {
		/* Every earlier deletion waits to be cleared; each call clears
		 * a step, so calling again gets there. Nothing changed. */
		mgmt_clear_step(v);
		x[2] = clearing_bytes(m);
		spin_unlock(&mgmt_lock);
		return -EAGAIN;
	}
	if (kind != SLOT_DELETE)
		mgmt_clear_step(v);
	vm_hold(t);
	err = vm_mem_change(&t->mem, &m->sm, &env, &c, &rule, &gone);
	vm_release(t);
	/* A deleted slot is cleared with the VM running again (holding it
	 * through the clearing of a large slot would stall it for long), a
	 * step now and one in each later call of this manager. */
	if (gone.size) {
		m->clearing[m->nr_clearing++] = gone;
		mgmt_clear_step(v);
	}
	if (err == -ENOMEM && m->nr_clearing)
		err = -EAGAIN; /* memory is coming back: call again */
	if (kind == SLOT_DELETE || err == -EAGAIN)
		x[2] = clearing_bytes(m);
	spin_unlock(&mgmt_lock);

	if (err)
		log_debug("vm \"%s\" asked to %s slot %u of vm \"%s\": refused, %s (%d)",
			  v->vm->cfg->name,
			  kind == SLOT_CREATE ? "create" : kind == SLOT_DELETE ? "delete" :
			  kind == SLOT_MOVE ? "move" : "re-flag",
			  c.slot.id, t->cfg->name, slot_rule_name(rule), err);
	x[1] = rule;
	return err;
}

/* HC_SLOT_DIRTY_LOG: the managed VM's log into the manager's buffer. */
static s64 slot_dirty_log(struct vcpu *v)
{
	u64 *x = v->regs.x;
	u32 id = (u32)x[2];
	u64 capacity = x[4] / 8, words;
	struct slot_state *s;
	struct vm *t;
	int err = managed_vm(v, x[1], &t);
	u64 *out;

	if (err)
		return err;
	x[1] = 0;
	if (x[2] != id)
		return -ENOENT;
	/* Slot tables change only under mgmt_lock. */
	spin_lock(&mgmt_lock);
	mgmt_clear_step(v);
	s = vm_mem_slot_by_id(&t->mem, id);
	if (!s || !s->dirty) {
		err = -ENOENT;
		goto out;
	}
	words = (s->nr_pages + 63) / 64;
	x[1] = words * 8;
	if (capacity < words) {
		err = -EINVAL;
		goto out;
	}
	/* The caller's buffer must be its own writable RAM. */
	out = guest_ptr(&v->vm->mem, x[3], words * 8, true);
	err = out ? dirty_log_get_and_clear(&t->mem, id, out, &words) : -EFAULT;
out:
	spin_unlock(&mgmt_lock);
	return err;
}

bool mgmt_hypercall(struct vcpu *v, u64 fid)
{
	u64 *x = v->regs.x;

	switch (fid) {
	case HC_SLOT_CREATE:
		x[0] = (u64)slot_change(v, SLOT_CREATE);
		return true;
	case HC_SLOT_DELETE:
		x[0] = (u64)slot_change(v, SLOT_DELETE);
		return true;
	case HC_SLOT_MOVE:
		x[0] = (u64)slot_change(v, SLOT_MOVE);
		return true;
	case HC_SLOT_FLAGS:
		x[0] = (u64)slot_change(v, SLOT_FLAGS_ONLY);
		return true;
	case HC_SLOT_DIRTY_LOG:
		x[0] = (u64)slot_dirty_log(v);
		return true;
	default:
		return lifecycle_hypercall(v, fid);
	}
}
