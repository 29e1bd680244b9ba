/*
 * What a guest must not reach, seen from inside (issue 10, points 5, 8, 9):
 *  - the operator's terminal: escape and control sequences it prints are
 *    shown, not obeyed (tests/integration/isotrap.py reads the console);
 *  - IMPLEMENTATION DEFINED registers (HCR_EL2.TIDCP): UNDEFINED;
 *  - LORegions (HCR_EL2.TLOR): hidden and UNDEFINED; RAS error records
 *    (HCR_EL2.TERR): a node with none;
 *  - set/way cache maintenance (HCR_EL2.TSW): a whole loop runs, raises
 *    nothing and keeps the guest's data;
 *  - SMCCC_ARCH_FEATURES for the Spectre workarounds: the truth for this
 *    CPU, as its ID registers tell it;
 *  - WFIT (where the CPU has FEAT_WFxT): wakes at its deadline although
 *    no interrupt comes, on a CPU shared with another VM (WFI trapped).
 */
#include "guest.h"

#define WA1 SMCCC_ARCH_WORKAROUND_1
#define WA2 SMCCC_ARCH_WORKAROUND_2
#define WA3 SMCCC_ARCH_WORKAROUND_3

static void console_escapes(void)
{
	/* Each on its own line; the test reads how the terminal got them. */
	puts("\033[1G[pulse] y\n");
	puts("csi: \033[2A\033[2J\033[2K\033[10;1H\033[?25l\033[6n\n");
	puts("left: ab\033[20D\033[2D\033[K\n");
	puts("osc: \033]0;x\007\n");
	puts("dcs: \033Pq#0\033\\\n");
	puts("bare: \033 done\n");
	puts("c1: \x9b" "1G and \xc2\x9b" "2J\n");
	puts("sgr: \033[1;31mred, never reset\n");
	puts("bs: \b\b\b\b\b\b\b\b\b\b[pulse] z\n");
	puts("after: plain\n");
}

static bool undefined(const char *what)
{
	bool ok = caught.count == 1 && ESR_EC(caught.esr) == EC_UNKNOWN;

	report(ok, "%s: undefined instruction (%u exception(s), ESR_EL1 0x%lx)",
	       what, caught.count, caught.esr);
	return ok;
}

/*
 * An IMPLEMENTATION DEFINED register the CPU has: UNDEFINED through
 * HCR_EL2.TIDCP. QEMU 7.2 does not model TIDCP (the access runs
 * natively, RAZ/WI), which is said rather than passed.
 */
static void impdef(const char *what)
{
	if (caught.count == 0)
		printf("# %s: no trap (this CPU model ignores HCR_EL2.TIDCP, "
		       "as QEMU 7.2 does): not checked\n", what);
	else
		undefined(what);
}

static void impdef_registers(void)
{
	u64 v = 0;

	/* CPUECTLR_EL1 (SMPEN) and L2CTLR_EL1 on Cortex-A53/A57/A72. */
	catch_reset();
	__asm__ volatile("mrs %0, s3_1_c15_c2_1" : "=r"(v) : : "memory");
	impdef("read of S3_1_C15_C2_1 (CPUECTLR_EL1)");
	catch_reset();
	__asm__ volatile("msr s3_1_c15_c2_1, %0" : : "r"(0UL) : "memory");
	impdef("write of 0 to S3_1_C15_C2_1 (CPUECTLR_EL1: SMPEN off)");
	catch_reset();
	__asm__ volatile("mrs %0, s3_1_c11_c0_2" : "=r"(v) : : "memory");
	impdef("read of S3_1_C11_C0_2 (L2CTLR_EL1)");
	(void)v;
}

static void lor_and_ras(void)
{
	u64 mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);
	u64 v = 1;

	report(FIELD_GET(mmfr1, 19, 16) == 0,
	       "ID_AA64MMFR1_EL1.LO reads 0: LORegions hidden (0x%lx)", mmfr1);
	catch_reset();
	__asm__ volatile("mrs %0, s3_0_c10_c4_7" : "=r"(v) : : "memory");
	undefined("read of LORID_EL1");
	if (FIELD_GET(pfr0, 31, 28) == 0) {
		printf("# no FEAT_RAS on this CPU: error records not tried\n");
		return;
	}
	catch_reset();
	__asm__ volatile("mrs %0, s3_0_c5_c3_0" : "=r"(v) : : "memory");
	report(caught.count == 0 && v == 0,
	       "ERRIDR_EL1 reads 0: no error records (%u exception(s), ESR_EL1 "
	       "0x%lx, ERRIDR 0x%lx)", caught.count, caught.esr, v);
	/* ERRSELR_EL1 and the ERX* registers: RAZ/WI through HCR_EL2.TERR,
	 * or UNDEFINED as QEMU 7.2 has them natively (both allowed when
	 * ERRIDR_EL1.NUM is 0): not tried. */
}

/* Clean and invalidate every data cache level by set/way, as a boot
 * loader does before turning its MMU on (Arm ARM, the CLIDR loop). */
static u64 setway_loop(bool invalidate_only)
{
	u64 clidr = read_sysreg(clidr_el1), ops = 0;
	unsigned loc = (unsigned)FIELD_GET(clidr, 26, 24);

	for (unsigned level = 0; level < loc; level++) {
		unsigned ctype = (clidr >> (3 * level)) & 7;

		if (ctype < 2)
			continue; /* no data cache at this level */
		write_sysreg((u64)level << 1, csselr_el1);
		isb();
		u64 ccsidr = read_sysreg(ccsidr_el1);
		unsigned line = (unsigned)FIELD_GET(ccsidr, 2, 0) + 4;
		u64 ways = FIELD_GET(ccsidr, 12, 3) + 1;
		u64 sets = FIELD_GET(ccsidr, 27, 13) + 1;
		unsigned a = ways > 1 ? 64 - __builtin_clzl(ways - 1) : 0;

		for (u64 w = 0; w < ways; w++)
			for (u64 s = 0; s < sets; s++) {
				u64 op = (a ? w << (32 - a) : 0) | s << line | level << 1;

				if (invalidate_only)
					__asm__ volatile("dc isw, %0" : : "r"(op) : "memory");
				else
					__asm__ volatile("dc cisw, %0" : : "r"(op) : "memory");
				ops++;
			}
	}
	dsb(sy);
	return ops;
}

static u64 pattern[512];

static void setway(void)
{
	bool intact = true;
	u64 ops;

	for (u32 i = 0; i < ARRAY_SIZE(pattern); i++)
		pattern[i] = 0x5e7a000000000000UL | i;
	dsb(sy);
	catch_reset();
	ops = setway_loop(false) + setway_loop(true);
	for (u32 i = 0; i < ARRAY_SIZE(pattern); i++)
		intact &= pattern[i] == (0x5e7a000000000000UL | i);
	report(caught.count == 0 && ops > 0 && intact,
	       "set/way: %lu DC CISW and DC ISW over every level, %u exception(s), "
	       "the data %s", ops, caught.count, intact ? "intact" : "LOST");
}

/* Arm in-order cores, which Spectre variant 2 and BHB do not affect. */
static bool in_order(void)
{
	u64 midr = read_sysreg(midr_el1), part = FIELD_GET(midr, 15, 4);

	return FIELD_GET(midr, 31, 24) == 0x41 &&
	       (part == 0xd03 || part == 0xd04 || part == 0xd05);
}

static void spectre_answers(void)
{
	u64 csv2 = FIELD_GET(read_sysreg(id_aa64pfr0_el1), 59, 56);
	bool ecbhb = FIELD_GET(read_sysreg(id_aa64mmfr1_el1), 63, 60) == 1;
	/* QEMU's firmware offers no workaround: the answer is what the CPU
	 * itself says, "not required here" (1) or NOT_SUPPORTED (-1). */
	s64 want1 = (in_order() || csv2 >= 1) ? 1 : -1;
	s64 want3 = (in_order() || csv2 == 3 || ecbhb) ? 1 : -1;
	s64 got1 = (s32)hvc(SMCCC_ARCH_FEATURES, WA1, 0, 0);
	s64 got3 = (s32)hvc(SMCCC_ARCH_FEATURES, WA3, 0, 0);
	s64 got2 = (s32)hvc(SMCCC_ARCH_FEATURES, WA2, 0, 0);

	report(got1 == want1, "SMCCC_ARCH_FEATURES(WORKAROUND_1) is %ld (CSV2 %lu: "
	       "expected %ld)", got1, csv2, want1);
	report(got3 == want3, "SMCCC_ARCH_FEATURES(WORKAROUND_3) is %ld (CSV2 %lu, "
	       "ECBHB %d: expected %ld)", got3, csv2, ecbhb, want3);
	report(got2 == -1, "SMCCC_ARCH_FEATURES(WORKAROUND_2) is %ld (no firmware "
	       "workaround: expected -1)", got2);
	s64 call1 = (s32)hvc(WA1, 0, 0, 0);
	report(call1 == (want1 < 0 ? -1 : 0), "a WORKAROUND_1 call returns %ld", call1);
}

static void wfit(void)
{
	u64 isar2 = read_sysreg(s3_0_c0_c6_2); /* ID_AA64ISAR2_EL1 */

	if (FIELD_GET(isar2, 3, 0) < 2) {
		printf("# no FEAT_WFxT on this CPU (ID_AA64ISAR2_EL1 0x%lx): "
		       "WFIT not tried\n", isar2);
		return;
	}
	u64 start = counter_now(), deadline = start + counter_ms(20);

	/* WFIT x9. No interrupt is enabled: only the deadline ends it. */
	__asm__ volatile("mov x9, %0\n\t.inst 0xd5031009"
			 : : "r"(deadline) : "x9", "memory");
	u64 end = counter_now();
	u64 ms = (end - start) / counter_ms(1);

	report(end >= deadline && end - start < counter_ms(1000),
	       "WFIT with a deadline 20 ms on woke after %lu ms", ms);
}

void guest_main(void);
void guest_main(void)
{
	u64 done = bootarg("done", 0);

	catch_aborts();
	console_escapes();
	/* hello may stop now: the input focus, which changes what reaches
	 * the terminal (a cursor report passes for the VM with focus), was
	 * its while we printed (tests/configs/run/isotrap.c). */
	if (done)
		*(volatile u32 *)done = 1;
	impdef_registers();
	lor_and_ras();
	setway();
	spectre_answers();
	wfit();
	report_done();
}
