/*
 * GICv3 specifics of the virtual GIC (Arm IHI 0069): list registers and
 * the virtual CPU interface through ICH_*_EL2, the emulated distributor and
 * one redistributor per vCPU (RD and SGI frames), and SGIs from trapped
 * ICC_SGI1R_EL1 writes. Guests see a GICv3 without security (DS = 1),
 * affinity routing on, no LPIs.
 */
#include "vgic.h"
#include "gic_ops.h"
#include "guest_platform.h"
#include "sysreg.h"
#include "vm.h"

#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1)

#define LR_STATE_PENDING BIT(62)
#define LR_STATE_ACTIVE BIT(63)
#define LR_HW BIT(61)
#define LR_GROUP1 BIT(60)
#define LR_EOI BIT(41)
#define LR_PRIORITY_SHIFT 48
#define LR_PINTID_SHIFT 32

#define READ_LR(n) read_sysreg(S3_4_C12_C12_##n)
#define READ_LR_HI(n) read_sysreg(S3_4_C12_C13_##n)
#define WRITE_LR(n, v) write_sysreg(v, S3_4_C12_C12_##n)
#define WRITE_LR_HI(n, v) write_sysreg(v, S3_4_C12_C13_##n)

static u64 lr_read(u32 i)
{
	switch (i) {
	case 0: return READ_LR(0);
	case 1: return READ_LR(1);
	case 2: return READ_LR(2);
	case 3: return READ_LR(3);
	case 4: return READ_LR(4);
	case 5: return READ_LR(5);
	case 6: return READ_LR(6);
	case 7: return READ_LR(7);
	case 8: return READ_LR_HI(0);
	case 9: return READ_LR_HI(1);
	case 10: return READ_LR_HI(2);
	case 11: return READ_LR_HI(3);
	case 12: return READ_LR_HI(4);
	case 13: return READ_LR_HI(5);
	case 14: return READ_LR_HI(6);
	default: return READ_LR_HI(7);
	}
}

static void lr_write(u32 i, u64 v)
{
	if (i == 0) { /* mostly the only one in use: no jump table */
		WRITE_LR(0, v);
		return;
	}
	switch (i) {
	case 0: WRITE_LR(0, v); break;
	case 1: WRITE_LR(1, v); break;
	case 2: WRITE_LR(2, v); break;
	case 3: WRITE_LR(3, v); break;
	case 4: WRITE_LR(4, v); break;
	case 5: WRITE_LR(5, v); break;
	case 6: WRITE_LR(6, v); break;
	case 7: WRITE_LR(7, v); break;
	case 8: WRITE_LR_HI(0, v); break;
	case 9: WRITE_LR_HI(1, v); break;
	case 10: WRITE_LR_HI(2, v); break;
	case 11: WRITE_LR_HI(3, v); break;
	case 12: WRITE_LR_HI(4, v); break;
	case 13: WRITE_LR_HI(5, v); break;
	case 14: WRITE_LR_HI(6, v); break;
	default: WRITE_LR_HI(7, v); break;
	}
}

static u32 v3_nr_lrs(void)
{
	return (read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1; /* ICH_VTR_EL2 */
}

static void v3_write_lr(u32 i, const struct vgic_lr *lr)
{
	u64 v = 0;

	if (lr) {
		v = lr->intid | (u64)lr->priority << LR_PRIORITY_SHIFT |
		    (lr->group ? LR_GROUP1 : 0) |
		    (lr->pending ? LR_STATE_PENDING : 0) |
		    (lr->active ? LR_STATE_ACTIVE : 0);
		if (lr->hw)
			v |= LR_HW | (u64)lr->pintid << LR_PINTID_SHIFT;
		else if (lr->eoi_maintenance)
			v |= LR_EOI;
	}
	lr_write(i, v);
}

static void v3_read_lr(u32 i, struct vgic_lr *lr)
{
	u64 v = lr_read(i);

	*lr = (struct vgic_lr){
		.intid = (u32)v,
		.pending = v & LR_STATE_PENDING,
		.active = v & LR_STATE_ACTIVE,
	};
}

static u32 v3_empty_lrs(void)
{
	return (u32)read_sysreg(S3_4_C12_C11_5); /* ICH_ELRSR_EL2 */
}

static void v3_set_hcr(bool underflow)
{
	write_sysreg(ICH_HCR_EN | (underflow ? ICH_HCR_UIE : 0), S3_4_C12_C11_0);
}

/* Active-priority registers implemented: 1, 2 or 4 of each (PREbits). */
static u32 nr_aprs(void)
{
	u64 prebits = FIELD_GET(read_sysreg(S3_4_C12_C11_1), 28, 26) + 1;

	return 1u << (prebits - 5);
}

static void v3_save(struct vgic_cpu *c)
{
	u32 n = nr_aprs();

	c->vmcr = read_sysreg(S3_4_C12_C11_7); /* ICH_VMCR_EL2 */
	c->apr[0] = read_sysreg(S3_4_C12_C8_0);
	c->apr[4] = read_sysreg(S3_4_C12_C9_0);
	if (n > 1) {
		c->apr[1] = read_sysreg(S3_4_C12_C8_1);
		c->apr[5] = read_sysreg(S3_4_C12_C9_1);
	}
	if (n > 2) {
		c->apr[2] = read_sysreg(S3_4_C12_C8_2);
		c->apr[3] = read_sysreg(S3_4_C12_C8_3);
		c->apr[6] = read_sysreg(S3_4_C12_C9_2);
		c->apr[7] = read_sysreg(S3_4_C12_C9_3);
	}
}

static void v3_load(const struct vgic_cpu *c)
{
	u32 n = nr_aprs();

	write_sysreg(c->vmcr, S3_4_C12_C11_7);
	write_sysreg(c->apr[0], S3_4_C12_C8_0);
	write_sysreg(c->apr[4], S3_4_C12_C9_0);
	if (n > 1) {
		write_sysreg(c->apr[1], S3_4_C12_C8_1);
		write_sysreg(c->apr[5], S3_4_C12_C9_1);
	}
	if (n > 2) {
		write_sysreg(c->apr[2], S3_4_C12_C8_2);
		write_sysreg(c->apr[3], S3_4_C12_C8_3);
		write_sysreg(c->apr[6], S3_4_C12_C9_2);
		write_sysreg(c->apr[7], S3_4_C12_C9_3);
	}
	/* The guest uses the system-register interface (ICC_SRE_EL1.SRE). */
	write_sysreg(0x7, S3_0_C12_C12_5);
	v3_set_hcr(c->underflow);
	isb();
}

/* ---- Distributor ---- */

#define GICD_CTLR_DS BIT(6)
#define GICD_CTLR_ARE BIT(4)
#define GICD_PIDR2 0xffe8
#define GIC_IIDR 0x0000043b /* an Arm implementation */
#define PIDR2_V3 0x3b       /* ArchRev 3 */
#define IROUTER_IRM BIT(31)

static u8 route_target(struct vm *vm, u64 irouter)
{
	if (irouter & IROUTER_IRM)
		return 0; /* any vCPU: the first */
	struct vcpu *t = vm_vcpu_by_mpidr(vm, irouter & MPIDR_AFF_MASK);

	return t ? (u8)t->index : VGIC_NO_TARGET;
}

/* Every distributor read but GICD_CTLR's. Out of line, so that the
 * CTLR's path (Linux polls its RWP bit) builds no frame. */
static u64 __attribute__((noinline)) dist_read_other(struct vcpu *v, u64 off,
						     unsigned size)
{
	struct vm *vm = v->vm;
	u32 reg, index, intid;

	if (off == GICD_TYPER) /* ITLinesNumber; 10 INTID bits */
		return (VGIC_NR_IRQS / 32 - 1) | 9 << 19;
	if (off == 0x8) /* GICD_IIDR */
		return GIC_IIDR;
	if (off == GICD_PIDR2)
		return PIDR2_V3;
	if (off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE &&
	    off < GICD_IROUTER + 8 * VGIC_NR_IRQS) {
		u64 r = vm->vgic.spi[(off - GICD_IROUTER) / 8 - VGIC_NR_PRIVATE].irouter;

		return (off & 4) ? r >> 32 : (size == 8 ? r : (u32)r);
	}
	/* With affinity routing, INTIDs 0-31 live in the redistributors. */
	if (vgic_irq_array(off, &reg, &index, &intid) && intid >= VGIC_NR_PRIVATE)
		return vgic_read_irq_reg(v, reg, index, size);
	return 0;
}

static u64 dist_read(struct vcpu *v, u64 off, unsigned size)
{
	if (off == GICD_CTLR)
		return v->vm->vgic.ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	return dist_read_other(v, off, size);
}

static void dist_write(struct vcpu *v, u64 off, unsigned size, u64 val)
{
	struct vm *vm = v->vm;
	u32 reg, index, intid;

	if (off == GICD_CTLR) {
		vgic_set_ctlr(vm, val & 3); /* EnableGrp0, EnableGrp1 */
		return;
	}
	if (off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE &&
	    off < GICD_IROUTER + 8 * VGIC_NR_IRQS) {
		struct virq *irq;

		intid = (off - GICD_IROUTER) / 8;
		irq = &vm->vgic.spi[intid - VGIC_NR_PRIVATE];
		spin_lock(&vm->vgic.lock);
		if (size == 8)
			irq->irouter = val;
		else if (off & 4)
			irq->irouter = (irq->irouter & 0xffffffffUL) | val << 32;
		else
			irq->irouter = (irq->irouter & ~0xffffffffUL) | (u32)val;
		irq->irouter &= MPIDR_AFF_MASK | IROUTER_IRM;
		vgic_route(vm, intid, route_target(vm, irq->irouter));
		spin_unlock(&vm->vgic.lock);
		return;
	}
	if (vgic_irq_array(off, &reg, &index, &intid) && intid >= VGIC_NR_PRIVATE)
		vgic_write_irq_reg(v, reg, index, size, val);
}

/* ---- Redistributors: an RD frame and an SGI frame per vCPU ---- */

#define GICR_FRAME 0x10000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_TYPER_LAST BIT(4)
#define WAKER_PROCESSOR_SLEEP BIT(1)
#define WAKER_CHILDREN_ASLEEP BIT(2)

static u64 rd_typer(const struct vcpu *t)
{
	u64 aff = t->vmpidr & 0xffffff;

	return aff << 32 | (u64)t->index << 8 |
	       (t->index == t->vm->nr_vcpus - 1 ? GICR_TYPER_LAST : 0);
}

/* The vCPU whose frames hold off, and the offset within its RD frame
 * (SGI-frame offsets come back with GICR_FRAME added). */
static struct vcpu *rd_vcpu(struct vcpu *v, u64 *off)
{
	u32 i = *off / (2 * GICR_FRAME);

	*off %= 2 * GICR_FRAME;
	return i < v->vm->nr_vcpus ? &v->vm->vcpus[i] : NULL;
}

/* The part of an access at off in the SGI frame that stays in its arrays
 * of INTIDs 0-31: what follows them there is reserved (RAZ/WI), not the
 * distributor's SPIs, so a 64-bit access to GICR_ISENABLER0 is a 32-bit
 * one to it. */
static unsigned sgi_frame_size(u64 off, unsigned size)
{
	u32 reg, index, intid;

	while (size > 1 && !(vgic_irq_array(off + size - 1, &reg, &index, &intid) &&
			     intid < VGIC_NR_PRIVATE))
		size /= 2;
	return size;
}

static u64 redist_read(struct vcpu *v, u64 off, unsigned size)
{
	struct vcpu *t = rd_vcpu(v, &off);
	u32 reg, index, intid;

	if (!t)
		return 0;
	if (off >= GICR_FRAME) {
		if (vgic_irq_array(off - GICR_FRAME, &reg, &index, &intid) &&
		    intid < VGIC_NR_PRIVATE)
			return vgic_read_irq_reg(t, reg, index,
						 sgi_frame_size(off - GICR_FRAME, size));
		return 0;
	}
	switch (off) {
	case 0x4: /* GICR_IIDR */
		return GIC_IIDR;
	case GICR_TYPER:
		return size == 8 ? rd_typer(t) : (u32)rd_typer(t);
	case GICR_TYPER + 4:
		return rd_typer(t) >> 32;
	case GICR_WAKER:
		return t->vgic.asleep ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
	case GICD_PIDR2:
		return PIDR2_V3;
	default:
		return 0; /* GICR_CTLR (no LPIs), STATUSR, reserved */
	}
}

static void redist_write(struct vcpu *v, u64 off, unsigned size, u64 val)
{
	struct vcpu *t = rd_vcpu(v, &off);
	u32 reg, index, intid;

	if (!t)
		return;
	if (off >= GICR_FRAME) {
		if (vgic_irq_array(off - GICR_FRAME, &reg, &index, &intid) &&
		    intid < VGIC_NR_PRIVATE)
			vgic_write_irq_reg(t, reg, index,
					   sgi_frame_size(off - GICR_FRAME, size), val);
		return;
	}
	if (off == GICR_WAKER)
		t->vgic.asleep = val & WAKER_PROCESSOR_SLEEP;
}

/* ---- SGIs: ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1 writes ---- */

#define ISS_SYSREG(iss) ((iss) & 0x3ffc1e) /* op0 op2 op1 CRn CRm */
#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define ISS_SGI1R SYSREG_ISS(3, 0, 12, 11, 5)
#define ISS_ASGI1R SYSREG_ISS(3, 0, 12, 11, 6)
#define ISS_SGI0R SYSREG_ISS(3, 0, 12, 11, 7)

/* ICC_SGI1R_EL1's Aff3 (55:48), RS (47:44), Aff2 (39:32), Aff1 (23:16). */
#define SGI1R_AFF321_RS 0x00fff0ff00ff0000UL

static bool v3_sysreg(struct vcpu *v, u64 iss)
{
	u64 sys = ISS_SYSREG(iss);

	if ((sys != ISS_SGI1R && sys != ISS_ASGI1R && sys != ISS_SGI0R) ||
	    (iss & 1)) /* reads of these are UNDEFINED */
		return false;
	u32 rt = (iss >> 5) & 0x1f;
	u64 val = rt == 31 ? 0 : v->regs.x[rt];
	u64 mask = 0;

	if (val & BIT(40)) { /* IRM: every vCPU but the sender */
		mask = (BIT(v->vm->nr_vcpus) - 1) & ~BIT(v->index);
	} else if (!(val & SGI1R_AFF321_RS)) {
		/* vCPU i has affinity 0.0.0.i (vm.c): with Aff3-1 and RS zero
		 * the target list is the mask (the common case, first). */
		mask = val & (BIT(v->vm->nr_vcpus) - 1);
	} else {
		u64 aff321 = ((val >> 48) & 0xff) << 32 | ((val >> 32) & 0xff) << 16 |
			     ((val >> 16) & 0xff) << 8;
		u32 base = ((val >> 44) & 0xf) * 16; /* RS: range of Aff0 */

		for (u32 i = 0; aff321 && i < v->vm->nr_vcpus; i++) {
			u64 m = v->vm->vcpus[i].vmpidr & MPIDR_AFF_MASK;
			u32 aff0 = m & 0xff;

			if ((m & ~0xffUL) == aff321 && aff0 >= base && aff0 < base + 16 &&
			    (val & BIT(aff0 - base)))
				mask |= BIT(i);
		}
	}
	/* Without security (DS = 1) ICC_ASGI1R_EL1 acts as ICC_SGI0R_EL1:
	 * both raise an SGI only where it is Group 0. */
	vgic_send_sgi(v, (val >> 24) & 0xf, mask, sys != ISS_SGI1R);
	return true;
}

static void v3_init_vm(struct vm *vm)
{
	static const struct mmio_region dist = {
		.name = "GIC distributor",
		.base = VIRT_GICD_BASE,
		.size = VIRT_GICD_SIZE,
		.read = dist_read,
		.write = dist_write,
	};
	struct mmio_region redist = {
		.name = "GIC redistributors",
		.base = VIRT_GICR_BASE,
		.size = (u64)vm->nr_vcpus * VIRT_GICR_STRIDE,
		.read = redist_read,
		.write = redist_write,
	};

	mmio_add_region(vm, &dist);
	mmio_add_region(vm, &redist);
}

const struct vgic_ops vgic_v3_ops = {
	.nr_lrs = v3_nr_lrs,
	.write_lr = v3_write_lr,
	.read_lr = v3_read_lr,
	.empty_lrs = v3_empty_lrs,
	.set_hcr = v3_set_hcr,
	.save = v3_save,
	.load = v3_load,
	.init_vm = v3_init_vm,
	.sysreg = v3_sysreg,
};
