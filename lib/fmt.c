/* printf-style formatting (see include/fmt.h). Pure code: unit-tested on the
 * host against the C library's printf. */
#include "fmt.h"

struct out {
	fmt_sink sink;
	void *ctx;
	int count;
};

static void emit(struct out *o, char c)
{
	o->sink(o->ctx, c);
	o->count++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

struct spec {
	bool left;
	bool zero;
	int width;
};

static void emit_str(struct out *o, const struct spec *s, const char *str)
{
	int len = 0;

	if (!str)
		str = "(null)";
	while (str[len])
		len++;
	if (!s->left)
		pad(o, ' ', s->width - len);
	for (int i = 0; i < len; i++)
		emit(o, str[i]);
	if (s->left)
		pad(o, ' ', s->width - len);
}

static void emit_num(struct out *o, const struct spec *s, u64 v, unsigned base,
		     bool upper, bool negative, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0, plen = 0;

	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		prefix = "-";
	while (prefix && prefix[plen])
		plen++;

	int fill = s->width - n - plen;
	if (!s->left && !s->zero)
		pad(o, ' ', fill);
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	if (!s->left && s->zero)
		pad(o, '0', fill);
	while (n)
		emit(o, buf[--n]);
	if (s->left)
		pad(o, ' ', fill);
}

int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { .sink = sink, .ctx = ctx };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			emit(&o, *fmt);
			continue;
		}
		struct spec s = { 0 };
		int longs = 0;

		for (fmt++;; fmt++) {
			if (*fmt == '-')
				s.left = true;
			else if (*fmt == '0')
				s.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			s.width = va_arg(ap, int);
			if (s.width < 0) {
				s.left = true;
				s.width = -s.width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			s.width = s.width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			longs += *fmt == 'z' ? 2 : 1;
			fmt++;
		}

		u64 v;
		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 sv = longs ? va_arg(ap, s64) : va_arg(ap, int);
			v = sv < 0 ? -(u64)sv : (u64)sv;
			emit_num(&o, &s, v, 10, false, sv < 0, NULL);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = longs ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			emit_num(&o, &s, v, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				 false, NULL);
			break;
		case 'p':
			v = (u64)(uintptr_t)va_arg(ap, void *);
			emit_num(&o, &s, v, 16, false, false, "0x");
			break;
		case 's':
			emit_str(&o, &s, va_arg(ap, const char *));
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };
			emit_str(&o, &s, c);
			break;
		}
		case '%':
			emit(&o, '%');
			break;
		case '\0':
			emit(&o, '%'); /* a lone '%' at the end stays visible */
			return o.count;
		default:
			/* Unknown conversion: show it rather than guess. */
			emit(&o, '%');
			emit(&o, *fmt);
			break;
		}
	}
	return o.count;
}

struct buf_ctx {
	char *buf;
	size_t size;
	size_t len;
};

static void buf_sink(void *ctx, char c)
{
	struct buf_ctx *b = ctx;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_ctx b = { .buf = buf, .size = size };
	int n = fmt_vformat(buf_sink, &b, fmt, ap);

	if (size)
		buf[MIN(b.len, size - 1)] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
