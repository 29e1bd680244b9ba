/* Self-hosted debug state per vCPU (see vdebug.h). */
#include "vdebug.h"
#include "hcr.h"
#include "mem.h"
#include "probe.h"
#include "sysreg.h"
#include "vcpu.h"

static u32 nr_brps, nr_wrps; /* ID_AA64DFR0_EL1.BRPs + 1, WRPs + 1 */
static u64 trace_bits;       /* TTRF and TPMS where those features exist */
static bool has_claim;       /* DBGCLAIM (QEMU 7.2 lacks it) */

void vdebug_init(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

	has_claim = cpu_has_dbgclaim();
	nr_brps = FIELD_GET(dfr0, 15, 12) + 1;
	nr_wrps = FIELD_GET(dfr0, 23, 20) + 1;
	/* Trace filter and statistical profiling are given to no guest. */
	trace_bits = (FIELD_GET(dfr0, 43, 40) ? MDCR_TTRF : 0) |
		     (FIELD_GET(dfr0, 35, 32) ? MDCR_TPMS : 0);
}

u64 vdebug_mdcr(bool owner)
{
	return MDCR_TDOSA | MDCR_TDRA | trace_bits | (owner ? 0 : MDCR_TDA);
}

void vdebug_reset(struct vcpu *v)
{
	memset(&v->lazy->dbg, 0, sizeof(v->lazy->dbg));
	v->lazy->dbg.os_locked = true; /* locked at reset, as on a real CPU */
}

#define BP_SAVE(i)                                               \
	case i + 1:                                              \
		s->bvr[i] = read_sysreg(dbgbvr##i##_el1);        \
		s->bcr[i] = read_sysreg(dbgbcr##i##_el1);        \
		__attribute__((fallthrough))
#define BP_LOAD(i)                                               \
	case i + 1:                                              \
		write_sysreg(s->bvr[i], dbgbvr##i##_el1);        \
		write_sysreg(s->bcr[i], dbgbcr##i##_el1);        \
		__attribute__((fallthrough))
#define WP_SAVE(i)                                               \
	case i + 1:                                              \
		s->wvr[i] = read_sysreg(dbgwvr##i##_el1);        \
		s->wcr[i] = read_sysreg(dbgwcr##i##_el1);        \
		__attribute__((fallthrough))
#define WP_LOAD(i)                                               \
	case i + 1:                                              \
		write_sysreg(s->wvr[i], dbgwvr##i##_el1);        \
		write_sysreg(s->wcr[i], dbgwcr##i##_el1);        \
		__attribute__((fallthrough))
#define POINTS(X)                                                \
	X(15); X(14); X(13); X(12); X(11); X(10); X(9); X(8);    \
	X(7); X(6); X(5); X(4); X(3); X(2); X(1); X(0)

/*
 * The breakpoints stay in the CPU when the vCPU leaves: the next vCPU's
 * MDSCR_EL1 (its own, MDE and KDE clear unless it claimed debug and set
 * them) keeps them from firing, and a vCPU that claims loads its own.
 */
void vdebug_save(struct vcpu *v)
{
	struct vdebug_state *s = &v->lazy->dbg;

	switch (nr_brps) {
		POINTS(BP_SAVE);
	default:
		break;
	}
	switch (nr_wrps) {
		POINTS(WP_SAVE);
	default:
		break;
	}
	if (has_claim)
		s->claim = read_sysreg(dbgclaimclr_el1);
	s->mdccint = read_sysreg(mdccint_el1);
	s->os_locked = read_sysreg(oslsr_el1) & BIT(1);
}

void vdebug_load(const struct vcpu *v)
{
	const struct vdebug_state *s = &v->lazy->dbg;

	switch (nr_brps) {
		POINTS(BP_LOAD);
	default:
		break;
	}
	switch (nr_wrps) {
		POINTS(WP_LOAD);
	default:
		break;
	}
	if (has_claim) {
		write_sysreg(0xff, dbgclaimclr_el1);
		write_sysreg(s->claim, dbgclaimset_el1);
	}
	write_sysreg(s->mdccint, mdccint_el1);
	write_sysreg(s->os_locked, oslar_el1);
}

#define DBG(op1, crn, crm, op2) SYSREG_ENC(2, op1, crn, crm, op2)

enum sysreg_result vdebug_sysreg(struct vcpu *v, u32 enc, bool read, u64 *val)
{
	u32 op1 = (enc >> 11) & 7;
	bool claimed = false;

	/* op1 1 is trace (CPTR_EL2.TTA), op1 4 EL2's own registers. */
	if (enc >> 14 != 2 || (op1 != 0 && op1 != 3))
		return SYSREG_NOT_MINE;
	if (!(v->claimed & CLAIMED_DEBUG)) {
		/* First touch: its own debug state goes into the CPU. */
		claimed = true;
		vdebug_load(v);
		vcpu_claimed(v, CLAIMED_DEBUG);
	}
	switch (enc) {
	case DBG(0, 1, 0, 4): /* OSLAR_EL1 */
		if (!read)
			write_sysreg(*val & 1, oslar_el1);
		return read ? SYSREG_UNDEF : SYSREG_DONE;
	case DBG(0, 1, 1, 4): /* OSLSR_EL1 */
		if (read)
			*val = read_sysreg(oslsr_el1);
		return read ? SYSREG_DONE : SYSREG_UNDEF;
	case DBG(0, 1, 3, 4): /* OSDLR_EL1 */
	case DBG(0, 1, 4, 4): /* DBGPRCR_EL1 */
	case DBG(0, 1, 0, 0): /* MDRAR_EL1, read-only */
		if (read)
			*val = 0;
		return read || enc != DBG(0, 1, 0, 0) ? SYSREG_DONE : SYSREG_UNDEF;
	}
	/* A TDA register: the trap is off now. Trapped again once claimed,
	 * it is not one the CPU has. */
	return claimed ? SYSREG_RETRY : SYSREG_UNDEF;
}
