/* The guest payload runtime (see guest.h). */
#include "guest.h"
#include "guest_platform.h"
#include "mmio.h"

u64 guest_dtb;

#define UARTDR 0x00
#define UARTFR 0x18
#define FR_TXFF BIT(5)

void putc(char c)
{
	if (c == '\n')
		putc('\r');
	while (mmio_read32(VIRT_UART_BASE + UARTFR) & FR_TXFF)
		;
	mmio_write32(VIRT_UART_BASE + UARTDR, (u8)c);
}

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

static void sink(void *ctx, char c)
{
	putc(c);
}

void printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(sink, NULL, fmt, ap);
	va_end(ap);
}

static void smccc(bool use_smc, u64 fid, u64 a1, u64 a2, u64 a3, u64 a4,
		  struct smccc_res *res)
{
	register u64 x0 __asm__("x0") = fid;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;
	register u64 x4 __asm__("x4") = a4;

#define SMCCC_CLOBBERS "x5", "x6", "x7", "x8", "x9", "x10", "x11", \
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory"
	if (use_smc)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
				 : : SMCCC_CLOBBERS);
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
				 : : SMCCC_CLOBBERS);
	*res = (struct smccc_res){ x0, x1, x2, x3 };
}

void hvc_res(u64 fid, u64 a1, u64 a2, u64 a3, struct smccc_res *res)
{
	smccc(false, fid, a1, a2, a3, 0, res);
}

void hvc_res4(u64 fid, u64 a1, u64 a2, u64 a3, u64 a4, struct smccc_res *res)
{
	smccc(false, fid, a1, a2, a3, a4, res);
}

void hvc_regs(u64 fid, u64 a1, u64 a2, u64 a3, u64 r[8])
{
	register u64 x0 __asm__("x0") = fid;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;
	register u64 x4 __asm__("x4") = 0;
	register u64 x5 __asm__("x5") = 0;
	register u64 x6 __asm__("x6") = 0;
	register u64 x7 __asm__("x7") = 0;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
			   "+r"(x5), "+r"(x6), "+r"(x7)
			 : : "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	r[0] = x0, r[1] = x1, r[2] = x2, r[3] = x3;
	r[4] = x4, r[5] = x5, r[6] = x6, r[7] = x7;
}

s64 hvc(u64 fid, u64 a1, u64 a2, u64 a3)
{
	struct smccc_res res;

	smccc(false, fid, a1, a2, a3, 0, &res);
	return (s64)res.a0;
}

s64 smc(u64 fid, u64 a1, u64 a2, u64 a3)
{
	struct smccc_res res;

	smccc(true, fid, a1, a2, a3, 0, &res);
	return (s64)res.a0;
}

void delay_ms(u64 ms)
{
	u64 end = counter_now() + counter_ms(ms);

	while (counter_now() < end)
		;
}

static unsigned passes, failures;

void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		passes++;
	else
		failures++;
	puts(ok ? "PASS: " : "FAIL: ");
	va_start(ap, fmt);
	fmt_vformat(sink, NULL, fmt, ap);
	va_end(ap);
	putc('\n');
}

void system_off(void)
{
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void report_done(void)
{
	printf("SUMMARY: %u passed, %u failed\n", passes, failures);
	system_off();
}

static exception_handler handler;

void set_exception_handler(exception_handler h)
{
	handler = h;
}

void guest_exception(struct guest_regs *regs, u64 kind);
void guest_exception(struct guest_regs *regs, u64 kind)
{
	static const char *const kinds[] = { "synchronous", "IRQ", "FIQ", "SError" };

	if (handler && handler(regs, kind))
		return;
	printf("FAIL: unexpected %s exception at EL1: ESR_EL1 0x%lx FAR_EL1 0x%lx ELR_EL1 0x%lx\n",
	       kinds[kind & 3], regs->esr, regs->far, regs->pc);
	report_done();
}

/* Secondary vCPUs. */
#define MAX_GUEST_CPUS 8
static struct {
	void (*fn)(u64);
	u64 arg;
} starts[MAX_GUEST_CPUS];

u64 secondary_prepare(u64 mpidr, void (*fn)(u64), u64 arg)
{
	u64 slot = (mpidr & 0xff) % MAX_GUEST_CPUS;

	starts[slot].fn = fn;
	starts[slot].arg = arg;
	dmb(sy); /* seen by the new vCPU before it can start */
	return slot;
}

s64 cpu_on(u64 mpidr, void (*fn)(u64), u64 arg)
{
	u64 slot = secondary_prepare(mpidr, fn, arg);

	return hvc(PSCI_CPU_ON, mpidr, (u64)(uintptr_t)guest_secondary_entry,
		   slot);
}

void guest_secondary_main(u64 slot);
void guest_secondary_main(u64 slot)
{
	starts[slot].fn(starts[slot].arg);
}

#define PMCR_E BIT(0)		/* counters enabled */
#define PMCR_D BIT(3)		/* cycle counter counts every 64th cycle */
#define PMCNTEN_C BIT(31)	/* the cycle counter */
#define PMCCFILTR_NSH BIT(27)	/* count at EL2 too (P and U 0: EL1, EL0) */

bool pmu_cycles_start(void)
{
	u64 pmcr = read_sysreg(pmcr_el0);

	write_sysreg(PMCCFILTR_NSH, pmccfiltr_el0);
	write_sysreg(PMCNTEN_C, pmcntenset_el0);
	write_sysreg((pmcr | PMCR_E) & ~PMCR_D, pmcr_el0);
	isb();
	return pmcr & PMCR_E;
}
