/*
 * The managed VM of tests/configs/run/mgmt.c (guests/manager changes its
 * slots): first shows that a VM that is no manager gets -EPERM for every
 * slot call, then checks from inside each change the manager makes, while
 * it runs: new memory reads zero and holds what is written, a moved slot
 * keeps its contents and its old place aborts, writes go on while dirty
 * logging is on, a deleted slot aborts, memory comes back zeroed.
 */
#include "errno.h"
#include "guest_platform.h"
#include "guest.h"
#include "mailbox.h"
#include "mmio.h"
#include "../manager/slotcall.h"

#define SELF 1
#define SLOT 5
#define NEW_IPA 0x60000000UL
#define MOVED_IPA 0x70000000UL
#define SIZE 0x200000UL
#define WAIT_MS 10000
#define PAGE 4096UL

static const u64 offsets[] = { 0, 8, PAGE * 5 + 16, SIZE - 8 };

static bool wait_step(u32 n)
{
	bool ok = spin_until(READ_ONCE(mailbox()->mgmt_step) >= n, WAIT_MS);

	dmb(sy);
	return ok;
}

static void ack(u32 n)
{
	dmb(sy);
	WRITE_ONCE(mailbox()->mgmt_ack, n);
}

static bool reads(u64 base, bool zero)
{
	bool ok = true;

	for (u32 i = 0; i < ARRAY_SIZE(offsets); i++)
		ok &= mmio_read64(base + offsets[i]) ==
		      (zero ? 0 : 0xc0ffee00UL + i);
	return ok;
}

static void not_a_manager(void)
{
	struct slot_answer a;

	a = slot_call(HC_SLOT_CREATE, 0, SLOT, NEW_IPA, SIZE, 0);
	report(a.err == -EPERM, "a VM that manages none: create in VM 0 is -EPERM (%ld)", a.err);
	a = slot_call(HC_SLOT_CREATE, SELF, SLOT, NEW_IPA, SIZE, 0);
	report(a.err == -EPERM, "create in itself is -EPERM (%ld)", a.err);
	a = slot_call(HC_SLOT_DELETE, SELF, 0, 0, 0, 0);
	report(a.err == -EPERM, "delete of its own RAM slot is -EPERM (%ld)", a.err);
	a = slot_call(HC_SLOT_DIRTY_LOG, 0, 0, 0, 0, 0);
	report(a.err == -EPERM, "dirty log of VM 0 is -EPERM (%ld)", a.err);
	a = slot_call(HC_VM_RESTART, 0, 0, 0, 0, 0);
	report(a.err == -EPERM, "restart of VM 0 is -EPERM (%ld)", a.err);
	a = slot_call(HC_VM_CONSOLE, 0, 0x40000000, 64, 0, 0);
	report(a.err == -EPERM, "console of VM 0 is -EPERM (%ld)", a.err);
	/* Only managers have a control window. */
	catch_reset();
	(void)mmio_read64(VIRT_HYPCTL_BASE);
	expect_one_abort(EC_DABT_CUR, VIRT_HYPCTL_BASE, false,
			 "it has no control window: a read at 0x090c0000 aborts");
	catch_reset();
	(void)mmio_read64(NEW_IPA);
	expect_one_abort(EC_DABT_CUR, NEW_IPA, false,
			 "nothing changed: a read at 0x60000000 aborts");
}

/* Whether the device tree has a node named name (a byte search of the
 * blob: node names are NUL-terminated in its structure block). */
static bool dt_has_node(const char *name)
{
	const u8 *dt = (const u8 *)guest_dtb;
	u32 total = dt[4] << 24 | dt[5] << 16 | dt[6] << 8 | dt[7];
	u32 n = 0;

	while (name[n])
		n++;
	for (u32 i = 0; i + n + 1 <= total; i++) {
		u32 k = 0;

		while (k < n && dt[i + k] == (u8)name[k])
			k++;
		if (k == n && !dt[i + n])
			return true;
	}
	return false;
}

/* Started again by its manager after it added slot 6 at 0x60000000: the
 * tree it got shows the slot, and the slot is memory. Lines are "# "
 * (its results were summed up already), or FAIL. */
static void __noreturn rerun(void)
{
	bool ok = dt_present() && dt_has_node("memory@60000000") &&
		  dt_has_node("memory@40000000");

	printf("%s regenerated device tree at 0x%lx: memory@40000000 and memory@60000000 %s\n",
	       ok ? "#" : "FAIL:", guest_dtb, ok ? "present" : "missing");
	mmio_write64(NEW_IPA + 8, 0x77);
	ok = mmio_read64(NEW_IPA + 8) == 0x77;
	printf("%s the new slot at 0x60000000 is memory\n", ok ? "#" : "FAIL:");
	system_off();
}

/* Restarted by its manager (HC_VM_RESTART): reloaded from its pristine
 * image with its RAM cleared, so where the manager's image ran reads 0. */
static void __noreturn restarted(void)
{
	bool ok = mmio_read64(0x40200000) == 0;
	u64 info[8];

	hvc_regs(HC_VM_INFO, 0, 0, 0, info);
	printf("%s restarted by its manager (restart %lu), its RAM cleared: 0x40200000 reads %s\n",
	       ok ? "#" : "FAIL:", info[2], ok ? "zero" : "the old image");
	/* Its run-time slot 6 is kept, cleared (the rerun wrote 0x77), and
	 * in the device tree of its reload. */
	ok = dt_present() && dt_has_node("memory@60000000") && dt_has_node("memory@40000000");
	printf("%s its device tree at reload shows memory@40000000 and the run-time "
	       "memory@60000000\n", ok ? "#" : "FAIL:");
	ok = mmio_read64(NEW_IPA + 8) == 0;
	printf("%s the run-time slot at 0x60000000 was cleared too\n", ok ? "#" : "FAIL:");
	system_off();
}

void guest_main(void);
void guest_main(void)
{
	if (READ_ONCE(mailbox()->mgmt_rerun) == 2)
		restarted();
	if (READ_ONCE(mailbox()->mgmt_rerun))
		rerun();
	catch_aborts();
	not_a_manager();
	dmb(sy);
	WRITE_ONCE(mailbox()->mgmt_ready, 1);

	/* 1: a new slot at NEW_IPA: zeroed, and memory like any other. */
	report(wait_step(1), "step 1 came");
	catch_reset();
	report(reads(NEW_IPA, true), "the new slot at 0x60000000 reads zero");
	for (u32 i = 0; i < ARRAY_SIZE(offsets); i++)
		mmio_write64(NEW_IPA + offsets[i], 0xc0ffee00UL + i);
	report(reads(NEW_IPA, false), "it holds what was written");
	expect_no_abort("using the new slot");
	ack(1);

	/* 2: moved: the same memory at MOVED_IPA, nothing at NEW_IPA. */
	report(wait_step(2), "step 2 came");
	catch_reset();
	report(reads(MOVED_IPA, false), "moved to 0x70000000, the slot kept its contents");
	expect_no_abort("reading the moved slot");
	catch_reset();
	(void)mmio_read64(NEW_IPA);
	expect_one_abort(EC_DABT_CUR, NEW_IPA, false,
			 "a read at the old place 0x60000000 aborts");
	ack(2);

	/* 3: logging on: writes go on, the hypervisor records them. */
	report(wait_step(3), "step 3 came");
	catch_reset();
	mmio_write64(MOVED_IPA, 1);
	mmio_write64(MOVED_IPA + 5 * PAGE + 64, 2);
	mmio_write64(MOVED_IPA + 511 * PAGE + PAGE - 8, 3);
	(void)mmio_read64(MOVED_IPA + 100 * PAGE); /* a read: stays clean */
	report(mmio_read64(MOVED_IPA + 5 * PAGE + 64) == 2,
	       "with logging on, writes to pages 0 5 511 land");
	expect_no_abort("writing a logged slot");
	ack(3);

	/* 4: logging off: still writable. */
	report(wait_step(4), "step 4 came");
	catch_reset();
	mmio_write64(MOVED_IPA + 7 * PAGE, 4);
	expect_no_abort("writing after logging off");
	ack(4);

	/* 5: deleted: an access is an abort like any other. */
	report(wait_step(5), "step 5 came");
	catch_reset();
	mmio_write64(MOVED_IPA + 8, 5);
	expect_one_abort(EC_DABT_CUR, MOVED_IPA + 8, true,
			 "a write to the deleted slot at 0x70000008 aborts");
	ack(5);

	/* 6: created again from the memory given back: zeroed. */
	report(wait_step(6), "step 6 came");
	catch_reset();
	report(reads(NEW_IPA, true) && mmio_read64(NEW_IPA + 5 * PAGE + 64) == 0,
	       "created again, the slot reads zero: deleted memory was cleared");
	expect_no_abort("reading the slot created again");
	ack(6);
	report_done();
}
