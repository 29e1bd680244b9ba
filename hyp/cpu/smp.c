/* Secondary CPU start-up through firmware PSCI CPU_ON or a spin table. */
#include "smp.h"
#include "gic.h"
#include "el2_setup.h"
#include "entry.h"
#include "irq.h"
#include "sched.h"
#include "psci.h"
#include "cache.h"
#include "log.h"
#include "mmu.h"
#include "percpu.h"
#include "platform.h"
#include "timer.h"

extern u8 secondary_entry[], secondary_entry_spin[];

static u32 online_mask;
bool vms_ready;

/* MPIDRs for spin-table CPUs, which find their index here (boot/entry.S)
 * with their caches off. */
u64 spin_table_mpidrs[MAX_CPUS] __aligned(64);

bool cpu_is_online(u32 index)
{
	return __atomic_load_n(&online_mask, __ATOMIC_ACQUIRE) & BIT(index);
}

static void mark_online(u32 index)
{
	__atomic_fetch_or(&online_mask, BIT(index), __ATOMIC_RELEASE);
	sev();
}

static bool start_cpu(u32 i)
{
	const struct platform_cpu *cpu = &platform.cpus[i];

	if (platform.cpu_start == CPU_START_SPIN_TABLE) {
		u64 *release = (u64 *)(uintptr_t)cpu->release_addr;

		/* The waiting CPU reads with its caches off. */
		*release = (u64)(uintptr_t)secondary_entry_spin;
		dcache_clean_inval(release, sizeof(*release));
		sev();
		return true;
	}

	s64 ret = smccc_call(SMCCC_SMC, PSCI_CPU_ON, cpu->mpidr,
			     (u64)(uintptr_t)secondary_entry, i);
	if (ret != PSCI_SUCCESS) {
		log_err("CPU %u (MPIDR 0x%lx) did not start: PSCI CPU_ON "
			"returned %ld (%s); check the board's CPU list in "
			"platforms/%s.c",
			i, cpu->mpidr, ret, psci_error_name(ret), platform.name);
		return false;
	}
	return true;
}

u32 smp_start_secondaries(void)
{
	u32 me = this_cpu_index();
	u32 online = 1;

	mark_online(me);
	for (u32 i = 0; i < platform.nr_cpus; i++)
		spin_table_mpidrs[i] = platform.cpus[i].mpidr;
	dcache_clean_inval(spin_table_mpidrs, sizeof(spin_table_mpidrs));

	for (u32 i = 0; i < platform.nr_cpus; i++) {
		if (i == me || !start_cpu(i))
			continue;
		/* One CPU at a time keeps their console lines in order. */
		u64 deadline = timer_now_ns() + 1000000000UL;
		while (!cpu_is_online(i) && timer_now_ns() < deadline)
			wfe();
		if (cpu_is_online(i))
			online++;
		else
			log_err("CPU %u (MPIDR 0x%lx) was started but did not "
				"come online within 1 s; continuing without it",
				i, platform.cpus[i].mpidr);
	}
	return online;
}

/*
 * The secondaries wait for vms_ready in WFI, woken by an SGI, not in WFE:
 * QEMU's multi-threaded TCG runs WFE as a NOP, so three CPUs polling here
 * took three host threads' worth of CPU from the boot CPU building and
 * loading the VMs (a host with two cores then ran it a quarter of the
 * time). Each side stores, then a full barrier, then loads the other's
 * flag (online_mask, vms_ready): at least one sees the other, so a CPU
 * that came online late either sees vms_ready or is kicked, after its
 * GIC is set up (irq_init_cpu comes before mark_online).
 */
void smp_release_secondaries(void)
{
	u32 me = this_cpu_index();

	__atomic_store_n(&vms_ready, true, __ATOMIC_RELEASE);
	dmb(ish);
	for (u32 i = 0; i < platform.nr_cpus; i++)
		if (i != me && cpu_is_online(i))
			gic_send_sgi(i, SGI_KICK);
}

void __noreturn hyp_secondary_main(u32 index)
{
	mmu_enable();
	pcpu_init(index);
	irq_init_cpu();
	cpu_el2_setup();
	log_info("CPU %u online at EL2 (MPIDR 0x%lx)", index, this_mpidr());
	mark_online(index);
	dmb(ish);
	/* Until the boot CPU has built the VMs. A kick sent before (a VM's
	 * start) stays pending, so WFI returns at once: a poll, as before,
	 * until sched_run takes it. */
	while (!READ_ONCE(vms_ready))
		wfi();
	sched_run();
}
