/*
 * The CFI flash chips (hyp/flash/cfi.c): the commands a guest's driver
 * sends, and, as an attacker would, every command, offset, size and count:
 * nothing is written outside the bank's RAM (guard bytes on both sides,
 * and AddressSanitizer), never on a read-only bank, and what cfi_write
 * says it wrote is what changed.
 */
#include <stdlib.h>

#include "cfi.h"
#include "unit.h"

#define RAM (512 * 1024) /* two erase blocks */
#define GUARD 4096

static u8 *arena; /* guard, RAM, guard */

static struct cfi_bank bank(bool writable)
{
	free(arena);
	arena = malloc(RAM + 2 * GUARD);
	memset(arena, 0xa5, RAM + 2 * GUARD);
	memset(arena + GUARD, 0xff, RAM);
	struct cfi_bank b = { .ram = arena + GUARD, .ram_size = RAM,
			      .writable = writable };

	cfi_reset(&b);
	return b;
}

static bool guards_intact(void)
{
	for (u32 i = 0; i < GUARD; i++)
		if (arena[i] != 0xa5 || arena[GUARD + RAM + i] != 0xa5)
			return false;
	return true;
}

#define CMD(c) ((u64)(c) * 0x00010001u)

static u32 wr(struct cfi_bank *b, u64 off, u64 v)
{
	struct cfi_written w;

	cfi_write(b, off, 4, v, &w);
	return (u32)w.len;
}

TEST(cfi_query_id_status_read_array)
{
	struct cfi_bank b = bank(true);

	CHECK_EQ(cfi_read(&b, 0), 0xffffffff);
	wr(&b, 0, CMD(0x98));
	CHECK_EQ(cfi_read(&b, 0x10 * 4), CMD('Q'));
	CHECK_EQ(cfi_read(&b, 0x11 * 4), CMD('R'));
	CHECK_EQ(cfi_read(&b, 0x12 * 4), CMD('Y'));
	wr(&b, 0, CMD(0x90));
	CHECK_EQ(cfi_read(&b, 0), CMD(0x89));
	CHECK_EQ(cfi_read(&b, 4), CMD(0x18));
	wr(&b, 0, CMD(0x70));
	CHECK_EQ(cfi_read(&b, 0), CMD(0x80));
	CHECK(!cfi_reads_array(&b));
	wr(&b, 0, CMD(0xff));
	CHECK(cfi_reads_array(&b));
}

TEST(cfi_program_clears_bits_erase_sets_them)
{
	struct cfi_bank b = bank(true);

	wr(&b, 8, CMD(0x40));
	CHECK_EQ(wr(&b, 8, 0x12345678), 4);
	CHECK_EQ(cfi_read(&b, 0), CMD(0x80)); /* status until read array */
	wr(&b, 0, CMD(0xff));
	CHECK_EQ(cfi_read(&b, 8), 0x12345678);
	wr(&b, 8, CMD(0x40));
	wr(&b, 8, 0xffff00ff);
	wr(&b, 0, CMD(0xff));
	CHECK_EQ(cfi_read(&b, 8), 0x12340078);
	/* Erase the second block: the first keeps its word. */
	wr(&b, 0x40000 + 0x100, CMD(0x20));
	CHECK_EQ(wr(&b, 0x40000 + 0x100, CMD(0xd0)), 0x40000);
	wr(&b, 0x40000 + 0x100, CMD(0x40));
	wr(&b, RAM - 4, 0);
	wr(&b, 0, CMD(0xff));
	CHECK_EQ(cfi_read(&b, RAM - 4), 0);
	wr(&b, RAM - 4, CMD(0x20));
	wr(&b, RAM - 4, CMD(0xd0));
	wr(&b, 0, CMD(0xff));
	CHECK_EQ(cfi_read(&b, RAM - 4), 0xffffffff);
	CHECK_EQ(cfi_read(&b, 8), 0x12340078);
	CHECK(guards_intact());
}

TEST(cfi_outside_ram_or_read_only_fails_with_error_bits)
{
	struct cfi_bank b = bank(true);

	wr(&b, RAM, CMD(0x40));
	CHECK_EQ(wr(&b, RAM, 0), 0);
	CHECK_EQ(cfi_read(&b, 0) & 0xff, 0x90); /* ready, program error */
	wr(&b, 0, CMD(0x50));
	wr(&b, RAM, CMD(0x20));
	CHECK_EQ(wr(&b, RAM, CMD(0xd0)), 0);
	CHECK_EQ(cfi_read(&b, 0) & 0xff, 0xa0); /* ready, erase error */
	wr(&b, 0, CMD(0x50));
	/* A buffered program: the count beyond the buffer, then data that
	 * runs past the end (the words inside are written). */
	wr(&b, 0, CMD(0xe8));
	wr(&b, 0, CMD(0xffff));
	CHECK_EQ(cfi_read(&b, 0) & 0xff, 0x90);
	wr(&b, 0, CMD(0x50));
	wr(&b, RAM - 8, CMD(0xe8));
	wr(&b, RAM - 8, CMD(3));
	for (u64 i = 0; i < 4; i++)
		wr(&b, RAM - 8 + 4 * i, 0);
	wr(&b, RAM - 8, CMD(0xd0));
	CHECK_EQ(cfi_read(&b, 0) & 0xff, 0x90);
	CHECK(guards_intact());

	struct cfi_bank ro = bank(false);

	wr(&ro, 0, CMD(0x40));
	CHECK_EQ(wr(&ro, 0, 0), 0);
	wr(&ro, 0, CMD(0x20));
	CHECK_EQ(wr(&ro, 0, CMD(0xd0)), 0);
	CHECK_EQ(cfi_read(&ro, 0) & 0xff, 0xb0);
	for (u32 i = 0; i < RAM; i++)
		if (ro.ram[i] != 0xff)
			CHECK(false);
}

/* Random cycles, biased to the commands, the RAM's end and the bank's,
 * and every size: writes stay inside the RAM and are what they say. */
TEST(cfi_random_cycles_never_write_outside_ram)
{
	static const u8 cmds[] = { 0x40, 0x10, 0x20, 0x28, 0xd0, 0xe8, 0x70, 0x50,
				   0x90, 0x98, 0xff, 0x00, 0x60, 0x01, 0xf0 };
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	u8 *before = malloc(RAM);
	unsigned seed = 12345;

	for (int writable = 0; writable < 2; writable++) {
		struct cfi_bank b = bank(writable);

		memcpy(before, b.ram, RAM);
		for (u32 n = 0; n < 100000; n++) {
			u64 r = (u64)rand_r(&seed) << 31 | (u64)rand_r(&seed);
			u64 off;

			switch (r % 4) {
			case 0: off = RAM - 16 + (r >> 8) % 32; break;
			case 1: off = VIRT_FLASH_BANK_SIZE - 8 + (r >> 8) % 8; break;
			default: off = (r >> 8) % VIRT_FLASH_BANK_SIZE; break;
			}
			unsigned size = sizes[(r >> 40) % 4];

			/* The emulation passes aligned accesses only; the
			 * chips do not rely on it. */
			if ((r >> 50) % 2)
				off &= ~(u64)(size - 1);
			if (off > VIRT_FLASH_BANK_SIZE - size)
				off = VIRT_FLASH_BANK_SIZE - size;
			u64 v = (r >> 44) % 3 ? CMD(cmds[(r >> 46) % sizeof(cmds)]) :
					       (u64)rand_r(&seed) * 0x100000001UL;
			struct cfi_written w;

			cfi_write(&b, off, size, v, &w);
			if (!writable)
				CHECK_EQ(w.len, 0);
			CHECK(w.offset <= RAM && w.len <= RAM - w.offset);
			/* A shadow takes what it reports; any other change
			 * shows as a difference at the next comparison. */
			memcpy(before + w.offset, b.ram + w.offset, w.len);
			if (n % 256 == 0) {
				CHECK(!memcmp(before, b.ram, RAM));
				CHECK(guards_intact());
			}
			(void)cfi_read(&b, off & ~3UL);
		}
		CHECK(guards_intact());
		if (!writable)
			for (u32 i = 0; i < RAM; i++)
				if (b.ram[i] != 0xff)
					CHECK(false);
	}
	free(before);
	free(arena);
	arena = NULL;
}
