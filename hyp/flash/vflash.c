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
#include "mmio_emul.h"
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

/* The 32-bit bus word at offset (a multiple of 4) of bank i. */
static u32 bus_read(const struct vflash *f, u32 i, u64 offset)
{
	const struct vflash_bank *b = &f->bank[i];

	if (b->cmd == 0 && offset < f->data_size[i]) { /* read array: the file */
		u32 v = 0;

		for (u32 k = 0; k < BUS_BYTES; k++)
			v |= (u32)(offset + k < f->data_size[i] ? f->data[i][offset + k] : 0xff)
			     << (8 * k);
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
}

/* A write cycle to bank b: the next step of its command state machine.
 * Returns false for a sequence the chips do not know. */
static bool bus_write(struct vflash_bank *b, u64 value)
{
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
		/* The data cycle: the banks are read-only. */
		b->status |= STATUS_READY | STATUS_PROGRAM_ERROR;
		b->wcycle = 0;
		return true;
	case CMD_ERASE:
	case CMD_ERASE_ALT:
		if (cmd != CMD_CONFIRM)
			break;
		b->status |= STATUS_READY | STATUS_ERASE_ERROR;
		b->wcycle = 0;
		return true;
	case CMD_LOCK:
		if (cmd != CMD_CONFIRM && cmd != CMD_LOCK_SET)
			break;
		b->status |= STATUS_READY;
		b->wcycle = 0;
		return true;
	case CMD_BUFFERED_WRITE:
		if (b->wcycle == 1) { /* the count, in chip words, minus one */
			b->left = (u16)value + 1;
			b->wcycle = 2;
		} else if (b->wcycle == 2) { /* data: dropped, read-only */
			if (--b->left == 0)
				b->wcycle = 3;
		} else {
			if (cmd != CMD_CONFIRM)
				break;
			b->status |= STATUS_READY | STATUS_PROGRAM_ERROR;
			b->wcycle = 0;
		}
		return true;
	default:
		break;
	}
	reset_bank(b);
	return false;
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
	known = bus_write(&f->bank[bank], value);
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

void vflash_reset(struct vflash *f)
{
	spin_lock(&f->lock);
	for (u32 i = 0; i < VIRT_FLASH_BANKS; i++) {
		reset_bank(&f->bank[i]);
		f->bank[i].status = STATUS_READY;
	}
	spin_unlock(&f->lock);
}

void vflash_init_vm(struct vm *vm)
{
	/* The files: built in, or where the bootloader left them (the
	 * checker kept them in board RAM, outside every VM). */
	for (u32 i = 0; i < VIRT_FLASH_BANKS; i++) {
		const struct guest_image *img = &vm->cfg->flash_image[i];

		if (img->kind == IMAGE_NONE)
			continue;
		if (img->start) {
			vm->flash.data[i] = img->start;
			vm->flash.data_size[i] = (u64)(img->end - img->start);
		} else {
			vm->flash.data[i] = (const u8 *)(uintptr_t)img->preload_pa;
			vm->flash.data_size[i] = img->preload_size;
		}
		vm->flash.data_size[i] = MIN(vm->flash.data_size[i], VIRT_FLASH_BANK_SIZE);
	}
	vflash_reset(&vm->flash);
	if (vm->cfg->flash)
		mmio_add_region(vm, &flash_region);
}
