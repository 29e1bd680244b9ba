/*
 * The scheduler of a CPU shared by several vCPUs, seen from inside.
 *
 * With two vCPUs (both on one CPU, tests/configs/run/sched.c): two
 * busy-looping vCPUs both advance, turn about, a slice at a time; WFI gives
 * the CPU to the other vCPU at once; a vCPU asleep in WFI wakes for its
 * virtual or physical timer while the other spins and while it sleeps too,
 * and for an SGI from the other.
 *
 * With one vCPU it is one of two such VMs on one CPU (sched-vms.c): each
 * advances while the other does, as the shared page shows, and its timer
 * wakes it from WFI.
 *
 * The slice is the configuration's: SLICE_MS must match it.
 */
#include "gic.h"
#include "guest.h"
#include "mailbox.h"

#define SLICE_MS 20
#define WAIT_MS 3000
#define RUN_MS 300 /* both busy: about 7 slices each */
#define GAP_TICKS counter_ms(2) /* longer between two loop turns: switched out */

static u32 nr_cpus;
static u64 tick; /* counter ticks per ms */

/* ---- Interrupts ---- */

static u32 taken[2][32];  /* per vCPU, per INTID */
static u64 fired_at[2];   /* counter when a timer interrupt was taken */

static u32 this_cpu(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static bool on_irq(struct guest_regs *regs, u64 kind)
{
	u32 me = this_cpu(), iar, id;

	if (kind != EXC_IRQ)
		return false;
	iar = gic_ack();
	id = GIC_IAR_INTID(iar);
	if (id >= 32) /* spurious (or nothing this payload enables) */
		return true;
	if (id == VTIMER_INTID || id == PTIMER_INTID) {
		fired_at[me] = counter_now();
		if (id == VTIMER_INTID)
			vtimer_stop();
		else
			ptimer_stop();
	}
	gic_eoi(iar);
	dmb(sy);
	WRITE_ONCE(taken[me][id], taken[me][id] + 1);
	return true;
}

#define wfi_until(cond)                    \
	do {                               \
		irq_disable();             \
		while (!(cond)) {          \
			wfi();             \
			irq_enable();      \
			isb();             \
			irq_disable();     \
		}                          \
		irq_enable();              \
	} while (0)

static void cpu_setup(void)
{
	gic_cpu_init();
	for (u32 i = 0; i < 16; i++)
		gic_enable_irq(i, 0x80);
	gic_enable_irq(VTIMER_INTID, 0x80);
	gic_enable_irq(PTIMER_INTID, 0x80);
}

/* Sleeps in WFI until the timer intid fires, ms after now; returns how
 * long it took, in ms. */
static u64 sleep_on_timer(u32 intid, u64 ms)
{
	u32 me = this_cpu(), before = READ_ONCE(taken[me][intid]);
	u64 t0 = counter_now();

	if (intid == VTIMER_INTID)
		vtimer_arm(ms * tick);
	else
		ptimer_arm(ms * tick);
	wfi_until(READ_ONCE(taken[me][intid]) != before);
	return (fired_at[me] - t0) / tick;
}

/* Spins until the counter reaches end, counting turns in *turns. A pause
 * longer than GAP_TICKS between two turns is time switched out. */
struct run {
	u64 turns;
	u64 ran;     /* ticks spent running */
	u64 max_gap; /* the longest time switched out, in ticks */
	u32 gaps;    /* times switched out */
};

static struct run busy_until(u64 end, volatile u64 *turns)
{
	struct run r = { 0 };
	u64 prev = counter_now(), now;

	while ((now = counter_now()) < end) {
		if (now - prev > r.max_gap)
			r.max_gap = now - prev;
		if (now - prev > GAP_TICKS)
			r.gaps++;
		else
			r.ran += now - prev;
		prev = now;
		*turns = ++r.turns;
	}
	return r;
}

/* Spins until the next time this vCPU is switched back in: the start of a
 * fresh slice. */
static bool await_fresh_slice(void)
{
	u64 end = counter_now() + counter_ms(WAIT_MS), prev = counter_now(), now;

	while ((now = counter_now()) < end) {
		if (now - prev > GAP_TICKS)
			return true;
		prev = now;
	}
	return false;
}

/* ---- Two vCPUs of one VM on one CPU ---- */

/* vCPU 0 -> vCPU 1 */
static u32 phase;
static u64 run_end;
/* vCPU 1 -> vCPU 0 */
static u64 turns1;
static u64 wfi_at, seen_at, woke_at, sent_at, asleep;
static u64 slept1;
static struct run run1;
static u32 run1_done;

enum { P_RUN = 1, P_YIELD, P_SPIN, P_SLEEP, P_WAKE, P_END };

static void secondary_main(u64 cpu)
{
	cpu_setup();
	for (u32 p = P_RUN; p <= P_WAKE; p++) {
		/* Busy until vCPU 0 gets there: the slice lets it. */
		spin_until(READ_ONCE(phase) == p, WAIT_MS);
		switch (p) {
		case P_RUN:
			run1 = busy_until(READ_ONCE(run_end), &turns1);
			dmb(sy);
			WRITE_ONCE(run1_done, 1);
			break;
		case P_YIELD:
			/* vCPU 0 sleeps in WFI: see how soon we run. */
			spin_until(READ_ONCE(wfi_at), WAIT_MS);
			WRITE_ONCE(seen_at, counter_now());
			gic_send_sgi(BIT(0), 1);
			WRITE_ONCE(sent_at, counter_now());
			wfi_until(READ_ONCE(phase) != P_YIELD);
			break;
		case P_SPIN:
			busy_until(READ_ONCE(run_end), &turns1);
			break;
		case P_SLEEP:
			WRITE_ONCE(slept1, sleep_on_timer(VTIMER_INTID, 25));
			break;
		case P_WAKE:
			/* Asleep until vCPU 0's SGI 2. */
			WRITE_ONCE(asleep, 1);
			wfi_until(READ_ONCE(taken[1][2]));
			WRITE_ONCE(woke_at, counter_now());
			break;
		}
	}
	for (;;)
		wfi();
}

static void next_phase(u32 p)
{
	dmb(sy);
	WRITE_ONCE(phase, p);
	gic_send_sgi(BIT(1), 0); /* in case it sleeps */
}

static void two_vcpus(void)
{
	struct run r;
	u64 t, ms;

	report(cpu_on(1, secondary_main, 1) == PSCI_RET_SUCCESS, "vCPU 1 started");

	/* Both busy: neither may keep the CPU. */
	WRITE_ONCE(run_end, counter_now() + counter_ms(RUN_MS));
	next_phase(P_RUN);
	r = busy_until(run_end, &t);
	spin_until(READ_ONCE(run1_done), WAIT_MS);
	report(r.gaps >= 3 && run1.gaps >= 3 && turns1 > 0,
	       "two busy vCPUs on one CPU for %u ms: switched out %u and %u times",
	       RUN_MS, r.gaps, run1.gaps);
	/* Fair shares, and no wait near the whole run: they took turns
	 * (loose bounds: the host may stall QEMU's CPU threads too). */
	report(r.max_gap < counter_ms(8 * SLICE_MS) && run1.max_gap < counter_ms(8 * SLICE_MS) &&
	       r.ran < 3 * run1.ran && run1.ran < 3 * r.ran,
	       "round robin: ran %lu and %lu ms of %u, longest wait %lu and %lu ms "
	       "(slice %u ms)", r.ran / tick, run1.ran / tick, RUN_MS,
	       r.max_gap / tick, run1.max_gap / tick, SLICE_MS);

	/* WFI early in a slice: vCPU 1 must run at once, not at its end. */
	next_phase(P_YIELD);
	report(await_fresh_slice(), "vCPU 0 was switched out and back in");
	t = counter_now();
	WRITE_ONCE(wfi_at, t);
	wfi_until(READ_ONCE(taken[0][1]));
	t = counter_now();
	ms = (READ_ONCE(seen_at) - wfi_at) / tick;
	report(ms < SLICE_MS / 2, "WFI yields the CPU at once: vCPU 1 ran %lu ms after it "
	       "(slice %u ms)", ms, SLICE_MS);
	ms = (t - READ_ONCE(sent_at)) / tick;
	report(taken[0][1] == 1 && ms < SLICE_MS / 2,
	       "vCPU 1's SGI woke vCPU 0 from WFI when vCPU 1 slept: %lu ms later", ms);

	/* Asleep while the other spins: the scheduler keeps the timer. */
	WRITE_ONCE(run_end, counter_now() + counter_ms(200));
	next_phase(P_SPIN);
	t = READ_ONCE(turns1);
	ms = sleep_on_timer(VTIMER_INTID, 30);
	report(ms >= 30 && ms < 30 + 2 * SLICE_MS && READ_ONCE(turns1) != t,
	       "virtual timer woke vCPU 0 from WFI while vCPU 1 spun: %lu ms (armed "
	       "for 30)", ms);
	ms = sleep_on_timer(PTIMER_INTID, 30);
	report(ms >= 30 && ms < 30 + 2 * SLICE_MS,
	       "physical timer woke vCPU 0 from WFI while vCPU 1 spun: %lu ms (armed "
	       "for 30)", ms);
	spin_until(counter_now() > run_end + counter_ms(SLICE_MS), WAIT_MS);

	/* Both asleep: each timer wakes its own vCPU. */
	next_phase(P_SLEEP);
	ms = sleep_on_timer(VTIMER_INTID, 15);
	sleep_on_timer(VTIMER_INTID, 30); /* leaves vCPU 1 the CPU idle */
	report(ms >= 15 && ms < 15 + SLICE_MS / 2, "both vCPUs asleep: vCPU 0's timer "
	       "woke it after %lu ms (armed for 15)", ms);
	report(slept1 >= 25 && slept1 < 25 + SLICE_MS / 2, "both vCPUs asleep: "
	       "vCPU 1's timer woke it after %lu ms (armed for 25)", slept1);

	/* An SGI wakes the sleeper, at the latest when the sender's slice
	 * ends. */
	next_phase(P_WAKE);
	sleep_on_timer(VTIMER_INTID, 5); /* vCPU 1 runs, then sleeps */
	report(READ_ONCE(asleep), "vCPU 1 went to sleep while vCPU 0 did");
	t = counter_now();
	gic_send_sgi(BIT(1), 2);
	spin_until(READ_ONCE(woke_at), WAIT_MS);
	ms = (READ_ONCE(woke_at) - t) / tick;
	report(woke_at && ms < SLICE_MS + SLICE_MS / 2,
	       "vCPU 0's SGI woke vCPU 1 from WFI while vCPU 0 spun: %lu ms later "
	       "(slice %u ms)", ms, SLICE_MS);
	next_phase(P_END);
}

/* ---- Two VMs on one CPU ---- */

struct sched_page {
	u32 ready[2];
	u64 turns[2];
};

static void two_vms(u32 me)
{
	struct sched_page *sp = (struct sched_page *)MAILBOX_IPA;
	u32 other = !me, seen = 0;
	u64 end, last = 0, ms;
	struct run r = { 0 };

	WRITE_ONCE(sp->ready[me], 1);
	dmb(sy);
	report(spin_until(READ_ONCE(sp->ready[other]), WAIT_MS),
	       "VM %u: the other VM runs on this CPU too", me);
	/* A fixed span from now: the other VM's span overlaps most of it. */
	end = counter_now() + counter_ms(RUN_MS);
	for (u64 prev = counter_now(), now; (now = counter_now()) < end; prev = now) {
		u64 o = READ_ONCE(sp->turns[other]);

		if (now - prev > GAP_TICKS)
			r.gaps++;
		if (o != last) {
			last = o;
			seen++;
		}
		WRITE_ONCE(sp->turns[me], ++r.turns);
	}
	report(r.gaps >= 3 && seen >= 3,
	       "VM %u busy for %u ms: switched out %u times, saw the other VM "
	       "advance %u times", me, RUN_MS, r.gaps, seen);
	ms = sleep_on_timer(VTIMER_INTID, 25);
	report(ms >= 25 && ms < 25 + 2 * SLICE_MS,
	       "VM %u: the virtual timer woke it from WFI after %lu ms (armed for 25)",
	       me, ms);
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res vm;

	hvc_res(HC_VM_INFO, 0, 0, 0, &vm);
	nr_cpus = vm.a1;
	tick = counter_ms(1);
	set_exception_handler(on_irq);
	gic_init();
	cpu_setup();
	irq_enable();
	printf("# sched: VM %lu, %u vCPU%s, GICv%u\n", vm.a0, nr_cpus,
	       nr_cpus == 1 ? "" : "s", gic_v3 ? 3 : 2);
	if (nr_cpus >= 2)
		two_vcpus();
	else
		two_vms(vm.a0 & 1);
	report_done();
}
