/*
 * Trapped system register accesses (ESR_EL2.EC 0x18). HCR_EL2.TID3 traps
 * the ID registers so that features the hypervisor does not give guests
 * (SVE, SME, MTE, activity monitors, MPAM, LORegions, trace) read as
 * absent, and the physical address size reads as the VM's IPA size.
 * Set/way cache maintenance (HCR_EL2.TSW) is emulated on the VM's own
 * memory (setway.c); the RAS error record registers (HCR_EL2.TERR) read
 * as a node with no records. Pointer-authentication keys, PMU and debug
 * registers trap until a vCPU first uses them, and then become its own
 * (pauth.c, vpmu.c, vdebug.c). Anything else a guest reaches here, the
 * IMPLEMENTATION DEFINED registers (HCR_EL2.TIDCP), LORegions
 * (HCR_EL2.TLOR) and trace (CPTR_EL2.TTA) among them, is undefined for it.
 */
#include "esr.h"
#include "inject.h"
#include "setway.h"
#include "sysreg.h"
#include "sysreg_access.h"
#include "trap.h"
#include "vgic.h"
#include "vm.h"

/* ISS of a trapped MSR/MRS (Arm ARM D17.2.37, ISS encoding for EC 0x18). */
#define ISS_OP0(iss) (((iss) >> 20) & 3)
#define ISS_OP2(iss) (((iss) >> 17) & 7)
#define ISS_OP1(iss) (((iss) >> 14) & 7)
#define ISS_CRN(iss) (((iss) >> 10) & 0xf)
#define ISS_RT(iss) (((iss) >> 5) & 0x1f)
#define ISS_CRM(iss) (((iss) >> 1) & 0xf)
#define ISS_READ(iss) ((iss) & 1)

#define ID(crm, op2) ((crm) << 3 | (op2))
#define ID_CASE(crm, op2) \
	case ID(crm, op2): return read_sysreg(S3_0_C0_C##crm##_##op2)

/* The ID register at op0=3, op1=0, CRn=0, CRm, op2, as the CPU has it. */
static u64 read_id_reg(unsigned crm, unsigned op2)
{
	switch (ID(crm, op2)) {
	ID_CASE(1, 0); ID_CASE(1, 1); ID_CASE(1, 2); ID_CASE(1, 3);
	ID_CASE(1, 4); ID_CASE(1, 5); ID_CASE(1, 6); ID_CASE(1, 7);
	ID_CASE(2, 0); ID_CASE(2, 1); ID_CASE(2, 2); ID_CASE(2, 3);
	ID_CASE(2, 4); ID_CASE(2, 5); ID_CASE(2, 6); ID_CASE(2, 7);
	ID_CASE(3, 0); ID_CASE(3, 1); ID_CASE(3, 2); ID_CASE(3, 4);
	ID_CASE(3, 5); ID_CASE(3, 6);
	ID_CASE(4, 0); ID_CASE(4, 1); ID_CASE(4, 2);
	ID_CASE(5, 0); ID_CASE(5, 1); ID_CASE(5, 4); ID_CASE(5, 5);
	ID_CASE(6, 0); ID_CASE(6, 1); ID_CASE(6, 2);
	ID_CASE(7, 0); ID_CASE(7, 1); ID_CASE(7, 2); ID_CASE(7, 3);
	default:
		return 0; /* unallocated ID registers read as zero */
	}
}

static u64 pa_range_field(unsigned bits)
{
	static const u8 sizes[] = { 32, 36, 40, 42, 44, 48, 52 };

	for (u64 i = 0; i < ARRAY_SIZE(sizes); i++)
		if (sizes[i] >= bits)
			return i;
	return 5;
}

/* What the guest sees: the CPU's value with hidden features cleared. */
static u64 guest_id_reg(struct vcpu *v, unsigned crm, unsigned op2)
{
	u64 val = read_id_reg(crm, op2);

	switch (ID(crm, op2)) {
	case ID(4, 0): /* ID_AA64PFR0_EL1: SVE, MPAM, AMU, RME */
		val &= ~(0xfUL << 32 | 0xfUL << 40 | 0xfUL << 44 | 0xfUL << 52);
		break;
	case ID(4, 1): /* ID_AA64PFR1_EL1: MTE, MPAM_frac, SME */
		val &= ~(0xfUL << 8 | 0xfUL << 16 | 0xfUL << 24);
		break;
	case ID(4, 4): /* ID_AA64ZFR0_EL1 (SVE) */
	case ID(4, 5): /* ID_AA64SMFR0_EL1 (SME) */
		val = 0;
		break;
	case ID(5, 0): /* ID_AA64DFR0_EL1: TraceVer (CPTR_EL2.TTA traps it) */
		val &= ~(0xfUL << 4);
		break;
	case ID(7, 0): /* ID_AA64MMFR0_EL1: the VM's physical address size */
		val = (val & ~0xfUL) | pa_range_field(v->vm->mem.ipa_bits);
		break;
	case ID(7, 1): /* ID_AA64MMFR1_EL1: LO (HCR_EL2.TLOR traps it) */
		val &= ~(0xfUL << 16);
		break;
	}
	return val;
}

/* DC ISW, DC CSW, DC CISW: op0 1, op1 0, CRn 7, CRm 6/10/14, op2 2. */
static bool is_setway(u64 iss)
{
	unsigned crm = ISS_CRM(iss);

	return ISS_OP0(iss) == 1 && ISS_OP1(iss) == 0 && ISS_CRN(iss) == 7 &&
	       ISS_OP2(iss) == 2 && (crm == 6 || crm == 10 || crm == 14) &&
	       !ISS_READ(iss);
}

/*
 * The RAS error record registers (FEAT_RAS; op0 3, op1 0, CRn 5, CRm 3-5):
 * ERRIDR_EL1.NUM = 0, a node with no error records, as KVM shows it, so
 * ERRSELR_EL1 and the ERX* registers are RAZ/WI (Arm ARM D17.2.45). The
 * physical records stay the hypervisor's: they describe the whole machine.
 */
static bool is_error_record(u64 iss)
{
	unsigned crm = ISS_CRM(iss);

	return ISS_OP0(iss) == 3 && ISS_OP1(iss) == 0 && ISS_CRN(iss) == 5 &&
	       crm >= 3 && crm <= 5;
}

/* A register that is the vCPU's own once it has used it. */
static enum sysreg_result __attribute__((noinline)) owned_sysreg(struct vcpu *v, u64 iss)
{
	u32 enc = SYSREG_ENC(ISS_OP0(iss), ISS_OP1(iss), ISS_CRN(iss),
			     ISS_CRM(iss), ISS_OP2(iss));
	unsigned rt = ISS_RT(iss);
	bool read = ISS_READ(iss);
	u64 val = read || rt == 31 ? 0 : v->regs.x[rt];
	enum sysreg_result r = pauth_sysreg(v, enc);

	if (r == SYSREG_NOT_MINE)
		r = vpmu_sysreg(v, enc, read, &val);
	if (r == SYSREG_NOT_MINE)
		r = vdebug_sysreg(v, enc, read, &val);
	if (r == SYSREG_DONE && read && rt != 31)
		v->regs.x[rt] = val;
	return r;
}

void handle_sysreg(struct vcpu *v, u64 esr)
{
	u64 iss = ESR_ISS(esr);
	unsigned rt = ISS_RT(iss);

	/* The vGIC's first (ICC_SGI1R_EL1 and the like: the IPI path); its
	 * registers are none of those below. */
	if (vgic_sysreg(v, iss)) {
		skip_instruction(v, esr);
		return;
	}
	if (is_setway(iss)) {
		setway_emulate(v, rt == 31 ? 0 : v->regs.x[rt]);
		skip_instruction(v, esr);
		return;
	}
	if (is_error_record(iss)) {
		if (ISS_READ(iss) && rt != 31)
			v->regs.x[rt] = 0;
		skip_instruction(v, esr);
		return;
	}

	if (ISS_OP0(iss) == 3 && ISS_OP1(iss) == 0 && ISS_CRN(iss) == 0 &&
	    ISS_CRM(iss) >= 1 && ISS_READ(iss)) {
		if (rt != 31)
			v->regs.x[rt] = guest_id_reg(v, ISS_CRM(iss), ISS_OP2(iss));
		skip_instruction(v, esr);
		return;
	}
	switch (owned_sysreg(v, iss)) {
	case SYSREG_DONE:
		skip_instruction(v, esr);
		return;
	case SYSREG_RETRY:
		return;
	default:
		break;
	}
	guest_log(v, "%s of system register S%u_%u_C%u_C%u_%u at PC 0x%lx: "
		  "not available to guests; injected an undefined instruction",
		  ISS_READ(iss) ? "read" : "write", (unsigned)ISS_OP0(iss),
		  (unsigned)ISS_OP1(iss), (unsigned)ISS_CRN(iss),
		  (unsigned)ISS_CRM(iss), (unsigned)ISS_OP2(iss), v->regs.pc);
	inject_undef(v);
}
