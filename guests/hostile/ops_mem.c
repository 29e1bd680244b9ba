/*
 * Memory operations: loads, stores, pairs, exclusives, atomics, FP/SIMD
 * accesses and cache maintenance at picked IPAs, instruction fetches, and
 * stage-1 table walks that leave its memory. What must hold: nothing
 * outside its own slots and the emulated device windows can be read,
 * written or executed, its READONLY slot cannot be written and its NOEXEC
 * slot not executed, and the hypervisor never refuses its own memory.
 */
#include "hostile.h"
#include "guest_platform.h"

#define AF_LOAD BIT(0)
#define AF_STORE BIT(1)
#define AF_STATUS BIT(2) /* returns a store-exclusive's status, 0: stored */
#define AF_CM BIT(3)     /* cache maintenance: may do nothing anywhere */
#define AF_ZVA BIT(4)    /* DC ZVA: a store of the zeroing block size */

#define L AF_LOAD
#define S AF_STORE
#define FORMS(X)                                                              \
	X(ldrb, load, 1, L) X(ldrh, load, 2, L) X(ldrw, load, 4, L)           \
	X(ldrx, load, 8, L) X(ldrsbx, load, 1, L) X(ldrshw, load, 2, L)        \
	X(ldrsw, load, 4, L) X(ldurx, load, 8, L) X(ldrx_imm, load, 8, L)      \
	X(ldrx_pre, load, 8, L) X(ldrx_post, load, 8, L)                      \
	X(ldrw_sxtw, load, 4, L) X(ldrx_lsl, load, 8, L) X(ldtrx, load, 8, L)  \
	X(ldrxzr, load, 8, L)                                                  \
	X(strb, store, 1, S) X(strh, store, 2, S) X(strw, store, 4, S)         \
	X(strx, store, 8, S) X(sturx, store, 8, S) X(strx_pre, store, 8, S)    \
	X(strx_post, store, 8, S) X(strw_lsl, store, 4, S)                    \
	X(sttrx, store, 8, S) X(strxzr, store, 8, S)                           \
	X(ldpw, pair, 8, L) X(ldpx, pair, 16, L) X(ldpsw, pair, 8, L)          \
	X(ldpx_pre, pair, 16, L) X(ldpx_post, pair, 16, L)                    \
	X(ldnpx, pair, 16, L) X(stpw, pair, 8, S) X(stpx, pair, 16, S)         \
	X(stpx_pre, pair, 16, S) X(stpx_post, pair, 16, S)                    \
	X(stnpx, pair, 16, S)                                                  \
	X(ldxrb, excl, 1, L) X(ldxrh, excl, 2, L) X(ldxrw, excl, 4, L)         \
	X(ldxrx, excl, 8, L) X(ldaxrx, excl, 8, L)                            \
	X(ldxr_stxr, excl, 8, L | S | AF_STATUS)                              \
	X(ldaxr_stlxr, excl, 4, L | S | AF_STATUS)                            \
	X(stxr, excl, 8, S | AF_STATUS)                                       \
	X(ldxp_stxp, excl, 16, L | S | AF_STATUS)                             \
	X(ldarx, excl, 8, L) X(ldarb, excl, 1, L) X(stlrx, excl, 8, S)         \
	X(stlrh, excl, 2, S)                                                   \
	X(ldaddx, atomic, 8, L | S) X(swpx, atomic, 8, L | S)                  \
	X(casx, atomic, 8, L | S) X(ldaddb, atomic, 1, L | S)                  \
	X(staddx, atomic, 8, S)                                               \
	X(ldrb_v, simd, 1, L) X(ldrh_v, simd, 2, L) X(ldrs_v, simd, 4, L)      \
	X(ldrd_v, simd, 8, L) X(ldrq_v, simd, 16, L) X(strq_v, simd, 16, S)    \
	X(ld1_v, simd, 16, L) X(st1_v, simd, 16, S) X(ldpq_v, simd, 32, L)     \
	X(ld1r_v, simd, 1, L) X(ld4_v, simd, 64, L)                           \
	X(dc_civac, cache, 1, AF_CM) X(dc_cvac, cache, 1, AF_CM)              \
	X(dc_cvau, cache, 1, AF_CM) X(dc_ivac, cache, 1, AF_CM | S)           \
	X(dc_zva, cache, 0, S | AF_ZVA) X(ic_ivau, cache, 1, AF_CM)           \
	X(prfm_ld, cache, 1, AF_CM) X(prfm_st, cache, 1, AF_CM)

#define DECLARE(name, kind, len, flags) u64 hz_##name(u64, u64);
FORMS(DECLARE)

struct form {
	u64 (*fn)(u64, u64);
	const char *name;
	u8 kind, len, flags;
};

#define ENTRY(name_, kind_, len_, flags_) \
	{ .fn = hz_##name_, .name = #name_, .kind = K_##kind_, .len = len_, .flags = flags_ },
static const struct form forms[] = { FORMS(ENTRY) };

/* A form of kind k, at random. */
static const struct form *pick_form(struct hz_cpu *c, enum hz_kind k)
{
	u32 first = 0, n = 0;

	for (u32 i = 0; i < ARRAY_SIZE(forms); i++)
		if (forms[i].kind == k && !n++)
			first = i;
	return &forms[first + rnd_below(c, n)];
}

/* Natural alignment mostly; now and then any byte. */
static u64 place(struct hz_cpu *c, u64 ipa, u64 len)
{
	u64 align = len >= 16 ? 16 : len ? len : 1;

	if (chance(c, 4))
		return ipa;
	return ALIGN_DOWN(ipa, align);
}

/* Its own image, stacks and tables must survive its own stores. */
static u64 keep_off_itself(u64 ipa, u64 len)
{
	if (hz_region_range(ipa, len) == R_RAM &&
	    (ipa < HZ_SCRATCH || ipa + len > HZ_SCRATCH + HZ_SCRATCH_SIZE))
		return HZ_SCRATCH + (ipa % (HZ_SCRATCH_SIZE - 64));
	return ipa;
}

static bool hits_uart_dr(u64 ipa, u64 len)
{
	/* Random bytes on the console would garble its reports. */
	return ipa < VIRT_UART_BASE + 8 && ipa + len > VIRT_UART_BASE;
}

static bool external_abort(const struct hz_cpu *c)
{
	u32 ec = ESR_EC(c->esr);

	return (ec == EC_DABT_CUR || ec == EC_IABT_CUR) &&
	       (c->esr & 0x3f) == FSC_SYNC_EXTERNAL;
}

void hz_op_mem(struct hz_cpu *c, enum hz_kind k)
{
	const struct form *f = pick_form(c, k);
	u64 len = f->flags & AF_ZVA ? env.zva_size : f->len;
	u64 ipa = place(c, hz_pick_ipa(c), len), val = rnd_value(c), ret;
	bool stored;
	enum hz_region r;

	if (f->flags & AF_ZVA && !chance(c, 8))
		ipa = ALIGN_DOWN(ipa, len);
	if (f->flags & AF_STORE)
		ipa = keep_off_itself(ipa, len);
	if ((f->flags & AF_STORE) && hits_uart_dr(ipa, len))
		return;
	if (k == K_atomic && !env.lse)
		return;
	if (k == K_simd)
		write_sysreg(3UL << 20, cpacr_el1); /* its sysreg writes may clear FPEN */
	/* DC ZVA zeroes the whole aligned block the address is in. */
	r = hz_region_range(f->flags & AF_ZVA ? ALIGN_DOWN(ipa, len) : ipa, len);
	c->tried[k]++;
	if (r == R_DEVICE && (f->flags & AF_STORE))
		hz_gic_lock(c);
	ret = hz_try(c, f->fn, hz_va(c, ipa, false), val);
	if (r == R_DEVICE && (f->flags & AF_STORE))
		hz_gic_unlock(c);
	if (c->exc) {
		c->faulted[k]++;
		/* The hypervisor's refusal of memory it gave this VM. */
		if (external_abort(c) &&
		    (r == R_RAM || r == R_DIRTY || r == R_NX ||
		     (r == R_RO && !(f->flags & AF_STORE))))
			hz_finding(c, k, "%s at IPA 0x%lx (slot memory) was refused: ESR 0x%lx FAR 0x%lx",
				   f->name, ipa, c->esr, c->far);
		return;
	}
	stored = (f->flags & AF_STORE) && !(f->flags & AF_CM) &&
		 (!(f->flags & AF_STATUS) || ret == 0);
	if (r == R_FORBIDDEN && ((f->flags & AF_LOAD) || stored))
		hz_finding(c, k, "%s of %lu bytes at IPA 0x%lx (no slot, no device) did not fault%s 0x%lx",
			   f->name, len, ipa, (f->flags & AF_LOAD) ? ": read" : ", wrote",
			   (f->flags & AF_LOAD) ? ret : val);
	else if (r == R_RO && stored)
		hz_finding(c, k, "%s at IPA 0x%lx wrote its READONLY slot", f->name, ipa);
}

/*
 * A branch to a picked IPA. It must fault on fetch unless the IPA is its
 * own executable memory (RAM, READONLY); what is there (zeros, UDF) then
 * raises an undefined instruction at that address. Its own image and
 * stacks are not branched to.
 */
void hz_op_fetch(struct hz_cpu *c)
{
	extern u64 hz_branch(u64, u64);
	u64 ipa = ALIGN_DOWN(hz_pick_ipa(c), chance(c, 16) ? 1 : 4), va;
	enum hz_region r = hz_region(ipa);
	u32 ec;

	if (r == R_RAM && (ipa < HZ_SCRATCH || ipa >= HZ_SCRATCH + HZ_SCRATCH_SIZE))
		ipa = HZ_LANDING + (ipa & 0xffc); /* zeros */
	else if (r == R_RAM)
		return; /* scratch holds what random stores left: not code */
	if (r == R_DIRTY)
		return; /* written by random stores too */
	va = hz_va(c, ipa, true);
	c->tried[K_fetch]++;
	hz_try(c, hz_branch, va, 0);
	ec = ESR_EC(c->esr);
	if (c->exc)
		c->faulted[K_fetch]++;
	if (c->exc && ec == EC_IABT_CUR && c->far == va)
		return; /* refused */
	if (c->exc && (ec == EC_PC_ALIGN || (ec == EC_IABT_CUR && (c->esr & 0x3f) != FSC_SYNC_EXTERNAL)))
		return; /* its own stage 1 or alignment: never reached the hypervisor */
	if (r == R_RAM || r == R_RO) {
		if (!c->exc || c->elr != va || ec != EC_UNKNOWN)
			hz_finding(c, K_fetch, "branch to its own zeroed memory at IPA 0x%lx: "
				   "%u exceptions, ESR 0x%lx ELR 0x%lx (expected an undefined "
				   "instruction there)", ipa, c->exc, c->esr, c->elr);
		return;
	}
	hz_finding(c, K_fetch, "branch to IPA 0x%lx (%s) executed: %u exceptions, ESR 0x%lx "
		   "FAR 0x%lx ELR 0x%lx", ipa, r == R_NX ? "its NOEXEC slot" :
		   r == R_DEVICE ? "a device window" : "no slot", c->exc, c->esr,
		   c->far, c->elr);
}

#define DESC_TABLE 3UL

/*
 * With its stage 1 on: TTBR1_EL1 at a picked IPA, or at a table of its own
 * whose entry points at one (or holds junk), then a load through the upper
 * half. The walk's reads are stage-2 translated: outside its memory they
 * must fault. If the load completes, the IPA it reached (AT S1E1R) must be
 * one it may read.
 */
void hz_op_walk(struct hz_cpu *c)
{
	extern u64 hz_ldrx(u64, u64);
	u64 *table = (u64 *)(HZ_JUNK + c->index * (HZ_JUNK_SIZE / HZ_MAX_CPUS));
	u64 va = 0xffff000000000000UL | (rnd(c) & GENMASK(47, 3));
	u64 tcr = read_sysreg(tcr_el1), ttbr1, par = 1;
	u32 how = rnd_below(c, 3);

	if (!c->mmu)
		return;
	if (how == 0) {
		ttbr1 = ALIGN_DOWN(hz_pick_ipa(c), PAGE_SIZE) & GENMASK(47, 12);
	} else {
		u64 next = ALIGN_DOWN(hz_pick_ipa(c), PAGE_SIZE) & GENMASK(47, 12);

		table[(va >> 39) & 511] = how == 1 ? next | DESC_TABLE : rnd(c);
		dsb(sy);
		ttbr1 = (u64)(uintptr_t)table;
	}
	c->tried[K_walk]++;
	write_sysreg(ttbr1, ttbr1_el1);
	write_sysreg(tcr & ~BIT(23), tcr_el1); /* EPD1 = 0: walk TTBR1 */
	isb();
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	hz_try(c, hz_ldrx, va, 0);
	if (!c->exc) {
		__asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(va));
		par = read_sysreg(par_el1);
	}
	write_sysreg(tcr, tcr_el1);
	write_sysreg(0, ttbr1_el1);
	isb();
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	if (c->exc) {
		c->faulted[K_walk]++;
		return;
	}
	/* PAR_EL1 from the walk it made: the IPA the load reached. */
	u64 ipa = (par & GENMASK(47, 12)) | (va & 0xfff);

	if (!(par & 1) && hz_region_range(ipa, 8) == R_FORBIDDEN)
		hz_finding(c, K_walk, "a load through TTBR1 0x%lx reached IPA 0x%lx (no slot)",
			   ttbr1, ipa);
}
