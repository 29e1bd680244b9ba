/*
 * The interrupt benchmarks of make bench: instructions per virtual IPI,
 * virtual timer interrupt, GIC acknowledge and EOI, and vCPU switch,
 * counted by the PMU cycle counter under QEMU -icount shift=0,sleep=off,
 * where it advances once per instruction of all CPUs together (at EL1 and,
 * with PMCCFILTR_EL0.NSH, at EL2). docs/benchmarks.md says what each
 * figure measures.
 *
 * Two vCPUs: vCPU 0 leads, measures and prints; vCPU 1 answers. In
 * configs/bench-irq.c each has a physical CPU of its own; in
 * configs/bench-switch.c (bootargs "shared=1") both share one, so that a
 * trapped WFI hands the CPU to the other vCPU.
 *
 * Each CPU's cycle counter is the machine's instruction count less an
 * offset of its own (from when the counter was started there). Figures
 * that compare two CPUs' counters are therefore averaged over as many
 * rounds one way as the other, which cancels the offsets exactly.
 *
 * Figures are printed as
 *
 *	bench: <key> = <instructions> (<what>)
 *
 * to a thousandth, which tests/bench.py tabulates.
 */
#include "gic.h"
#include "guest.h"
#include "guest_platform.h"
#include "mmio.h"

#define SGI_BENCH 1	 /* the one SGI of the protocol, both ways */
#define ROUNDS 32	 /* measured ping-pong rounds, after a first one */
#define TIMER_ROUNDS 8
/* Ticks from the phase read to the expiry: within the straight-line code
 * of irq.S, and enough for a trapped WFI to reach the hypervisor's idle. */
#define TIMER_AHEAD_RUN 16
#define TIMER_AHEAD 128
#define INSNS_PER_TICK 16 /* CNTFRQ 62.5 MHz on a 1 GHz instruction clock */
#define STRAIGHT_ADDS 2048 /* irq.S */

#define GICD_SGIR (VIRT_GICD_BASE + 0xf00)
#define GICC_IAR (VIRT_GICC_BASE + 0x0c)
#define GICC_EOIR (VIRT_GICC_BASE + 0x10)


/* What the ping-pong loops of irq.S take. */
struct pingpong {
	u64 rounds;
	u64 initiator;
	u64 sgir;      /* ICC_SGI1R_EL1, or GICD_SGIR, value */
	u64 gicd_sgir; /* GICD_SGIR's address (GICv2) */
	u64 flag;      /* address of the sender's flag */
	u64 sends;     /* address of the sender's send stamps */
};
_Static_assert(offsetof(struct pingpong, rounds) == 0, "irq.S PP_ROUNDS");
_Static_assert(offsetof(struct pingpong, sgir) == 16, "irq.S PP_SGIR");
_Static_assert(offsetof(struct pingpong, sends) == 40, "irq.S PP_SENDS");

void pingpong_v3_wfi(struct pingpong *pp);
void pingpong_v3_spin(struct pingpong *pp);
void pingpong_v2_wfi(struct pingpong *pp);
void pingpong_v2_spin(struct pingpong *pp);
void wait_irq_wfi(u32 *flag);
void straight_line(u64 *start);
void counter_phase(u64 out[18]);
u64 poll_counter(u64 cval);
u32 ack_v3(u64 *cost);
u32 ack_v2(u64 *cost, u64 gicc_iar);
void eoi_v3(u32 iar, u64 *cost);
void eoi_v2(u32 iar, u64 *cost, u64 gicc_eoir);
u64 counter_pair(void);
u64 timed_hvc(u64 fid);
extern char bench_vectors[], straight_adds[];

/* Sums of a figure over rounds, with its spread. */
struct stat {
	s64 sum, min, max;
	u64 n;
};

/* (The runtime has no memset for the compiler to call.) */
static void stat_clear(struct stat *s)
{
	s->sum = 0;
	s->min = 0;
	s->max = 0;
	s->n = 0;
}

static void stat_add(struct stat *s, s64 v)
{
	if (!s->n || v < s->min)
		s->min = v;
	if (!s->n || v > s->max)
		s->max = v;
	s->sum += v;
	s->n++;
}

#define MAX_STAMPS (ROUNDS + 8)

/* One vCPU's side: what its IRQ handler records, and its send stamps. */
struct side {
	u32 flag; /* set by each interrupt taken */
	u32 nstamps;
	u64 stamp[MAX_STAMPS]; /* PMCCNTR_EL0 at the vector */
	u64 elr[MAX_STAMPS]; /* where each interrupt was taken */
	u64 sends[MAX_STAMPS][2]; /* before and after each SGI write */
	struct stat ack, eoi_sgi, eoi_timer; /* costs, less pair */
};

static struct side sides[2];
static bool shared; /* both vCPUs on one physical CPU */
static u64 pair; /* two counter reads with nothing between */

enum command { CMD_NONE, CMD_PINGPONG_WFI, CMD_PINGPONG_SPIN };
static u32 command; /* vCPU 0 to vCPU 1 */

static u32 self(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static void figure(const char *key, const struct stat *s, const char *what)
{
	s64 milli = s->n ? s->sum * 1000 / (s64)s->n : 0;
	u64 abs = milli < 0 ? -(u64)milli : (u64)milli;

	printf("bench: %s = %s%lu.%03lu (%s)\n", key, milli < 0 ? "-" : "",
	       abs / 1000, abs % 1000, what);
}

/* The spread of a figure over its rounds, which icount makes 0 when every
 * round runs the same path. */
static void spread(const char *what, const struct stat *s)
{
	printf("bench: %s: %lu rounds, spread %ld\n", what, s->n,
	       s->max - s->min);
}

void bench_irq(u64 stamp);
void bench_irq(u64 stamp)
{
	struct side *me = &sides[self()];
	u64 ack, eoi;
	u32 iar = gic_v3 ? ack_v3(&ack) : ack_v2(&ack, GICC_IAR);
	u32 intid = GIC_IAR_INTID(iar);

	if (intid >= 1020)
		return; /* spurious: nothing to end */
	if (intid == VTIMER_INTID)
		write_sysreg(0, cntv_ctl_el0); /* its line drops before the EOI */
	if (gic_v3)
		eoi_v3(iar, &eoi);
	else
		eoi_v2(iar, &eoi, GICC_EOIR);
	stat_add(&me->ack, (s64)(ack - pair));
	stat_add(intid == VTIMER_INTID ? &me->eoi_timer : &me->eoi_sgi,
		 (s64)(eoi - pair));
	if (me->nstamps < MAX_STAMPS) {
		me->stamp[me->nstamps] = stamp;
		me->elr[me->nstamps] = read_sysreg(elr_el1);
		me->nstamps++;
	}
	WRITE_ONCE(me->flag, 1);
}

/*
 * Waits for this vCPU's next interrupt without the race of checking the
 * flag with IRQs unmasked: WFI with IRQs masked still wakes on a pending
 * one, which is then taken between the unmask and the mask.
 */
static void wait_flag(void)
{
	struct side *me = &sides[self()];

	while (!READ_ONCE(me->flag)) {
		wfi();
		irq_enable();
		isb();
		irq_disable();
	}
	WRITE_ONCE(me->flag, 0);
}

static void send_to(u32 cpu)
{
	gic_send_sgi(BIT(cpu), SGI_BENCH);
}

static void cpu_setup(void)
{
	write_sysreg((u64)(uintptr_t)bench_vectors, vbar_el1);
	isb();
	pmu_cycles_start();
	gic_cpu_init();
	gic_enable_irq(SGI_BENCH, 0x80);
	gic_enable_irq(VTIMER_INTID, 0x80);
}

/* This vCPU's half of a ping-pong of ROUNDS + 1 rounds with the other. */
static void pingpong(bool initiator, bool spin)
{
	u32 me = self(), other = 1 - me;
	struct pingpong pp = {
		.rounds = ROUNDS + 1,
		.initiator = initiator,
		.gicd_sgir = GICD_SGIR,
		.flag = (u64)(uintptr_t)&sides[me].flag,
		.sends = (u64)(uintptr_t)sides[me].sends,
	};

	if (gic_v3) {
		pp.sgir = (u64)SGI_BENCH << 24 | BIT(other);
		(spin ? pingpong_v3_spin : pingpong_v3_wfi)(&pp);
	} else {
		pp.sgir = BIT(other) << 16 | SGI_BENCH;
		(spin ? pingpong_v2_spin : pingpong_v2_wfi)(&pp);
	}
}

/* vCPU 1: answers vCPU 0's commands, each announced by an SGI. */
static void answerer(u64 unused)
{
	struct side *me = &sides[1];

	cpu_setup();
	send_to(0); /* ready */
	for (;;) {
		u32 cmd;

		wait_flag();
		cmd = READ_ONCE(command);
		WRITE_ONCE(command, CMD_NONE);
		if (cmd != CMD_PINGPONG_WFI && cmd != CMD_PINGPONG_SPIN)
			continue;
		me->nstamps = 0;
		send_to(0); /* ready: its stamps start afresh */
		pingpong(false, cmd == CMD_PINGPONG_SPIN);
		wait_flag(); /* vCPU 0's end, which may have come already */
		send_to(0); /* done */
	}
}

struct pp_figures {
	struct stat ipi, send, receive;
	struct stat way[2]; /* each direction, for its spread */
};

/*
 * One ping-pong with vCPU 1. Per direction and round, from the sender's
 * stamps s1 (before its SGI write) and s2 (after, as it goes on) and the
 * receiver's vector stamp v:
 *	send = s2 - s1 - 1: the write and all it costs the sender;
 *	receive = v - s2 - 1: the sender's wfi or yield, then every
 *	    instruction up to the receiver's handler;
 *	ipi = v - s1 - 2 = send + receive.
 * The first round is left out.
 */
static void run_pingpong(bool spin, struct pp_figures *f)
{
	stat_clear(&f->ipi);
	stat_clear(&f->send);
	stat_clear(&f->receive);
	stat_clear(&f->way[0]);
	stat_clear(&f->way[1]);
	WRITE_ONCE(command, spin ? CMD_PINGPONG_SPIN : CMD_PINGPONG_WFI);
	dmb(sy);
	send_to(1);
	wait_flag(); /* vCPU 1 is ready */
	sides[0].nstamps = 0;
	pingpong(true, spin);
	send_to(1);  /* the end */
	wait_flag(); /* vCPU 1 is done */

	report(sides[0].nstamps >= ROUNDS + 1 && sides[1].nstamps >= ROUNDS + 1,
	       "ping-pong (%s): %u and %u interrupts taken for %u rounds",
	       spin ? "spinning" : "WFI", sides[0].nstamps, sides[1].nstamps,
	       ROUNDS + 1);
	for (u32 from = 0; from < 2; from++) {
		const struct side *s = &sides[from], *t = &sides[1 - from];

		for (u32 i = 1; i <= ROUNDS; i++) {
			s64 s1 = (s64)s->sends[i][0], s2 = (s64)s->sends[i][1];
			s64 v = (s64)t->stamp[i];

			stat_add(&f->send, s2 - s1 - 1);
			stat_add(&f->receive, v - s2 - 1);
			stat_add(&f->ipi, v - s1 - 2);
			stat_add(&f->way[from], v - s1 - 2);
		}
	}
}

static s64 max_spread(const struct pp_figures *f)
{
	return MAX(f->way[0].max - f->way[0].min, f->way[1].max - f->way[1].min);
}

/* Corrects expiry_for() for how the counters count the reading
 * instruction itself: found by timer_running() (0 under QEMU 7.2). */
static s64 delta;

/*
 * A compare value ticks_ahead ticks from now, and the counter value of the
 * last instruction executed before the timer expires there (QEMU stops
 * executing exactly at the deadline). counter_phase() finds the
 * instruction at which CNTVCT_EL0 took a new value; a tick is 16
 * instructions from there.
 */
static bool expiry_for(u64 ticks_ahead, u64 *cval, u64 *expiry)
{
	u64 ph[18];
	u32 j;

	counter_phase(ph);
	for (j = 2; j <= 17 && ph[j] == ph[j - 1]; j++)
		;
	if (j > 17)
		return false; /* no tick in 17 instructions: not icount */
	*cval = ph[j] + ticks_ahead;
	*expiry = ph[0] + j + INSNS_PER_TICK * (*cval - ph[j]) + delta;
	return true;
}

static void timer_at(u64 cval)
{
	write_sysreg(cval, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0); /* enabled, not masked */
	isb();
}

/*
 * The timer expires while vCPU 0 runs straight-line code: the handler's
 * ELR says how many adds ran before it, so the count at the expiry is
 * known without the phase. Figure: instructions from the expiry to the
 * handler's first instruction. Also sets delta, so that the phase
 * predicts the same expiry.
 */
static bool timer_running(struct stat *st)
{
	struct side *me = &sides[0];
	bool agree = true;

	for (u32 r = 0; r < TIMER_ROUNDS; r++) {
		u64 cval, predicted, start;
		s64 adds;

		hvc(HC_NOP, 0, 0, 0); /* no list register in use */
		if (!expiry_for(TIMER_AHEAD_RUN, &cval, &predicted))
			return false;
		me->nstamps = 0;
		timer_at(cval);
		straight_line(&start);
		adds = (s64)(me->elr[0] - (u64)(uintptr_t)straight_adds) / 4;
		if (me->nstamps != 1 || adds <= 0 || adds >= STRAIGHT_ADDS)
			return false;
		WRITE_ONCE(me->flag, 0);
		/* The last add ran at the expiry: start + adds. */
		stat_add(st, (s64)(me->stamp[0] - (start + adds)) - 1);
		if (r == 0)
			delta = (s64)(start + adds) - (s64)predicted;
		else if (start + adds != predicted)
			agree = false;
	}
	report(agree, "the counter phase predicts the timer's expiry (correction %ld)",
	       delta);
	return true;
}

/*
 * The timer expires while vCPU 0 waits in WFI with IRQs unmasked. Figure:
 * instructions from the expiry to the handler. Then two null hypercalls:
 * the first exit after an interrupt also reads back its list register,
 * which the second does not; sync gets the difference.
 */
static bool timer_waiting(struct stat *st, struct stat *sync)
{
	struct side *me = &sides[0];

	for (u32 r = 0; r < TIMER_ROUNDS; r++) {
		u64 cval, expiry, first, second;

		hvc(HC_NOP, 0, 0, 0); /* no list register in use */
		if (!expiry_for(TIMER_AHEAD, &cval, &expiry))
			return false;
		me->nstamps = 0;
		timer_at(cval);
		wait_irq_wfi(&me->flag);
		first = timed_hvc(HC_NOP);
		second = timed_hvc(HC_NOP);
		if (me->nstamps != 1)
			return false;
		stat_add(st, (s64)(me->stamp[0] - expiry) - 1);
		stat_add(sync, (s64)(first - second));
	}
	return true;
}

/* Checks the phase against a plain poll of the counter: the poll's read
 * that first sees cval comes 3 to 5 instructions before its count. */
static void check_poll(void)
{
	u64 cval, expiry, got;

	if (!expiry_for(TIMER_AHEAD, &cval, &expiry))
		return;
	got = poll_counter(cval);
	report(got - expiry >= 3 && got - expiry <= 5,
	       "polling CNTVCT_EL0 sees the predicted tick (%ld instructions on)",
	       (s64)(got - expiry));
}

static void bench_timer(void)
{
	struct stat run = { 0 }, wfi = { 0 }, sync = { 0 };
	bool ok = timer_running(&run);

	check_poll();
	ok = ok && timer_waiting(&wfi, &sync);
	report(ok, "virtual timer interrupts at the programmed counter values");
	if (!ok)
		return;
	if (shared) {
		figure("timer_run_shared", &run,
		       "virtual timer, expiry to handler, vCPU running, shared CPU");
		figure("timer_wfi_shared", &wfi,
		       "virtual timer, expiry to handler, vCPU in trapped WFI");
		spread("timer_wfi_shared", &wfi);
		return;
	}
	figure("timer_run", &run, "virtual timer, expiry to handler, vCPU running");
	figure("timer_wfi", &wfi, "virtual timer, expiry to handler, vCPU in WFI");
	figure("irq_sync", &sync,
	       "the next exit after an interrupt, extra: its list register read back");
	spread("timer_run", &run);
	spread("timer_wfi", &wfi);
	spread("irq_sync", &sync);
}

static void bench_ipi(void)
{
	struct pp_figures wfi, spin;

	run_pingpong(false, &wfi);
	if (shared) {
		figure("switch", &wfi.receive,
		       "vCPU switch, WFI to the other vCPU's handler");
		figure("ipi_shared", &wfi.ipi,
		       "virtual IPI, write to handler, target on the same CPU");
		figure("ipi_send_shared", &wfi.send,
		       "SGI write at the sender, target on the same CPU");
		spread("switch", &wfi.receive);
		return;
	}
	run_pingpong(true, &spin);
	figure("ipi_wfi", &wfi.ipi, "virtual IPI, write to handler, target in WFI");
	figure("ipi_spin", &spin.ipi,
	       "virtual IPI, write to handler, target spinning");
	figure("ipi_send", &wfi.send, "SGI write at the sender");
	figure("ipi_receive", &wfi.receive,
	       "virtual IPI, sender's WFI to the target's handler");
	printf("bench: ipi_wfi: %lu rounds each way, spread %ld\n",
	       wfi.way[0].n, max_spread(&wfi));
	printf("bench: ipi_spin: %lu rounds each way, spread %ld\n",
	       spin.way[0].n, max_spread(&spin));
}

static void bench_gic_access(void)
{
	const struct side *s = &sides[0];

	figure("ack", &s->ack, "IAR read, acknowledge");
	figure("eoi_sgi", &s->eoi_sgi, "EOI write, SGI");
	figure("eoi_timer", &s->eoi_timer, "EOI write, virtual timer (HW)");
	report(s->ack.max == s->ack.min && s->eoi_sgi.max == s->eoi_sgi.min &&
	       s->eoi_timer.max == s->eoi_timer.min,
	       "every acknowledge and EOI cost the same (%ld, %ld, %ld)",
	       s->ack.min, s->eoi_sgi.min, s->eoi_timer.min);
}

void guest_main(void);
void guest_main(void)
{
	s64 ret;

	shared = bootarg("shared", 0);
	gic_init();
	cpu_setup();
	pair = counter_pair();
	printf("bench: two vCPUs on %s, GICv%u\n",
	       shared ? "one physical CPU" : "a physical CPU each",
	       gic_v3 ? 3 : 2);
	ret = cpu_on(1, answerer, 0);
	report(ret == PSCI_RET_SUCCESS, "CPU_ON starts vCPU 1 (%ld)", ret);
	if (ret != PSCI_RET_SUCCESS)
		report_done();
	wait_flag(); /* vCPU 1 is ready */

	bench_ipi();
	bench_timer();
	if (!shared)
		bench_gic_access();
	report_done();
}
