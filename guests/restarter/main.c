/*
 * The manager of tests/configs/run/stopreset.c: whenever VM 0 ("race",
 * guests/stopreset) is stopped, restarts it (HC_VM_RESTART: a reload, its
 * restart count one more), so that a stop which came before the reset it
 * raced (no meeting, the timing of host threads) is tried again with the
 * next boot's delay rather than ending the test. Prints each
 * start; the test reads the hypervisor's lines for the meeting itself.
 */
#include "guest.h"

#define RACE 0 /* its index in the configuration */
#define MAX_STARTS 100

void guest_main(void);
void guest_main(void)
{
	struct smccc_res res;

	for (u32 starts = 0; starts < MAX_STARTS;) {
		hvc_res(HC_VM_QUERY, RACE, 0, 0, &res);
		if (res.a0 != 0) {
			printf("FAIL: HC_VM_QUERY of vm \"race\": %ld\n", (s64)res.a0);
			break;
		}
		if (res.a1 == HC_VM_STATE_STOPPED) {
			starts++;
			hvc_res(HC_VM_RESTART, RACE, 0, 0, &res);
			printf("# vm \"race\" stopped: restarted (%u): %ld\n", starts,
			       (s64)res.a0);
		}
		delay_ms(1);
	}
	printf("FAIL: vm \"race\" was restarted %u times\n", MAX_STARTS);
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
}
