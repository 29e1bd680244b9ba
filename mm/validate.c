/* The configuration checker (see validate.h and docs/configuration.md). */
#include "validate.h"
#include "guest_platform.h"
#include "layout.h"
#include "mem.h"
#include "host_range.h"
#include "slot_change.h"
#include "stage2.h"

struct checker {
	const struct hyp_config *cfg;
	const struct check_env *env;
	struct check_sink *sink;
	bool *vm_ok;
};

static void say(struct checker *c, bool error, int vm, int slot, int vcpu,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void say(struct checker *c, bool error, int vm, int slot, int vcpu,
		const char *fmt, ...)
{
	struct check_where where = {
		.vm = vm,
		.vm_name = vm >= 0 ? c->cfg->vms[vm].name : NULL,
		.slot = slot,
		.vcpu = vcpu,
	};
	va_list ap;

	va_start(ap, fmt);
	c->sink->vprint(c->sink->ctx, error, &where, fmt, ap);
	va_end(ap);
	if (error) {
		c->sink->errors++;
		if (vm >= 0)
			c->vm_ok[vm] = false;
		else /* the configuration as a whole: no VM may start */
			for (u32 i = 0; i < MAX_VMS; i++)
				c->vm_ok[i] = false;
	} else {
		c->sink->warnings++;
	}
}

#define vm_error(c, vm, ...) say(c, true, vm, -1, -1, __VA_ARGS__)
#define slot_error(c, vm, slot, ...) say(c, true, vm, slot, -1, __VA_ARGS__)
#define slot_warning(c, vm, slot, ...) say(c, false, vm, slot, -1, __VA_ARGS__)
#define vm_warning(c, vm, ...) say(c, false, vm, -1, -1, __VA_ARGS__)
#define vcpu_error(c, vm, vcpu, ...) say(c, true, vm, -1, vcpu, __VA_ARGS__)
#define config_error(c, ...) say(c, true, -1, -1, -1, __VA_ARGS__)

static bool overlaps(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

static bool inside(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a >= b && a + asize <= b + bsize && a + asize >= a;
}

/* The slots the checks walk: .nr_slots without .slots is reported, not
 * followed. */
static u32 nr_slots(const struct vm_config *vm)
{
	return vm->slots ? MIN(vm->nr_slots, (u32)MAX_SLOTS) : 0;
}

/* ---- Names and CPUs ---- */

static void check_names(struct checker *c, int i)
{
	const struct vm_config *vm = &c->cfg->vms[i];

	if (!vm->name || !vm->name[0]) {
		vm_error(c, i, "has no name: set .name, it tags the VM's console output and log lines");
		return;
	}
	if (strlen(vm->name) >= MAX_VM_NAME)
		vm_error(c, i, "name is %u characters long; the limit is %u",
			 (unsigned)strlen(vm->name), MAX_VM_NAME - 1);
	for (int j = 0; j < i; j++)
		if (c->cfg->vms[j].name && !strcmp(c->cfg->vms[j].name, vm->name))
			vm_error(c, i, "name is also VM #%d's: names must be unique", j);
}

static void check_vcpus(struct checker *c, int i)
{
	const struct vm_config *vm = &c->cfg->vms[i];
	const struct platform *plat = c->env->plat;

	if (vm->nr_vcpus == 0 || vm->nr_vcpus > MAX_VCPUS) {
		vm_error(c, i, "has %u vCPUs; give it 1 to %u (VCPUS_ON(...))",
			 vm->nr_vcpus, MAX_VCPUS);
		return;
	}
	for (u32 v = 0; v < vm->nr_vcpus; v++) {
		u32 p = vm->vcpu_pcpu[v];

		if (p >= plat->nr_cpus) {
			vcpu_error(c, i, v, "physical CPU %u does not exist: board %s has CPUs 0-%u",
				   p, plat->name, plat->nr_cpus - 1);
			continue;
		}
		if (c->cfg->allow_pcpu_sharing)
			continue;
		for (int j = 0; j < i; j++) {
			const struct vm_config *other = &c->cfg->vms[j];

			for (u32 w = 0; w < other->nr_vcpus && w < MAX_VCPUS; w++)
				if (other->vcpu_pcpu[w] == p) {
					vcpu_error(c, i, v,
						   "physical CPU %u also runs vm \"%s\" vcpu %u: give each VM its own CPUs, or set .allow_pcpu_sharing = true",
						   p, other->name ? other->name : "", w);
					goto next_vcpu;
				}
		}
next_vcpu:;
	}
}

/* ---- Slots ---- */

static const struct mem_range *range_holding(const struct mem_range *list,
					     u32 max, u64 base, u64 size)
{
	for (u32 i = 0; i < max && list[i].size; i++)
		if (inside(base, size, list[i].base, list[i].size))
			return &list[i];
	return NULL;
}

/* Where a slot's host memory may lie: the part of the slot rules that only
 * the configuration has (a manager's slots come from its host range). */
static bool check_backing(struct checker *c, int i, const struct memslot *s)
{
	const struct platform *plat = c->env->plat;
	u64 pa = pa_val(s->pa);
	bool ok = true;

	if (s->flags & SLOT_DEVICE) {
		if (!range_holding(plat->devices, MAX_DEVICE_WINDOWS, pa, s->size)) {
			slot_error(c, i, s->id,
				   "DEVICE PA 0x%lx-0x%lx is not inside one of board %s's device windows (platforms/%s.c .devices)",
				   pa, pa + s->size - 1, plat->name, plat->name);
			ok = false;
		}
	} else if (!range_holding(plat->ram, MAX_RAM_RANGES, pa, s->size)) {
		slot_error(c, i, s->id,
			   "PA 0x%lx-0x%lx is not inside board %s's RAM; use RAM from platforms/%s.c, or flag the slot DEVICE for a device window",
			   pa, pa + s->size - 1, plat->name, plat->name);
		ok = false;
	}
	if (overlaps(pa, s->size, plat->hyp_base, plat->hyp_size)) {
		slot_error(c, i, s->id,
			   "PA 0x%lx-0x%lx overlaps the hypervisor's own memory (image, stacks, page pool: 0x%lx-0x%lx)",
			   pa, pa + s->size - 1, plat->hyp_base,
			   plat->hyp_base + plat->hyp_size - 1);
		ok = false;
	}
	if ((s->flags & SLOT_DEVICE) &&
	    overlaps(pa, s->size, plat->uart.base, PAGE_SIZE))
		slot_warning(c, i, s->id,
			     "passes through the hypervisor's console UART at 0x%lx: its output and other VMs' will mix with this VM's",
			     plat->uart.base);
	return ok;
}

static void warn_small_blocks(struct checker *c, int i, const struct memslot *s,
			      unsigned ipa_bits)
{
	u64 ipa = ipa_val(s->ipa), pa = pa_val(s->pa);
	u64 skew = (pa - ipa) & (SZ_2M - 1);

	if (!skew || (s->flags & SLOT_LOG_DIRTY) || s->size < SZ_2M)
		return;
	u64 have = mapping_table_pages(ipa, pa, s->size, 1, ipa_bits);
	u64 could = mapping_table_pages(ipa, pa - skew, s->size, 1, ipa_bits);

	/* No 2 MiB block would fit even with matching low bits: nothing to
	 * gain, nothing to say. */
	if (have == could)
		return;
	slot_warning(c, i, s->id,
		     "IPA 0x%lx and PA 0x%lx differ in their low 21 bits, so it cannot use 2 MiB blocks: %lu page-table pages instead of %lu (%lu more) and more TLB misses; align both to the same offset within 2 MiB",
		     ipa, pa, have, could, have - could);
}

/* The slot checker (mm/slot_change.c) reports through these. */
struct slot_check_ctx {
	struct checker *c;
	int vm;
	unsigned ipa_bits;
};

static void slot_check_report(void *ctx, int err __unused,
			      enum slot_rule rule __unused,
			      const struct memslot *s, const char *fmt,
			      va_list ap)
{
	struct slot_check_ctx *x = ctx;
	struct check_where where = {
		.vm = x->vm,
		.vm_name = x->c->cfg->vms[x->vm].name,
		.slot = (int)s->id,
		.vcpu = -1,
	};

	x->c->sink->vprint(x->c->sink->ctx, true, &where, fmt, ap);
	x->c->sink->errors++;
	x->c->vm_ok[x->vm] = false;
}

static bool slot_check_backing(void *ctx, const struct memslot *s,
			       bool ok_so_far)
{
	struct slot_check_ctx *x = ctx;
	bool ok = check_backing(x->c, x->vm, s);

	if (ok && ok_so_far)
		warn_small_blocks(x->c, x->vm, s, x->ipa_bits);
	return ok;
}

static void check_slots(struct checker *c, int i, unsigned ipa_bits)
{
	const struct vm_config *vm = &c->cfg->vms[i];
	struct vm_window win[MAX_VM_WINDOWS];
	u32 nw = vm_windows(vm, c->env->plat, win);
	bool has_ram_base = false;
	struct slot_check_ctx x = { c, i, ipa_bits };
	struct slot_space sp = {
		.slots = vm->slots,
		.stride = sizeof(*vm->slots),
		.ipa_bits = ipa_bits,
		.ipa_bits_configured = vm->ipa_bits != 0,
		.cpu_pa_bits = c->env->cpu_pa_bits,
		.win = win,
		.nr_win = nw,
		.backing_ok = slot_check_backing,
		.report = slot_check_report,
		.ctx = &x,
	};

	if (vm->nr_slots == 0 || !vm->slots) {
		vm_error(c, i, "has no memory slots: give it at least a RAM slot at IPA 0x%lx (SLOTS(...))",
			 VIRT_RAM_BASE);
		return;
	}
	if (vm->nr_slots > MAX_SLOTS)
		vm_error(c, i, "has %u slots; the limit is %u", vm->nr_slots, MAX_SLOTS);

	/* Each slot is a CREATE against the slots before it: the rules a
	 * manager's run-time changes meet too. */
	for (u32 a = 0; a < nr_slots(vm); a++) {
		const struct memslot *s = &vm->slots[a];
		struct slot_change create = { SLOT_CREATE, *s };

		/* Counted even for a slot with errors of its own, which are
		 * reported already: "no RAM at the base" would mislead. */
		if (!(s->flags & SLOT_DEVICE) &&
		    inside(VIRT_RAM_BASE, 1, ipa_val(s->ipa), s->size))
			has_ram_base = true;
		sp.nr = a;
		slot_change_check(&sp, &create, NULL);
	}
	if (!has_ram_base)
		vm_error(c, i, "has no RAM slot at IPA 0x%lx, where guests for the virt machine expect RAM to start",
			 VIRT_RAM_BASE);
}

/* Host memory shared between VMs must be meant: SHARED on every slot. */
static void check_cross_vm(struct checker *c, int i)
{
	const struct vm_config *vm = &c->cfg->vms[i];

	for (int j = 0; j < i; j++) {
		const struct vm_config *other = &c->cfg->vms[j];

		for (u32 a = 0; a < nr_slots(vm); a++) {
			const struct memslot *s = &vm->slots[a];

			for (u32 b = 0; b < nr_slots(other); b++) {
				const struct memslot *o = &other->slots[b];

				if (!overlaps(pa_val(s->pa), s->size, pa_val(o->pa), o->size))
					continue;
				if ((s->flags & SLOT_SHARED) && (o->flags & SLOT_SHARED))
					continue;
				slot_error(c, i, s->id,
					   "host memory 0x%lx-0x%lx overlaps vm \"%s\" slot %u (0x%lx-0x%lx); flag both slots SHARED if they are meant to share it",
					   pa_val(s->pa), pa_val(s->pa) + s->size - 1,
					   other->name ? other->name : "", o->id, pa_val(o->pa),
					   pa_val(o->pa) + o->size - 1);
			}
		}
	}
}

/* ---- Images and interrupts ---- */

/* A preloaded image is the pristine copy every (re)load copies from, and the
 * loader clears a VM's RAM before copying: no slot may hold that memory. */
static void check_preload_unowned(struct checker *c, int i, const char *what,
				  u64 pa, u64 size)
{
	for (u32 j = 0; j < MIN(c->cfg->nr_vms, (u32)MAX_VMS); j++) {
		const struct vm_config *o = &c->cfg->vms[j];

		for (u32 a = 0; a < nr_slots(o); a++) {
			const struct memslot *s = &o->slots[a];

			if (overlaps(pa, size, pa_val(s->pa), s->size))
				vm_error(c, i, "%s image preload area 0x%lx-0x%lx overlaps vm \"%s\" slot %u (0x%lx-0x%lx): keep it outside every VM's memory",
					 what, pa, pa + size - 1,
					 o->name ? o->name : "", s->id, pa_val(s->pa),
					 pa_val(s->pa) + s->size - 1);
		}
	}
}

static void check_image(struct checker *c, int i, const char *what,
			const struct guest_image *img, bool required)
{
	const struct platform *plat = c->env->plat;

	if (img->kind == IMAGE_NONE) {
		if (required)
			vm_error(c, i, "has no %s image: set .%s (BUILT_IN(...) or a preload address)",
				 what, what);
		return;
	}
	bool built_in = img->start || img->end;

	if (built_in && (!img->start || img->end <= img->start))
		vm_error(c, i, "%s image is empty", what);
	if (!built_in) {
		u64 pa = img->preload_pa, size = img->preload_size;

		if (!size) {
			vm_error(c, i, "%s image is preloaded at 0x%lx but .preload_size is 0: give the most it may take",
				 what, pa);
		} else if (!range_holding(plat->ram, MAX_RAM_RANGES, pa, size)) {
			vm_error(c, i, "%s image preload area 0x%lx-0x%lx is not inside board RAM",
				 what, pa, pa + size - 1);
		} else if (overlaps(pa, size, plat->hyp_base, plat->hyp_size)) {
			vm_error(c, i, "%s image preload area 0x%lx-0x%lx overlaps the hypervisor (0x%lx-0x%lx)",
				 what, pa, pa + size - 1, plat->hyp_base,
				 plat->hyp_base + plat->hyp_size - 1);
		} else {
			check_preload_unowned(c, i, what, pa, size);
		}
	}
}

/* Each further file (.loads) is an image like the kernel, and must land
 * inside one RAM slot of the VM (the loader copies it there). */
static void check_loads(struct checker *c, int i)
{
	const struct vm_config *vm = &c->cfg->vms[i];

	if (vm->nr_loads > MAX_VM_LOADS) {
		vm_error(c, i, "has %u .loads; the limit is %u", vm->nr_loads, MAX_VM_LOADS);
		return;
	}
	for (u32 n = 0; n < vm->nr_loads; n++) {
		const struct guest_load *l = &vm->loads[n];
		const struct guest_image *img = &l->img;
		u64 size = img->start ? (u64)(img->end - img->start) : img->preload_size;
		bool in_ram = false;

		check_image(c, i, "load", img, true);
		for (u32 a = 0; a < nr_slots(vm); a++) {
			const struct memslot *s = &vm->slots[a];

			if (!(s->flags & SLOT_DEVICE) &&
			    inside(l->ipa, size ? size : 1, ipa_val(s->ipa), s->size))
				in_ram = true;
		}
		if (!in_ram)
			vm_error(c, i, "load %u (0x%lx bytes at IPA 0x%lx) is not inside one of its RAM slots: move it, or give it a slot there",
				 n, size, l->ipa);
	}
}

/* Host RAM behind flash bank b: board RAM that nothing else has (no slot
 * of any VM, no other bank, not the hypervisor), whole erase blocks. */
static void check_flash_ram(struct checker *c, int i, u32 b)
{
	const struct vm_config *vm = &c->cfg->vms[i];
	const struct flash_ram *r = &vm->flash_ram[b];
	const struct platform *plat = c->env->plat;
	u64 pa = pa_val(r->pa), size = r->size;

	if (!size) {
		if (pa || r->writable)
			vm_error(c, i, "flash bank %u's RAM has a PA or is writable but its .size is 0: give its size",
				 b);
		return;
	}
	if (!vm->flash) {
		vm_error(c, i, "gives flash bank %u RAM but has no flash banks: set .flash = true", b);
		return;
	}
	if (size > VIRT_FLASH_BANK_SIZE || !IS_ALIGNED(size, VIRT_FLASH_BLOCK_SIZE) ||
	    !IS_ALIGNED(pa, PAGE_SIZE) || pa + size < pa) {
		vm_error(c, i, "flash bank %u's RAM (PA 0x%lx, size 0x%lx): the size must be a multiple of the 0x%lx-byte erase block, at most the bank's 0x%lx, and the PA 4 KiB aligned",
			 b, pa, size, VIRT_FLASH_BLOCK_SIZE, VIRT_FLASH_BANK_SIZE);
		return;
	}
	if (!range_holding(plat->ram, MAX_RAM_RANGES, pa, size))
		vm_error(c, i, "flash bank %u's RAM 0x%lx-0x%lx is not inside board %s's RAM",
			 b, pa, pa + size - 1, plat->name);
	if (overlaps(pa, size, plat->hyp_base, plat->hyp_size))
		vm_error(c, i, "flash bank %u's RAM 0x%lx-0x%lx overlaps the hypervisor's own memory (0x%lx-0x%lx)",
			 b, pa, pa + size - 1, plat->hyp_base,
			 plat->hyp_base + plat->hyp_size - 1);
	/* Each switch of the bank's mode rewrites its entries with the CPU
	 * held: a few dozen blocks and at most 448 pages, not 16384. */
	if (size >= SZ_2M && !IS_ALIGNED(pa, SZ_2M))
		vm_error(c, i, "flash bank %u's RAM (PA 0x%lx, size 0x%lx) is 2 MiB or more at a PA that is not 2 MiB aligned: it would be mapped in 4 KiB pages, up to 16384 entries rewritten at every program or erase with the CPU held; align its PA to 2 MiB",
			 b, pa, size);
	else if (!IS_ALIGNED(pa | size, SZ_2M))
		vm_warning(c, i, "flash bank %u's RAM (PA 0x%lx, size 0x%lx) is not in whole 2 MiB blocks: it is mapped with 4 KiB pages",
			   b, pa, size);
	for (u32 j = 0; j < MIN(c->cfg->nr_vms, (u32)MAX_VMS); j++) {
		const struct vm_config *o = &c->cfg->vms[j];

		for (u32 a = 0; a < nr_slots(o); a++) {
			const struct memslot *s = &o->slots[a];

			if (overlaps(pa, size, pa_val(s->pa), s->size))
				vm_error(c, i, "flash bank %u's RAM 0x%lx-0x%lx overlaps vm \"%s\" slot %u (0x%lx-0x%lx): give it memory of its own",
					 b, pa, pa + size - 1, o->name ? o->name : "",
					 s->id, pa_val(s->pa), pa_val(s->pa) + s->size - 1);
		}
		for (u32 ob = 0; ob < VIRT_FLASH_BANKS; ob++) {
			const struct flash_ram *or = &o->flash_ram[ob];

			if ((j < (u32)i || (j == (u32)i && ob < b)) && o->flash && or->size &&
			    overlaps(pa, size, pa_val(or->pa), or->size))
				vm_error(c, i, "flash bank %u's RAM 0x%lx-0x%lx overlaps vm \"%s\"'s flash bank %u RAM: give each its own",
					 b, pa, pa + size - 1, o->name ? o->name : "", ob);
		}
		const struct guest_image *img[4 + MAX_VM_LOADS] = {
			&o->kernel, &o->initrd, &o->flash_image[0], &o->flash_image[1] };
		u32 nimg = 4;

		for (u32 l = 0; l < o->nr_loads && l < MAX_VM_LOADS; l++)
			img[nimg++] = &o->loads[l].img;
		for (u32 k = 0; k < nimg; k++)
			if (img[k]->kind != IMAGE_NONE && !img[k]->start &&
			    overlaps(pa, size, img[k]->preload_pa, img[k]->preload_size))
				vm_error(c, i, "flash bank %u's RAM 0x%lx-0x%lx overlaps vm \"%s\"'s image preload area (0x%lx-0x%lx)",
					 b, pa, pa + size - 1, o->name ? o->name : "",
					 img[k]->preload_pa,
					 img[k]->preload_pa + img[k]->preload_size - 1);
		if (o->manager && overlaps(pa, size, o->manager->host_base, o->manager->host_size))
			vm_error(c, i, "flash bank %u's RAM 0x%lx-0x%lx overlaps vm \"%s\"'s manager host range",
				 b, pa, pa + size - 1, o->name ? o->name : "");
	}
}

static void check_flash(struct checker *c, int i)
{
	const struct vm_config *vm = &c->cfg->vms[i];

	for (u32 b = 0; b < VIRT_FLASH_BANKS; b++) {
		const struct guest_image *img = &vm->flash_image[b];
		u64 size = img->start ? (u64)(img->end - img->start) : img->preload_size;

		if (img->kind == IMAGE_NONE)
			continue;
		if (!vm->flash)
			vm_error(c, i, "fills flash bank %u from a file but has no flash banks: set .flash = true",
				 b);
		check_image(c, i, "flash bank", img, true);
		if (size > VIRT_FLASH_BANK_SIZE)
			vm_error(c, i, "flash bank %u's file is 0x%lx bytes, more than the bank's 0x%lx",
				 b, size, VIRT_FLASH_BANK_SIZE);
	}
	for (u32 b = 0; b < VIRT_FLASH_BANKS; b++)
		check_flash_ram(c, i, b);
	if (vm->boot_from_flash) {
		if (!vm->flash || !vm->flash_ram[0].size)
			vm_error(c, i, "boots from flash but flash bank 0 has no RAM to run from: set .flash = true and .flash_ram[0]");
		else if (vm->flash_image[0].kind == IMAGE_NONE)
			vm_error(c, i, "boots from flash but flash bank 0 has no file: it would start in erased flash (0xff) and run nothing; set .flash_image[0] to its firmware");
		if (vm->kernel.kind != IMAGE_NONE || vm->initrd.kind != IMAGE_NONE)
			vm_error(c, i, "boots from flash and also names a kernel or initrd: a VM has one entry; drop .kernel and .initrd, or .boot_from_flash");
	}
}

static void check_irqs(struct checker *c, int i)
{
	const struct vm_config *vm = &c->cfg->vms[i];
	const struct platform *plat = c->env->plat;

	if (vm->nr_irqs > MAX_VM_IRQS) {
		vm_error(c, i, "has %u passed-through interrupts; the limit is %u",
			 vm->nr_irqs, MAX_VM_IRQS);
		return;
	}
	for (u32 k = 0; k < vm->nr_irqs; k++) {
		u32 irq = vm->irqs[k];

		if (irq < 32 || irq > 1019) {
			vm_error(c, i, "interrupt %u cannot be passed through: only SPIs (INTIDs 32-1019) can",
				 irq);
			continue;
		}
		if (irq >= VM_NR_INTIDS) {
			vm_error(c, i, "interrupt %u cannot be passed through: the virtual GIC handles INTIDs below %u only; use a device interrupt in 32-%u",
				 irq, VM_NR_INTIDS, VM_NR_INTIDS - 1);
			continue;
		}
		/* With or without a vUART: the vUART's interrupt is virtual. */
		if (irq == plat->uart.intid) {
			bool has_uart = false;

			for (u32 a = 0; a < nr_slots(vm); a++)
				if ((vm->slots[a].flags & SLOT_DEVICE) &&
				    inside(plat->uart.base, 1, pa_val(vm->slots[a].pa),
					   vm->slots[a].size))
					has_uart = true;
			if (!has_uart)
				vm_error(c, i, "interrupt %u is the hypervisor's console UART's; pass the UART itself through as a DEVICE slot to give it away",
					 irq);
		}
		for (int j = 0; j <= i; j++) {
			const struct vm_config *o = &c->cfg->vms[j];
			u32 limit = j == i ? k : MIN(o->nr_irqs, (u32)MAX_VM_IRQS);

			for (u32 m = 0; m < limit; m++) {
				if (o->irqs[m] != irq)
					continue;
				if (j == i)
					vm_error(c, i, "interrupt %u is listed twice in .irqs",
						 irq);
				else
					vm_error(c, i, "interrupt %u is also given to vm \"%s\": an interrupt has one owner",
						 irq, o->name ? o->name : "");
			}
		}
	}
}

/* The index of the VM named name, or -1. */
static int vm_by_name(const struct hyp_config *cfg, const char *name)
{
	for (u32 j = 0; name && j < MIN(cfg->nr_vms, (u32)MAX_VMS); j++)
		if (cfg->vms[j].name && !strcmp(cfg->vms[j].name, name))
			return (int)j;
	return -1;
}

/* ---- Forwarded windows and channels (docs/forwarding.md) ---- */

#define VIRTUAL_SPI_LAST 255 /* the vGIC models INTIDs up to 255 */

static const struct memslot *slot_by_id(const struct vm_config *vm, u32 id)
{
	for (u32 a = 0; a < nr_slots(vm); a++)
		if (vm->slots[a].id == id)
			return &vm->slots[a];
	return NULL;
}

static u32 nr_windows(const struct vm_config *vm)
{
	return vm->windows ? MIN(vm->nr_windows, (u32)MAX_FWD_WINDOWS) : 0;
}

/* An SPI the hypervisor raises in a VM: in range, and not a passed-through
 * one (its line is the device's). */
static bool check_virtual_spi(struct checker *c, int i, u32 irq, const char *what,
			      u32 index)
{
	const struct vm_config *vm = &c->cfg->vms[i];

	if (irq < 32 || irq > VIRTUAL_SPI_LAST) {
		vm_error(c, i, "%s %u: interrupt %u is not an SPI the virtual GIC has (INTIDs 32-%u)",
			 what, index, irq, VIRTUAL_SPI_LAST);
		return false;
	}
	for (u32 k = 0; k < MIN(vm->nr_irqs, (u32)MAX_VM_IRQS); k++)
		if (vm->irqs[k] == irq) {
			vm_error(c, i, "%s %u: interrupt %u is also passed through to this VM (.irqs): pick a free SPI",
				 what, index, irq);
			return false;
		}
	if (vm->vuart && irq == 32 + VIRT_UART_SPI) {
		vm_error(c, i, "%s %u: interrupt %u is the virtual UART's: pick a free SPI", what, index, irq);
		return false;
	}
	return true;
}

/* Every virtual SPI a VM is given, named, for the duplicate check. */
struct spi_use {
	u32 irq;
	const char *kind; /* "window", "channel" or ".fwd_request_irq" */
	u32 index;
};

static u32 virtual_spis(const struct hyp_config *cfg, int i, struct spi_use *out, u32 max)
{
	const struct vm_config *vm = &cfg->vms[i];
	u32 n = 0;

	if (vm->fwd_request_irq && n < max)
		out[n++] = (struct spi_use){ vm->fwd_request_irq, "the request interrupt", 0 };
	for (u32 w = 0; w < nr_windows(vm) && n < max; w++)
		if (vm->windows[w].irq)
			out[n++] = (struct spi_use){ vm->windows[w].irq, "window", w };
	for (u32 k = 0; cfg->channels && k < MIN(cfg->nr_channels, (u32)MAX_CHANNELS); k++)
		for (u32 e = 0; e < 2 && n < max; e++)
			if (vm_by_name(cfg, cfg->channels[k].end[e].vm) == i)
				out[n++] = (struct spi_use){ cfg->channels[k].end[e].irq,
							     "channel", k };
	return n;
}

static void check_spi_duplicates(struct checker *c, int i)
{
	struct spi_use use[MAX_FWD_WINDOWS + 2 * MAX_CHANNELS + 1];
	u32 n = virtual_spis(c->cfg, i, use, ARRAY_SIZE(use));

	for (u32 a = 0; a < n; a++)
		for (u32 b = 0; b < a; b++)
			if (use[a].irq == use[b].irq)
				vm_error(c, i, "interrupt %u is given twice (%s %u and %s %u): each needs its own SPI",
					 use[a].irq, use[b].kind, use[b].index,
					 use[a].kind, use[a].index);
}

static void check_window(struct checker *c, int i, u32 w, unsigned ipa_bits)
{
	const struct vm_config *vm = &c->cfg->vms[i];
	const struct fwd_window *f = &vm->windows[w];
	struct vm_window win[MAX_VM_WINDOWS];
	u32 nw = vm_windows(vm, c->env->plat, win);
	u64 ipa = ipa_val(f->ipa);
	const char *name = f->name ? f->name : "unnamed";
	int srv;

	if (!f->size || !IS_ALIGNED(ipa, 8) || !IS_ALIGNED(f->size, 8) ||
	    ipa + f->size < ipa || ipa + f->size > 1UL << ipa_bits) {
		vm_error(c, i, "window %u (%s): IPA 0x%lx size 0x%lx: give a non-empty range, multiples of 8 bytes, inside the VM's %u-bit guest physical space",
			 w, name, ipa, f->size, ipa_bits);
		return;
	}
	for (u32 a = 0; a < nr_slots(vm); a++)
		if (overlaps(ipa, f->size, ipa_val(vm->slots[a].ipa), vm->slots[a].size))
			vm_error(c, i, "window %u (%s): IPA 0x%lx-0x%lx overlaps slot %u (0x%lx-0x%lx): a forwarded window must lie where the VM has no memory",
				 w, name, ipa, ipa + f->size - 1, vm->slots[a].id,
				 ipa_val(vm->slots[a].ipa),
				 ipa_val(vm->slots[a].ipa) + vm->slots[a].size - 1);
	for (u32 k = 0; k < nw; k++)
		if (overlaps(ipa, f->size, win[k].ipa, win[k].size))
			vm_error(c, i, "window %u (%s): IPA 0x%lx-0x%lx overlaps the %s the hypervisor emulates at 0x%lx-0x%lx",
				 w, name, ipa, ipa + f->size - 1, win[k].name, win[k].ipa,
				 win[k].ipa + win[k].size - 1);
	for (u32 k = 0; k < w; k++) {
		const struct fwd_window *o = &vm->windows[k];

		if (overlaps(ipa, f->size, ipa_val(o->ipa), o->size))
			vm_error(c, i, "window %u (%s): IPA 0x%lx-0x%lx overlaps window %u (0x%lx-0x%lx)",
				 w, name, ipa, ipa + f->size - 1, k, ipa_val(o->ipa),
				 ipa_val(o->ipa) + o->size - 1);
	}
	if (f->irq)
		check_virtual_spi(c, i, f->irq, "window", w);
	if (f->on_fail != FWD_FAIL_ABORT && f->on_fail != FWD_FAIL_ONES)
		vm_error(c, i, "window %u (%s): .on_fail is %u: use FWD_FAIL_ABORT or FWD_FAIL_ONES",
			 w, name, (unsigned)f->on_fail);
	if (f->timeout_us > 10000000)
		vm_error(c, i, "window %u (%s): .timeout_us is %u: at most 10 s (10000000), a frontend waits that long at worst",
			 w, name, f->timeout_us);

	srv = vm_by_name(c->cfg, f->server);
	if (srv < 0) {
		vm_error(c, i, "window %u (%s): .server \"%s\" names no VM of this configuration",
			 w, name, f->server ? f->server : "");
		return;
	}
	if (srv == i) {
		vm_error(c, i, "window %u (%s): .server is this VM itself: a VM cannot serve its own window (it would wait on itself)",
			 w, name);
		return;
	}
	const struct vm_config *s = &c->cfg->vms[srv];

	if (!s->fwd_request_irq)
		vm_error(c, srv, "serves window %u (%s) of vm \"%s\" but has no .fwd_request_irq, the SPI on which it hears of requests",
			 w, name, vm->name ? vm->name : "");
	if (!f->dma)
		return;
	const struct memslot *d = slot_by_id(s, f->dma_slot);

	if (!d || !(d->flags & SLOT_SHARED)) {
		vm_error(c, i, "window %u (%s): .dma_slot %u is not a SHARED slot of its server vm \"%s\"",
			 w, name, f->dma_slot, s->name ? s->name : "");
		return;
	}
	for (u32 a = 0; a < nr_slots(vm); a++) {
		const struct memslot *m = &vm->slots[a];

		if ((m->flags & SLOT_SHARED) &&
		    inside(pa_val(d->pa), d->size, pa_val(m->pa), m->size))
			return;
	}
	vm_error(c, i, "window %u (%s): .dma_slot %u of vm \"%s\" (host 0x%lx-0x%lx) does not lie inside a SHARED slot of this VM: it must map this VM's memory",
		 w, name, f->dma_slot, s->name ? s->name : "", pa_val(d->pa),
		 pa_val(d->pa) + d->size - 1);
}

/* A VM waits on its servers: a cycle of them could wait on itself. */
static bool serves_reach(const struct hyp_config *cfg, int from, int to, u32 depth)
{
	const struct vm_config *vm = &cfg->vms[from];

	if (depth > MAX_VMS)
		return false;
	for (u32 w = 0; w < nr_windows(vm); w++) {
		int s = vm_by_name(cfg, vm->windows[w].server);

		if (s < 0 || s == from)
			continue;
		if (s == to || serves_reach(cfg, s, to, depth + 1))
			return true;
	}
	return false;
}

static void check_windows(struct checker *c, int i, unsigned ipa_bits)
{
	const struct vm_config *vm = &c->cfg->vms[i];

	if (vm->nr_windows > MAX_FWD_WINDOWS || (vm->nr_windows && !vm->windows)) {
		vm_error(c, i, "has %u forwarded windows; give 0 to %u with WINDOWS(...)",
			 vm->nr_windows, MAX_FWD_WINDOWS);
		return;
	}
	if (vm->fwd_request_irq)
		check_virtual_spi(c, i, vm->fwd_request_irq, ".fwd_request_irq", 0);
	for (u32 w = 0; w < nr_windows(vm); w++)
		check_window(c, i, w, ipa_bits);
	if (serves_reach(c->cfg, i, i, 0))
		vm_error(c, i, "waits on itself through its windows' servers (a cycle: A's device partition is served by A): break the cycle");
	check_spi_duplicates(c, i);
}

static void check_channels(struct checker *c)
{
	const struct hyp_config *cfg = c->cfg;

	if (cfg->nr_channels > MAX_CHANNELS || (cfg->nr_channels && !cfg->channels)) {
		config_error(c, "there are %u channels; give 0 to %u with CHANNELS(...)",
			     cfg->nr_channels, MAX_CHANNELS);
		return;
	}
	for (u32 k = 0; k < cfg->nr_channels; k++) {
		const struct channel *ch = &cfg->channels[k];
		const struct memslot *slot[2] = { NULL, NULL };
		int vm[2];
		const char *name = ch->name ? ch->name : "unnamed";

		for (u32 e = 0; e < 2; e++) {
			vm[e] = vm_by_name(cfg, ch->end[e].vm);
			if (vm[e] < 0) {
				config_error(c, "channel %u (%s): end %u's .vm \"%s\" names no VM of this configuration",
					     k, name, e, ch->end[e].vm ? ch->end[e].vm : "");
				continue;
			}
			slot[e] = slot_by_id(&cfg->vms[vm[e]], ch->end[e].slot);
			if (!slot[e] || !(slot[e]->flags & SLOT_SHARED)) {
				slot_error(c, vm[e], (int)ch->end[e].slot,
					   "channel %u (%s): is not a SHARED slot of this VM; a channel's memory is a SHARED slot in each VM",
					   k, name);
				slot[e] = NULL;
			}
			check_virtual_spi(c, vm[e], ch->end[e].irq, "channel", k);
		}
		if (vm[0] >= 0 && vm[0] == vm[1])
			config_error(c, "channel %u (%s): both ends are vm \"%s\": a channel joins two VMs",
				     k, name, ch->end[0].vm);
		else if (slot[0] && slot[1] &&
			 (pa_val(slot[0]->pa) != pa_val(slot[1]->pa) || slot[0]->size != slot[1]->size))
			config_error(c, "channel %u (%s): vm \"%s\" slot %u (host 0x%lx, 0x%lx bytes) and vm \"%s\" slot %u (host 0x%lx, 0x%lx bytes) must back the same host memory",
				     k, name, ch->end[0].vm, slot[0]->id, pa_val(slot[0]->pa),
				     slot[0]->size, ch->end[1].vm, slot[1]->id,
				     pa_val(slot[1]->pa), slot[1]->size);
	}
}

void config_print_sharing(const struct hyp_config *cfg,
			  void (*out)(void *ctx, const char *fmt, ...), void *ctx)
{
	u32 nr_vms = cfg->vms ? MIN(cfg->nr_vms, (u32)MAX_VMS) : 0;
	bool title = false;

#define LINE(...)                                                        \
	do {                                                             \
		if (!title)                                              \
			out(ctx, "who can see whose memory, who serves whom:\n"); \
		title = true;                                            \
		out(ctx, __VA_ARGS__);                                   \
	} while (0)

	for (u32 i = 0; i < nr_vms; i++)
		for (u32 j = i + 1; j < nr_vms; j++)
			for (u32 a = 0; a < nr_slots(&cfg->vms[i]); a++)
				for (u32 b = 0; b < nr_slots(&cfg->vms[j]); b++) {
					const struct memslot *s = &cfg->vms[i].slots[a];
					const struct memslot *o = &cfg->vms[j].slots[b];
					u64 lo = MAX(pa_val(s->pa), pa_val(o->pa));
					u64 hi = MIN(pa_val(s->pa) + s->size, pa_val(o->pa) + o->size);

					if (lo >= hi)
						continue;
					LINE("  host 0x%lx-0x%lx: vm \"%s\" slot %u at IPA 0x%lx, vm \"%s\" slot %u at IPA 0x%lx\n",
					     lo, hi - 1, cfg->vms[i].name, s->id,
					     ipa_val(s->ipa) + (lo - pa_val(s->pa)),
					     cfg->vms[j].name, o->id,
					     ipa_val(o->ipa) + (lo - pa_val(o->pa)));
				}
	for (u32 k = 0; cfg->channels && k < MIN(cfg->nr_channels, (u32)MAX_CHANNELS); k++) {
		const struct channel *ch = &cfg->channels[k];

		LINE("  channel %u (%s): vm \"%s\" slot %u, doorbell SPI %u; vm \"%s\" slot %u, doorbell SPI %u\n",
		     k, ch->name ? ch->name : "unnamed", ch->end[0].vm, ch->end[0].slot,
		     ch->end[0].irq, ch->end[1].vm, ch->end[1].slot, ch->end[1].irq);
	}
	for (u32 i = 0; i < nr_vms; i++) {
		const struct vm_config *vm = &cfg->vms[i];

		for (u32 w = 0; w < nr_windows(vm); w++) {
			const struct fwd_window *f = &vm->windows[w];

			const char *fail = f->on_fail == FWD_FAIL_ONES ? "all ones" : "an abort";
			u32 us = f->timeout_us ? f->timeout_us : FWD_DEFAULT_TIMEOUT_US;

			if (f->irq)
				LINE("  vm \"%s\" window %u (%s) at IPA 0x%lx-0x%lx: served by vm \"%s\", SPI %u, on failure %s after %u us\n",
				     vm->name, w, f->name ? f->name : "unnamed", ipa_val(f->ipa),
				     ipa_val(f->ipa) + f->size - 1, f->server, f->irq, fail, us);
			else
				LINE("  vm \"%s\" window %u (%s) at IPA 0x%lx-0x%lx: served by vm \"%s\", no interrupt, on failure %s after %u us\n",
				     vm->name, w, f->name ? f->name : "unnamed", ipa_val(f->ipa),
				     ipa_val(f->ipa) + f->size - 1, f->server, fail, us);
			if (f->dma)
				LINE("    vm \"%s\" reaches vm \"%s\"'s memory for it through its slot %u\n",
				     f->server, vm->name, f->dma_slot);
		}
	}
#undef LINE
}

/* ---- Managers ---- */

/* Whether manager m lists VM j. */
static bool lists(const struct hyp_config *cfg, const struct manager_config *m,
		  int j)
{
	for (u32 k = 0; m && m->manages && k < MIN(m->nr_manages, (u32)MAX_VMS); k++)
		if (vm_by_name(cfg, m->manages[k]) == j)
			return true;
	return false;
}

/* The host range a manager hands out must be RAM nothing else uses. */
static void check_host_range(struct checker *c, int i,
			     const struct manager_config *m)
{
	const struct platform *plat = c->env->plat;
	u64 base = m->host_base, size = m->host_size, end = base + size - 1;

	if (!size || !IS_ALIGNED(base | size, PAGE_SIZE) || base + size < base) {
		vm_error(c, i, "manager host range 0x%lx, size 0x%lx: give a nonzero size, both multiples of 4 KiB, not wrapping",
			 base, size);
		return;
	}
	if (size / PAGE_SIZE <= host_range_bitmap_bytes(size) / PAGE_SIZE + 1) {
		vm_error(c, i, "manager host range of 0x%lx bytes is too small to hand out anything",
			 size);
		return;
	}
	if (!range_holding(plat->ram, MAX_RAM_RANGES, base, size))
		vm_error(c, i, "manager host range 0x%lx-0x%lx is not inside board %s's RAM",
			 base, end, plat->name);
	if (overlaps(base, size, plat->hyp_base, plat->hyp_size))
		vm_error(c, i, "manager host range 0x%lx-0x%lx overlaps the hypervisor's own memory (0x%lx-0x%lx)",
			 base, end, plat->hyp_base, plat->hyp_base + plat->hyp_size - 1);
	for (u32 j = 0; j < MIN(c->cfg->nr_vms, (u32)MAX_VMS); j++) {
		const struct vm_config *o = &c->cfg->vms[j];
		const struct guest_image *img[] = { &o->kernel, &o->initrd };

		for (u32 a = 0; a < nr_slots(o); a++) {
			const struct memslot *s = &o->slots[a];

			if (overlaps(base, size, pa_val(s->pa), s->size))
				vm_error(c, i, "manager host range 0x%lx-0x%lx overlaps vm \"%s\" slot %u (0x%lx-0x%lx): it must be memory no VM has",
					 base, end, o->name ? o->name : "", s->id,
					 pa_val(s->pa), pa_val(s->pa) + s->size - 1);
		}
		for (u32 k = 0; k < ARRAY_SIZE(img); k++)
			if (img[k]->kind != IMAGE_NONE && !img[k]->start &&
			    overlaps(base, size, img[k]->preload_pa, img[k]->preload_size))
				vm_error(c, i, "manager host range 0x%lx-0x%lx overlaps vm \"%s\"'s image preload area (0x%lx-0x%lx)",
					 base, end, o->name ? o->name : "", img[k]->preload_pa,
					 img[k]->preload_pa + img[k]->preload_size - 1);
		if ((int)j != i && o->manager &&
		    overlaps(base, size, o->manager->host_base, o->manager->host_size))
			vm_error(c, i, "manager host range 0x%lx-0x%lx overlaps vm \"%s\"'s host range",
				 base, end, o->name ? o->name : "");
	}
}

static void check_manager(struct checker *c, int i)
{
	const struct hyp_config *cfg = c->cfg;
	const struct manager_config *m = cfg->vms[i].manager;

	for (u32 j = 0; j < MIN(cfg->nr_vms, (u32)MAX_VMS); j++)
		if ((int)j != i && m && lists(cfg, cfg->vms[j].manager, i))
			vm_error(c, i, "is a manager and is managed by vm \"%s\": a manager cannot be managed",
				 cfg->vms[j].name ? cfg->vms[j].name : "");
	if (!m)
		return;
	if (!m->manages || !m->nr_manages || m->nr_manages > MAX_VMS) {
		vm_error(c, i, "manager lists %u VMs: name 1 to %u with MANAGES(...)",
			 m->manages ? m->nr_manages : 0, MAX_VMS);
		return;
	}
	for (u32 k = 0; k < m->nr_manages; k++) {
		int j = vm_by_name(cfg, m->manages[k]);
		const char *name = m->manages[k] ? m->manages[k] : "";

		if (j < 0) {
			vm_error(c, i, "manages \"%s\", which is no VM of this configuration",
				 name);
			continue;
		}
		if (j == i)
			vm_error(c, i, "manages itself: a manager changes other VMs' memory only");
		else if (cfg->vms[j].forbid_management)
			vm_error(c, i, "manages \"%s\", whose own policy forbids it (.forbid_management): drop one or the other",
				 name);
		for (u32 l = 0; l < k; l++)
			if (vm_by_name(cfg, m->manages[l]) == j)
				vm_error(c, i, "lists \"%s\" twice in MANAGES(...)", name);
		for (int o = 0; o < i; o++)
			if (lists(cfg, cfg->vms[o].manager, j))
				vm_error(c, i, "manages \"%s\", which vm \"%s\" manages already: a VM has one manager",
					 name, cfg->vms[o].name ? cfg->vms[o].name : "");
	}
	check_host_range(c, i, m);
}

void check_where_print(const struct check_where *w,
		       void (*out)(void *ctx, const char *fmt, ...), void *ctx)
{
	if (w->vm < 0) {
		out(ctx, "config: ");
		return;
	}
	if (w->vm_name && w->vm_name[0])
		out(ctx, "vm \"%s\"", w->vm_name);
	else
		out(ctx, "vm #%d", w->vm);
	if (w->slot >= 0)
		out(ctx, " slot %d", w->slot);
	if (w->vcpu >= 0)
		out(ctx, " vcpu %d", w->vcpu);
	out(ctx, ": ");
}

/* ---- The whole configuration ---- */

u32 config_check(const struct hyp_config *cfg, const struct check_env *env,
		 struct check_sink *sink, bool vm_ok[MAX_VMS])
{
	struct checker c = { cfg, env, sink, vm_ok };
	u32 nr_vms = MIN(cfg->nr_vms, (u32)MAX_VMS);
	u32 errors_before = sink->errors;
	u64 pages = 0;

	for (u32 i = 0; i < MAX_VMS; i++)
		vm_ok[i] = i < nr_vms;
	if (cfg->nr_vms == 0 || !cfg->vms) {
		config_error(&c, "there are no VMs: add at least one to .vms (VMS(...))");
		return sink->errors - errors_before;
	}
	if (cfg->nr_vms > MAX_VMS)
		config_error(&c, "there are %u VMs; the limit is %u", cfg->nr_vms, MAX_VMS);

	for (u32 i = 0; i < nr_vms; i++) {
		const struct vm_config *vm = &cfg->vms[i];
		unsigned ipa_bits = vm->slots ? vm_ipa_bits(vm, env->cpu_pa_bits) :
						env->cpu_pa_bits;

		check_names(&c, i);
		check_vcpus(&c, i);
		if (vm->ipa_bits && (vm->ipa_bits < 32 || vm->ipa_bits > env->cpu_pa_bits)) {
			vm_error(&c, i, ".ipa_bits is %u: it must be between 32 and the CPUs' %u",
				 vm->ipa_bits, env->cpu_pa_bits);
			/* Check the slots against what the CPUs allow instead:
			 * no cascade of errors, no shift by 64 or more. */
			ipa_bits = env->cpu_pa_bits;
		}
		check_slots(&c, i, ipa_bits);
		check_cross_vm(&c, i);
		check_image(&c, i, "kernel", &vm->kernel, !vm->boot_from_flash);
		check_image(&c, i, "initrd", &vm->initrd, false);
		check_loads(&c, i);
		check_flash(&c, i);
		check_irqs(&c, i);
		check_windows(&c, i, ipa_bits);
		check_manager(&c, i);
		if (vm_ok[i]) {
			pages += vm_table_pages(vm, env->plat, ipa_bits);
			for (u32 a = 0; a < nr_slots(vm); a++)
				if (vm->slots[a].flags & SLOT_LOG_DIRTY)
					pages += slot_bitmap_pages(vm->slots[a].size);
		}
	}
	check_channels(&c);
	if (pages > env->pool_pages)
		config_error(&c,
			     "the VMs need %lu pages for stage-2 tables and dirty bitmaps but the page pool has %lu free; build with a larger pool (make POOL_PAGES=%lu)",
			     pages, env->pool_pages, pages + (POOL_PAGES - env->pool_pages));
	return sink->errors - errors_before;
}
