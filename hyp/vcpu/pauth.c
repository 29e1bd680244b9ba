/* Pointer-authentication keys per vCPU (see pauth.h). */
#include "pauth.h"
#include "sysreg.h"
#include "vcpu.h"

/* Key registers: op0 3, op1 0, CRn 2, CRm 1-3 (Arm ARM D17.2). */
#define PAUTH_KEYS(X)                   \
	X(0, S3_0_C2_C1_0); /* APIAKeyLo */ \
	X(1, S3_0_C2_C1_1); /* APIAKeyHi */ \
	X(2, S3_0_C2_C1_2); /* APIBKeyLo */ \
	X(3, S3_0_C2_C1_3); /* APIBKeyHi */ \
	X(4, S3_0_C2_C2_0); /* APDAKeyLo */ \
	X(5, S3_0_C2_C2_1); /* APDAKeyHi */ \
	X(6, S3_0_C2_C2_2); /* APDBKeyLo */ \
	X(7, S3_0_C2_C2_3); /* APDBKeyHi */ \
	X(8, S3_0_C2_C3_0); /* APGAKeyLo */ \
	X(9, S3_0_C2_C3_1)  /* APGAKeyHi */

#define SAVE_KEY(i, reg) (v->lazy->pauth.key[i] = read_sysreg(reg))
#define LOAD_KEY(i, reg) write_sysreg(v->lazy->pauth.key[i], reg)

bool cpu_has_pauth(void)
{
	static int known = -1; /* every CPU alike; read once */

	if (known < 0) {
		u64 isar1 = read_sysreg(id_aa64isar1_el1);
		/* ID_AA64ISAR2_EL1: RAZ where not implemented (ID space). */
		u64 isar2 = read_sysreg(S3_0_C0_C6_2);

		/* APA, API, GPA or GPI: address or generic authentication;
		 * or APA3, GPA3 (QARMA3 only, FEAT_PACQARMA3): guests that
		 * see it there use the keys too, which must then be theirs,
		 * not undefined. */
		known = (isar1 & (0xffUL << 4 | 0xffUL << 24)) != 0 ||
			(isar2 & (0xffUL << 8)) != 0;
	}
	return known;
}

void pauth_save(struct vcpu *v)
{
	PAUTH_KEYS(SAVE_KEY);
}

void pauth_load(const struct vcpu *v)
{
	PAUTH_KEYS(LOAD_KEY);
}

/*
 * The vCPU runs and its first use trapped: the CPU's keys are whoever used
 * them last, so its own (zero after reset) go in before the traps come off.
 * No ISB before the ERET: an exception return synchronises the context.
 */
void pauth_trap(struct vcpu *v)
{
	pauth_load(v);
	vcpu_claimed(v, CLAIMED_PAUTH);
}

enum sysreg_result pauth_sysreg(struct vcpu *v, u32 enc)
{
	u32 op1_crn = enc & ~(SYSREG_ENC(0, 0, 0, 0xf, 7));

	if (op1_crn != SYSREG_ENC(3, 0, 2, 0, 0) || SYSREG_ENC_CRM(enc) < 1 ||
	    SYSREG_ENC_CRM(enc) > 3)
		return SYSREG_NOT_MINE;
	if (!cpu_has_pauth())
		return SYSREG_UNDEF;
	pauth_trap(v);
	return SYSREG_RETRY;
}
