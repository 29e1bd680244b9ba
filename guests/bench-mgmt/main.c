/*
 * make bench's run-time slot figures (configs/bench-mgmt.c): VM 0, the
 * manager, creates and deletes a slot of VM 1 while VM 1's one vCPU runs
 * (it spins on the shared mailbox page), and counts the instructions of
 * each hypercall with the PMU cycle counter (one per instruction under
 * -icount shift=0,sleep=off, at EL1 and EL2). Each figure is the average
 * of ROUNDS calls, counter reads included (4 instructions), and contains
 * the whole change: the check, holding the VM (kicking its CPU and
 * waiting for its vCPU to leave), the stage-2 update with its TLB
 * invalidation, clearing the memory given back, and releasing it.
 *
 *	bench: <key> = <instructions> (<what>)
 */
#include "config.h"
#include "errno.h"
#include "guest.h"
#include "mailbox.h"
#include "../manager/slotcall.h"


#define MANAGED 1
#define SLOT 4
#define IPA_AT 0x60000000UL
#define ROUNDS 4

static u64 count(void)
{
	isb();
	return read_sysreg(pmccntr_el0);
}

static void figure(const char *key, u64 total, const char *what)
{
	u64 milli = total * 1000 / ROUNDS;

	printf("bench: %s = %lu.%03lu (%s)\n", key, milli / 1000, milli % 1000, what);
}

/* Create and delete of size bytes, ROUNDS times; false on an error. */
static bool create_delete(u64 size, const char *create_key, const char *delete_key,
			  const char *what)
{
	u64 created = 0, deleted = 0;

	for (u32 i = 0; i < ROUNDS; i++) {
		u64 t0 = count();
		struct slot_answer a = slot_call(HC_SLOT_CREATE, MANAGED, SLOT, IPA_AT,
						 size, 0);
		u64 t1 = count();
		struct slot_answer d = slot_call(HC_SLOT_DELETE, MANAGED, SLOT, 0, 0, 0);
		u64 t2 = count();

		if (a.err || d.err) {
			report(false, "%s: create %ld, delete %ld", what, a.err, d.err);
			return false;
		}
		created += t1 - t0;
		deleted += t2 - t1;
		/* The rest of its clearing (1 MiB in each call after the
		 * delete's), outside the figures: a create is measured alone. */
		for (u64 left = size; left > 0x100000; left -= 0x100000)
			(void)slot_call(HC_VM_QUERY, MANAGED, 0, 0, 0, 0);
	}
	figure(create_key, created, what);
	figure(delete_key, deleted, "delete it, clearing up to 1 MiB of its memory");
	return true;
}

/* HC_VM_QUERY's state of the managed VM (HC_VM_STATE_*). */
static u64 managed_state(void)
{
	return slot_call(HC_VM_QUERY, MANAGED, 0, 0, 0, 0).rule;
}

/* Once the managed VM has powered itself off: 1 MiB of this VM's RAM
 * written into it by IPA, as a manager loading an image does. */
static void write_stopped(void)
{
	u64 total = 0;

	if (!spin_until(managed_state() == HC_VM_STATE_STOPPED, 10000)) {
		report(false, "the managed VM did not stop");
		return;
	}
	for (u32 i = 0; i < ROUNDS; i++) {
		u64 t0 = count();
		struct slot_answer a = slot_call(HC_VM_WRITE, MANAGED, 0x40400000,
						 0x40400000, 0x100000, 0);

		total += count() - t0;
		if (a.err)
			report(false, "HC_VM_WRITE of 1 MiB returned %ld", a.err);
	}
	figure("vm_write_1m", total, "write 1 MiB into a stopped VM by IPA");
}

static void manager(void)
{
	struct mailbox *mb = mailbox();
	u64 refused = 0;

	pmu_cycles_start();
	printf("# manager started\n");
	if (!spin_until(READ_ONCE(mb->mgmt_ready), 10000)) {
		report(false, "the managed VM did not start");
		return;
	}
	report(create_delete(0x1000, "slot_create_4k", "slot_delete_4k",
				     "create a 4 KiB slot in a running 1-vCPU VM") &&
	       create_delete(0x200000, "slot_create_2m", "slot_delete_2m",
				     "create a 2 MiB slot in a running 1-vCPU VM"),
	       "every create and delete succeeded");
	for (u32 i = 0; i < ROUNDS; i++) {
		u64 t0 = count();
		struct slot_answer a = slot_call(HC_SLOT_CREATE, MANAGED, SLOT,
						 0x40000000, 0x1000, 0);
		refused += count() - t0;
		if (a.err != -EEXIST)
			report(false, "an overlapping create returned %ld", a.err);
	}
	figure("slot_refused", refused, "a refused create: check and hold only");
	dmb(sy);
	WRITE_ONCE(mb->mgmt_step, 1);
	write_stopped();
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res info;

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	if (info.a0 == 0) {
		manager();
		report_done();
	}
	/* The managed VM: runs, spinning, until the figures are taken. */
	printf("# spinner started\n");
	dmb(sy);
	WRITE_ONCE(mailbox()->mgmt_ready, 1);
	while (!READ_ONCE(mailbox()->mgmt_step))
		;
	system_off(); /* and then its manager writes into it */
}
