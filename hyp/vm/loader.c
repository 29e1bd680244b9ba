/*
 * Guest images into guest memory, where QEMU's virt puts them for each kind
 * of image (docs/configuration.md, "Where the loader puts things"):
 *  - a Linux arm64 Image at RAM base + its header's text_offset
 *    (Documentation/arm64/booting.rst), the initrd after it at the next
 *    2 MiB boundary, the device tree in the last 2 MiB of the RAM slot at
 *    RAM base (8-byte aligned, at most 2 MiB, a 2 MiB region of its own);
 *  - any other image (IMAGE_RAW: a bare-metal payload, U-Boot) at RAM base
 *    + 0x80000, and the device tree at RAM base itself, which is where QEMU
 *    leaves it for firmware and where U-Boot's qemu_arm64 board reads it.
 *  - nothing for a VM that boots from flash (.boot_from_flash, QEMU's
 *    -bios): it is entered at IPA 0, in flash bank 0, with the device tree
 *    at RAM base.
 * All get x0 = the tree's IPA. Then the configuration's further files
 * (.loads), at their IPAs. Images built into the firmware, or left by the
 * bootloader at their preload address, are the pristine copies a reset
 * reloads from. A load is planned once (vm_load_begin) and written in
 * bounded steps (vm_load_step): a reset's runs in the VM's own turns.
 */
#include "loader.h"
#include "cache.h"
#include "guest_platform.h"
#include "log.h"
#include "mem.h"
#include "platform.h"
#include "vm.h"
#include "vm_dt.h"

#define ARM64_MAGIC 0x644d5241 /* "ARM\x64" */

struct blob {
	const u8 *data;
	u64 size;
};

/* From the build (check-config --preload-sizes): the preloaded files'
 * sizes, 0 when unknown. */
extern const u64 preload_file_size[MAX_VMS][2];

/* which: 0 the kernel, 1 the initrd, 2 onwards the loads (whose preloaded
 * sizes are not recorded: their whole window is copied). */
static struct blob image_source(const struct vm *vm, const struct guest_image *img,
				 u32 which)
{
	u64 size = which < 2 ? preload_file_size[vm->index][which] : 0;

	if (img->start)
		return (struct blob){ img->start, (u64)(img->end - img->start) };
	/* Unknown (made after the firmware): the whole window. */
	if (!size || size > img->preload_size)
		size = img->preload_size;
	return (struct blob){ (const u8 *)(uintptr_t)img->preload_pa, size };
}

static u64 le64(const u8 *p)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Where the kernel goes and how much memory it claims. */
static int kernel_layout(struct vm *vm, struct blob k, u64 *load, u64 *claim)
{
	if (vm->cfg->kernel.kind == IMAGE_RAW) {
		*load = VIRT_RAM_BASE + VIRT_RAW_IMAGE_OFFSET;
		*claim = k.size;
		return 0;
	}
	if (k.size < 64 || (u32)le64(k.data + 56) != ARM64_MAGIC) {
		log_err("vm \"%s\": the kernel is not an arm64 Image (no ARM\\x64 "
			"magic at offset 56); give a raw binary as IMAGE_RAW",
			vm->cfg->name);
		return -1;
	}
	u64 text_offset = le64(k.data + 8), image_size = le64(k.data + 16);

	if (image_size == 0) { /* before Linux 3.17: assume the old defaults */
		text_offset = 0x80000;
		image_size = k.size;
	}
	*load = VIRT_RAM_BASE + text_offset;
	*claim = MAX(image_size, k.size);
	return 0;
}

/*
 * The loader writes through EL2's cacheable mapping of RAM, but a guest
 * starts with its MMU off, so its reads and fetches are non-cacheable and
 * go to memory: lines still dirty in a cache would leave it the old
 * contents (its previous run's data, another image), and a later eviction
 * would overwrite what it wrote meanwhile. So every range the loader
 * writes (zeros included) is cleaned to the point of coherency and
 * invalidated right after it is written, and the instruction caches are
 * invalidated before the VM starts (vm_load's end): no stale code from a
 * previous run is fetched. A clearing done in chunks cleans each chunk as
 * it goes. QEMU models no caches; docs/reliability.md.
 */
static void clean_for_guest(struct vm *vm, u64 ipa, u64 size)
{
	while (size) {
		struct slot_state *s = vm_mem_find(&vm->mem, ipa);

		if (!s)
			return; /* the loader's write refused it too */
		u64 chunk = MIN(size, ipa_val(s->cfg.ipa) + s->cfg.size - ipa);
		void *host = guest_ptr(&vm->mem, ipa, chunk, false);

		if (host)
			dcache_clean_inval(host, chunk);
		ipa += chunk;
		size -= chunk;
	}
}

static int place(struct vm *vm, const struct load_job *j, u64 off, u64 len)
{
	int err = j->src ? guest_load(&vm->mem, j->ipa + off, j->src + off, len)
			 : guest_clear(&vm->mem, j->ipa + off, len);

	if (!err)
		clean_for_guest(vm, j->ipa + off, len);

	if (err)
		log_err("vm \"%s\": the %s (0x%lx bytes at IPA 0x%lx) does not "
			"fit in its RAM slots: give it a larger RAM slot at 0x%lx",
			vm->cfg->name, j->what, j->size, j->ipa, VIRT_RAM_BASE);
	return err;
}

static void add_job(struct vm_load_plan *p, const char *what, u64 ipa,
		    const void *src, u64 size)
{
	p->job[p->nr_jobs++] = (struct load_job){ what, ipa, size, src };
}

static bool overlap(u64 a, u64 a_size, u64 b, u64 b_size)
{
	return a < b + b_size && b < a + a_size;
}

/* The configuration's further files, as QEMU's generic loader would copy
 * them; they may not cover the kernel or the device tree. */
static int plan_loads(struct vm *vm, u64 kernel, u64 kernel_size, u64 dtb)
{
	const struct vm_config *cfg = vm->cfg;

	for (u32 i = 0; i < cfg->nr_loads && i < MAX_VM_LOADS; i++) {
		const struct guest_load *l = &cfg->loads[i];
		struct blob b = image_source(vm, &l->img, 2 + i);
		const char *what = l->img.file ? l->img.file : "file";

		if (overlap(l->ipa, b.size, kernel, kernel_size) ||
		    overlap(l->ipa, b.size, dtb, VM_DT_MAX_SIZE)) {
			log_err("vm \"%s\": load %u (0x%lx bytes at IPA 0x%lx) "
				"covers its kernel (0x%lx-0x%lx) or device tree "
				"(0x%lx): move it in the configuration",
				cfg->name, i, b.size, l->ipa, kernel,
				kernel + kernel_size, dtb);
			return -1;
		}
		add_job(&vm->load, what, l->ipa, b.data, b.size);
	}
	return 0;
}

/* One buffer for every VM's tree: VMs may reset on several CPUs at once. */
static u8 dt_buf[VM_DT_MAX_SIZE] __aligned(8);
static struct memslot dt_slots[MAX_SLOTS];
static spinlock_t dt_lock = SPINLOCK_INIT;

const struct vm_config *vm_config_now(const struct vm *vm, struct vm_config *now,
				      struct memslot slots[MAX_SLOTS])
{
	bool run_time = false;

	/* Configured slots never change (RULE_FIXED): only run-time ones
	 * make the tree differ from the configuration's. */
	for (u32 i = 0; i < vm->mem.nr_slots; i++)
		run_time |= !(vm->mem.fixed_ids & BIT(vm->mem.slots[i].cfg.id));
	if (!run_time)
		return vm->cfg;
	*now = *vm->cfg;
	for (u32 i = 0; i < vm->mem.nr_slots; i++)
		slots[i] = vm->mem.slots[i].cfg;
	now->slots = slots;
	now->nr_slots = vm->mem.nr_slots;
	return now;
}

int vm_load_begin(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	struct vm_load_plan *p = &vm->load;
	struct blob kernel = image_source(vm, &cfg->kernel, 0);
	struct slot_state *ram = vm_mem_find(&vm->mem, VIRT_RAM_BASE);
	u64 load, claim;

	*p = (struct vm_load_plan){ 0 };
	p->dt = (struct vm_dt_params){ .channels = config.channels,
				       .nr_channels = config.nr_channels };
	/* Nothing of an earlier run, or of whatever used this memory before,
	 * may be seen by the guest. */
	for (u32 i = 0; i < vm->mem.nr_slots; i++) {
		struct slot_state *s = &vm->mem.slots[i];

		if (!(s->cfg.flags & SLOT_DEVICE) && !(s->cfg.flags & SLOT_SHARED))
			add_job(p, "RAM slot", ipa_val(s->cfg.ipa), NULL, s->cfg.size);
	}

	if (cfg->boot_from_flash) {
		/* QEMU's -bios: the firmware runs from flash bank 0, which
		 * holds it already (hyp/flash); its tree at RAM base. */
		p->entry_pc = VIRT_FLASH_BASE;
		p->dtb_ipa = VIRT_RAM_BASE;
		return plan_loads(vm, VIRT_FLASH_BASE, 0, VIRT_RAM_BASE);
	}
	if (kernel_layout(vm, kernel, &load, &claim))
		return -1;
	add_job(p, "kernel", load, kernel.data, kernel.size);

	u64 next = ALIGN_UP(load + claim, SZ_2M);
	if (cfg->initrd.kind != IMAGE_NONE) {
		struct blob initrd = image_source(vm, &cfg->initrd, 1);

		add_job(p, "initrd", next, initrd.data, initrd.size);
		p->dt.initrd_ipa = next;
		p->dt.initrd_size = initrd.size;
		next = ALIGN_UP(next + initrd.size, SZ_2M);
	}

	u64 ram_end = ipa_val(ram->cfg.ipa) + ram->cfg.size;
	u64 dtb = ALIGN_DOWN(ram_end - 1, SZ_2M);
	if (cfg->kernel.kind == IMAGE_RAW)
		dtb = VIRT_RAM_BASE; /* below the image: VM_DT_MAX_SIZE fits */
	else if (dtb < next) {
		log_err("vm \"%s\": no room left for its device tree after the "
			"kernel and initrd (RAM ends at 0x%lx): give it more RAM",
			cfg->name, ram_end);
		return -1;
	}
	p->entry_pc = load;
	p->dtb_ipa = dtb;
	return plan_loads(vm, load, claim, dtb);
}

static int write_dt(struct vm *vm)
{
	struct vm_load_plan *p = &vm->load;
	int err;

	struct vm_config now;

	/* A reload step: the slot table holds still (a held VM takes none). */
	spin_lock(&dt_lock);
	int size = vm_dt_build(vm_config_now(vm, &now, dt_slots), &platform, &p->dt, dt_buf,
			       sizeof(dt_buf));
	struct load_job j = { "device tree", p->dtb_ipa, (u64)size, dt_buf };

	err = size < 0 ? size : place(vm, &j, 0, j.size);
	spin_unlock(&dt_lock);
	if (size < 0)
		log_err("vm \"%s\": its device tree did not fit in %u bytes (error %d)",
			vm->cfg->name, (unsigned)sizeof(dt_buf), size);
	return err;
}

int vm_load_step(struct vm *vm)
{
	struct vm_load_plan *p = &vm->load;

	while (p->cur < p->nr_jobs && p->done == p->job[p->cur].size) {
		p->cur++;
		p->done = 0;
	}
	if (p->cur == p->nr_jobs) {
		int err = write_dt(vm);

		if (err)
			return err;
		vm->entry_pc = p->entry_pc;
		vm->dtb_ipa = p->dtb_ipa;
		/* Every CPU's instruction cache (inner shareable): the VM's
		 * vCPUs may run on other CPUs than this one. */
		__asm__ volatile("ic ialluis" ::: "memory");
		dsb(ish);
		isb();
		return 1;
	}
	const struct load_job *j = &p->job[p->cur];
	u64 len = MIN(j->size - p->done, (u64)LOAD_STEP_BYTES);
	int err = place(vm, j, p->done, len);

	if (err)
		return err;
	p->done += len;
	return 0;
}
