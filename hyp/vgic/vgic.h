/*
 * The virtual GIC. Each VM has a distributor's worth of interrupt state,
 * each vCPU its SGIs and PPIs; guests program it through emulated
 * distributor (and GICv3 redistributor) windows, and receive interrupts
 * through the hardware's list registers, with the virtual CPU interface
 * (GICv3 ICV_* system registers, GICv2 GICV frame) under their control.
 *
 * Software state is authoritative between exits: on every exit the list
 * registers in use are read back and cleared (vgic_sync), and before every
 * entry the highest-priority interrupts the vCPU should see are written
 * into them (vgic_flush), active ones first. When more are waiting than
 * there are list registers, the underflow maintenance interrupt brings the
 * vCPU back as soon as they drain.
 */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H

#include "config.h"
#include "spinlock.h"
#include "types.h"

#define VGIC_NR_IRQS VM_NR_INTIDS /* INTIDs 0-255: SGIs, PPIs and 224 SPIs */
#define VGIC_NR_PRIVATE 32
#define VGIC_MAX_LRS 16
#define VGIC_NO_TARGET 0xff

struct vm;
struct vcpu;

struct virq {
	u8 priority;
	u8 group;
	u8 target;     /* SPIs: the vCPU index it is routed to */
	u8 targets_v2; /* GICv2 ITARGETSR byte */
	u8 sgi_src;    /* GICv2 SGIs: pending sources, one bit per vCPU */
	bool enabled;
	bool pending;  /* latched: an edge, a forwarded interrupt, ISPENDR */
	bool line;     /* the input line of a level-sensitive source */
	bool active;
	bool edge;
	bool hw;       /* backed by physical pintid, deactivated by the guest */
	u16 pintid;
	u64 irouter;   /* GICv3 IROUTER as written */
};

struct vgic_cpu {
	struct virq priv[VGIC_NR_PRIVATE];
	u64 cand[VGIC_NR_IRQS / 64]; /* pending-and-enabled or active */
	u32 lr_irq[VGIC_MAX_LRS];    /* what each list register held */
	u16 lr_used;                 /* list registers written at entry */
	u16 lr_latch;                /* ... holding a level interrupt's latch */
	bool underflow;              /* underflow maintenance requested */
	bool asleep;                 /* GICR_WAKER.ProcessorSleep */
	u64 vmcr;                    /* saved while another vCPU runs */
	u32 apr[8];
	bool timer_active[2];        /* physical PPIs 27 and 30 */
};

/* Whether a forwarded timer interrupt is up (INTIDs 27, 30): the exit
 * must look at the timer again (vgic_sync). */
static inline bool vgic_timer_up(const struct vgic_cpu *c)
{
	return c->priv[27].line | c->priv[30].line;
}

struct vgic_dist {
	spinlock_t lock;
	u32 ctlr;
	struct virq spi[VGIC_NR_IRQS - VGIC_NR_PRIVATE];
};

/* One list register, generation-independent. */
struct vgic_lr {
	u32 intid;
	u8 priority, group, source;
	bool pending, active, hw, eoi_maintenance;
	u16 pintid;
};

/* What each GIC generation supplies (vgic_v2.c, vgic_v3.c). */
struct vgic_ops {
	u32 (*nr_lrs)(void);
	void (*write_lr)(u32 i, const struct vgic_lr *lr);
	void (*read_lr)(u32 i, struct vgic_lr *lr);
	/* The list registers the GIC reports empty (ICH_ELRSR_EL2,
	 * GICH_ELRSR0): state invalid and no EOI maintenance owed. */
	u32 (*empty_lrs)(void);
	void (*set_hcr)(bool underflow);
	void (*save)(struct vgic_cpu *c);
	void (*load)(const struct vgic_cpu *c);
	void (*init_vm)(struct vm *vm);
	bool (*sysreg)(struct vcpu *v, u64 iss);
};
extern const struct vgic_ops vgic_v2_ops, vgic_v3_ops;

void vgic_init(void); /* boot CPU: pick the generation */
void vgic_init_vm(struct vm *vm);
void vgic_reset_vm(struct vm *vm);
void vgic_reset_vcpu(struct vcpu *v);

/* Around every stay in the guest. */
void vgic_sync(struct vcpu *v);
void vgic_flush(struct vcpu *v);
/* Around a vCPU switch on a shared CPU. */
void vgic_save(struct vcpu *v);
void vgic_load(struct vcpu *v);

/* When a descheduled vCPU's enabled timers fire, in physical counter
 * ticks (~0: never), so a CPU can wake for it. */
u64 vgic_timer_deadline(struct vcpu *v);

/* A trapped GIC system register access (ICC_SGI1R_EL1, ...). */
bool vgic_sysreg(struct vcpu *v, u64 iss);
/* A physical interrupt that belongs to a guest (its timers, a passed-
 * through device) or the maintenance interrupt: handled, true. */
bool vgic_forward(u32 token);

/* Generation-independent pieces the register emulation uses. */
struct virq *vgic_irq(struct vcpu *v, u32 intid);
struct vcpu *vgic_target(struct vm *vm, u32 intid, struct virq *irq);
/* Re-evaluates irq after a change and wakes the vCPU that should see it.
 * Call with the VM's vGIC lock held. */
void vgic_update(struct vm *vm, struct vcpu *owner, u32 intid);
/* Sends SGI sgi from src to every vCPU of its VM in mask (bit = index);
 * group0_only: to those where the SGI is Group 0 (ICC_SGI0R_EL1). */
void vgic_send_sgi(struct vcpu *src, u32 sgi, u64 mask, bool group0_only);

/* The registers the GICv2 distributor and the GICv3 distributor and
 * redistributor share: groups, enables, pending, active, priorities,
 * configuration. v is the vCPU whose SGIs and PPIs INTIDs 0-31 are; reg is
 * the register's offset in a distributor (GICD_IGROUPR, ...), index the
 * byte offset within its array. */
/* Whether distributor offset off lies in one of those arrays: which
 * register, the byte index in it, and the first INTID an access covers. */
bool vgic_irq_array(u64 off, u32 *reg, u32 *index, u32 *intid);
u64 vgic_read_irq_reg(struct vcpu *v, u32 reg, u32 index, unsigned size);
void vgic_write_irq_reg(struct vcpu *v, u32 reg, u32 index, unsigned size,
			u64 value);
/* GICD_CTLR's group enables. */
void vgic_set_ctlr(struct vm *vm, u32 ctlr);
/* Moves a routed SPI to vCPU target (VGIC_NO_TARGET: nowhere). */
void vgic_route(struct vm *vm, u32 intid, u8 target);

#endif
