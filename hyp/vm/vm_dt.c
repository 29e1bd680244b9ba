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
#include "mem.h"
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

static bool channel_slot(const struct vm_config *vm, const struct vm_dt_params *p,
			 u32 id);

/* One node per RAM slot, READONLY ones included, in IPA order. A channel's
 * memory is not RAM for the guest to allocate from: its channel node
 * describes it instead. */
static void add_memory(struct fdt_writer *w, const struct vm_config *vm,
		       const struct vm_dt_params *p)
{
	u64 done = 0; /* IPAs below this are written */
	char name[32];

	for (;;) {
		const struct memslot *next = NULL;

		for (u32 i = 0; i < vm->nr_slots; i++) {
			const struct memslot *s = &vm->slots[i];
			u64 ipa = ipa_val(s->ipa);

			if (s->flags & SLOT_DEVICE || ipa < done ||
			    channel_slot(vm, p, s->id))
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

/* Forwarded windows and channels (docs/forwarding.md). */
#define IRQ_TYPE_EDGE_RISING 1

static const struct memslot *find_slot(const struct vm_config *vm, u32 id)
{
	for (u32 i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i].id == id)
			return &vm->slots[i];
	return NULL;
}

/* Each window another VM serves, as the device it stands for: its
 * compatible, its registers and its interrupt (a level the device
 * partition drives). */
static void add_windows(struct fdt_writer *w, const struct vm_config *vm)
{
	char name[48];

	for (u32 i = 0; vm->windows && i < vm->nr_windows && i < MAX_FWD_WINDOWS; i++) {
		const struct fwd_window *f = &vm->windows[i];
		u64 reg[2] = { ipa_val(f->ipa), f->size };
		u32 irq[3] = { GIC_SPI, f->irq - 32, IRQ_TYPE_LEVEL_HIGH };

		fmt_snprintf(name, sizeof(name), "%s@%lx",
			     f->compatible && !strcmp(f->compatible, "virtio,mmio") ?
				     "virtio_mmio" : "forwarded", reg[0]);
		fdt_begin_node(w, name);
		fdt_prop_string(w, "compatible",
				f->compatible ? f->compatible : "hyp,forwarded-window");
		fdt_prop_reg(w, reg, 1);
		if (f->irq)
			fdt_prop_cells(w, "interrupts", irq, ARRAY_SIZE(irq));
		if (f->server)
			fdt_prop_string(w, "hyp,served-by", f->server);
		fdt_end_node(w);
	}
}

/* A manager's control window (hyp/mgmt/ctl_mmio.c): no interrupt, and no
 * driver claims it, so that /dev/mem may map it. */
static void add_control(struct fdt_writer *w, const struct vm_config *vm)
{
	u64 reg[2] = { VIRT_HYPCTL_BASE, VIRT_HYPCTL_SIZE };
	char name[32];

	if (!vm->manager)
		return;
	fmt_snprintf(name, sizeof(name), "hypctl@%lx", reg[0]);
	fdt_begin_node(w, name);
	fdt_prop_string(w, "compatible", "hyp,control");
	fdt_prop_reg(w, reg, 1);
	fdt_end_node(w);
}

/* A device partition: where it hears of requests. */
static void add_device_partition(struct fdt_writer *w, const struct vm_config *vm)
{
	u32 irq[3] = { GIC_SPI, vm->fwd_request_irq - 32, IRQ_TYPE_LEVEL_HIGH };

	if (!vm->fwd_request_irq)
		return;
	fdt_begin_node(w, "device-partition");
	fdt_prop_string(w, "compatible", "hyp,device-partition");
	fdt_prop_cells(w, "interrupts", irq, ARRAY_SIZE(irq));
	fdt_end_node(w);
}

/* Whether slot id of vm is one of its channel ends' memory. */
static bool channel_slot(const struct vm_config *vm, const struct vm_dt_params *p,
			 u32 id)
{
	for (u32 k = 0; p->channels && k < p->nr_channels && k < MAX_CHANNELS; k++)
		for (u32 e = 0; e < 2; e++)
			if (p->channels[k].end[e].vm && vm->name &&
			    !strcmp(p->channels[k].end[e].vm, vm->name) &&
			    p->channels[k].end[e].slot == id)
				return true;
	return false;
}

/* The VM's ends of channels: the shared region, the doorbell it receives
 * and the channel's index for HC_DOORBELL. */
static void add_channels(struct fdt_writer *w, const struct vm_config *vm,
			 const struct vm_dt_params *p)
{
	char name[32];

	for (u32 k = 0; p->channels && k < p->nr_channels && k < MAX_CHANNELS; k++) {
		const struct channel *ch = &p->channels[k];

		for (u32 e = 0; e < 2; e++) {
			const struct memslot *s;

			if (!ch->end[e].vm || !vm->name || strcmp(ch->end[e].vm, vm->name))
				continue;
			s = find_slot(vm, ch->end[e].slot);
			if (!s)
				continue;
			u64 reg[2] = { ipa_val(s->ipa), s->size };
			u32 irq[3] = { GIC_SPI, ch->end[e].irq - 32, IRQ_TYPE_EDGE_RISING };

			fmt_snprintf(name, sizeof(name), "channel@%lx", reg[0]);
			fdt_begin_node(w, name);
			fdt_prop_string(w, "compatible", "hyp,channel");
			fdt_prop_reg(w, reg, 1);
			fdt_prop_cells(w, "interrupts", irq, ARRAY_SIZE(irq));
			fdt_prop_u32(w, "channel-id", k);
			if (ch->name)
				fdt_prop_string(w, "label", ch->name);
			if (ch->end[1 - e].vm)
				fdt_prop_string(w, "peer", ch->end[1 - e].vm);
			fdt_end_node(w);
		}
	}
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
	add_memory(&w, vm, p);
	add_cpus(&w, vm);
	add_psci(&w);
	add_gic(&w, vm, plat, ph.gic);
	add_timer(&w, vm, plat);
	add_apb_pclk(&w, ph.apb_pclk);
	if (uart)
		add_uart(&w, ph.apb_pclk);
	add_windows(&w, vm);
	add_device_partition(&w, vm);
	add_control(&w, vm);
	add_channels(&w, vm, p);
	if (vm->flash)
		add_flash(&w);

	fdt_end_node(&w);
	return fdt_finish(&w);
}
