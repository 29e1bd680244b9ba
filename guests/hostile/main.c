/*
 * A hostile guest: from a seeded stream of random numbers it issues a long
 * campaign of operations a guest should not get away with (see hostile.h
 * for the kinds, ops_*.c for each family and what it checks), takes its
 * own exceptions and goes on. Any access that should have faulted and did
 * not, any value it should not have been able to read, any register a call
 * should not have changed, is a finding: a FAIL line naming the seed, the
 * boot, the vCPU and the operation's number.
 *
 * bootargs (the configuration's cmdline):
 *   seed=N       the campaign's seed (1)
 *   until=S      run until the machine has been up S seconds (CNTPCT_EL0,
 *                which restarts do not reset; 0: no limit)
 *   ops=N        or until vCPU 0 has made N operations in one boot (0)
 *   kill=N       one batch in N ends the VM on purpose (0: never): the
 *                hypervisor must restart it (its fault policy, or PSCI)
 *   report_ms=N  a progress line every N ms (1000)
 *   boot0=N      start at boot N's stream (to replay a later boot)
 *
 * Restarts: a restart clears all of its memory, so boot k (HC_VM_INFO's
 * restart count, x2) carries on with a stream of its own, derived from the
 * seed and k: the campaign is the seed's streams one after the other, each
 * ended by the VM's own deliberate kill or by the time limit. A finding
 * names seed and boot: "seed=S boot0=k" replays that boot's stream.
 *
 * vCPU 1 runs a campaign of its own beside vCPU 0 (its findings and counts
 * go through memory: only vCPU 0 prints, so lines stay whole).
 */
#include "gic.h"
#include "hostile.h"
#include "guest_platform.h"

const char *const hz_kind_names[NR_KINDS] = {
#define HZ_KIND_NAME(k) #k,
	HZ_KINDS(HZ_KIND_NAME)
};

struct hz_cpu hz_cpus[HZ_MAX_CPUS];
struct hz_env env;
static u32 code_pages[HZ_MAX_CPUS][1024] __aligned(4096);

static u64 until_ticks, max_ops, kill_batches, report_ticks;
static u32 helper_stop, helper_starts;

#define BATCH 64
#define MAX_SHOWN 20

struct hz_cpu *hz_this(void)
{
	return &hz_cpus[(read_sysreg(mpidr_el1) & 0xff) % HZ_MAX_CPUS];
}

/* ---- Random numbers ---- */

static u64 splitmix(u64 x)
{
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

u64 rnd(struct hz_cpu *c)
{
	u64 x = c->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return x * 0x2545f4914f6cdd1dUL;
}

u64 rnd_value(struct hz_cpu *c)
{
	switch (rnd_below(c, 8)) {
	case 0: return 0;
	case 1: return ~0UL;
	case 2: return BIT(rnd_below(c, 64));
	case 3: return rnd(c) & 0xff;
	case 4: return rnd(c) & 0xffffffff;
	case 5: return hz_pick_ipa(c);
	default: return rnd(c);
	}
}

/* ---- Where things are ---- */

struct window {
	u64 base, size;
};
static struct window windows[4];
static u32 nr_windows;

static const struct window own[] = {
	{ HZ_RAM_IPA, HZ_RAM_SIZE },
	{ HZ_DIRTY_IPA, HZ_SLOT_SIZE },
	{ HZ_NX_IPA, HZ_SLOT_SIZE },
	{ HZ_RO_IPA, HZ_SLOT_SIZE },
};
static const enum hz_region own_region[] = { R_RAM, R_DIRTY, R_NX, R_RO };

enum hz_region hz_region(u64 ipa)
{
	for (u32 i = 0; i < ARRAY_SIZE(own); i++)
		if (ipa - own[i].base < own[i].size)
			return own_region[i];
	for (u32 i = 0; i < nr_windows; i++)
		if (ipa - windows[i].base < windows[i].size)
			return R_DEVICE;
	return R_FORBIDDEN;
}

enum hz_region hz_region_range(u64 ipa, u64 len)
{
	enum hz_region a = hz_region(ipa), b = hz_region(ipa + (len ? len : 1) - 1);

	if (ipa + len < ipa)
		return R_FORBIDDEN;
	return a > b ? a : b;
}

/* Bases and ends worth probing around, beside the windows and slots: the
 * machine's other devices (GICv2's hypervisor interface and its physical
 * GICV, the ITS, the RTC, virtio, PCIe), the other VMs' and its own host
 * memory used as IPAs, and address-size boundaries. */
static const u64 edges[] = {
	0, 0x08030000, 0x08040000, 0x08080000, 0x09010000, 0x0a000000,
	0x10000000, 0x3eff0000, 0x44000000, 0x45000000, 0x48000000,
	0x49000000, 0x4a000000, 0x80000000, 1UL << 32, 1UL << 36,
	1UL << 39, 1UL << 40, 1UL << 44, 0x4010000000UL,
};

u64 hz_pick_ipa(struct hz_cpu *c)
{
	u64 top = 1UL << env.ipa_bits;

	switch (rnd_below(c, 16)) {
	case 0: case 1: case 2: case 3: {
		const struct window *w = &windows[rnd_below(c, nr_windows)];
		u64 off = chance(c, 8) ? w->size + rnd_below(c, 0x1000) : rnd_below(c, w->size);

		return w->base + (chance(c, 4) ? off : ALIGN_DOWN(off, 4));
	}
	case 4: {
		const struct window *w = chance(c, 2) ? &own[rnd_below(c, ARRAY_SIZE(own))] :
					 &windows[rnd_below(c, nr_windows)];

		return w->base + (chance(c, 2) ? w->size : 0) + rnd_below(c, 128) - 64;
	}
	case 5:
		return edges[rnd_below(c, ARRAY_SIZE(edges))] + rnd_below(c, 128) - 64;
	case 6: {
		const struct window *w = &own[rnd_below(c, ARRAY_SIZE(own))];

		return w->base + rnd_below(c, w->size + 256);
	}
	case 7:
		return HZ_SCRATCH + rnd_below(c, HZ_SCRATCH_SIZE);
	case 8:
		return rnd_below(c, 1UL << 32);
	case 9: case 10:
		return rnd_below(c, top);
	case 11:
		return top + rnd_below(c, (1UL << 48) - top);
	case 12:
		return rnd(c);
	case 13: /* the other VMs' host memory, used as an IPA */
		return 0x44000000UL + rnd_below(c, 0x06000000UL);
	default:
		return ALIGN_DOWN(rnd_below(c, top), PAGE_SIZE);
	}
}

u64 hz_va(struct hz_cpu *c, u64 ipa, bool fetch)
{
	bool low = ipa < (1UL << 39);

	if (!c->mmu || !low)
		return ipa;
	/* Only the identity map's RAM gigabyte is Normal and executable. */
	if ((fetch && ipa >> 30 != HZ_RAM_IPA >> 30) || chance(c, 2))
		return HZ_ALIAS_BASE + ipa;
	return ipa;
}

/* ---- Findings ---- */

/* vCPU 1's findings wait here for vCPU 0 to print them. */
static char queued[4][200];
static u32 queue_head, queue_tail;

void hz_finding(struct hz_cpu *c, enum hz_kind k, const char *fmt, ...)
{
	char msg[160], line[200];
	va_list ap;

	c->findings++;
	if (c->findings > MAX_SHOWN)
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fmt_snprintf(line, sizeof(line), "FAIL: finding: seed=%lu boot0=%lu cpu=%u op=%lu %s: %s",
		     env.seed, env.boot, c->index, c->ops, hz_kind_names[k], msg);
	if (c->index == 0) {
		printf("%s\n", line);
		return;
	}
	u32 t = READ_ONCE(queue_tail);

	if (t - READ_ONCE(queue_head) < ARRAY_SIZE(queued)) {
		for (u32 i = 0; i < sizeof(line); i++)
			queued[t % ARRAY_SIZE(queued)][i] = line[i];
		dmb(sy);
		WRITE_ONCE(queue_tail, t + 1);
	}
}

static void flush_findings(void)
{
	while (READ_ONCE(queue_head) != READ_ONCE(queue_tail)) {
		u32 h = queue_head;

		dmb(sy);
		printf("%s\n", queued[h % ARRAY_SIZE(queued)]);
		WRITE_ONCE(queue_head, h + 1);
	}
}

/* ---- Its own exceptions ---- */

u64 hz_try_asm(u64 *jb, u64 (*fn)(u64, u64), u64 a, u64 b);

u64 hz_try(struct hz_cpu *c, u64 (*fn)(u64, u64), u64 a, u64 b)
{
	u64 v;

	c->exc = 0;
	WRITE_ONCE(c->in_try, true);
	__asm__ volatile("" ::: "memory");
	v = hz_try_asm(c->jb, fn, a, b);
	__asm__ volatile("" ::: "memory");
	WRITE_ONCE(c->in_try, false);
	return v;
}

static bool on_exception(struct guest_regs *regs, u64 kind)
{
	struct hz_cpu *c = hz_this();

	if (kind == EXC_IRQ || kind == EXC_FIQ) {
		hz_irq_drain(c);
		return true;
	}
	if (kind != EXC_SYNC || !c->in_try)
		return false; /* not its doing: the runtime reports it */
	if (!c->exc++) {
		c->esr = regs->esr;
		c->far = regs->far;
		c->elr = regs->pc;
	}
	regs->pc = (u64)(uintptr_t)hz_recover;
	regs->x[0] = (u64)(uintptr_t)c->jb;
	regs->pstate = 0x3c5; /* EL1h, all masked: as the campaign runs */
	return true;
}

u64 hz_run_code(struct hz_cpu *c, const u32 *insns, u32 n, u64 a, u64 b)
{
	for (u32 i = 0; i < n; i++)
		c->code[i] = insns[i];
	c->code[n] = A64_RET;
	__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
			 : : "r"(c->code) : "memory");
	return hz_try(c, (u64 (*)(u64, u64))(uintptr_t)c->code, a, b);
}

/* ---- The campaign ---- */

struct weight {
	u8 kind, weight;
	bool mmu; /* also with stage 1 on */
};

static const struct weight weights[] = {
	{ K_load, 10, true }, { K_store, 8, true }, { K_pair, 5, true },
	{ K_excl, 5, true }, { K_atomic, 2, true }, { K_simd, 3, true },
	{ K_fetch, 3, true }, { K_cache, 5, true }, { K_walk, 4, true },
	{ K_hvc, 6, false }, { K_smc, 3, false }, { K_psci, 3, false },
	{ K_hcall, 3, false }, { K_sysrd, 8, false }, { K_syswr, 6, false },
	{ K_sys, 3, false }, { K_pstate, 2, false }, { K_gic, 10, false },
	{ K_sgi, 3, false }, { K_wfi, 1, false }, { K_wfe, 1, false },
	{ K_pauth, 3, false }, { K_pmu, 3, false }, { K_debug, 3, false },
	{ K_spi, 3, false },
};

static enum hz_kind pick_kind(struct hz_cpu *c)
{
	u32 total = 0, x;

	for (u32 i = 0; i < ARRAY_SIZE(weights); i++)
		if (weights[i].mmu || !c->mmu)
			total += weights[i].weight;
	x = rnd_below(c, total);
	for (u32 i = 0; i < ARRAY_SIZE(weights); i++) {
		if (!weights[i].mmu && c->mmu)
			continue;
		if (x < weights[i].weight)
			return weights[i].kind;
		x -= weights[i].weight;
	}
	return K_load;
}

static void run(struct hz_cpu *c, enum hz_kind k)
{
	switch (k) {
	case K_load: case K_store: case K_pair: case K_excl: case K_atomic:
	case K_simd: case K_cache:
		hz_op_mem(c, k);
		break;
	case K_fetch: hz_op_fetch(c); break;
	case K_walk: hz_op_walk(c); break;
	case K_hvc: case K_smc: hz_op_call(c, k); break;
	case K_psci: hz_op_psci(c); break;
	case K_hcall: hz_op_hcall(c); break;
	case K_sysrd: hz_op_sysreg(c, false); break;
	case K_syswr: hz_op_sysreg(c, true); break;
	case K_sys: hz_op_sys(c); break;
	case K_pstate: hz_op_pstate(c); break;
	case K_gic: hz_op_gic(c); break;
	case K_sgi: hz_op_sgi(c); break;
	case K_wfi: hz_op_wfi(c); break;
	case K_wfe: hz_op_wfe(c); break;
	case K_pauth: hz_op_pauth(c); break;
	case K_pmu: hz_op_pmu(c); break;
	case K_debug: hz_op_debug(c); break;
	case K_spi: hz_op_spi(c); break;
	default: break;
	}
}

static void batch(struct hz_cpu *c)
{
	bool mmu = chance(c, 4);

	if (mmu)
		hz_mmu_on(c);
	for (u32 i = 0; i < BATCH; i++) {
		c->ops++;
		run(c, pick_kind(c));
	}
	if (mmu)
		hz_mmu_off(c);
}

static u64 uptime_ticks(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static void print_counts(const struct hz_cpu *c)
{
	printf("# counts boot=%lu cpu=%u ops=%lu irqs=%lu findings=%lu", env.boot,
	       c->index, c->ops, c->irqs, c->findings);
	for (u32 k = 0; k < NR_KINDS; k++)
		printf(" %s=%lu/%lu", hz_kind_names[k], c->tried[k], c->faulted[k]);
	printf("\n");
}

static s64 affinity(u32 cpu)
{
	return hvc(PSCI_AFFINITY_INFO, cpu, 0, 0);
}

static void start_helper(void)
{
	if (env.nr_vcpus > 1 && affinity(1) == AFFINITY_OFF)
		cpu_on(1, hz_helper_main, 0);
}

static bool stop_helper(void)
{
	WRITE_ONCE(helper_stop, 1);
	dmb(sy);
	return env.nr_vcpus < 2 || spin_until(affinity(1) == AFFINITY_OFF, 3000);
}

static const char *const kill_names[] = {
	"PSCI SYSTEM_RESET",
	"CPU_OFF of its last vCPU",
	"CPU_ON of vCPU 1 at memory holding no code",
	"VBAR_EL1 where nothing can be fetched, then a fault",
	"stage 1 on with TTBR0_EL1 at no memory",
};

/* Ends the VM on purpose: each way must bring a restart. */
static void __noreturn kill(struct hz_cpu *c)
{
	u32 how = rnd_below(c, ARRAY_SIZE(kill_names));
	u64 where = hz_pick_ipa(c) & GENMASK(39, 12);

	/* Vectors in its NOEXEC slot fault at stage 2 too; tables there
	 * would only fault at stage 1, at EL1, and loop there unseen. */
	while (hz_region(where) != R_FORBIDDEN && (how == 4 || hz_region(where) != R_NX))
		where = hz_pick_ipa(c) & GENMASK(39, 12);
	print_counts(&hz_cpus[0]);
	print_counts(&hz_cpus[1]);
	if (how == 1 || how == 2)
		stop_helper();
	printf("# kill %u: %s (0x%lx)\n", how, kill_names[how], where);
	switch (how) {
	case 0:
		if (chance(c, 2))
			smc(PSCI_SYSTEM_RESET, 0, 0, 0);
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		break;
	case 1:
		hvc(PSCI_CPU_OFF, 0, 0, 0);
		break;
	case 2:
		hvc(PSCI_CPU_ON, 1, chance(c, 2) ? HZ_LANDING : HZ_RO_IPA, 0);
		break;
	case 3:
		write_sysreg(where, vbar_el1);
		isb();
		__asm__ volatile("ldr xzr, [%0]" : : "r"(0x10000000UL) : "memory"); /* a hole */
		break;
	case 4:
		hz_mmu_junk(where & GENMASK(43, 12));
		break;
	}
	delay_ms(3000);
	report(false, "kill %u (%s) did not end the VM", how, kill_names[how]);
	report_done();
}

/* vCPU 0 between batches: progress, vCPU 1, kills, the end. */
static bool housekeeping(struct hz_cpu *c, u64 *next_report)
{
	u64 now = uptime_ticks();

	flush_findings();
	if (now >= *next_report) {
		print_counts(&hz_cpus[0]);
		if (env.nr_vcpus > 1)
			print_counts(&hz_cpus[1]);
		*next_report = now + report_ticks;
	}
	if ((until_ticks && now >= until_ticks) || (max_ops && c->ops >= max_ops))
		return true;
	if (!READ_ONCE(helper_stop) && chance(c, 8))
		start_helper();
	if (kill_batches && chance(c, kill_batches))
		kill(c);
	return false;
}

static void campaign(struct hz_cpu *c)
{
	u64 next_report = uptime_ticks() + report_ticks;

	for (;;) {
		if (c->index == 0 ? housekeeping(c, &next_report) : READ_ONCE(helper_stop))
			return;
		batch(c);
	}
}

static void cpu_setup(struct hz_cpu *c, u32 index, u64 stream)
{
	c->index = index;
	c->code = code_pages[index];
	c->rng = splitmix(stream ^ splitmix(index)) | 1;
	write_sysreg(3UL << 20, cpacr_el1); /* FP/SIMD for its SIMD accesses */
	hz_mmu_init_cpu();
}

void hz_helper_main(u64 arg)
{
	struct hz_cpu *c = &hz_cpus[1];

	/* A fresh stream for each start: it may turn itself off. */
	cpu_setup(c, 1, env.stream + ++helper_starts);
	hz_gic_lock(c);
	hz_gic_repair();
	hz_gic_unlock(c);
	campaign(c);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
}

static unsigned ipa_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	u64 range = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return range < ARRAY_SIZE(bits) ? bits[range] : 48;
}

static void env_setup(void)
{
	struct smccc_res info;
	u64 dczid = read_sysreg(dczid_el0);

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	env.vm_index = info.a0;
	env.nr_vcpus = MIN(info.a1, (u64)HZ_MAX_CPUS);
	env.seed = bootarg("seed", 1);
	env.boot = bootarg("boot0", 0) + info.a2;
	env.stream = splitmix(env.seed ^ splitmix(env.boot));
	env.ipa_bits = ipa_bits();
	env.v3 = FIELD_GET(read_sysreg(id_aa64pfr0_el1), 27, 24) != 0;
	env.lse = FIELD_GET(read_sysreg(id_aa64isar0_el1), 23, 20) >= 2;
	env.zva_size = (dczid & BIT(4)) ? 64 : 4UL << (dczid & 0xf);
	until_ticks = counter_ms(bootarg("until", 0) * 1000);
	max_ops = bootarg("ops", 0);
	kill_batches = bootarg("kill", 0);
	report_ticks = counter_ms(bootarg("report_ms", 1000));

	windows[nr_windows++] = (struct window){ VIRT_GICD_BASE, VIRT_GICD_SIZE };
	if (env.v3)
		windows[nr_windows++] = (struct window){
			VIRT_GICR_BASE, env.nr_vcpus * VIRT_GICR_STRIDE };
	else
		windows[nr_windows++] = (struct window){ VIRT_GICC_BASE, VIRT_GICC_SIZE };
	windows[nr_windows++] = (struct window){ VIRT_UART_BASE, VIRT_UART_SIZE };
	windows[nr_windows++] = (struct window){ HZ_RTC_IPA, 0x1000 }; /* passed through */
}

void guest_main(void);
void guest_main(void)
{
	struct hz_cpu *c = &hz_cpus[0];
	u64 findings;

	env_setup();
	printf("# hostile: seed=%lu boot0=%lu (restart %lu) stream 0x%lx: GICv%u, %u-bit IPA, "
	       "%u vCPUs, LSE atomics %s, DC ZVA %lu bytes, until %lu s of uptime, "
	       "kill 1 batch in %lu\n", env.seed, env.boot, env.boot - bootarg("boot0", 0),
	       env.stream, env.v3 ? 3 : 2, env.ipa_bits, env.nr_vcpus,
	       env.lse ? "yes" : "no (skipped)", env.zva_size, bootarg("until", 0),
	       kill_batches);
	/* Some boots reset at once: restarts come back to back, a reset loop
	 * whose reloads must not take steady's CPU time (or anyone's). */
	if (kill_batches && splitmix(env.stream ^ 0x4e5e7100b0075UL) % 4 == 0) {
		printf("# kill 5: PSCI SYSTEM_RESET at once (a reset loop)\n");
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		report(false, "kill 5 (a reset loop) did not end the VM");
	}
	set_exception_handler(on_exception);
	hz_mmu_build();
	cpu_setup(c, 0, env.stream);
	hz_gic_lock(c);
	hz_gic_repair();
	hz_gic_unlock(c);
	start_helper();
	campaign(c);

	report(stop_helper(), "hostile: vCPU 1 stopped at the end");
	flush_findings();
	print_counts(&hz_cpus[0]);
	print_counts(&hz_cpus[1]);
	findings = hz_cpus[0].findings + hz_cpus[1].findings;
	report(!findings, "hostile: seed %lu boot0=%lu: %lu operations on vCPU 0, %lu on "
	       "vCPU 1, %lu findings", env.seed, env.boot, hz_cpus[0].ops,
	       hz_cpus[1].ops, findings);
	report_done();
}
