/* The machine every guest sees: QEMU virt's layout on every board, so an
 * image built for virt runs unmodified (DESIGN: "Guests and the virtual
 * platform"). */
#ifndef GUEST_PLATFORM_H
#define GUEST_PLATFORM_H

#define VIRT_GICD_BASE 0x08000000UL
#define VIRT_GICD_SIZE 0x10000UL
#define VIRT_GICC_BASE 0x08010000UL /* GICv2 CPU interface (the GICV frame) */
#define VIRT_GICC_SIZE 0x2000UL
#define VIRT_GICR_BASE 0x080a0000UL /* GICv3 redistributors, one per vCPU */
#define VIRT_GICR_STRIDE 0x20000UL
#define VIRT_UART_BASE 0x09000000UL
#define VIRT_UART_SIZE 0x1000UL
#define VIRT_UART_SPI 1   /* INTID 33 */
/* A manager VM's control window (hyp/mgmt/ctl_mmio.c), where QEMU's virt
 * has nothing. */
#define VIRT_HYPCTL_BASE 0x090c0000UL
#define VIRT_HYPCTL_SIZE 0x1000UL
#define VIRT_FLASH_BASE 0x00000000UL /* two CFI flash banks, one after the other */
#define VIRT_FLASH_BANK_SIZE 0x04000000UL
#define VIRT_FLASH_BANKS 2
/* A bank's erase block: both chips' 128 KiB blocks, side by side. */
#define VIRT_FLASH_BLOCK_SIZE 0x40000UL
#define VIRT_RAM_BASE 0x40000000UL
#define VIRT_RAW_IMAGE_OFFSET 0x80000UL /* raw binaries start at RAM + this */

#endif
