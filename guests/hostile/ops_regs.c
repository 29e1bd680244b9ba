/*
 * The registers a vCPU owns only once it has used them (the hypervisor
 * traps them until then, hyp/vcpu/pauth.c, vpmu.c, vdebug.c): pointer
 * authentication (random keys, every PAC, AUT and XPAC form, PACGA, LDRAA
 * and LDRAB on random pointers), the PMU (random values in every register,
 * counters set to overflow with their interrupts enabled, random counter
 * selections and filters, NSH among them) and self-hosted debug
 * (breakpoints and watchpoints enabled on random addresses, debug
 * exceptions unmasked for a few instructions, the OS lock, the power-down
 * and claim registers). Each runs through hz_try, so what a CPU lacks comes
 * back as an undefined instruction. What must hold: a key reads back as
 * written, and the hypervisor, the other VM and the campaign live on.
 */
#include "hostile.h"

#define ENC(op0, op1, crn, crm, op2) \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))

static u32 mrs(u32 e, u32 rt)
{
	return a64_sys(e >> 14 & 3, e >> 11 & 7, e >> 7 & 15, e >> 3 & 15, e & 7, true, rt);
}

static u32 msr(u32 e, u32 rt)
{
	return a64_sys(e >> 14 & 3, e >> 11 & 7, e >> 7 & 15, e >> 3 & 15, e & 7, false, rt);
}

/* Writes val to the register (x1), through hz_try; false if undefined. */
static bool put(struct hz_cpu *c, u32 e, u64 val)
{
	u32 insn = msr(e, 1);

	hz_run_code(c, &insn, 1, 0, val);
	return !c->exc;
}

#define A64_PAC(op, rd, rn) (0xdac10000U | (u32)(op) << 10 | (rn) << 5 | (rd))
#define A64_XPAC(data, rd) (0xdac143e0U | (u32)(data) << 10 | (rd))
#define A64_PACGA(rd, rn, rm) (0x9ac03000U | (rm) << 16 | (rn) << 5 | (rd))
#define A64_LDRA(keyb, rt, rn) (0xf8200400U | (u32)(keyb) << 23 | (rn) << 5 | (rt))
#define A64_LDR(rt, rn) (0xf9400000U | (rn) << 5 | (rt))
#define DAIFCLR_D 0xd50348ffU
#define DAIFSET_D 0xd50348dfU

/* ---- Pointer authentication ---- */

void hz_op_pauth(struct hz_cpu *c)
{
	u32 insns[2], crm, op2;
	u64 val = rnd_value(c), got;

	if (c->mmu)
		return;
	c->tried[K_pauth]++;
	if (chance(c, 2)) {
		/* A key: APIA, APIB, APDA, APDB (CRm 1, 2), APGA (CRm 3). */
		crm = 1 + rnd_below(c, 3);
		op2 = crm == 3 ? rnd_below(c, 2) : rnd_below(c, 4);
		insns[0] = msr(ENC(3, 0, 2, crm, op2), 1);
		insns[1] = mrs(ENC(3, 0, 2, crm, op2), 0);
		got = hz_run_code(c, insns, 2, 0, val);
		if (c->exc) {
			c->faulted[K_pauth]++;
			return;
		}
		if (got != val)
			hz_finding(c, K_pauth, "key S3_0_C2_C%u_%u written 0x%lx read back 0x%lx",
				   crm, op2, val, got);
		return;
	}
	switch (rnd_below(c, 4)) {
	case 0: insns[0] = A64_PAC(rnd_below(c, 8), 0, 1); break;
	case 1: insns[0] = A64_XPAC(rnd_below(c, 2), 0); break;
	case 2: insns[0] = A64_PACGA(0, 0, 1); break;
	default: insns[0] = A64_LDRA(rnd_below(c, 2), 0, 0); break;
	}
	hz_run_code(c, insns, 1, chance(c, 2) ? hz_pick_ipa(c) : val, rnd_value(c));
	if (c->exc)
		c->faulted[K_pauth]++;
}

/* ---- PMU ---- */

static const u16 pmu_regs[] = {
	ENC(3, 3, 9, 12, 0), ENC(3, 3, 9, 12, 1), ENC(3, 3, 9, 12, 2), /* PMCR, CNTEN */
	ENC(3, 3, 9, 12, 3), ENC(3, 3, 9, 12, 4), ENC(3, 3, 9, 12, 5), /* OVSCLR, SWINC, SELR */
	ENC(3, 3, 9, 13, 0), ENC(3, 3, 9, 13, 1), ENC(3, 3, 9, 13, 2), /* CCNTR, XEV* */
	ENC(3, 3, 9, 14, 0), ENC(3, 3, 9, 14, 3),                      /* USERENR, OVSSET */
	ENC(3, 0, 9, 14, 1), ENC(3, 0, 9, 14, 2),                      /* INTENSET/CLR */
	ENC(3, 3, 14, 15, 7),                                          /* PMCCFILTR */
};

#define PMEVCNTR(n) ENC(3, 3, 14, 8 + ((n) >> 3), (n) & 7)
#define PMEVTYPER(n) ENC(3, 3, 14, 12 + ((n) >> 3), (n) & 7)
#define PMCR ENC(3, 3, 9, 12, 0)
#define PMCNTENSET ENC(3, 3, 9, 12, 1)
#define PMINTENSET ENC(3, 0, 9, 14, 1)
#define PMCCNTR ENC(3, 3, 9, 13, 0)
#define PMCCFILTR ENC(3, 3, 14, 15, 7)
#define FILTER_NSH BIT(27)

void hz_op_pmu(struct hz_cpu *c)
{
	u32 n = rnd_below(c, 32);
	bool ok = true;

	if (c->mmu)
		return;
	c->tried[K_pmu]++;
	switch (rnd_below(c, 4)) {
	case 0: /* any PMU register, any value */
		ok = put(c, pmu_regs[rnd_below(c, ARRAY_SIZE(pmu_regs))], rnd_value(c));
		break;
	case 1: /* an event counter or type by number, implemented or not */
		ok = put(c, chance(c, 2) ? PMEVCNTR(n) : PMEVTYPER(n),
			 rnd_value(c) | (chance(c, 2) ? FILTER_NSH : 0));
		break;
	case 2: /* counting, EL2 asked for, about to overflow, interrupts on */
		ok = put(c, n < 31 ? PMEVTYPER(n) : PMCCFILTR, FILTER_NSH | rnd_below(c, 0x40)) &&
		     put(c, n < 31 ? PMEVCNTR(n) : PMCCNTR, ~0UL - rnd_below(c, 4096)) &&
		     put(c, PMINTENSET, rnd_value(c) | BIT(n)) &&
		     put(c, PMCNTENSET, rnd_value(c) | BIT(n)) &&
		     put(c, PMCR, 1 | rnd_below(c, 0x100));
		break;
	default: /* stop it all again */
		ok = put(c, PMCR, rnd_below(c, 0x100) & ~1UL);
		break;
	}
	if (!ok)
		c->faulted[K_pmu]++;
}

/* ---- Debug ---- */

#define MDSCR ENC(2, 0, 0, 2, 2)
#define MDSCR_KDE BIT(13)
#define MDSCR_MDE BIT(15)
#define DBGBVR(n) ENC(2, 0, 0, n, 4)
#define DBGBCR(n) ENC(2, 0, 0, n, 5)
#define DBGWVR(n) ENC(2, 0, 0, n, 6)
#define DBGWCR(n) ENC(2, 0, 0, n, 7)
#define OSLAR ENC(2, 0, 1, 0, 4)

static const u16 debug_misc[] = {
	ENC(2, 0, 1, 0, 0),  /* MDRAR_EL1 (read-only) */
	ENC(2, 0, 1, 3, 4),  /* OSDLR_EL1 */
	ENC(2, 0, 1, 4, 4),  /* DBGPRCR_EL1 */
	ENC(2, 0, 7, 8, 6),  /* DBGCLAIMSET_EL1 */
	ENC(2, 0, 7, 9, 6),  /* DBGCLAIMCLR_EL1 */
	ENC(2, 0, 0, 2, 0),  /* MDCCINT_EL1 */
	ENC(2, 3, 0, 4, 0),  /* DBGDTR_EL0 */
	ENC(2, 0, 0, 0, 2),  /* OSDTRRX_EL1 */
	ENC(2, 0, 0, 6, 2),  /* OSECCR_EL1 */
};

/*
 * An address a breakpoint or watchpoint may hold while debug exceptions
 * are unmasked: its code page (which the armed instructions run from and
 * read), or anywhere outside its RAM. Never its other code, stack or
 * data: the recovery from the exception runs there, and would be stopped
 * again for good.
 */
static u64 debug_target(struct hz_cpu *c)
{
	u64 ipa = hz_pick_ipa(c);

	if (chance(c, 2) || hz_region(ipa) == R_RAM)
		return (u64)(uintptr_t)c->code + 4 * rnd_below(c, 4);
	return ipa;
}

void hz_op_debug(struct hz_cpu *c)
{
	static u32 brps, wrps;
	u32 n, insns[4];
	u64 target = debug_target(c);
	bool ok;

	if (c->mmu)
		return;
	if (!brps) {
		u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

		brps = FIELD_GET(dfr0, 15, 12) + 1;
		wrps = FIELD_GET(dfr0, 23, 20) + 1;
	}
	c->tried[K_debug]++;
	if (chance(c, 4)) { /* OS lock, power-down, claim, comms: any value */
		u32 e = chance(c, 3) ? OSLAR : debug_misc[rnd_below(c, ARRAY_SIZE(debug_misc))];

		if (!put(c, e, rnd_value(c)))
			c->faulted[K_debug]++;
		return;
	}
	/* One breakpoint (address match, all four bytes, at EL1 and EL0) or
	 * watchpoint (loads and stores of its bytes), armed and enabled. */
	if (chance(c, 2)) {
		n = rnd_below(c, brps);
		ok = put(c, DBGBVR(n), target & ~3UL) &&
		     put(c, DBGBCR(n), 0xfUL << 5 | (1 + rnd_below(c, 3)) << 1 | 1);
	} else {
		n = rnd_below(c, wrps);
		ok = put(c, DBGWVR(n), target & ~7UL) &&
		     put(c, DBGWCR(n), (1 + rnd_below(c, 255)) << 5 |
			 (1 + rnd_below(c, 3)) << 3 | (1 + rnd_below(c, 3)) << 1 | 1);
	}
	ok = ok && put(c, MDSCR, MDSCR_MDE | MDSCR_KDE | (rnd_value(c) & 0x7ffe & ~BIT(0)));
	if (ok) {
		/* Debug exceptions on for three instructions of its code page,
		 * one a load from the target; a debug exception ends the try
		 * (the recovery masks them again). */
		insns[0] = DAIFCLR_D;
		insns[1] = A64_LDR(0, 1);
		insns[2] = A64_NOP;
		insns[3] = DAIFSET_D;
		hz_run_code(c, insns, 4, 0,
			    hz_region(target) == R_RAM ? target & ~7UL : (u64)(uintptr_t)c->code);
	}
	if (!ok || c->exc)
		c->faulted[K_debug]++;
	/* Disarmed before anything else runs with them. */
	__asm__ volatile("msr daifset, #8" ::: "memory");
	put(c, MDSCR, 0);
	for (u32 i = 0; i < brps; i++)
		put(c, DBGBCR(i), 0);
	for (u32 i = 0; i < wrps; i++)
		put(c, DBGWCR(i), 0);
}
