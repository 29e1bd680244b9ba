/*
 * A VM's device tree (see vm_dt.h). It describes what QEMU's virt machine
 * describes, in the bindings Linux and bare-metal payloads built for virt
 * look up: compatible "linux,dummy-virt", PSCI over HVC, a GICv3 or GICv2 at
 * virt's addresses, the generic timer, a PL011 on a 24 MHz APB clock.
 */
#include "errno.h"
#include "fdt.h"
#include "fmt.h"
#include "guest_platform.h"
#include "vm_dt.h"

/* The interrupts cells of the GIC binding: <type number flags>. */
#define GIC_SPI 0
#define GIC_PPI 1
#define IRQ_TYPE_LEVEL_HIGH 4
#define GICV2_PPI_CPU_SHIFT 8 /* GICv2 PPIs name their target CPUs */

/* Architected timer PPIs on virt (INTID = PPI + 16). */
#define TIMER_SEC_PHYS_PPI 13
#define TIMER_PHYS_PPI 14
#define TIMER_VIRT_PPI 11
#define TIMER_HYP_PPI 10

/* A GICv2 distributor's registers fill 4 KiB of virt's 64 KiB window. */
#define GICV2_DIST_SIZE 0x1000UL

#define APB_CLOCK_HZ 24000000
#define UART_PATH "/pl011@9000000"

struct phandles {
	u32 gic;
	u32 apb_pclk;
};

/* The PL011 is there when emulated or passed through at virt's address. */
static bool vm_has_uart(const struct vm_config *vm)
{
	if (vm->vuart)
		return true;
	for (u32 i = 0; i < vm->nr_slots; i++) {
		const struct memslot *s = &vm->slots[i];
		u64 ipa = ipa_val(s->ipa);

		if ((s->flags & SLOT_DEVICE) && ipa <= VIRT_UART_BASE &&
		    VIRT_UART_BASE - ipa < s->size)
			return true;
	}
	return false;
}

/* One node per RAM slot, READONLY ones included, in IPA order. */
static void add_memory(struct fdt_writer *w, const struct vm_config *vm)
{
	u64 done = 0; /* IPAs below this are written */
	char name[32];

	for (;;) {
		const struct memslot *next = NULL;

		for (u32 i = 0; i < vm->nr_slots; i++) {
			const struct memslot *s = &vm->slots[i];
			u64 ipa = ipa_val(s->ipa);

			if (s->flags & SLOT_DEVICE || ipa < done)
				continue;
			if (!next || ipa < ipa_val(next->ipa))
				next = s;
		}
		if (!next)
			return;

		u64 reg[2] = { ipa_val(next->ipa), next->size };

		fmt_snprintf(name, sizeof(name), "memory@%lx", reg[0]);
		fdt_begin_node(w, name);
		fdt_prop_string(w, "device_type", "memory");
		fdt_prop_reg(w, reg, 1);
		fdt_end_node(w);
		done = reg[0] + 1;
	}
}

/* reg is the vCPU's virtual MPIDR affinity: vCPU i has Aff0 = i. */
static void add_cpus(struct fdt_writer *w, const struct vm_config *vm)
{
	char name[16];

	fdt_begin_node(w, "cpus");
	fdt_prop_u32(w, "#address-cells", 1);
	fdt_prop_u32(w, "#size-cells", 0);
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		fmt_snprintf(name, sizeof(name), "cpu@%x", i);
		fdt_begin_node(w, name);
		fdt_prop_string(w, "device_type", "cpu");
		fdt_prop_string(w, "compatible", "arm,armv8");
		fdt_prop_u32(w, "reg", i);
		fdt_prop_string(w, "enable-method", "psci");
		fdt_end_node(w);
	}
	fdt_end_node(w);
}

static void add_psci(struct fdt_writer *w)
{
	fdt_begin_node(w, "psci");
	fdt_prop_strings(w, "compatible", "arm,psci-1.0", "arm,psci-0.2", NULL);
	fdt_prop_string(w, "method", "hvc");
	fdt_end_node(w);
}

static void add_gic(struct fdt_writer *w, const struct vm_config *vm,
		    const struct platform *plat, u32 phandle)
{
	fdt_begin_node(w, "intc@8000000");
	if (plat->gic.version == GIC_V3) {
		u64 reg[] = { VIRT_GICD_BASE, VIRT_GICD_SIZE, VIRT_GICR_BASE,
			      vm->nr_vcpus * VIRT_GICR_STRIDE };

		fdt_prop_string(w, "compatible", "arm,gic-v3");
		fdt_prop_reg(w, reg, 2);
		fdt_prop_u32(w, "#redistributor-regions", 1);
	} else {
		u64 reg[] = { VIRT_GICD_BASE, GICV2_DIST_SIZE, VIRT_GICC_BASE,
			      VIRT_GICC_SIZE };

		fdt_prop_string(w, "compatible", "arm,cortex-a15-gic");
		fdt_prop_reg(w, reg, 2);
	}
	fdt_prop_u32(w, "#interrupt-cells", 3);
	/* No child nodes; declared for the interrupt-map of passed-through
	 * buses, which name a unit address in the controller's cells. */
	fdt_prop_u32(w, "#address-cells", 0);
	fdt_prop_empty(w, "interrupt-controller");
	fdt_prop_u32(w, "phandle", phandle);
	fdt_end_node(w);
}

static void add_timer(struct fdt_writer *w, const struct vm_config *vm,
		      const struct platform *plat)
{
	u32 flags = IRQ_TYPE_LEVEL_HIGH;

	if (plat->gic.version == GIC_V2)
		flags |= ((1U << vm->nr_vcpus) - 1) << GICV2_PPI_CPU_SHIFT;

	/* The binding's order: secure, non-secure, virtual, hypervisor. */
	u32 irqs[] = {
		GIC_PPI, TIMER_SEC_PHYS_PPI, flags,
		GIC_PPI, TIMER_PHYS_PPI, flags,
		GIC_PPI, TIMER_VIRT_PPI, flags,
		GIC_PPI, TIMER_HYP_PPI, flags,
	};

	fdt_begin_node(w, "timer");
	fdt_prop_strings(w, "compatible", "arm,armv8-timer", "arm,armv7-timer",
			 NULL);
	fdt_prop_cells(w, "interrupts", irqs, ARRAY_SIZE(irqs));
	fdt_prop_empty(w, "always-on");
	fdt_end_node(w);
}

static void add_apb_pclk(struct fdt_writer *w, u32 phandle)
{
	fdt_begin_node(w, "apb-pclk");
	fdt_prop_string(w, "compatible", "fixed-clock");
	fdt_prop_u32(w, "#clock-cells", 0);
	fdt_prop_u32(w, "clock-frequency", APB_CLOCK_HZ);
	fdt_prop_string(w, "clock-output-names", "clk24mhz");
	fdt_prop_u32(w, "phandle", phandle);
	fdt_end_node(w);
}

static void add_uart(struct fdt_writer *w, u32 apb_pclk)
{
	u64 reg[] = { VIRT_UART_BASE, VIRT_UART_SIZE };
	u32 irq[] = { GIC_SPI, VIRT_UART_SPI, IRQ_TYPE_LEVEL_HIGH };
	u32 clocks[] = { apb_pclk, apb_pclk };

	fdt_begin_node(w, "pl011@9000000");
	fdt_prop_strings(w, "compatible", "arm,pl011", "arm,primecell", NULL);
	fdt_prop_reg(w, reg, 1);
	fdt_prop_cells(w, "interrupts", irq, ARRAY_SIZE(irq));
	fdt_prop_cells(w, "clocks", clocks, ARRAY_SIZE(clocks));
	fdt_prop_strings(w, "clock-names", "uartclk", "apb_pclk", NULL);
	fdt_end_node(w);
}

/* virt's flash node: both banks in one, 32 bits wide. */
static void add_flash(struct fdt_writer *w)
{
	u64 reg[] = { VIRT_FLASH_BASE, VIRT_FLASH_BANK_SIZE,
		      VIRT_FLASH_BASE + VIRT_FLASH_BANK_SIZE, VIRT_FLASH_BANK_SIZE };

	fdt_begin_node(w, "flash@0");
	fdt_prop_string(w, "compatible", "cfi-flash");
	fdt_prop_reg(w, reg, 2);
	fdt_prop_u32(w, "bank-width", 4);
	fdt_end_node(w);
}

static void add_chosen(struct fdt_writer *w, const struct vm_config *vm,
		       const struct vm_dt_params *p, bool uart)
{
	const char *bootargs = p->bootargs ? p->bootargs : vm->cmdline;

	fdt_begin_node(w, "chosen");
	if (bootargs && bootargs[0])
		fdt_prop_string(w, "bootargs", bootargs);
	if (uart)
		fdt_prop_string(w, "stdout-path", UART_PATH);
	if (p->initrd_size) {
		fdt_prop_u64(w, "linux,initrd-start", p->initrd_ipa);
		fdt_prop_u64(w, "linux,initrd-end",
			     p->initrd_ipa + p->initrd_size);
	}
	fdt_end_node(w);
}

int vm_dt_build(const struct vm_config *vm, const struct platform *plat,
		const struct vm_dt_params *p, void *buf, u32 size)
{
	bool uart = vm_has_uart(vm);
	struct fdt_writer w;
	struct phandles ph;
	char model[64];

	if (!vm->nr_vcpus || vm->nr_vcpus > MAX_VCPUS)
		return -EINVAL;

	fdt_begin(&w, buf, size);
	ph.gic = fdt_phandle(&w);
	ph.apb_pclk = fdt_phandle(&w);

	fdt_begin_node(&w, "");
	fdt_prop_u32(&w, "#address-cells", 2);
	fdt_prop_u32(&w, "#size-cells", 2);
	fdt_prop_string(&w, "compatible", "linux,dummy-virt");
	fmt_snprintf(model, sizeof(model), "VM %s on %s",
		     vm->name ? vm->name : "?", plat->name ? plat->name : "?");
	fdt_prop_string(&w, "model", model);
	fdt_prop_u32(&w, "interrupt-parent", ph.gic);

	add_chosen(&w, vm, p, uart);
	if (uart) {
		fdt_begin_node(&w, "aliases");
		fdt_prop_string(&w, "serial0", UART_PATH);
		fdt_end_node(&w);
	}
	add_memory(&w, vm);
	add_cpus(&w, vm);
	add_psci(&w);
	add_gic(&w, vm, plat, ph.gic);
	add_timer(&w, vm, plat);
	add_apb_pclk(&w, ph.apb_pclk);
	if (uart)
		add_uart(&w, ph.apb_pclk);
	if (vm->flash)
		add_flash(&w);

	fdt_end_node(&w);
	return fdt_finish(&w);
}
