/* Host fakes for the virtual GIC's surroundings (see fake_vgic_env.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gic.h"
#include "timer.h"
#include "fake_vgic_env.h"
#include "mmio_emul.h"
#include "sched.h"
#include "sysreg.h"
#include "vm.h"

#ifdef __clang__
/* In a fuzz target: only the code under test is coverage to steer by. */
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), \
			     apply_to = function)
#endif

#define PPI_VTIMER 27
#define PPI_PTIMER 30
#define GICH_VTR_WORD 1 /* GICH_VTR, offset 0x4 */

struct fake_gic_env fake_gic;
struct pcpu pcpus[MAX_CPUS];

void fake_gic_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fake_vgic_env: %s: ", fake_gic.op);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

void fake_gic_reset(u32 nr_cpus, u32 list_regs, u32 pre_bits)
{
	if (nr_cpus > FAKE_CPUS || !list_regs || list_regs > VGIC_MAX_LRS ||
	    pre_bits < 5 || pre_bits > 7)
		fake_gic_fail("fake_gic_reset(%u, %u, %u)", nr_cpus, list_regs,
			      pre_bits);
	memset(&fake_gic, 0, sizeof(fake_gic));
	memset(pcpus, 0, sizeof(pcpus));
	fake_gic.nr_cpus = nr_cpus;
	fake_gic.list_regs = list_regs;
	fake_gic.pre_bits = pre_bits;
	fake_gic.token = FAKE_NO_TOKEN;
	for (u32 i = 0; i < nr_cpus; i++) {
		pcpus[i].index = i;
		pcpus[i].mpidr = i;
		fake_gic.cpu[i].gich[GICH_VTR_WORD] = list_regs - 1;
	}
}

void fake_gic_set_cpu(u32 cpu, struct vcpu *current)
{
	if (cpu >= fake_gic.nr_cpus)
		fake_gic_fail("fake_gic_set_cpu(%u): %u CPUs", cpu,
			      fake_gic.nr_cpus);
	fake_gic.this_cpu = cpu;
	pcpus[cpu].current = current;
}

static struct fake_cpu *this_fake_cpu(void)
{
	return &fake_gic.cpu[fake_gic.this_cpu];
}

/* ---- System registers, by the name the code gives them ---- */

/* "S3_4_C12_C12_<n>" and the like: the digit after prefix, or -1. */
static int reg_number(const char *name, const char *prefix, int count)
{
	size_t len = strlen(prefix);

	if (strncmp(name, prefix, len) || name[len] < '0' ||
	    name[len] >= '0' + count || name[len + 1])
		return -1;
	return name[len] - '0';
}

/* The storage behind a register name, or NULL. */
static u64 *sysreg_slot(const char *name)
{
	struct fake_cpu *c = this_fake_cpu();
	int n;

	if ((n = reg_number(name, "S3_4_C12_C12_", 8)) < 0 &&
	    (n = reg_number(name, "S3_4_C12_C13_", 8)) >= 0)
		n += 8; /* ICH_LR8-15_EL2 after ICH_LR0-7_EL2 */
	if (n >= 0) {
		if ((u32)n >= fake_gic.list_regs)
			fake_gic_fail("ICH_LR%d_EL2: the CPU has %u list registers",
				      n, fake_gic.list_regs);
		return &c->ich_lr[n];
	}
	if ((n = reg_number(name, "S3_4_C12_C8_", 4)) < 0 &&
	    (n = reg_number(name, "S3_4_C12_C9_", 4)) >= 0)
		n += 4; /* ICH_AP1R<n>_EL2 after ICH_AP0R<n>_EL2 */
	if (n >= 0) {
		/* 1 << (PREbits - 5) of each */
		if (n % 4 >= 1 << (fake_gic.pre_bits - 5))
			fake_gic_fail("%s: %u preemption bits", name,
				      fake_gic.pre_bits);
		return &c->ich_apr[n];
	}
	if (!strcmp(name, "S3_4_C12_C11_0"))
		return &c->ich_hcr;
	if (!strcmp(name, "S3_4_C12_C11_7"))
		return &c->ich_vmcr;
	if (!strcmp(name, "S3_0_C12_C12_5"))
		return &c->icc_sre;
	if (!strcmp(name, "cntv_ctl_el0"))
		return &c->cntv_ctl;
	if (!strcmp(name, "cntp_ctl_el0"))
		return &c->cntp_ctl;
	return NULL;
}

/* Empty list registers as the GIC reports them (ICH_ELRSR_EL2,
 * GICH_ELRSR0): state invalid, and an EOI maintenance interrupt not owed
 * (HW set or EOI clear). */
static u32 empty_lrs(u32 cpu)
{
	struct fake_cpu *c = &fake_gic.cpu[cpu];
	u32 empty = 0;

	for (u32 i = 0; i < fake_gic.list_regs; i++) {
		u64 lr = c->ich_lr[i];
		bool state = lr >> 62, hw = lr >> 61 & 1, eoi = lr >> 41 & 1;

		if (fake_gic.gicv2) {
			lr = c->gich[FAKE_GICH_LR0_WORD + i];
			state = lr >> 28 & 3;
			hw = lr >> 31;
			eoi = lr >> 19 & 1;
		}
		if (!state && (hw || !eoi))
			empty |= BIT(i);
	}
	return empty;
}

void fake_gic_update_elrsr(u32 cpu)
{
	fake_gic.cpu[cpu].gich[FAKE_GICH_ELRSR0_WORD] = empty_lrs(cpu);
}

u64 host_read_sysreg(const char *name)
{
	u64 *slot;

	if (!strcmp(name, "tpidr_el2"))
		return (u64)(uintptr_t)&pcpus[fake_gic.this_cpu];
	if (!strcmp(name, "S3_4_C12_C11_1")) /* ICH_VTR_EL2 */
		return (u64)(fake_gic.pre_bits - 1) << 29 | /* PRIbits, PREbits */
		       (u64)(fake_gic.pre_bits - 1) << 26 | (fake_gic.list_regs - 1);
	if (!strcmp(name, "S3_4_C12_C11_5")) /* ICH_ELRSR_EL2 */
		return empty_lrs(fake_gic.this_cpu);
	slot = sysreg_slot(name);
	if (!slot)
		fake_gic_fail("read of system register %s", name);
	return *slot;
}

void host_write_sysreg(const char *name, u64 v)
{
	u64 *slot = sysreg_slot(name);

	if (!slot)
		fake_gic_fail("write of system register %s", name);
	*slot = v;
}

/* ---- The physical GIC ---- */

static bool timer_ppi(u32 intid)
{
	return intid == PPI_VTIMER || intid == PPI_PTIMER;
}

/* A physical SPI the VM's vGIC may drive: one passed through to it. */
static void check_owned(const char *call, u32 intid)
{
	if (intid < 32 || intid >= FAKE_NR_INTIDS || !fake_gic.owned[intid])
		fake_gic_fail("%s(%u): not a physical SPI the VM owns", call,
			      intid);
}

void gic_enable(u32 intid, bool on)
{
	check_owned("gic_enable", intid);
	fake_gic.enabled[intid] = on;
}

void gic_route_spi(u32 intid, u32 pcpu)
{
	check_owned("gic_route_spi", intid);
	if (pcpu >= fake_gic.nr_cpus)
		fake_gic_fail("gic_route_spi(%u, %u): %u CPUs", intid, pcpu,
			      fake_gic.nr_cpus);
	fake_gic.route[intid] = pcpu;
}

void gic_set_level(u32 intid, bool level)
{
	check_owned("gic_set_level", intid);
	fake_gic.level[intid] = level;
}

void gic_set_active(u32 intid, bool on)
{
	if (timer_ppi(intid)) {
		this_fake_cpu()->ppi_active[intid] = on;
		return;
	}
	check_owned("gic_set_active", intid);
	fake_gic.active[intid] = on;
}

static void check_token(const char *call, u32 token)
{
	if (fake_gic.token == FAKE_NO_TOKEN || token != fake_gic.token)
		fake_gic_fail("%s(0x%x): the handler holds token 0x%x "
			      "(0x%x: none)", call, token, fake_gic.token,
			      FAKE_NO_TOKEN);
}

void gic_eoi(u32 token)
{
	check_token("gic_eoi", token);
	fake_gic.eois++;
}

void gic_deactivate(u32 token)
{
	u32 intid = GIC_INTID(token);

	check_token("gic_deactivate", token);
	fake_gic.deactivations++;
	if (intid < 32)
		this_fake_cpu()->ppi_active[intid] = false;
	else if (intid < FAKE_NR_INTIDS)
		fake_gic.active[intid] = false;
}

/* ---- Scheduler, counter, VM ---- */

void sched_kick(u32 pcpu)
{
	if (pcpu >= fake_gic.nr_cpus)
		fake_gic_fail("sched_kick(%u): %u CPUs", pcpu, fake_gic.nr_cpus);
	fake_gic.cpu[pcpu].kicks++;
}

struct vcpu *sched_loaded(u32 pcpu)
{
	if (pcpu >= fake_gic.nr_cpus)
		fake_gic_fail("sched_loaded(%u): %u CPUs", pcpu, fake_gic.nr_cpus);
	return fake_gic.cpu[pcpu].loaded;
}

u64 timer_now_ticks(void)
{
	return ++fake_gic.now;
}

void mmio_add_region(struct vm *vm, const struct mmio_region *r)
{
	if (vm->nr_mmio >= MAX_MMIO_REGIONS)
		fake_gic_fail("mmio_add_region(%s): %u regions already",
			      r->name, vm->nr_mmio);
	vm->mmio[vm->nr_mmio++] = *r;
}

struct vcpu *vm_vcpu_by_mpidr(struct vm *vm, u64 mpidr)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if (!((vm->vcpus[i].vmpidr ^ mpidr) & MPIDR_AFF_MASK))
			return &vm->vcpus[i];
	return NULL;
}

#ifdef __clang__
#pragma clang attribute pop
#endif
