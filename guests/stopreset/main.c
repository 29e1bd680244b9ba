/*
 * A stop and a reset of one VM at once (tests/integration/lifecycle_races.py):
 * vCPU 1 makes itself unable to continue (its vectors in a hole: the
 * hypervisor prints its registers, then stops the VM) while vCPU 0 calls
 * PSCI SYSTEM_RESET a little later at each boot: the first boots reset
 * before vCPU 1's fault is taken, until the reset lands while vCPU 1's stop
 * is under way (its register dump is a wide window). A stop that came
 * first has the manager (guests/restarter) restart the VM, the next boot. Each used to wait for the other's vCPU to
 * leave its CPU: both CPUs spun at EL2 for ever. Now the stop, asked during
 * the restart, is done by it.
 */
#include "guest.h"

#define HOLE 0x30000000UL /* no slot */
#define MAX_BOOTS 1000
#define STEP 20    /* loops later at each boot ... */
#define CYCLE 100  /* ... in cycles of this many boots: host threads' timing varies */

static u32 started, go;

static void unable(u64 arg)
{
	(void)arg;
	WRITE_ONCE(started, 1);
	dmb(sy);
	while (!READ_ONCE(go))
		;
	write_sysreg(HOLE, vbar_el1);
	isb();
	__asm__ volatile("ldr x0, [%0]" : : "r"(HOLE + 8) : "x0", "memory");
	for (;;)
		;
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res res;
	u64 boot, delay;

	hvc_res(HC_VM_INFO, 0, 0, 0, &res);
	boot = res.a2;
	if (boot >= MAX_BOOTS) {
		printf("FAIL: the reset never met the stop in %u boots\n", MAX_BOOTS);
		hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	delay = (boot % CYCLE) * STEP;
	printf("# boot %lu: SYSTEM_RESET %lu loops after vCPU 1 faults\n", boot, delay);
	cpu_on(1, unable, 0);
	while (!READ_ONCE(started))
		;
	WRITE_ONCE(go, 1);
	for (volatile u64 i = 0; i < delay; i++)
		;
	hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		;
}
