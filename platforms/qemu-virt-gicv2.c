/* QEMU "virt" with gic-version=2: qemu-virt's description with a GICv2
 * (hw/arm/virt.c: GICD 0x08000000, GICC 0x08010000, GICH 0x08030000,
 * GICV 0x08040000). */
#define QEMU_VIRT_NAME "qemu-virt-gicv2"
#define QEMU_VIRT_GIC                       \
	{                                   \
		.version = GIC_V2,          \
		.gicd = 0x08000000,         \
		.gicc = 0x08010000,         \
		.gich = 0x08030000,         \
		.gicv = 0x08040000,         \
		.maintenance_intid = 25,    \
	}
#include "qemu-virt.c"
