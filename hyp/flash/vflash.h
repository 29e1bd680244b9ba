/*
 * virt's two CFI flash banks, emulated (config .flash): each bank is two
 * 16-bit Intel-command-set (CFI "0001") chips side by side on a 32-bit bus,
 * as QEMU's virt builds them, so that a guest's CFI driver (U-Boot's
 * cfi_flash, EDK2's NorFlash) finds what it finds under QEMU. The banks are
 * read-only: in read-array mode a bank reads as the file the configuration
 * fills it from (.flash_image), erased (0xff) beyond it or without one;
 * program and erase commands complete with their error bits set.
 */
#ifndef HYP_VFLASH_H
#define HYP_VFLASH_H

#include "guest_platform.h"
#include "spinlock.h"
#include "types.h"

struct vcpu;
struct vm;

/* One bank's command state machine. */
struct vflash_bank {
	u8 cmd;     /* the command in progress; 0: read array */
	u8 wcycle;  /* bus cycles of it seen so far */
	u8 status;  /* the chips' status register */
	u16 left;   /* buffered write: words still to come */
};

struct vflash {
	spinlock_t lock;
	struct vflash_bank bank[VIRT_FLASH_BANKS];
	const u8 *data[VIRT_FLASH_BANKS]; /* the file a bank holds, or NULL */
	u64 data_size[VIRT_FLASH_BANKS];
};

/* Read-array mode, ready, no errors: at VM creation and every restart. */
void vflash_reset(struct vflash *f);

/* Adds the banks' window to vm's emulated devices when it has them. */
void vflash_init_vm(struct vm *vm);

#endif
