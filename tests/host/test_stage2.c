/*
 * A VM's stage 2 built from its slots, guest memory by IPA, and dirty
 * logging. Guest memory is real host memory: a slot's PA is the address of
 * a host buffer (the fake allocator's phys_to_virt is the identity).
 */
#include <stdlib.h>

#include "errno.h"
#include "fake_mm.h"
#include "guest_platform.h"
#include "oracle.h"
#include "stage2.h"
#include "unit.h"

#define GB (1UL << 30)
#define MB (1UL << 20)

static struct fake_mm fm;
static struct vm_mem mem;

static struct platform plat = {
	.name = "test",
	.ram = { { "ram", 0x40000000, 0x40000000 } },
	.gic = { .version = GIC_V3 },
	.pa_bits = 44,
	.nr_cpus = 4,
};

/* Host buffers standing in for guest RAM, freed by the next build. */
static void *bufs[8];
static u32 nr_bufs;

static u64 host_ram(u64 size, u64 align)
{
	void *p = aligned_alloc(align, size);

	memset(p, 0, size);
	bufs[nr_bufs++] = p;
	return (u64)(uintptr_t)p;
}

static u64 bitmap_pages(const struct vm_config *vm)
{
	u64 pages = 0;

	/* One bit per 4 KiB page, 32768 bits per bitmap page. */
	for (u32 i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i].flags & SLOT_LOG_DIRTY)
			pages += (vm->slots[i].size / PAGE_SIZE +
				  8 * PAGE_SIZE - 1) / (8 * PAGE_SIZE);
	return pages;
}

/* Frees the last build; true when every page came back. */
static bool teardown(void)
{
	bool ok;

	for (u32 i = 0; i < mem.nr_slots; i++)
		if (mem.slots[i].dirty)
			fm.ops.free_pages(fm.ops.ctx, mem.slots[i].dirty,
				slot_bitmap_pages(mem.slots[i].cfg.size));
	if (mem.s2.root)
		pt_destroy(&mem.s2);
	ok = fm.pages_live == 0 && fm.bad_frees == 0;
	fake_mm_fini(&fm);
	memset(&mem, 0, sizeof(mem));
	while (nr_bufs)
		free(bufs[--nr_bufs]);
	return ok;
}

static void build_start(void)
{
	teardown();
	fake_mm_init(&fm);
}

/* Builds vm on plat and checks it with the oracle: the tables translate
 * exactly the slots, the table pages are what vm_table_pages said and all
 * the build allocated besides the dirty bitmaps. */
static bool build_checked(const struct vm_config *vm,
			  const struct platform *p, unsigned cpu_pa_bits)
{
	static struct oracle_model model;
	char err[200];
	u64 tables;
	int ret;

	build_start();
	ret = vm_mem_build(&mem, vm, p, cpu_pa_bits, 1, &fm.ops);
	if (ret) {
		printf("  vm_mem_build: %d\n", ret);
		return false;
	}
	oracle_model_init(&model, vm, p);
	if (!oracle_check(&mem.s2, &model, &tables, err, sizeof(err))) {
		printf("  oracle: %s\n", err);
		return false;
	}
	u64 planned = vm_table_pages(vm, p, mem.ipa_bits);

	if (tables != planned ||
	    fm.pages_allocated != planned + bitmap_pages(vm)) {
		printf("  table pages: %lu in the tables, %lu allocated (and %lu for bitmaps), %lu planned\n",
		       tables, fm.pages_allocated - bitmap_pages(vm),
		       bitmap_pages(vm), planned);
		return false;
	}
	/* The leaves each slot records are the ones it has. */
	for (u32 i = 0; i < model.n; i++) {
		const struct oracle_seg *s = &model.seg[i];
		struct slot_state *st;

		if (s->slot < 0)
			continue;
		st = vm_mem_slot_by_id(&mem, vm->slots[s->slot].id);
		if (!st || memcmp(st->stats.leaves, s->leaves,
				  sizeof(s->leaves))) {
			printf("  slot %d: leaf counts differ\n", s->slot);
			return false;
		}
	}
	return true;
}

#define SLOT(id_, ipa_, size_, pa_, flags_) \
	{ .id = (id_), .ipa = IPA(ipa_), .size = (size_), .pa = PA(pa_), \
	  .flags = (flags_) }

/* ---- Building ---- */

TEST(build_small_config)
{
	const struct memslot slots[] = {
		SLOT(3, 0x40000000, 64 * MB, 0x80000000, 0),
		SLOT(1, 0x10000000, 2 * MB + 3 * PAGE_SIZE, 0x7fe00000,
		     SLOT_NOEXEC),
		SLOT(0, 0x09010000, PAGE_SIZE, 0x09010000, SLOT_DEVICE),
		SLOT(7, 0x50000000, 1 * MB, 0x90000000, SLOT_LOG_DIRTY),
	};
	const struct vm_config vm = { .name = "t", .nr_vcpus = 1, SLOTS(slots) };

	CHECK(build_checked(&vm, &plat, 44));
	/* The smallest size that holds it keeps a one-page level-1 root. */
	CHECK_EQ(mem.ipa_bits, 36);
	CHECK_EQ(mem.s2.start_level, 1);
	CHECK_EQ(mem.s2.vmid, 1);
	CHECK_EQ(mem.nr_slots, 4);
	/* Sorted by IPA. */
	CHECK_EQ(mem.slots[0].cfg.id, 0);
	CHECK_EQ(mem.slots[1].cfg.id, 1);
	CHECK_EQ(mem.slots[2].cfg.id, 3);
	CHECK_EQ(mem.slots[3].cfg.id, 7);
	CHECK_EQ(mem.slots[3].nr_pages, 256);
	/* Leaves, worked out by hand. */
	CHECK_EQ(mem.slots[1].stats.leaves[2], 1);
	CHECK_EQ(mem.slots[1].stats.leaves[3], 3);
	CHECK_EQ(mem.slots[2].stats.leaves[2], 32);
	CHECK_EQ(mem.slots[3].stats.leaves[3], 256);
	/* Root; level 2 under GiB 0 and 1; level 3 for the device page, the
	 * NOEXEC slot's tail and the LOG_DIRTY slot; one bitmap page. */
	CHECK_EQ(fm.pages_allocated, 1 + 2 + 3 + 1);
	CHECK(slot_bitmap_pages(256 * PAGE_SIZE) == 1);
	CHECK(mem.slots[3].dirty != NULL);
	CHECK(mem.slots[0].dirty == NULL);
	CHECK(teardown());
}

TEST(build_refuses_too_many_slots_and_reports_enomem)
{
	static struct memslot many[MAX_SLOTS + 1];
	struct vm_config vm = { .name = "t", .nr_vcpus = 1, SLOTS(many) };
	const struct memslot two[] = {
		SLOT(0, 0x40000000, 4 * MB, 0x80001000, 0),
		SLOT(1, 0x50000000, 4 * MB, 0x90000000, SLOT_LOG_DIRTY),
	};

	for (u32 i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = (struct memslot)SLOT(i, 0x40000000 + i * MB, MB,
					       0x80000000 + i * MB, 0);
	build_start();
	CHECK_EQ(vm_mem_build(&mem, &vm, &plat, 44, 1, &fm.ops), -EINVAL);
	CHECK_EQ(fm.pages_allocated, 0);

	/* Every allocation failing in turn: -ENOMEM, never a crash. */
	vm.slots = two;
	vm.nr_slots = 2;
	for (u64 fail = 1; fail < 64; fail++) {
		build_start();
		fm.fail_from = fail;
		int err = vm_mem_build(&mem, &vm, &plat, 44, 1, &fm.ops);

		if (!err)
			break;
		CHECK_EQ(err, -ENOMEM);
		CHECK(teardown());
	}
	CHECK_EQ(fm.failed, 0);
	CHECK(teardown());
}

TEST(vm_ipa_bits_picks_smallest_size)
{
	struct memslot s = SLOT(0, 0x40000000, 1 * GB, 0, 0);
	struct vm_config vm = { .slots = &s, .nr_slots = 1 };

	CHECK_EQ(vm_ipa_bits(&vm, 44), 36);
	s.ipa = IPA((1UL << 36) - 1 * GB);
	CHECK_EQ(vm_ipa_bits(&vm, 44), 36);
	s.ipa = IPA((1UL << 36) - 1 * GB + PAGE_SIZE);
	CHECK_EQ(vm_ipa_bits(&vm, 44), 40);
	s.ipa = IPA((1UL << 41));
	CHECK_EQ(vm_ipa_bits(&vm, 44), 42);
	s.ipa = IPA((1UL << 43));
	CHECK_EQ(vm_ipa_bits(&vm, 44), 44);
	CHECK_EQ(vm_ipa_bits(&vm, 48), 44);
	/* Beyond what the CPUs allow: their size, which the checker refuses. */
	CHECK_EQ(vm_ipa_bits(&vm, 42), 42);
	/* CPUs smaller than 36 bits. */
	s.ipa = IPA(0x40000000);
	CHECK_EQ(vm_ipa_bits(&vm, 32), 32);
	/* Configured: as configured. */
	vm.ipa_bits = 40;
	CHECK_EQ(vm_ipa_bits(&vm, 44), 40);
}

TEST(build_ipa_sizes)
{
	/* A 32-bit VM starts at level 2 (4 concatenated pages), 40 bits at
	 * level 1 (2 pages), 44 and 48 at level 0. */
	static const struct {
		u32 bits;
		unsigned level, root;
	} cases[] = { { 32, 2, 4 }, { 40, 1, 2 }, { 42, 1, 8 }, { 44, 0, 1 },
		      { 48, 0, 1 } };
	const struct memslot slots[] = {
		SLOT(0, 0x40000000, 2 * GB, 0x80000000, 0),
		SLOT(1, 0xc0000000, 2 * MB, 0x3f000000, SLOT_READONLY),
	};

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config vm = { .name = "t", .nr_vcpus = 1, SLOTS(slots),
					.ipa_bits = cases[i].bits };

		CHECK(build_checked(&vm, &plat, 48));
		CHECK_EQ(mem.ipa_bits, cases[i].bits);
		CHECK_EQ(mem.s2.start_level, cases[i].level);
		CHECK_EQ(mem.s2.root_pages, cases[i].root);
		CHECK(teardown());
	}
}

TEST(gicv2_window_mapped)
{
	const struct memslot slots[] = {
		SLOT(0, 0x40000000, 2 * MB, 0x80000000, 0),
	};
	const struct vm_config vm = { .name = "t", .nr_vcpus = 2, SLOTS(slots) };
	struct platform v2 = plat;
	u64 pa = 0;
	pt_prot_t prot = 0;
	unsigned level = 0;

	v2.gic.version = GIC_V2;
	v2.gic.gicv = 0x2c02f000;
	CHECK(build_checked(&vm, &v2, 44));
	/* The guest's GICC frame is the GICV frame: both pages, RW device. */
	CHECK_EQ(pt_lookup(&mem.s2, 0x08010000, &pa, &prot, &level), 0);
	CHECK_EQ(pa, 0x2c02f000);
	CHECK_EQ(prot, PT_RW | PT_DEVICE);
	CHECK_EQ(pt_lookup(&mem.s2, 0x08011ffc, &pa, &prot, &level), 0);
	CHECK_EQ(pa, 0x2c030ffc);
	CHECK_EQ(pt_lookup(&mem.s2, 0x08012000, &pa, &prot, &level), -ENOENT);
	CHECK_EQ(pt_lookup(&mem.s2, 0x0800f000, &pa, &prot, &level), -ENOENT);
	/* Not a slot: guest memory access does not reach it. */
	CHECK(vm_mem_find(&mem, 0x08010000) == NULL);

	/* GICv3: the redistributors are emulated, nothing is mapped. */
	CHECK(build_checked(&vm, &plat, 44));
	CHECK_EQ(pt_lookup(&mem.s2, 0x08010000, &pa, &prot, &level), -ENOENT);
	CHECK_EQ(pt_lookup(&mem.s2, 0x080a0000, &pa, &prot, &level), -ENOENT);
	CHECK(teardown());
}

/* vm_table_pages is what the checker proves fits the pool: it must be the
 * exact count of what the build takes, for every kind of layout. */
TEST(vm_table_pages_equals_build)
{
	static const struct memslot layouts[][6] = {
		{ SLOT(0, 0x40000000, 1 * GB, 0x80000000, 0) },
		{ SLOT(0, 0x40000000, 3 * GB + 2 * MB + PAGE_SIZE, 0x80000000,
		       0) },
		{ SLOT(0, 0x40000000, 64 * MB, 0x80001000, 0) },
		{ SLOT(0, 0x40000000, 64 * MB, 0x80000000, SLOT_LOG_DIRTY) },
		/* Pages then a LOG_DIRTY slot sharing their level-3 table. */
		{ SLOT(0, 0x40000000, 1 * MB, 0x80000000, 0),
		  SLOT(1, 0x40100000, 3 * MB, 0x90000000, SLOT_LOG_DIRTY),
		  SLOT(2, 0x40400000, 6 * MB, 0x90400000, SLOT_READONLY) },
		/* Slots in one table with holes, and across 1 GiB lines. */
		{ SLOT(0, 0x3ff00000, 2 * MB, 0x7ff00000, 0),
		  SLOT(1, 0x40100000, PAGE_SIZE, 0x12345000, SLOT_NOEXEC),
		  SLOT(2, 0x40200000, PAGE_SIZE, 0x12346000, 0),
		  SLOT(3, 0x7fffe000, 4 * PAGE_SIZE, 0x70000000, 0),
		  SLOT(4, 0x09010000, PAGE_SIZE, 0x09010000, SLOT_DEVICE),
		  SLOT(5, 0x1000, PAGE_SIZE, 0x1000, 0) },
		/* Blocks growing and shrinking: 4K, 2M, 1G, 2M, 4K. */
		{ SLOT(0, 0x3fdff000, 1 * GB + 4 * MB + 2 * PAGE_SIZE,
		       0xbfdff000, 0) },
		/* High IPAs: with 40 bits the root is two pages. */
		{ SLOT(0, 0x40000000, 2 * MB, 0x80000000, 0),
		  SLOT(1, 0xff00000000, 4 * GB, 0x100000000, 0),
		  SLOT(2, 0x8000200000, 8 * MB, 0x200000000, SLOT_LOG_DIRTY) },
		/* More than 256 MiB of pages to log: three bitmap pages. */
		{ SLOT(0, 0x40000000, 260 * MB, 0x80000000, SLOT_LOG_DIRTY) },
		/* Adjacent slots contiguous in PA: still mapped separately. */
		{ SLOT(0, 0x40000000, 1 * MB, 0x80000000, 0),
		  SLOT(1, 0x40100000, 1 * MB, 0x80100000, 0) },
	};
	static const u32 counts[] = { 1, 1, 1, 1, 3, 6, 1, 3, 1, 2 };
	struct platform v2 = plat;

	v2.gic.version = GIC_V2;
	v2.gic.gicv = 0x2c000000;
	for (u32 i = 0; i < ARRAY_SIZE(layouts); i++) {
		for (int gic = 0; gic < 2; gic++) {
			struct vm_config vm = { .name = "t", .nr_vcpus = 1,
						.slots = layouts[i],
						.nr_slots = counts[i] };

			bool ok = build_checked(&vm, gic ? &v2 : &plat, 44);

			if (!ok)
				printf("  layout %u, GICv%d\n", i, gic ? 2 : 3);
			CHECK(ok);
			CHECK(teardown());
		}
	}
}

/* ---- Finding slots ---- */

TEST(vm_mem_find)
{
	const struct memslot slots[] = {
		SLOT(4, 0x50000000, 2 * PAGE_SIZE, 0x80000000, 0),
		SLOT(2, 0x40000000, 1 * MB, 0x80100000, 0),
		SLOT(9, 0x40100000, PAGE_SIZE, 0x80200000, SLOT_READONLY),
		SLOT(1, 0x1000, PAGE_SIZE, 0x80300000, 0),
		SLOT(0, 0xfffff000, PAGE_SIZE, 0x80400000, 0),
		SLOT(6, 0x60000000, 4 * MB, 0x09010000, SLOT_DEVICE),
		SLOT(5, 0x20000000, PAGE_SIZE, 0x80500000, 0),
	};
	const struct vm_config vm = { .name = "t", .nr_vcpus = 1, SLOTS(slots) };

	build_start();
	CHECK_EQ(vm_mem_build(&mem, &vm, &plat, 44, 1, &fm.ops), 0);
	for (u32 i = 0; i < ARRAY_SIZE(slots); i++) {
		u64 ipa = ipa_val(slots[i].ipa), end = ipa + slots[i].size;
		struct slot_state *s = vm_mem_find(&mem, ipa);

		CHECK(s && s->cfg.id == slots[i].id);
		CHECK(vm_mem_find(&mem, end - 1) == s);
		CHECK(vm_mem_find(&mem, ipa + slots[i].size / 2) == s);
		CHECK(vm_mem_slot_by_id(&mem, slots[i].id) == s);
	}
	/* Just outside each: nothing (no two slots are adjacent here except
	 * slots 2 and 9). */
	CHECK(vm_mem_find(&mem, 0) == NULL);
	CHECK(vm_mem_find(&mem, 0xfff) == NULL);
	CHECK(vm_mem_find(&mem, 0x2000) == NULL);
	CHECK(vm_mem_find(&mem, 0x3fffffff) == NULL);
	CHECK(vm_mem_find(&mem, 0x40100000)->cfg.id == 9);
	CHECK(vm_mem_find(&mem, 0x40101000) == NULL);
	CHECK(vm_mem_find(&mem, 0x50002000) == NULL);
	CHECK(vm_mem_find(&mem, 0x60400000) == NULL);
	CHECK(vm_mem_find(&mem, 0xffffefff) == NULL);
	CHECK(vm_mem_find(&mem, 0x100000000) == NULL);
	CHECK(vm_mem_find(&mem, ~0UL) == NULL);
	CHECK(vm_mem_slot_by_id(&mem, 3) == NULL);
	CHECK(vm_mem_slot_by_id(&mem, 32) == NULL);
	CHECK(teardown());

	/* No slots at all. */
	CHECK(vm_mem_find(&mem, 0x40000000) == NULL);
}

/* ---- Guest memory by IPA ---- */

/* Three RAM slots back to back in IPA (one READONLY), a hole, a DEVICE
 * slot and a LOG_DIRTY slot, each on its own host buffer. */
static u64 ram_a, ram_b, ram_ro, ram_log;

#define A_IPA 0x40000000UL /* 3 pages */
#define B_IPA 0x40003000UL /* 2 pages */
#define RO_IPA 0x40005000UL /* 1 page, READONLY */
#define HOLE_IPA 0x40006000UL
#define DEV_IPA 0x40010000UL
#define LOG_IPA 0x40100000UL /* 130 pages: three bitmap words */

static struct memslot access_slots[5];
static struct vm_config access_vm = { .name = "t", .nr_vcpus = 1,
				      .slots = access_slots, .nr_slots = 5 };

static bool build_access_vm(void)
{
	build_start();
	ram_a = host_ram(3 * PAGE_SIZE, PAGE_SIZE);
	ram_b = host_ram(2 * PAGE_SIZE, PAGE_SIZE);
	ram_ro = host_ram(PAGE_SIZE, PAGE_SIZE);
	ram_log = host_ram(130 * PAGE_SIZE, PAGE_SIZE);
	access_slots[0] = (struct memslot)SLOT(0, A_IPA, 3 * PAGE_SIZE, ram_a,
					       0);
	access_slots[1] = (struct memslot)SLOT(1, B_IPA, 2 * PAGE_SIZE, ram_b,
					       0);
	access_slots[2] = (struct memslot)SLOT(2, RO_IPA, PAGE_SIZE, ram_ro,
					       SLOT_READONLY);
	/* Its PA is never touched: the accessors must refuse it first. */
	access_slots[3] = (struct memslot)SLOT(3, DEV_IPA, PAGE_SIZE,
					       0x09010000, SLOT_DEVICE);
	access_slots[4] = (struct memslot)SLOT(4, LOG_IPA, 130 * PAGE_SIZE,
					       ram_log, SLOT_LOG_DIRTY);
	return vm_mem_build(&mem, &access_vm, &plat, 44, 1, &fm.ops) == 0;
}

static u8 *host(u64 pa)
{
	return (u8 *)(uintptr_t)pa;
}

TEST(guest_read_write_across_slots)
{
	static u8 in[6 * PAGE_SIZE], out[6 * PAGE_SIZE];

	CHECK(build_access_vm());
	for (u32 i = 0; i < sizeof(in); i++)
		in[i] = (u8)(i * 7 + 3);
	/* From the middle of A across B to the end of B. */
	u64 start = A_IPA + 100, len = 5 * PAGE_SIZE - 100;

	CHECK_EQ(guest_write(&mem, start, in, len), 0);
	CHECK(!memcmp(host(ram_a) + 100, in, 3 * PAGE_SIZE - 100));
	CHECK(!memcmp(host(ram_b), in + 3 * PAGE_SIZE - 100, 2 * PAGE_SIZE));
	CHECK_EQ(host(ram_a)[99], 0);
	memset(out, 0, sizeof(out));
	CHECK_EQ(guest_read(&mem, start, out, len), 0);
	CHECK(!memcmp(out, in, len));
	/* Into the READONLY slot too, for reads. */
	host(ram_ro)[0] = 0x5a;
	CHECK_EQ(guest_read(&mem, RO_IPA - 1, out, 2), 0);
	CHECK_EQ(out[0], in[len - 1]);
	CHECK_EQ(out[1], 0x5a);
	/* A single byte, and nothing at all. */
	CHECK_EQ(guest_write(&mem, B_IPA + 5, "x", 1), 0);
	CHECK_EQ(host(ram_b)[5], 'x');
	CHECK_EQ(guest_read(&mem, HOLE_IPA, out, 0), 0);
	CHECK(teardown());
}

TEST(guest_access_refusals_copy_nothing)
{
	static u8 buf[8 * PAGE_SIZE], before[8 * PAGE_SIZE];

	CHECK(build_access_vm());
	memset(buf, 0xcc, sizeof(buf));
	memset(host(ram_a), 0x11, 3 * PAGE_SIZE);
	memset(host(ram_b), 0x22, 2 * PAGE_SIZE);
	memset(host(ram_ro), 0x33, PAGE_SIZE);

	/* Unmapped IPAs: before every slot, in the hole, at the very top. */
	CHECK_EQ(guest_read(&mem, A_IPA - 1, buf, 2), -EFAULT);
	CHECK_EQ(guest_read(&mem, HOLE_IPA, buf, 1), -EFAULT);
	CHECK_EQ(guest_write(&mem, 0, buf, 1), -EFAULT);
	CHECK_EQ(guest_write(&mem, ~0UL - 4, buf, 8), -EFAULT);
	CHECK_EQ(guest_read(&mem, A_IPA, buf, ~0UL), -EFAULT);
	/* Device registers are not memory. */
	CHECK_EQ(guest_read(&mem, DEV_IPA, buf, 4), -EFAULT);
	CHECK_EQ(guest_write(&mem, DEV_IPA, buf, 4), -EFAULT);
	CHECK_EQ(guest_load(&mem, DEV_IPA, buf, 4), -EFAULT);
	CHECK_EQ(guest_clear(&mem, DEV_IPA, 4), -EFAULT);
	/* READONLY: the guest's write is refused, the loader's is not. */
	CHECK_EQ(guest_write(&mem, RO_IPA, buf, 1), -EPERM);
	CHECK_EQ(host(ram_ro)[0], 0x33);

	/* Refused at the far end: nothing before it was copied, in either
	 * direction. A, B and RO are contiguous; the hole follows. */
	memcpy(before, buf, sizeof(buf));
	CHECK_EQ(guest_write(&mem, A_IPA + 8, buf, 6 * PAGE_SIZE), -EPERM);
	CHECK_EQ(guest_load(&mem, A_IPA + 8, buf, 6 * PAGE_SIZE), -EFAULT);
	CHECK_EQ(guest_clear(&mem, A_IPA, 6 * PAGE_SIZE + 1), -EFAULT);
	CHECK_EQ(guest_read(&mem, A_IPA, buf, 6 * PAGE_SIZE + 1), -EFAULT);
	CHECK(!memcmp(buf, before, sizeof(buf)));
	CHECK_EQ(guest_write(&mem, A_IPA, buf, 6 * PAGE_SIZE), -EPERM);
	for (u32 i = 0; i < 3 * PAGE_SIZE; i++)
		CHECK_EQ(host(ram_a)[i], 0x11);
	for (u32 i = 0; i < 2 * PAGE_SIZE; i++)
		CHECK_EQ(host(ram_b)[i], 0x22);
	for (u32 i = 0; i < PAGE_SIZE; i++)
		CHECK_EQ(host(ram_ro)[i], 0x33);

	/* The loader fills READONLY slots and clears them. */
	CHECK_EQ(guest_load(&mem, A_IPA, buf, 6 * PAGE_SIZE), 0);
	CHECK_EQ(host(ram_ro)[PAGE_SIZE - 1], 0xcc);
	CHECK_EQ(host(ram_a)[0], 0xcc);
	CHECK_EQ(guest_clear(&mem, B_IPA + 1, 2 * PAGE_SIZE), 0);
	CHECK_EQ(host(ram_b)[0], 0xcc);
	CHECK_EQ(host(ram_b)[1], 0);
	CHECK_EQ(host(ram_ro)[0], 0);
	CHECK_EQ(host(ram_ro)[1], 0xcc);
	CHECK(teardown());
}

/* ---- Dirty logging ---- */

static bool writable(u64 ipa)
{
	pt_prot_t prot = 0;

	return pt_lookup(&mem.s2, ipa, NULL, &prot, NULL) == 0 && (prot & PT_W);
}

TEST(dirty_log_guest_write_marks_pages_touched)
{
	u64 bits[3] = { 0 }, words = 3;
	u8 data[3 * PAGE_SIZE] = { 1 };

	CHECK(build_access_vm());
	/* The last byte of page 3 to the first of page 5; page 64 alone;
	 * the last page. */
	CHECK_EQ(guest_write(&mem, LOG_IPA + 4 * PAGE_SIZE - 1, data,
			     PAGE_SIZE + 2), 0);
	CHECK_EQ(guest_write(&mem, LOG_IPA + 64 * PAGE_SIZE + 77, data, 1), 0);
	CHECK_EQ(guest_write(&mem, LOG_IPA + 129 * PAGE_SIZE, data, PAGE_SIZE),
		 0);
	/* Reads and the loader mark nothing. */
	CHECK_EQ(guest_read(&mem, LOG_IPA, data, 3 * PAGE_SIZE), 0);
	CHECK_EQ(guest_load(&mem, LOG_IPA + 10 * PAGE_SIZE, data, PAGE_SIZE),
		 0);
	CHECK_EQ(guest_clear(&mem, LOG_IPA + 11 * PAGE_SIZE, PAGE_SIZE), 0);
	/* Nor does it make anything writable in stage 2. */
	for (u64 p = 0; p < 130; p++)
		CHECK(!writable(LOG_IPA + p * PAGE_SIZE));

	CHECK_EQ(dirty_log_get_and_clear(&mem, 4, bits, &words), 0);
	CHECK_EQ(words, 3);
	CHECK_EQ(bits[0], BIT(3) | BIT(4) | BIT(5));
	CHECK_EQ(bits[1], BIT(0));
	CHECK_EQ(bits[2], BIT(129 - 128));
	/* Cleared. */
	CHECK_EQ(dirty_log_get_and_clear(&mem, 4, bits, &words), 0);
	CHECK_EQ(bits[0] | bits[1] | bits[2], 0);
	/* A write running past the end of the slot: refused, unmarked. */
	CHECK_EQ(guest_write(&mem, LOG_IPA + 130 * PAGE_SIZE - 1, data, 2),
		 -EFAULT);
	CHECK_EQ(dirty_log_get_and_clear(&mem, 4, bits, &words), 0);
	CHECK_EQ(bits[2], 0);
	CHECK(teardown());
}

TEST(dirty_log_write_fault_and_get_and_clear)
{
	u64 bits[3], words = 3, page = LOG_IPA + 70 * PAGE_SIZE;
	u64 pa = 0;
	pt_prot_t prot = 0;

	CHECK(build_access_vm());
	mem.s2.live = true;
	CHECK(!writable(page));
	fake_mm_clear_tlb(&fm);
	CHECK_EQ(dirty_log_write_fault(&mem, page + 0x123), 0);
	/* Exactly that page became writable, with its output and the rest of
	 * its rights unchanged. */
	CHECK(writable(page));
	CHECK_EQ(pt_lookup(&mem.s2, page, &pa, &prot, NULL), 0);
	CHECK_EQ(pa, ram_log + 70 * PAGE_SIZE);
	CHECK_EQ(prot, PT_RWX);
	CHECK(!writable(page - PAGE_SIZE));
	CHECK(!writable(page + PAGE_SIZE));
	CHECK(fake_mm_tlb_covers(&fm, page));
	/* A second fault on it (another vCPU raced) is harmless, and drops
	 * the read-only entry the faulting CPU's TLB may still hold. */
	fake_mm_clear_tlb(&fm);
	CHECK_EQ(dirty_log_write_fault(&mem, page), 0);
	CHECK(fake_mm_tlb_covers(&fm, page));
	CHECK_EQ(dirty_log_write_fault(&mem, LOG_IPA), 0);

	fake_mm_clear_tlb(&fm);
	CHECK_EQ(dirty_log_get_and_clear(&mem, 4, bits, &words), 0);
	CHECK_EQ(bits[0], BIT(0));
	CHECK_EQ(bits[1], BIT(70 - 64));
	CHECK_EQ(bits[2], 0);
	/* Write-protected again, and the TLBs told. */
	CHECK(!writable(page));
	CHECK(!writable(LOG_IPA));
	CHECK(fake_mm_tlb_covers(&fm, page));
	CHECK(fake_mm_tlb_covers(&fm, LOG_IPA));
	CHECK_EQ(pt_lookup(&mem.s2, page, &pa, &prot, NULL), 0);
	CHECK_EQ(prot, PT_RX);
	CHECK_EQ(dirty_log_get_and_clear(&mem, 4, bits, &words), 0);
	CHECK_EQ(bits[0] | bits[1] | bits[2], 0);

	/* Not a logging slot, not a slot, READONLY: -ENOENT. */
	CHECK_EQ(dirty_log_write_fault(&mem, A_IPA), -ENOENT);
	CHECK_EQ(dirty_log_write_fault(&mem, HOLE_IPA), -ENOENT);
	CHECK_EQ(dirty_log_write_fault(&mem, DEV_IPA), -ENOENT);
	CHECK_EQ(dirty_log_write_fault(&mem, LOG_IPA + 130 * PAGE_SIZE),
		 -ENOENT);
	CHECK_EQ(dirty_log_get_and_clear(&mem, 0, bits, &words), -ENOENT);
	CHECK_EQ(dirty_log_get_and_clear(&mem, 17, bits, &words), -ENOENT);
	/* Too small a buffer: -EINVAL, the size needed, nothing cleared. */
	CHECK_EQ(dirty_log_write_fault(&mem, page), 0);
	words = 2;
	CHECK_EQ(dirty_log_get_and_clear(&mem, 4, bits, &words), -EINVAL);
	CHECK_EQ(words, 3);
	CHECK(writable(page));
	CHECK_EQ(dirty_log_get_and_clear(&mem, 4, bits, &words), 0);
	CHECK_EQ(bits[1], BIT(70 - 64));
	CHECK(teardown());

	/* READONLY and LOG_DIRTY: a write is an error, not a dirty page. */
	const struct memslot ro[] = {
		SLOT(0, 0x40000000, 4 * PAGE_SIZE, 0x80000000,
		     SLOT_READONLY | SLOT_LOG_DIRTY),
	};
	const struct vm_config vm = { .name = "t", .nr_vcpus = 1, SLOTS(ro) };

	CHECK(build_checked(&vm, &plat, 44));
	CHECK_EQ(dirty_log_write_fault(&mem, 0x40000000), -ENOENT);
	CHECK(!writable(0x40000000));
	words = 1;
	CHECK_EQ(dirty_log_get_and_clear(&mem, 0, bits, &words), 0);
	CHECK_EQ(bits[0], 0);
	CHECK(teardown());
}

/* ---- Slot flags to rights ---- */

TEST(slot_prot_every_flag_combination)
{
	/* A few by hand, from DESIGN.md. */
	CHECK_EQ(slot_prot(0), PT_RWX);
	CHECK_EQ(slot_prot(SLOT_SHARED), PT_RWX);
	CHECK_EQ(slot_prot(SLOT_READONLY), PT_RX);
	CHECK_EQ(slot_prot(SLOT_NOEXEC), PT_RW);
	CHECK_EQ(slot_prot(SLOT_LOG_DIRTY), PT_RX);
	CHECK_EQ(slot_prot(SLOT_DEVICE), PT_RW | PT_DEVICE);
	CHECK_EQ(slot_prot(SLOT_DEVICE | SLOT_READONLY), PT_R | PT_DEVICE);
	CHECK_EQ(slot_prot(SLOT_READONLY | SLOT_NOEXEC), PT_R);
	/* Each flag's rule on its own, for all 32 combinations. */
	for (u32 f = 0; f <= SLOT_KNOWN_FLAGS; f++) {
		pt_prot_t p = slot_prot(f);

		CHECK(p & PT_R);
		CHECK(!(p & PT_W) == !!(f & (SLOT_READONLY | SLOT_LOG_DIRTY)));
		CHECK(!(p & PT_X) == !!(f & (SLOT_NOEXEC | SLOT_DEVICE)));
		CHECK(!(p & PT_DEVICE) == !(f & SLOT_DEVICE));
		CHECK_EQ(p, oracle_slot_prot(f));
	}
}
