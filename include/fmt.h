/* A small printf-style formatter with no dependencies, shared by the
 * hypervisor, the host tools and the guests. Supports %d %i %u %x %X %p %s %c
 * and %%, the flags '-' and '0', a width (or '*'), and the length modifiers
 * l, ll and z. */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>
#include "types.h"

typedef void (*fmt_sink)(void *ctx, char c);

/* Formats into sink, one character at a time; returns the characters made. */
int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/* Like snprintf: always NUL-terminates when size > 0; returns the length the
 * whole result would have had. */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
