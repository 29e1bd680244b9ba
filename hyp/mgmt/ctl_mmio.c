/*
 * The control window: the management calls for a manager whose kernel
 * knows no hypercalls of ours (an unmodified Linux; its user space maps
 * the window through /dev/mem). An emulated MMIO page at VIRT_HYPCTL_BASE
 * in each manager VM, outside its RAM, with a node "hyp,control" in its
 * device tree. docs/management.md, "The control window", is its manual.
 *
 *   0x000  ID    read: HYPCTL_ID, the version in bits 63-32
 *   0x008  CALL  write a function id (HC_SLOT_*, HC_VM_*): runs it with
 *                X1-X7 as its x1-x7; X0-X7 then hold its x0-x7
 *   0x100  X0-X7 eight 64-bit registers, read and written freely
 *
 * A call is the hypercall itself, run by the same code with the same
 * arguments: buffers are the manager's own RAM by IPA (guest_ptr checks
 * every byte), and a call holds its CPU no longer than the hypercall does.
 * The registers are the VM's, not a vCPU's: a process that moves between
 * vCPUs between its writes and its read still finds its values. Two
 * processes using the window at once would mix their arguments; hypctl
 * takes a file lock (docs/management.md).
 */
#include "ctl_mmio.h"
#include "guest_platform.h"
#include "hypercall.h"
#include "mem.h"
#include "mgmt_internal.h"
#include "spinlock.h"

#define CTL_ID 0x000
#define CTL_CALL 0x008
#define CTL_X0 0x100
#define CTL_NR_X 8

struct ctl_regs {
	spinlock_t lock;
	u64 x[CTL_NR_X];
};

static struct ctl_regs ctl[MAX_VMS]; /* by the manager's VM index */

/* The calls the window runs: the management ones, nothing else (no PSCI,
 * no doorbells: those have their own interfaces). */
static bool window_call(u64 fid)
{
	return (fid >= HC_SLOT_CREATE && fid <= HC_SLOT_DIRTY_LOG) ||
	       (fid >= HC_VM_QUERY && fid <= HC_VM_CONSOLE);
}

static void run_call(struct vcpu *v, struct ctl_regs *c, u64 fid)
{
	u64 saved[CTL_NR_X];

	if (!window_call(fid)) {
		c->x[0] = (u64)SMCCC_NOT_SUPPORTED;
		return;
	}
	/* The call reads and answers in the vCPU's x0-x7: lend it the
	 * window's, then give the vCPU its own back untouched. */
	memcpy(saved, v->regs.x, sizeof(saved));
	memcpy(v->regs.x, c->x, sizeof(saved));
	v->regs.x[0] = fid;
	if (!mgmt_hypercall(v, fid))
		v->regs.x[0] = (u64)SMCCC_NOT_SUPPORTED;
	memcpy(c->x, v->regs.x, sizeof(saved));
	memcpy(v->regs.x, saved, sizeof(saved));
}

static u64 ctl_read(struct vcpu *v, u64 offset, unsigned size)
{
	struct ctl_regs *c = &ctl[v->vm->index];
	u64 val = 0;

	if (offset == CTL_ID)
		val = HYPCTL_ID | (u64)HYPCTL_VERSION << 32;
	else if (offset >= CTL_X0 && offset < CTL_X0 + 8 * CTL_NR_X && size == 8 &&
		 !(offset & 7)) {
		spin_lock(&c->lock);
		val = c->x[(offset - CTL_X0) / 8];
		spin_unlock(&c->lock);
	}
	return size == 8 ? val : val & ((1UL << (8 * size)) - 1);
}

/* Writes other than whole 64-bit registers are ignored. */
static void ctl_write(struct vcpu *v, u64 offset, unsigned size, u64 value)
{
	struct ctl_regs *c = &ctl[v->vm->index];

	if (size != 8 || (offset & 7))
		return;
	spin_lock(&c->lock);
	if (offset == CTL_CALL)
		run_call(v, c, value);
	else if (offset >= CTL_X0 && offset < CTL_X0 + 8 * CTL_NR_X)
		c->x[(offset - CTL_X0) / 8] = value;
	spin_unlock(&c->lock);
}

static const struct mmio_region ctl_region = {
	.name = "hypervisor control window",
	.base = VIRT_HYPCTL_BASE,
	.size = VIRT_HYPCTL_SIZE,
	.read = ctl_read,
	.write = ctl_write,
};

void ctl_mmio_add(struct vm *manager)
{
	mmio_add_region(manager, &ctl_region);
}
