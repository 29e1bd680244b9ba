/*
 * A frontend restarted from inside the scheduler (tests/integration/
 * lifecycle_races.py), with guests/fwd as its device partition: its abort
 * handler returns to a forwarded read the device fails, until the
 * hypervisor's limit on repeated injections restarts the VM. That limit is
 * reached as a failed forwarded access is finished, when the CPU takes the
 * vCPU up again: the restarted vCPU used to be entered anyway and the old
 * run's request finished into the new run (its x0 overwritten, its PC moved
 * on). Each boot must start clean and print its banner.
 */
#include "guest.h"
#include "../fwd/layout.h"

#define BOOTS 2

static volatile bool looping;

static bool on_abort(struct guest_regs *regs, u64 kind)
{
	if (kind != EXC_SYNC)
		return false;
	if (!looping)
		regs->pc += 4; /* the device is not up yet: read again */
	return true;   /* looping: back to the same read, for ever */
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res info;
	u64 v = 0;

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	printf("# boot %lu\n", info.a2);
	set_exception_handler(on_abort);
	for (u32 i = 0; i < 100000 && v != FWD_MAGIC; i++)
		v = *(volatile u64 *)(FWD_WIN0 + REG_MAGIC); /* the device is up */
	if (info.a2 >= BOOTS) {
		printf("PASS: restarted %u times from a failed forwarded read, each boot "
		       "clean\n", BOOTS);
		*(volatile u64 *)(FWD_WIN0 + REG_DONE) = 1;
		hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	looping = true;
	dmb(sy);
	v = *(volatile u32 *)(FWD_WIN0 + REG_FAIL);
	printf("FAIL: the failed read completed (0x%lx)\n", v);
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
}
