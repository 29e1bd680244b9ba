/*
 * virt's CFI flash banks for a VM (see vflash.h): the chips (cfi.c) behind
 * a lock, their window of emulated accesses, and each bank's RAM in or out
 * of the VM's stage 2 as its mode changes.
 */
#include "vflash.h"
#include "cache.h"
#include "mmio_emul.h"
#include "mem.h"
#include "trap.h"
#include "vm.h"

/*
 * Keeps bank i's RAM mapped exactly while the bank reads its array (f->lock
 * held). Taking it out is break-before-make: the entries are cleared, then
 * the VM's TLB entries (its VMID, stage 1 and 2, every CPU) invalidated
 * before the write that switched it returns, so no vCPU reads the array,
 * or executes from it, once a command is in progress. QEMU models no TLB;
 * on a board a stale entry would let another vCPU of the VM read array
 * data where the status register should be (its own memory, read-only:
 * never a write, never another VM's). Putting it back needs no
 * invalidation (invalid entries are not cached), but code a program or
 * erase changed must not be fetched stale: the instruction caches are
 * invalidated first.
 */
static int set_mapped(struct vm *vm, struct vflash *f, u32 i, bool array)
{
	/* Every way back to read-array mode comes here, a reset too: a VM
	 * stopped after a program, then started by its manager at the code
	 * it programmed, must not run stale lines either. */
	if (array && f->programmed[i]) {
		__asm__ volatile("ic ialluis" ::: "memory");
		dsb(ish);
		isb();
		f->programmed[i] = false;
	}
	int err = vm_mem_flash_map(&vm->mem, vm->cfg, i, array);

	if (!err)
		f->mapped[i] = array;
	return err;
}

static void follow_mode(struct vcpu *v, struct vflash *f, u32 i)
{
	bool array = cfi_reads_array(&f->bank[i]);

	if (!f->bank[i].ram || array == f->mapped[i])
		return;
	if (set_mapped(v->vm, f, i, array))
		/* Its tables are kept (pt_clear_leaves) and the checker
		 * wants 2 MiB alignment, so no switch allocates: a bug. */
		guest_log(v, "flash bank %u: its RAM could not be %s its stage 2 "
			  "(a hypervisor bug: please report this line); "
			  "accesses keep %s", i,
			  array ? "mapped back into" : "taken out of",
			  array ? "trapping" : "reading the array");
}

static u64 vflash_read(struct vcpu *v, u64 offset, unsigned size)
{
	struct vflash *f = &v->vm->flash;
	u32 bank = (u32)(offset / VIRT_FLASH_BANK_SIZE);
	u64 in_bank = offset % VIRT_FLASH_BANK_SIZE;
	u64 word = in_bank & ~(u64)(CFI_BUS_BYTES - 1);
	u64 val;

	spin_lock(&f->lock);
	val = cfi_read(&f->bank[bank], word);
	if (size == 8 && word + CFI_BUS_BYTES < VIRT_FLASH_BANK_SIZE)
		val |= (u64)cfi_read(&f->bank[bank], word + CFI_BUS_BYTES) << 32;
	spin_unlock(&f->lock);
	if (size < CFI_BUS_BYTES) /* the addressed bytes of the bus word */
		val = (val >> (8 * (in_bank - word))) & ((1UL << (8 * size)) - 1);
	return val;
}

static void vflash_write(struct vcpu *v, u64 offset, unsigned size, u64 value)
{
	struct vflash *f = &v->vm->flash;
	u32 bank = (u32)(offset / VIRT_FLASH_BANK_SIZE);
	struct cfi_written w;
	bool known;

	spin_lock(&f->lock);
	known = cfi_write(&f->bank[bank], offset % VIRT_FLASH_BANK_SIZE, size,
			  value, &w);
	if (w.len) {
		/* The guest may read it with its MMU off or the bank mapped
		 * non-cacheable: it must reach memory, past EL2's cacheable
		 * alias. */
		dcache_clean_inval(f->bank[bank].ram + w.offset, w.len);
		f->programmed[bank] = true;
	}
	follow_mode(v, f, bank);
	spin_unlock(&f->lock);
	if (!known)
		guest_log(v, "flash bank %u: command 0x%lx at offset 0x%lx is not "
			  "one the emulated CFI flash knows; back to read-array "
			  "mode", bank, value & 0xff, offset % VIRT_FLASH_BANK_SIZE);
}

static const struct mmio_region flash_region = {
	.name = "CFI flash",
	.base = VIRT_FLASH_BASE,
	.size = VIRT_FLASH_BANKS * VIRT_FLASH_BANK_SIZE,
	.read = vflash_read,
	.write = vflash_write,
};

void vflash_reset(struct vm *vm)
{
	struct vflash *f = &vm->flash;

	spin_lock(&f->lock);
	for (u32 i = 0; i < VIRT_FLASH_BANKS; i++) {
		cfi_reset(&f->bank[i]);
		/* Back in read-array mode: its RAM mapped again (kept as it
		 * is: a warm reset). */
		if (f->bank[i].ram && !f->mapped[i])
			set_mapped(vm, f, i, true);
	}
	spin_unlock(&f->lock);
}

/* Power-on contents of a bank's RAM: its file, erased beyond. Cleaned to
 * the point of coherency: the guest starts with its MMU off and fetches
 * from it. */
static void fill_ram(struct cfi_bank *b)
{
	u64 n = MIN(b->data_size, b->ram_size);

	if (n)
		memcpy(b->ram, b->data, n);
	memset(b->ram + n, 0xff, b->ram_size - n);
	dcache_clean_inval(b->ram, b->ram_size);
}

void vflash_init_vm(struct vm *vm)
{
	/* The files: built in, or where the bootloader left them (the
	 * checker kept them in board RAM, outside every VM). */
	for (u32 i = 0; i < VIRT_FLASH_BANKS; i++) {
		const struct guest_image *img = &vm->cfg->flash_image[i];
		const struct flash_ram *r = &vm->cfg->flash_ram[i];
		struct cfi_bank *b = &vm->flash.bank[i];

		if (img->kind != IMAGE_NONE) {
			if (img->start) {
				b->data = img->start;
				b->data_size = (u64)(img->end - img->start);
			} else {
				b->data = (const u8 *)(uintptr_t)img->preload_pa;
				b->data_size = img->preload_size;
			}
			b->data_size = MIN(b->data_size, VIRT_FLASH_BANK_SIZE);
		}
		if (!vm->cfg->flash || !r->size)
			continue;
		/* The checker kept it in board RAM that nothing else has;
		 * vm_mem_build mapped it. The hypervisor maps RAM at its
		 * physical address. */
		b->ram = (u8 *)(uintptr_t)pa_val(r->pa);
		b->ram_size = r->size;
		b->writable = r->writable;
		vm->flash.mapped[i] = true;
		fill_ram(b);
	}
	vflash_reset(vm);
	if (vm->cfg->flash)
		mmio_add_region(vm, &flash_region);
}

bool vflash_ram_holds(const struct vflash *f, u64 ipa)
{
	u32 bank = (u32)(ipa / VIRT_FLASH_BANK_SIZE);

	return bank < VIRT_FLASH_BANKS && f->bank[bank].ram &&
	       ipa % VIRT_FLASH_BANK_SIZE < f->bank[bank].ram_size;
}

bool vflash_write_fault(struct vcpu *v, u64 ipa, u64 esr, u64 far)
{
	const char *why;

	if (mmio_emulate(v, ipa, esr, far, &why))
		return true;
	guest_log(v, "flash bank %u: a write at IPA 0x%lx could not be emulated: "
		  "%s", (u32)(ipa / VIRT_FLASH_BANK_SIZE), ipa, why);
	return false;
}
