/*
 * The interrupt and trap paths as an unmodified guest sees them: plain C,
 * the common runtime's exception vectors, each operation timed by reading
 * the PMU cycle counter before and after it. Under QEMU -icount
 * shift=0,sleep=off the counter advances once per instruction of all CPUs
 * together (at EL1 and, with PMCCFILTR_EL0.NSH, at EL2), so each figure is
 * the instructions the operation cost, whoever executed them. The same
 * image runs on bare QEMU (no EL2: the figures a machine without a
 * hypervisor gives) and under the hypervisor (tests/bench.py, CONFIG=single
 * VCPUS=2: vCPUs 0 and 1 on CPUs 0 and 1). vCPU 0 measures and prints;
 * vCPU 1 waits in WFI for the IPIs.
 *
 * Each figure is the mean over ROUNDS rounds, after a first left out:
 *  - hvc: `hvc #0` with SMCCC function ID 0x4b000000 (no one's), which
 *    must return NOT_SUPPORTED, round trip;
 *  - fr: a read of the UART's flag register (0x09000018), round trip;
 *  - gicd: a read of GICD_CTLR, round trip; gicd_array: of
 *    GICD_ISENABLER1 (SPIs 32-63), one of the per-interrupt arrays;
 *  - timer: CVAL = now + 10 ms, CTL = ENABLE, spin (`yield`) until the
 *    handler (acknowledge, EOI, then CTL = IMASK | ENABLE) sets a flag;
 *    the round's instructions less the 10 ms (10,000,000 at 1 GHz);
 *  - ipi: SGI 1 to vCPU 1 (ICC_SGI1R_EL1, GICv2 GICD_SGIR), spin (`yield`)
 *    until vCPU 1's handler (acknowledge, EOI) sets a flag.
 * The three round trips are less an empty timing (two counter reads).
 * Printed as "bench: <key> = <instructions> (<what>)".
 */
#include "gic.h"
#include "guest.h"
#include "guest_platform.h"
#include "mmio.h"

#define ROUNDS 8
#define SMCCC_UNKNOWN 0x4b000000
#define UART_FR (VIRT_UART_BASE + 0x18)
#define GICD_CTLR VIRT_GICD_BASE
#define GICD_ISENABLER1 (VIRT_GICD_BASE + 0x104)
#define SGI_PING 1
#define TIMER_MS 10


static u32 timer_flag, ipi_flag, cpu1_ready;
static u32 spurious, stray, timer_irqs;

static inline u64 cycles(void)
{
	u64 c;

	__asm__ volatile("isb; mrs %0, pmccntr_el0; isb" : "=r"(c) : : "memory");
	return c;
}

static bool on_exception(struct guest_regs *regs, u64 kind)
{
	(void)regs;
	if (kind != EXC_IRQ)
		return false;
	u32 iar = gic_ack(), id = GIC_IAR_INTID(iar);

	if (id >= 1020) {
		WRITE_ONCE(spurious, spurious + 1);
		return true;
	}
	gic_eoi(iar);
	if (id == VTIMER_INTID) {
		WRITE_ONCE(timer_irqs, timer_irqs + 1);
		write_sysreg(3, cntv_ctl_el0); /* IMASK | ENABLE */
		isb();
		WRITE_ONCE(timer_flag, 1);
	} else if (id == SGI_PING) {
		WRITE_ONCE(ipi_flag, 1);
	} else {
		WRITE_ONCE(stray, stray + 1);
	}
	return true;
}

static inline void yield(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* ---- vCPU 1 ---- */

static void secondary(u64 arg)
{
	(void)arg;
	gic_cpu_init();
	gic_enable_irq(SGI_PING, 0x80);
	WRITE_ONCE(cpu1_ready, 1);
	irq_enable();
	for (;;)
		wfi();
}

/* ---- The operations, each between two counter reads ---- */

static u64 time_empty(void)
{
	u64 t0 = cycles();

	return cycles() - t0;
}

static u64 time_hvc(s64 *ret)
{
	register u64 x0 __asm__("x0") = SMCCC_UNKNOWN;
	register u64 x1 __asm__("x1") = 0, x2 __asm__("x2") = 0, x3 __asm__("x3") = 0;
	u64 t0 = cycles();

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	u64 t1 = cycles();
	*ret = (s64)x0;
	return t1 - t0;
}

static u64 time_read(u64 addr, u32 *val)
{
	u64 t0 = cycles();

	*val = mmio_read32(addr);
	return cycles() - t0;
}

static u64 time_timer(void)
{
	u64 ticks = counter_ms(TIMER_MS);
	u64 t0 = cycles();

	WRITE_ONCE(timer_flag, 0);
	write_sysreg(read_sysreg(cntvct_el0) + ticks, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0); /* ENABLE */
	while (!READ_ONCE(timer_flag))
		yield();
	return cycles() - t0;
}

static u64 time_ipi(void)
{
	u64 t0 = cycles();

	WRITE_ONCE(ipi_flag, 0);
	gic_send_sgi(BIT(1), SGI_PING);
	while (!READ_ONCE(ipi_flag))
		yield();
	return cycles() - t0;
}

/* ---- Rounds and figures ---- */

static void print_figure(const char *key, u64 sum, u64 less, const char *what)
{
	s64 total = (s64)sum - (s64)(less * ROUNDS);
	s64 whole = total / ROUNDS, frac = (total % ROUNDS) * 1000 / ROUNDS;

	printf("bench: %s = %ld.%03ld (%s)\n", key, whole, frac < 0 ? -frac : frac, what);
}

void guest_main(void);
void guest_main(void)
{
	u64 empty = ~0UL, sum[6] = { 0 }, lo[6], hi[6] = { 0 };
	u32 irqs0 = 0;
	u32 val = 0;
	s64 ret = 0;
	bool hvc_ok = true;

	pmu_cycles_start();
	gic_init();
	gic_cpu_init();
	set_exception_handler(on_exception);
	gic_enable_irq(VTIMER_INTID, 0x80);
	report(cpu_on(1, secondary, 0) == PSCI_RET_SUCCESS, "vCPU 1 started");
	/* Yielding: under icount a spinning CPU may keep its turn. */
	report(spin_until((yield(), READ_ONCE(cpu1_ready)), 2000), "vCPU 1 ready");
	irq_enable();
	printf("# guestview: GICv%u\n", gic_v3 ? 3 : 2);

	for (u32 r = 0; r <= ROUNDS; r++) {
		u64 e = time_empty();
		u64 h = time_hvc(&ret);
		u64 f = time_read(UART_FR, &val);
		u64 g = time_read(GICD_CTLR, &val);
		u64 a = time_read(GICD_ISENABLER1, &val);
		u64 t = time_timer();
		u64 i = time_ipi();

		hvc_ok &= ret == PSCI_RET_NOT_SUPPORTED;
		if (!r) {
			irqs0 = READ_ONCE(timer_irqs);
			continue; /* warming up: first touches, first exits */
		}
		empty = MIN(empty, e);
		u64 got[6] = { h, f, g, t, i, a };

		for (u32 k = 0; k < 6; k++) {
			sum[k] += got[k];
			lo[k] = r == 1 ? got[k] : MIN(lo[k], got[k]);
			hi[k] = MAX(hi[k], got[k]);
		}
	}
	printf("# spread over %u rounds (max - min): hvc %lu, fr %lu, gicd %lu, "
	       "timer %lu, ipi %lu, isenabler %lu\n", ROUNDS, hi[0] - lo[0],
	       hi[1] - lo[1], hi[2] - lo[2], hi[3] - lo[3], hi[4] - lo[4],
	       hi[5] - lo[5]);
	printf("# timer interrupts taken in %u rounds: %u\n", ROUNDS,
	       READ_ONCE(timer_irqs) - irqs0);
	u64 timer_insns = counter_ms(TIMER_MS) * (1000000000UL / read_sysreg(cntfrq_el0));

	report(hvc_ok, "hvc with function ID 0x%x returns NOT_SUPPORTED", SMCCC_UNKNOWN);
	report(!READ_ONCE(spurious) && !READ_ONCE(stray), "no spurious or stray interrupts "
	       "(%u, %u)", READ_ONCE(spurious), READ_ONCE(stray));
	printf("bench: gv_empty = %lu.000 (two counter reads)\n", empty);
	print_figure("gv_hvc", sum[0], empty, "hvc #0, unknown SMCCC function, round trip");
	print_figure("gv_fr", sum[1], empty, "read of the UART's FR, round trip");
	print_figure("gv_gicd", sum[2], empty, "read of GICD_CTLR, round trip");
	print_figure("gv_gicd_array", sum[5], empty, "read of GICD_ISENABLER1, round trip");
	print_figure("gv_timer", sum[3], timer_insns,
		     "virtual timer round, less its 10 ms");
	print_figure("gv_ipi", sum[4], 0, "IPI to vCPU 1's handler and back to the flag");
	report_done();
}
