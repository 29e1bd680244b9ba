/* Xilinx ZCU102: Zynq UltraScale+ MPSoC, 4x Cortex-A53 behind TF-A (PSCI
 * over SMC), GIC-400, Cadence UARTs. Also QEMU's xlnx-zcu102 machine
 * (-M xlnx-zcu102,virtualization=on -m 2G), which models the same map.
 * Addresses: UG1085 "Zynq UltraScale+ Device TRM" system address map, and
 * Linux arch/arm64/boot/dts/xilinx/zynqmp.dtsi; docs/boards/zcu102.md. */
#include "platform.h"

const struct platform platform = {
	.name = "zcu102",
	/* DDR low. The board's SODIMM has 4 GiB: the other 2 GiB are at
	 * 0x800000000 (DDR high); add them here to hand them to guests on
	 * the board (QEMU -m 2G has only DDR low). */
	.ram = {
		{ .name = "ddr-low", .base = 0x0, .size = 0x80000000 },
	},
	/* Peripherals a guest may own (the hypervisor keeps UART0 and the
	 * GIC). Neighbours of one kind share a window; a DEVICE slot may take
	 * any page-aligned part of one. */
	.devices = {
		{ .name = "uart1", .base = 0xff010000, .size = 0x10000 },
		{ .name = "i2c0-1", .base = 0xff020000, .size = 0x20000 },
		{ .name = "spi0-1", .base = 0xff040000, .size = 0x20000 },
		{ .name = "can0-1", .base = 0xff060000, .size = 0x20000 },
		{ .name = "gpio", .base = 0xff0a0000, .size = 0x10000 },
		{ .name = "gem0-3", .base = 0xff0b0000, .size = 0x40000 },
		{ .name = "qspi", .base = 0xff0f0000, .size = 0x10000 },
		{ .name = "ttc0-3", .base = 0xff110000, .size = 0x40000 },
		{ .name = "sd0-1", .base = 0xff160000, .size = 0x20000 },
		{ .name = "rtc", .base = 0xffa60000, .size = 0x10000 },
		{ .name = "sata", .base = 0xfd0c0000, .size = 0x10000 },
		/* Programmable logic: M_AXI_HPM0_LPD, then M_AXI_HPM0/1_FPD. */
		{ .name = "pl-lpd", .base = 0x80000000, .size = 0x20000000 },
		{ .name = "pl-fpd", .base = 0xa0000000, .size = 0x20000000 },
	},
	/* UART0, SPI 21. */
	.uart = { .kind = UART_CADENCE, .base = 0xff000000, .intid = 53 },
	/* The GIC-400 sits on 64 KiB boundaries with each 4 KiB page repeated
	 * 16 times (QEMU models this too), so the CPU interface's second page
	 * (GICC_DIR) is at +0x10000. Naming the last alias of the first page
	 * makes the two pages contiguous: 0xf902f000 and 0xf9030000. Likewise
	 * the virtual CPU interface that guests get as their GICC. */
	.gic = {
		.version = GIC_V2,
		.gicd = 0xf9010000,
		.gicc = 0xf902f000,
		.gich = 0xf9040000,
		.gicv = 0xf906f000,
		.maintenance_intid = 25,
	},
	.timer = {
		.hyp_intid = 26,
		.virt_intid = 27,
		.phys_intid = 30,
		.sec_phys_intid = 29,
		.freq_hz = 100000000, /* the board's timestamp clock; QEMU sets 62.5 MHz */
	},
	.pa_bits = 40, /* Cortex-A53 */
	.cpu_start = CPU_START_PSCI,
	.cpus = {
		{ .mpidr = 0x0 }, { .mpidr = 0x1 }, { .mpidr = 0x2 }, { .mpidr = 0x3 },
	},
	.nr_cpus = 4,
	.hyp_base = PLAT_RAM_BASE,
	.hyp_size = PLAT_HYP_SIZE,
};
