/*
 * The manager of tests/configs/run/mgmt.c: changes the slots of "managed"
 * (VM 1) by hypercall while it runs, and checks every answer: each refusal
 * with KVM's error code, then create, move, dirty logging on and off,
 * delete, create again, with the managed VM checking each step from inside
 * (guests/managed) through the shared mailbox.
 */
#include "config.h" /* SLOT_* flags */
#include "errno.h"
#include "guest_platform.h"
#include "guest.h"
#include "mailbox.h"
#include "mmio.h"
#include "slotcall.h"

#define SELF 0
#define MANAGED 1
#define SLOT 5
#define NEW_IPA 0x60000000UL
#define MOVED_IPA 0x70000000UL
#define SIZE 0x200000UL
#define WAIT_MS 10000

static u64 bitmap[8] __aligned(64);
extern const u8 image_start[], image_end[];

static struct slot_answer create(u64 vm, u64 id, u64 ipa, u64 size, u64 flags)
{
	return slot_call(HC_SLOT_CREATE, vm, id, ipa, size, flags);
}

static void expect(struct slot_answer a, s64 err, const char *what)
{
	report(a.err == err, "%s: %ld (rule %lu)", what, a.err, a.rule);
}

/* Tells the managed VM a step is done and waits for it to check. */
static void step(u32 n, const char *what)
{
	struct mailbox *mb = mailbox();

	dmb(sy);
	WRITE_ONCE(mb->mgmt_step, n);
	report(spin_until(READ_ONCE(mb->mgmt_ack) >= n, WAIT_MS),
	       "step %u (%s): the managed VM checked it", n, what);
}

static void refusals(void)
{
	expect(create(MANAGED, SLOT, NEW_IPA + 0x800, SIZE, 0), -EINVAL,
	       "create at an IPA not 4 KiB aligned is -EINVAL");
	expect(create(MANAGED, SLOT, NEW_IPA, 0, 0), -EINVAL, "create of size 0 is -EINVAL");
	expect(create(MANAGED, 40, NEW_IPA, SIZE, 0), -EINVAL, "create of slot id 40 is -EINVAL");
	expect(create(MANAGED, SLOT, NEW_IPA, SIZE, SLOT_DEVICE), -EINVAL,
	       "create with DEVICE is -EINVAL");
	expect(create(MANAGED, SLOT, 0x40100000, SIZE, 0), -EEXIST,
	       "create over the managed VM's RAM is -EEXIST");
	expect(create(MANAGED, 0, NEW_IPA, SIZE, 0), -EEXIST, "create of slot id 0 (taken) is -EEXIST");
	expect(create(MANAGED, SLOT, 0x08000000, 0x1000, 0), -EEXIST,
	       "create over the GIC distributor is -EEXIST");
	expect(create(MANAGED, SLOT, NEW_IPA, 0x4000000, 0), -ENOMEM,
	       "create of 64 MiB from a 16 MiB host range is -ENOMEM");
	expect(slot_call(HC_SLOT_DELETE, MANAGED, 9, 0, 0, 0), -ENOENT,
	       "delete of a slot that does not exist is -ENOENT");
	expect(slot_call(HC_SLOT_DELETE, MANAGED, 0, 0, 0, 0), -EPERM,
	       "delete of a configured slot is -EPERM");
	expect(slot_call(HC_SLOT_FLAGS, MANAGED, 0, SLOT_LOG_DIRTY, 0, 0), -EPERM,
	       "flags of a configured slot is -EPERM");
	expect(create(SELF, SLOT, NEW_IPA, SIZE, 0), -EPERM, "create in itself (not managed) is -EPERM");
	expect(create(7, SLOT, NEW_IPA, SIZE, 0), -ENOENT, "create in VM 7 (none) is -ENOENT");
}

static bool log_is(const u32 *pages, u32 n)
{
	u64 want[8] = { 0 };
	bool ok = true;

	for (u32 i = 0; i < n; i++)
		want[pages[i] / 64] |= BIT(pages[i] % 64);
	for (u32 i = 0; i < ARRAY_SIZE(bitmap); i++)
		ok &= bitmap[i] == want[i];
	return ok;
}

/* A large slot's memory comes back in 1 MiB steps, one a call: the
 * delete answers how much is left (x2), a create that needs it meanwhile
 * is -EAGAIN, and calls that follow finish the clearing. */
static void bounded_clearing(void)
{
	u64 r[8];
	u32 calls = 0;

	expect(create(MANAGED, 7, NEW_IPA, 8 * SIZE / 2, 0), 0, "create an 8 MiB slot 7");
	hvc_regs(HC_SLOT_DELETE, MANAGED, 7, 0, r);
	report(r[0] == 0 && r[2] == 0x700000,
	       "its delete clears 1 MiB in the call: 7 MiB left to clear (%ld, 0x%lx)",
	       (s64)r[0], r[2]);
	/* 16 MiB of range: 12 MiB do not fit beside the 6 MiB still dirty. */
	do {
		struct slot_answer a = create(MANAGED, 7, NEW_IPA, 12 * SIZE / 2, 0);

		if (a.err != -EAGAIN) {
			report(a.err == 0 && calls >= 1 && calls <= 7,
			       "create of 12 MiB: -EAGAIN %u times, then 0 (%ld)", calls, a.err);
			break;
		}
	} while (++calls <= 8);
	hvc_regs(HC_SLOT_DELETE, MANAGED, 7, 0, r);
	report(r[0] == 0 && r[2] == 0xb00000, "delete of 12 MiB: 11 MiB left to clear (0x%lx)",
	       r[2]);
	for (u32 i = 0; i < 11; i++)
		(void)slot_call(HC_VM_QUERY, MANAGED, 0, 0, 0, 0);
	expect(create(MANAGED, 7, NEW_IPA, 0x1000, 0), 0, "create a 4 KiB slot 7");
	hvc_regs(HC_SLOT_DELETE, MANAGED, 7, 0, r);
	report(r[0] == 0 && r[2] == 0, "after 11 more calls nothing is left to clear (0x%lx)",
	       r[2]);
}

/* The managed VM's state (HC_VM_QUERY x1, HC_VM_STATE_*). */
static s64 vm_state(void)
{
	struct slot_answer a = slot_call(HC_VM_QUERY, MANAGED, 0, 0, 0, 0);

	return a.err ? a.err : (s64)a.rule;
}

/* The managed VM has finished its checks and powered itself off: write
 * the tiny image (image.S) into it, start it there, and stop it. */
static void life_cycle(void)
{
	u64 size = (u64)(image_end - image_start);

	_Static_assert(__builtin_offsetof(struct mailbox, mgmt_image) == 32,
		       "guests/manager/image.S writes mgmt_image at offset 32");
	report(spin_until(vm_state() == HC_VM_STATE_STOPPED, WAIT_MS),
	       "the managed VM powered itself off: HC_VM_QUERY says stopped");
	expect(slot_call(HC_VM_QUERY, SELF, 0, 0, 0, 0), -EPERM,
	       "HC_VM_QUERY of itself (not managed) is -EPERM");
	report(hvc(HC_DOORBELL, 0, 0, 0) == 0,
	       "a doorbell to the stopped VM rings its end");
	expect(slot_call(HC_VM_WRITE, MANAGED, 0x40200000, (u64)(uintptr_t)image_start,
			 0x100000000UL, 0), -EFAULT,
	       "HC_VM_WRITE from beyond its own RAM is -EFAULT");
	expect(slot_call(HC_VM_WRITE, MANAGED, 0x30000000, (u64)(uintptr_t)image_start,
			 size, 0), -EFAULT,
	       "HC_VM_WRITE to no RAM of the managed VM is -EFAULT");
	expect(slot_call(HC_VM_WRITE, MANAGED, 0x40200000, 0x40000000,
			 HC_VM_WRITE_MAX + 0x1000, 0), -EINVAL,
	       "HC_VM_WRITE of more than HC_VM_WRITE_MAX (1 MiB) is -EINVAL");
	expect(slot_call(HC_VM_WRITE, MANAGED, 0x40200000, (u64)(uintptr_t)image_start,
			 size, 0), 0, "HC_VM_WRITE of the image at 0x40200000");
	expect(slot_call(HC_VM_START, MANAGED, 0x40200000, 0, 0, 0), 0,
	       "HC_VM_START at 0x40200000");
	report(spin_until(READ_ONCE(mailbox()->mgmt_image), WAIT_MS),
	       "the image ran: it printed its banner and set the mailbox flag");
	/* HC_VM_START cleared what was pending in its vGIC: its end must be
	 * unrung too, or this doorbell coalesces into one it never gets. */
	report(hvc(HC_DOORBELL, 0, 0, 0) == 0,
	       "a doorbell to the restarted VM rings its end afresh (not coalesced)");
	expect(slot_call(HC_VM_WRITE, MANAGED, 0x40200000, (u64)(uintptr_t)image_start,
			 size, 0), -EBUSY, "HC_VM_WRITE while it runs is -EBUSY");
	expect(slot_call(HC_VM_START, MANAGED, 0x40200000, 0, 0, 0), -EBUSY,
	       "HC_VM_START while it runs is -EBUSY");
	report(vm_state() == HC_VM_STATE_RUNNING, "HC_VM_QUERY says running (%ld)", vm_state());
	expect(slot_call(HC_VM_STOP, MANAGED, 0, 0, 0, 0), 0, "HC_VM_STOP");
	report(vm_state() == HC_VM_STATE_STOPPED, "after HC_VM_STOP it is stopped (%ld)", vm_state());

	/* A slot more, then its own payload again (still in its RAM) with a
	 * device tree made from its slots now. */
	expect(create(MANAGED, 6, NEW_IPA, SIZE, 0), 0,
	       "create slot 6 at 0x60000000 in the stopped VM");
	dmb(sy);
	WRITE_ONCE(mailbox()->mgmt_rerun, 1);
	expect(slot_call(HC_VM_START, MANAGED, 0x40080000, 0, 0x40f00000, 0), 0,
	       "HC_VM_START at its payload's entry with a regenerated device tree at 0x40f00000");
	report(spin_until(vm_state() == HC_VM_STATE_STOPPED, WAIT_MS),
	       "the payload checked its device tree and powered off");
}

static char text[HC_VM_CONSOLE_MAX + 1];

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static bool has(const char *hay, const char *needle)
{
	for (; *hay; hay++) {
		u32 k = 0;

		while (needle[k] && hay[k] == needle[k])
			k++;
		if (!needle[k])
			return true;
	}
	return false;
}

/* The stopped managed VM: its name and size, a restart from its pristine
 * image, and the console lines it printed. */
static void list_restart_console(void)
{
	u64 r[8];
	struct slot_answer a;

	a = slot_call(HC_VM_NAME, MANAGED, (u64)(uintptr_t)text, 4, 0, 0);
	report(a.err == -EINVAL && a.rule == 7,
	       "HC_VM_NAME into 4 bytes is -EINVAL with the length, 7 (%ld, %lu)", a.err, a.rule);
	a = slot_call(HC_VM_NAME, MANAGED, (u64)(uintptr_t)text, sizeof(text), 0, 0);
	report(a.err == 0 && same(text, "managed"), "HC_VM_NAME of VM 1 is \"%s\"", text);
	a = slot_call(HC_VM_NAME, 2, (u64)(uintptr_t)text, sizeof(text), 0, 0);
	expect(a, -ENOENT, "HC_VM_NAME of VM 2 (none: the list ends) is -ENOENT");
	hvc_regs(HC_VM_QUERY, MANAGED, 0, 0, r);
	report(r[0] == 0 && r[1] == HC_VM_STATE_STOPPED && r[2] == 3 && r[3] == 0 && r[4] == 1,
	       "HC_VM_QUERY: stopped, 3 slots, 0 restarts, 1 vCPU (%lu %lu %lu %lu)",
	       r[1], r[2], r[3], r[4]);

	dmb(sy);
	WRITE_ONCE(mailbox()->mgmt_rerun, 2);
	expect(slot_call(HC_VM_RESTART, MANAGED, 0, 0, 0, 0), 0, "HC_VM_RESTART of the stopped VM");
	report(spin_until(vm_state() == HC_VM_STATE_STOPPED, WAIT_MS),
	       "restarted from its image, it checked its RAM and powered off");
	hvc_regs(HC_VM_QUERY, MANAGED, 0, 0, r);
	report(r[3] == 1, "HC_VM_QUERY counts the restart: %lu", r[3]);

	hvc_regs(HC_VM_CONSOLE, MANAGED, (u64)(uintptr_t)text, sizeof(text) - 1, r);
	text[r[0] ? 0 : r[1]] = 0;
	report(r[0] == 0 && has(text, "# restarted by its manager (restart 1)") &&
	       has(text, "# the new slot at 0x60000000 is memory"),
	       "HC_VM_CONSOLE: %lu bytes it printed, its last lines among them (%lu lost)",
	       r[1], r[2]);
	hvc_regs(HC_VM_CONSOLE, MANAGED, (u64)(uintptr_t)text, sizeof(text) - 1, r);
	report(r[0] == 0 && r[1] == 0, "read again: nothing new (%lu bytes)", r[1]);
	hvc_regs(HC_VM_CONSOLE, MANAGED, 0x100000000UL, 64, r);
	report((s64)r[0] == -EFAULT, "HC_VM_CONSOLE into no RAM of its own is -EFAULT (%ld)",
	       (s64)r[0]);
}

/* The same calls through the control window (what Linux's user space
 * uses): registers X0-X7 at 0x100, CALL at 0x8. */
static u64 window_call(u64 fid, u64 a1, u64 a2, u64 a3)
{
	mmio_write64(VIRT_HYPCTL_BASE + 0x108, a1);
	mmio_write64(VIRT_HYPCTL_BASE + 0x110, a2);
	mmio_write64(VIRT_HYPCTL_BASE + 0x118, a3);
	mmio_write64(VIRT_HYPCTL_BASE + 0x8, fid);
	return mmio_read64(VIRT_HYPCTL_BASE + 0x100);
}

static void control_window(void)
{
	u64 id = mmio_read64(VIRT_HYPCTL_BASE);

	report((u32)id == HYPCTL_ID && id >> 32 == HYPCTL_VERSION,
	       "the control window at 0x090c0000 answers its ID (0x%lx)", id);
	report(window_call(HC_VM_QUERY, MANAGED, 0, 0) == 0 &&
	       mmio_read64(VIRT_HYPCTL_BASE + 0x108) == HC_VM_STATE_STOPPED &&
	       mmio_read64(VIRT_HYPCTL_BASE + 0x120) == 1,
	       "through the window, HC_VM_QUERY: stopped, 1 vCPU");
	text[0] = 0;
	report(window_call(HC_VM_NAME, MANAGED, (u64)(uintptr_t)text, 64) == 0 &&
	       same(text, "managed"), "through the window, HC_VM_NAME: \"%s\"", text);
	report((s64)window_call(HC_VM_QUERY, SELF, 0, 0) == -EPERM,
	       "through the window, HC_VM_QUERY of itself is -EPERM");
	report((s64)window_call(HC_VM_NAME, MANAGED, 0x40000000UL - 0x1000, 64) == -EFAULT,
	       "through the window, a buffer outside its RAM is -EFAULT");
	report((s64)window_call(HC_NOP, 0, 0, 0) == SMCCC_NOT_SUPPORTED,
	       "through the window, a call that is not a management call is not supported");
}

void guest_main(void);
void guest_main(void)
{
	struct mailbox *mb = mailbox();
	static const u32 written[] = { 0, 5, 511 };
	struct slot_answer a;

	catch_aborts();
	report(spin_until(READ_ONCE(mb->mgmt_ready), WAIT_MS),
	       "the managed VM made its refused calls");
	/* They changed nothing here: still no memory at NEW_IPA. */
	catch_reset();
	(void)mmio_read64(NEW_IPA);
	expect_one_abort(EC_DABT_CUR, NEW_IPA, false,
			 "the managed VM's create in this VM changed nothing: a read at 0x60000000 aborts");
	catch_reset();

	refusals();

	expect(create(MANAGED, SLOT, NEW_IPA, SIZE, 0), 0, "create slot 5, 2 MiB at 0x60000000");
	expect(create(MANAGED, SLOT, 0x61000000, SIZE, 0), -EEXIST, "create of slot 5 again is -EEXIST");
	expect(slot_call(HC_SLOT_MOVE, MANAGED, SLOT, MOVED_IPA, SIZE * 2, 0), -EINVAL,
	       "move with another size (a resize) is -EINVAL");
	expect(slot_call(HC_SLOT_FLAGS, MANAGED, SLOT, SLOT_READONLY, 0, 0), -EINVAL,
	       "turning READONLY on is -EINVAL");
	expect(slot_call(HC_SLOT_MOVE, MANAGED, SLOT, 0x40000000, SIZE, 0), -EEXIST,
	       "move onto the managed VM's RAM is -EEXIST");
	step(1, "created");

	expect(slot_call(HC_SLOT_MOVE, MANAGED, SLOT, MOVED_IPA, SIZE, 0), 0,
	       "move slot 5 to 0x70000000");
	step(2, "moved");

	expect(slot_call(HC_SLOT_FLAGS, MANAGED, SLOT, SLOT_LOG_DIRTY, 0, 0), 0,
	       "dirty logging on for slot 5");
	step(3, "logging");
	a = slot_call(HC_SLOT_DIRTY_LOG, MANAGED, SLOT, (u64)(uintptr_t)bitmap,
		      sizeof(bitmap), 0);
	report(a.err == 0 && a.rule == 64 && log_is(written, ARRAY_SIZE(written)),
	       "the dirty log is exactly the pages the managed VM wrote, 0 5 511 (%ld, %lu bytes)",
	       a.err, a.rule);
	a = slot_call(HC_SLOT_DIRTY_LOG, MANAGED, SLOT, (u64)(uintptr_t)bitmap,
		      sizeof(bitmap), 0);
	report(a.err == 0 && log_is(NULL, 0), "read again, the log is empty (%ld)", a.err);
	expect(slot_call(HC_SLOT_FLAGS, MANAGED, SLOT, 0, 0, 0), 0, "dirty logging off");
	a = slot_call(HC_SLOT_DIRTY_LOG, MANAGED, SLOT, (u64)(uintptr_t)bitmap,
		      sizeof(bitmap), 0);
	expect(a, -ENOENT, "the log of a slot not logging is -ENOENT");
	step(4, "logging off");

	expect(slot_call(HC_SLOT_DELETE, MANAGED, SLOT, 0, 0, 0), 0, "delete slot 5");
	step(5, "deleted");

	expect(create(MANAGED, SLOT, NEW_IPA, SIZE, 0), 0,
	       "create slot 5 again, from the memory just given back");
	step(6, "created again");
	expect(slot_call(HC_SLOT_DELETE, MANAGED, SLOT, 0, 0, 0), 0, "delete it again");
	bounded_clearing();
	life_cycle();
	list_restart_console();
	control_window();
	expect_no_abort("managing");
	report_done();
}
