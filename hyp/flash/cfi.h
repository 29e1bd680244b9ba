/*
 * The chips of one of virt's CFI flash banks: two 16-bit Intel-command-set
 * (CFI "0001") chips side by side on a 32-bit bus, as QEMU's virt builds
 * them. What a bus read returns and what a bus write does, with program and
 * erase written into the bank's RAM when it has writable RAM. Pure (no
 * locks, no caches, no stage 2): hyp/flash/vflash.c wraps it for a VM.
 */
#ifndef HYP_CFI_H
#define HYP_CFI_H

#include "guest_platform.h"
#include "types.h"

#define CFI_BUS_BYTES 4

struct cfi_bank {
	u8 cmd;       /* the command in progress; 0: read array */
	u8 wcycle;    /* bus cycles of it seen so far */
	u8 status;    /* the chips' status register */
	bool failed;  /* buffered program: a data cycle could not be written */
	u16 left;     /* buffered program: bus words still to come */
	const u8 *data; /* the file the bank holds (read where there is no RAM) */
	u64 data_size;
	u8 *ram;      /* RAM behind the bank's first ram_size bytes, or NULL */
	u64 ram_size; /* a multiple of VIRT_FLASH_BLOCK_SIZE */
	bool writable; /* program and erase write the RAM; else they fail */
};

/* The RAM a write changed: len bytes from offset (len 0: none). */
struct cfi_written {
	u64 offset, len;
};

/* The 32-bit bus word at offset (a multiple of 4, below the bank's size). */
u32 cfi_read(const struct cfi_bank *b, u64 offset);

/* A write cycle of size (1 to 8) bytes of value at offset (below the
 * bank's size): the next step of the command state machine. *w says what
 * RAM it changed, never a byte outside [0, ram_size). false for a sequence
 * the chips do not know (the bank is back in read-array mode). */
bool cfi_write(struct cfi_bank *b, u64 offset, unsigned size, u64 value,
	       struct cfi_written *w);

/* Read-array mode, ready, no errors (a reset of the chips, not of the RAM). */
void cfi_reset(struct cfi_bank *b);

static inline bool cfi_reads_array(const struct cfi_bank *b)
{
	return b->cmd == 0;
}

#endif
