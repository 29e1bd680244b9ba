/* The console's terminal filter: what a VM's bytes become on the operator's
 * terminal (hyp/console/term_filter.c). */
#include "term_filter.h"
#include "unit.h"

struct sink {
	char buf[512];
	size_t len;
};

static void sink_out(void *ctx, char c)
{
	struct sink *s = ctx;

	if (s->len + 1 < sizeof(s->buf))
		s->buf[s->len++] = c;
	s->buf[s->len] = 0;
}

/* What the terminal gets for in, from a fresh filter. */
static const char *filtered(struct sink *s, const char *in, size_t n)
{
	struct term_filter f = { 0 };

	s->len = 0;
	s->buf[0] = 0;
	for (size_t i = 0; i < n; i++)
		term_filter_putc(&f, in[i], sink_out, s);
	return s->buf;
}

#define F(s, lit) filtered(s, lit, sizeof(lit) - 1)

TEST(term_filter_text_passes)
{
	struct sink s;

	CHECK_STR(F(&s, "hello, world\tx\n"), "hello, world\tx\n");
	CHECK_STR(F(&s, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"),
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n");
}

TEST(term_filter_sgr_passes_and_resets_at_end_of_line)
{
	struct sink s;

	CHECK_STR(F(&s, "\x1b[1;31mred\x1b[0m\n"), "\x1b[1;31mred\x1b[0m\x1b[0m\n");
	CHECK_STR(F(&s, "\x1b[38:5:196mx\n"), "\x1b[38:5:196mx\x1b[0m\n");
	CHECK_STR(F(&s, "plain\n"), "plain\n");
}

TEST(term_filter_cursor_erase_title_shown)
{
	struct sink s;

	CHECK_STR(F(&s, "\x1b[1G[pulse] y\n"), "^[[1G[pulse] y\n");
	CHECK_STR(F(&s, "\x1b[A\x1b[2J\x1b[2K\x1b[1K\x1b[?25l\x1b[6n"),
		  "^[[A^[[2J^[[2K^[[1K^[[?25l^[[6n");
	CHECK_STR(F(&s, "\x1b]0;x\x07"), "^[]0;x^G");
	CHECK_STR(F(&s, "\x1bPq#0\x1b\\"), "^[Pq#0^[\\");
	CHECK_STR(F(&s, "\x1b"), ""); /* held until it is known */
	CHECK_STR(F(&s, "\x1b" "c"), "^[c");
	CHECK_STR(F(&s, "\x1b[31;1Hx"), "^[[31;1Hx");
	CHECK_STR(F(&s, "\x1b[?1m"), "^[[?1m"); /* private: not SGR */
	CHECK_STR(F(&s, "\x1b[1\x07m"), "^[[1^Gm");
}

TEST(term_filter_c1_and_bad_utf8_shown)
{
	struct sink s;

	CHECK_STR(F(&s, "\x9b" "1G"), "\\x9b1G");
	CHECK_STR(F(&s, "\xc2\x9b" "1G"), "\\xc2\\x9b1G");
	CHECK_STR(F(&s, "\xc0\x9b"), "\\xc0\\x9b");
	CHECK_STR(F(&s, "\xe0\x82\x9b"), "\\xe0\\x82\\x9b");
	CHECK_STR(F(&s, "\xc3" "A"), "\\xc3A");
	CHECK_STR(F(&s, "\x7f\r\x01"), "^?^M^A");
}

TEST(term_filter_backspace_stays_in_own_text)
{
	struct sink s;

	CHECK_STR(F(&s, "ab\b\b\b"), "ab\b\b^H");
	CHECK_STR(F(&s, "\b[pulse] y"), "^H[pulse] y");
	/* UTF-8 and tabs count no column: no backing over the tag with them. */
	CHECK_STR(F(&s, "\xc3\xa9\t\b"), "\xc3\xa9\t^H");
}

TEST(term_filter_long_sequence_shown)
{
	struct sink s;
	char in[64], want[128];
	size_t n = 0, w = 0;

	in[n++] = 0x1b;
	in[n++] = '[';
	want[w++] = '^';
	want[w++] = '[';
	want[w++] = '[';
	while (n < 40) {
		in[n++] = '1';
		want[w++] = '1';
	}
	in[n++] = 'm';
	want[w++] = 'm';
	want[w] = 0;
	CHECK_STR(filtered(&s, in, n), want);
}

TEST(term_filter_end_line_resets_and_flush_shows_held)
{
	struct sink s = { .len = 0 };
	struct term_filter f = { 0 };

	for (const char *p = "\x1b[32mgo"; *p; p++)
		term_filter_putc(&f, *p, sink_out, &s);
	term_filter_end_line(&f, sink_out, &s);
	CHECK_STR(s.buf, "\x1b[32mgo\x1b[0m");
	s.len = 0;
	term_filter_putc(&f, 0x1b, sink_out, &s);
	term_filter_putc(&f, '[', sink_out, &s);
	term_filter_flush(&f, sink_out, &s);
	CHECK_STR(s.buf, "^[[");
}

TEST(term_filter_line_editing_within_own_text)
{
	struct sink s;

	/* busybox's backspace: BS then erase to the end of the screen. */
	CHECK_STR(F(&s, "abcd\b\x1b[J\b\x1b[0JXY"), "abcd\b\x1b[J\b\x1b[0JXY");
	CHECK_STR(F(&s, "ab\x1b[K"), "ab\x1b[K");
	/* Left by n while n columns of its own text are there. */
	CHECK_STR(F(&s, "abcdef\x1b[6D\x1b[DX"), "abcdef\x1b[6D^[[DX");
	CHECK_STR(F(&s, "ab\x1b[3D"), "ab^[[3D");
	CHECK_STR(F(&s, "ab\x1b[0D\x1b[D\x1b[D"), "ab\x1b[0D\x1b[D^[[D");
	CHECK_STR(F(&s, "\x1b[C\x1b[5C"), "^[[C^[[5C"); /* right: no */
}

TEST(term_filter_position_query_only_with_focus)
{
	struct sink s = { .len = 0 };
	struct term_filter f = { .focused = true };

	for (const char *p = "/ # \x1b[6n"; *p; p++)
		term_filter_putc(&f, *p, sink_out, &s);
	CHECK_STR(s.buf, "/ # \x1b[6n");
	CHECK_STR(F(&s, "/ # \x1b[6n"), "/ # ^[[6n"); /* no focus: shown */
}
