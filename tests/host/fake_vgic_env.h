/*
 * Host fakes for what the virtual GIC (hyp/vgic/vgic.c, vgic_v2.c, vgic_v3.c)
 * calls outside itself: the physical GIC driver, the scheduler's kick and
 * loaded vCPU, the counter, the per-CPU pointer in TPIDR_EL2, the GICv3
 * ICH_* system registers (by name, see HOST_BUILD in sysreg.h) and, for
 * GICv2, a GICH frame in memory per CPU that platform.gic.gich points at.
 *
 * The fakes are strict: a call the vGIC should never make (a physical
 * interrupt the VM does not own, a list register the CPU does not have, a
 * system register nothing here expects) fails at once, naming the call and
 * what the test was doing (fake_gic.op).
 */
#ifndef FAKE_VGIC_ENV_H
#define FAKE_VGIC_ENV_H

#include "percpu.h"
#include "types.h"
#include "vgic.h"

#define FAKE_CPUS 4
#define FAKE_NR_INTIDS 1020 /* SGIs, PPIs, SPIs: what a token may name */
#define FAKE_GICH_WORDS (0x1000 / 4)
#define FAKE_NO_TOKEN 0xffffffffu
#define FAKE_GICH_ELRSR0_WORD (0x030 / 4)
#define FAKE_GICH_LR0_WORD (0x100 / 4)

struct fake_cpu {
	u64 ich_lr[VGIC_MAX_LRS]; /* ICH_LR<n>_EL2 */
	u64 ich_hcr, ich_vmcr, ich_apr[8], icc_sre;
	u64 cntv_ctl, cntp_ctl;    /* the loaded vCPU's EL1 timers */
	u32 gich[FAKE_GICH_WORDS]; /* GICv2: the GICH frame */
	bool ppi_active[32];       /* the physical SGIs and PPIs here */
	u32 kicks;                 /* sched_kick calls for this CPU */
	struct vcpu *loaded;       /* what sched_loaded answers */
};

struct fake_gic_env {
	struct fake_cpu cpu[FAKE_CPUS];
	u32 nr_cpus;
	u32 this_cpu; /* TPIDR_EL2 points at pcpus[this_cpu] */
	u32 list_regs; /* implemented list registers, 1-16 */
	u32 pre_bits;  /* GICv3 preemption bits, 5-7: 1, 2 or 4 APRs each */
	bool gicv2;    /* the list registers are the GICH frame's */

	/* The physical distributor's SPIs, and which the VM owns. */
	bool owned[FAKE_NR_INTIDS];
	bool enabled[FAKE_NR_INTIDS], active[FAKE_NR_INTIDS];
	bool level[FAKE_NR_INTIDS];
	u32 route[FAKE_NR_INTIDS];

	/* The token the interrupt handler holds (gic_eoi and gic_deactivate
	 * may name only it), and what was done with it. */
	u32 token;
	u32 eois, deactivations;

	u64 now; /* the counter, one tick a read */
	char op[200]; /* what the test is doing, for failure messages */
};

extern struct fake_gic_env fake_gic;
extern struct pcpu pcpus[MAX_CPUS];

/* Empties everything: nr_cpus CPUs with list_regs list registers and
 * pre_bits preemption bits each, no SPI owned, CPU 0 current. */
void fake_gic_reset(u32 nr_cpus, u32 list_regs, u32 pre_bits);
/* Makes cpu this CPU, running current (NULL: none). */
void fake_gic_set_cpu(u32 cpu, struct vcpu *current);

/* GICv2: sets cpu's GICH_ELRSR0 from its list registers, as the GIC
 * would (the frame is plain memory; GICv3's ICH_ELRSR_EL2 is computed
 * at each read). */
void fake_gic_update_elrsr(u32 cpu);

/* Reports a broken expectation with fake_gic.op and aborts. */
void fake_gic_fail(const char *fmt, ...) __printf(1, 2) __noreturn;

#endif
