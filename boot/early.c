/*
 * Early boot in C, with the MMU off: the boot CPU's index, and the messages
 * for a boot that cannot go on (wrong exception level, wrong load address).
 * These run where the image may not be at its link address, so they reach
 * the UART by direct calls only and use no pointers stored in data.
 */
#include "psci.h"
#include "uart.h"
#include "entry.h"
#include "fmt.h"
#include "platform.h"
#include "sysreg.h"

static void early_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			early_puts("\r");
		if (platform.uart.kind == UART_PL011)
			pl011_putc(platform.uart.base, *s);
		else if (platform.uart.kind == UART_CADENCE)
			cadence_putc(platform.uart.base, *s);
	}
}

static void __noreturn halt(void)
{
	irq_mask_all();
	for (;;)
		wfi();
}

void __noreturn boot_wrong_el(u64 el)
{
	if (el == 3) {
		early_puts("hyp: entered at EL3, but this hypervisor runs at EL2 "
			   "behind firmware that owns EL3.\n"
			   "hyp: fix: load it as BL33 behind TF-A (which enters "
			   "BL33 at EL2), or boot it from U-Boot with booti.\n"
			   "hyp: stopped.\n");
		halt();
	}
	early_puts("hyp: entered at EL1, but this hypervisor must be started "
		   "at EL2.\n"
		   "hyp: fix: under QEMU add virtualization=on to -M "
		   "(-M virt,virtualization=on); on a board, use firmware that "
		   "enters the payload at EL2 (TF-A and U-Boot do by default).\n"
		   "hyp: powering off.\n");
	/* Without EL3 the PSCI firmware (QEMU's) answers HVC from EL1. */
	u64 el3 = FIELD_GET(read_sysreg(id_aa64pfr0_el1), 15, 12);
	smccc_call(el3 ? SMCCC_SMC : SMCCC_HVC, PSCI_SYSTEM_OFF, 0, 0, 0);
	halt();
}

void __noreturn boot_misplaced(u64 loaded, u64 linked)
{
	char msg[400];

	fmt_snprintf(msg, sizeof(msg),
		     "hyp: loaded at 0x%lx, but this image was linked to run at "
		     "0x%lx.\nhyp: fix: load it at 0x%lx (U-Boot's booti puts it "
		     "there from the image header), or rebuild for this board "
		     "with the right PLATFORM=.\nhyp: stopped.\n",
		     loaded, linked, linked);
	early_puts(msg);
	halt();
}

u32 boot_cpu_index(u64 mpidr)
{
	char msg[400];

	mpidr &= MPIDR_AFF_MASK;
	for (u32 i = 0; i < platform.nr_cpus; i++)
		if (platform.cpus[i].mpidr == mpidr)
			return i;
	fmt_snprintf(msg, sizeof(msg),
		     "hyp: the boot CPU (MPIDR 0x%lx) is not in this board's "
		     "CPU list: fix platforms/<board>.c.\nhyp: stopped.\n",
		     mpidr);
	early_puts(msg);
	halt();
}
