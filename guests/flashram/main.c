/*
 * A guest that drives the CFI flash banks' host RAM (.flash_ram) with every
 * address, size and count it may choose, as an attacker would; the layout
 * is tests/configs/run/flashram.c's. Bank 1's RAM (512 KiB, writable) lies
 * in host memory right before that of the guest's slot 1 (IPA 0x50080000),
 * so a program or erase that ran past the bank's RAM would show there.
 * Bank 0's RAM (256 KiB) is read-only. Checks: reads of the array, status
 * while a command is in progress (the RAM must be out of stage 2 then),
 * program (bits 1 -> 0 only), buffered program, erase, each refused with
 * the status error bits beyond the RAM or on the read-only bank and the
 * neighbour untouched; code programmed into the bank runs in place; and
 * what was programmed survives a PSCI SYSTEM_RESET of the VM.
 */
#include "guest.h"
#include "mmio.h"

/* Bank 0 is at address 0, which the compiler takes for a null pointer
 * (and traps): its address is hidden from it. */
static u64 bank0_base(void)
{
	u64 a = 0;

	__asm__("" : "+r"(a));
	return a;
}
#define BANK0 bank0_base()
#define BANK1 0x04000000UL
#define BANK0_RAM 0x40000UL
#define BANK1_RAM 0x80000UL
#define BLOCK 0x40000UL
#define NEIGHBOUR 0x50080000UL /* slot 1: host memory right after bank 1's RAM */
#define PATTERN 0x5a5a5a5aa5a5a5a5UL

/* Both chips at once: each 16-bit chip takes the command on its half. */
#define CMD(c) ((u32)(c) * 0x00010001u)
#define STATUS_READY 0x80
#define STATUS_ERRORS 0x30 /* erase and program error */
#define MARK_OFFSET 0x100   /* bank 1: the reset check's word */
#define MARK 0x600dcafeu

static u32 status(u64 bank)
{
	mmio_write32(bank, CMD(0x70));
	return mmio_read32(bank) & 0xff;
}

static void clear_status(u64 bank)
{
	mmio_write32(bank, CMD(0x50));
	mmio_write32(bank, CMD(0xff));
}

static u32 program32(u64 bank, u64 offset, u32 v)
{
	mmio_write32(bank + offset, CMD(0x40));
	mmio_write32(bank + offset, v);
	u32 s = status(bank);

	clear_status(bank);
	return s;
}

static u32 erase(u64 bank, u64 offset)
{
	mmio_write32(bank + offset, CMD(0x20));
	mmio_write32(bank + offset, CMD(0xd0));
	u32 s = status(bank);

	clear_status(bank);
	return s;
}

/* Buffered program of n 32-bit words from offset, count as written. */
static u32 buffered(u64 bank, u64 offset, u32 count, const u32 *w, u32 n)
{
	mmio_write32(bank + offset, CMD(0xe8));
	mmio_write32(bank + offset, CMD(count));
	for (u32 i = 0; i < n; i++)
		mmio_write32(bank + offset + 4 * i, w[i]);
	mmio_write32(bank + offset, CMD(0xd0));
	u32 s = status(bank);

	clear_status(bank);
	return s;
}

static bool neighbour_intact(void)
{
	for (u64 off = 0; off < 0x1000; off += 8)
		if (mmio_read64(NEIGHBOUR + off) != PATTERN)
			return false;
	return true;
}

static bool unexpected(struct guest_regs *regs, u64 kind)
{
	printf("# unexpected exception: ESR 0x%lx FAR 0x%lx PC 0x%lx\n", regs->esr,
	       regs->far, regs->pc);
	report(false, "no abort from the flash banks");
	report_done();
}

/* An instruction abort from a fetch at BANK1 + 0x3000, which fn() below
 * reached by a call: recorded, and back to the caller. */
static volatile bool fetch_faulted;

static bool catch_fetch(struct guest_regs *regs, u64 kind)
{
	if (regs->esr >> 26 != 0x21 || regs->far != BANK1 + 0x3000)
		return unexpected(regs, kind);
	fetch_faulted = true;
	regs->x[0] = 0;
	regs->pc = regs->x[30];
	return true;
}

void guest_main(void);
void guest_main(void)
{
	set_exception_handler(unexpected);

	/* Second boot: after SYSTEM_RESET. */
	if (mmio_read32(BANK1 + MARK_OFFSET) == MARK) {
		printf("# boot 2\n");
		report(mmio_read32(BANK1) == 0x12340000,
		       "what was programmed survives the VM's reset (0x%x)",
		       mmio_read32(BANK1));
		report(mmio_read32(BANK0) == 0xffffffff,
		       "the read-only bank reads erased still");
		report_done();
	}
	printf("# boot 1\n");
	for (u64 off = 0; off < 0x1000; off += 8)
		mmio_write64(NEIGHBOUR + off, PATTERN);

	report(mmio_read32(BANK0) == 0xffffffff && mmio_read32(BANK1 + BANK1_RAM - 4) == 0xffffffff,
	       "both banks' RAM reads erased at power-on");

	/* A command in progress: status, not the array, though the array is
	 * 0xff and the RAM was mapped a write earlier. */
	mmio_write32(BANK1, CMD(0x70));
	u32 st = mmio_read32(BANK1);
	report(st == CMD(STATUS_READY), "status read while the bank is in command mode (0x%x)", st);
	mmio_write32(BANK1, CMD(0x90));
	report(mmio_read32(BANK1) == CMD(0x89), "ID read: manufacturer 0x89");
	mmio_write32(BANK1, CMD(0xff));
	report(mmio_read32(BANK1) == 0xffffffff, "read-array mode reads the array again");

	/* Program: only 1 -> 0. */
	report(program32(BANK1, 0, 0x12345678) == STATUS_READY &&
	       mmio_read32(BANK1) == 0x12345678, "word program writes bank 1's RAM");
	report(program32(BANK1, 0, 0xffff0000) == STATUS_READY &&
	       mmio_read32(BANK1) == 0x12340000, "program clears bits only (0x%x)",
	       mmio_read32(BANK1));
	report(program32(BANK1, BANK1_RAM - 4, 0x0badf00d) == STATUS_READY &&
	       mmio_read32(BANK1 + BANK1_RAM - 4) == 0x0badf00d,
	       "the RAM's last word programs");

	/* Beyond the RAM: refused, the neighbour untouched. */
	report((program32(BANK1, BANK1_RAM, 0) & STATUS_ERRORS) && neighbour_intact(),
	       "program past bank 1's RAM fails with its error bit; neighbour intact");
	/* An aligned 8-byte program (RAM is whole blocks: no aligned
	 * access straddles its end) writes both words. */
	mmio_write32(BANK1 + BANK1_RAM - 8, CMD(0x40));
	mmio_write64(BANK1 + BANK1_RAM - 8, 0x0000f00d0000beefUL);
	st = status(BANK1);
	clear_status(BANK1);
	report(st == STATUS_READY && neighbour_intact() &&
	       mmio_read32(BANK1 + BANK1_RAM - 8) == 0x0000beef &&
	       mmio_read32(BANK1 + BANK1_RAM - 4) == 0x0000f00d,
	       "an 8-byte program of the RAM's last two words (status 0x%x)", st);
	report((erase(BANK1, BANK1_RAM) & STATUS_ERRORS) && neighbour_intact(),
	       "erase of a block past the RAM fails; neighbour intact");
	report((erase(BANK1, (0x4000000UL - BLOCK)) & STATUS_ERRORS) && neighbour_intact(),
	       "erase of the bank's last block fails; neighbour intact");

	/* Buffered program: a count beyond the buffer, and data running
	 * past the end. */
	u32 words[4] = { 0, 0, 0, 0 };
	report((buffered(BANK1, 0x1000, 0xffff, words, 0) & STATUS_ERRORS) &&
	       mmio_read32(BANK1 + 0x1000) == 0xffffffff,
	       "buffered program of 65536 words fails");
	report((buffered(BANK1, BANK1_RAM - 8, 3, words, 4) & STATUS_ERRORS) &&
	       neighbour_intact(), "buffered program past the end fails; neighbour intact");
	u32 good[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };
	report(buffered(BANK1, 0x2000, 3, good, 4) == STATUS_READY &&
	       mmio_read32(BANK1 + 0x2000) == 0x11111111 &&
	       mmio_read32(BANK1 + 0x200c) == 0x44444444, "buffered program of 4 words");

	/* Erase inside: the block reads erased again, the other keeps. */
	report(erase(BANK1, BLOCK + 0x123 * 4) == STATUS_READY &&
	       mmio_read32(BANK1 + BANK1_RAM - 4) == 0xffffffff &&
	       mmio_read32(BANK1) == 0x12340000, "block erase clears its block only");

	/* The read-only bank refuses both. */
	report((program32(BANK0, 0, 0) & STATUS_ERRORS) && mmio_read32(BANK0) == 0xffffffff,
	       "program of the read-only bank fails, nothing written");
	report((erase(BANK0, 0) & STATUS_ERRORS) && mmio_read32(BANK0) == 0xffffffff,
	       "erase of the read-only bank fails");

	/* Code programmed into bank 1 runs in place: mov w0, #42; ret. */
	report(program32(BANK1, 0x3000, 0x52800540) == STATUS_READY &&
	       program32(BANK1, 0x3004, 0xd65f03c0) == STATUS_READY, "code programmed");
	u32 (*fn)(void) = (u32 (*)(void))(BANK1 + 0x3000);
	report(fn() == 42, "code programmed into the bank runs in place");
	/* While a command is under way the array is not there to run. */
	mmio_write32(BANK1, CMD(0x70));
	set_exception_handler(catch_fetch);
	u32 got = fn();
	set_exception_handler(unexpected);
	report(fetch_faulted && got == 0,
	       "a fetch while the bank is in command mode takes an instruction abort");
	mmio_write32(BANK1, CMD(0xff));
	report(fn() == 42, "and runs again after read array");

	/* Survives a reset: the mark, then SYSTEM_RESET. */
	report(program32(BANK1, MARK_OFFSET, MARK) == STATUS_READY, "reset mark programmed");
	printf("# resetting\n");
	hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	report(false, "SYSTEM_RESET returned");
	report_done();
}
