/* Per-physical-CPU state. TPIDR_EL2 holds this CPU's struct pcpu. */
#ifndef HYP_PERCPU_H
#define HYP_PERCPU_H

/* Offsets the vectors use; checked against the struct in percpu.c. */
#define PCPU_EMERGENCY_SP 0
#define PCPU_CURRENT_VCPU 8
#define PCPU_BP_HARDEN_FID 16
#define PCPU_EXIT_SERROR 24

#ifndef __ASSEMBLER__

#include "layout.h"
#include "sysreg.h"
#include "types.h"

struct vcpu;

struct pcpu {
	u64 emergency_sp;     /* top of emergency_stack, for stack overflows */
	struct vcpu *current; /* the vCPU this CPU runs, or NULL */
	/* The firmware call each guest exit makes first (Spectre, see
	 * mitigations.c), 0 for none; and what guests are told of each. */
	u64 bp_harden_fid;
	/* ESR of an SError taken while a guest exit synchronised them, 0 if
	 * none (vectors.S): the error belongs to the VM that exited. */
	u64 exit_serror;
	s32 guest_wa1, guest_wa2, guest_wa3;
	u32 index;            /* position in the board's CPU list */
	u64 mpidr;
	u8 emergency_stack[2048] __aligned(16);
};

extern struct pcpu pcpus[MAX_CPUS];

static inline struct pcpu *this_pcpu(void)
{
	return (struct pcpu *)read_sysreg(tpidr_el2);
}

static inline u32 this_cpu_index(void)
{
	struct pcpu *p = this_pcpu();

	return p ? p->index : 0; /* 0 before pcpu_init: only the boot CPU */
}

/* Points TPIDR_EL2 at CPU index's struct pcpu and fills it in. */
void pcpu_init(u32 index);

#endif /* __ASSEMBLER__ */
#endif
