/*
 * The benchmark payload (make bench, configs/bench.c): the instructions
 * the hypervisor spends on each operation, counted by the PMU cycle counter.
 * Under QEMU with -icount shift=0,sleep=off that counter advances once per
 * executed instruction, at EL1 and (with PMCCFILTR_EL0.NSH) at EL2 alike,
 * so every figure is a path length. Without icount the figures are not
 * instruction counts; docs/benchmarks.md explains.
 *
 * Each per-operation figure comes from a loop of loops.S run n and then 2n
 * times: the difference is n iterations, free of the fixed cost of reading
 * the counter. A bare twin of each loop, without the operation, gives the
 * loop's own share; the net figure is the operation alone. Figures are
 * averages, printed to a thousandth of an instruction, as lines
 *
 *	bench: <key> = <instructions> (<what>)
 *
 * which tests/bench.py tabulates.
 */
#include "guest.h"
#include "guest_platform.h"
#include "layout.h"
#include "mmio.h"


#define UARTDR 0x00
#define UARTFR 0x18
#define FR_TXFE BIT(7)

#define CALLS 1000 /* hypercalls and MMIO reads per run */
#define PAGES 256  /* dirty-log pages per run; 3 * PAGES are written */
#define GETS 100   /* HC_DIRTY_LOG_GET calls per run */

u64 loop_hvc_nop(u64 n, u64 fid);
u64 loop_hvc_nop_bare(u64 n, u64 fid);
u64 loop_hvc(u64 n, u64 fid, u64 a1, u64 a2, u64 a3, u64 a4);
u64 loop_hvc_bare(u64 n, u64 fid, u64 a1, u64 a2, u64 a3, u64 a4);
u64 loop_read32(u64 n, u64 addr);
u64 loop_read32_bare(u64 n, u64 addr);
u64 loop_write32(u64 n, u64 addr, u64 value);
u64 loop_write_pages(u64 n, u64 addr);

/* Written by start.S (GUEST_ENTRY_PMCCNTR) before BSS is cleared. */
u64 guest_entry_pmccntr;

/* HC_DIRTY_LOG_GET's buffer: room for the slot's bitmap and more. */
#define DIRTY_PAGES (BENCH_DIRTY_SIZE / PAGE_SIZE)
#define DIRTY_WORDS (DIRTY_PAGES / 64)
static u64 bitmap[2 * DIRTY_WORDS];

/* Instructions per iteration, in thousandths, from runs of n and 2n. */
static s64 per_iter(u64 once, u64 twice, u64 n)
{
	return (s64)(twice - once) * 1000 / (s64)n;
}

#define PER_ITER(n, loop, ...) \
	per_iter(loop(n, __VA_ARGS__), loop(2 * (n), __VA_ARGS__), n)

static void figure(const char *key, s64 milli, const char *what)
{
	u64 abs = milli < 0 ? -(u64)milli : (u64)milli;

	printf("bench: %s = %s%lu.%03lu (%s)\n", key, milli < 0 ? "-" : "",
	       abs / 1000, abs % 1000, what);
}

/* counted: the hypervisor had started the cycle counter at its own entry
 * (a BENCH=1 build on the boot CPU), which makes guest_entry_pmccntr
 * meaningful. */
static void bench_entry(bool counted)
{
	if (!counted) {
		printf("bench: the hypervisor did not start the cycle counter at "
		       "its entry: build it with BENCH=1 for the entry figure\n");
		return;
	}
	printf("bench: entry = %lu (hypervisor entry to the guest's first "
	       "instruction)\n", guest_entry_pmccntr);
}

static void bench_hvc_nop(void)
{
	s64 loop = PER_ITER(CALLS, loop_hvc_nop, HC_NOP);
	s64 bare = PER_ITER(CALLS, loop_hvc_nop_bare, HC_NOP);

	report(hvc(HC_NOP, 0, 0, 0) == 0, "HC_NOP returns 0");
	figure("hvc_nop_loop", loop, "null hypercall loop, per iteration");
	figure("hvc_nop_bare", bare, "the same loop without the HVC");
	figure("hvc_nop", loop - bare, "null hypercall round trip");
}

static void bench_mmio_read(void)
{
	u64 fr = VIRT_UART_BASE + UARTFR;
	s64 loop = PER_ITER(CALLS, loop_read32, fr);
	s64 bare = PER_ITER(CALLS, loop_read32_bare, fr);

	report(mmio_read32(fr) & FR_TXFE,
	       "the vUART's FR reads transmit FIFO empty");
	figure("mmio_read_loop", loop, "vUART FR read loop, per iteration");
	figure("mmio_read_bare", bare, "the same loop without the read");
	figure("mmio_read", loop - bare, "emulated MMIO read round trip");
}

/* Characters written to the vUART's data register: spaces, on one line
 * that the newline after the loops ends. This VM has input focus, so each
 * goes to the console at once (the unbuffered path). */
#define CHARS 200

static void bench_uart_write(void)
{
	u64 dr = VIRT_UART_BASE + UARTDR;
	s64 loop = PER_ITER(CHARS, loop_write32, dr, ' ');
	s64 bare = PER_ITER(CHARS, loop_read32_bare, dr);

	printf("\n");
	figure("uart_write_loop", loop, "vUART DR write loop, per character");
	figure("uart_write", loop - bare, "vUART DR write round trip, focus VM");
}

/* The bitmap holds exactly pages [0, n) of the slot. */
static bool bitmap_is_first(u64 n)
{
	for (u64 p = 0; p < DIRTY_PAGES; p++)
		if (!!(bitmap[p / 64] & BIT(p % 64)) != (p < n))
			return false;
	return true;
}

static u64 self; /* this VM's index (HC_VM_INFO), for HC_DIRTY_LOG_GET */

/* HC_DIRTY_LOG_GET of the LOG_DIRTY slot into bitmap: x0, and x1 in size. */
static s64 dirty_log_get(u64 *size)
{
	register u64 x0 __asm__("x0") = HC_DIRTY_LOG_GET;
	register u64 x1 __asm__("x1") = BENCH_DIRTY_SLOT;
	register u64 x2 __asm__("x2") = (u64)(uintptr_t)bitmap;
	register u64 x3 __asm__("x3") = sizeof(bitmap);
	register u64 x4 __asm__("x4") = self;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
			 :
			 : "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			   "x13", "x14", "x15", "x16", "x17", "memory");
	*size = x1;
	return (s64)x0;
}

/* n calls of HC_DIRTY_LOG_GET as dirty_log_get makes them, or the same
 * loop without the HVC. */
static u64 get_loop(u64 n, bool bare)
{
	u64 (*loop)(u64, u64, u64, u64, u64, u64);

	loop = bare ? loop_hvc_bare : loop_hvc;
	return loop(n, HC_DIRTY_LOG_GET, BENCH_DIRTY_SLOT,
		    (u64)(uintptr_t)bitmap, sizeof(bitmap), self);
}

static void bench_dirty_log(void)
{
	u64 base = BENCH_DIRTY_IPA, once, twice, dirty, clean, size;
	s64 ret, fault, plain, loop, bare;
	struct smccc_res res;

	hvc_res(HC_VM_INFO, 0, 0, 0, &res);
	self = res.a0;
	ret = dirty_log_get(&size);
	report(ret == 0 && size == DIRTY_WORDS * 8 && bitmap_is_first(0),
	       "HC_DIRTY_LOG_GET returns a clean %lu-byte bitmap (x0 %ld)",
	       size, ret);

	/* First writes: pages [0, PAGES), then [PAGES, 3 * PAGES). */
	once = loop_write_pages(PAGES, base);
	twice = loop_write_pages(2 * PAGES, base + PAGES * PAGE_SIZE);
	fault = per_iter(once, twice, PAGES);
	/* The same loop again over pages [0, 2 * PAGES), now writable. */
	plain = PER_ITER(PAGES, loop_write_pages, base);
	figure("dirty_fault_loop", fault,
	       "first write to a LOG_DIRTY page, per page");
	figure("dirty_write_loop", plain, "the same loop over written pages");
	figure("dirty_fault", fault - plain, "dirty-log write fault");

	/* One call collecting the 3 * PAGES dirty pages, one finding none. */
	dirty = get_loop(1, false);
	report(bitmap_is_first(3 * PAGES),
	       "HC_DIRTY_LOG_GET returns exactly the %u pages written", 3 * PAGES);
	clean = get_loop(1, false);
	report(bitmap_is_first(0), "a second HC_DIRTY_LOG_GET finds none");

	loop = PER_ITER(GETS, get_loop, false);
	bare = PER_ITER(GETS, get_loop, true);
	figure("dirty_get_loop", loop, "HC_DIRTY_LOG_GET loop, nothing dirty");
	figure("dirty_get_bare", bare, "the same loop without the HVC");
	figure("dirty_get", loop - bare,
	       "HC_DIRTY_LOG_GET round trip, nothing dirty");
	figure("dirty_get_page", (s64)(dirty - clean) * 1000 / (3 * PAGES),
	       "HC_DIRTY_LOG_GET, each dirty page it returns");
}

void guest_main(void);
void guest_main(void)
{
	bool counted = pmu_cycles_start();

	printf("bench: %u-page LOG_DIRTY slot %u at 0x%lx\n",
	       (unsigned)DIRTY_PAGES, BENCH_DIRTY_SLOT, BENCH_DIRTY_IPA);
	bench_entry(counted);
	bench_hvc_nop();
	bench_mmio_read();
	bench_uart_write();
	bench_dirty_log();
	report_done();
}
