/*
 * The VM that keeps doing checkable work while another VM misbehaves
 * (tests/integration/hostile.py, fault_policy.py, make soak):
 *  - memory: all of its RAM but its image, BSS and stacks holds a pattern
 *    that names each word's address and a generation; every pass checks
 *    every word and writes the next generation;
 *  - interrupts: its virtual timer fires every period_ms on an absolute
 *    schedule (the compare value advances by one period per interrupt), so
 *    the count must track elapsed time whatever the latency;
 *  - CPU state: EL1 registers and FP/SIMD registers it set once must keep
 *    their values (another VM's vCPU may share its physical CPU);
 *  - a heartbeat: every report_ms a PASS line with all of it, then after
 *    secs seconds a summary, and SYSTEM_OFF.
 *
 * bootargs: secs= (20), period_ms= (10), report_ms= (1000), ram= (RAM slot
 * size, 16 MiB), lag_ms= (how far the timer count may trail, 500).
 */
#include "gic.h"
#include "guest.h"
#include "guest_platform.h"

extern char _end[];

static u64 period, ticks, other_irqs, max_late;

static bool on_irq(struct guest_regs *regs, u64 kind)
{
	if (kind != EXC_IRQ)
		return false;
	for (;;) {
		u32 iar = gic_ack();
		u32 intid = GIC_IAR_INTID(iar);

		if (intid >= 1020)
			return true;
		if (intid == VTIMER_INTID) {
			u64 cval = read_sysreg(cntv_cval_el0);
			u64 late = counter_now() - cval;
			bool still;

			if (late > max_late)
				max_late = late;
			ticks++;
			write_sysreg(cval + period, cntv_cval_el0);
			isb();
			/*
			 * Running behind, the next period is due already. The
			 * timer's line then goes low for the EOI and high
			 * again after it: QEMU 7.2's GICv2 does not look at a
			 * line still high when a virtual EOI deactivates its
			 * physical interrupt, and would leave this one
			 * undelivered until something else stirs the GIC.
			 */
			still = read_sysreg(cntv_ctl_el0) & BIT(2);
			if (still)
				write_sysreg(3, cntv_ctl_el0); /* IMASK */
			isb();
			gic_eoi(iar);
			if (still)
				write_sysreg(1, cntv_ctl_el0);
			isb();
		} else {
			other_irqs++; /* it enabled no other interrupt */
			gic_eoi(iar);
		}
	}
}

static u64 pattern(u64 addr, u64 gen)
{
	return (addr * 0x9e3779b97f4a7c15UL) ^ (gen * 0xd1b54a32d192ed03UL);
}

struct range {
	u64 start, end;
};
static struct range ranges[2];

/* One pass: checks generation gen everywhere and writes gen + 1. Returns
 * the words that did not hold gen, *first the first of them. */
static u64 pass(u64 gen, u64 *first)
{
	u64 bad = 0;

	for (u32 i = 0; i < ARRAY_SIZE(ranges); i++)
		for (u64 a = ranges[i].start; a < ranges[i].end; a += 8) {
			volatile u64 *w = (volatile u64 *)a;

			if (*w != pattern(a, gen) && !bad++)
				*first = a;
			*w = pattern(a, gen + 1);
		}
	return bad;
}

/* EL1 registers the hypervisor switches between vCPUs: a value set here
 * must stay. */
#define CANARY 0x5ca1ab1e00000000UL
#define CPU_REGS(X)                          \
	X(tpidr_el0, 1) X(tpidrro_el0, 2)     \
	X(tpidr_el1, 3) X(contextidr_el1, 4) \
	X(sp_el0, 5) X(mair_el1, 6)

#define SET_REG(reg, n) write_sysreg(CANARY + (n), reg);
#define CHECK_REG(reg, n)                                  \
	if ((read_sysreg(reg) & 0xffffffff) != (u32)(CANARY + (n)) && !*bad) \
		*bad = #reg;

static void set_cpu_state(void)
{
	CPU_REGS(SET_REG)
	write_sysreg(3UL << 20, cpacr_el1); /* FP/SIMD on */
	isb();
	__asm__ volatile("mov v7.d[0], %0\n\tmov v31.d[1], %1"
			 : : "r"(CANARY + 7), "r"(CANARY + 31));
}

/* CONTEXTIDR_EL1 has 32 bits; the others are checked on the same bits. */
static void check_cpu_state(const char **bad)
{
	u64 v7, v31;

	CPU_REGS(CHECK_REG)
	__asm__ volatile("mov %0, v7.d[0]\n\tmov %1, v31.d[1]" : "=r"(v7), "=r"(v31));
	if (v7 != CANARY + 7 && !*bad)
		*bad = "v7";
	if (v31 != CANARY + 31 && !*bad)
		*bad = "v31";
}

void guest_main(void);
void guest_main(void)
{
	u64 secs = bootarg("secs", 20), report_ms = bootarg("report_ms", 1000);
	u64 ram = bootarg("ram", 0x1000000), lag_ms = bootarg("lag_ms", 500);
	u64 t0, end, next_report, gen = 1, passes = 0, words = 0, seen = 0;
	u64 bad_total = 0, lag_max = 0;
	struct smccc_res info;
	bool ok = true;

	period = counter_ms(bootarg("period_ms", 10));
	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	/* The device tree is at the top of RAM: from here on it is pattern. */
	ranges[0] = (struct range){ VIRT_RAM_BASE, VIRT_RAM_BASE + VIRT_RAW_IMAGE_OFFSET };
	ranges[1] = (struct range){ ALIGN_UP((u64)(uintptr_t)_end, PAGE_SIZE),
				    VIRT_RAM_BASE + ram };
	for (u32 i = 0; i < ARRAY_SIZE(ranges); i++)
		words += (ranges[i].end - ranges[i].start) / 8;
	printf("# steady: %lu words of RAM, timer every %lu ticks, %lu s, restart %lu\n",
	       words, period, secs, info.a2);

	set_cpu_state();
	set_exception_handler(on_irq);
	gic_init();
	gic_cpu_init();
	gic_enable_irq(VTIMER_INTID, 0x80);
	for (u32 i = 0; i < ARRAY_SIZE(ranges); i++)
		for (u64 a = ranges[i].start; a < ranges[i].end; a += 8)
			*(volatile u64 *)a = pattern(a, gen);

	t0 = counter_now();
	end = t0 + counter_ms(secs * 1000);
	next_report = t0 + counter_ms(report_ms);
	write_sysreg(t0 + period, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	irq_enable();

	for (;;) {
		u64 first = 0, bad = pass(gen, &first);
		u64 now = counter_now();

		gen++;
		passes++;
		if (bad) {
			ok = false;
			bad_total += bad;
			printf("FAIL: steady: pass %lu: %lu words changed, the first at 0x%lx\n",
			       passes, bad, first);
		}
		if (now < next_report && now < end)
			continue;

		const char *reg = NULL;
		/* The count first: interrupts taken after "now" would count
		 * periods not yet due. */
		u64 n = READ_ONCE(ticks);

		now = counter_now();
		u64 due = (now - t0) / period;
		u64 lag = due > n ? due - n : 0;
		bool timer_ok = n > seen && n <= due + 1 &&
				lag * period <= counter_ms(lag_ms);

		check_cpu_state(&reg);
		lag_max = MAX(lag_max, lag);
		ok &= timer_ok && !reg && !other_irqs;
		report(!bad && timer_ok && !reg && !READ_ONCE(other_irqs),
		       "steady at %lu ms: pattern intact (%lu passes), %lu timer interrupts "
		       "(%lu due), latest %lu us late at most, %s, %lu other interrupts",
		       (now - t0) / counter_ms(1), passes, n, due,
		       max_late * 1000 / counter_ms(1), reg ? reg : "EL1 and FP state kept",
		       READ_ONCE(other_irqs));
		seen = n;
		next_report += counter_ms(report_ms);
		if (now >= end)
			break;
	}
	irq_disable();
	vtimer_stop();
	report(ok, "steady: %lu s of work: %lu passes over %lu words (%lu changed), "
	       "%lu timer interrupts, the count trailing by %lu at most",
	       secs, passes, words, bad_total, ticks, lag_max);
	report_done();
}
