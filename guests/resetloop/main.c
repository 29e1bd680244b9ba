/*
 * A large VM that resets itself in a loop (tests/integration/resetloop.py,
 * tests/configs/run/resetloop.c): each boot checks that words it set all
 * over its RAM before the reset read 0 again, sets them, and calls PSCI
 * SYSTEM_RESET at once, resets= times; then it reports and powers off. The
 * VM beside it on the same CPU (guests/steady) must keep its timer's rate
 * meanwhile: the reload is the resetting VM's work, done in its turns.
 *
 * With crash=1 each boot ends itself with a fault instead (PSCI CPU_OFF of
 * its only vCPU), for a VM whose on_fault restarts it: the hypervisor's
 * report of each fault is what loops (tests/integration/console_tx.py).
 *
 * bootargs: resets= (8), ram= (the RAM slot's size, 256 MiB), crash= (0).
 */
#include "guest.h"
#include "guest_platform.h"
#include "mmio.h"

#define MARK 0x7e5e7100b0075UL
#define STRIDE 0x1000000UL /* a word every 16 MiB */

extern char _end[];

void guest_main(void);
void guest_main(void)
{
	u64 resets = bootarg("resets", 8), ram = bootarg("ram", 0x10000000);
	u64 first = ALIGN_UP((u64)(uintptr_t)_end, STRIDE);
	/* The device tree is in the last 2 MiB: stay below it. */
	u64 last = VIRT_RAM_BASE + ram - 0x400000, bad = 0, words = 0;
	struct smccc_res info;

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	u64 boot = info.a2; /* restarts so far */

	for (u64 a = first; a <= last; a += STRIDE, words++) {
		if (boot && mmio_read64(a) != 0)
			bad++;
		mmio_write64(a, MARK ^ a);
	}
	if (bad)
		printf("FAIL: boot %lu: %lu of %lu words set before the reset survived it\n",
		       boot, bad, words);
	if (boot < resets) {
		printf("# boot %lu: RAM clear, resetting\n", boot);
		if (bootarg("crash", 0)) {
			hvc(PSCI_CPU_OFF, 0, 0, 0);
			printf("FAIL: CPU_OFF of the last vCPU returned\n");
		} else {
			hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
			printf("FAIL: SYSTEM_RESET returned\n");
		}
	}
	report(!bad, "%lu resets of %lu MiB: each cleared every word set before (%lu words)",
	       resets, ram >> 20, words);
	report_done();
}
