/*
 * Every slot kind from inside a guest: RAM, READONLY, NOEXEC, a DEVICE slot
 * (QEMU's PL031 RTC passed through) and LOG_DIRTY, and IPAs in no slot.
 * Allowed accesses must raise nothing; each refused one must arrive in this
 * guest's own handler as exactly one synchronous external abort with the
 * right ESR_EL1 and FAR_EL1.
 *
 * The slot layout is tests/configs/run/memslots.c's (also used by
 * tests/configs/run/side-by-side.c).
 */
#include "guest.h"
#include "mmio.h"

#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x01000000UL
#define RO_BASE 0x50000000UL /* READONLY */
#define RO_SIZE 0x00200000UL
#define NX_BASE 0x50200000UL /* NOEXEC */
#define NX_SIZE 0x00200000UL
#define LOG_BASE 0x50400000UL /* LOG_DIRTY */
#define LOG_SIZE 0x00100000UL
#define RTC_BASE 0x09010000UL /* DEVICE: PL031 */

#define INSN_RET 0xd65f03c0U
#define INSN_MOV_X0_42 0xd2800540U /* mov x0, #42 */

static u64 read64(u64 addr)
{
	return mmio_read64(addr);
}

static void write64(u64 addr, u64 v)
{
	mmio_write64(addr, v);
}

/* Makes code written as data visible to instruction fetches. */
static void sync_icache(u64 addr)
{
	__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
			 : : "r"(addr) : "memory");
}

/* Writes "mov x0, #42; ret" at addr and calls it. */
static u64 call_copied_code(u64 addr)
{
	u64 (*fn)(void) = (u64 (*)(void))(uintptr_t)addr;

	mmio_write32(addr, INSN_MOV_X0_42);
	mmio_write32(addr + 4, INSN_RET);
	sync_icache(addr);
	return fn();
}

/* Calls addr, which must fault on fetch: the handler returns to us. */
static void call_faulting(u64 addr)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)addr;

	fn();
}

static void ram(void)
{
	static u64 buf[512] __aligned(4096);
	u64 last = RAM_BASE + RAM_SIZE - 8 - 0x200000; /* below the DTB */
	bool ok = true;

	catch_reset();
	for (u32 i = 0; i < ARRAY_SIZE(buf); i++)
		write64((u64)(uintptr_t)&buf[i], i * 0x0101010101010101UL);
	for (u32 i = 0; i < ARRAY_SIZE(buf); i++)
		ok &= read64((u64)(uintptr_t)&buf[i]) ==
		      i * 0x0101010101010101UL;
	write64(last, 0x1122334455667788UL);
	ok &= read64(last) == 0x1122334455667788UL;
	report(ok, "RAM: 4 KiB written and read back, and a word near the end");
	expect_no_abort("RAM reads and writes");

	catch_reset();
	u64 ret = call_copied_code((u64)(uintptr_t)buf);
	report(ret == 42, "RAM: code copied there runs (returned %lu)", ret);
	expect_no_abort("RAM instruction fetch");
}

static void readonly(void)
{
	u64 v;

	catch_reset();
	v = read64(RO_BASE) | read64(RO_BASE + RO_SIZE - 8);
	report(v == 0, "READONLY: first and last words read as the cleared 0 (0x%lx)", v);
	expect_no_abort("READONLY reads");

	catch_reset();
	write64(RO_BASE + 0x1000, 0xbadbadUL);
	expect_one_abort(EC_DABT_CUR, RO_BASE + 0x1000, true,
			 "READONLY 8-byte write");
	catch_reset();
	mmio_write8(RO_BASE + RO_SIZE - 1, 0x5a);
	expect_one_abort(EC_DABT_CUR, RO_BASE + RO_SIZE - 1, true,
			 "READONLY 1-byte write at its end");
	catch_reset();
	/* A pair: no syndrome, decoded or not, still one abort. */
	__asm__ volatile("stp %0, %0, [%1]" : : "r"(0xbadUL), "r"(RO_BASE + 0x2000) : "memory");
	expect_one_abort(EC_DABT_CUR, RO_BASE + 0x2000, true, "READONLY STP");

	v = read64(RO_BASE + 0x1000) | read64(RO_BASE + 0x2000) |
	    mmio_read8(RO_BASE + RO_SIZE - 1);
	report(v == 0, "READONLY: refused writes changed nothing (0x%lx)", v);
}

static void noexec(void)
{
	u64 addr = NX_BASE + 0x1000;

	catch_reset();
	mmio_write32(addr, INSN_MOV_X0_42);
	mmio_write32(addr + 4, INSN_RET);
	sync_icache(addr);
	report(mmio_read32(addr) == INSN_MOV_X0_42 &&
		       mmio_read32(addr + 4) == INSN_RET,
	       "NOEXEC: code written and read back as data");
	expect_no_abort("NOEXEC reads and writes");

	catch_reset();
	call_faulting(addr);
	expect_one_abort(EC_IABT_CUR, addr, false, "NOEXEC instruction fetch");
	report(caught.elr == addr, "NOEXEC: ELR_EL1 is the fetched address (0x%lx)",
	       caught.elr);
}

static void device(void)
{
	static const u8 pl031_id[8] = { 0x31, 0x10, 0x14, 0x00,
					0x0d, 0xf0, 0x05, 0xb1 };
	bool ok = true;
	u32 now;

	catch_reset();
	for (u32 i = 0; i < 8; i++) {
		u32 v = mmio_read32(RTC_BASE + 0xfe0 + 4 * i);

		if (v != pl031_id[i]) {
			report(false, "DEVICE: PL031 ID register 0x%x is 0x%x, expected 0x%x",
			       0xfe0 + 4 * i, v, pl031_id[i]);
			ok = false;
		}
	}
	report(ok, "DEVICE: the passed-through PL031's ID registers read 31 10 14 00 0d f0 05 b1");
	now = mmio_read32(RTC_BASE); /* RTCDR: seconds since 1970 */
	report(now > 1600000000U, "DEVICE: the PL031's clock reads %u", now);
	expect_no_abort("DEVICE reads");

	catch_reset();
	call_faulting(RTC_BASE);
	expect_one_abort(EC_IABT_CUR, RTC_BASE, false, "DEVICE instruction fetch");
}

static void log_dirty(void)
{
	bool ok = true;

	catch_reset();
	for (u64 a = LOG_BASE; a < LOG_BASE + LOG_SIZE; a += 0x10000)
		write64(a, a ^ 0xd1d1d1d1UL);
	write64(LOG_BASE + 8, 1); /* a page already written */
	for (u64 a = LOG_BASE + 0x10000; a < LOG_BASE + LOG_SIZE; a += 0x10000)
		ok &= read64(a) == (a ^ 0xd1d1d1d1UL);
	ok &= read64(LOG_BASE) == (LOG_BASE ^ 0xd1d1d1d1UL) &&
	      read64(LOG_BASE + 8) == 1;
	report(ok, "LOG_DIRTY: writes to 16 pages (one twice) read back");
	expect_no_abort("LOG_DIRTY reads and writes");
}

static void outside(void)
{
	static const struct {
		u64 addr;
		const char *what;
	} holes[] = {
		{ 0x60000000UL, "no slot at 0x60000000" },
		{ RAM_BASE + RAM_SIZE, "the first page after RAM" },
		{ RO_BASE - 8, "the last word before the READONLY slot" },
		{ LOG_BASE + LOG_SIZE, "the first page after the LOG_DIRTY slot" },
		{ RTC_BASE + 0x1000, "the page after the DEVICE slot" },
		{ 0x00001000UL, "low memory" },
		{ 0x0fff0000UL, "below 256 MiB" },
		{ 0xfffff000UL, "the top page of the first 4 GiB" },
	};
	char name[96];

	for (u32 i = 0; i < ARRAY_SIZE(holes); i++) {
		u64 a = holes[i].addr, v = 0x5e5e5e5e;

		catch_reset();
		__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(a) : "memory");
		fmt_snprintf(name, sizeof(name), "read of %s", holes[i].what);
		expect_one_abort(EC_DABT_CUR, a, false, name);
		report(v == 0x5e5e5e5e, "%s: the load's register was left alone", name);
		catch_reset();
		write64(a, 0);
		fmt_snprintf(name, sizeof(name), "write to %s", holes[i].what);
		expect_one_abort(EC_DABT_CUR, a, true, name);
	}
	catch_reset();
	call_faulting(0x60000000UL);
	expect_one_abort(EC_IABT_CUR, 0x60000000UL, false,
			 "instruction fetch from no slot");
}

void guest_main(void);
void guest_main(void)
{
	catch_aborts();
	ram();
	readonly();
	noexec();
	device();
	log_dirty();
	outside();
	report_done();
}
