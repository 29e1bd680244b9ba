/*
 * Forwarded I/O (docs/forwarding.md) seen from both sides, one payload in
 * two roles (bootarg "dev=1" for the device partition, tests/configs/run/
 * forward*.c): a device partition serving a small register device
 * (layout.h) in two windows of a frontend, and the frontend checking
 * loads, stores and pairs of every size through them, the window's
 * interrupt, frontend memory the device reads, and what happens when the
 * device fails an access, stalls past the window's timeout and restarts,
 * and when the frontend itself restarts (the device is told first, and the
 * frontend's reload waits for it).
 */
#include "gic.h"
#include "guest.h"
#include "layout.h"
#include "managed.h"

#define WAIT_MS 5000
#define STALL_MS 2000 /* well past the timeout, FWD_TIMEOUT_US */
#define BUSY_MS 100   /* within it */

static u64 front_info[8]; /* HC_FWD_WINDOW 0, device side */

/* ---- The device partition ---- */

static u8 file[2][0x100];
static u64 scratch, sum;
static u32 twice_refused, twice_tried;
static u32 told_front_reset; /* windows whose frontend restart we heard of */
static u64 told_at;          /* the counter then */
/* forward-dev-restarts.c: restarts on its first record of the boot that
 * restart_on_record= names, before it acts on it, as if its manager or
 * watchdog restarted it right then. */
static bool restart_on_record;

static void front_reset(u32 k, u64 front);

static u64 file_read(u32 k, u64 off, u32 size)
{
	u64 v = 0;

	for (u32 i = 0; i < size; i++)
		v |= (u64)file[k][(off + i) & 0xff] << (8 * i);
	return v;
}

static void file_write(u32 k, u64 off, u32 size, u64 v)
{
	for (u32 i = 0; i < size; i++)
		file[k][(off + i) & 0xff] = v >> (8 * i);
}

static s64 answer(u64 id, u64 data, u64 failed)
{
	return hvc(HC_FWD_ANSWER, id, data, failed);
}

/* Adds up 256 bytes of the frontend's memory at its IPA addr, through the
 * device partition's own mapping of it (HC_FWD_WINDOW x5-x7). */
static u64 frontend_sum(u64 addr)
{
	u64 dev = front_info[5], front = front_info[6], size = front_info[7];
	u64 s = 0;

	if (!size || addr < front || addr + 256 > front + size)
		return ~0UL;
	for (u32 i = 0; i < 256; i++)
		s += *(volatile u8 *)(dev + (addr - front) + i);
	return s;
}

static void handle(u64 id, u32 k, u64 off, u64 flags, u64 data)
{
	u32 size = HC_FWD_SIZE(flags);
	bool write = flags & HC_FWD_WRITE;
	u64 value = 0;

	if (off >= REG_FILE) {
		if (write)
			file_write(k, off - REG_FILE, size, data);
		else
			value = file_read(k, off - REG_FILE, size);
		answer(id, value, 0);
		return;
	}
	switch (off) {
	case REG_MAGIC:
		answer(id, FWD_MAGIC, 0);
		twice_tried++;
		twice_refused += answer(id, 0, 0) == SMCCC_INVALID_PARAMETER;
		return;
	case REG_SCRATCH:
		if (write)
			scratch = data;
		answer(id, scratch, 0);
		return;
	case REG_IRQ:
		hvc(HC_FWD_IRQ, k, data, 0);
		answer(id, 0, 0);
		return;
	case REG_STALL:
		/* Holds the request past its timeout, then answers late. */
		delay_ms(data);
		report(answer(id, 0, 0) == SMCCC_INVALID_PARAMETER,
		       "an answer after the request timed out is refused");
		return;
	case REG_RESTART:
		printf("# restarting with a request unanswered\n");
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		return;
	case REG_BUSY:
		/* Busy in this handler, as a device partition copying a
		 * frame: what waits for us waits meanwhile. */
		answer(id, 0, 0);
		delay_ms(data);
		return;
	case REG_LATE:
		/* Busy as in REG_BUSY, then a late copy into the frontend's
		 * memory through our mapping of it (HC_FWD_WINDOW 0). */
		answer(id, 0, 0);
		delay_ms(data);
		for (u32 i = 0; i < FWD_LATE_SIZE; i++)
			*(volatile u8 *)(front_info[5] + FWD_LATE_OFF + i) =
			    FWD_LATE_BYTE;
		return;
	case REG_RESET_AT:
		answer(id, told_at, 0);
		return;
	case REG_FAIL:
		answer(id, 0, 1);
		return;
	case REG_SUM_ADDR:
		sum = frontend_sum(data);
		answer(id, 0, 0);
		return;
	case REG_SUM:
		answer(id, sum, 0);
		return;
	case REG_DONE:
		answer(id, 0, 0);
		report(told_front_reset == 3,
		       "told of the frontend's restart on both its windows (mask %u)",
		       told_front_reset);
		report(twice_tried && twice_refused == twice_tried,
		       "a second answer to a request is refused (%u of %u)",
		       twice_refused, twice_tried);
		report_done();
	default:
		answer(id, 0, 0);
	}
}

/* The frontend stopped or restarted: what we hold of its run goes (our
 * whole device is its, so all of it). */
static void front_reset(u32 k, u64 front)
{
	if (k >= 2)
		return;
	if (!(told_front_reset & (1u << k)))
		printf("# window %u: frontend VM %lu restarted: its device state "
		       "is dropped\n", k, front);
	told_front_reset |= 1u << k;
	told_at = counter_now();
	scratch = 0;
	for (u32 i = 0; i < sizeof(file[k]); i++)
		file[k][i] = 0;
}

static bool dev_irq(struct guest_regs *regs, u64 kind)
{
	u64 r[8];
	u32 iar;

	if (kind != EXC_IRQ)
		return false;
	iar = gic_ack();
	if (GIC_IAR_INTID(iar) == FWD_REQUEST_IRQ) {
		for (hvc_regs(HC_FWD_GET, 0, 0, 0, r); r[0] != HC_FWD_EMPTY;
		     hvc_regs(HC_FWD_GET, 0, 0, 0, r)) {
			if (r[0] == HC_FWD_FRONTEND_RESET && restart_on_record) {
				printf("# restarting with window %lu's reset record "
				       "taken but not acted on\n", r[2]);
				hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
			}
			if (r[0] == HC_FWD_FRONTEND_RESET)
				front_reset(r[2], r[6] >> 8);
			else
				handle(r[1], r[2], r[3], r[4], r[5]);
		}
	}
	if (GIC_IAR_INTID(iar) < 1020)
		gic_eoi(iar);
	return true;
}

static void device(void)
{
	struct smccc_res info;
	u64 r[8];

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	printf("# boot %lu\n", info.a2 + 1);
	restart_on_record = bootarg("restart_on_record", 0) == info.a2 + 1;

	/* What a device partition may not do. */
	hvc_regs(HC_FWD_GET, 0, 0, 0, r);
	report(r[0] == HC_FWD_EMPTY, "no request before HC_FWD_READY");
	report(answer(0x12345, 1, 0) == SMCCC_INVALID_PARAMETER &&
	       answer(~0UL, 1, 0) == SMCCC_INVALID_PARAMETER,
	       "answers to requests never asked are refused");
	report(hvc(HC_FWD_WINDOW, 99, 0, 0) == SMCCC_INVALID_PARAMETER &&
	       hvc(HC_FWD_IRQ, 99, 1, 0) == SMCCC_INVALID_PARAMETER &&
	       hvc(HC_FWD_IRQ, 1, 1, 0) == SMCCC_INVALID_PARAMETER,
	       "windows it does not serve, and interrupts they lack, are refused");

	hvc_regs(HC_FWD_WINDOW, 0, 0, 0, front_info);
	report(front_info[0] == 0 && front_info[2] == FWD_WIN0 &&
	       front_info[3] == FWD_WIN_SIZE && front_info[4] == FWD_WIN0_IRQ &&
	       front_info[5] == FWD_POOL_DEV_IPA && front_info[6] == FWD_POOL_IPA,
	       "window 0: frontend VM %lu, IPA 0x%lx, 0x%lx bytes, SPI %lu, its "
	       "memory 0x%lx at our 0x%lx", front_info[1], front_info[2],
	       front_info[3], front_info[4], front_info[6], front_info[5]);

	set_exception_handler(dev_irq);
	gic_init();
	gic_cpu_init();
	gic_enable_irq(FWD_REQUEST_IRQ, 0x80);
	hvc_regs(HC_FWD_READY, 0, 0, 0, r);
	report(r[0] == 0 && r[1] == 2, "serving %lu windows", r[1]);
	irq_enable();
	for (;;)
		wfi();
}

/* ---- The frontend ---- */

static volatile u32 window_irqs;

static bool front_exception(struct guest_regs *regs, u64 kind)
{
	if (kind == EXC_IRQ) {
		u32 iar = gic_ack();

		if (GIC_IAR_INTID(iar) == FWD_WIN0_IRQ) {
			window_irqs++;
			/* Lowered by a forwarded write from the handler. */
			*(volatile u32 *)(FWD_WIN0 + REG_IRQ) = 0;
		}
		if (GIC_IAR_INTID(iar) < 1020)
			gic_eoi(iar);
		return true;
	}
	if (kind != EXC_SYNC)
		return false;
	caught.esr = regs->esr;
	caught.far = regs->far;
	caught.elr = regs->pc;
	caught.count++;
	regs->pc += 4;
	return true;
}

static u64 rd64(u64 a)
{
	u64 v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static u32 rd32(u64 a)
{
	u32 v = 0xdead;

	__asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"(a) : "memory");
	return v;
}

static void wr64(u64 a, u64 v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
}

/* Two vCPUs of the frontend at once, each on its own window's storage:
 * both requests wait in the device partition's queue together. */
#define CONCURRENT 100
static volatile u32 second_errors, second_done;

static void second_vcpu(u64 arg)
{
	u32 errors = 0;

	for (u32 i = 0; i < CONCURRENT; i++) {
		wr64(FWD_WIN1 + REG_FILE + 0x80, 0xb000000 + i);
		errors += rd64(FWD_WIN1 + REG_FILE + 0x80) != 0xb000000 + i;
	}
	second_errors = errors;
	dmb(sy);
	second_done = 1;
	for (;;)
		wfi();
}

static void concurrent(void)
{
	struct smccc_res info;
	u32 errors = 0;

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	if (info.a1 < 2)
		return;
	cpu_on(1, second_vcpu, 0);
	for (u32 i = 0; i < CONCURRENT; i++) {
		wr64(FWD_WIN0 + REG_FILE + 0x80, 0xa000000 + i);
		errors += rd64(FWD_WIN0 + REG_FILE + 0x80) != 0xa000000 + i;
	}
	spin_until(READ_ONCE(second_done), WAIT_MS);
	report(second_done && !errors && !second_errors,
	       "two vCPUs, %u stores and loads each through two windows at once "
	       "(%u and %u wrong)", CONCURRENT, errors, second_errors);
}

/* Reads the magic until the device answers (it is starting). */
static bool await_device(u32 *failed)
{
	u64 end = counter_now() + counter_ms(WAIT_MS);

	*failed = 0;
	for (;;) {
		catch_reset();
		if (rd32(FWD_WIN0 + REG_MAGIC) == FWD_MAGIC && !caught.count)
			return true;
		(*failed)++;
		if (counter_now() > end)
			return false;
		delay_ms(5);
	}
}

static void frontend_again(void);

static void frontend(void)
{
	struct smccc_res info;
	u64 w = FWD_WIN0, f = FWD_WIN0 + REG_FILE, t0, ms;
	u64 a, b, base;
	s64 sb;
	u32 failed;

	set_exception_handler(front_exception);
	gic_init();
	gic_cpu_init();
	gic_enable_irq(FWD_WIN0_IRQ, 0x80);
	irq_enable();

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	printf("# boot %lu\n", info.a2 + 1);
	if (info.a2) {
		frontend_again();
		return;
	}
	report(hvc(HC_FWD_READY, 0, 0, 0) == SMCCC_INVALID_PARAMETER,
	       "a VM that serves no window cannot say HC_FWD_READY");
	report(await_device(&failed), "the device answers once it is ready "
	       "(%u accesses before failed fast)", failed);

	/* Loads and stores of every size (ISV = 1: the syndrome). */
	catch_reset();
	wr64(w + REG_SCRATCH, 0x1122334455667788UL);
	report(rd64(w + REG_SCRATCH) == 0x1122334455667788UL,
	       "64-bit store and load through the device");
	*(volatile u8 *)(f + 1) = 0x80;
	*(volatile u16 *)(f + 2) = 0x8001;
	*(volatile u32 *)(f + 4) = 0xcafef00d;
	__asm__ volatile("ldrsb %0, [%1]" : "=r"(sb) : "r"(f + 1) : "memory");
	report(sb == -128, "LDRSB sign-extends the device's byte (%ld)", sb);
	__asm__ volatile("ldrsh %0, [%1]" : "=r"(sb) : "r"(f + 2) : "memory");
	report(sb == (s16)0x8001, "LDRSH sign-extends the device's halfword (%ld)", sb);
	report(rd32(f + 4) == 0xcafef00d && rd64(f) == 0xcafef00d80018000UL,
	       "bytes, halfwords and words land where they were stored");

	/* Pairs (ISV = 0: the instruction is decoded), with writeback. */
	a = 0x0123456789abcdefUL, b = 0xfedcba9876543210UL, base = f + 0x10;
	__asm__ volatile("stp %1, %2, [%0], #16" : "+r"(base) : "r"(a), "r"(b) : "memory");
	report(base == f + 0x20, "STP with post-index writes back the base");
	a = b = 0;
	base = f + 0x10;
	__asm__ volatile("ldp %1, %2, [%0, #0]!" : "+r"(base), "=r"(a), "=r"(b) : : "memory");
	report(a == 0x0123456789abcdefUL && b == 0xfedcba9876543210UL,
	       "LDP reads both registers back: 0x%lx 0x%lx", a, b);
	expect_no_abort("none of these accesses aborted");

	concurrent();

	/* The window's interrupt, raised by the device, lowered by us. */
	wr64(w + REG_IRQ, 1);
	spin_until(READ_ONCE(window_irqs) >= 1, WAIT_MS);
	delay_ms(5);
	report(window_irqs == 1, "the device raised the window's interrupt: taken %u time(s)",
	       window_irqs);

	/* Frontend memory the device may read. */
	for (u32 i = 0; i < 256; i++)
		((volatile u8 *)FWD_POOL_IPA)[0x100 + i] = i;
	wr64(w + REG_SUM_ADDR, FWD_POOL_IPA + 0x100);
	report(rd64(w + REG_SUM) == 255 * 256 / 2,
	       "the device read 256 bytes of our I/O pool (sum %lu)", rd64(w + REG_SUM));

	/* A failed access. */
	catch_reset();
	(void)rd32(w + REG_FAIL);
	expect_one_abort(EC_DABT_CUR, w + REG_FAIL, false,
			 "an access the device fails is a synchronous external abort");

	/* A stall past the timeout: an abort after the timeout, then fast
	 * failures (all ones in the FWD_FAIL_ONES window) until it is back. */
	catch_reset();
	t0 = counter_now();
	wr64(w + REG_STALL, STALL_MS);
	ms = (counter_now() - t0) / counter_ms(1);
	report(caught.count == 1 && ms < STALL_MS - 200,
	       "a stalled device's write ends in an abort after %lu ms, not its %u", ms,
	       STALL_MS);
	catch_reset();
	(void)rd32(w + REG_MAGIC);
	report(caught.count == 1 && rd32(FWD_WIN1 + REG_FILE) == 0xffffffff &&
	       caught.count == 1, "while it stays stalled: an abort at once, and all "
	       "ones from the all-ones window");
	report(await_device(&failed), "the device answers again after its stall");

	/* A restart with our write in its hands. */
	catch_reset();
	wr64(w + REG_RESTART, 1);
	report(caught.count == 1, "a write the device partition restarts on ends in an abort");
	report(await_device(&failed), "it answers again after its restart (%u accesses "
	       "failed fast meanwhile)", failed);
	report(rd64(w + REG_SCRATCH) == 0, "the restarted device started clean");

	/* Our own restart with state in the device: it is told before our
	 * next run's first access reaches it (boot 2, below). */
	wr64(w + REG_SCRATCH, 0xfeed);
	wr64(f, 0xfeed);
	/* The device is busy as we restart: it could still be writing into
	 * our memory, so our reload waits until it takes our reset record. */
	wr64(w + REG_BUSY, BUSY_MS);
	printf("# restarting the frontend with state in the device, which is busy\n");
	hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
}

/* Boot 2: the device dropped what it held of boot 1. */
static void frontend_again(void)
{
	u64 started = counter_now(), told;
	u32 failed;

	report(await_device(&failed), "the device answers after our restart");
	told = rd64(FWD_WIN0 + REG_RESET_AT);
	if (bootarg("dev_restarts", 0))
		/* It restarted during our reload, which then went on: it
		 * heard of our restart in its next boot. */
		printf("# the device restarted with our reset record taken\n");
	else
		report(told && told < started, "our reload waited for the busy "
		       "device to take our reset record (%lu ms before our first "
		       "instruction)", told && told < started ?
		       (started - told) / counter_ms(1) : 0);
	report(rd64(FWD_WIN0 + REG_SCRATCH) == 0 && rd64(FWD_WIN0 + REG_FILE) == 0,
	       "the device dropped our previous run's state before our first "
	       "access of this one");
	wr64(FWD_WIN0 + REG_DONE, 1);
	report_done();
}

void guest_main(void);
void guest_main(void)
{
	catch_aborts(); /* sets up caught; our handler replaces it */
	if (bootarg("dev", 0))
		device();
	else if (bootarg("mgr", 0))
		fwd_manager();
	else if (bootarg("managed", 0))
		fwd_managed_frontend();
	else
		frontend();
}
