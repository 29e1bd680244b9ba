/*
 * A libFuzzer target over the CFI flash chips (hyp/flash/cfi.c): a bank
 * with 256 KiB of RAM, writable or not, allocated to exactly that size (so
 * AddressSanitizer sees a byte written past it), driven by any sequence of
 * bus cycles. Each write must report a change inside the RAM, leave the
 * rest as it was (a shadow copy takes what it reports) and change nothing
 * on a read-only bank; every read must stay within the bank.
 *
 * Input: a flags byte (bit 0: writable), then 12-byte cycles: the offset
 * (4 bytes, modulo the bank), the size (1 byte: 1, 2, 4 or 8), the kind
 * (1 byte: bit 0 read), the value (6 bytes, the low one a command).
 */
#include <stdlib.h>
#include <string.h>

#include "cfi.h"

#define RAM 0x40000UL

static u8 *ram, *shadow;

int LLVMFuzzerTestOneInput(const u8 *data, size_t len);
int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };

	if (!ram) {
		ram = malloc(RAM);
		shadow = malloc(RAM);
	}
	memset(ram, 0xff, RAM);
	memset(shadow, 0xff, RAM);
	struct cfi_bank b = { .ram = ram, .ram_size = RAM,
			      .writable = len && (data[0] & 1) };

	cfi_reset(&b);
	for (size_t i = 1; i + 12 <= len; i += 12) {
		const u8 *c = data + i;
		u64 off, v = 0;
		u32 o;

		memcpy(&o, c, 4);
		memcpy(&v, c + 6, 6);
		unsigned size = sizes[c[4] % 4];

		off = o % VIRT_FLASH_BANK_SIZE;
		if (off > VIRT_FLASH_BANK_SIZE - size)
			off = VIRT_FLASH_BANK_SIZE - size;
		if (c[5] & 1) {
			(void)cfi_read(&b, off & ~3UL);
			continue;
		}
		struct cfi_written w;

		cfi_write(&b, off, size, v, &w);
		if (w.offset > RAM || w.len > RAM - w.offset || (w.len && !b.writable))
			abort();
		memcpy(shadow + w.offset, ram + w.offset, w.len);
		if (memcmp(shadow, ram, RAM))
			abort(); /* changed outside what it reported */
	}
	return 0;
}
