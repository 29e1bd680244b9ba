/*
 * Calls: HVC and SMC with any function ID, immediate and arguments; PSCI
 * with wild targets, entry points and context ids; the hypervisor's own
 * hypercalls with bad slots, sizes, buffers and VM indexes. What must hold:
 * an unknown function returns NOT_SUPPORTED (-1), a call changes no
 * register but its results (anything else there could only have come from
 * the hypervisor), and nothing is accepted that names memory or vCPUs the
 * VM does not have.
 */
#include "hostile.h"

/* Ends the VM or a vCPU: only as the campaign's deliberate kills. */
static bool lethal(u32 fid)
{
	switch (fid & ~BIT(30)) {
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case 0x84000001: /* CPU_SUSPEND */
	case 0x84000005: /* MIGRATE */
	case 0x8400000c: /* SYSTEM_SUSPEND */
	case 0x8400000e: /* CPU_DEFAULT_SUSPEND */
	case 0x84000012: /* SYSTEM_RESET2 */
	case 0x84000015: /* SYSTEM_OFF2 */
		return true;
	}
	/* The dirty log writes where x2 points: hz_op_hcall aims it. */
	return fid == HC_DIRTY_LOG_GET;
}

static const u32 known[] = {
	PSCI_VERSION, PSCI_FEATURES, PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO_32,
	PSCI_MIGRATE_INFO_TYPE, SMCCC_VERSION, SMCCC_ARCH_FEATURES, HC_NOP,
	HC_VM_INFO,
	/* Channels and forwarding: refused (or empty) for a VM that has
	 * neither, and they change x0 alone then. */
	HC_DOORBELL, HC_DOORBELL_ACK, HC_FWD_READY, HC_FWD_WINDOW, HC_FWD_GET,
	HC_FWD_ANSWER, HC_FWD_IRQ,
	/* The Spectre workarounds: where the CPU needs none they succeed
	 * doing nothing (or answer NOT_SUPPORTED), changing x0 alone. */
	SMCCC_ARCH_WORKAROUND_1, SMCCC_ARCH_WORKAROUND_2, SMCCC_ARCH_WORKAROUND_3,
};

static bool is_known(u32 fid)
{
	for (u32 i = 0; i < ARRAY_SIZE(known); i++)
		if (fid == known[i])
			return true;
	return false;
}

static u64 pick_fid(struct hz_cpu *c)
{
	u64 fid;

	switch (rnd_below(c, 8)) {
	case 0:
		fid = rnd(c);
		break;
	case 1: /* any owner, fast call, 32 or 64 */
		fid = BIT(31) | (rnd(c) & BIT(30)) | rnd_below(c, 64) << 24 |
		      rnd_below(c, 0x10000);
		break;
	case 2:
		fid = 0x84000000UL | (rnd(c) & BIT(30)) | rnd_below(c, 0x20);
		break;
	case 3: /* the hypervisor's range */
		fid = 0x86000000UL | (rnd(c) & BIT(30)) | rnd_below(c, 0x100);
		break;
	case 4: /* SMCCC's own: versions, features, workarounds */
		fid = 0x80000000UL | (chance(c, 2) ? rnd_below(c, 4) : 0x7ffd + rnd_below(c, 4));
		break;
	case 5: /* yielding calls */
		fid = rnd(c) & 0x7fffffffUL;
		break;
	default:
		fid = known[rnd_below(c, ARRAY_SIZE(known))];
		break;
	}
	if (chance(c, 4))
		fid |= rnd(c) << 32; /* SMCCC looks at W0 only */
	if (lethal((u32)fid))
		fid = PSCI_VERSION;
	return fid;
}

/* x1-x17 of a call: values and addresses worth passing. */
static void pick_args(struct hz_cpu *c, u64 r[18])
{
	for (u32 i = 1; i < 18; i++)
		r[i] = chance(c, 2) ? rnd_value(c) : hz_pick_ipa(c);
}

static u64 call_fn(u64 r, u64 stub)
{
	hz_call_regs((u64 *)(uintptr_t)r, (const u32 *)(uintptr_t)stub);
	return 0;
}

/* HVC or SMC #imm: the hypervisor must not care about the immediate. */
static u64 call(struct hz_cpu *c, bool smc, u64 r[18])
{
	u32 imm = chance(c, 2) ? 0 : rnd_below(c, 0x10000);
	u32 stub[2] = { (smc ? 0xd4000003U : 0xd4000002U) | imm << 5, A64_RET };

	c->code[0] = stub[0];
	c->code[1] = stub[1];
	__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
			 : : "r"(c->code) : "memory");
	hz_try(c, call_fn, (u64)(uintptr_t)r, (u64)(uintptr_t)c->code);
	if (c->exc)
		hz_finding(c, smc ? K_smc : K_hvc, "call 0x%lx (#0x%x) raised an exception: "
			   "ESR 0x%lx ELR 0x%lx", r[0], imm, c->esr, c->elr);
	return r[0];
}

/* Registers a call may change: x0, and the results of the calls that
 * have them. */
static u32 results(u32 fid)
{
	return fid == HC_VM_INFO ? 0x7 : 0x1;
}

static void check_regs(struct hz_cpu *c, enum hz_kind k, u64 fid, const u64 in[18],
		       const u64 out[18])
{
	u32 may = results((u32)fid);

	for (u32 i = 1; i < 18; i++)
		if (!(may & BIT(i)) && in[i] != out[i]) {
			hz_finding(c, k, "call 0x%lx changed x%u from 0x%lx to 0x%lx",
				   fid, i, in[i], out[i]);
			return;
		}
}

void hz_op_call(struct hz_cpu *c, enum hz_kind k)
{
	u64 in[18], out[18], fid = pick_fid(c);

	in[0] = fid;
	pick_args(c, in);
	for (u32 i = 0; i < 18; i++)
		out[i] = in[i];
	c->tried[k]++;
	call(c, k == K_smc, out);
	check_regs(c, k, fid, in, out);
	if (!is_known((u32)fid) && (s64)out[0] != SMCCC_NOT_SUPPORTED)
		hz_finding(c, k, "unknown function 0x%lx returned 0x%lx, not NOT_SUPPORTED",
			   fid, out[0]);
	if ((u32)fid == HC_VM_INFO &&
	    (out[0] != env.vm_index || out[1] != env.nr_vcpus || out[2] != env.boot))
		hz_finding(c, k, "HC_VM_INFO says VM %lu, %lu vCPUs, %lu restarts", out[0],
			   out[1], out[2]);
}

/* A target: one of its vCPUs (the device tree's cpu@N: Aff0 = N), or
 * affinities it has none at. */
static u64 pick_target(struct hz_cpu *c)
{
	switch (rnd_below(c, 4)) {
	case 0:
		return rnd_below(c, env.nr_vcpus);
	case 1:
		return env.nr_vcpus + rnd_below(c, 254);
	case 2:
		return rnd(c) & (MPIDR_AFF_MASK | BIT(31) | BIT(30));
	default:
		return rnd(c);
	}
}

static bool exists(u64 mpidr)
{
	return (mpidr & MPIDR_AFF_MASK) < env.nr_vcpus;
}

void hz_op_psci(struct hz_cpu *c)
{
	u64 r[18] = { 0 }, fid, target = pick_target(c), entry = hz_pick_ipa(c);
	enum hz_region reg;
	u32 what = rnd_below(c, 8);
	s64 ret;

	pick_args(c, r);
	if (c->index == 1 && chance(c, 64)) {
		/* vCPU 1 turns itself off now and then; vCPU 0 starts it
		 * again. */
		c->tried[K_psci]++;
		hvc(PSCI_CPU_OFF, 0, 0, 0);
		return;
	}
	if (what < 4) {
		/* CPU_ON: a start anywhere in its memory would run whatever is
		 * there, so those go to the proper entry (if one wins). */
		fid = chance(c, 2) ? PSCI_CPU_ON : PSCI_CPU_ON_32;
		if (fid == PSCI_CPU_ON_32) {
			target = (u32)target;
			entry = (u32)entry;
		}
		reg = hz_region(entry);
		if (reg == R_RAM || reg == R_RO || reg == R_DIRTY) {
			entry = (u64)(uintptr_t)guest_secondary_entry;
			r[3] = secondary_prepare(1, hz_helper_main, 0);
			reg = R_RAM;
		}
		r[1] = target;
		r[2] = entry;
	} else if (what < 6) {
		fid = chance(c, 2) ? PSCI_AFFINITY_INFO : PSCI_AFFINITY_INFO_32;
		r[1] = target;
		r[2] = chance(c, 2) ? 0 : rnd_value(c);
	} else {
		fid = PSCI_FEATURES;
		r[1] = chance(c, 2) ? pick_fid(c) : rnd(c);
	}
	r[0] = fid;
	c->tried[K_psci]++;
	call(c, chance(c, 4), r);
	ret = (s64)r[0];
	if (fid == PSCI_CPU_ON || fid == PSCI_CPU_ON_32) {
		bool want_params = !exists(target);
		bool want_addr = !want_params && reg != R_RAM;

		if ((want_params && ret != PSCI_RET_INVALID_PARAMS) ||
		    (want_addr && ret != PSCI_RET_INVALID_ADDRESS) ||
		    (!want_params && !want_addr && ret != PSCI_RET_SUCCESS &&
		     ret != PSCI_RET_ALREADY_ON && ret != PSCI_RET_ON_PENDING))
			hz_finding(c, K_psci, "CPU_ON(0x%lx, 0x%lx) returned %ld", target,
				   entry, ret);
	} else if (fid != PSCI_FEATURES) {
		bool valid = exists(r[1] & (fid == PSCI_AFFINITY_INFO ? ~0UL : 0xffffffffUL)) &&
			     (fid == PSCI_AFFINITY_INFO ? r[2] : (u32)r[2]) == 0;

		if (valid ? ret < 0 || ret > 2 : ret != PSCI_RET_INVALID_PARAMS)
			hz_finding(c, K_psci, "AFFINITY_INFO(0x%lx, 0x%lx) returned %ld",
				   r[1], r[2], ret);
	} else if (ret != 0 && ret != PSCI_RET_NOT_SUPPORTED) {
		hz_finding(c, K_psci, "PSCI_FEATURES(0x%lx) returned %ld", r[1], ret);
	}
}

/* HC_DIRTY_LOG_GET of slot 3 (256 KiB: one word) needs 8 bytes. */
#define BITMAP_BYTES 8
#define GUARD 0xa5

static bool writable_own(u64 ipa, u64 len)
{
	enum hz_region r = hz_region_range(ipa, len);

	return ipa + len > ipa && (r == R_RAM || r == R_NX || r == R_DIRTY);
}

void hz_op_hcall(struct hz_cpu *c)
{
	static const u64 slots[] = { HZ_DIRTY_SLOT, 0, 1, 2, 31, 32, BIT(32) | HZ_DIRTY_SLOT,
				     ~0UL };
	static const u64 sizes[] = { 0, 7, 8, 16, 4096, ~0UL, 0x8000000000000000UL };
	u8 *area = (u8 *)(HZ_BUF + c->index * (HZ_BUF_SIZE / HZ_MAX_CPUS));
	u64 area_size = HZ_BUF_SIZE / HZ_MAX_CPUS;
	u64 r[18] = { 0 }, in[18], buf, size, slot, vm;
	bool in_area, expect;
	s64 ret;

	switch (rnd_below(c, 8)) {
	case 0:
		r[0] = HC_NOP;
		break;
	case 1:
		r[0] = HC_VM_INFO;
		break;
	default:
		r[0] = HC_DIRTY_LOG_GET;
		break;
	}
	pick_args(c, r);
	if (r[0] != HC_DIRTY_LOG_GET) {
		for (u32 i = 0; i < 18; i++)
			in[i] = r[i];
		c->tried[K_hcall]++;
		call(c, chance(c, 4), r);
		check_regs(c, K_hcall, in[0], in, r);
		if (in[0] == HC_NOP ? r[0] != 0 :
		    r[0] != env.vm_index || r[1] != env.nr_vcpus || r[2] != env.boot)
			hz_finding(c, K_hcall, "hypercall 0x%lx returned 0x%lx 0x%lx 0x%lx",
				   in[0], r[0], r[1], r[2]);
		return;
	}
	slot = chance(c, 2) ? HZ_DIRTY_SLOT : slots[rnd_below(c, ARRAY_SIZE(slots))];
	size = chance(c, 2) ? BITMAP_BYTES : chance(c, 2) ? rnd(c) : sizes[rnd_below(c, ARRAY_SIZE(sizes))];
	vm = chance(c, 2) ? env.vm_index : chance(c, 2) ? env.vm_index ^ 1 : rnd_value(c);
	if (chance(c, 2))
		buf = (u64)(uintptr_t)area + 64 + rnd_below(c, area_size - 128);
	else if (chance(c, 2))
		buf = hz_pick_ipa(c);
	else
		buf = HZ_RAM_IPA + HZ_RAM_SIZE - rnd_below(c, 16);
	in_area = buf >= (u64)(uintptr_t)area && buf + 16 <= (u64)(uintptr_t)area + area_size;
	/* Only its hypercall area may be written: its code and data must not. */
	if (!in_area && writable_own(buf, 1))
		buf = HZ_RO_IPA + (buf & 0xff8);
	for (u64 i = 0; i < area_size; i++)
		area[i] = GUARD;
	r[0] = HC_DIRTY_LOG_GET;
	r[1] = slot;
	r[2] = buf;
	r[3] = size;
	r[4] = vm;
	for (u32 i = 0; i < 18; i++)
		in[i] = r[i];
	expect = slot == HZ_DIRTY_SLOT && vm == env.vm_index && size >= BITMAP_BYTES &&
		 writable_own(buf, BITMAP_BYTES);
	c->tried[K_hcall]++;
	call(c, chance(c, 4), r);
	ret = (s64)r[0];
	for (u32 i = 2; i < 18; i++)
		if (r[i] != in[i]) {
			hz_finding(c, K_hcall, "HC_DIRTY_LOG_GET changed x%u to 0x%lx", i, r[i]);
			break;
		}
	if (ret != 0 && ret != SMCCC_INVALID_PARAMETER)
		hz_finding(c, K_hcall, "HC_DIRTY_LOG_GET returned %ld", ret);
	else if (!ret != expect)
		hz_finding(c, K_hcall, "HC_DIRTY_LOG_GET(slot 0x%lx, buffer 0x%lx, 0x%lx bytes, "
			   "VM 0x%lx) returned %ld", slot, buf, size, vm, ret);
	for (u64 i = 0; i < area_size; i++) {
		u64 a = (u64)(uintptr_t)area + i;

		if (area[i] != GUARD && (ret || a < buf || a >= buf + BITMAP_BYTES)) {
			hz_finding(c, K_hcall, "HC_DIRTY_LOG_GET(buffer 0x%lx) wrote 0x%lx",
				   buf, a);
			break;
		}
	}
	for (u32 i = 0; i < BITMAP_BYTES / 8; i++)
		if (((volatile u64 *)HZ_RO_IPA)[(buf & 0xff8) / 8 + i]) {
			hz_finding(c, K_hcall, "its READONLY slot holds data at 0x%lx",
				   HZ_RO_IPA + (buf & 0xff8));
			break;
		}
}
