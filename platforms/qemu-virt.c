/* QEMU "virt" with virtualization=on, gic-version=3, -smp 4, -m 1G.
 * Addresses from QEMU's hw/arm/virt.c memory map (see docs/boards/). */
#include "platform.h"

/* qemu-virt-gicv2.c reuses this description with its own name and GIC. */
#ifndef QEMU_VIRT_NAME
#define QEMU_VIRT_NAME "qemu-virt"
#define QEMU_VIRT_GIC                       \
	{                                   \
		.version = GIC_V3,          \
		.gicd = 0x08000000,         \
		.gicr = 0x080a0000,         \
		.gicr_stride = 0x20000,     \
		.maintenance_intid = 25,    \
	}
#endif

const struct platform platform = {
	.name = QEMU_VIRT_NAME,
	.ram = {
		{ .name = "ram", .base = 0x40000000, .size = 0x40000000 },
	},
	.devices = {
		{ .name = "pl011", .base = 0x09000000, .size = 0x1000 },
		{ .name = "pl031-rtc", .base = 0x09010000, .size = 0x1000 },
		{ .name = "fw-cfg", .base = 0x09020000, .size = 0x1000 },
		{ .name = "pl061-gpio", .base = 0x09030000, .size = 0x1000 },
		{ .name = "virtio-mmio", .base = 0x0a000000, .size = 0x4000 },
	},
	.uart = { .kind = UART_PL011, .base = 0x09000000, .intid = 33 },
	.gic = QEMU_VIRT_GIC,
	.timer = {
		.hyp_intid = 26,
		.virt_intid = 27,
		.phys_intid = 30,
		.sec_phys_intid = 29,
		.freq_hz = 62500000,
	},
	.pa_bits = 44, /* Cortex-A57 */
	.cpu_start = CPU_START_PSCI,
	.cpus = {
		{ .mpidr = 0x0 }, { .mpidr = 0x1 }, { .mpidr = 0x2 }, { .mpidr = 0x3 },
	},
	.nr_cpus = 4,
	.hyp_base = PLAT_RAM_BASE,
	.hyp_size = PLAT_HYP_SIZE,
};
