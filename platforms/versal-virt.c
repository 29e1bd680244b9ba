/* QEMU's xlnx-versal-virt (-M xlnx-versal-virt -m 2G -smp 4), a model of a
 * Xilinx Versal board: 2x Cortex-A72, started at EL2 with PSCI over SMC
 * (the two Cortex-R5Fs that -smp also counts stay off), GICv3, PL011 UARTs,
 * DDR at 0. Addresses from the device tree QEMU generates
 * (-M xlnx-versal-virt,dumpdtb=FILE); docs/boards/versal-virt.md. */
#include "platform.h"

const struct platform platform = {
	.name = "versal-virt",
	.ram = {
		{ .name = "ddr-low", .base = 0x0, .size = 0x80000000 },
	},
	.devices = {
		{ .name = "uart1", .base = 0xff010000, .size = 0x10000 },
		{ .name = "gem0-1", .base = 0xff0c0000, .size = 0x20000 },
		{ .name = "sd0-1", .base = 0xf1040000, .size = 0x20000 },
		{ .name = "rtc", .base = 0xf12a0000, .size = 0x10000 },
		{ .name = "virtio-mmio", .base = 0xa0000000, .size = 0x1000 },
	},
	/* UART0, SPI 18. */
	.uart = { .kind = UART_PL011, .base = 0xff000000, .intid = 50 },
	.gic = {
		.version = GIC_V3,
		.gicd = 0xf9000000,
		.gicr = 0xf9080000,
		.gicr_stride = 0x20000,
		.maintenance_intid = 25,
	},
	.timer = {
		.hyp_intid = 26,
		.virt_intid = 27,
		.phys_intid = 30,
		.sec_phys_intid = 29,
		.freq_hz = 62500000,
	},
	.pa_bits = 44, /* Cortex-A72 */
	.cpu_start = CPU_START_PSCI,
	.cpus = {
		{ .mpidr = 0x0 }, { .mpidr = 0x1 },
	},
	.nr_cpus = 2,
	.hyp_base = PLAT_RAM_BASE,
	.hyp_size = PLAT_HYP_SIZE,
};
