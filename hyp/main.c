/* The boot CPU's path from entry to the guests. */
#include "io.h"
#include "psci.h"
#include "uart.h"
#include "bench_stage2.h"
#include "console.h"
#include "el2_setup.h"
#include "exception.h"
#include "log.h"
#include "mmu.h"
#include "percpu.h"
#include "platform.h"
#include "entry.h"
#include "irq.h"
#include "sched.h"
#include "smp.h"
#include "vcpu.h"
#include "vdebug.h"
#include "mgmt.h"
#include "vm.h"
#include "vpmu.h"

#ifdef SELFTEST_EL2_FAULT
/* A test build option (make SELFTEST=el2-fault): a deliberate access to an
 * unmapped address, to show the EL2 exception report. */
static void __attribute__((noinline)) selftest_el2_fault(void)
{
	log_info("self-test: reading an unmapped address at EL2");
	*(volatile u64 *)0xdead0000UL;
}
#endif

#ifdef SELFTEST_EL2_FAULT_IN_PRINTK
/* A test build option (make SELFTEST=el2-fault-in-printk): the same fault,
 * taken inside printk, with the console lock held: the crash report is
 * nested in that hold, and must get out all the same. */
static void __attribute__((noinline)) selftest_el2_fault_in_printk(void)
{
	printk("hyp: self-test: a fault inside printk: %s\n",
	       (const char *)0xdead0000UL);
}
#endif

#ifdef SELFTEST_AT_FIXUP
/* A test build option (make SELFTEST=at-fixup): a fault inside the window
 * of guest_at.S, which must come back as a failed translation. */
u64 guest_at_s1(u64 va, u64 el0);

static void selftest_at_fixup(void)
{
	u64 par = guest_at_s1(0xdead0000UL, 2);

	log_info("self-test: a fault in the AT window %s (0x%lx)",
		 par == ~0UL ? "came back as a failed translation" :
			       "was not seen", par);
}
#endif

void system_off(void)
{
	/* What waits in the console's ring goes out first. */
	console_flush_sync();
	s64 ret = smccc_call(SMCCC_SMC, PSCI_SYSTEM_OFF, 0, 0, 0);

	log_err("PSCI SYSTEM_OFF returned %ld (%s); halting this CPU", ret,
		psci_error_name(ret));
	cpu_stop();
}

void __noreturn hyp_boot_main(u32 cpu, u64 dtb)
{
	pcpu_init(cpu);
	uart_init(platform.uart.kind, platform.uart.base);
	log_info("starting on %s, boot CPU %u (MPIDR 0x%lx) at EL2, DTB at 0x%lx",
		 platform.name, cpu, this_mpidr(), dtb);

	mmu_build();
	mmu_enable();
	console_enable_locking();
	irq_init();
	irq_init_cpu();
	cpu_el2_setup();
	log_info("CPU %u online at EL2 (MPIDR 0x%lx)", cpu, this_mpidr());

	u32 online = smp_start_secondaries();
	log_info("%u CPUs online at EL2", online);
#ifdef BENCH
	log_info("bench: entry to CPUs online: %lu instructions",
		 read_sysreg(pmccntr_el0));
#endif
#ifdef BENCH_STAGE2
	bench_stage2();
#endif

#ifdef SELFTEST_EL2_FAULT
	selftest_el2_fault();
#endif
#ifdef SELFTEST_EL2_FAULT_IN_PRINTK
	selftest_el2_fault_in_printk();
#endif
#ifdef SELFTEST_AT_FIXUP
	selftest_at_fixup();
#endif

	vcpu_init_features();
	vpmu_init();
	vdebug_init();
	if (!vms_create()) {
		log_err("no VM can start: powering off");
		system_off();
	}
	io_init();
	mgmt_init();
	vms_start();
	smp_release_secondaries();
	sched_run();
}
