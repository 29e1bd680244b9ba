/*
 * virt's two CFI flash banks, emulated (config .flash): each bank is two
 * 16-bit Intel-command-set (CFI "0001") chips side by side on a 32-bit bus,
 * as QEMU's virt builds them, so that a guest's CFI driver (U-Boot's
 * cfi_flash, EDK2's NorFlashDxe) finds what it finds under QEMU.
 *
 * A bank without host RAM (.flash_ram) traps every access: in read-array
 * mode it reads as the file the configuration fills it from
 * (.flash_image), erased (0xff) beyond it; program and erase fail with
 * their error bits set. A bank with host RAM works as QEMU's pflash in
 * "romd" mode: in read-array mode the RAM is mapped read-only and
 * executable at stage 2 (firmware runs in place, reads cost nothing); the
 * first write switches the bank to command mode, the RAM unmapped and every
 * access emulated here, until a command returns it to read-array mode. On
 * a writable bank program and erase write into that RAM, and it keeps what
 * they wrote across resets of the VM (not across a power cycle of the
 * board: no file is written back).
 */
#ifndef HYP_VFLASH_H
#define HYP_VFLASH_H

#include "cfi.h"
#include "guest_platform.h"
#include "spinlock.h"
#include "types.h"

struct vcpu;
struct vm;

struct vflash {
	spinlock_t lock;
	struct cfi_bank bank[VIRT_FLASH_BANKS];
	bool mapped[VIRT_FLASH_BANKS];     /* its RAM is in the VM's stage 2 */
	bool programmed[VIRT_FLASH_BANKS]; /* its RAM written since mapped */
};

/* Read-array mode, ready, no errors, RAM mapped: at every (re)start. The
 * RAM keeps its contents. */
void vflash_reset(struct vm *vm);

/* Adds the banks' window to vm's emulated devices when it has them, and
 * fills their RAM (power-on). After vm_mem_build, which mapped that RAM. */
void vflash_init_vm(struct vm *vm);

/* Whether ipa lies in a flash bank's host RAM. */
bool vflash_ram_holds(const struct vflash *f, u64 ipa);

/* A write that hit a bank's RAM while mapped read-only (a stage-2
 * permission fault at IPA ipa, which vflash_ram_holds): emulated like any
 * access to the bank, so the bank switches to command mode. false, logged,
 * when the access cannot be decoded. */
bool vflash_write_fault(struct vcpu *v, u64 ipa, u64 esr, u64 far);

#endif
