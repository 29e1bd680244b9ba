/*
 * The A64 load/store decoder (hyp/trap/insn.c) against the GNU assembler.
 *
 * Every instruction is written here as assembly text; its encoding comes
 * from tests/host/insn_table.h, which tests/host/gen_insn_table.sh makes by
 * assembling each text found as the first argument of ONE(), ONE_WB(),
 * TWO(), TWO_WB(), NO() or RAW() in this file, plus the immediate and
 * register sweeps the script writes itself. After adding a case, run the
 * script. The expected fields are worked out here, by hand, from the text.
 */
#include "errno.h"
#include "insn.h"
#include "unit.h"

/* What an instruction moves, apart from its registers and address. */
enum kind {
	K_STRB, K_STRH, K_STRW, K_STRX,
	K_LDRB, K_LDRH, K_LDRW, K_LDRX,
	K_LDRSB_W, K_LDRSB_X, K_LDRSH_W, K_LDRSH_X, K_LDRSW,
	K_STPW, K_STPX, K_LDPW, K_LDPX, K_LDPSW,
};

/* How the address and the base are formed (sweeps only). */
enum mode { M_OFFSET, M_PRE, M_POST };

static const struct kind_info {
	bool load;
	u8 size;
	bool sign_extend;
	bool dest64; /* stores: the register is an X register */
	u8 nregs;
} kinds[] = {
	[K_STRB] = { false, 1, false, false, 1 },
	[K_STRH] = { false, 2, false, false, 1 },
	[K_STRW] = { false, 4, false, false, 1 },
	[K_STRX] = { false, 8, false, true, 1 },
	[K_LDRB] = { true, 1, false, false, 1 },
	[K_LDRH] = { true, 2, false, false, 1 },
	[K_LDRW] = { true, 4, false, false, 1 },
	[K_LDRX] = { true, 8, false, true, 1 },
	[K_LDRSB_W] = { true, 1, true, false, 1 },
	[K_LDRSB_X] = { true, 1, true, true, 1 },
	[K_LDRSH_W] = { true, 2, true, false, 1 },
	[K_LDRSH_X] = { true, 2, true, true, 1 },
	[K_LDRSW] = { true, 4, true, true, 1 },
	[K_STPW] = { false, 4, false, false, 2 },
	[K_STPX] = { false, 8, false, true, 2 },
	[K_LDPW] = { true, 4, false, false, 2 },
	[K_LDPX] = { true, 8, false, true, 2 },
	[K_LDPSW] = { true, 4, true, true, 2 },
};

#include "insn_table.h"

/*
 * The register file: distinct values, so a wrong register shows in the
 * address. x9, x10 and x11 serve as index registers and hold values that
 * tell the extensions apart; x13 is a small base, for wrapping below zero.
 */
#define SP_VALUE 0x7ffe0000UL
#define X(n) (xr[(n)])
#define BASE(n) ((n) == 31 ? SP_VALUE : X(n))

static u64 xr[31];

static const struct insn_regs *regs(void)
{
	static struct insn_regs r = { .x = xr, .sp = SP_VALUE };

	for (unsigned n = 0; n < 31; n++)
		xr[n] = (u64)(n + 1) << 32 | n << 4;
	xr[9] = 0xfffffffffffffff8UL;  /* -8 as X or W; UXTW 0xfffffff8 */
	xr[10] = 0x0000000180000004UL; /* UXTW 0x80000004, SXTW negative */
	xr[11] = 3;
	xr[13] = 0x10;
	return &r;
}

static bool encoding(const char *text, u32 *word)
{
	for (size_t i = 0; i < ARRAY_SIZE(insn_named); i++) {
		if (!strcmp(insn_named[i].text, text)) {
			*word = insn_named[i].word;
			return true;
		}
	}
	printf("  \"%s\" is not in insn_table.h: run tests/host/gen_insn_table.sh\n",
	       text);
	return false;
}

/* Compares one field; prints the difference. */
static bool field(const char *text, const char *name, u64 got, u64 want)
{
	if (got == want)
		return true;
	printf("  %s: %s is 0x%" PRIx64 ", expected 0x%" PRIx64 "\n", text,
	       name, got, want);
	return false;
}

struct expect {
	enum kind kind;
	u8 rt[2];
	u8 rn;
	u64 address;
	bool writeback;
	u64 new_base;
};

/* Decodes word and checks every field that has a meaning for it. */
static bool check_decode(const char *text, u32 word, const struct expect *e)
{
	const struct kind_info *k = &kinds[e->kind];
	struct ldst o;
	int err = insn_decode_ldst(word, regs(), &o);
	bool ok = true;

	if (err) {
		printf("  %s (0x%08x): refused with %d\n", text, word, err);
		return false;
	}
	ok &= field(text, "load", o.load, k->load);
	ok &= field(text, "size", o.size, k->size);
	ok &= field(text, "sign_extend", o.sign_extend, k->sign_extend);
	ok &= field(text, "dest64", o.dest64, k->dest64);
	ok &= field(text, "nregs", o.nregs, k->nregs);
	ok &= field(text, "rt[0]", o.rt[0], e->rt[0]);
	if (k->nregs == 2)
		ok &= field(text, "rt[1]", o.rt[1], e->rt[1]);
	ok &= field(text, "rn", o.rn, e->rn);
	ok &= field(text, "address", o.address, e->address);
	ok &= field(text, "writeback", o.writeback, e->writeback);
	if (e->writeback)
		ok &= field(text, "new_base", o.new_base, e->new_base);
	return ok;
}

struct decode_case {
	const char *text;
	struct expect e;
};

#define ONE(text, k, t, n, addr) { text, { k, { t, 0 }, n, addr, false, 0 } }
#define ONE_WB(text, k, t, n, addr, nb) \
	{ text, { k, { t, 0 }, n, addr, true, nb } }
#define TWO(text, k, t1, t2, n, addr) \
	{ text, { k, { t1, t2 }, n, addr, false, 0 } }
#define TWO_WB(text, k, t1, t2, n, addr, nb) \
	{ text, { k, { t1, t2 }, n, addr, true, nb } }

static void run_cases(const struct decode_case *c, size_t n, int line)
{
	const char *first = NULL;
	unsigned bad = 0;
	u32 word;

	for (size_t i = 0; i < n; i++) {
		if (encoding(c[i].text, &word) &&
		    check_decode(c[i].text, word, &c[i].e))
			continue;
		if (!bad++)
			first = c[i].text;
	}
	if (bad)
		unit_fail(__FILE__, line, "%u of %zu decoded wrongly, first \"%s\"",
			  bad, n, first);
}

#define RUN_CASES(cases) run_cases(cases, ARRAY_SIZE(cases), __LINE__)

TEST(insn_unsigned_offset)
{
	regs();
	const struct decode_case cases[] = {
		ONE("strb w1, [x2]", K_STRB, 1, 2, X(2)),
		ONE("strb w1, [x2, #4095]", K_STRB, 1, 2, X(2) + 4095),
		ONE("strh w3, [x4, #8190]", K_STRH, 3, 4, X(4) + 8190),
		ONE("str w5, [x6, #16380]", K_STRW, 5, 6, X(6) + 16380),
		ONE("str x7, [x8, #32760]", K_STRX, 7, 8, X(8) + 32760),
		ONE("ldrb w1, [x2, #1]", K_LDRB, 1, 2, X(2) + 1),
		ONE("ldrh w1, [x2, #2]", K_LDRH, 1, 2, X(2) + 2),
		ONE("ldr w1, [x2, #4]", K_LDRW, 1, 2, X(2) + 4),
		ONE("ldr x1, [x2, #8]", K_LDRX, 1, 2, X(2) + 8),
		ONE("ldrb w30, [x29, #4095]", K_LDRB, 30, 29, X(29) + 4095),
		ONE("ldrh w0, [x30, #8190]", K_LDRH, 0, 30, X(30) + 8190),
		ONE("ldr w17, [x18, #16380]", K_LDRW, 17, 18, X(18) + 16380),
		ONE("ldr x19, [x20, #32760]", K_LDRX, 19, 20, X(20) + 32760),
		ONE("ldrsb w1, [x2, #4095]", K_LDRSB_W, 1, 2, X(2) + 4095),
		ONE("ldrsb x1, [x2, #7]", K_LDRSB_X, 1, 2, X(2) + 7),
		ONE("ldrsh w1, [x2, #8190]", K_LDRSH_W, 1, 2, X(2) + 8190),
		ONE("ldrsh x1, [x2, #6]", K_LDRSH_X, 1, 2, X(2) + 6),
		ONE("ldrsw x1, [x2, #16380]", K_LDRSW, 1, 2, X(2) + 16380),
		ONE("ldrsw x3, [x4]", K_LDRSW, 3, 4, X(4)),
	};

	RUN_CASES(cases);
}

TEST(insn_unscaled_and_unprivileged)
{
	regs();
	const struct decode_case cases[] = {
		ONE("ldur x1, [x2, #-256]", K_LDRX, 1, 2, X(2) - 256),
		ONE("ldur w1, [x2, #255]", K_LDRW, 1, 2, X(2) + 255),
		ONE("ldurb w1, [x2, #-1]", K_LDRB, 1, 2, X(2) - 1),
		ONE("ldurh w1, [x2, #3]", K_LDRH, 1, 2, X(2) + 3),
		ONE("ldursb w1, [x2, #-7]", K_LDRSB_W, 1, 2, X(2) - 7),
		ONE("ldursb x1, [x2, #-7]", K_LDRSB_X, 1, 2, X(2) - 7),
		ONE("ldursh w1, [x2, #-2]", K_LDRSH_W, 1, 2, X(2) - 2),
		ONE("ldursh x1, [x2, #1]", K_LDRSH_X, 1, 2, X(2) + 1),
		ONE("ldursw x1, [x2, #-4]", K_LDRSW, 1, 2, X(2) - 4),
		ONE("stur x1, [x2, #-8]", K_STRX, 1, 2, X(2) - 8),
		ONE("stur w1, [x2, #-256]", K_STRW, 1, 2, X(2) - 256),
		ONE("sturb w1, [x2, #255]", K_STRB, 1, 2, X(2) + 255),
		ONE("sturh w1, [x2, #-128]", K_STRH, 1, 2, X(2) - 128),
		/* Below address zero: the sum wraps. */
		ONE("ldur x0, [x13, #-256]", K_LDRX, 0, 13,
		    0xffffffffffffff10UL),
		/* Unprivileged forms: the same access, for a device. */
		ONE("ldtr x1, [x2, #-8]", K_LDRX, 1, 2, X(2) - 8),
		ONE("ldtrb w1, [x2, #255]", K_LDRB, 1, 2, X(2) + 255),
		ONE("ldtrsh w1, [x2]", K_LDRSH_W, 1, 2, X(2)),
		ONE("ldtrsw x1, [x2, #4]", K_LDRSW, 1, 2, X(2) + 4),
		ONE("sttrb w1, [x2, #-256]", K_STRB, 1, 2, X(2) - 256),
		ONE("sttr x1, [sp, #16]", K_STRX, 1, 31, SP_VALUE + 16),
	};

	RUN_CASES(cases);
}

TEST(insn_pre_and_post_index)
{
	regs();
	const struct decode_case cases[] = {
		ONE_WB("ldr x1, [x2, #8]!", K_LDRX, 1, 2, X(2) + 8, X(2) + 8),
		ONE_WB("ldr x1, [x2], #8", K_LDRX, 1, 2, X(2), X(2) + 8),
		ONE_WB("ldr x1, [x2, #-256]!", K_LDRX, 1, 2, X(2) - 256,
		       X(2) - 256),
		ONE_WB("ldr x1, [x2], #-256", K_LDRX, 1, 2, X(2), X(2) - 256),
		ONE_WB("ldr w1, [x2, #255]!", K_LDRW, 1, 2, X(2) + 255,
		       X(2) + 255),
		ONE_WB("ldrb w1, [x2], #-1", K_LDRB, 1, 2, X(2), X(2) - 1),
		ONE_WB("ldrh w1, [x2, #-2]!", K_LDRH, 1, 2, X(2) - 2, X(2) - 2),
		ONE_WB("ldrsb x1, [x2], #1", K_LDRSB_X, 1, 2, X(2), X(2) + 1),
		ONE_WB("ldrsb w1, [x2, #1]!", K_LDRSB_W, 1, 2, X(2) + 1,
		       X(2) + 1),
		ONE_WB("ldrsh x1, [x2, #-16]!", K_LDRSH_X, 1, 2, X(2) - 16,
		       X(2) - 16),
		ONE_WB("ldrsh w1, [x2], #16", K_LDRSH_W, 1, 2, X(2), X(2) + 16),
		ONE_WB("ldrsw x1, [x2], #-4", K_LDRSW, 1, 2, X(2), X(2) - 4),
		ONE_WB("str x1, [x2, #-16]!", K_STRX, 1, 2, X(2) - 16,
		       X(2) - 16),
		ONE_WB("str w1, [x2], #4", K_STRW, 1, 2, X(2), X(2) + 4),
		ONE_WB("strb w1, [x2, #255]!", K_STRB, 1, 2, X(2) + 255,
		       X(2) + 255),
		ONE_WB("strh w1, [x2], #-256", K_STRH, 1, 2, X(2), X(2) - 256),
		ONE_WB("str x30, [sp, #-16]!", K_STRX, 30, 31, SP_VALUE - 16,
		       SP_VALUE - 16),
		ONE_WB("ldr x30, [sp], #16", K_LDRX, 30, 31, SP_VALUE,
		       SP_VALUE + 16),
	};

	RUN_CASES(cases);
}

TEST(insn_register_offset)
{
	regs();
	const struct decode_case cases[] = {
		ONE("ldr x1, [x2, x11]", K_LDRX, 1, 2, X(2) + 3),
		ONE("ldr x1, [x2, x11, lsl #3]", K_LDRX, 1, 2, X(2) + 24),
		ONE("ldr w1, [x2, x11, lsl #2]", K_LDRW, 1, 2, X(2) + 12),
		ONE("ldrh w1, [x2, x11, lsl #1]", K_LDRH, 1, 2, X(2) + 6),
		ONE("ldrb w1, [x2, x11, lsl #0]", K_LDRB, 1, 2, X(2) + 3),
		ONE("ldrb w1, [x2, x11]", K_LDRB, 1, 2, X(2) + 3),
		ONE("ldr x1, [x2, x10]", K_LDRX, 1, 2, X(2) + 0x180000004UL),
		ONE("ldr x1, [x2, x9]", K_LDRX, 1, 2, X(2) - 8),
		ONE("ldr x1, [x2, w10, uxtw]", K_LDRX, 1, 2,
		    X(2) + 0x80000004UL),
		ONE("ldr x1, [x2, w10, uxtw #3]", K_LDRX, 1, 2,
		    X(2) + 0x400000020UL),
		ONE("ldr x1, [x2, w9, uxtw]", K_LDRX, 1, 2,
		    X(2) + 0xfffffff8UL),
		ONE("ldr x1, [x2, w10, sxtw]", K_LDRX, 1, 2,
		    X(2) + 0xffffffff80000004UL),
		ONE("ldr w1, [x2, w10, sxtw #2]", K_LDRW, 1, 2,
		    X(2) + 0xfffffffe00000010UL),
		ONE("ldr x1, [x2, w9, sxtw]", K_LDRX, 1, 2, X(2) - 8),
		ONE("ldr x1, [x2, x9, sxtx]", K_LDRX, 1, 2, X(2) - 8),
		ONE("ldr x1, [x2, x9, sxtx #3]", K_LDRX, 1, 2, X(2) - 64),
		ONE("ldr x1, [x2, x10, sxtx]", K_LDRX, 1, 2,
		    X(2) + 0x180000004UL),
		ONE("ldrsw x1, [x2, w9, sxtw #2]", K_LDRSW, 1, 2, X(2) - 32),
		ONE("ldrsh x1, [x2, x11, lsl #1]", K_LDRSH_X, 1, 2, X(2) + 6),
		ONE("ldrsh w1, [x2, w9, sxtw #1]", K_LDRSH_W, 1, 2, X(2) - 16),
		ONE("ldrsb w1, [x2, w10, uxtw]", K_LDRSB_W, 1, 2,
		    X(2) + 0x80000004UL),
		ONE("ldrsb x1, [x2, x9, sxtx #0]", K_LDRSB_X, 1, 2, X(2) - 8),
		ONE("str x1, [x2, x11, lsl #3]", K_STRX, 1, 2, X(2) + 24),
		ONE("strb w1, [x2, w9, sxtw]", K_STRB, 1, 2, X(2) - 8),
		ONE("strh w1, [x2, w10, uxtw #1]", K_STRH, 1, 2,
		    X(2) + 0x100000008UL),
		ONE("str w1, [sp, x11, lsl #2]", K_STRW, 1, 31, SP_VALUE + 12),
		/* Rm = 31 is the zero register, not SP. */
		ONE("ldr x1, [x2, xzr]", K_LDRX, 1, 2, X(2)),
		ONE("ldr x1, [x2, wzr, sxtw #3]", K_LDRX, 1, 2, X(2)),
	};

	RUN_CASES(cases);
}

TEST(insn_pairs)
{
	regs();
	const struct decode_case cases[] = {
		TWO("ldp w1, w2, [x3]", K_LDPW, 1, 2, 3, X(3)),
		TWO("ldp w1, w2, [x3, #252]", K_LDPW, 1, 2, 3, X(3) + 252),
		TWO("ldp w1, w2, [x3, #-256]", K_LDPW, 1, 2, 3, X(3) - 256),
		TWO("ldp x1, x2, [x3, #504]", K_LDPX, 1, 2, 3, X(3) + 504),
		TWO("ldp x1, x2, [x3, #-512]", K_LDPX, 1, 2, 3, X(3) - 512),
		TWO_WB("ldp x1, x2, [x3, #-16]!", K_LDPX, 1, 2, 3, X(3) - 16,
		       X(3) - 16),
		TWO_WB("ldp x1, x2, [x3], #16", K_LDPX, 1, 2, 3, X(3),
		       X(3) + 16),
		TWO_WB("ldp w1, w2, [x3, #4]!", K_LDPW, 1, 2, 3, X(3) + 4,
		       X(3) + 4),
		TWO_WB("ldp w1, w2, [x3], #-4", K_LDPW, 1, 2, 3, X(3),
		       X(3) - 4),
		TWO("stp w1, w2, [x3, #-4]", K_STPW, 1, 2, 3, X(3) - 4),
		TWO("stp x4, x5, [x6, #8]", K_STPX, 4, 5, 6, X(6) + 8),
		TWO_WB("stp w1, w2, [x3], #252", K_STPW, 1, 2, 3, X(3),
		       X(3) + 252),
		TWO_WB("stp x1, x2, [x3, #-512]!", K_STPX, 1, 2, 3, X(3) - 512,
		       X(3) - 512),
		TWO_WB("stp x29, x30, [sp, #-16]!", K_STPX, 29, 30, 31,
		       SP_VALUE - 16, SP_VALUE - 16),
		TWO_WB("ldp x29, x30, [sp], #16", K_LDPX, 29, 30, 31, SP_VALUE,
		       SP_VALUE + 16),
		TWO("ldp x7, x0, [x30, #-8]", K_LDPX, 7, 0, 30, X(30) - 8),
	};

	RUN_CASES(cases);
}

TEST(insn_ldpsw_and_no_allocate_pairs)
{
	regs();
	const struct decode_case cases[] = {
		TWO("ldpsw x1, x2, [x3]", K_LDPSW, 1, 2, 3, X(3)),
		TWO("ldpsw x1, x2, [x3, #-256]", K_LDPSW, 1, 2, 3, X(3) - 256),
		TWO_WB("ldpsw x1, x2, [x3, #252]!", K_LDPSW, 1, 2, 3,
		       X(3) + 252, X(3) + 252),
		TWO_WB("ldpsw x1, x2, [x3], #-4", K_LDPSW, 1, 2, 3, X(3),
		       X(3) - 4),
		TWO("ldnp w1, w2, [x3, #-4]", K_LDPW, 1, 2, 3, X(3) - 4),
		TWO("ldnp x1, x2, [x3, #504]", K_LDPX, 1, 2, 3, X(3) + 504),
		TWO("stnp w1, w2, [x3, #252]", K_STPW, 1, 2, 3, X(3) + 252),
		TWO("stnp x1, x2, [x3, #-512]", K_STPX, 1, 2, 3, X(3) - 512),
		TWO("ldnp x1, x2, [sp]", K_LDPX, 1, 2, 31, SP_VALUE),
	};

	RUN_CASES(cases);
}

TEST(insn_sp_base_and_zero_register)
{
	regs();
	const struct decode_case cases[] = {
		ONE("ldr x0, [sp]", K_LDRX, 0, 31, SP_VALUE),
		ONE("ldr xzr, [x1]", K_LDRX, 31, 1, X(1)),
		ONE("ldr wzr, [sp, #4]", K_LDRW, 31, 31, SP_VALUE + 4),
		ONE("str xzr, [sp, #8]", K_STRX, 31, 31, SP_VALUE + 8),
		ONE("strb wzr, [x1, #1]", K_STRB, 31, 1, X(1) + 1),
		ONE("ldursw xzr, [sp, #-4]", K_LDRSW, 31, 31, SP_VALUE - 4),
		ONE_WB("str wzr, [sp, #-4]!", K_STRW, 31, 31, SP_VALUE - 4,
		       SP_VALUE - 4),
		ONE_WB("ldrsb xzr, [x5], #3", K_LDRSB_X, 31, 5, X(5), X(5) + 3),
		TWO("stp xzr, xzr, [sp]", K_STPX, 31, 31, 31, SP_VALUE),
		TWO("ldp xzr, x1, [sp, #16]", K_LDPX, 31, 1, 31, SP_VALUE + 16),
		TWO("stp wzr, w1, [x30]", K_STPW, 31, 1, 30, X(30)),
		TWO_WB("ldp w0, wzr, [sp], #8", K_LDPW, 0, 31, 31, SP_VALUE,
		       SP_VALUE + 8),
		/* Rn = 30 is x30, the highest general register. */
		ONE("ldr x30, [x30]", K_LDRX, 30, 30, X(30)),
		ONE("ldr x0, [x0, #8]", K_LDRX, 0, 0, X(0) + 8),
	};

	RUN_CASES(cases);
}

/*
 * Refused: no data abort the hypervisor emulates comes from these, but the
 * word fetched after an abort is whatever the guest's memory holds.
 */
#define NO(text) text

static void run_refused(const char *const *texts, size_t n, int line)
{
	const char *first = NULL;
	unsigned bad = 0;
	struct ldst o;
	u32 word;

	for (size_t i = 0; i < n; i++) {
		int err = -EINVAL;

		if (encoding(texts[i], &word)) {
			err = insn_decode_ldst(word, regs(), &o);
			if (err == -EINVAL)
				continue;
			printf("  %s (0x%08x): returned %d (load %d, size %u, rt %u, rn %u)\n",
			       texts[i], word, err, o.load, o.size, o.rt[0],
			       o.rn);
		}
		if (!bad++)
			first = texts[i];
	}
	if (bad)
		unit_fail(__FILE__, line, "%u of %zu not refused, first \"%s\"",
			  bad, n, first);
}

#define RUN_REFUSED(texts) run_refused(texts, ARRAY_SIZE(texts), __LINE__)

TEST(insn_refuses_exclusives_and_atomics)
{
	static const char *const texts[] = {
		NO("ldxr x0, [x1]"),
		NO("ldxrb w0, [x1]"),
		NO("stxr w2, x0, [x1]"),
		NO("ldaxr x0, [x1]"),
		NO("stlxr w2, w0, [x1]"),
		NO("ldxp x0, x1, [x2]"),
		NO("stxp w3, x0, x1, [x2]"),
		NO("ldar x0, [x1]"),
		NO("stlr w0, [x1]"),
		NO("ldlar x0, [x1]"),
		NO("ldadd x0, x1, [x2]"),
		NO("ldaddal w0, w1, [x2]"),
		NO("ldclrb w0, w1, [x2]"),
		NO("ldeorh w0, w1, [x2]"),
		NO("ldset x0, x1, [sp]"),
		NO("ldsmax x0, x1, [x2]"),
		NO("ldumin w0, w1, [x2]"),
		NO("stadd x0, [x2]"),
		NO("swp x0, x1, [x2]"),
		NO("swpal w0, w1, [x2]"),
		NO("cas x0, x1, [x2]"),
		NO("casal w0, w1, [x2]"),
		NO("casb w0, w1, [x2]"),
		NO("casp x0, x1, x2, x3, [x4]"),
		NO("ldapr x0, [x1]"),
		NO("ldaprb w0, [x1]"),
		NO("ldapur x0, [x1, #-3]"),
		NO("stlur w0, [x1, #4]"),
		NO("ld64b x0, [x1]"),
		NO("st64b x0, [x1]"),
		NO("ldraa x0, [x1]"),
		NO("ldrab x0, [x1, #8]!"),
	};

	RUN_REFUSED(texts);
}

TEST(insn_refuses_simd_literal_prefetch_and_tags)
{
	static const char *const texts[] = {
		NO("ldr q0, [x1]"),
		NO("ldr d0, [x1, #8]"),
		NO("ldr s0, [x1]"),
		NO("ldr h0, [x1]"),
		NO("ldr b0, [x1]"),
		NO("str q0, [x1, #16]!"),
		NO("ldur q0, [x1, #-1]"),
		NO("ldr d0, [x1, x2, lsl #3]"),
		NO("ldp q0, q1, [x2]"),
		NO("ldp d0, d1, [x2], #16"),
		NO("stp s0, s1, [sp, #-8]!"),
		NO("ldnp q0, q1, [x2]"),
		NO("ld1 {v0.16b}, [x0]"),
		NO("ld1r {v0.4s}, [x0]"),
		NO("ldr x0, .+8"),
		NO("ldr w0, .-4"),
		NO("ldrsw x0, ."),
		NO("ldr q0, ."),
		NO("prfm pldl1keep, ."),
		NO("prfm pldl1keep, [x0]"),
		NO("prfm pstl2strm, [x0, #32760]"),
		NO("prfum pldl1keep, [x0, #-1]"),
		NO("prfm pldl1keep, [x0, x1, lsl #3]"),
		NO("ldg x0, [x1]"),
		NO("stg x0, [x1, #16]"),
		NO("stzg x0, [x1], #16"),
		NO("stgp x0, x1, [x2]"),
		NO("stgp x0, x1, [x2, #16]!"),
	};

	RUN_REFUSED(texts);
}

/* Bits 29:27 as in the load/store classes, bit 25 set: data processing. */
TEST(insn_refuses_data_processing)
{
	static const char *const texts[] = {
		NO("adcs x0, x1, x2"),
		NO("adcs w0, w1, w2"),
		NO("sbcs x0, x1, x2"),
		NO("ccmp x1, x2, #0, eq"),
		NO("ccmp w1, #3, #4, ne"),
		NO("ccmn x1, #31, #15, al"),
		NO("rmif x0, #3, #2"),
		NO("setf8 w1"),
		NO("setf16 w1"),
		NO("subps x0, x1, x2"),
		NO("adds x0, x1, x2"),
		NO("ands x0, x1, x2, lsl #3"),
		NO("bics w0, w1, w2"),
		NO("nop"),
		NO("udf #0"),
	};

	RUN_REFUSED(texts);
}

/*
 * Unallocated encodings the assembler will not write: an assembled word
 * with one field changed.
 */
struct raw_case {
	const char *text;
	u32 clear, set;
	const char *what;
};

#define RAW(text, clear, set, what) { text, clear, set, what }

TEST(insn_refuses_unallocated)
{
	static const struct raw_case cases[] = {
		RAW("ldr x1, [x2]", 3u << 22, 3u << 22, "size 11, opc 11"),
		RAW("str w1, [x2]", 3u << 22, 3u << 22, "size 10, opc 11"),
		RAW("ldrsw x1, [x2]", 3u << 22, 3u << 22,
		    "size 10, opc 11 (LDRSW to W)"),
		RAW("ldursw x1, [x2, #-4]", 3u << 22, 3u << 22,
		    "unscaled, size 10, opc 11"),
		RAW("ldrsw x1, [x2], #4", 3u << 22, 3u << 22,
		    "post-index, size 10, opc 11"),
		RAW("ldrsw x1, [x2, x3]", 3u << 22, 3u << 22,
		    "register offset, size 10, opc 11"),
		RAW("ldtrsw x1, [x2]", 3u << 22, 3u << 22,
		    "unprivileged, size 10, opc 11"),
		RAW("ldr x1, [x2], #8", 3u << 22, 3u << 22,
		    "post-index, size 11, opc 11"),
		RAW("ldr x1, [x2, #8]!", 3u << 22, 2u << 22,
		    "pre-index, size 11, opc 10 (no PRFM form)"),
		RAW("ldtr x1, [x2]", 3u << 22, 2u << 22,
		    "unprivileged, size 11, opc 10"),
		RAW("ldr x1, [x2, x3]", 7u << 13, 0u << 13, "option 000"),
		RAW("ldr x1, [x2, x3]", 7u << 13, 1u << 13, "option 001"),
		RAW("ldr x1, [x2, x3]", 7u << 13, 4u << 13, "option 100"),
		RAW("ldr x1, [x2, x3]", 7u << 13, 5u << 13, "option 101"),
		RAW("ldp x1, x2, [x3]", 3u << 30, 3u << 30, "pair opc 11"),
		RAW("stp x1, x2, [x3, #16]!", 3u << 30, 3u << 30,
		    "pair opc 11, pre-index"),
		RAW("ldnp w1, w2, [x3]", 3u << 30, 1u << 30,
		    "no-allocate pair opc 01 (no LDNPSW)"),
		RAW("stnp w1, w2, [x3]", 3u << 30, 1u << 30,
		    "no-allocate pair opc 01, store"),
		RAW("ldnp x1, x2, [x3]", 3u << 30, 3u << 30,
		    "no-allocate pair opc 11"),
	};
	const char *first = NULL;
	unsigned bad = 0;
	struct ldst o;
	u32 word;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct raw_case *c = &cases[i];
		int err = -EINVAL;

		if (encoding(c->text, &word)) {
			word = (word & ~c->clear) | c->set;
			err = insn_decode_ldst(word, regs(), &o);
			if (err == -EINVAL)
				continue;
			printf("  %s with %s (0x%08x): returned %d\n", c->text,
			       c->what, word, err);
		}
		if (!bad++)
			first = c->what;
	}
	if (bad)
		unit_fail(__FILE__, __LINE__, "%u of %zu not refused, first %s",
			  bad, ARRAY_SIZE(cases), first);
}

/* The generated sweeps: every imm9 and imm7, imm12 at the edges, every
 * register as Rt and Rn, in each kind and mode. */
TEST(insn_assembler_sweeps)
{
	const char *first = NULL;
	unsigned bad = 0;

	regs();
	for (size_t i = 0; i < ARRAY_SIZE(insn_sweeps); i++) {
		const struct insn_sweep *s = &insn_sweeps[i];
		u64 base = BASE(s->rn);
		struct expect e = {
			.kind = s->kind,
			.rt = { s->rt, s->rt2 },
			.rn = s->rn,
			.address = s->mode == M_POST ? base : base + s->imm,
			.writeback = s->mode != M_OFFSET,
			.new_base = base + s->imm,
		};

		if (check_decode(s->text, s->word, &e))
			continue;
		if (!bad++)
			first = s->text;
	}
	if (bad)
		unit_fail(__FILE__, __LINE__, "%u of %zu decoded wrongly, first \"%s\"",
			  bad, ARRAY_SIZE(insn_sweeps), first);
	CHECK(ARRAY_SIZE(insn_sweeps) > 1000);
}
