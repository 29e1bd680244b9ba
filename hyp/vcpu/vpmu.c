/* The PMU per vCPU (see vpmu.h). */
#include "vpmu.h"
#include "hcr.h"
#include "mem.h"
#include "sysreg.h"
#include "vcpu.h"

#define PMCR_E BIT(0)
#define PMCR_P BIT(1) /* write-only: reset the event counters */
#define PMCR_C BIT(2) /* write-only: reset the cycle counter */
#define PMCR_WRITABLE 0xffUL /* E P C D X DP LC LP */
/* Filter bits no guest may set: count at EL2 (NSH), at EL3 (M), other
 * threads' events (MT), secure EL2 (SH). */
#define PMU_FILTER_HIDDEN (BIT(27) | BIT(26) | BIT(25) | BIT(24))
#define PMCCFILTR_INDEX 31

static enum {
	VPMU_ABSENT, /* no PMUv3: the registers are undefined for guests */
	VPMU_DIRECT, /* PMUv3p5: HPMD and HCCD */
	VPMU_TRAP,   /* before p5: every access emulated, filters cleaned */
} mode;
static bool has_hpmd; /* PMUv3p1 */
static u32 nr_counters; /* PMCR_EL0.N, also MDCR_EL2.HPMN */

void vpmu_init(void)
{
	u64 ver = FIELD_GET(read_sysreg(id_aa64dfr0_el1), 11, 8);

	if (ver == 0 || ver == 0xf) {
		mode = VPMU_ABSENT;
		return;
	}
	nr_counters = FIELD_GET(read_sysreg(pmcr_el0), 15, 11);
	has_hpmd = ver >= 4;
	mode = ver >= 6 ? VPMU_DIRECT : VPMU_TRAP;
}

u64 vpmu_mdcr(bool owner)
{
	u64 mdcr = nr_counters & MDCR_HPMN_MASK;

	if (has_hpmd)
		mdcr |= MDCR_HPMD;
	if (!owner || mode != VPMU_DIRECT)
		return mdcr | MDCR_TPM | MDCR_TPMCR;
	return mdcr | MDCR_HCCD;
}

void vpmu_reset(struct vcpu *v)
{
	memset(&v->lazy->pmu, 0, sizeof(v->lazy->pmu));
}

/* Every event counter below n, highest first (n <= 31). */
#define EV_SAVE(i)                                                    \
	case i + 1:                                                   \
		s->evcntr[i] = read_sysreg(pmevcntr##i##_el0);        \
		s->evtyper[i] = read_sysreg(pmevtyper##i##_el0);      \
		__attribute__((fallthrough))
#define EV_LOAD(i)                                                    \
	case i + 1:                                                   \
		write_sysreg(s->evcntr[i], pmevcntr##i##_el0);        \
		write_sysreg(s->evtyper[i], pmevtyper##i##_el0);      \
		__attribute__((fallthrough))
#define EV_ALL(X)                                                     \
	X(30); X(29); X(28); X(27); X(26); X(25); X(24); X(23);       \
	X(22); X(21); X(20); X(19); X(18); X(17); X(16); X(15);       \
	X(14); X(13); X(12); X(11); X(10); X(9); X(8); X(7);          \
	X(6); X(5); X(4); X(3); X(2); X(1); X(0)

/*
 * The vCPU leaves the CPU: its PMU state is kept, and the CPU's counters
 * stop (PMCR_EL0.E clear), so that they count nothing of whoever runs
 * next. Overflow flags stay as they are: no one takes PPI 23.
 */
void vpmu_save(struct vcpu *v)
{
	struct vpmu_state *s = &v->lazy->pmu;
	u64 pmcr = read_sysreg(pmcr_el0);

	write_sysreg(pmcr & ~PMCR_E & PMCR_WRITABLE & ~(PMCR_P | PMCR_C), pmcr_el0);
	s->pmcr = pmcr;
	s->pmselr = read_sysreg(pmselr_el0);
	s->pmuserenr = read_sysreg(pmuserenr_el0);
	s->pmcnten = read_sysreg(pmcntenset_el0);
	s->pminten = read_sysreg(pmintenset_el1);
	s->pmovs = read_sysreg(pmovsset_el0);
	s->pmccfiltr = read_sysreg(pmccfiltr_el0);
	s->pmccntr = read_sysreg(pmccntr_el0);
	switch (nr_counters) {
		EV_ALL(EV_SAVE);
	case 0:
		break;
	}
}

void vpmu_load(const struct vcpu *v)
{
	const struct vpmu_state *s = &v->lazy->pmu;
	u64 pmcr = s->pmcr & PMCR_WRITABLE & ~(PMCR_P | PMCR_C);

	/* Stopped while it is filled in; enabled last. */
	write_sysreg(pmcr & ~PMCR_E, pmcr_el0);
	switch (nr_counters) {
		EV_ALL(EV_LOAD);
	case 0:
		break;
	}
	write_sysreg(s->pmccntr, pmccntr_el0);
	write_sysreg(s->pmccfiltr, pmccfiltr_el0);
	write_sysreg(s->pmselr, pmselr_el0);
	write_sysreg(s->pmuserenr, pmuserenr_el0);
	write_sysreg(~0UL, pmcntenclr_el0);
	write_sysreg(s->pmcnten, pmcntenset_el0);
	write_sysreg(~0UL, pmintenclr_el1);
	write_sysreg(s->pminten, pmintenset_el1);
	write_sysreg(~0UL, pmovsclr_el0);
	write_sysreg(s->pmovs, pmovsset_el0);
	write_sysreg(pmcr, pmcr_el0);
}

/* ---- Trapped accesses ---- */

#define PMU(op1, crn, crm, op2) SYSREG_ENC(3, op1, crn, crm, op2)

static bool is_pmu_reg(u32 enc)
{
	u32 crn = SYSREG_ENC_CRN(enc), crm = SYSREG_ENC_CRM(enc);
	u32 top = enc & ~SYSREG_ENC(0, 0, 0xf, 0xf, 7); /* op0, op1 */

	if (top == SYSREG_ENC(3, 3, 0, 0, 0))
		return (crn == 9 && crm >= 12) || (crn == 14 && crm >= 8);
	/* PMINTENSET/CLR_EL1 and PMMIR_EL1 */
	return top == SYSREG_ENC(3, 0, 0, 0, 0) && crn == 9 && crm == 14;
}

/* Event counter or filter n through PMSELR_EL0 (n = 31: PMCCFILTR). */
static u64 indirect(u32 n, bool counter, bool read, u64 val)
{
	u64 sel = read_sysreg(pmselr_el0);

	write_sysreg(n, pmselr_el0);
	isb();
	if (counter) {
		if (read)
			val = read_sysreg(pmxevcntr_el0);
		else
			write_sysreg(val, pmxevcntr_el0);
	} else {
		if (read)
			val = read_sysreg(pmxevtyper_el0);
		else
			write_sysreg(val & ~PMU_FILTER_HIDDEN, pmxevtyper_el0);
	}
	write_sysreg(sel, pmselr_el0);
	isb();
	return val;
}

#define RW(reg)                                 \
	do {                                    \
		if (read)                       \
			*val = read_sysreg(reg); \
		else                            \
			write_sysreg(*val, reg); \
	} while (0)

/* The owner's access, on its registers in the CPU; false: undefined. */
static bool emulate(struct vcpu *v, u32 enc, bool read, u64 *val)
{
	u32 crm = SYSREG_ENC_CRM(enc), op2 = SYSREG_ENC_OP2(enc), n;

	switch (enc) {
	case PMU(3, 9, 12, 0): /* PMCR_EL0 */
		if (read)
			*val = read_sysreg(pmcr_el0);
		else
			write_sysreg(*val & PMCR_WRITABLE, pmcr_el0);
		return true;
	case PMU(3, 9, 12, 1): RW(pmcntenset_el0); return true;
	case PMU(3, 9, 12, 2): RW(pmcntenclr_el0); return true;
	case PMU(3, 9, 12, 3): RW(pmovsclr_el0); return true;
	case PMU(3, 9, 12, 4): /* PMSWINC_EL0, write-only */
		if (!read)
			write_sysreg(*val, pmswinc_el0);
		return !read;
	case PMU(3, 9, 12, 5): RW(pmselr_el0); return true;
	case PMU(3, 9, 12, 6): *val = read_sysreg(pmceid0_el0); return read;
	case PMU(3, 9, 12, 7): *val = read_sysreg(pmceid1_el0); return read;
	case PMU(3, 9, 13, 0): RW(pmccntr_el0); return true;
	case PMU(3, 9, 13, 1): /* PMXEVTYPER_EL0 */
	case PMU(3, 9, 13, 2): /* PMXEVCNTR_EL0 */
		n = read_sysreg(pmselr_el0) & 0x1f;
		if (n >= nr_counters && !(n == PMCCFILTR_INDEX && op2 == 1))
			return false;
		*val = indirect(n, op2 == 2, read, *val);
		return true;
	case PMU(3, 9, 14, 0): RW(pmuserenr_el0); return true;
	case PMU(3, 9, 14, 3): RW(pmovsset_el0); return true;
	case PMU(0, 9, 14, 1): RW(pmintenset_el1); return true;
	case PMU(0, 9, 14, 2): RW(pmintenclr_el1); return true;
	}
	if (SYSREG_ENC_CRN(enc) != 14)
		return false; /* PMMIR_EL1 and unallocated ones */
	n = (crm & 3) << 3 | op2;
	if (n >= nr_counters && !(n == PMCCFILTR_INDEX && crm >= 12))
		return false;
	*val = indirect(n, crm < 12, read, *val);
	return true;
}

enum sysreg_result vpmu_sysreg(struct vcpu *v, u32 enc, bool read, u64 *val)
{
	if (!is_pmu_reg(enc))
		return SYSREG_NOT_MINE;
	if (mode == VPMU_ABSENT)
		return SYSREG_UNDEF;
	if (!(v->claimed & CLAIMED_PMU)) {
		/* First touch: its own PMU (reset) goes into the CPU. */
		vpmu_load(v);
		vcpu_claimed(v, CLAIMED_PMU);
		if (mode == VPMU_DIRECT)
			return SYSREG_RETRY;
	}
	return emulate(v, enc, read, val) ? SYSREG_DONE : SYSREG_UNDEF;
}
