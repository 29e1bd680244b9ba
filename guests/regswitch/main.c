/*
 * Two VMs on one physical CPU, each writing to every register the
 * hypervisor switches per vCPU values only it writes (derived from its
 * number, bootargs "vm=1" or "vm=2"), then checking across many switches
 * that each register still holds its own: the 32 SIMD registers (both
 * halves), FPSR, FPCR, the EL1 registers, the timers (masked, far in the
 * future), the pointer-authentication keys (and what they sign), the PMU
 * registers and the debug registers (breakpoints and watchpoints written
 * enabled; MDSCR_EL1.MDE stays clear, so none fires). Then that its cycle
 * counter is its own (it stands still while the other VM runs) and counts
 * nothing at EL2 even with PMCCFILTR_EL0.NSH set.
 *
 * tests/configs/run/regswitch.c, tests/integration/regswitch.py.
 */
#include "guest.h"

/* The page both VMs share (tests/configs/run/regswitch.c): each says when
 * it is done, and stays (and keeps the CPU shared) until the other is. */
#define SHARED_IPA 0x50000000UL
static volatile u32 *const done = (volatile u32 *)SHARED_IPA;
static volatile u32 *const ready = (volatile u32 *)SHARED_IPA + 4;

#define ROUNDS 24                 /* switches to check across */
#define GAP_TICKS (counter_ms(1) / 2) /* a longer pause: switched out */
#define MAX_REGS 160

void simd_write(const u64 *state);
void simd_read(u64 *state);
u64 pac_generic(u64 ptr, u64 modifier);
u64 pac_sign_ia(u64 ptr, u64 modifier);
u64 pac_auth_ia(u64 ptr, u64 modifier);
void hvc_loop(u64 n);

static u64 k; /* this VM's number, 1 or 2 */
static u32 nr_counters, nr_brps, nr_wrps;
static bool has_pauth, has_claim, has_tpidr2, has_disr;

/* An undefined instruction while probing: step over it, say so. */
static volatile bool undefined;
static bool on_undef(struct guest_regs *regs, u64 kind)
{
	if (kind != EXC_SYNC || (regs->esr >> 26) != 0)
		return false;
	undefined = true;
	regs->pc += 4;
	return true;
}

/* ---- The values: each VM's own ---- */

static u64 pick(u64 for1, u64 for2)
{
	return k == 1 ? for1 : for2;
}

#define SCTLR_UCI BIT(26)
#define SCTLR_UCT BIT(15)
#define SCTLR_DZE BIT(14)
#define SCTLR_NTWE BIT(18)
#define SCTLR_ENIA BIT(31)
#define SCTLR_ENTP2 BIT(60)
#define CPACR_FPEN (3UL << 20)

/* name, register, value written (read back at once: what the CPU keeps). */
#define EL1_REGS(X)                                                         \
	X(ttbr0_el1, k << 48 | (0x40000000 + 0x1000 * k));                  \
	X(ttbr1_el1, (k + 2) << 48 | (0x50000000 + 0x2000 * k));            \
	X(tcr_el1, (16 + k) | (24 + k) << 16 | k << 8);                     \
	X(mair_el1, 0x04080c1014181c00UL + k * 0x0101);                     \
	X(amair_el1, k * 0x11);                                             \
	X(contextidr_el1, 0xc0de0000 + k);                                  \
	X(tpidr_el0, 0x7e11d00000000000UL + k);                             \
	X(tpidrro_el0, 0x7e11d00000000010UL + k);                           \
	X(tpidr_el1, 0x7e11d00000000020UL + k);                             \
	X(sp_el0, 0x5e000000 + k * 0x100);                                  \
	X(elr_el1, 0x0e1e0000 + k * 4);                                     \
	X(spsr_el1, pick(0x3c5, 0x304));                                    \
	X(esr_el1, 0x96000000 + k);                                         \
	X(far_el1, 0xfa000000 + k * 0x1000);                                \
	X(afsr0_el1, k);                                                    \
	X(afsr1_el1, k << 4);                                               \
	X(par_el1, 0x40000000 + (k << 12));                                 \
	X(cntkctl_el1, pick(0x3, 0x300));                                   \
	X(csselr_el1, pick(0, 1));                                          \
	X(cntv_cval_el0, 0xf000000000000000UL + k);                         \
	X(cntv_ctl_el0, pick(2, 3)); /* IMASK, ENABLE|IMASK: never fires */ \
	X(cntp_cval_el0, 0xf000000000000100UL + k);                         \
	X(cntp_ctl_el0, pick(3, 2));                                        \
	X(cpacr_el1, CPACR_FPEN | pick(BIT(16), BIT(28)));                  \
	X(sctlr_el1, sctlr0 | SCTLR_ENIA | SCTLR_ENTP2 |                    \
		     pick(SCTLR_UCI | SCTLR_UCT, SCTLR_DZE | SCTLR_NTWE))

#define PAUTH_REGS(X)                                                      \
	X(S3_0_C2_C1_0, 0xa1a0000000000000UL | k << 32 | 0);  /* APIAKeyLo */ \
	X(S3_0_C2_C1_1, 0xa1a0000000000000UL | k << 32 | 1);  /* APIAKeyHi */ \
	X(S3_0_C2_C1_2, 0xa1a0000000000000UL | k << 32 | 2);  /* APIBKeyLo */ \
	X(S3_0_C2_C1_3, 0xa1a0000000000000UL | k << 32 | 3);  /* APIBKeyHi */ \
	X(S3_0_C2_C2_0, 0xa1a0000000000000UL | k << 32 | 4);  /* APDAKeyLo */ \
	X(S3_0_C2_C2_1, 0xa1a0000000000000UL | k << 32 | 5);  /* APDAKeyHi */ \
	X(S3_0_C2_C2_2, 0xa1a0000000000000UL | k << 32 | 6);  /* APDBKeyLo */ \
	X(S3_0_C2_C2_3, 0xa1a0000000000000UL | k << 32 | 7);  /* APDBKeyHi */ \
	X(S3_0_C2_C3_0, 0xa1a0000000000000UL | k << 32 | 8);  /* APGAKeyLo */ \
	X(S3_0_C2_C3_1, 0xa1a0000000000000UL | k << 32 | 9)   /* APGAKeyHi */

#define PMCR_D BIT(3)
#define PMCR_X BIT(4)
#define PMCR_DP BIT(5)
#define PMCR_LC BIT(6)
#define PMCR_LP BIT(7)
#define PMCR_E BIT(0)
#define PMCCFILTR_P BIT(31)
#define PMCCFILTR_U BIT(30)
#define PMCCFILTR_NSH BIT(27)
#define PMCNTEN_C BIT(31)

/* The counters stay disabled (PMCR_EL0.E clear) so their values hold. */
#define PMU_REGS(X)                                                     \
	X(pmcr_el0, pick(PMCR_D | PMCR_LC, PMCR_X | PMCR_DP | PMCR_LP));  \
	X(pmuserenr_el0, pick(0x5, 0xa));                               \
	X(pmcntenset_el0, BIT(k - 1));                                  \
	X(pmintenset_el1, BIT(k + 1));                                  \
	X(pmovsset_el0, BIT(k - 1));                                    \
	X(pmccfiltr_el0, pick(PMCCFILTR_P, PMCCFILTR_U));               \
	X(pmccntr_el0, 0x1000000 * k + 0x123)

#define MDSCR_TDCC BIT(12)
#define MDSCR_KDE BIT(13)

#define DEBUG_REGS(X)                                                   \
	X(mdscr_el1, pick(MDSCR_TDCC, MDSCR_KDE));                      \
	X(mdccint_el1, BIT(28 + k))

/* Breakpoint n: enabled (E) in VM 1, at EL1 and EL0 (PMC), all bytes. */
#define BP(n)                                                           \
	if (n < nr_brps) {                                              \
		SET(dbgbvr##n##_el1, 0x40080000 + 4 * n + 0x1000 * k);  \
		SET(dbgbcr##n##_el1, 0xf << 5 | 3 << 1 | (k & 1));      \
	}
#define WP(n)                                                           \
	if (n < nr_wrps) {                                              \
		SET(dbgwvr##n##_el1, 0x40100000 + 8 * n + 0x100 * k);   \
		SET(dbgwcr##n##_el1, 0xffUL << 5 | 3 << 3 | 3 << 1 | (k & 1)); \
	}
#define BPS_WPS(X)                                                      \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)     \
	X(12) X(13) X(14) X(15)

/* ---- What was written, and the checks ---- */

static struct {
	const char *name;
	u64 want;
	u32 wrong; /* rounds it read otherwise */
	u64 got;   /* the first wrong value */
} regs[MAX_REGS];
static u32 nr_regs, reg_at;

static void expect(const char *name, u64 value)
{
	if (nr_regs < MAX_REGS) {
		regs[nr_regs].name = name;
		regs[nr_regs++].want = value;
	}
}

static void observe(u64 value)
{
	if (reg_at < nr_regs && value != regs[reg_at].want && !regs[reg_at].wrong++)
		regs[reg_at].got = value;
	reg_at++;
}

#define SET(reg, value)                              \
	do {                                         \
		write_sysreg(value, reg);            \
		isb();                               \
		expect(#reg, read_sysreg(reg));      \
	} while (0)
#define GET(reg, value) observe(read_sysreg(reg))

/* Event counter and type n, through PMSELR_EL0. */
static void set_event(u32 n)
{
	write_sysreg(n, pmselr_el0);
	isb();
	write_sysreg(0x08 + n + 0x10 * k, pmxevtyper_el0);
	write_sysreg(0x10000 * k + n, pmxevcntr_el0);
	isb();
	expect("pmevtyper<n>_el0", read_sysreg(pmxevtyper_el0));
	expect("pmevcntr<n>_el0", read_sysreg(pmxevcntr_el0));
}

static void get_event(u32 n)
{
	write_sysreg(n, pmselr_el0);
	isb();
	observe(read_sysreg(pmxevtyper_el0));
	observe(read_sysreg(pmxevcntr_el0));
}

static u64 sctlr0;
static u64 simd_want[66], simd_got[66];
static u32 simd_wrong;
static u64 pac_ptr, pac_signed, pac_gen;
static u32 pac_wrong;

static void write_all(void)
{
	sctlr0 = read_sysreg(sctlr_el1);
	EL1_REGS(SET);
	for (u32 i = 0; i < 32; i++) {
		simd_want[2 * i] = k << 56 | (u64)i << 48 | 0xabcd0000 | i;
		simd_want[2 * i + 1] = ~simd_want[2 * i] ^ k << 40;
	}
	simd_want[64] = pick(0x3, BIT(27) | 0x10);                /* FPSR */
	simd_want[65] = pick(BIT(24) | 1UL << 22, BIT(25) | 2UL << 22); /* FPCR */
	simd_write(simd_want);
	simd_read(simd_want); /* what the CPU keeps of FPSR and FPCR */
	if (has_tpidr2)
		SET(S3_3_C13_C0_5, 0x7e11d20000000000UL + k); /* TPIDR2_EL0 */
	if (has_disr)
		SET(S3_0_C12_C1_1, pick(BIT(31) | 0x11, BIT(31) | 0x22)); /* DISR_EL1 */
	if (has_pauth) {
		PAUTH_REGS(SET);
		isb();
		pac_ptr = 0x40080000 + 0x100 * k;
		pac_signed = pac_sign_ia(pac_ptr, 0x5a);
		pac_gen = pac_generic(pac_ptr, 0x5a);
	}
	/* PMU: clear the set/clear pairs first, then each VM its own bits. */
	write_sysreg(~0UL, pmcntenclr_el0);
	write_sysreg(~0UL, pmintenclr_el1);
	write_sysreg(~0UL, pmovsclr_el0);
	PMU_REGS(SET);
	for (u32 n = 0; n < nr_counters; n++)
		set_event(n);
	SET(pmselr_el0, k);
	/* Debug: the OS lock held by VM 1 only, and distinct claim tags. */
	write_sysreg(pick(1, 0), oslar_el1);
	isb();
	expect("oslsr_el1.oslk", read_sysreg(oslsr_el1) & BIT(1));
	if (has_claim) {
		write_sysreg(0xff, dbgclaimclr_el1);
		write_sysreg(pick(0x0f, 0xf0), dbgclaimset_el1);
		isb();
		expect("dbgclaim", read_sysreg(dbgclaimclr_el1));
	}
	DEBUG_REGS(SET);
	BPS_WPS(BP);
	BPS_WPS(WP);
}

#undef SET
#define SET(reg, value) GET(reg, value)

static void check_all(void)
{
	reg_at = 0;
	EL1_REGS(GET);
	simd_read(simd_got);
	for (u32 i = 0; i < 66; i++)
		if (simd_got[i] != simd_want[i]) {
			if (!simd_wrong++)
				printf("# first SIMD/FP difference: word %u is 0x%lx, not 0x%lx\n",
				       i, simd_got[i], simd_want[i]);
			break;
		}
	if (has_tpidr2)
		GET(S3_3_C13_C0_5, 0);
	if (has_disr)
		GET(S3_0_C12_C1_1, 0);
	if (has_pauth) {
		PAUTH_REGS(GET);
		if (pac_sign_ia(pac_ptr, 0x5a) != pac_signed ||
		    pac_auth_ia(pac_signed, 0x5a) != pac_ptr ||
		    pac_generic(pac_ptr, 0x5a) != pac_gen)
			pac_wrong++;
	}
	PMU_REGS(GET);
	for (u32 n = 0; n < nr_counters; n++)
		get_event(n);
	write_sysreg(k, pmselr_el0);
	isb();
	GET(pmselr_el0, k);
	observe(read_sysreg(oslsr_el1) & BIT(1));
	if (has_claim)
		observe(read_sysreg(dbgclaimclr_el1));
	DEBUG_REGS(GET);
	BPS_WPS(BP);
	BPS_WPS(WP);
}

/* Spins until the VM has been switched out and back; false if not in 2 s. */
static bool wait_switch(void)
{
	u64 start = counter_now(), last = start, now;

	for (;;) {
		now = counter_now();
		if (now - last > GAP_TICKS)
			return true;
		if (now - start > counter_ms(2000))
			return false;
		last = now;
	}
}

/* ---- The cycle counter: its own, and nothing at EL2 ---- */

static void pmu_count_cycles(u64 filter)
{
	write_sysreg(filter, pmccfiltr_el0);
	write_sysreg(PMCNTEN_C, pmcntenset_el0);
	write_sysreg(PMCR_E, pmcr_el0);
	isb();
}

/* Fewest cycles counted over n null hypercalls in 7 tries. */
static u64 hvc_cycles(u64 n)
{
	u64 best = ~0UL;

	for (u32 i = 0; i < 7; i++) {
		u64 c0, c1;

		isb();
		c0 = read_sysreg(pmccntr_el0);
		hvc_loop(n);
		isb();
		c1 = read_sysreg(pmccntr_el0);
		best = MIN(best, c1 - c0);
	}
	return best;
}

static void check_cycle_counter(void)
{
	u64 with_el2, el1_only, ticks = 0, cycles = 0;
	u64 ns_per_tick = 1000000000UL / read_sysreg(cntfrq_el0);

	pmu_count_cycles(PMCCFILTR_NSH);
	with_el2 = hvc_cycles(200);
	pmu_count_cycles(0);
	el1_only = hvc_cycles(200);
	printf("# 200 null hypercalls: %lu cycles counted with PMCCFILTR_EL0.NSH, "
	       "%lu without\n", with_el2, el1_only);
	/* At EL2 a null hypercall runs some 150 instructions, the loop at
	 * EL1 three: counted at EL2, the first figure is several times the
	 * second. The test runs under -icount, where the counter counts
	 * instructions and the two are equal; without it TCG counts host
	 * time, which a loaded host makes vary by half. */
	report(2 * with_el2 < 3 * el1_only,
	       "the cycle counter counts nothing at EL2, even with NSH set");

	/* Across a switch-out the counter must stand still: count the loop
	 * turns that were switched out, in time and in cycles. The host may
	 * also stop QEMU for a while, and its counter then runs on: of five
	 * such turns, the one that counted least is the one looked at. Both
	 * VMs measure at once, spinning at EL1 with their counters running,
	 * so a counter they shared would count the other's whole turn. */
	dmb(sy);
	ready[k] = 1;
	dmb(sy);
	if (!spin_until(ready[3 - k], 10000))
		printf("# vm %lu: the other VM did not come to the cycle check\n", k);
	for (u32 gaps = 0; gaps < 5; gaps++) {
		u64 t0 = counter_now(), c0 = read_sysreg(pmccntr_el0);
		u64 end = t0 + counter_ms(2000);

		while (t0 < end) {
			u64 t1 = counter_now(), c1 = read_sysreg(pmccntr_el0);

			if (t1 - t0 > GAP_TICKS) {
				if (!ticks || (c1 - c0) * ticks < cycles * (t1 - t0)) {
					ticks = t1 - t0;
					cycles = c1 - c0;
				}
				break;
			}
			t0 = t1;
			c0 = c1;
		}
	}
	printf("# a turn switched out: %lu ns away, %lu cycles counted\n",
	       ticks * ns_per_tick, cycles);
	report(ticks && cycles < ticks * ns_per_tick / 2,
	       "the cycle counter stands still while the other VM runs");
	/* The counter is left running: the other VM's check above must find
	 * this VM's counting kept away from its own. */
}

void guest_main(void);
void guest_main(void)
{
	u64 dfr0, switches = 0;
	u32 wrong = 0;

	k = bootarg("vm", 0);
	if (k != 1 && k != 2) {
		report(false, "bootargs name the VM: vm=1 or vm=2");
		report_done();
	}
	write_sysreg(read_sysreg(cpacr_el1) | CPACR_FPEN, cpacr_el1);
	isb();
	dfr0 = read_sysreg(id_aa64dfr0_el1);
	nr_brps = FIELD_GET(dfr0, 15, 12) + 1;
	nr_wrps = FIELD_GET(dfr0, 23, 20) + 1;
	has_pauth = read_sysreg(id_aa64isar1_el1) & (0xffUL << 4 | 0xffUL << 24);
	nr_counters = FIELD_GET(read_sysreg(pmcr_el0), 15, 11);
	/* DBGCLAIM is architectural, but QEMU 7.2 lacks it. */
	set_exception_handler(on_undef);
	(void)read_sysreg(dbgclaimclr_el1);
	has_claim = !undefined;
	/* TPIDR2_EL0 (SME; EnTP2 lets EL1 reach it) and DISR_EL1 (RAS),
	 * where the CPU has them: neither traps to EL2. */
	write_sysreg(read_sysreg(sctlr_el1) | BIT(60), sctlr_el1);
	isb();
	undefined = false;
	(void)read_sysreg(S3_3_C13_C0_5);
	has_tpidr2 = !undefined;
	undefined = false;
	(void)read_sysreg(S3_0_C12_C1_1);
	has_disr = !undefined;
	set_exception_handler(NULL);
	printf("# vm %lu: PMUVer %lu, %u event counters, %u breakpoints, %u watchpoints, "
	       "pointer authentication %s, claim tags %s, TPIDR2 %s, DISR %s\n", k,
	       FIELD_GET(dfr0, 11, 8), nr_counters, nr_brps, nr_wrps, has_pauth ? "yes" : "no",
	       has_claim ? "yes" : "no", has_tpidr2 ? "yes" : "no", has_disr ? "yes" : "no");

	write_all();
	printf("# vm %lu: %u system registers, 32 SIMD registers, FPSR and FPCR written\n",
	       k, nr_regs);
	for (u32 r = 0; r < ROUNDS; r++) {
		if (wait_switch())
			switches++;
		check_all();
	}
	report(switches == ROUNDS, "switched out and back %lu times", switches);
	for (u32 i = 0; i < nr_regs; i++) {
		if (!regs[i].wrong)
			continue;
		wrong++;
		report(false, "%s: read 0x%lx (not its own 0x%lx) in %u of %u rounds",
		       regs[i].name, regs[i].got, regs[i].want, regs[i].wrong, ROUNDS);
	}
	report(!wrong, "%u system registers each held only this VM's value", nr_regs - wrong);
	report(!simd_wrong, "q0-q31 (both halves), FPSR and FPCR held only this VM's values");
	if (has_pauth)
		report(!pac_wrong, "pointers signed with this VM's keys authenticate, "
		       "and sign the same, after every switch");
	check_cycle_counter();
	dmb(sy);
	done[k] = 1;
	dmb(sy);
	if (!spin_until(done[3 - k], 10000))
		printf("# vm %lu: the other VM did not finish\n", k);
	report_done();
}
