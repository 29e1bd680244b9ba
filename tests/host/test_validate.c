/*
 * The configuration checker, rule by rule: each accepted just inside its
 * edge and refused just outside it, with the exact text of the messages
 * (as docs/configuration.md lists them) and which VMs may still start.
 */
#include <stdarg.h>

#include "stage2.h"
#include "unit.h"
#include "validate.h"

#define GB (1UL << 30)
#define MB (1UL << 20)

static const struct platform board = {
	.name = "testboard",
	.ram = {
		{ "low", 0x40000000, 0x40000000 },
		{ "high", 0x100000000, 0x40000000 },
	},
	.devices = {
		{ "uart", 0x09000000, 0x1000 },
		{ "rtc", 0x09010000, 0x1000 },
		{ "pcie", 0x10000000, 0x10000000 },
	},
	.uart = { UART_PL011, 0x09000000, 33 },
	.gic = { .version = GIC_V3, .gicd = 0x08000000, .gicr = 0x080a0000,
		 .gicr_stride = 0x20000 },
	.pa_bits = 40,
	.nr_cpus = 4,
	.hyp_base = 0x40000000,
	.hyp_size = 0x1000000,
};

/* ---- What the checker says ---- */

#define MAX_LINES 32

static struct {
	char line[MAX_LINES][400];
	u32 n;
} said;

static void append(void *ctx, const char *fmt, ...)
{
	char *l = ctx;
	size_t len = strlen(l);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l + len, sizeof(said.line[0]) - len, fmt, ap);
	va_end(ap);
}

static void record(void *ctx, bool error, const struct check_where *where,
		   const char *fmt, va_list ap)
{
	char *l = said.line[said.n < MAX_LINES ? said.n : MAX_LINES - 1];

	snprintf(l, sizeof(said.line[0]), "%s: ", error ? "error" : "warning");
	check_where_print(where, append, l);
	append(l, "");
	vsnprintf(l + strlen(l), sizeof(said.line[0]) - strlen(l), fmt, ap);
	said.n++;
}

/* ---- The configuration under test: a valid one, changed per test ---- */

static struct memslot slots[2][MAX_SLOTS + 2];
static struct vm_config vms[MAX_VMS + 1];
static struct hyp_config cfg;
static struct check_env env;
static struct check_sink sink;
static bool vm_ok[MAX_VMS];
static const u8 kernel[16];

/* "linux" on CPUs 0-1 with 256 MiB, "rtos" on CPU 2 with 32 MiB. */
static void base(void)
{
	memset(slots, 0, sizeof(slots));
	memset(vms, 0, sizeof(vms));
	slots[0][0] = (struct memslot){ .ipa = IPA(0x40000000),
					.size = 256 * MB,
					.pa = PA(0x50000000) };
	slots[1][0] = (struct memslot){ .ipa = IPA(0x40000000),
					.size = 32 * MB,
					.pa = PA(0x60000000) };
	vms[0] = (struct vm_config){
		.name = "linux", VCPUS_ON(0, 1), .slots = slots[0], .nr_slots = 1,
		.kernel = { .kind = IMAGE_LINUX, .start = kernel,
			    .end = kernel + sizeof(kernel) },
		.vuart = true,
	};
	vms[1] = (struct vm_config){
		.name = "rtos", VCPUS_ON(2), .slots = slots[1], .nr_slots = 1,
		.kernel = { .kind = IMAGE_RAW, .start = kernel,
			    .end = kernel + sizeof(kernel) },
	};
	cfg = (struct hyp_config){ .vms = vms, .nr_vms = 2 };
	env = (struct check_env){ .plat = &board, .cpu_pa_bits = 40,
				  .pool_pages = 1000 };
}

/* A slot more for VM v: returns it to be filled in. */
static struct memslot *add_slot(int v, u32 id, u64 ipa, u64 size, u64 pa,
				u32 flags)
{
	struct memslot *s = &slots[v][vms[v].nr_slots++];

	*s = (struct memslot){ .id = id, .ipa = IPA(ipa), .size = size,
			       .pa = PA(pa), .flags = flags };
	return s;
}

static u32 run(void)
{
	said.n = 0;
	sink = (struct check_sink){ .vprint = record };
	return config_check(&cfg, &env, &sink, vm_ok);
}

static bool said_line(const char *line)
{
	for (u32 i = 0; i < said.n && i < MAX_LINES; i++)
		if (!strcmp(said.line[i], line))
			return true;
	printf("  missing: %s\n", line);
	for (u32 i = 0; i < said.n && i < MAX_LINES; i++)
		printf("  said:    %s\n", said.line[i]);
	return false;
}

/* Accepted: no error, no warning, every VM starts. */
#define CHECK_CLEAN()                                        \
	do {                                                 \
		u32 e_ = run();                              \
		if (e_ || sink.warnings)                     \
			CHECK(said_line("(nothing)"));       \
		for (u32 v_ = 0; v_ < MAX_VMS; v_++)         \
			CHECK_EQ(vm_ok[v_], v_ < cfg.nr_vms); \
	} while (0)

/* Exactly one problem, this line, and whether the two VMs may start. */
#define CHECK_ONLY(line, ok0, ok1)                                    \
	do {                                                          \
		u32 e_ = run();                                       \
		CHECK(said_line(line));                               \
		CHECK_EQ(said.n, 1);                                  \
		CHECK_EQ(e_, !strncmp(line, "error", 5));             \
		CHECK_EQ(sink.warnings, !strncmp(line, "warning", 7)); \
		CHECK_EQ(vm_ok[0], ok0);                              \
		CHECK_EQ(vm_ok[1], ok1);                              \
	} while (0)

/* ---- The tests ---- */

TEST(validate_accepts_base_config)
{
	base();
	CHECK_CLEAN();
	CHECK_EQ(sink.errors, 0);
	/* The count is of this call only; the sink's add up. */
	sink.errors = 5;
	CHECK_EQ(config_check(&cfg, &env, &sink, vm_ok), 0);
	CHECK_EQ(sink.errors, 5);
}

TEST(validate_where_print)
{
	static const struct {
		struct check_where w;
		const char *text;
	} cases[] = {
		{ { -1, NULL, -1, -1 }, "config: " },
		{ { 0, "linux", -1, -1 }, "vm \"linux\": " },
		{ { 0, "linux", 2, -1 }, "vm \"linux\" slot 2: " },
		{ { 3, NULL, -1, 1 }, "vm #3 vcpu 1: " },
		{ { 1, "", 0, -1 }, "vm #1 slot 0: " },
	};

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		char l[64] = "";

		check_where_print(&cases[i].w, append, l);
		CHECK_STR(l, cases[i].text);
	}
}

TEST(validate_slot_alignment)
{
	base();
	struct memslot *s = add_slot(0, 1, 0x50000000, 2 * MB, 0x70000000, 0);

	CHECK_CLEAN();
	s->ipa = IPA(0x50000800);
	CHECK_ONLY("error: vm \"linux\" slot 1: IPA 0x50000800, PA 0x70000000 and size 0x200000 must all be multiples of 4 KiB (0x1000)",
		   false, true);
	s->ipa = IPA(0x50000000);
	s->pa = PA(0x70000004);
	CHECK_ONLY("error: vm \"linux\" slot 1: IPA 0x50000000, PA 0x70000004 and size 0x200000 must all be multiples of 4 KiB (0x1000)",
		   false, true);
	s->pa = PA(0x70000000);
	s->size = 2 * MB + 0x10;
	CHECK_ONLY("error: vm \"linux\" slot 1: IPA 0x50000000, PA 0x70000000 and size 0x200010 must all be multiples of 4 KiB (0x1000)",
		   false, true);
	s->size = PAGE_SIZE;
	CHECK_CLEAN();
	s->size = 0;
	CHECK_ONLY("error: vm \"linux\" slot 1: size is 0: a slot needs at least one 4 KiB page",
		   false, true);
}

TEST(validate_wrap_around)
{
	base();
	struct memslot *s = add_slot(1, 1, 0xffffffffffe00000, 4 * MB,
				     0x70000000, 0);

	CHECK_ONLY("error: vm \"rtos\" slot 1: wraps around the end of the address space (IPA 0xffffffffffe00000, PA 0x70000000, size 0x400000)",
		   true, false);
	/* Ending on the last byte wraps too (the end is 2^64). */
	s->size = 2 * MB;
	CHECK_ONLY("error: vm \"rtos\" slot 1: wraps around the end of the address space (IPA 0xffffffffffe00000, PA 0x70000000, size 0x200000)",
		   true, false);
	/* Below that, just too high: the CPUs' 40 bits are the limit. */
	s->ipa = IPA(0xffffffffffc00000);
	CHECK_ONLY("error: vm \"rtos\" slot 1: IPA 0xffffffffffc00000-0xffffffffffdfffff ends beyond the VM's 40-bit guest physical space (0x10000000000); move it lower",
		   true, false);
	s->ipa = IPA(0x50000000);
	s->pa = PA(0xfffffffffffff000);
	s->size = 2 * PAGE_SIZE;
	CHECK_ONLY("error: vm \"rtos\" slot 1: wraps around the end of the address space (IPA 0x50000000, PA 0xfffffffffffff000, size 0x2000)",
		   true, false);
}

/* The IPA space ends at 2^ipa_bits: a slot may end exactly there. */
TEST(validate_ipa_space_edge)
{
	base();
	struct memslot *s = add_slot(1, 1, (1UL << 40) - 2 * MB, 2 * MB,
				     0x70000000, 0);

	CHECK_CLEAN();
	s->ipa = IPA((1UL << 40) - 2 * MB + PAGE_SIZE);
	s->pa = PA(0x70001000);
	CHECK_ONLY("error: vm \"rtos\" slot 1: IPA 0xffffe01000-0x10000000fff ends beyond the VM's 40-bit guest physical space (0x10000000000); move it lower",
		   true, false);

	/* With .ipa_bits set, that is the limit. */
	vms[1].ipa_bits = 36;
	s->ipa = IPA((1UL << 36) - 2 * MB);
	s->pa = PA(0x70000000);
	CHECK_CLEAN();
	s->ipa = IPA((1UL << 36) - 2 * MB + PAGE_SIZE);
	s->pa = PA(0x70001000);
	CHECK_ONLY("error: vm \"rtos\" slot 1: IPA 0xfffe01000-0x1000000fff ends beyond the VM's 36-bit guest physical space (0x1000000000); move it lower or raise .ipa_bits",
		   true, false);
}

TEST(validate_ipa_bits_field)
{
	base();
	vms[0].ipa_bits = 32;
	CHECK_CLEAN();
	vms[0].ipa_bits = 40;
	CHECK_CLEAN();
	vms[0].ipa_bits = 31;
	CHECK_ONLY("error: vm \"linux\": .ipa_bits is 31: it must be between 32 and the CPUs' 40",
		   false, true);
	vms[0].ipa_bits = 41;
	CHECK_ONLY("error: vm \"linux\": .ipa_bits is 41: it must be between 32 and the CPUs' 40",
		   false, true);
	/* Nonsense is refused, not shifted by. */
	vms[0].ipa_bits = 200;
	CHECK_ONLY("error: vm \"linux\": .ipa_bits is 200: it must be between 32 and the CPUs' 40",
		   false, true);
	vms[0].ipa_bits = 0xffffffff;
	CHECK(run() == 1);
}

TEST(validate_ipa_overlap_within_vm)
{
	base();
	struct memslot *s = add_slot(0, 1, 0x4ffff000, 2 * MB, 0x6ffff000, 0);

	CHECK_ONLY("error: vm \"linux\" slot 1: IPA 0x4ffff000-0x501fefff overlaps slot 0 (0x40000000-0x4fffffff)",
		   false, true);
	/* Adjacent is fine. */
	s->ipa = IPA(0x50000000);
	s->pa = PA(0x70000000);
	CHECK_CLEAN();
	/* Before, overlapping the first page. */
	s->ipa = IPA(0x3fe01000);
	s->pa = PA(0x6fe01000);
	CHECK_ONLY("error: vm \"linux\" slot 1: IPA 0x3fe01000-0x40000fff overlaps slot 0 (0x40000000-0x4fffffff)",
		   false, true);
	s->ipa = IPA(0x3fe00000);
	s->pa = PA(0x6fe00000);
	CHECK_CLEAN();
	/* Containing it entirely. */
	s->pa = PA(0x62000000);
	s->size = 300 * MB;
	CHECK(run() == 1);
	CHECK_EQ(vm_ok[0], false);
}

TEST(validate_virtual_device_windows)
{
	base();
	struct memslot *s = add_slot(0, 1, 0x07fff000, PAGE_SIZE, 0x70000000,
				     0);

	/* The GIC distributor, 0x08000000-0x0800ffff. */
	CHECK_CLEAN();
	s->size = 2 * PAGE_SIZE;
	CHECK_ONLY("error: vm \"linux\" slot 1: IPA 0x7fff000-0x8000fff overlaps the GIC distributor the hypervisor provides at 0x8000000-0x800ffff",
		   false, true);
	s->ipa = IPA(0x0800f000);
	s->size = PAGE_SIZE;
	CHECK(run() == 1);
	s->ipa = IPA(0x08010000);
	CHECK_CLEAN();

	/* GICv3 redistributors: 128 KiB per vCPU from 0x080a0000; "linux"
	 * has two. */
	s->ipa = IPA(0x0809f000);
	CHECK_CLEAN();
	s->ipa = IPA(0x080e0000);
	CHECK_CLEAN();
	vms[0].vcpu_pcpu[2] = 3;
	vms[0].nr_vcpus = 3;
	CHECK_ONLY("error: vm \"linux\" slot 1: IPA 0x80e0000-0x80e0fff overlaps the GIC redistributors the hypervisor provides at 0x80a0000-0x80fffff",
		   false, true);
	s->ipa = IPA(0x080a0000);
	CHECK(run() == 1);

	/* The virtual UART at 0x09000000, only when the VM has one. */
	s->ipa = IPA(0x09000000);
	CHECK_ONLY("error: vm \"linux\" slot 1: IPA 0x9000000-0x9000fff overlaps the virtual UART the hypervisor provides at 0x9000000-0x9000fff",
		   false, true);
	vms[0].vuart = false;
	CHECK_CLEAN();
	vms[0].vuart = true;
	s->ipa = IPA(0x09001000);
	CHECK_CLEAN();
	s->ipa = IPA(0x08fff000);
	CHECK_CLEAN();

	/* GICv2: the CPU interface at 0x08010000-0x08011fff instead of
	 * redistributors. */
	struct platform v2 = board;

	v2.gic.version = GIC_V2;
	v2.gic.gicv = 0x2c000000;
	env.plat = &v2;
	s->ipa = IPA(0x08011000);
	CHECK_ONLY("error: vm \"linux\" slot 1: IPA 0x8011000-0x8011fff overlaps the GIC CPU interface the hypervisor provides at 0x8010000-0x8011fff",
		   false, true);
	s->ipa = IPA(0x08012000);
	CHECK_CLEAN();
	s->ipa = IPA(0x080a0000);
	CHECK_CLEAN();
}

TEST(validate_slot_ids)
{
	base();
	struct memslot *s = add_slot(0, MAX_SLOTS - 1, 0x50000000, PAGE_SIZE,
				     0x70000000, 0);

	CHECK_CLEAN();
	s->id = MAX_SLOTS;
	CHECK_ONLY("error: vm \"linux\" slot 32: id 32 is too large: ids go from 0 to 31",
		   false, true);
	s->id = 0;
	CHECK_ONLY("error: vm \"linux\" slot 0: id 0 is used by another slot of this VM too; ids must be unique",
		   false, true);
	/* The same id in another VM is another slot. */
	s->id = 1;
	add_slot(1, 1, 0x50000000, PAGE_SIZE, 0x70001000, 0);
	CHECK_CLEAN();
}

TEST(validate_slot_counts)
{
	base();
	vms[1].nr_slots = 0;
	CHECK_ONLY("error: vm \"rtos\": has no memory slots: give it at least a RAM slot at IPA 0x40000000 (SLOTS(...))",
		   true, false);
	/* A count without an array is not followed. */
	vms[1].slots = NULL;
	vms[1].nr_slots = 3;
	CHECK_ONLY("error: vm \"rtos\": has no memory slots: give it at least a RAM slot at IPA 0x40000000 (SLOTS(...))",
		   true, false);
	vms[1].slots = slots[1];
	vms[1].nr_slots = 1;
	for (u32 i = 1; i < MAX_SLOTS; i++)
		add_slot(1, i, 0x50000000 + i * PAGE_SIZE, PAGE_SIZE,
			 0x70000000 + i * PAGE_SIZE, 0);
	CHECK_CLEAN();
	add_slot(1, 0, 0x60000000, PAGE_SIZE, 0x71000000, 0);
	CHECK_ONLY("error: vm \"rtos\": has 33 slots; the limit is 32",
		   true, false);
}

TEST(validate_ram_slots_in_board_ram)
{
	base();
	/* Exactly all of the "high" range. */
	struct memslot *s = add_slot(1, 1, 0x80000000, 1 * GB, 0x100000000, 0);

	CHECK_CLEAN();
	s->size += PAGE_SIZE;
	CHECK_ONLY("error: vm \"rtos\" slot 1: PA 0x100000000-0x140000fff is not inside board testboard's RAM; use RAM from platforms/testboard.c, or flag the slot DEVICE for a device window",
		   true, false);
	s->size = 1 * GB;
	s->ipa = IPA(0x80000000 - PAGE_SIZE);
	s->pa = PA(0x100000000 - PAGE_SIZE);
	CHECK_ONLY("error: vm \"rtos\" slot 1: PA 0xfffff000-0x13fffefff is not inside board testboard's RAM; use RAM from platforms/testboard.c, or flag the slot DEVICE for a device window",
		   true, false);
	/* A device window is not RAM. */
	s->pa = PA(0x10000000);
	s->size = 2 * MB;
	s->ipa = IPA(0x80000000);
	CHECK_ONLY("error: vm \"rtos\" slot 1: PA 0x10000000-0x101fffff is not inside board testboard's RAM; use RAM from platforms/testboard.c, or flag the slot DEVICE for a device window",
		   true, false);
}

TEST(validate_device_slots_in_device_windows)
{
	base();
	struct memslot *s = add_slot(1, 1, 0x09010000, PAGE_SIZE, 0x09010000,
				     SLOT_DEVICE);

	CHECK_CLEAN();
	s->size = 2 * PAGE_SIZE;
	CHECK_ONLY("error: vm \"rtos\" slot 1: DEVICE PA 0x9010000-0x9011fff is not inside one of board testboard's device windows (platforms/testboard.c .devices)",
		   true, false);
	/* All of the large window, with blocks; RAM is no device. */
	s->ipa = IPA(0x80000000);
	s->pa = PA(0x10000000);
	s->size = 256 * MB;
	CHECK_CLEAN();
	s->pa = PA(0x70000000);
	s->size = PAGE_SIZE;
	CHECK_ONLY("error: vm \"rtos\" slot 1: DEVICE PA 0x70000000-0x70000fff is not inside one of board testboard's device windows (platforms/testboard.c .devices)",
		   true, false);
	/* Dirty logging of registers. */
	s->pa = PA(0x09010000);
	s->flags |= SLOT_LOG_DIRTY;
	CHECK_ONLY("error: vm \"rtos\" slot 1: LOG_DIRTY cannot be used on a DEVICE slot: device registers are not memory",
		   true, false);
	s->flags = SLOT_DEVICE | SLOT_READONLY | SLOT_NOEXEC;
	CHECK_CLEAN();
}

TEST(validate_flags)
{
	base();
	struct memslot *s = add_slot(0, 1, 0x50000000, PAGE_SIZE, 0x70000000,
				     SLOT_KNOWN_FLAGS & ~SLOT_DEVICE);

	CHECK_CLEAN();
	s->flags = BIT(5);
	CHECK_ONLY("error: vm \"linux\" slot 1: unknown flags 0x20: known are READONLY, LOG_DIRTY, DEVICE, NOEXEC, SHARED",
		   false, true);
	s->flags = SLOT_READONLY | BIT(31);
	CHECK_ONLY("error: vm \"linux\" slot 1: unknown flags 0x80000000: known are READONLY, LOG_DIRTY, DEVICE, NOEXEC, SHARED",
		   false, true);
}

TEST(validate_hypervisor_memory)
{
	base();
	/* The last page of the hypervisor's 16 MiB at 0x40000000. */
	struct memslot *s = add_slot(1, 1, 0x50000000, PAGE_SIZE, 0x40fff000,
				     0);

	CHECK_ONLY("error: vm \"rtos\" slot 1: PA 0x40fff000-0x40ffffff overlaps the hypervisor's own memory (image, stacks, page pool: 0x40000000-0x40ffffff)",
		   true, false);
	s->pa = PA(0x41000000);
	CHECK_CLEAN();
	s->pa = PA(0x3ffff000);
	s->size = 2 * PAGE_SIZE;
	CHECK(run() == 2); /* not RAM either */
	CHECK(said_line("error: vm \"rtos\" slot 1: PA 0x3ffff000-0x40000fff overlaps the hypervisor's own memory (image, stacks, page pool: 0x40000000-0x40ffffff)"));
}

TEST(validate_pa_beyond_cpus)
{
	base();
	struct memslot *s = add_slot(1, 1, 0x80000000, 2 * MB, 0x100000000, 0);

	env.cpu_pa_bits = 33;
	CHECK_CLEAN();
	env.cpu_pa_bits = 32;
	CHECK_ONLY("error: vm \"rtos\" slot 1: PA 0x100000000-0x1001fffff lies beyond the CPUs' 32-bit physical address space",
		   true, false);
	s->pa = PA(0xfffff000);
	s->size = PAGE_SIZE;
	CHECK(run() == 1); /* only below the RAM */
	CHECK(!strstr(said.line[0], "beyond"));
}

TEST(validate_host_memory_between_vms)
{
	base();
	/* "rtos" over the last page of "linux"'s 0x50000000-0x5fffffff. */
	slots[1][0].ipa = IPA(0x3ffff000);
	slots[1][0].pa = PA(0x5ffff000);
	CHECK_ONLY("error: vm \"rtos\" slot 0: host memory 0x5ffff000-0x61ffefff overlaps vm \"linux\" slot 0 (0x50000000-0x5fffffff); flag both slots SHARED if they are meant to share it",
		   true, false);
	slots[1][0].flags = SLOT_SHARED;
	CHECK(run() == 1);
	slots[0][0].flags = SLOT_SHARED;
	CHECK_CLEAN();
	slots[1][0].flags = 0;
	CHECK(run() == 1);
	/* Adjacent is fine. */
	slots[0][0].flags = 0;
	slots[1][0].ipa = IPA(0x40000000);
	slots[1][0].pa = PA(0x60000000);
	CHECK_CLEAN();
	/* Two slots of one VM may alias. */
	add_slot(1, 1, 0x50000000, 2 * MB, 0x60000000, 0);
	CHECK_CLEAN();
}

TEST(validate_physical_cpus)
{
	base();
	vms[1].vcpu_pcpu[0] = 1;
	CHECK_ONLY("error: vm \"rtos\" vcpu 0: physical CPU 1 also runs vm \"linux\" vcpu 1: give each VM its own CPUs, or set .allow_pcpu_sharing = true",
		   true, false);
	cfg.allow_pcpu_sharing = true;
	CHECK_CLEAN();
	cfg.allow_pcpu_sharing = false;
	/* vCPUs of one VM may share. */
	vms[1].vcpu_pcpu[0] = 3;
	vms[1].vcpu_pcpu[1] = 3;
	vms[1].nr_vcpus = 2;
	CHECK_CLEAN();
	vms[1].vcpu_pcpu[1] = 4;
	CHECK_ONLY("error: vm \"rtos\" vcpu 1: physical CPU 4 does not exist: board testboard has CPUs 0-3",
		   true, false);
	vms[1].nr_vcpus = 0;
	CHECK_ONLY("error: vm \"rtos\": has 0 vCPUs; give it 1 to 8 (VCPUS_ON(...))",
		   true, false);
	vms[1].nr_vcpus = MAX_VCPUS;
	memset(vms[1].vcpu_pcpu, 3, sizeof(vms[1].vcpu_pcpu));
	CHECK_CLEAN();
	vms[1].nr_vcpus = MAX_VCPUS + 1;
	CHECK_ONLY("error: vm \"rtos\": has 9 vCPUs; give it 1 to 8 (VCPUS_ON(...))",
		   true, false);
}

TEST(validate_names)
{
	base();
	vms[1].name = NULL;
	CHECK_ONLY("error: vm #1: has no name: set .name, it tags the VM's console output and log lines",
		   true, false);
	vms[1].name = "";
	CHECK_ONLY("error: vm #1: has no name: set .name, it tags the VM's console output and log lines",
		   true, false);
	vms[1].name = "linux";
	CHECK_ONLY("error: vm \"linux\": name is also VM #0's: names must be unique",
		   true, false);
	vms[1].name = "abcdefghijklmno";
	CHECK_CLEAN();
	vms[1].name = "abcdefghijklmnop";
	CHECK_ONLY("error: vm \"abcdefghijklmnop\": name is 16 characters long; the limit is 15",
		   true, false);
}

TEST(validate_vm_counts)
{
	base();
	cfg.nr_vms = 0;
	CHECK_ONLY("error: config: there are no VMs: add at least one to .vms (VMS(...))",
		   false, false);
	cfg.nr_vms = 2;
	cfg.vms = NULL;
	CHECK(run() == 1);
	/* Eight, each on its own CPU with its own memory. */
	static const char *const names[] = { "a", "b", "c", "d", "e", "f",
					     "g", "h", "i" };
	struct platform big = board;

	big.nr_cpus = 8;
	env.plat = &big;
	cfg.vms = vms;
	cfg.nr_vms = MAX_VMS;
	for (u32 i = 0; i <= MAX_VMS; i++)
		vms[i] = (struct vm_config){
			.name = names[i], .nr_vcpus = 1, .vcpu_pcpu = { i % 8 },
			.slots = &slots[0][i], .nr_slots = 1,
			.kernel = { .kind = IMAGE_RAW, .start = kernel,
				    .end = kernel + 1 },
		};
	for (u32 i = 0; i <= MAX_VMS; i++)
		slots[0][i] = (struct memslot){
			.ipa = IPA(0x40000000),
			.size = 2 * MB,
			.pa = PA(0x50000000 + i * 2 * MB),
		};
	CHECK_CLEAN();
	cfg.nr_vms = MAX_VMS + 1;
	run();
	CHECK(said_line("error: config: there are 9 VMs; the limit is 8"));
	/* Only the first eight are checked: the ninth, sharing a CPU, is not
	 * reported. Configuration errors stop every VM. */
	CHECK_EQ(said.n, 1);
	for (u32 v = 0; v < MAX_VMS; v++)
		CHECK_EQ(vm_ok[v], false);
}

TEST(validate_ram_at_base)
{
	base();
	slots[1][0].ipa = IPA(0x40001000);
	slots[1][0].pa = PA(0x60001000);
	CHECK_ONLY("error: vm \"rtos\": has no RAM slot at IPA 0x40000000, where guests for the virt machine expect RAM to start",
		   true, false);
	/* Covering it from below. */
	slots[1][0].ipa = IPA(0x3fe00000);
	slots[1][0].pa = PA(0x61e00000);
	CHECK_CLEAN();
	/* A device there is not RAM. */
	slots[1][0] = (struct memslot){ .ipa = IPA(0x40000000), .size = 2 * MB,
					.pa = PA(0x10000000),
					.flags = SLOT_DEVICE };
	CHECK_ONLY("error: vm \"rtos\": has no RAM slot at IPA 0x40000000, where guests for the virt machine expect RAM to start",
		   true, false);
}

TEST(validate_images)
{
	base();
	vms[1].kernel.kind = IMAGE_NONE;
	CHECK_ONLY("error: vm \"rtos\": has no kernel image: set .kernel (BUILT_IN(...) or a preload address)",
		   true, false);
	vms[1].kernel = (struct guest_image){ .kind = IMAGE_RAW,
					      .start = kernel, .end = kernel };
	CHECK_ONLY("error: vm \"rtos\": kernel image is empty", true, false);
	vms[1].kernel = (struct guest_image){ .kind = IMAGE_RAW,
					      .preload_pa = 0x70000000 };
	CHECK_ONLY("error: vm \"rtos\": kernel image is preloaded at 0x70000000 but .preload_size is 0: give the most it may take",
		   true, false);
	/* The whole of the "high" RAM range; then a page past it. */
	vms[1].kernel.preload_pa = 0x100000000;
	vms[1].kernel.preload_size = 1 * GB;
	CHECK_CLEAN();
	vms[1].kernel.preload_size += PAGE_SIZE;
	CHECK_ONLY("error: vm \"rtos\": kernel image preload area 0x100000000-0x140000fff is not inside board RAM",
		   true, false);
	vms[1].kernel.preload_pa = 0x40fff000;
	vms[1].kernel.preload_size = PAGE_SIZE;
	CHECK_ONLY("error: vm \"rtos\": kernel image preload area 0x40fff000-0x40ffffff overlaps the hypervisor (0x40000000-0x40ffffff)",
		   true, false);
	/* The initrd is optional, and checked the same way. */
	vms[1].kernel = vms[0].kernel;
	vms[1].initrd = (struct guest_image){ .kind = IMAGE_RAW,
					      .preload_pa = 0x70000000 };
	CHECK_ONLY("error: vm \"rtos\": initrd image is preloaded at 0x70000000 but .preload_size is 0: give the most it may take",
		   true, false);
	vms[1].initrd.preload_size = 16 * MB;
	CHECK_CLEAN();
}

TEST(validate_irqs)
{
	base();
	vms[0].irqs[0] = 32;
	vms[0].irqs[1] = VM_NR_INTIDS - 1;
	vms[0].nr_irqs = 2;
	CHECK_CLEAN();
	/* Valid SPIs the vGIC does not model are refused, not dropped. */
	vms[0].irqs[1] = VM_NR_INTIDS;
	CHECK_ONLY("error: vm \"linux\": interrupt 256 cannot be passed through: the virtual GIC handles INTIDs below 256 only; use a device interrupt in 32-255",
		   false, true);
	vms[0].irqs[1] = 1019;
	CHECK_ONLY("error: vm \"linux\": interrupt 1019 cannot be passed through: the virtual GIC handles INTIDs below 256 only; use a device interrupt in 32-255",
		   false, true);
	vms[0].irqs[1] = 31;
	CHECK_ONLY("error: vm \"linux\": interrupt 31 cannot be passed through: only SPIs (INTIDs 32-1019) can",
		   false, true);
	vms[0].irqs[1] = 1020;
	CHECK_ONLY("error: vm \"linux\": interrupt 1020 cannot be passed through: only SPIs (INTIDs 32-1019) can",
		   false, true);
	vms[0].irqs[1] = 32;
	CHECK_ONLY("error: vm \"linux\": interrupt 32 is listed twice in .irqs",
		   false, true);
	vms[0].irqs[1] = 40;
	vms[1].irqs[0] = 40;
	vms[1].nr_irqs = 1;
	CHECK_ONLY("error: vm \"rtos\": interrupt 40 is also given to vm \"linux\": an interrupt has one owner",
		   true, false);
	vms[1].irqs[0] = 41;
	CHECK_CLEAN();
	vms[1].nr_irqs = MAX_VM_IRQS;
	for (u32 i = 0; i < MAX_VM_IRQS; i++)
		vms[1].irqs[i] = 100 + i;
	CHECK_CLEAN();
	vms[1].nr_irqs = MAX_VM_IRQS + 1;
	CHECK_ONLY("error: vm \"rtos\": has 17 passed-through interrupts; the limit is 16",
		   true, false);

	/* The console UART's interrupt goes only with the UART. */
	vms[1].nr_irqs = 1;
	vms[1].irqs[0] = 33;
	CHECK_ONLY("error: vm \"rtos\": interrupt 33 is the hypervisor's console UART's; pass the UART itself through as a DEVICE slot to give it away",
		   true, false);
	add_slot(1, 1, 0x09000000, PAGE_SIZE, 0x09000000, SLOT_DEVICE);
	CHECK_ONLY("warning: vm \"rtos\" slot 1: passes through the hypervisor's console UART at 0x9000000: its output and other VMs' will mix with this VM's",
		   true, true);
}

TEST(validate_pool_size)
{
	base();
	/* Worked out by hand: each VM's RAM is 2 MiB blocks under one
	 * level-2 table, and a one-page level-1 root: 2 + 2 pages. */
	env.pool_pages = 4;
	CHECK_CLEAN();
	env.pool_pages = 3;
	CHECK_ONLY("error: config: the VMs need 4 pages for stage-2 tables and dirty bitmaps but the page pool has 3 free; build with a larger pool (make POOL_PAGES=513)",
		   false, false);
	/* A LOG_DIRTY slot: a level-2 and a level-3 table, a bitmap page. */
	add_slot(1, 1, 0x80000000, 2 * MB, 0x62000000, SLOT_LOG_DIRTY);
	env.pool_pages = 7;
	CHECK_CLEAN();
	env.pool_pages = 6;
	CHECK(run() == 1);
	CHECK(said_line("error: config: the VMs need 7 pages for stage-2 tables and dirty bitmaps but the page pool has 6 free; build with a larger pool (make POOL_PAGES=513)"));
	/* A VM that will not start takes nothing. */
	env.pool_pages = 2;
	vms[1].name = NULL;
	CHECK(run() == 1);
	CHECK_EQ(vm_ok[0], true);
	CHECK_EQ(vm_ok[1], false);
}

TEST(validate_2m_skew_warning)
{
	base();
	/* 256 MiB in pages: 128 level-3 tables and a level-2 one, where 2 MiB
	 * blocks would need the level-2 one alone. */
	slots[0][0].pa = PA(0x50001000);
	slots[1][0].pa = PA(0x62000000);
	CHECK_ONLY("warning: vm \"linux\" slot 0: IPA 0x40000000 and PA 0x50001000 differ in their low 21 bits, so it cannot use 2 MiB blocks: 129 page-table pages instead of 1 (128 more) and more TLB misses; align both to the same offset within 2 MiB",
		   true, true);
	/* 2 MiB and a page over a 2 MiB line: one block lost. */
	slots[0][0].size = 4 * MB;
	slots[0][0].ipa = IPA(0x3ffff000);
	slots[0][0].pa = PA(0x50000000);
	CHECK_ONLY("warning: vm \"linux\" slot 0: IPA 0x3ffff000 and PA 0x50000000 differ in their low 21 bits, so it cannot use 2 MiB blocks: 5 page-table pages instead of 4 (1 more) and more TLB misses; align both to the same offset within 2 MiB",
		   true, true);
	/* No warning where no 2 MiB block would fit anyway, for slots under
	 * 2 MiB, or for LOG_DIRTY slots (pages either way). */
	slots[0][0].size = 2 * MB;
	CHECK_CLEAN();
	slots[0][0].size = 2 * MB - PAGE_SIZE;
	CHECK_CLEAN();
	slots[0][0].size = 256 * MB;
	slots[0][0].flags = SLOT_LOG_DIRTY;
	CHECK_CLEAN();
}

TEST(validate_reports_every_error)
{
	base();
	vms[0].name = NULL;
	slots[0][0].size = 0;
	vms[1].vcpu_pcpu[0] = 9;
	vms[1].kernel.kind = IMAGE_NONE;
	CHECK_EQ(run(), 5);
	CHECK(said_line("error: vm #0: has no name: set .name, it tags the VM's console output and log lines"));
	CHECK(said_line("error: vm #0 slot 0: size is 0: a slot needs at least one 4 KiB page"));
	CHECK(said_line("error: vm #0: has no RAM slot at IPA 0x40000000, where guests for the virt machine expect RAM to start"));
	CHECK(said_line("error: vm \"rtos\" vcpu 0: physical CPU 9 does not exist: board testboard has CPUs 0-3"));
	CHECK(said_line("error: vm \"rtos\": has no kernel image: set .kernel (BUILT_IN(...) or a preload address)"));
	CHECK_EQ(vm_ok[0], false);
	CHECK_EQ(vm_ok[1], false);
}

/* ---- Managers ---- */

TEST(validate_manager_rights_and_host_range)
{
	struct manager_config m = { MANAGES("rtos"), .host_base = 0x70000000,
				    .host_size = 16 * MB };
	struct manager_config m2 = m;

	base();
	vms[0].manager = &m;
	CHECK_CLEAN();

	m.manages = (const char *const[]){ "nobody" };
	CHECK_ONLY("error: vm \"linux\": manages \"nobody\", which is no VM of this configuration",
		   false, true);
	m.manages = (const char *const[]){ "linux" };
	CHECK_ONLY("error: vm \"linux\": manages itself: a manager changes other VMs' memory only",
		   false, true);
	m.manages = (const char *const[]){ "rtos" };
	vms[1].forbid_management = true;
	CHECK_ONLY("error: vm \"linux\": manages \"rtos\", whose own policy forbids it (.forbid_management): drop one or the other",
		   false, true);
	vms[1].forbid_management = false;
	m.nr_manages = 0;
	CHECK_ONLY("error: vm \"linux\": manager lists 0 VMs: name 1 to 8 with MANAGES(...)",
		   false, true);
	m.nr_manages = 1;

	/* The range: RAM nobody has. */
	m.host_base = 0x60000000 + 16 * MB; /* inside rtos's 32 MiB */
	CHECK_ONLY("error: vm \"linux\": manager host range 0x61000000-0x61ffffff overlaps vm \"rtos\" slot 0 (0x60000000-0x61ffffff): it must be memory no VM has",
		   false, true);
	m.host_base = 0x40000000;
	CHECK(run() > 0);
	CHECK(said_line("error: vm \"linux\": manager host range 0x40000000-0x40ffffff overlaps the hypervisor's own memory (0x40000000-0x40ffffff)"));
	m.host_base = 0x70000800;
	CHECK_ONLY("error: vm \"linux\": manager host range 0x70000800, size 0x1000000: give a nonzero size, both multiples of 4 KiB, not wrapping",
		   false, true);
	m.host_base = 0x70000000;
	m.host_size = 0;
	CHECK_ONLY("error: vm \"linux\": manager host range 0x70000000, size 0x0: give a nonzero size, both multiples of 4 KiB, not wrapping",
		   false, true);
	m.host_size = 16 * MB;

	/* A manager is managed by none. */
	m2.host_base = 0x71000000;
	vms[1].manager = &m2;
	m2.manages = (const char *const[]){ "linux" };
	CHECK(run() == 2);
	CHECK(said_line("error: vm \"linux\": is a manager and is managed by vm \"rtos\": a manager cannot be managed"));
	CHECK(said_line("error: vm \"rtos\": is a manager and is managed by vm \"linux\": a manager cannot be managed"));
}

TEST(validate_manager_one_per_vm)
{
	struct manager_config m = { MANAGES("rtos"), .host_base = 0x70000000,
				    .host_size = 16 * MB };
	struct manager_config m2 = { MANAGES("rtos"), .host_base = 0x70800000,
				     .host_size = 16 * MB };
	static struct memslot third_slots[1];

	base();
	third_slots[0] = (struct memslot){ .ipa = IPA(0x40000000), .size = 16 * MB,
					   .pa = PA(0x68000000) };
	vms[2] = (struct vm_config){
		.name = "third", VCPUS_ON(3), .slots = third_slots, .nr_slots = 1,
		.kernel = { .kind = IMAGE_RAW, .start = kernel,
			    .end = kernel + sizeof(kernel) },
		.manager = &m2,
	};
	cfg.nr_vms = 3;
	vms[0].manager = &m;
	run();
	CHECK(said_line("error: vm \"third\": manages \"rtos\", which vm \"linux\" manages already: a VM has one manager"));
	CHECK(said_line("error: vm \"third\": manager host range 0x70800000-0x717fffff overlaps vm \"linux\"'s host range"));
}

/* Flash banks backed by host RAM (.flash_ram) and booting from bank 0: the
 * RAM is the bank's alone, in whole erase blocks, and a VM that boots from
 * flash has RAM to run from there and no kernel. */
TEST(validate_flash_ram)
{
	base();
	vms[1].flash = true;
	vms[1].flash_ram[0] = (struct flash_ram){ .pa = PA(0x70000000), .size = 2 * MB };
	vms[1].flash_ram[1] = (struct flash_ram){ .pa = PA(0x70200000), .size = 2 * MB,
						  .writable = true };
	CHECK_CLEAN();

	/* Another VM's slot, or its other bank, is not its to have. */
	vms[1].flash_ram[1].pa = PA(0x50000000);
	CHECK_ONLY("error: vm \"rtos\": flash bank 1's RAM 0x50000000-0x501fffff overlaps vm \"linux\" slot 0 (0x50000000-0x5fffffff): give it memory of its own",
		   true, false);
	vms[1].flash_ram[1].pa = PA(0x70000000);
	CHECK_ONLY("error: vm \"rtos\": flash bank 1's RAM 0x70000000-0x701fffff overlaps vm \"rtos\"'s flash bank 0 RAM: give each its own",
		   true, false);
	vms[1].flash_ram[1].pa = PA(0x70200000);

	/* Whole erase blocks, within the bank, in board RAM. */
	vms[1].flash_ram[1].size = 768 * 1024 + 4096;
	CHECK_ONLY("error: vm \"rtos\": flash bank 1's RAM (PA 0x70200000, size 0xc1000): the size must be a multiple of the 0x40000-byte erase block, at most the bank's 0x4000000, and the PA 4 KiB aligned",
		   true, false);
	vms[1].flash_ram[1].size = 128 * MB;
	CHECK_ONLY("error: vm \"rtos\": flash bank 1's RAM (PA 0x70200000, size 0x8000000): the size must be a multiple of the 0x40000-byte erase block, at most the bank's 0x4000000, and the PA 4 KiB aligned",
		   true, false);
	vms[1].flash_ram[1].size = 768 * 1024;
	CHECK_ONLY("warning: vm \"rtos\": flash bank 1's RAM (PA 0x70200000, size 0xc0000) is not in whole 2 MiB blocks: it is mapped with 4 KiB pages",
		   true, true);
	/* 2 MiB or more in pages: every mode switch would rewrite them all. */
	vms[1].flash_ram[1].pa = PA(0x70240000);
	vms[1].flash_ram[1].size = 4 * MB;
	CHECK_ONLY("error: vm \"rtos\": flash bank 1's RAM (PA 0x70240000, size 0x400000) is 2 MiB or more at a PA that is not 2 MiB aligned: it would be mapped in 4 KiB pages, up to 16384 entries rewritten at every program or erase with the CPU held; align its PA to 2 MiB",
		   true, false);
	vms[1].flash_ram[1].pa = PA(0x40200000);
	vms[1].flash_ram[1].size = 2 * MB;
	CHECK_ONLY("error: vm \"rtos\": flash bank 1's RAM 0x40200000-0x403fffff overlaps the hypervisor's own memory (0x40000000-0x40ffffff)",
		   true, false);
	vms[1].flash_ram[1].pa = PA(0x80000000);
	CHECK_ONLY("error: vm \"rtos\": flash bank 1's RAM 0x80000000-0x801fffff is not inside board testboard's RAM",
		   true, false);
	vms[1].flash_ram[1].pa = PA(0x70200000);

	/* A file the bootloader preloads is the pristine copy, not RAM. */
	vms[0].loads[0] = (struct guest_load){ .ipa = 0x41000000,
		.img = { .kind = IMAGE_RAW, .preload_pa = 0x70300000, .preload_size = 2 * MB } };
	vms[0].nr_loads = 1;
	run();
	CHECK(said_line("error: vm \"rtos\": flash bank 1's RAM 0x70200000-0x703fffff overlaps vm \"linux\"'s image preload area (0x70300000-0x704fffff)"));
	vms[0].nr_loads = 0;

	/* RAM for banks it does not have. */
	vms[1].flash = false;
	run();
	CHECK(said_line("error: vm \"rtos\": gives flash bank 0 RAM but has no flash banks: set .flash = true"));
	vms[1].flash = true;

	/* Booting from flash: bank 0 must have RAM and a file, and no
	 * kernel. */
	vms[1].boot_from_flash = true;
	vms[1].flash_image[0] = (struct guest_image){ .kind = IMAGE_RAW,
		.preload_pa = 0x70600000, .preload_size = 2 * MB };
	CHECK_ONLY("error: vm \"rtos\": boots from flash and also names a kernel or initrd: a VM has one entry; drop .kernel and .initrd, or .boot_from_flash",
		   true, false);
	vms[1].kernel = (struct guest_image){ 0 };
	CHECK_CLEAN();
	vms[1].flash_image[0] = (struct guest_image){ 0 };
	CHECK_ONLY("error: vm \"rtos\": boots from flash but flash bank 0 has no file: it would start in erased flash (0xff) and run nothing; set .flash_image[0] to its firmware",
		   true, false);
	vms[1].flash_ram[0] = (struct flash_ram){ 0 };
	CHECK_ONLY("error: vm \"rtos\": boots from flash but flash bank 0 has no RAM to run from: set .flash = true and .flash_ram[0]",
		   true, false);
}
