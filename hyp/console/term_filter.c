/* A VM's output against the operator's terminal (see term_filter.h). The
 * dangerous part of a terminal is its control functions (ECMA-48): C0
 * bytes, ESC sequences (CSI cursor moves and erases, OSC titles and
 * clipboard, DCS), and the C1 controls, which a terminal takes as raw
 * bytes 0x80-0x9f in an 8-bit locale or as U+0080-U+009F in UTF-8. */
#include "term_filter.h"

enum { TF_TEXT, TF_ESC, TF_CSI, TF_UTF8 };

#define ESC 0x1b

static const char hex[] = "0123456789abcdef";

static void out_str(term_out out, void *ctx, const char *s)
{
	while (*s)
		out(ctx, *s++);
}

/* A byte shown instead of sent: ^X for C0 and DEL, \xHH above. */
static void show(struct term_filter *f, u8 c, term_out out, void *ctx)
{
	if (c < 0x20 || c == 0x7f) {
		out(ctx, '^');
		out(ctx, c == 0x7f ? '?' : (char)(c + 0x40));
		f->col += 2;
	} else if (c >= 0x80) {
		out(ctx, '\\');
		out(ctx, 'x');
		out(ctx, hex[c >> 4]);
		out(ctx, hex[c & 0xf]);
		f->col += 4;
	} else {
		out(ctx, (char)c);
		f->col++;
	}
}

/* Shows what is held (an escape sequence refused, UTF-8 malformed). */
static void show_held(struct term_filter *f, term_out out, void *ctx)
{
	for (u8 i = 0; i < f->len; i++)
		show(f, (u8)f->seq[i], out, ctx);
	f->len = 0;
	f->state = TF_TEXT;
}

static void send_held(struct term_filter *f, term_out out, void *ctx)
{
	for (u8 i = 0; i < f->len; i++)
		out(ctx, f->seq[i]);
	f->len = 0;
	f->state = TF_TEXT;
}

static void hold(struct term_filter *f, char c)
{
	f->seq[f->len++] = c;
}

/* SGR (ESC [ params m) with plain numeric parameters: colours and
 * attributes, which act on the text that follows and nothing else. */
static bool is_sgr(const struct term_filter *f)
{
	if (f->seq[f->len - 1] != 'm')
		return false;
	for (u8 i = 2; i < f->len - 1; i++) {
		char p = f->seq[i];

		if (!(p >= '0' && p <= '9') && p != ';' && p != ':')
			return false;
	}
	return true;
}

/* ESC [ K, ESC [ 0 K, ESC [ J, ESC [ 0 J: erase from the cursor rightwards
 * (and the rows below, which are blank: nothing can move the cursor up).
 * The cursor never stands left of the VM's own text, so they erase only
 * that: a shell's line editing (busybox sends ESC [ J after a backspace). */
static bool is_erase_right(const struct term_filter *f)
{
	char final = f->seq[f->len - 1];

	return (final == 'K' || final == 'J') &&
	       (f->len == 3 || (f->len == 4 && f->seq[2] == '0'));
}

/* ESC [ n D: the cursor n columns left (n empty or 0: 1), which passes
 * while it stays within the VM's own text on the line, as a backspace. */
static bool cursor_left(struct term_filter *f)
{
	u32 n = 0;

	if (f->seq[f->len - 1] != 'D')
		return false;
	for (u8 i = 2; i < f->len - 1; i++) {
		if (f->seq[i] < '0' || f->seq[i] > '9' || n > 10000)
			return false;
		n = n * 10 + (u32)(f->seq[i] - '0');
	}
	n = n ? n : 1;
	if (n > f->col)
		return false;
	f->col -= n;
	return true;
}

/* ESC [ 6 n: the terminal answers by typing ESC [ row ; col R, which goes
 * to the VM with input focus: only that VM may ask (busybox does, at each
 * prompt). */
static bool is_position_query(const struct term_filter *f)
{
	return f->len == 4 && f->seq[2] == '6' && f->seq[3] == 'n';
}

/* The well-formed UTF-8 table (Unicode 15, table 3-7), except that after
 * 0xc2 only 0xa0-0xbf may follow: 0xc2 0x80-0x9f are the C1 controls. */
static bool utf8_lead(struct term_filter *f, u8 c)
{
	f->lo = 0x80;
	f->hi = 0xbf;
	if (c == 0xc2) {
		f->lo = 0xa0;
		f->need = 1;
	} else if (c >= 0xc3 && c <= 0xdf) {
		f->need = 1;
	} else if (c >= 0xe0 && c <= 0xef) {
		f->need = 2;
		if (c == 0xe0)
			f->lo = 0xa0; /* no overlong forms */
		if (c == 0xed)
			f->hi = 0x9f; /* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		f->need = 3;
		if (c == 0xf0)
			f->lo = 0x90;
		if (c == 0xf4)
			f->hi = 0x8f; /* nothing above U+10FFFF */
	} else {
		return false; /* stray continuation, 0xc0, 0xc1, 0xf5-0xff */
	}
	return true;
}

static void text_byte(struct term_filter *f, u8 c, term_out out, void *ctx)
{
	if (c == ESC) {
		f->state = TF_ESC;
		hold(f, (char)c);
	} else if (c == '\n') {
		if (f->styled)
			out_str(out, ctx, "\x1b[0m");
		f->styled = false;
		f->col = 0;
		out(ctx, '\n');
	} else if (c == '\t') {
		out(ctx, '\t'); /* forward only; counts no column */
	} else if (c == '\b') {
		/* Back over the VM's own text only, never into its tag. */
		if (f->col) {
			f->col--;
			out(ctx, '\b');
		} else {
			show(f, c, out, ctx);
		}
	} else if (c >= 0x80) {
		if (utf8_lead(f, c)) {
			f->state = TF_UTF8;
			hold(f, (char)c);
		} else {
			show(f, c, out, ctx);
		}
	} else if (c < 0x20 || c == 0x7f) {
		show(f, c, out, ctx);
	} else {
		out(ctx, (char)c);
		f->col++;
	}
}

void term_filter_putc(struct term_filter *f, char ch, term_out out, void *ctx)
{
	u8 c = (u8)ch;

	switch (f->state) {
	case TF_ESC:
		if (c == '[') {
			hold(f, ch);
			f->state = TF_CSI;
			return;
		}
		show_held(f, out, ctx); /* OSC, DCS, bare ESC, ...: shown */
		break;
	case TF_CSI:
		if (c >= 0x20 && c <= 0x3f && f->len < TERM_SEQ_MAX - 1) {
			hold(f, ch); /* parameter and intermediate bytes */
			return;
		}
		if (c >= 0x40 && c <= 0x7e) {
			hold(f, ch); /* the final byte */
			if (is_sgr(f)) {
				f->styled = true;
				send_held(f, out, ctx);
			} else if (is_erase_right(f) || cursor_left(f) ||
				   (f->focused && is_position_query(f))) {
				send_held(f, out, ctx);
			} else {
				show_held(f, out, ctx);
			}
			return;
		}
		show_held(f, out, ctx); /* cut short, or too long */
		break;
	case TF_UTF8:
		if (c >= f->lo && c <= f->hi) {
			hold(f, ch);
			f->lo = 0x80;
			f->hi = 0xbf;
			if (--f->need == 0)
				send_held(f, out, ctx);
			return;
		}
		show_held(f, out, ctx);
		break;
	}
	text_byte(f, c, out, ctx);
}

void term_filter_end_line(struct term_filter *f, term_out out, void *ctx)
{
	if (f->styled)
		out_str(out, ctx, "\x1b[0m");
	f->styled = false;
	f->col = 0;
}

void term_filter_flush(struct term_filter *f, term_out out, void *ctx)
{
	if (f->state != TF_TEXT)
		show_held(f, out, ctx);
	term_filter_end_line(f, out, ctx);
}
