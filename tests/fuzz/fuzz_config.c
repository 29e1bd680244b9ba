/*
 * A libFuzzer target over the configuration checker, the stage-2 builder
 * and the oracle (tests/host/oracle.h).
 *
 * The input is a script of edits to a valid configuration and board: each
 * edit writes one field (a slot's IPA, a VM's vCPU count, a RAM range, ...)
 * with a value that may be anything, or adds a slot or a VM, or queues an
 * unmap or protect to run after the build. Short inputs thus reach deep, and
 * the empty input is a configuration that passes. The checker judges the
 * result; every VM it lets start is built, and must build, translate exactly
 * its slots (the oracle), take exactly the pages the checker counted, and
 * still translate as the model says after the queued changes.
 *
 * Board values stay within what include/platform.h promises (pa_bits at
 * most 48, GIC version 2 or 3, a page-aligned GICV frame); everything else
 * is arbitrary.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_mm.h"
#include "oracle.h"
#include "stage2.h"
#include "validate.h"

#define NR_VMS (MAX_VMS + 2)    /* room for too many */
#define NR_SLOTS (MAX_SLOTS + 4)
#define MAX_CHANGES 16
#define MAX_POOL 1024           /* keeps every run small */

/* ---- Reading the input ---- */

struct input {
	const u8 *p;
	size_t n;
};

static u64 take(struct input *in, unsigned bytes)
{
	u64 v = 0;

	for (unsigned i = 0; i < bytes && in->n; i++, in->n--)
		v |= (u64)*in->p++ << (8 * i);
	return v;
}

/* Addresses and sizes the rules turn on, to land near. */
static const u64 landmarks[] = {
	0, 0x1000, 0x200000, 0x40000000, 0x08000000, 0x08010000, 0x08012000,
	0x080a0000, 0x09000000, 0x09001000, 0x09010000, 0x0a000000,
	0x10000000, 0x40000000, 0x41000000, 0x44000000, 0x50000000,
	0x80000000, 0x100000000, 1UL << 36, 1UL << 40, 1UL << 42,
	1UL << 44, 1UL << 48, ~0UL,
};

/* A value: any 64 bits, or a small one, or a multiple of a page, a block
 * or a GiB, or a landmark give or take a few pages. */
static u64 take_value(struct input *in)
{
	switch (take(in, 1) % 8) {
	case 0:
		return take(in, 8);
	case 1:
		return take(in, 1);
	case 2:
		return take(in, 2) * PAGE_SIZE;
	case 3:
		return take(in, 2) * SZ_2M;
	case 4:
		return take(in, 1) * SZ_1G;
	case 5:
		return landmarks[take(in, 1) % ARRAY_SIZE(landmarks)] +
		       (u64)(s64)(s8)take(in, 1) * PAGE_SIZE;
	case 6:
		return landmarks[take(in, 1) % ARRAY_SIZE(landmarks)];
	default:
		return take(in, 4);
	}
}

/* ---- The configuration being edited ---- */

static struct platform plat;
static struct memslot slots[NR_VMS][NR_SLOTS];
static struct vm_config vms[NR_VMS];
static char names[NR_VMS][24];
static struct hyp_config cfg;
static struct check_env env;
static const u8 image[64];

struct change {
	bool unmap;
	u32 vm;
	u64 ipa, size;
	pt_prot_t prot;
};
static struct change changes[MAX_CHANGES];
static u32 nr_changes;

static void base_vm(u32 v)
{
	snprintf(names[v], sizeof(names[v]), "vm%u", v);
	slots[v][0] = (struct memslot){ .id = 0, .ipa = IPA(0x40000000),
					.size = 2 * SZ_2M,
					.pa = PA(0x44000000 + v * 2 * SZ_2M) };
	vms[v] = (struct vm_config){
		.name = names[v],
		.nr_vcpus = 1,
		.vcpu_pcpu = { v },
		.slots = slots[v],
		.nr_slots = 1,
		.kernel = { .kind = IMAGE_RAW, .start = image,
			    .end = image + sizeof(image) },
		.vuart = true,
	};
}

static void base(void)
{
	plat = (struct platform){
		.name = "fuzz",
		.ram = {
			{ "ram", 0x40000000, 0x40000000 },
			{ "high", 0x100000000, 0x100000000 },
		},
		.devices = {
			{ "uart", 0x09000000, 0x1000 },
			{ "rtc", 0x09010000, 0x1000 },
			{ "virtio", 0x0a000000, 0x4000 },
			{ "pcie", 0x10000000, 0x2eff0000 },
		},
		.uart = { UART_PL011, 0x09000000, 33 },
		.gic = { .version = GIC_V3 },
		.pa_bits = 44,
		.nr_cpus = MAX_CPUS,
		.hyp_base = 0x40000000,
		.hyp_size = 0x1000000,
	};
	memset(slots, 0, sizeof(slots));
	memset(vms, 0, sizeof(vms));
	for (u32 v = 0; v < NR_VMS; v++)
		base_vm(v);
	cfg = (struct hyp_config){ .vms = vms, .nr_vms = 1 };
	env = (struct check_env){ .plat = &plat, .cpu_pa_bits = 44,
				  .pool_pages = 512 };
	nr_changes = 0;
}

static void edit_slot(struct input *in, struct memslot *s)
{
	switch (take(in, 1) % 5) {
	case 0:
		s->id = take(in, 1) & 1 ? take(in, 1) % 40 : take_value(in);
		break;
	case 1:
		s->ipa = IPA(take_value(in));
		break;
	case 2:
		s->size = take_value(in);
		break;
	case 3:
		s->pa = PA(take_value(in));
		break;
	default:
		s->flags = take(in, 1) & 1 ? take(in, 1) & SLOT_KNOWN_FLAGS :
					     take(in, 4);
		break;
	}
}

static const char *pick_name(struct input *in, u32 v)
{
	static const char *const fixed[] = { NULL, "", "vm0", "vm1",
					     "fifteen-chars-x", "sixteen-chars-xx" };
	u64 how = take(in, 1) % 8;

	if (how < ARRAY_SIZE(fixed))
		return fixed[how];
	/* Bytes of the input, NUL-terminated. */
	for (u32 i = 0; i + 1 < sizeof(names[v]); i++)
		names[v][i] = (char)('a' + take(in, 1) % 26);
	names[v][take(in, 1) % sizeof(names[v])] = 0;
	return names[v];
}

static void edit_image(struct input *in, struct guest_image *img)
{
	switch (take(in, 1) % 4) {
	case 0:
		img->kind = take(in, 1) % 4;
		break;
	case 1: /* built in: empty, backwards or fine */
		img->start = take(in, 1) & 1 ? image : NULL;
		img->end = image + take(in, 1) % (sizeof(image) + 1);
		break;
	case 2:
		img->start = img->end = NULL;
		img->preload_pa = take_value(in);
		break;
	default:
		img->preload_size = take_value(in);
		break;
	}
}

static void edit_vm(struct input *in, u32 v)
{
	struct vm_config *vm = &vms[v];

	switch (take(in, 1) % 10) {
	case 0:
		vm->name = pick_name(in, v);
		break;
	case 1:
		vm->nr_vcpus = take(in, 1) % (MAX_VCPUS + 3);
		break;
	case 2:
		vm->vcpu_pcpu[take(in, 1) % MAX_VCPUS] = take(in, 1);
		break;
	case 3:
		vm->ipa_bits = take(in, 1) & 1 ? take(in, 1) % 64 :
						 take_value(in);
		break;
	case 4:
		vm->vuart = !vm->vuart;
		break;
	case 5:
		edit_image(in, &vm->kernel);
		break;
	case 6:
		edit_image(in, &vm->initrd);
		break;
	case 7:
		vm->irqs[take(in, 1) % MAX_VM_IRQS] = take_value(in);
		break;
	case 8:
		vm->nr_irqs = take(in, 1) % (MAX_VM_IRQS + 3);
		break;
	default:
		/* The count may be anything the array holds, or the array
		 * may be missing. */
		vm->nr_slots = take(in, 1) % (NR_SLOTS + 1);
		vm->slots = take(in, 1) % 8 ? slots[v] : NULL;
		break;
	}
}

static void edit_range(struct input *in, struct mem_range *r)
{
	if (take(in, 1) & 1)
		r->base = take_value(in);
	else
		r->size = take_value(in);
}

static void edit_board(struct input *in)
{
	switch (take(in, 1) % 9) {
	case 0:
		edit_range(in, &plat.ram[take(in, 1) % MAX_RAM_RANGES]);
		break;
	case 1:
		edit_range(in, &plat.devices[take(in, 1) % MAX_DEVICE_WINDOWS]);
		break;
	case 2:
		plat.hyp_base = take_value(in);
		break;
	case 3:
		plat.hyp_size = take_value(in);
		break;
	case 4:
		plat.gic.version = take(in, 1) & 1 ? GIC_V2 : GIC_V3;
		break;
	case 5:
		/* A frame the board has: page-aligned, below 2^48. */
		plat.gic.gicv = take_value(in) & GENMASK(47, 12);
		plat.gic.gicv = MIN(plat.gic.gicv, (1UL << 48) - SZ_64K);
		break;
	case 6:
		plat.uart.base = take_value(in);
		break;
	case 7:
		plat.uart.intid = take_value(in);
		break;
	default:
		plat.nr_cpus = take(in, 1) % (MAX_CPUS + 2);
		break;
	}
}

static void read_script(struct input *in)
{
	while (in->n) {
		u32 v = take(in, 1) % NR_VMS;

		switch (take(in, 1) % 8) {
		case 0: /* add a slot */
			if (vms[v].slots && vms[v].nr_slots < NR_SLOTS) {
				u32 n = vms[v].nr_slots++;
				struct memslot *s = &slots[v][n];

				*s = (struct memslot){ .id = n };
				s->ipa = IPA(take_value(in));
				s->size = take_value(in);
				s->pa = PA(take_value(in));
				s->flags = take(in, 1) & SLOT_KNOWN_FLAGS;
			}
			break;
		case 1:
			edit_slot(in, &slots[v][take(in, 1) % NR_SLOTS]);
			break;
		case 2: /* one VM more */
			if (cfg.nr_vms < NR_VMS)
				cfg.nr_vms++;
			break;
		case 3:
			edit_vm(in, v);
			break;
		case 4:
			edit_board(in);
			break;
		case 5:
			if (take(in, 1) & 1)
				env.cpu_pa_bits = take(in, 1) % 49;
			else
				env.pool_pages = take(in, 2) % (MAX_POOL + 1);
			break;
		case 6:
			switch (take(in, 1) % 3) {
			case 0:
				cfg.allow_pcpu_sharing ^= true;
				break;
			case 1:
				cfg.nr_vms = take(in, 1) % (NR_VMS + 1);
				break;
			default:
				cfg.vms = cfg.vms ? NULL : vms;
				break;
			}
			break;
		default: /* after the build: unmap or protect a range */
			if (nr_changes < MAX_CHANGES)
				changes[nr_changes++] = (struct change){
					.unmap = take(in, 1) & 1,
					.vm = v,
					.ipa = take_value(in),
					.size = take_value(in),
					.prot = take(in, 1) & PT_RWX,
				};
			break;
		}
	}
}

/* ---- Checking what the checker accepted ---- */

static void quiet(void *ctx, bool error, const struct check_where *where,
		  const char *fmt, va_list ap)
{
}

static struct fake_mm fm;
static struct vm_mem mem;
static struct oracle_model model;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz_config: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static u64 bitmap_pages(const struct vm_config *vm)
{
	u64 pages = 0;

	for (u32 i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i].flags & SLOT_LOG_DIRTY)
			pages += (vm->slots[i].size / PAGE_SIZE +
				  8 * PAGE_SIZE - 1) / (8 * PAGE_SIZE);
	return pages;
}

static void check_tables(const struct vm_config *vm, const char *when)
{
	char err[400];
	u64 tables;

	if (!oracle_check(&mem.s2, &model, &tables, err, sizeof(err)))
		fail("vm %s, %s: %s", vm->name, when, err);
	if (fm.pages_live != tables + bitmap_pages(vm) || fm.bad_frees)
		fail("vm %s, %s: %lu pages live, %lu in tables, %lu in bitmaps",
		     vm->name, when, fm.pages_live, tables, bitmap_pages(vm));
}

/* Builds an accepted VM and holds it to the oracle; returns the pages the
 * build took. */
static u64 check_vm(const struct vm_config *vm, u32 index)
{
	u64 built, planned;
	int err;

	fake_mm_init(&fm);
	err = vm_mem_build(&mem, vm, &plat, env.cpu_pa_bits, index + 1,
			   &fm.ops);
	if (err)
		fail("vm %s: accepted, but vm_mem_build says %d", vm->name, err);
	built = fm.pages_allocated;
	planned = vm_table_pages(vm, &plat, mem.ipa_bits);
	if (built != planned + bitmap_pages(vm))
		fail("vm %s: the build took %lu pages, the checker counted %lu + %lu",
		     vm->name, built, planned, bitmap_pages(vm));
	oracle_model_init(&model, vm, &plat);
	check_tables(vm, "as built");

	for (u32 i = 0; i < nr_changes; i++) {
		const struct change *c = &changes[i];
		u64 limit = 1UL << mem.ipa_bits;
		u64 ipa = ALIGN_DOWN(c->ipa % limit, PAGE_SIZE);
		u64 size = ALIGN_UP(c->size % (limit - ipa) + 1, PAGE_SIZE);

		if (c->vm != index)
			continue;
		size = MIN(size, limit - ipa);
		mem.s2.live = c->prot & 1;
		err = c->unmap ? pt_unmap(&mem.s2, ipa, size) :
				 pt_protect(&mem.s2, ipa, size, c->prot);
		if (err)
			fail("vm %s: %s 0x%lx+0x%lx: %d", vm->name,
			     c->unmap ? "unmap" : "protect", ipa, size, err);
		if (c->unmap)
			oracle_model_unmap(&model, ipa, size);
		else
			oracle_model_protect(&model, ipa, size, c->prot);
		check_tables(vm, c->unmap ? "after an unmap" : "after a protect");
	}

	for (u32 i = 0; i < mem.nr_slots; i++)
		if (mem.slots[i].dirty)
			fm.ops.free_pages(fm.ops.ctx, mem.slots[i].dirty,
				slot_bitmap_pages(mem.slots[i].cfg.size));
	pt_destroy(&mem.s2);
	if (fm.pages_live || fm.bad_frees)
		fail("vm %s: %lu pages leaked", vm->name, fm.pages_live);
	fake_mm_fini(&fm);
	return built;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	struct check_sink sink = { .vprint = quiet };
	bool vm_ok[MAX_VMS];
	u32 errors;
	u64 pages = 0;

	base();
	read_script(&in);
	errors = config_check(&cfg, &env, &sink, vm_ok);
	if (errors != sink.errors)
		fail("config_check returned %u errors but reported %u", errors,
		     sink.errors);
	for (u32 i = 0; i < MAX_VMS; i++) {
		if (vm_ok[i] && (!cfg.vms || i >= cfg.nr_vms))
			fail("vm_ok[%u] set for a VM that does not exist", i);
		if (!errors && cfg.vms && i < cfg.nr_vms && !vm_ok[i])
			fail("no errors, but VM %u may not start", i);
		if (vm_ok[i])
			pages += check_vm(&vms[i], i);
	}
	if (pages > env.pool_pages)
		fail("the VMs took %lu pages; the checker let them have %lu",
		     pages, env.pool_pages);
	return 0;
}
