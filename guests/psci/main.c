/*
 * SMCCC and PSCI as a guest sees them: versions, features, unknown calls
 * over HVC and SMC, AFFINITY_INFO, CPU_ON's errors, the CPU_ON race (every
 * vCPU but the last asks to start the last one at the same moment: exactly
 * one call may succeed, and it must start once), and CPU_OFF followed by a
 * new CPU_ON.
 *
 * Needs at least 3 vCPUs. Only vCPU 0 prints (the vUART has one line per
 * VM); the others leave their findings in per-vCPU variables, each written
 * by one vCPU only, with plain loads and stores: the MMU is off, so memory
 * is Device memory and exclusives cannot be relied on.
 */
#include "guest.h"

#define MAX_CPUS 8
#define ROUNDS 16
#define WAIT_MS 5000 /* the host may run four vCPUs on fewer cores */

static u32 nr_cpus, target; /* target: the vCPU the racers start */

/* vCPU 0 -> all */
static u32 go;    /* round the racers may start */
static u32 phase; /* PHASE_OFF: racers turn themselves off */
#define PHASE_OFF 1

/* racer i -> vCPU 0 */
static u32 ready[MAX_CPUS]; /* round it waits for */
static u32 done[MAX_CPUS];  /* round whose CPU_ON returned */
static s64 result[ROUNDS + 1][MAX_CPUS];
static u32 timed_out[MAX_CPUS];
static u32 off_returned[MAX_CPUS];

/* What each vCPU saw on entry. */
struct entry_state {
	u64 el, mpidr, sctlr, daif;
	bool seen;
};
static struct entry_state entry[MAX_CPUS];

/* target -> vCPU 0 */
static u32 runs[ROUNDS + 1]; /* times it started in each round */

static u64 restarted_arg;

static void record_entry(u32 cpu)
{
	entry[cpu].el = (read_sysreg(CurrentEL) >> 2) & 3;
	entry[cpu].mpidr = read_sysreg(mpidr_el1);
	entry[cpu].sctlr = read_sysreg(sctlr_el1);
	entry[cpu].daif = read_sysreg(daif);
	dmb(sy);
	WRITE_ONCE(entry[cpu].seen, true);
}

static s64 affinity(u64 mpidr)
{
	return hvc(PSCI_AFFINITY_INFO, mpidr, 0, 0);
}

/* Everything a racer does for one round after the start signal. */
static void race(u32 me, u32 round);

static bool all_done(u32 round)
{
	for (u32 i = 0; i < target; i++)
		if (READ_ONCE(done[i]) != round)
			return false;
	return true;
}

static void target_main(u64 round)
{
	record_entry(target);
	WRITE_ONCE(runs[round], READ_ONCE(runs[round]) + 1);
	dmb(sy);
	/* Stay on until every racer's call has returned, so that none can
	 * find this vCPU off again and legitimately start it twice. */
	spin_until(all_done(round), WAIT_MS);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	WRITE_ONCE(off_returned[target], 1);
}

static void race(u32 me, u32 round)
{
	s64 ret = cpu_on(target, target_main, round);

	WRITE_ONCE(result[round][me], ret);
	dmb(sy);
	WRITE_ONCE(done[me], round);
}

static void racer_main(u64 me)
{
	record_entry(me);
	for (u32 r = 1; r <= ROUNDS; r++) {
		WRITE_ONCE(ready[me], r);
		dmb(sy);
		if (!spin_until(READ_ONCE(go) == r, WAIT_MS)) {
			WRITE_ONCE(timed_out[me], r);
			break;
		}
		race(me, r);
	}
	spin_until(READ_ONCE(phase) == PHASE_OFF, WAIT_MS);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	WRITE_ONCE(off_returned[me], 1);
}

static void restarted_main(u64 arg)
{
	record_entry(1);
	WRITE_ONCE(restarted_arg, arg);
	for (;;)
		wfi();
}

static void check_entry(u32 cpu, const char *how)
{
	struct entry_state *e = &entry[cpu];

	report(e->el == 1 && (e->mpidr & 0xff00ffffffUL) == cpu &&
		       (e->mpidr & BIT(31)) && !(e->sctlr & 1) &&
		       (e->daif & 0x3c0) == 0x3c0,
	       "vCPU %u %s: EL%lu, MPIDR_EL1 0x%lx, SCTLR_EL1.M %lu, DAIF 0x%lx",
	       cpu, how, e->el, e->mpidr, e->sctlr & 1, e->daif);
}


/* regs_kept.S */
void hvc_regs_kept(u64 fid, u64 out[31]);

static void unknown_call_keeps_registers(u32 fid, const char *whose)
{
	u64 out[31];
	u32 changed = 0, first = 0;

	hvc_regs_kept(fid, out);
	for (u32 n = 30; n >= 1; n--)
		if (out[n] != 0x5a00 + n) {
			changed++;
			first = n;
		}
	report((s64)out[0] == PSCI_RET_NOT_SUPPORTED && !changed,
	       "unknown %s call over HVC: %ld, x1-x30 kept (%u changed, first x%u)",
	       whose, (s64)out[0], changed, first);
}

static void versions_and_features(void)
{
	static const u32 supported[] = {
		PSCI_VERSION, PSCI_FEATURES, PSCI_CPU_OFF, PSCI_CPU_ON,
		PSCI_CPU_ON_32, PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO_32,
		PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
		SMCCC_VERSION,
	};
	static const u32 unknown[] = { 0x8400001f, 0xc400001f, 0x12345678 };
	u32 bad = 0;
	s64 ret;

	ret = hvc(PSCI_VERSION, 0, 0, 0);
	report(ret == 0x10001, "PSCI_VERSION over HVC is 1.1 (0x%lx)", ret);
	ret = smc(PSCI_VERSION, 0, 0, 0);
	report(ret == 0x10001, "PSCI_VERSION over SMC is 1.1 (0x%lx)", ret);

	for (u32 i = 0; i < ARRAY_SIZE(supported); i++) {
		ret = hvc(PSCI_FEATURES, supported[i], 0, 0);
		if (ret != 0) {
			report(false, "PSCI_FEATURES(0x%x) = %ld", supported[i], ret);
			bad++;
		}
	}
	report(!bad, "PSCI_FEATURES is 0 for each of the %u supported functions",
	       (u32)ARRAY_SIZE(supported));
	for (u32 i = 0; i < ARRAY_SIZE(unknown); i++) {
		ret = hvc(PSCI_FEATURES, unknown[i], 0, 0);
		report(ret == PSCI_RET_NOT_SUPPORTED,
		       "PSCI_FEATURES(0x%x), an unknown function, is NOT_SUPPORTED (%ld)",
		       unknown[i], ret);
	}

	ret = hvc(SMCCC_VERSION, 0, 0, 0);
	report(ret == 0x10001, "SMCCC_VERSION is 1.1 (0x%lx)", ret);
	ret = hvc(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0);
	report(ret == PSCI_RET_NOT_SUPPORTED,
	       "SMCCC_ARCH_FEATURES(ARCH_WORKAROUND_1) is NOT_SUPPORTED (%ld)", ret);

	/* Unknown calls of several owners: answered, and the guest goes on. */
	ret = hvc(0xc2000042, 1, 2, 3); /* SiP service */
	report(ret == PSCI_RET_NOT_SUPPORTED, "unknown SiP call over HVC: %ld", ret);
	ret = smc(0xc2000042, 1, 2, 3);
	report(ret == PSCI_RET_NOT_SUPPORTED, "unknown SiP call over SMC: %ld", ret);
	ret = hvc(0xc600ff00, 0, 0, 0); /* the hypervisor's range */
	report(ret == PSCI_RET_NOT_SUPPORTED, "unknown hypervisor call over HVC: %ld", ret);
	ret = smc(0xb2000000, 0, 0, 0); /* trusted OS, 32-bit */
	report(ret == PSCI_RET_NOT_SUPPORTED, "unknown trusted-OS call over SMC: %ld", ret);
	ret = smc(0x8400001f, 0, 0, 0); /* PSCI's range, unallocated */
	report(ret == PSCI_RET_NOT_SUPPORTED, "unknown PSCI function over SMC: %ld", ret);

	/* Refused in the hypervisor's vector (an owner it does not serve)
	 * and answered by its C handler (its own range): either way, every
	 * register but x0 as it was. */
	unknown_call_keeps_registers(0xc2000042, "SiP");
	unknown_call_keeps_registers(0xc600ff00, "hypervisor");

	ret = hvc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);
	report(ret == 2, "MIGRATE_INFO_TYPE is 2, no trusted OS to migrate (%ld)", ret);
}

static void affinity_and_cpu_on_errors(void)
{
	u64 entry_pc = (u64)(uintptr_t)guest_secondary_entry;
	s64 ret;

	ret = affinity(0);
	report(ret == AFFINITY_ON, "AFFINITY_INFO(vCPU 0) is ON (%ld)", ret);
	for (u32 i = 1; i < nr_cpus; i++) {
		ret = affinity(i);
		report(ret == AFFINITY_OFF, "AFFINITY_INFO(vCPU %u) is OFF before CPU_ON (%ld)",
		       i, ret);
	}
	/* SMC32 calls use only the low 32 bits of their arguments. */
	ret = hvc(PSCI_AFFINITY_INFO_32, 0xdead000000000000UL, 0, 0);
	report(ret == AFFINITY_ON,
	       "AFFINITY_INFO (SMC32) ignores the upper halves of its arguments (%ld)", ret);
	ret = affinity(nr_cpus);
	report(ret == PSCI_RET_INVALID_PARAMS,
	       "AFFINITY_INFO of a nonexistent MPIDR (%u) is INVALID_PARAMETERS (%ld)",
	       nr_cpus, ret);
	ret = hvc(PSCI_AFFINITY_INFO, 0, 1, 0);
	report(ret == PSCI_RET_INVALID_PARAMS,
	       "AFFINITY_INFO at affinity level 1 is INVALID_PARAMETERS (%ld)", ret);

	ret = hvc(PSCI_CPU_ON, nr_cpus, entry_pc, 0);
	report(ret == PSCI_RET_INVALID_PARAMS,
	       "CPU_ON of a nonexistent MPIDR (%u) is INVALID_PARAMETERS (%ld)",
	       nr_cpus, ret);
	ret = hvc(PSCI_CPU_ON, 0x100, entry_pc, 0);
	report(ret == PSCI_RET_INVALID_PARAMS,
	       "CPU_ON of a nonexistent MPIDR (0x100) is INVALID_PARAMETERS (%ld)", ret);
	ret = hvc(PSCI_CPU_ON, 1, 0x10000000, 0);
	report(ret == PSCI_RET_INVALID_ADDRESS,
	       "CPU_ON with an entry point outside RAM is INVALID_ADDRESS (%ld)", ret);
	ret = affinity(1);
	report(ret == AFFINITY_OFF, "a refused CPU_ON left vCPU 1 OFF (%ld)", ret);
	ret = hvc(PSCI_CPU_ON, 0, entry_pc, 0);
	report(ret == PSCI_RET_ALREADY_ON, "CPU_ON of the caller itself is ALREADY_ON (%ld)",
	       ret);
}

/* Starts the racers (vCPUs 1 .. target - 1); vCPU 0 races too. */
static bool start_racers(void)
{
	bool ok = true;

	for (u32 i = 1; i < target; i++) {
		s64 ret = cpu_on(i, racer_main, i);

		report(ret == PSCI_RET_SUCCESS, "CPU_ON(vCPU %u) succeeds (%ld)", i, ret);
		ok &= ret == PSCI_RET_SUCCESS;
	}
	for (u32 i = 1; i < target && ok; i++) {
		ok = spin_until(READ_ONCE(ready[i]) == 1, WAIT_MS);
		report(ok, "vCPU %u is running", i);
		if (!ok)
			break;
		check_entry(i, "entered as the boot protocol says");
		s64 ret = affinity(i);
		report(ret == AFFINITY_ON, "AFFINITY_INFO(vCPU %u) is ON once it runs (%ld)",
		       i, ret);
		ret = cpu_on(i, racer_main, i);
		report(ret == PSCI_RET_ALREADY_ON,
		       "CPU_ON of the running vCPU %u is ALREADY_ON (%ld)", i, ret);
	}
	return ok;
}

static void cpu_on_race(void)
{
	u32 already_on = 0, on_pending = 0, bad_rounds = 0;

	for (u32 r = 1; r <= ROUNDS; r++) {
		bool ok = true;
		u32 wins = 0;

		for (u32 i = 1; i < target; i++)
			ok &= spin_until(READ_ONCE(ready[i]) == r, WAIT_MS);
		ok &= spin_until(affinity(target) == AFFINITY_OFF, WAIT_MS);
		if (!ok) {
			report(false, "race round %u: the racers or the target did not get ready", r);
			return;
		}
		dmb(sy);
		WRITE_ONCE(go, r);
		dmb(sy);
		race(0, r);
		ok = spin_until(all_done(r), WAIT_MS) &&
		     spin_until(READ_ONCE(runs[r]) >= 1, WAIT_MS) &&
		     spin_until(affinity(target) == AFFINITY_OFF, WAIT_MS);
		/* A second start would show up by now: the target turned
		 * itself off only after every caller returned. */
		for (u32 i = 0; i < target; i++) {
			s64 ret = READ_ONCE(result[r][i]);

			if (ret == PSCI_RET_SUCCESS)
				wins++;
			else if (ret == PSCI_RET_ALREADY_ON)
				already_on++;
			else if (ret == PSCI_RET_ON_PENDING)
				on_pending++;
			else
				ok = false;
		}
		if (!ok || wins != 1 || READ_ONCE(runs[r]) != 1) {
			bad_rounds++;
			printf("# race round %u: %u successes, target started %u times, results",
			       r, wins, READ_ONCE(runs[r]));
			for (u32 i = 0; i < target; i++)
				printf(" %ld", READ_ONCE(result[r][i]));
			printf("\n");
		}
	}
	report(!bad_rounds,
	       "CPU_ON race: %u vCPUs start vCPU %u at once, %u rounds: one SUCCESS each, "
	       "the others ALREADY_ON (%u) or ON_PENDING (%u), started once each",
	       target, target, ROUNDS, already_on, on_pending);
	check_entry(target, "started by the race");
	report(!READ_ONCE(off_returned[target]), "CPU_OFF never returns to the caller");
}

static void cpu_off_then_on(void)
{
	s64 ret;
	bool ok;

	WRITE_ONCE(phase, PHASE_OFF);
	dmb(sy);
	for (u32 i = 1; i < target; i++) {
		ok = spin_until(affinity(i) == AFFINITY_OFF, WAIT_MS);
		report(ok, "vCPU %u called CPU_OFF: AFFINITY_INFO says OFF", i);
	}
	WRITE_ONCE(entry[1].seen, false);
	dmb(sy);

	/* Again, by the SMC32 call with garbage in the upper halves. */
	u64 ctx = secondary_prepare(1, restarted_main, 0x5eed);

	ret = hvc(PSCI_CPU_ON_32, 0xffffffff00000001UL,
		  0xffffffff00000000UL | (u64)(uintptr_t)guest_secondary_entry,
		  0xffffffff00000000UL | ctx);
	report(ret == PSCI_RET_SUCCESS, "CPU_ON (SMC32) of the stopped vCPU 1 succeeds (%ld)",
	       ret);
	ok = spin_until(READ_ONCE(restarted_arg) == 0x5eed, WAIT_MS);
	report(ok, "vCPU 1 runs again from its new entry point with its context id");
	if (ok)
		check_entry(1, "re-entered as the boot protocol says");
	ret = affinity(1);
	report(ret == AFFINITY_ON, "AFFINITY_INFO(vCPU 1) is ON again (%ld)", ret);
	for (u32 i = 1; i < target; i++)
		report(!READ_ONCE(off_returned[i]) && !READ_ONCE(timed_out[i]),
		       "vCPU %u: no timeouts, and CPU_OFF did not return", i);
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res info;

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	nr_cpus = (u32)info.a1;
	target = nr_cpus - 1;
	printf("# psci: VM %lu with %u vCPUs\n", info.a0, nr_cpus);
	record_entry(0);
	check_entry(0, "(boot vCPU) entered as the boot protocol says");

	versions_and_features();
	affinity_and_cpu_on_errors();
	if (nr_cpus < 3 || nr_cpus > MAX_CPUS) {
		report(false, "the CPU_ON race needs 3 to %u vCPUs, this VM has %u",
		       MAX_CPUS, nr_cpus);
		report_done();
	}
	if (start_racers()) {
		cpu_on_race();
		cpu_off_then_on();
	}
	/* SYSTEM_OFF stops the other vCPUs wherever they are. */
	report_done();
}
