/*
 * The oracle test: random valid slot tables (seeded, so a failure replays),
 * each accepted by the checker, built by vm_mem_build, and walked by the
 * oracle's own walker: every page of every slot must translate to exactly
 * its backing with exactly its attributes, nothing else may translate, and
 * the tables must take exactly the pages vm_table_pages promised. Then
 * random unmaps and protects, and the same checks against the model.
 *
 * ORACLE_SEED=0x... replays one case; ORACLE_ITERS=n runs more (or fewer).
 */
#include <stdarg.h>
#include <stdlib.h>

#include "errno.h"
#include "fake_mm.h"
#include "guest_platform.h"
#include "oracle.h"
#include "stage2.h"
#include "unit.h"
#include "validate.h"

#define GB (1UL << 30)
#define MB (1UL << 20)
#define DEFAULT_ITERS 3000
#define MAX_GEN_VMS 3

/* ---- A seeded PRNG (xorshift64*) ---- */

static u64 rng;

static u64 rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dUL;
}

static u64 below(u64 n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned percent)
{
	return below(100) < percent;
}

/* ---- The board: RAM low, in the middle and above 2^40; device windows
 * small and large, so that device slots get blocks too ---- */

static struct platform board = {
	.name = "oracle",
	.ram = {
		{ "low", 0x40000000, 3 * GB },
		{ "mid", 0x800000000, 32 * GB },
		{ "high", 0x10000000000, 64 * GB },
	},
	.devices = {
		{ "uart", 0x09000000, 0x1000 },
		{ "virtio", 0x0a000000, 0x4000 },
		{ "pcie", 0x10000000, 0x2eff0000 },
		{ "pcie-high", 0x8000000000, 0x8000000000 },
	},
	.uart = { UART_PL011, 0x09000000, 33 },
	.gic = { .version = GIC_V3 },
	.pa_bits = 48,
	.nr_cpus = 8,
	.hyp_base = 0x40000000,
	.hyp_size = 0x1000000,
};

/* ---- The random configuration ---- */

struct range {
	u64 base, size;
};

static struct {
	struct memslot slots[MAX_GEN_VMS][MAX_SLOTS];
	struct vm_config vms[MAX_GEN_VMS];
	struct hyp_config cfg;
	unsigned cpu_pa_bits;
	/* Host memory used so far, by every VM. */
	struct range used_pa[MAX_GEN_VMS * MAX_SLOTS];
	u32 nr_used_pa;
} gen;

static const u8 kernel[8];
static char why[600];

static bool overlap(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

/* Picks a size: pages, 2 MiB multiples (and a little), or GiBs. */
static u64 pick_size(void)
{
	u64 r = below(100);

	if (r < 45)
		return (1 + below(32)) * PAGE_SIZE;
	if (r < 80)
		return (1 + below(64)) * 2 * MB + below(3) * PAGE_SIZE;
	return (1 + below(3)) * GB + below(4) * 2 * MB + below(2) * PAGE_SIZE;
}

static u64 pick_align(void)
{
	u64 r = below(100);

	return r < 20 ? GB : r < 55 ? 2 * MB : PAGE_SIZE;
}

/* A PA for size bytes in r congruent to ipa modulo rel (when it fits). */
static bool pick_pa(struct range r, u64 size, u64 ipa, u64 rel, u64 *pa)
{
	u64 limit = 1UL << gen.cpu_pa_bits;
	u64 end = MIN(r.base + r.size, limit);

	if (r.base >= end || size > end - r.base)
		return false;
	*pa = ALIGN_DOWN(r.base + below(end - r.base - size + 1), PAGE_SIZE);
	*pa = ALIGN_DOWN(*pa, rel) + (ipa & (rel - 1));
	if (*pa < r.base)
		*pa += rel;
	if (*pa + size > end || *pa + size < *pa)
		return false;
	if (overlap(*pa, size, board.hyp_base, board.hyp_size))
		return false;
	for (u32 i = 0; i < gen.nr_used_pa; i++)
		if (overlap(*pa, size, gen.used_pa[i].base,
			    gen.used_pa[i].size))
			return false;
	return true;
}

/* The IPA ranges a VM's slots may not take. */
static u32 windows_of(const struct vm_config *vm, struct range out[4])
{
	u32 n = 0;

	out[n++] = (struct range){ VIRT_GICD_BASE, VIRT_GICD_SIZE };
	if (board.gic.version == GIC_V3)
		out[n++] = (struct range){ VIRT_GICR_BASE,
					   vm->nr_vcpus * VIRT_GICR_STRIDE };
	else
		out[n++] = (struct range){ VIRT_GICC_BASE, VIRT_GICC_SIZE };
	if (vm->vuart)
		out[n++] = (struct range){ VIRT_UART_BASE, VIRT_UART_SIZE };
	return n;
}

static bool ipa_free(const struct vm_config *vm, u64 ipa, u64 size,
		     u64 limit)
{
	struct range w[4];
	u32 nw = windows_of(vm, w);

	if (ipa + size > limit || ipa + size < ipa)
		return false;
	for (u32 i = 0; i < nw; i++)
		if (overlap(ipa, size, w[i].base, w[i].size))
			return false;
	for (u32 i = 0; i < vm->nr_slots; i++)
		if (overlap(ipa, size, ipa_val(vm->slots[i].ipa),
			    vm->slots[i].size))
			return false;
	return true;
}

/* One more slot for vm, or false when no place was found. */
static bool gen_slot(struct vm_config *vm, struct memslot *s, u32 id,
		     bool first, u64 limit)
{
	for (int tries = 0; tries < 40; tries++) {
		u32 flags = 0;
		u64 size = pick_size(), ipa, pa, rel = pick_align();
		struct range r;

		if (!first && chance(12))
			flags |= SLOT_DEVICE;
		else if (chance(15))
			flags |= SLOT_LOG_DIRTY;
		if (chance(20))
			flags |= SLOT_READONLY;
		if (chance(25))
			flags |= SLOT_NOEXEC;
		if (chance(10))
			flags |= SLOT_SHARED;
		/* Pages cost a table per 2 MiB and time to walk: keep those
		 * slots modest. */
		if ((rel == PAGE_SIZE || (flags & SLOT_LOG_DIRTY)) &&
		    size > 16 * MB)
			size = (1 + below(4096)) * PAGE_SIZE;

		if (first) {
			/* RAM at the virt machine's base, from a bit below. */
			u64 below_base = chance(50) ? 0 :
					 chance(50) ? below(512) * PAGE_SIZE :
						      below(16) * 2 * MB;

			ipa = VIRT_RAM_BASE - below_base;
			size += below_base;
		} else if (vm->nr_slots && chance(25)) {
			/* Right after another slot. */
			const struct memslot *o;

			o = &vm->slots[below(vm->nr_slots)];
			ipa = ipa_val(o->ipa) + o->size;
		} else if (chance(50)) {
			ipa = ALIGN_DOWN(VIRT_RAM_BASE + below(8 * GB),
					 pick_align());
		} else {
			ipa = ALIGN_DOWN(below(limit), pick_align());
		}
		if (!ipa_free(vm, ipa, size, limit))
			continue;

		if (flags & SLOT_DEVICE) {
			const struct mem_range *d = &board.devices[below(4)];

			r = (struct range){ d->base, d->size };
			if (size > r.size)
				size = PAGE_SIZE *
				       (1 + below(r.size / PAGE_SIZE));
			if (!ipa_free(vm, ipa, size, limit))
				continue;
		} else {
			const struct mem_range *m = &board.ram[below(3)];

			r = (struct range){ m->base, m->size };
		}
		if (!pick_pa(r, size, ipa, rel, &pa))
			continue;
		*s = (struct memslot){ .id = id, .ipa = IPA(ipa), .size = size,
				       .pa = PA(pa), .flags = flags };
		gen.used_pa[gen.nr_used_pa++] = (struct range){ pa, size };
		return true;
	}
	return false;
}

static void gen_config(void)
{
	static const u8 cpu_bits[] = { 32, 36, 40, 42, 44, 48 };
	static const u8 vm_bits[] = { 32, 36, 39, 40, 42, 44, 48 };
	static const char *const names[] = { "vm0", "vm1", "vm2" };
	u32 nr_vms = 1 + below(MAX_GEN_VMS), pcpu = 0;

	memset(&gen, 0, sizeof(gen));
	gen.cpu_pa_bits = cpu_bits[below(ARRAY_SIZE(cpu_bits))];
	board.gic.version = chance(30) ? GIC_V2 : GIC_V3;
	board.gic.gicv = board.gic.version == GIC_V2 ? 0x2c000000 : 0;
	for (u32 v = 0; v < nr_vms; v++) {
		struct vm_config *vm = &gen.vms[v];
		u32 ids[MAX_SLOTS], n = 1 + below(12);
		u64 limit;

		*vm = (struct vm_config){
			.name = names[v],
			.nr_vcpus = 1 + below(2),
			.slots = gen.slots[v],
			.kernel = { .kind = IMAGE_RAW, .start = kernel,
				    .end = kernel + sizeof(kernel) },
			.vuart = chance(50),
		};
		for (u32 c = 0; c < vm->nr_vcpus; c++)
			vm->vcpu_pcpu[c] = pcpu++;
		if (chance(30)) {
			u8 bits = vm_bits[below(ARRAY_SIZE(vm_bits))];

			if (bits <= gen.cpu_pa_bits)
				vm->ipa_bits = bits;
		}
		limit = 1UL << (vm->ipa_bits ? vm->ipa_bits : gen.cpu_pa_bits);
		/* Ids: a random choice among all, in random order. */
		for (u32 i = 0; i < MAX_SLOTS; i++)
			ids[i] = i;
		for (u32 i = 0; i < MAX_SLOTS; i++) {
			u32 j = i + below(MAX_SLOTS - i), t = ids[i];

			ids[i] = ids[j];
			ids[j] = t;
		}
		/* The first slot, RAM at the base, is a must. */
		while (!gen_slot(vm, &gen.slots[v][0], ids[0], true, limit))
			;
		vm->nr_slots = 1;
		for (u32 i = 1; i < n; i++) {
			struct memslot *s = &gen.slots[v][vm->nr_slots];

			if (gen_slot(vm, s, ids[vm->nr_slots], false, limit))
				vm->nr_slots++;
		}
		/* Random order in the array: the build sorts. */
		for (u32 i = vm->nr_slots; i > 1; i--) {
			u32 j = below(i);
			struct memslot t = gen.slots[v][i - 1];

			gen.slots[v][i - 1] = gen.slots[v][j];
			gen.slots[v][j] = t;
		}
	}
	gen.cfg = (struct hyp_config){ .vms = gen.vms, .nr_vms = nr_vms };
}

/* ---- Checking ---- */

static char said[4][200];
static u32 nr_said;

static void sink_out(void *ctx, const char *fmt, ...)
{
	char *l = ctx;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l + strlen(l), sizeof(said[0]) - strlen(l), fmt, ap);
	va_end(ap);
}

static void sink_vprint(void *ctx, bool error, const struct check_where *w,
			const char *fmt, va_list ap)
{
	if (!error || nr_said == ARRAY_SIZE(said))
		return;
	said[nr_said][0] = 0;
	check_where_print(w, sink_out, said[nr_said]);
	vsnprintf(said[nr_said] + strlen(said[nr_said]),
		  sizeof(said[0]) - strlen(said[nr_said]), fmt, ap);
	nr_said++;
}

static u32 check_config(u64 pool_pages)
{
	struct check_sink sink = { .vprint = sink_vprint };
	struct check_env env = { &board, gen.cpu_pa_bits, pool_pages };
	bool ok[MAX_VMS];

	nr_said = 0;
	return config_check(&gen.cfg, &env, &sink, ok);
}

#define FAIL(...)                                             \
	do {                                                  \
		snprintf(why, sizeof(why), __VA_ARGS__);      \
		return false;                                 \
	} while (0)

static u64 bitmap_pages(const struct vm_config *vm)
{
	u64 pages = 0;

	for (u32 i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i].flags & SLOT_LOG_DIRTY)
			pages += (vm->slots[i].size / PAGE_SIZE +
				  8 * PAGE_SIZE - 1) / (8 * PAGE_SIZE);
	return pages;
}

/* The IPA size the docs promise: the configured one, else the smallest of
 * 36, 40, 42, 44, 48 that the CPUs have and that holds every slot and the
 * virtual devices. */
static unsigned expected_ipa_bits(const struct vm_config *vm)
{
	static const u8 sizes[] = { 36, 40, 42, 44, 48 };
	u64 top = VIRT_UART_BASE + VIRT_UART_SIZE;

	if (vm->ipa_bits)
		return vm->ipa_bits;
	for (u32 i = 0; i < vm->nr_slots; i++)
		top = MAX(top, ipa_val(vm->slots[i].ipa) + vm->slots[i].size);
	for (u32 i = 0; i < ARRAY_SIZE(sizes); i++)
		if (sizes[i] <= gen.cpu_pa_bits && top <= 1UL << sizes[i])
			return sizes[i];
	return gen.cpu_pa_bits;
}

static struct fake_mm fm;
static struct vm_mem mem;
static struct oracle_model model;
static u64 built_pages; /* what the last build took from the allocator */

/* Compares one address: the oracle's walk, the model, and pt_lookup. */
static bool check_ipa(u64 ipa)
{
	u64 pte, pa = 0, want_pa = 0, lpa = 0;
	unsigned level;
	pt_prot_t prot = 0, want = 0, lprot = 0;
	char err[80];
	bool mapped = oracle_leaf(&mem.s2, ipa, &pte, &level);
	bool should = oracle_model_lookup(&model, ipa, &want_pa, &want);
	bool looked = pt_lookup(&mem.s2, ipa, &lpa, &lprot, NULL) == 0;

	if (mapped) {
		pa = oracle_leaf_pa(pte, level, ipa);
		if (!oracle_s2_prot(pte, &prot, err, sizeof(err)))
			FAIL("IPA 0x%lx: %s", ipa, err);
	}
	if (mapped != should || (mapped && (pa != want_pa || prot != want)))
		FAIL("IPA 0x%lx: translates %s to 0x%lx prot 0x%x; the model says %s to 0x%lx prot 0x%x",
		     ipa, mapped ? "" : "(not)", pa, prot, should ? "" : "(not)",
		     want_pa, want);
	if (looked != mapped || (looked && (lpa != pa || lprot != prot)))
		FAIL("IPA 0x%lx: pt_lookup says %d 0x%lx prot 0x%x, the walk 0x%lx prot 0x%x",
		     ipa, looked, lpa, lprot, pa, prot);
	return true;
}

/* The whole table against the model, then sampled addresses. */
static bool check_tables(const struct vm_config *vm)
{
	u64 tables, limit = 1UL << mem.ipa_bits;
	char err[400];

	if (!oracle_check(&mem.s2, &model, &tables, err, sizeof(err)))
		FAIL("%s", err);
	if (fm.pages_live != tables + bitmap_pages(vm) || fm.bad_frees)
		FAIL("%lu pages allocated, %lu in tables and %lu in bitmaps (%lu bad frees)",
		     fm.pages_live, tables, bitmap_pages(vm), fm.bad_frees);
	for (int i = 0; i < 48; i++)
		if (!check_ipa(ALIGN_DOWN(below(limit), 8)))
			return false;
	for (u32 i = 0; i < vm->nr_slots; i++) {
		u64 ipa = ipa_val(vm->slots[i].ipa);
		u64 end = ipa + vm->slots[i].size;

		if ((ipa && !check_ipa(ipa - 1)) || !check_ipa(ipa) ||
		    !check_ipa(end - 1) || (end < limit && !check_ipa(end)) ||
		    !check_ipa(ipa + ALIGN_DOWN(below(end - ipa), 8)))
			return false;
	}
	return true;
}

static void teardown(void)
{
	for (u32 i = 0; i < mem.nr_slots; i++)
		if (mem.slots[i].dirty)
			fm.ops.free_pages(fm.ops.ctx, mem.slots[i].dirty,
				slot_bitmap_pages(mem.slots[i].cfg.size));
	if (mem.s2.root)
		pt_destroy(&mem.s2);
}

/* A random page-aligned range, mostly touching a slot. */
static void pick_range(u64 limit, u64 *ipa, u64 *size)
{
	static const u64 units[] = { PAGE_SIZE, 2 * MB, GB };
	u64 r = below(100), anchor, back;

	if (model.n && chance(75)) {
		const struct oracle_seg *s = &model.seg[below(model.n)];

		anchor = s->ipa + below(s->size);
	} else {
		anchor = below(limit);
	}
	anchor = ALIGN_DOWN(anchor, PAGE_SIZE);
	back = below(3) * units[below(3)];
	*ipa = anchor - MIN(anchor, back);
	*size = r < 50 ? (1 + below(16)) * PAGE_SIZE :
		r < 85 ? (1 + below(4)) * 2 * MB + below(3) * PAGE_SIZE :
			 (1 + below(2)) * GB;
	if (*ipa + *size > limit)
		*size = limit - *ipa;
}

static bool check_vm(const struct vm_config *vm, u16 vmid)
{
	u64 planned;
	int err;

	fake_mm_fini(&fm);
	fake_mm_init(&fm);
	err = vm_mem_build(&mem, vm, &board, gen.cpu_pa_bits, vmid, &fm.ops);
	if (err)
		FAIL("vm \"%s\": vm_mem_build: %d", vm->name, err);
	built_pages = fm.pages_allocated;
	if (mem.ipa_bits != expected_ipa_bits(vm))
		FAIL("vm \"%s\": %u-bit IPA, expected %u", vm->name, mem.ipa_bits,
		     expected_ipa_bits(vm));
	oracle_model_init(&model, vm, &board);
	if (!check_tables(vm))
		return false;
	planned = vm_table_pages(vm, &board, mem.ipa_bits);
	if (planned + bitmap_pages(vm) != fm.pages_allocated)
		FAIL("vm \"%s\": vm_table_pages says %lu, the build took %lu (and %lu for bitmaps)",
		     vm->name, planned, fm.pages_allocated - bitmap_pages(vm),
		     bitmap_pages(vm));
	/* The leaves each slot records are the ones it has. */
	for (u32 i = 0; i < model.n; i++) {
		const struct oracle_seg *s = &model.seg[i];
		const struct slot_state *st;

		if (s->slot < 0)
			continue;
		st = vm_mem_slot_by_id(&mem, vm->slots[s->slot].id);
		if (!st || memcmp(st->stats.leaves, s->leaves,
				  sizeof(s->leaves)))
			FAIL("vm \"%s\" slot %u: leaf counts differ", vm->name,
			     vm->slots[s->slot].id);
	}

	/* Unmap and protect sub-ranges, as dirty logging and a future
	 * memory-hotplug call would. */
	for (u64 n = 1 + below(8); n; n--) {
		u64 ipa, size;
		bool unmap = chance(40);
		pt_prot_t prot = below(8);

		pick_range(1UL << mem.ipa_bits, &ipa, &size);
		mem.s2.live = chance(50);
		fake_mm_clear_tlb(&fm);
		err = unmap ? pt_unmap(&mem.s2, ipa, size) :
			      pt_protect(&mem.s2, ipa, size, prot);
		if (err)
			FAIL("%s 0x%lx+0x%lx: %d", unmap ? "pt_unmap" : "pt_protect",
			     ipa, size, err);
		if (!mem.s2.live && fm.nr_tlb)
			FAIL("TLB maintenance on a table not in use");
		if (unmap)
			oracle_model_unmap(&model, ipa, size);
		else
			oracle_model_protect(&model, ipa, size, prot);
		if (!check_tables(vm)) {
			char first[sizeof(why)];

			memcpy(first, why, sizeof(why));
			FAIL("after %s 0x%lx+0x%lx (prot 0x%x): %.400s",
			     unmap ? "pt_unmap" : "pt_protect", ipa, size, prot,
			     first);
		}
	}
	teardown();
	if (fm.pages_live || fm.bad_frees)
		FAIL("vm \"%s\": %lu pages not freed, %lu bad frees", vm->name,
		     fm.pages_live, fm.bad_frees);
	return true;
}

static bool one_case(u64 seed)
{
	u64 total = 0;

	rng = seed ? seed : 1;
	gen_config();
	if (check_config(1UL << 30))
		FAIL("the checker refused a valid configuration: %s", said[0]);
	for (u32 v = 0; v < gen.cfg.nr_vms; v++) {
		if (!check_vm(&gen.vms[v], v + 1)) {
			teardown();
			return false;
		}
		total += built_pages;
	}
	/* The checker's count is exact: a pool of exactly what the build
	 * took passes, one page less does not. */
	if (check_config(total))
		FAIL("refused with a pool of exactly %lu pages: %s", total, said[0]);
	if (check_config(total - 1) != 1 || !strstr(said[0], "page pool"))
		FAIL("accepted with a pool of %lu pages, one short", total - 1);
	return true;
}

static u64 env_u64(const char *name, u64 dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static void print_config(void)
{
	for (u32 v = 0; v < gen.cfg.nr_vms; v++) {
		const struct vm_config *vm = &gen.vms[v];

		printf("  vm %u: ipa_bits %u (CPUs %u), %u vCPUs, vuart %d, GICv%d\n",
		       v, vm->ipa_bits, gen.cpu_pa_bits, vm->nr_vcpus,
		       vm->vuart, board.gic.version);
		for (u32 i = 0; i < vm->nr_slots; i++)
			printf("    slot %2u: IPA 0x%lx size 0x%lx PA 0x%lx flags 0x%x\n",
			       vm->slots[i].id, ipa_val(vm->slots[i].ipa),
			       vm->slots[i].size, pa_val(vm->slots[i].pa),
			       vm->slots[i].flags);
	}
}

TEST(oracle_random_slot_tables)
{
	u64 replay = env_u64("ORACLE_SEED", 0);
	u64 iters = replay ? 1 : env_u64("ORACLE_ITERS", DEFAULT_ITERS);

	for (u64 i = 0; i < iters; i++) {
		/* Each case its own seed, so any one replays alone. */
		u64 seed = replay ? replay : 0x9e3779b97f4a7c15UL * (i + 1);

		if (!one_case(seed)) {
			print_config();
			unit_fail(__FILE__, __LINE__,
				  "case %lu: %s\n  replay: ORACLE_SEED=0x%lx build/host/unit oracle",
				  i, why, seed);
			fake_mm_fini(&fm);
			return;
		}
	}
	fake_mm_fini(&fm);
}
