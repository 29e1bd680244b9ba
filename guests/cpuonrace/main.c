/*
 * CPU_ON racing a reset (tests/integration/lifecycle_races.py): vCPU 1
 * calls CPU_ON for vCPU 2 without pause while vCPU 0 resets the VM. A
 * CPU_ON taken while the reset evicted the vCPUs used to leave vCPU 2 on
 * its way up in the new run, at the old run's entry and x0: each boot
 * checks first that vCPU 2 is off, as a fresh VM's secondaries are.
 */
#include "guest.h"

#define BOOTS 20

static u32 ready, go;

static void parked(u64 arg)
{
	(void)arg;
	for (;;)
		wfi();
}

static void hammer(u64 arg)
{
	(void)arg;
	WRITE_ONCE(ready, 1);
	dmb(sy);
	while (!READ_ONCE(go))
		;
	for (;;)
		hvc(PSCI_CPU_ON, 2, (u64)(uintptr_t)guest_secondary_entry, 2);
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res res;
	s64 aff = hvc(PSCI_AFFINITY_INFO, 2, 0, 0);

	hvc_res(HC_VM_INFO, 0, 0, 0, &res);
	if (aff != 1) {
		printf("FAIL: boot %lu: vCPU 2 is not off at entry (AFFINITY_INFO %ld): "
		       "the previous run started it\n", res.a2, aff);
		hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	if (res.a2 >= BOOTS) {
		printf("PASS: %u boots, each with vCPU 2 off at entry\n", BOOTS);
		hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	secondary_prepare(2, parked, 0);
	cpu_on(1, hammer, 0);
	while (!READ_ONCE(ready))
		;
	WRITE_ONCE(go, 1);
	dmb(sy);
	delay_ms(1 + res.a2 % 3);
	hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		;
}
