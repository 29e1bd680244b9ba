/*
 * What each CPU sets at EL2 before any guest runs on it, beyond the MMU and
 * the GIC: the IMPLEMENTATION DEFINED access controls, the TLBs of the
 * guest translation regime, and the speculation workarounds.
 */
#include "el2_setup.h"
#include "mitigations.h"
#include "sysreg.h"

void cpu_el2_setup(void)
{
	/*
	 * ACTLR_EL2 is IMPLEMENTATION DEFINED. On Cortex-A53, A57 and A72 its
	 * bits let EL1 reach CPUACTLR_EL1, CPUECTLR_EL1 (SMPEN: this core's
	 * part in coherency, for the whole machine), L2CTLR_EL1, L2ECTLR_EL1
	 * and L2ACTLR_EL1; zero, the safe value there, traps every such EL1
	 * access to EL2, where HCR_EL2.TIDCP answers it UNDEFINED. Firmware
	 * or a bootloader may have left them set. Other cores: check the TRM
	 * before porting (docs/porting.md).
	 */
	write_sysreg(0, actlr_el2);
	/*
	 * Guest-regime TLB entries (stage 1 and 2, every VMID) that firmware
	 * or an earlier OS left on this CPU must not be hit by a VM that gets
	 * the same VMID. Broadcast maintenance from other CPUs covers later
	 * changes; each VM's VMID is also flushed whenever it starts (vm.c).
	 */
	dsb(ishst);
	__asm__ volatile("tlbi alle1" ::: "memory");
	dsb(nsh);
	isb();
	mitigations_probe();
}
