/*
 * The chips of one CFI flash bank (see vflash.h): their command state
 * machine, what they read, and program and erase into the bank's RAM.
 * Facts from the CFI specification (JESD68) and Intel's command set as
 * QEMU's hw/block/pflash_cfi01.c models it for virt: manufacturer 0x89,
 * device 0x18, 256 KiB erase blocks across the bank, the query table at
 * word offsets 0x10 onwards.
 *
 * A command is the low byte written; each 16-bit chip answers a query with
 * its table byte, zero-extended, so a 32-bit read sees it twice. Pure:
 * host-tested (tests/host/test_cfi.c); vflash.c does the locking, the
 * stage-2 mapping and the cache maintenance.
 */
#include "cfi.h"
#include "mem.h"

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
static u16 chip_read(const struct cfi_bank *b, u32 addr)
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

/* The byte at offset in read-array mode: the RAM, else the file, else
 * erased. */
static u8 array_byte(const struct cfi_bank *b, u64 offset)
{
	if (offset < b->ram_size)
		return b->ram[offset];
	return offset < b->data_size ? b->data[offset] : 0xff;
}

u32 cfi_read(const struct cfi_bank *b, u64 offset)
{
	if (b->cmd == 0) { /* read array */
		u32 v = 0;

		for (u32 k = 0; k < BUS_BYTES; k++)
			v |= (u32)array_byte(b, offset + k) << (8 * k);
		return v;
	}
	u32 v = chip_read(b, (u32)(offset / BUS_BYTES));

	return v | v << CHIP_BITS;
}

static void reset_bank(struct cfi_bank *b)
{
	b->cmd = 0;
	b->wcycle = 0;
	b->left = 0;
	b->failed = false;
}

/*
 * Programs size bytes of value at offset: bits go from 1 to 0 only, as on
 * the chips (EDK2 relies on it to change a variable's state in place). The
 * guest chooses offset and size (at most 8, from its store), and nothing
 * outside the RAM is written: false when any byte would fall outside it,
 * or the bank is read-only.
 */
static bool program(struct cfi_bank *b, u64 offset, unsigned size, u64 value,
		    struct cfi_written *w)
{
	if (!b->writable || offset >= b->ram_size || size > b->ram_size - offset)
		return false;
	for (unsigned k = 0; k < size; k++)
		b->ram[offset + k] &= (u8)(value >> (8 * k));
	*w = (struct cfi_written){ offset, size };
	return true;
}

/* Erases the block holding offset: false when it is not wholly in the RAM
 * (whose size is a multiple of the block: the checker) or the bank is
 * read-only. */
static bool erase(struct cfi_bank *b, u64 offset, struct cfi_written *w)
{
	u64 block = offset & ~(VIRT_FLASH_BLOCK_SIZE - 1);

	if (!b->writable || block >= b->ram_size ||
	    VIRT_FLASH_BLOCK_SIZE > b->ram_size - block)
		return false;
	memset(b->ram + block, 0xff, VIRT_FLASH_BLOCK_SIZE);
	*w = (struct cfi_written){ block, VIRT_FLASH_BLOCK_SIZE };
	return true;
}

bool cfi_write(struct cfi_bank *b, u64 offset, unsigned size, u64 value,
	       struct cfi_written *w)
{
	u8 cmd = (u8)value;

	*w = (struct cfi_written){ 0, 0 };

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
		if (!program(b, offset, size, value, w))
			b->status |= STATUS_PROGRAM_ERROR;
		b->wcycle = 0;
		return true;
	case CMD_ERASE:
	case CMD_ERASE_ALT:
		if (cmd != CMD_CONFIRM)
			break;
		b->status |= STATUS_READY;
		if (!erase(b, offset, w))
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
			if (!program(b, offset, size, value, w))
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

void cfi_reset(struct cfi_bank *b)
{
	reset_bank(b);
	b->status = STATUS_READY;
}
