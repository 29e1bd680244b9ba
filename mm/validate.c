/* The configuration checker (see validate.h and docs/configuration.md). */
#include "validate.h"
#include "guest_platform.h"
#include "layout.h"
#include "mem.h"
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

/* The checks that need only the slot itself. */
static bool check_slot_alone(struct checker *c, int i, const struct memslot *s,
			     unsigned ipa_bits)
{
	const struct platform *plat = c->env->plat;
	u64 ipa = ipa_val(s->ipa), pa = pa_val(s->pa);
	bool ok = true;

	if (s->id >= MAX_SLOTS) {
		slot_error(c, i, s->id, "id %u is too large: ids go from 0 to %u", s->id,
			   MAX_SLOTS - 1);
		ok = false;
	}
	if (s->flags & ~SLOT_KNOWN_FLAGS) {
		slot_error(c, i, s->id, "unknown flags 0x%x: known are READONLY, LOG_DIRTY, DEVICE, NOEXEC, SHARED",
			   (unsigned)(s->flags & ~SLOT_KNOWN_FLAGS));
		ok = false;
	}
	if (s->size == 0) {
		slot_error(c, i, s->id, "size is 0: a slot needs at least one 4 KiB page");
		return false;
	}
	if (!IS_ALIGNED(ipa, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    !IS_ALIGNED(s->size, PAGE_SIZE)) {
		slot_error(c, i, s->id,
			   "IPA 0x%lx, PA 0x%lx and size 0x%lx must all be multiples of 4 KiB (0x1000)",
			   ipa, pa, s->size);
		return false;
	}
	if (ipa + s->size < ipa || pa + s->size < pa) {
		slot_error(c, i, s->id, "wraps around the end of the address space (IPA 0x%lx, PA 0x%lx, size 0x%lx)",
			   ipa, pa, s->size);
		return false;
	}
	/* Stage-2 descriptors hold 48-bit output addresses at most. */
	if (pa + s->size > 1UL << MIN(c->env->cpu_pa_bits, 48u)) {
		slot_error(c, i, s->id,
			   "PA 0x%lx-0x%lx lies beyond the CPUs' %u-bit physical address space",
			   pa, pa + s->size - 1, MIN(c->env->cpu_pa_bits, 48u));
		ok = false;
	}
	if (ipa + s->size > 1UL << ipa_bits) {
		slot_error(c, i, s->id,
			   "IPA 0x%lx-0x%lx ends beyond the VM's %u-bit guest physical space (0x%lx); move it lower%s",
			   ipa, ipa + s->size - 1, ipa_bits, 1UL << ipa_bits,
			   c->cfg->vms[i].ipa_bits ? " or raise .ipa_bits" : "");
		ok = false;
	}
	if ((s->flags & SLOT_DEVICE) && (s->flags & SLOT_LOG_DIRTY)) {
		slot_error(c, i, s->id, "LOG_DIRTY cannot be used on a DEVICE slot: device registers are not memory");
		ok = false;
	}
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

static void check_slots(struct checker *c, int i, unsigned ipa_bits)
{
	const struct vm_config *vm = &c->cfg->vms[i];
	struct vm_window win[MAX_VM_WINDOWS];
	u32 nw = vm_windows(vm, c->env->plat, win);
	bool has_ram_base = false;

	if (vm->nr_slots == 0 || !vm->slots) {
		vm_error(c, i, "has no memory slots: give it at least a RAM slot at IPA 0x%lx (SLOTS(...))",
			 VIRT_RAM_BASE);
		return;
	}
	if (vm->nr_slots > MAX_SLOTS)
		vm_error(c, i, "has %u slots; the limit is %u", vm->nr_slots, MAX_SLOTS);

	for (u32 a = 0; a < nr_slots(vm); a++) {
		const struct memslot *s = &vm->slots[a];
		u64 ipa = ipa_val(s->ipa);

		/* Counted even for a slot with errors of its own, which are
		 * reported already: "no RAM at the base" would mislead. */
		if (!(s->flags & SLOT_DEVICE) && inside(VIRT_RAM_BASE, 1, ipa, s->size))
			has_ram_base = true;
		if (!check_slot_alone(c, i, s, ipa_bits))
			continue;
		warn_small_blocks(c, i, s, ipa_bits);
		for (u32 b = 0; b < a; b++) {
			const struct memslot *o = &vm->slots[b];

			if (o->id == s->id)
				slot_error(c, i, s->id, "id %u is used by another slot of this VM too; ids must be unique",
					   s->id);
			if (overlaps(ipa, s->size, ipa_val(o->ipa), o->size))
				slot_error(c, i, s->id, "IPA 0x%lx-0x%lx overlaps slot %u (0x%lx-0x%lx)",
					   ipa, ipa + s->size - 1, o->id, ipa_val(o->ipa),
					   ipa_val(o->ipa) + o->size - 1);
		}
		for (u32 w = 0; w < nw; w++)
			if (overlaps(ipa, s->size, win[w].ipa, win[w].size))
				slot_error(c, i, s->id,
					   "IPA 0x%lx-0x%lx overlaps the %s the hypervisor provides at 0x%lx-0x%lx",
					   ipa, ipa + s->size - 1, win[w].name, win[w].ipa,
					   win[w].ipa + win[w].size - 1);
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
		check_image(&c, i, "kernel", &vm->kernel, true);
		check_image(&c, i, "initrd", &vm->initrd, false);
		check_loads(&c, i);
		check_flash(&c, i);
		check_irqs(&c, i);
		if (vm_ok[i]) {
			pages += vm_table_pages(vm, env->plat, ipa_bits);
			for (u32 a = 0; a < nr_slots(vm); a++)
				if (vm->slots[a].flags & SLOT_LOG_DIRTY)
					pages += slot_bitmap_pages(vm->slots[a].size);
		}
	}
	if (pages > env->pool_pages)
		config_error(&c,
			     "the VMs need %lu pages for stage-2 tables and dirty bitmaps but the page pool has %lu free; build with a larger pool (make POOL_PAGES=%lu)",
			     pages, env->pool_pages, pages + (POOL_PAGES - env->pool_pages));
	return sink->errors - errors_before;
}
