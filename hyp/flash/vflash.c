/*
 * CFI flash emulation (see vflash.h). Facts from the CFI specification
 * (JESD68) and Intel's command set as QEMU's hw/block/pflash_cfi01.c models
 * it for virt: manufacturer 0x89, device 0x18, 256 KiB erase blocks across
 * the bank, the query table at word offsets 0x10 onwards.
 *
 * A command is the low byte written; each 16-bit chip answers a query with
 * its table byte, zero-extended, so a 32-bit read sees it twice.
 */
#include "vflash.h"
#include "cache.h"
#include "mmio_emul.h"
#include "mem.h"
#include "trap.h"
#include "vm.h"

#define CMD_READ_ARRAY 0xff
#define CMD_READ_ARRAY_AMD 0xf0 /* AMD's reset, which probing drivers send */
#define CMD_READ_ARRAY_ZERO 0x00
#define CMD_PROGRAM 0x40
#define CMD_PROGRAM_ALT 0x10
#define CMD_ERASE 0x20
#define CMD_ERASE_ALT 0x28
#define CMD_CLEAR_STATUS 0x50
#define CMD_LOCK 0x60
#define CMD_READ_STATUS 0x70
#define CMD_READ_ID 0x90
#define CMD_QUERY 0x98
#define CMD_BUFFERED_WRITE 0xe8
#define CMD_CONFIRM 0xd0
#define CMD_LOCK_SET 0x01

#define STATUS_READY 0x80
#define STATUS_ERASE_ERROR 0x20
#define STATUS_PROGRAM_ERROR 0x10

#define MANUFACTURER_INTEL 0x89
#define DEVICE_ID 0x18

#define CHIPS 2          /* per bank */
#define CHIP_BITS 16     /* each drives half of the 32-bit bus */
#define BUS_BYTES 4
#define CHIP_BLOCKS 256  /* erase blocks per chip */
#define CHIP_BLOCK_SIZE (VIRT_FLASH_BANK_SIZE / CHIPS / CHIP_BLOCKS)
/* A buffered write takes at most the buffer the query table gives (2^11
 * bytes a chip: 1024 bus words), counted in bus words. */
#define BUFFER_WORDS 1024

/* One chip's query table (CFI, JESD68), by word address. */
static u8 cfi_byte(u32 addr)
{
	switch (addr) {
	case 0x10: return 'Q';
	case 0x11: return 'R';
	case 0x12: return 'Y';
	case 0x13: return 0x01; /* primary command set: Intel/Sharp extended */
	case 0x15: return 0x31; /* primary extended table at 0x31 */
	case 0x1b: return 0x45; /* Vcc 4.5 V min */
	case 0x1c: return 0x55; /* Vcc 5.5 V max */
	case 0x1f: return 0x07; /* typical word program: 2^7 us */
	case 0x20: return 0x07; /* typical buffer write: 2^7 us */
	case 0x21: return 0x0a; /* typical block erase: 2^10 ms */
	case 0x23: return 0x04; /* max word program: 2^4 x typical */
	case 0x24: return 0x04;
	case 0x25: return 0x04;
	case 0x27: return 25;   /* chip size 2^25 bytes: 32 MiB */
	case 0x28: return 0x01; /* interface: x16 */
	case 0x2a: return 0x0b; /* write buffer 2^11 bytes */
	case 0x2c: return 0x01; /* one erase block region: */
	case 0x2d: return (CHIP_BLOCKS - 1) & 0xff; /* blocks - 1 */
	case 0x2e: return (CHIP_BLOCKS - 1) >> 8;
	case 0x2f: return (CHIP_BLOCK_SIZE >> 8) & 0xff; /* block size / 256 */
	case 0x30: return (CHIP_BLOCK_SIZE >> 16) & 0xff;
	case 0x31: return 'P';  /* primary extended table, version 1.0 */
	case 0x32: return 'R';
	case 0x33: return 'I';
	case 0x34: return '1';
	case 0x35: return '0';
	case 0x3f: return 0x01; /* one protection field */
	default: return 0;
	}
}

/* What one chip drives on its 16 bits for a read at word addr. */
static u16 chip_read(const struct vflash_bank *b, u32 addr)
{
	switch (b->cmd) {
	case CMD_QUERY:
		return cfi_byte(addr);
	case CMD_READ_ID:
		if ((addr & 0xff) == 0)
			return MANUFACTURER_INTEL;
		return (addr & 0xff) == 1 ? DEVICE_ID : 0; /* 2: unlocked */
	case CMD_PROGRAM:
	case CMD_PROGRAM_ALT:
	case CMD_ERASE:
	case CMD_ERASE_ALT:
	case CMD_LOCK:
	case CMD_READ_STATUS:
	case CMD_BUFFERED_WRITE:
		return b->status;
	default:
		return 0xffff; /* read array: erased */
	}
}

/* The byte at offset of bank i in read-array mode: its RAM, else its file,
 * else erased. */
static u8 array_byte(const struct vflash *f, u32 i, u64 offset)
{
	if (offset < f->ram_size[i])
		return f->ram[i][offset];
	return offset < f->data_size[i] ? f->data[i][offset] : 0xff;
}

/* The 32-bit bus word at offset (a multiple of 4) of bank i. */
static u32 bus_read(const struct vflash *f, u32 i, u64 offset)
{
	const struct vflash_bank *b = &f->bank[i];

	if (b->cmd == 0) { /* read array */
		u32 v = 0;

		for (u32 k = 0; k < BUS_BYTES; k++)
			v |= (u32)array_byte(f, i, offset + k) << (8 * k);
		return v;
	}
	u32 v = chip_read(b, (u32)(offset / BUS_BYTES));

	return v | v << CHIP_BITS;
}

static void reset_bank(struct vflash_bank *b)
{
	b->cmd = 0;
	b->wcycle = 0;
	b->left = 0;
	b->failed = false;
}

/*
 * Programs size bytes of value at offset of bank i: bits go from 1 to 0
 * only, as on the chips (EDK2 relies on it to change a variable's state
 * in place). The guest chooses offset and size (at most 8, from its
 * store), and nothing outside the bank's RAM is written: false when any
 * byte would fall outside it, or the bank is read-only.
 */
static bool program(struct vflash *f, u32 i, u64 offset, unsigned size, u64 value)
{
	if (!f->writable[i] || offset >= f->ram_size[i] ||
	    size > f->ram_size[i] - offset)
		return false;
	for (unsigned k = 0; k < size; k++)
		f->ram[i][offset + k] &= (u8)(value >> (8 * k));
	/* The guest may read it with its MMU off or the bank mapped
	 * non-cacheable: it must reach memory, past EL2's cacheable alias. */
	dcache_clean_inval(f->ram[i] + offset, size);
	f->bank[i].programmed = true;
	return true;
}

/* Erases the block holding offset: false when it is not wholly in the
 * bank's RAM (whose size is a multiple of the block: the checker) or the
 * bank is read-only. */
static bool erase(struct vflash *f, u32 i, u64 offset)
{
	u64 block = offset & ~(VIRT_FLASH_BLOCK_SIZE - 1);

	if (!f->writable[i] || block >= f->ram_size[i] ||
	    VIRT_FLASH_BLOCK_SIZE > f->ram_size[i] - block)
		return false;
	memset(f->ram[i] + block, 0xff, VIRT_FLASH_BLOCK_SIZE);
	dcache_clean_inval(f->ram[i] + block, VIRT_FLASH_BLOCK_SIZE);
	f->bank[i].programmed = true;
	return true;
}

/* A write cycle of size bytes at offset of bank i: the next step of its
 * command state machine. Returns false for a sequence the chips do not
 * know. */
static bool bus_write(struct vflash *f, u32 i, u64 offset, unsigned size, u64 value)
{
	struct vflash_bank *b = &f->bank[i];
	u8 cmd = (u8)value;

	if (b->wcycle == 0) {
		switch (cmd) {
		case CMD_READ_ARRAY:
		case CMD_READ_ARRAY_AMD:
		case CMD_READ_ARRAY_ZERO:
			reset_bank(b);
			return true;
		case CMD_CLEAR_STATUS:
			b->status = STATUS_READY;
			reset_bank(b);
			return true;
		case CMD_ERASE:
		case CMD_ERASE_ALT:
		case CMD_PROGRAM:
		case CMD_PROGRAM_ALT:
		case CMD_LOCK:
		case CMD_BUFFERED_WRITE:
			b->wcycle = 1;
			b->cmd = cmd;
			if (cmd == CMD_BUFFERED_WRITE)
				b->status |= STATUS_READY; /* a buffer is free */
			return true;
		case CMD_READ_STATUS:
		case CMD_READ_ID:
		case CMD_QUERY:
			b->cmd = cmd; /* a mode, no cycles follow */
			return true;
		default:
			reset_bank(b);
			return false;
		}
	}
	switch (b->cmd) {
	case CMD_PROGRAM:
	case CMD_PROGRAM_ALT:
		/* The data cycle. */
		b->status |= STATUS_READY;
		if (!program(f, i, offset, size, value))
			b->status |= STATUS_PROGRAM_ERROR;
		b->wcycle = 0;
		return true;
	case CMD_ERASE:
	case CMD_ERASE_ALT:
		if (cmd != CMD_CONFIRM)
			break;
		b->status |= STATUS_READY;
		if (!erase(f, i, offset))
			b->status |= STATUS_ERASE_ERROR;
		b->wcycle = 0;
		return true;
	case CMD_LOCK:
		if (cmd != CMD_CONFIRM && cmd != CMD_LOCK_SET)
			break;
		b->status |= STATUS_READY;
		b->wcycle = 0;
		return true;
	case CMD_BUFFERED_WRITE:
		if (b->wcycle == 1) { /* the count, in bus words, minus one */
			u32 words = (u32)(u16)value + 1;

			if (words > BUFFER_WORDS) { /* more than the buffer */
				b->status |= STATUS_READY | STATUS_PROGRAM_ERROR;
				b->wcycle = 0;
				return true;
			}
			b->left = (u16)words;
			b->failed = false;
			b->wcycle = 2;
		} else if (b->wcycle == 2) {
			/* Data, written as it comes, as QEMU's pflash does. */
			if (!program(f, i, offset, size, value))
				b->failed = true;
			if (--b->left == 0)
				b->wcycle = 3;
		} else {
			if (cmd != CMD_CONFIRM)
				break;
			b->status |= STATUS_READY;
			if (b->failed)
				b->status |= STATUS_PROGRAM_ERROR;
			b->wcycle = 0;
		}
		return true;
	default:
		break;
	}
	reset_bank(b);
	return false;
}

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
static void follow_mode(struct vcpu *v, struct vflash *f, u32 i)
{
	bool array = f->bank[i].cmd == 0;

	if (!f->ram[i] || array == f->mapped[i])
		return;
	if (array && f->bank[i].programmed) {
		__asm__ volatile("ic ialluis" ::: "memory");
		dsb(ish);
		isb();
		f->bank[i].programmed = false;
	}
	if (vm_mem_flash_map(&v->vm->mem, v->vm->cfg, i, array)) {
		guest_log(v, "flash bank %u: its RAM could not be %s its stage 2 "
			  "(out of table pages); accesses keep %s", i,
			  array ? "mapped back into" : "taken out of",
			  array ? "trapping" : "reading the array");
		return;
	}
	f->mapped[i] = array;
}

static u64 vflash_read(struct vcpu *v, u64 offset, unsigned size)
{
	struct vflash *f = &v->vm->flash;
	u32 bank = (u32)(offset / VIRT_FLASH_BANK_SIZE);
	u64 in_bank = offset % VIRT_FLASH_BANK_SIZE;
	u64 word = in_bank & ~(u64)(BUS_BYTES - 1);
	u64 val;

	spin_lock(&f->lock);
	val = bus_read(f, bank, word);
	if (size == 8 && word + BUS_BYTES < VIRT_FLASH_BANK_SIZE)
		val |= (u64)bus_read(f, bank, word + BUS_BYTES) << 32;
	spin_unlock(&f->lock);
	if (size < BUS_BYTES) /* the addressed bytes of the bus word */
		val = (val >> (8 * (in_bank - word))) & ((1UL << (8 * size)) - 1);
	return val;
}

static void vflash_write(struct vcpu *v, u64 offset, unsigned size, u64 value)
{
	struct vflash *f = &v->vm->flash;
	u32 bank = (u32)(offset / VIRT_FLASH_BANK_SIZE);
	bool known;

	spin_lock(&f->lock);
	known = bus_write(f, bank, offset % VIRT_FLASH_BANK_SIZE, size, value);
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
		reset_bank(&f->bank[i]);
		f->bank[i].status = STATUS_READY;
		/* Back in read-array mode: its RAM mapped again (kept as it
		 * is: a warm reset). */
		if (f->ram[i] && !f->mapped[i] &&
		    !vm_mem_flash_map(&vm->mem, vm->cfg, i, true))
			f->mapped[i] = true;
	}
	spin_unlock(&f->lock);
}

/* Power-on contents of bank i's RAM: its file, erased beyond. Cleaned to
 * the point of coherency: the guest starts with its MMU off and fetches
 * from it. */
static void fill_ram(struct vflash *f, u32 i)
{
	u64 n = MIN(f->data_size[i], f->ram_size[i]);

	if (n)
		memcpy(f->ram[i], f->data[i], n);
	memset(f->ram[i] + n, 0xff, f->ram_size[i] - n);
	dcache_clean_inval(f->ram[i], f->ram_size[i]);
}

void vflash_init_vm(struct vm *vm)
{
	/* The files: built in, or where the bootloader left them (the
	 * checker kept them in board RAM, outside every VM). */
	for (u32 i = 0; i < VIRT_FLASH_BANKS; i++) {
		const struct guest_image *img = &vm->cfg->flash_image[i];
		const struct flash_ram *r = &vm->cfg->flash_ram[i];

		if (img->kind != IMAGE_NONE) {
			if (img->start) {
				vm->flash.data[i] = img->start;
				vm->flash.data_size[i] = (u64)(img->end - img->start);
			} else {
				vm->flash.data[i] = (const u8 *)(uintptr_t)img->preload_pa;
				vm->flash.data_size[i] = img->preload_size;
			}
			vm->flash.data_size[i] = MIN(vm->flash.data_size[i],
						     VIRT_FLASH_BANK_SIZE);
		}
		if (!vm->cfg->flash || !r->size)
			continue;
		/* The checker kept it in board RAM that nothing else has;
		 * vm_mem_build mapped it. The hypervisor maps RAM at its
		 * physical address. */
		vm->flash.ram[i] = (u8 *)(uintptr_t)pa_val(r->pa);
		vm->flash.ram_size[i] = r->size;
		vm->flash.writable[i] = r->writable;
		vm->flash.mapped[i] = true;
		fill_ram(&vm->flash, i);
	}
	vflash_reset(vm);
	if (vm->cfg->flash)
		mmio_add_region(vm, &flash_region);
}

bool vflash_ram_holds(const struct vflash *f, u64 ipa)
{
	u32 bank = (u32)(ipa / VIRT_FLASH_BANK_SIZE);

	return bank < VIRT_FLASH_BANKS && f->ram[bank] &&
	       ipa % VIRT_FLASH_BANK_SIZE < f->ram_size[bank];
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
