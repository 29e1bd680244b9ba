/*
 * GICv2 / GIC-400 specifics of the virtual GIC (Arm IHI 0048): list
 * registers in the GICH frame, the guest's CPU interface is the GICV frame
 * mapped at its GICC address (mm/stage2.c vm_windows), and the emulated
 * distributor with banked registers for each vCPU's SGIs and PPIs,
 * ITARGETSR and SGIs from GICD_SGIR.
 */
#include "vgic.h"
#include "gic_ops.h"
#include "guest_platform.h"
#include "mmio.h"
#include "platform.h"
#include "vm.h"

#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_ELRSR0 0x030
#define GICH_APR 0x0f0
#define GICH_LR0 0x100
#define GICH_HCR_EN BIT(0)
#define GICH_HCR_UIE BIT(1)

#define LR_HW BIT(31)
#define LR_GROUP1 BIT(30)
#define LR_ACTIVE BIT(29)
#define LR_PENDING BIT(28)
#define LR_EOI BIT(19)
#define LR_PRIORITY_SHIFT 23
#define LR_PINTID_SHIFT 10
#define LR_CPUID_SHIFT 10

static u64 gich(u32 reg)
{
	return platform.gic.gich + reg;
}

static u32 v2_nr_lrs(void)
{
	return (mmio_read32(gich(GICH_VTR)) & 0x3f) + 1;
}

static void v2_write_lr(u32 i, const struct vgic_lr *lr)
{
	u32 v = 0;

	if (lr) {
		v = (lr->intid & 0x3ff) | (u32)(lr->priority >> 3) << LR_PRIORITY_SHIFT |
		    (lr->group ? LR_GROUP1 : 0) | (lr->pending ? LR_PENDING : 0) |
		    (lr->active ? LR_ACTIVE : 0);
		if (lr->hw)
			v |= LR_HW | (u32)lr->pintid << LR_PINTID_SHIFT;
		else
			v |= (u32)(lr->source & 7) << LR_CPUID_SHIFT |
			     (lr->eoi_maintenance ? LR_EOI : 0);
	}
	mmio_write32(gich(GICH_LR0 + 4 * i), v);
}

static void v2_read_lr(u32 i, struct vgic_lr *lr)
{
	u32 v = mmio_read32(gich(GICH_LR0 + 4 * i));

	*lr = (struct vgic_lr){
		.intid = v & 0x3ff,
		.source = (v >> LR_CPUID_SHIFT) & 7,
		.pending = v & LR_PENDING,
		.active = v & LR_ACTIVE,
	};
}

static u32 v2_empty_lrs(void)
{
	return mmio_read32(gich(GICH_ELRSR0)); /* LRs 0-31; we use at most 16 */
}

static void v2_set_hcr(bool underflow)
{
	mmio_write32(gich(GICH_HCR), GICH_HCR_EN | (underflow ? GICH_HCR_UIE : 0));
}

static void v2_save(struct vgic_cpu *c)
{
	c->vmcr = mmio_read32(gich(GICH_VMCR));
	c->apr[0] = mmio_read32(gich(GICH_APR));
}

static void v2_load(const struct vgic_cpu *c)
{
	mmio_write32(gich(GICH_VMCR), (u32)c->vmcr);
	mmio_write32(gich(GICH_APR), c->apr[0]);
	v2_set_hcr(c->underflow);
}

/* ---- Distributor ---- */

#define GICD_CPENDSGIR 0x0f10
#define GICD_SPENDSGIR 0x0f20
#define GICD_PIDR2 0x0fe8
#define GIC_IIDR 0x0200043b /* an Arm GIC-400 */
#define PIDR2_V2 0x2b       /* ArchRev 2 */

/* The lowest-numbered targeted vCPU takes the interrupt. */
static u8 first_target(u8 targets)
{
	return targets ? (u8)__builtin_ctz(targets) : VGIC_NO_TARGET;
}

/* Every distributor read but GICD_CTLR's. Out of line, so that the
 * CTLR's path builds no frame. */
static u64 __attribute__((noinline)) dist_read_other(struct vcpu *v, u64 off,
						     unsigned size)
{
	struct vm *vm = v->vm;
	u32 reg, index, intid;
	u64 val = 0;

	if (off == GICD_TYPER) /* ITLinesNumber, CPUNumber */
		return (VGIC_NR_IRQS / 32 - 1) | (vm->nr_vcpus - 1) << 5;
	if (off == 0x8)
		return GIC_IIDR;
	if (off == GICD_PIDR2)
		return PIDR2_V2;
	if (vgic_irq_array(off, &reg, &index, &intid))
		return vgic_read_irq_reg(v, reg, index, size);
	if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + VGIC_NR_IRQS) {
		spin_lock(&vm->vgic.lock);
		for (u32 i = 0; i < size; i++) {
			intid = off - GICD_ITARGETSR + i;
			/* Private interrupts target the reader itself. */
			u8 t = intid < VGIC_NR_PRIVATE ? (u8)BIT(v->index) :
				vm->vgic.spi[intid - VGIC_NR_PRIVATE].targets_v2;

			val |= (u64)t << (8 * i);
		}
		spin_unlock(&vm->vgic.lock);
		return val;
	}
	/* Both read the pending sources of each SGI, a byte per SGI. */
	if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 16) {
		u32 first = (off - GICD_CPENDSGIR) % 16;

		spin_lock(&vm->vgic.lock);
		for (u32 i = 0; i < size; i++)
			val |= (u64)v->vgic.priv[first + i].sgi_src << (8 * i);
		spin_unlock(&vm->vgic.lock);
	}
	return val;
}

static u64 dist_read(struct vcpu *v, u64 off, unsigned size)
{
	if (off == GICD_CTLR)
		return v->vm->vgic.ctlr;
	return dist_read_other(v, off, size);
}

static void write_targets(struct vcpu *v, u64 off, unsigned size, u64 val)
{
	struct vm *vm = v->vm;

	spin_lock(&vm->vgic.lock);
	for (u32 i = 0; i < size; i++) {
		u32 intid = off - GICD_ITARGETSR + i;

		if (intid < VGIC_NR_PRIVATE || intid >= VGIC_NR_IRQS)
			continue; /* read-only for SGIs and PPIs */
		/* Bits for vCPUs the VM does not have read as zero. */
		u8 t = (val >> (8 * i)) & (BIT(vm->nr_vcpus) - 1);

		vm->vgic.spi[intid - VGIC_NR_PRIVATE].targets_v2 = t;
		vgic_route(vm, intid, first_target(t));
	}
	spin_unlock(&vm->vgic.lock);
}

static void write_sgir(struct vcpu *v, u32 val)
{
	u64 mask;

	/* vgic_send_sgi drops the bits of vCPUs the VM does not have. */
	switch ((val >> 24) & 3) { /* TargetListFilter */
	case 0: mask = (val >> 16) & 0xff; break;
	case 1: mask = ~BIT(v->index); break;
	case 2: mask = BIT(v->index); break;
	default: return;
	}
	vgic_send_sgi(v, val & 0xf, mask, false);
}

/* Every distributor write but GICD_SGIR's. Out of line, so that the IPI's
 * path builds no frame and ends in a tail call to vgic_send_sgi. */
static void __attribute__((noinline)) dist_write_other(struct vcpu *v, u64 off,
						       unsigned size, u64 val)
{
	struct vm *vm = v->vm;
	u32 reg, index, intid;

	if (off == GICD_CTLR) {
		vgic_set_ctlr(vm, val & 3);
	} else if (vgic_irq_array(off, &reg, &index, &intid)) {
		vgic_write_irq_reg(v, reg, index, size, val);
	} else if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + VGIC_NR_IRQS) {
		write_targets(v, off, size, val);
	} else if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 16) {
		bool set = off >= GICD_SPENDSGIR;
		u32 first = off - (set ? GICD_SPENDSGIR : GICD_CPENDSGIR);

		spin_lock(&vm->vgic.lock);
		for (u32 i = 0; i < size && first + i < 16; i++) {
			u8 bits = (val >> (8 * i)) & (BIT(vm->nr_vcpus) - 1);
			struct virq *irq = &v->vgic.priv[first + i];

			irq->sgi_src = set ? irq->sgi_src | bits : irq->sgi_src & ~bits;
			vgic_update(vm, v, first + i);
		}
		spin_unlock(&vm->vgic.lock);
	}
}

static void dist_write(struct vcpu *v, u64 off, unsigned size, u64 val)
{
	if (off == GICD_SGIR) /* the IPI path: first */
		write_sgir(v, (u32)val);
	else
		dist_write_other(v, off, size, val);
}

static void v2_init_vm(struct vm *vm)
{
	static const struct mmio_region dist = {
		.name = "GIC distributor",
		.base = VIRT_GICD_BASE,
		.size = VIRT_GICD_SIZE,
		.read = dist_read,
		.write = dist_write,
	};

	mmio_add_region(vm, &dist);
}

const struct vgic_ops vgic_v2_ops = {
	.nr_lrs = v2_nr_lrs,
	.write_lr = v2_write_lr,
	.read_lr = v2_read_lr,
	.empty_lrs = v2_empty_lrs,
	.set_hcr = v2_set_hcr,
	.save = v2_save,
	.load = v2_load,
	.init_vm = v2_init_vm,
};
