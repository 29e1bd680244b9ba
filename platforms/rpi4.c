/* Raspberry Pi 4 Model B: BCM2711, 4x Cortex-A72, GIC-400, PL011 UART0.
 * Booted by the VideoCore firmware (start4.elf) with arm_64bit=1 and
 * enable_gic=1, whose built-in ARM stub enters us at EL2 and parks the
 * other CPUs on a spin table. Addresses are the ARM physical ones in the
 * default "low peripheral" mode (Linux bcm2711.dtsi: bus 0x7e000000 is
 * 0xfe000000, ARM-local 0x40000000 is 0xff800000). See docs/boards/rpi4.md. */
#include "platform.h"

const struct platform platform = {
	.name = "rpi4",
	/* ARM RAM below the VideoCore's share with the default gpu_mem=76
	 * (every model has at least 1 GiB): 0 - 948 MiB. Models with 2 GiB or
	 * more also have 0x40000000 - 0xfbffffff; add it here for them. */
	.ram = {
		{ .name = "arm-low", .base = 0x0, .size = 0x3b400000 },
	},
	/* Peripherals a guest may own. UART0's page (0xfe201000) also holds
	 * UART2-5, so none of those PL011s can be given away. */
	.devices = {
		{ .name = "systimer", .base = 0xfe003000, .size = 0x1000 },
		{ .name = "gpio", .base = 0xfe200000, .size = 0x1000 },
		{ .name = "spi0", .base = 0xfe204000, .size = 0x1000 },
		{ .name = "pwm0", .base = 0xfe20c000, .size = 0x1000 },
		{ .name = "aux-uart1-spi1-2", .base = 0xfe215000, .size = 0x1000 },
		{ .name = "emmc2", .base = 0xfe340000, .size = 0x1000 },
		{ .name = "i2c1", .base = 0xfe804000, .size = 0x1000 },
		{ .name = "genet", .base = 0xfd580000, .size = 0x10000 },
	},
	/* UART0: SPI 121 (shared by all the PL011s). */
	.uart = { .kind = UART_PL011, .base = 0xfe201000, .intid = 153 },
	.gic = {
		.version = GIC_V2,
		.gicd = 0xff841000,
		.gicc = 0xff842000,
		.gich = 0xff844000,
		.gicv = 0xff846000,
		.maintenance_intid = 25,
	},
	.timer = {
		.hyp_intid = 26,
		.virt_intid = 27,
		.phys_intid = 30,
		.sec_phys_intid = 29,
		.freq_hz = 54000000, /* the crystal; the ARM stub sets CNTFRQ_EL0 */
	},
	.pa_bits = 44, /* Cortex-A72 */
	/* The firmware's ARM stub: each secondary CPU waits in WFE for a
	 * non-zero entry address at its release address (CPU 0's is 0xd8). */
	.cpu_start = CPU_START_SPIN_TABLE,
	.cpus = {
		{ .mpidr = 0x0, .release_addr = 0xd8 },
		{ .mpidr = 0x1, .release_addr = 0xe0 },
		{ .mpidr = 0x2, .release_addr = 0xe8 },
		{ .mpidr = 0x3, .release_addr = 0xf0 },
	},
	.nr_cpus = 4,
	.hyp_base = PLAT_RAM_BASE,
	.hyp_size = PLAT_HYP_SIZE,
};
