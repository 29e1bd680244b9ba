/*
 * Speculation between VMs and into the hypervisor (see mitigations.h).
 *
 * On CPUs whose branch predictors a guest can train (Spectre variant 2:
 * Cortex-A57, A72, A73, A75; Spectre-BHB: those and later big cores), one
 * VM could steer the hypervisor's indirect branches, or another VM's, to
 * gadgets of its choice. Those cores have no architectural means to
 * discard the predictions; the firmware (TF-A at EL3) knows the core's own
 * way and offers it as SMCCC_ARCH_WORKAROUND_1 (predictors) and _3 (branch
 * history, which also does what _1 does). When the firmware says a
 * workaround is needed on a CPU, every guest exit on that CPU calls it
 * before the hypervisor takes an indirect branch (hyp/cpu/vectors.S):
 * this covers the switch between VMs too, which only happens after an exit.
 *
 * Guests are told the truth for the CPU their vCPU is pinned to: the
 * workaround is "implemented" when exits call it (a guest's own call is an
 * exit, so it returns with the work done), "not required" when the
 * firmware or the CPU's ID registers say this CPU is not affected, and
 * NOT_SUPPORTED when neither is known: a guest on an affected CPU behind
 * old firmware is exposed, and should say so. For speculative store
 * bypass, a dynamic firmware workaround is turned on for good at boot and
 * guests are told it is not required (it cannot be turned off under them).
 *
 * QEMU models no speculation and its built-in PSCI speaks no SMCCC 1.1, so
 * under QEMU no workaround is ever called; see docs/reliability.md.
 */
#include "mitigations.h"
#include "hypercall.h"
#include "log.h"
#include "percpu.h"
#include "platform.h"
#include "psci.h"
#include "sysreg.h"

/* Whether the firmware speaks SMCCC 1.1 (decided on the boot CPU). */
static bool fw_smccc_1_1;

/* SMCCC 1.1 discovery (DEN 0028 and PSCI 1.0): PSCI_FEATURES must know
 * SMCCC_VERSION before SMCCC_VERSION or ARCH_FEATURES may be called;
 * firmware without them could take the SMC as undefined. */
static bool probe_smccc_1_1(void)
{
	s64 v = smccc_call(SMCCC_SMC, PSCI_VERSION, 0, 0, 0);

	if (v < 0 || (v >> 16) < 1)
		return false;
	if (smccc_call(SMCCC_SMC, PSCI_FEATURES, SMCCC_VERSION, 0, 0) != 0)
		return false;
	return (s32)smccc_call(SMCCC_SMC, SMCCC_VERSION, 0, 0, 0) >= 0x10001;
}

static s32 fw_features(u32 fid)
{
	if (!fw_smccc_1_1)
		return SMCCC_NOT_SUPPORTED;
	return (s32)smccc_call(SMCCC_SMC, SMCCC_ARCH_FEATURES, fid, 0, 0);
}

#define MIDR_ARM 0x41
#define PART_A35 0xd04
#define PART_A53 0xd03
#define PART_A55 0xd05
#define PART_A57 0xd07
#define PART_A72 0xd08

static u64 midr_part(void)
{
	u64 midr = read_sysreg(midr_el1);

	return FIELD_GET(midr, 31, 24) == MIDR_ARM ? FIELD_GET(midr, 15, 4) : 0;
}

/* In-order Arm cores predict no indirect branches a guest can train. */
static bool in_order_core(void)
{
	u64 part = midr_part();

	return part == PART_A35 || part == PART_A53 || part == PART_A55;
}

/* ID_AA64PFR0_EL1.CSV2: branch targets trained in one context are not
 * used in another (>= 1); CSV2_3 (3): nor branch history. */
static u64 csv2(void)
{
	return FIELD_GET(read_sysreg(id_aa64pfr0_el1), 59, 56);
}

static bool unaffected_v2(void)
{
	return in_order_core() || csv2() >= 1;
}

static bool unaffected_bhb(void)
{
	/* ID_AA64MMFR1_EL1.ECBHB: history cleared on exception entry. */
	return in_order_core() || csv2() == 3 ||
	       FIELD_GET(read_sysreg(id_aa64mmfr1_el1), 63, 60) == 1;
}

void mitigations_probe(void)
{
	struct pcpu *p = this_pcpu();
	s32 wa1, wa2, wa3;

	/* A board that starts its CPUs by spin table may have nothing at
	 * EL3 to answer an SMC (the Raspberry Pi 4's stub): ask only PSCI
	 * firmware. */
	if (p->index == 0)
		fw_smccc_1_1 = platform.cpu_start == CPU_START_PSCI &&
			       probe_smccc_1_1();
	wa1 = fw_features(SMCCC_ARCH_WORKAROUND_1);
	wa2 = fw_features(SMCCC_ARCH_WORKAROUND_2);
	wa3 = fw_features(SMCCC_ARCH_WORKAROUND_3);

	p->bp_harden_fid = wa3 == WA_IMPLEMENTED ? SMCCC_ARCH_WORKAROUND_3 :
			   wa1 == WA_IMPLEMENTED ? SMCCC_ARCH_WORKAROUND_1 : 0;

	if (p->bp_harden_fid)
		p->guest_wa1 = WA_IMPLEMENTED;
	else if (wa1 == WA_NOT_REQUIRED_HERE || unaffected_v2())
		p->guest_wa1 = WA_NOT_REQUIRED_HERE;
	else
		p->guest_wa1 = SMCCC_NOT_SUPPORTED;

	if (wa3 == WA_IMPLEMENTED)
		p->guest_wa3 = WA_IMPLEMENTED;
	else if (wa3 == WA_NOT_REQUIRED_HERE || unaffected_bhb())
		p->guest_wa3 = WA_NOT_REQUIRED_HERE;
	else
		p->guest_wa3 = SMCCC_NOT_SUPPORTED;

	if (wa2 == WA_IMPLEMENTED) {
		/* Dynamic: on for good, whatever a guest asks. */
		smccc_call(SMCCC_SMC, SMCCC_ARCH_WORKAROUND_2, 1, 0, 0);
		p->guest_wa2 = WA_NOT_REQUIRED;
	} else if (wa2 == WA_NOT_REQUIRED_HERE || wa2 == WA_NOT_REQUIRED) {
		p->guest_wa2 = wa2;
	} else {
		p->guest_wa2 = SMCCC_NOT_SUPPORTED; /* guests use PSTATE.SSBS */
	}

	u64 part = midr_part();
	if (p->index == 0 && p->guest_wa1 == SMCCC_NOT_SUPPORTED &&
	    (part == PART_A57 || part == PART_A72))
		log_warn("CPU 0 is a Cortex-%s, which Spectre variant 2 "
			 "(CVE-2017-5715) affects, and the firmware offers no "
			 "SMCCC_ARCH_WORKAROUND_1: a guest may steer the "
			 "hypervisor's and other VMs' branch prediction; boot "
			 "through TF-A built with WORKAROUND_CVE_2017_5715=1%s",
			 part == PART_A57 ? "A57" : "A72",
			 platform.cpu_start == CPU_START_PSCI ? "" :
			 " (this board starts its CPUs by spin table: its "
			 "firmware was not asked)");
}

s64 mitigations_guest_features(u32 fid)
{
	struct pcpu *p = this_pcpu();

	switch (fid) {
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
		return 0;
	case SMCCC_ARCH_WORKAROUND_1:
		return p->guest_wa1;
	case SMCCC_ARCH_WORKAROUND_2:
		return p->guest_wa2;
	case SMCCC_ARCH_WORKAROUND_3:
		return p->guest_wa3;
	default:
		return SMCCC_NOT_SUPPORTED;
	}
}

s64 mitigations_guest_call(u32 fid)
{
	/* Supported whenever the answer to ARCH_FEATURES was not
	 * NOT_SUPPORTED: implemented (done at the exit) or not needed. */
	return mitigations_guest_features(fid) == SMCCC_NOT_SUPPORTED ?
		       SMCCC_NOT_SUPPORTED : 0;
}
