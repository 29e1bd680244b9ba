/*
 * MMIO emulation on the virtual PL011: loads of every size, sign-extending
 * loads, every addressing form, LDP/LDPSW/STP, and stores to DR that must
 * reach the console. Forms with writeback and pairs give the hypervisor no
 * syndrome (ESR_EL2.ISV = 0), so they go through its instruction decoder;
 * the others through the syndrome.
 *
 * The ID registers hold one byte each (PeriphID0-3 at 0xfe0, PCellID0-3 at
 * 0xff0): 11 10 14 00 0d f0 05 b1. A 64-bit access covers two 32-bit
 * registers, as on QEMU's pl011.
 */
#include "guest.h"
#include "guest_platform.h"
#include "mmio.h"

#define U VIRT_UART_BASE
#define DR 0x000
#define IBRD 0x024
#define IMSC 0x038
#define RIS 0x03c
#define ID 0xfe0

static void check(const char *what, u64 got, u64 want)
{
	report(got == want, "%s: 0x%lx (expected 0x%lx)", what, got, want);
}

static void sizes(void)
{
	u64 v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDRB PeriphID0", v, 0x11);
	__asm__ volatile("ldrb %w0, [%1, #1]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDRB byte 1 of PeriphID0", v, 0);
	__asm__ volatile("ldrh %w0, [%1, #4]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDRH PeriphID1", v, 0x10);
	__asm__ volatile("ldr %w0, [%1, #8]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDR w PeriphID2", v, 0x14);
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDR x PeriphID0-1", v, 0x0000001000000011UL);
	__asm__ volatile("ldr %0, [%1, #24]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDR x PCellID2-3", v, 0x000000b100000005UL);
	__asm__ volatile("ldr %w0, [%1, #0x800]" : "=r"(v) : "r"(U) : "memory");
	check("LDR w of a reserved offset reads as zero", v, 0);
}

static void sign_extension(void)
{
	u64 v;

	__asm__ volatile("ldrsb %w0, [%1, #20]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDRSB w PCellID1 (0xf0)", v, 0xfffffff0UL);
	__asm__ volatile("ldrsb %0, [%1, #20]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDRSB x PCellID1 (0xf0)", v, 0xfffffffffffffff0UL);
	__asm__ volatile("ldrsb %0, [%1, #28]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDRSB x PCellID3 (0xb1)", v, 0xffffffffffffffb1UL);
	__asm__ volatile("ldrsb %w0, [%1, #16]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDRSB w PCellID0 (0x0d)", v, 0x0d);
	__asm__ volatile("ldrsh %0, [%1, #28]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDRSH x PCellID3 (0x00b1)", v, 0xb1);
	__asm__ volatile("ldrsw %0, [%1, #28]" : "=r"(v) : "r"(U + ID) : "memory");
	check("LDRSW x PCellID3 (0x000000b1)", v, 0xb1);

	/* IBRD holds 16 bits: 0x8001 shows a halfword's sign. */
	mmio_write32(U + IBRD, 0x8001);
	__asm__ volatile("ldrsh %0, [%1]" : "=r"(v) : "r"(U + IBRD) : "memory");
	check("LDRSH x IBRD (0x8001)", v, 0xffffffffffff8001UL);
	__asm__ volatile("ldrsh %w0, [%1]" : "=r"(v) : "r"(U + IBRD) : "memory");
	check("LDRSH w IBRD (0x8001)", v, 0xffff8001UL);
	__asm__ volatile("ldrsb %0, [%1, #1]" : "=r"(v) : "r"(U + IBRD) : "memory");
	check("LDRSB x byte 1 of IBRD (0x80)", v, 0xffffffffffffff80UL);
	__asm__ volatile("ldrsw %0, [%1]" : "=r"(v) : "r"(U + IBRD) : "memory");
	check("LDRSW x IBRD (0x00008001)", v, 0x8001);
	__asm__ volatile("strh %w0, [%1]" : : "r"(0x7ffeUL), "r"(U + IBRD) : "memory");
	check("STRH then LDR w IBRD", mmio_read32(U + IBRD), 0x7ffe);
	mmio_write32(U + IBRD, 0);
}

static void addressing(void)
{
	u64 v, base, idx;

	base = U + ID;
	__asm__ volatile("ldr %w0, [%1, #4]!" : "=r"(v), "+r"(base) : : "memory");
	check("LDR w pre-index: PeriphID1", v, 0x10);
	check("LDR w pre-index: base written back", base, U + ID + 4);
	__asm__ volatile("ldrb %w0, [%1, #-4]!" : "=r"(v), "+r"(base) : : "memory");
	check("LDRB pre-index, negative: PeriphID0", v, 0x11);
	check("LDRB pre-index, negative: base written back", base, U + ID);

	base = U + ID + 16;
	__asm__ volatile("ldr %w0, [%1], #4" : "=r"(v), "+r"(base) : : "memory");
	check("LDR w post-index: PCellID0", v, 0x0d);
	check("LDR w post-index: base written back", base, U + ID + 20);
	__asm__ volatile("ldrsb %0, [%1], #8" : "=r"(v), "+r"(base) : : "memory");
	check("LDRSB x post-index: PCellID1", v, 0xfffffffffffffff0UL);
	check("LDRSB x post-index: base written back", base, U + ID + 28);
	__asm__ volatile("ldrh %w0, [%1], #-28" : "=r"(v), "+r"(base) : : "memory");
	check("LDRH post-index, negative: PCellID3", v, 0xb1);
	check("LDRH post-index, negative: base written back", base, U + ID);

	idx = 7;
	__asm__ volatile("ldr %w0, [%1, %2, lsl #2]" : "=r"(v) : "r"(U + ID), "r"(idx) : "memory");
	check("LDR w register offset, LSL #2: PCellID3", v, 0xb1);
	idx = (u64)-3;
	__asm__ volatile("ldr %w0, [%1, %w2, sxtw #2]" : "=r"(v) : "r"(U + ID + 16), "r"(idx)
			 : "memory");
	check("LDR w register offset, SXTW #2 of -3: PeriphID1", v, 0x10);
	idx = 0xffffffff00000fe8UL; /* UXTW drops the upper half */
	__asm__ volatile("ldrb %w0, [%1, %w2, uxtw]" : "=r"(v) : "r"(U), "r"(idx) : "memory");
	check("LDRB register offset, UXTW: PeriphID2", v, 0x14);
	idx = 0xff4;
	__asm__ volatile("ldrsb %0, [%1, %2]" : "=r"(v) : "r"(U), "r"(idx) : "memory");
	check("LDRSB x register offset: PCellID1", v, 0xfffffffffffffff0UL);
	idx = 3;
	__asm__ volatile("ldr %0, [%1, %2, lsl #3]" : "=r"(v) : "r"(U + ID), "r"(idx) : "memory");
	check("LDR x register offset, LSL #3: PCellID2-3", v, 0x000000b100000005UL);

	__asm__ volatile("ldur %w0, [%1, #-4]" : "=r"(v) : "r"(U + ID + 4) : "memory");
	check("LDUR w, offset -4: PeriphID0", v, 0x11);
	__asm__ volatile("ldursb %0, [%1, #15]" : "=r"(v) : "r"(U + ID + 13) : "memory");
	check("LDURSB x, unaligned base + 15: PCellID3", v, 0xffffffffffffffb1UL);

	/* SP as the base, with writeback: the hypervisor updates SP_EL1. */
	u64 sp_after;

	__asm__ volatile("mov x9, sp\n\t"
			 "mov sp, %2\n\t"
			 "ldr %w0, [sp, #8]!\n\t"
			 "mov %1, sp\n\t"
			 "mov sp, x9"
			 : "=&r"(v), "=&r"(sp_after)
			 : "r"(U + ID)
			 : "x9", "memory");
	check("LDR w [SP, #8]!: PeriphID2", v, 0x14);
	check("LDR w [SP, #8]!: SP written back", sp_after, U + ID + 8);
}

static void pairs(void)
{
	u64 a, b, base;

	__asm__ volatile("ldp %0, %1, [%2]" : "=&r"(a), "=&r"(b) : "r"(U + ID) : "memory");
	check("LDP x: PeriphID0-1", a, 0x0000001000000011UL);
	check("LDP x: PeriphID2-3", b, 0x14);
	base = U + ID + 8;
	__asm__ volatile("ldp %w0, %w1, [%2, #8]!" : "=&r"(a), "=&r"(b), "+r"(base) : : "memory");
	check("LDP w pre-index: PCellID0", a, 0x0d);
	check("LDP w pre-index: PCellID1", b, 0xf0);
	check("LDP w pre-index: base written back", base, U + ID + 16);
	base = U + ID + 24;
	__asm__ volatile("ldp %w0, %w1, [%2], #-16" : "=&r"(a), "=&r"(b), "+r"(base) : : "memory");
	check("LDP w post-index: PCellID2", a, 0x05);
	check("LDP w post-index: PCellID3", b, 0xb1);
	check("LDP w post-index: base written back", base, U + ID + 8);
	__asm__ volatile("ldpsw %0, %1, [%2, #-8]" : "=&r"(a), "=&r"(b) : "r"(U + ID + 32)
			 : "memory");
	check("LDPSW: PCellID2", a, 0x05);
	check("LDPSW: PCellID3", b, 0xb1);

	/* IMSC bits whose interrupts never rise here (modem and errors). */
	mmio_write32(U + IMSC, 0x78f);
	check("STR w IMSC reads back", mmio_read32(U + IMSC), 0x78f);
	u32 ris = mmio_read32(U + RIS);

	__asm__ volatile("ldp %w0, %w1, [%2]" : "=&r"(a), "=&r"(b) : "r"(U + IMSC) : "memory");
	check("LDP w: IMSC", a, 0x78f);
	check("LDP w: RIS", b, ris);
	__asm__ volatile("stp %w0, %w1, [%2]" : : "r"(0x70fUL), "r"(0xffffUL), "r"(U + IMSC)
			 : "memory");
	check("STP w: IMSC written", mmio_read32(U + IMSC), 0x70f);
	check("STP w: RIS, read-only, unchanged", mmio_read32(U + RIS), ris);
	mmio_write32(U + IMSC, 0);
}

/* Each store writes one character to DR: the line must read
 * "# stores:abcdefghij". */
static void stores(void)
{
	u64 base;

	printf("# stores:");
	__asm__ volatile("strb %w0, [%1]" : : "r"((u64)'a'), "r"(U) : "memory");
	__asm__ volatile("strh %w0, [%1]" : : "r"((u64)'b'), "r"(U) : "memory");
	__asm__ volatile("str %w0, [%1]" : : "r"((u64)'c'), "r"(U) : "memory");
	__asm__ volatile("str %0, [%1]" : : "r"((u64)'d'), "r"(U) : "memory");
	base = U + 4;
	__asm__ volatile("str %w1, [%0, #-4]!" : "+r"(base) : "r"((u64)'e') : "memory");
	u64 pre = base;
	__asm__ volatile("strb %w1, [%0], #8" : "+r"(base) : "r"((u64)'f') : "memory");
	u64 post = base;
	__asm__ volatile("stur %w0, [%1, #-8]" : : "r"((u64)'g'), "r"(U + 8) : "memory");
	__asm__ volatile("str %w0, [%1, %2]" : : "r"((u64)'h'), "r"(U + 16), "r"((u64)-16)
			 : "memory");
	/* A pair: DR gets the first register, RSR (a write clears errors)
	 * the second. */
	__asm__ volatile("stp %w0, %w1, [%2]" : : "r"((u64)'i'), "r"(0UL), "r"(U) : "memory");
	/* And one whose pre-index writeback lands on DR. */
	base = U - 16;
	__asm__ volatile("stp %w1, %w2, [%0, #16]!" : "+r"(base) : "r"((u64)'j'), "r"(0UL)
			 : "memory");
	printf("\n");
	check("STR w pre-index to DR: base written back", pre, U);
	check("STRB post-index to DR: base written back", post, U + 8);
	check("STP w pre-index to DR: base written back", base, U);
}

static void refused(void)
{
	u64 a = 0x1111, b = 0x2222;

	catch_aborts();
	/* Exclusives are not emulated: the guest gets an abort. */
	catch_reset();
	__asm__ volatile("ldxr %w0, [%1]" : "+r"(a) : "r"(U + ID) : "memory");
	expect_one_abort(EC_DABT_CUR, U + ID, false, "LDXR on the UART");
	check("LDXR on the UART: register unchanged", a, 0x1111);
	/* A pair whose second half leaves the window. */
	catch_reset();
	__asm__ volatile("ldp %0, %1, [%2]" : "+r"(a), "+r"(b) : "r"(U + 0xff8) : "memory");
	expect_one_abort(EC_DABT_CUR, U + 0xff8, false,
			 "LDP across the end of the UART window");
	check("LDP across the end: registers unchanged", a ^ b, 0x1111 ^ 0x2222);
	set_exception_handler(NULL);
}

void guest_main(void);
void guest_main(void)
{
	sizes();
	sign_extension();
	addressing();
	pairs();
	stores();
	refused();
	report_done();
}
