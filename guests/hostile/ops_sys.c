/*
 * System registers and instructions: MRS and MSR of every EL1 register it
 * can name and of random encodings (the hypervisor's trapped ones among
 * them: ID registers, ICC_SGI*R_EL1), SYS/SYSL with random operands (cache,
 * TLB and address-translation operations), PSTATE writes, hints and
 * barriers. Each runs from a page of instructions it writes, through
 * hz_try, so an undefined one comes back as an exception.
 *
 * Registers whose change would cut off its own code (SCTLR_EL1, VBAR_EL1,
 * the translation registers, SPSel, DAIF, ICC_SRE_EL1) get the random value
 * for one instruction and their own back at once. What must hold: no EL2
 * or EL3 register and no EL2 system instruction works from EL1.
 */
#include "hostile.h"

#define ENC(op0, op1, crn, crm, op2) \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
#define ENC_OP0(e) (((e) >> 14) & 3)
#define ENC_OP1(e) (((e) >> 11) & 7)
#define ENC_CRN(e) (((e) >> 7) & 15)
#define ENC_CRM(e) (((e) >> 3) & 15)
#define ENC_OP2(e) ((e) & 7)

/* Restored after a write. */
static const u16 fragile[] = {
	ENC(3, 0, 1, 0, 0),   /* SCTLR_EL1 */
	ENC(3, 0, 1, 0, 1),   /* ACTLR_EL1 */
	ENC(3, 0, 2, 0, 0),   /* TTBR0_EL1 */
	ENC(3, 0, 2, 0, 1),   /* TTBR1_EL1 */
	ENC(3, 0, 2, 0, 2),   /* TCR_EL1 */
	ENC(3, 0, 10, 2, 0),  /* MAIR_EL1 */
	ENC(3, 0, 12, 0, 0),  /* VBAR_EL1 */
	ENC(3, 0, 4, 2, 0),   /* SPSel */
	ENC(3, 3, 4, 2, 1),   /* DAIF */
	ENC(3, 0, 12, 12, 5), /* ICC_SRE_EL1 */
};
#define SCTLR_EL1_ENC ENC(3, 0, 1, 0, 0)
/* Even for one instruction, with stage 1 on these make its own code
 * unfetchable (WXN: it is writable; EE: its tables read big-endian), and
 * a fetch fault at EL1 that never reaches EL2 loops there for good. */
#define SCTLR_UNFETCHABLE (BIT(19) | BIT(25))

/* Reads that acknowledge an interrupt: ICC_IAR0_EL1, ICC_IAR1_EL1. */
#define ICC_IAR0 ENC(3, 0, 12, 8, 0)
#define ICC_IAR1 ENC(3, 0, 12, 12, 0)

/* The EL1 and EL0 registers it names (and some that a Cortex-A57 lacks). */
static const u16 named[] = {
	ENC(3, 0, 0, 0, 0), ENC(3, 0, 0, 0, 5), ENC(3, 0, 0, 0, 6),
	ENC(3, 0, 1, 0, 0), ENC(3, 0, 1, 0, 1), ENC(3, 0, 1, 0, 2),
	ENC(3, 0, 2, 0, 0), ENC(3, 0, 2, 0, 1), ENC(3, 0, 2, 0, 2),
	ENC(3, 0, 2, 1, 0), ENC(3, 0, 2, 1, 1), ENC(3, 0, 2, 2, 0), /* PAuth keys */
	ENC(3, 0, 4, 0, 0), ENC(3, 0, 4, 0, 1), ENC(3, 0, 4, 1, 0),
	ENC(3, 0, 4, 2, 0), ENC(3, 0, 4, 2, 2), ENC(3, 0, 4, 2, 3),
	ENC(3, 0, 4, 2, 4), ENC(3, 0, 4, 6, 0), ENC(3, 0, 5, 1, 0),
	ENC(3, 0, 5, 1, 1), ENC(3, 0, 5, 2, 0), ENC(3, 0, 5, 3, 0),
	ENC(3, 0, 5, 3, 1), ENC(3, 0, 5, 4, 0), ENC(3, 0, 5, 4, 1),
	ENC(3, 0, 5, 4, 2), ENC(3, 0, 5, 4, 3), ENC(3, 0, 6, 0, 0),
	ENC(3, 0, 7, 4, 0), ENC(3, 0, 9, 14, 1), ENC(3, 0, 9, 14, 2),
	ENC(3, 0, 10, 2, 0), ENC(3, 0, 10, 3, 0), ENC(3, 0, 10, 4, 0),
	ENC(3, 0, 10, 4, 7), ENC(3, 0, 12, 0, 0), ENC(3, 0, 12, 0, 1),
	ENC(3, 0, 12, 1, 0), ENC(3, 0, 12, 1, 1),
	/* GIC CPU interface: the virtual one behind these. */
	ENC(3, 0, 12, 8, 0), ENC(3, 0, 12, 8, 1), ENC(3, 0, 12, 8, 2),
	ENC(3, 0, 12, 8, 3), ENC(3, 0, 12, 8, 4), ENC(3, 0, 12, 8, 5),
	ENC(3, 0, 12, 9, 0), ENC(3, 0, 12, 9, 1), ENC(3, 0, 12, 11, 1),
	ENC(3, 0, 12, 11, 3), ENC(3, 0, 12, 11, 5), ENC(3, 0, 12, 11, 6),
	ENC(3, 0, 12, 11, 7), ENC(3, 0, 12, 12, 0), ENC(3, 0, 12, 12, 1),
	ENC(3, 0, 12, 12, 2), ENC(3, 0, 12, 12, 3), ENC(3, 0, 12, 12, 4),
	ENC(3, 0, 12, 12, 5), ENC(3, 0, 12, 12, 6), ENC(3, 0, 12, 12, 7),
	ENC(3, 0, 13, 0, 1), ENC(3, 0, 13, 0, 4), ENC(3, 0, 13, 0, 7),
	ENC(3, 0, 14, 1, 0),
	ENC(3, 1, 0, 0, 0), ENC(3, 1, 0, 0, 1), ENC(3, 1, 0, 0, 7),
	ENC(3, 2, 0, 0, 0), ENC(3, 3, 0, 0, 1), ENC(3, 3, 0, 0, 7),
	ENC(3, 3, 4, 2, 0), ENC(3, 3, 4, 2, 1), ENC(3, 3, 4, 2, 5),
	ENC(3, 3, 4, 2, 6), ENC(3, 3, 4, 4, 0), ENC(3, 3, 4, 4, 1),
	ENC(3, 3, 4, 5, 0), ENC(3, 3, 4, 5, 1),
	/* PMU */
	ENC(3, 3, 9, 12, 0), ENC(3, 3, 9, 12, 1), ENC(3, 3, 9, 12, 2),
	ENC(3, 3, 9, 12, 3), ENC(3, 3, 9, 12, 4), ENC(3, 3, 9, 12, 5),
	ENC(3, 3, 9, 12, 6), ENC(3, 3, 9, 12, 7), ENC(3, 3, 9, 13, 0),
	ENC(3, 3, 9, 13, 1), ENC(3, 3, 9, 13, 2), ENC(3, 3, 9, 14, 0),
	ENC(3, 3, 9, 14, 3), ENC(3, 3, 14, 8, 0), ENC(3, 3, 14, 12, 0),
	ENC(3, 3, 14, 15, 7),
	ENC(3, 3, 13, 0, 2), ENC(3, 3, 13, 0, 3),
	/* Timers */
	ENC(3, 3, 14, 0, 0), ENC(3, 3, 14, 0, 1), ENC(3, 3, 14, 0, 2),
	ENC(3, 3, 14, 2, 0), ENC(3, 3, 14, 2, 1), ENC(3, 3, 14, 2, 2),
	ENC(3, 3, 14, 3, 0), ENC(3, 3, 14, 3, 1), ENC(3, 3, 14, 3, 2),
	/* Debug */
	ENC(2, 0, 0, 0, 2), ENC(2, 0, 0, 2, 0), ENC(2, 0, 0, 2, 2),
	ENC(2, 0, 0, 3, 2), ENC(2, 0, 0, 6, 2), ENC(2, 0, 0, 0, 4),
	ENC(2, 0, 0, 0, 5), ENC(2, 0, 0, 0, 6), ENC(2, 0, 0, 0, 7),
	ENC(2, 0, 1, 0, 0), ENC(2, 0, 1, 0, 4), ENC(2, 0, 1, 1, 4),
	ENC(2, 0, 1, 3, 4), ENC(2, 0, 1, 4, 4), ENC(2, 0, 7, 8, 6),
	ENC(2, 0, 7, 9, 6), ENC(2, 0, 7, 14, 6), ENC(2, 3, 0, 1, 0),
	ENC(2, 3, 0, 4, 0), ENC(2, 3, 0, 5, 0),
	/* The hypervisor's and the secure monitor's: never from EL1. */
	ENC(3, 4, 1, 1, 0), ENC(3, 4, 1, 0, 0), ENC(3, 4, 2, 1, 0),
	ENC(3, 4, 12, 0, 0), ENC(3, 4, 12, 11, 0), ENC(3, 4, 12, 12, 0),
	ENC(3, 4, 12, 9, 5), ENC(3, 4, 14, 0, 3), ENC(3, 4, 4, 1, 0),
	ENC(3, 5, 1, 0, 0), ENC(3, 5, 14, 3, 1), ENC(3, 6, 1, 1, 0),
	ENC(3, 6, 12, 0, 0), ENC(2, 4, 0, 7, 0),
};

static bool in(const u16 *list, u32 n, u32 enc)
{
	for (u32 i = 0; i < n; i++)
		if (list[i] == enc)
			return true;
	return false;
}

/* The EL2 and EL3 encodings: UNDEFINED at EL1 without nested
 * virtualization, whatever the register. */
static bool above_el1(u32 enc)
{
	u32 op1 = ENC_OP1(enc);

	return op1 == 4 || op1 == 6 || (ENC_OP0(enc) == 3 && op1 == 5);
}

static u32 pick_enc(struct hz_cpu *c)
{
	switch (rnd_below(c, 4)) {
	case 0: case 1:
		return named[rnd_below(c, ARRAY_SIZE(named))];
	case 2: /* the ID register space, which TID3 traps */
		return ENC(3, 0, 0, rnd_below(c, 8), rnd_below(c, 8));
	default:
		return ENC(2 + rnd_below(c, 2), rnd_below(c, 8), rnd_below(c, 16),
			   rnd_below(c, 16), rnd_below(c, 8));
	}
}

static void name(char *buf, size_t size, u32 enc)
{
	fmt_snprintf(buf, size, "S%u_%u_C%u_C%u_%u", ENC_OP0(enc), ENC_OP1(enc),
		     ENC_CRN(enc), ENC_CRM(enc), ENC_OP2(enc));
}

static u32 mrs(u32 enc, u32 rt)
{
	return a64_sys(ENC_OP0(enc), ENC_OP1(enc), ENC_CRN(enc), ENC_CRM(enc),
		       ENC_OP2(enc), true, rt);
}

static u32 msr(u32 enc, u32 rt)
{
	return a64_sys(ENC_OP0(enc), ENC_OP1(enc), ENC_CRN(enc), ENC_CRM(enc),
		       ENC_OP2(enc), false, rt);
}

/* An interrupt acknowledged by a read is ended at once: left active, it
 * would keep its timer from ever waking it. */
static void end_acked(u32 enc, u64 iar)
{
	if ((iar & 0xffffff) >= 1020)
		return;
	if (enc == ICC_IAR1)
		write_sysreg(iar, S3_0_C12_C12_1);
	else
		write_sysreg(iar, S3_0_C12_C8_1);
	isb();
}

void hz_op_sysreg(struct hz_cpu *c, bool write)
{
	enum hz_kind k = write ? K_syswr : K_sysrd;
	u32 enc = pick_enc(c), insns[3];
	u64 val = rnd_value(c), got;
	char buf[24];

	if (c->mmu)
		return; /* its translation registers must not change under it */
	c->tried[k]++;
	if (!write) {
		insns[0] = mrs(enc, 0);
		got = hz_run_code(c, insns, 1, 0, 0);
		if (!c->exc && (enc == ICC_IAR0 || enc == ICC_IAR1))
			end_acked(enc, got);
	} else if (in(fragile, ARRAY_SIZE(fragile), enc)) {
		if (enc == SCTLR_EL1_ENC)
			val &= ~SCTLR_UNFETCHABLE;
		insns[0] = mrs(enc, 2);
		insns[1] = msr(enc, 1);
		insns[2] = msr(enc, 2);
		got = hz_run_code(c, insns, 3, 0, val);
	} else {
		if (chance(c, 2)) { /* a plausible value: the current one, changed */
			insns[0] = mrs(enc, 0);
			got = hz_run_code(c, insns, 1, 0, 0);
			if (!c->exc)
				val = got ^ BIT(rnd_below(c, 64));
		}
		insns[0] = msr(enc, 1);
		got = hz_run_code(c, insns, 1, 0, val);
	}
	if (c->exc) {
		c->faulted[k]++;
		return;
	}
	if (above_el1(enc)) {
		name(buf, sizeof(buf), enc);
		hz_finding(c, k, "%s of %s (an EL2/EL3 register) worked at EL1%s 0x%lx",
			   write ? "MSR" : "MRS", buf, write ? ": wrote" : ": read",
			   write ? val : got);
	}
}

/* DC ZVA, DC GVA, DC GZVA: they write memory, and hz_op_mem aims those. */
static bool zeroes(u32 op1, u32 crn, u32 crm, u32 op2)
{
	return op1 == 3 && crn == 7 && crm == 4 && (op2 == 1 || op2 == 3 || op2 == 4);
}

void hz_op_sys(struct hz_cpu *c)
{
	u32 op1 = chance(c, 2) ? rnd_below(c, 8) : (u32[]){ 0, 3, 4 }[rnd_below(c, 3)];
	u32 crn = chance(c, 4) ? rnd_below(c, 16) : 7 + rnd_below(c, 2);
	u32 crm = rnd_below(c, 16), op2 = rnd_below(c, 8);
	bool l = chance(c, 8);
	u32 insn = a64_sys(1, op1, crn, crm, op2, l, l ? 0 : 1);
	u64 arg = chance(c, 2) ? hz_pick_ipa(c) : rnd_value(c);

	if (c->mmu || zeroes(op1, crn, crm, op2))
		return;
	c->tried[K_sys]++;
	hz_run_code(c, &insn, 1, 0, arg);
	if (c->exc) {
		c->faulted[K_sys]++;
		return;
	}
	if (op1 == 4 || op1 == 6)
		hz_finding(c, K_sys, "%s #%u, C%u, C%u, #%u (an EL2/EL3 operation) worked at EL1",
			   l ? "SYSL" : "SYS", op1, crn, crm, op2);
}

#define MSR_IMM(op1, crm, op2) (0xd500401fU | (op1) << 16 | (crm) << 8 | (op2) << 5)
#define HINT(n) (0xd503201fU | (n) << 5)
#define BARRIER(crm, op2) (0xd503301fU | (crm) << 8 | (op2) << 5)

/* PSTATE writes (MSR immediate), hints and barriers. SPSel and DAIF are
 * put back by the next instructions; WFI and WFE hints are left out (a
 * wait needs its wake-up armed: hz_op_wfi, hz_op_wfe). */
void hz_op_pstate(struct hz_cpu *c)
{
	u32 insns[3], n = rnd_below(c, 16);

	if (c->mmu)
		return;
	switch (rnd_below(c, 4)) {
	case 0: case 1:
		insns[0] = MSR_IMM(rnd_below(c, 8), rnd_below(c, 16), rnd_below(c, 8));
		break;
	case 2:
		n = rnd_below(c, 128);
		insns[0] = HINT(n == 2 || n == 3 ? 0 : n);
		break;
	default:
		insns[0] = BARRIER(rnd_below(c, 16), rnd_below(c, 8));
		break;
	}
	insns[1] = MSR_IMM(3, 0xf, 6); /* DAIFSet: all masked */
	insns[2] = MSR_IMM(0, 1, 5);   /* SPSel: SP_EL1 */
	c->tried[K_pstate]++;
	hz_run_code(c, insns, 3, 0, 0);
	if (c->exc)
		c->faulted[K_pstate]++;
}
