/*
 * A libFuzzer target over the ESR decoding into words (hyp/trap/esr.c): any
 * syndrome and fault status, into buffers of 0 to 200 bytes allocated to
 * exactly that size, so AddressSanitizer sees a write one byte past.
 *
 * Each call must return its buffer, NUL-terminate it when it has room for
 * anything, and write only printable ASCII: the text as it would be in a
 * large buffer, cut to fit. esr_class_name must give printable text.
 *
 * Input: the ESR (8 bytes), the buffer size (1 byte, taken modulo 201),
 * the fault status code (4 bytes); missing bytes are zero.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esr.h"

#define MAX_SIZE 200
#define WHOLE 512 /* more than any description */

static u64 esr;
static u32 fsc;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz_esr: esr 0x%lx, fsc 0x%x: ", esr, fsc);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static void check_printable(const char *what, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			fail("%s: byte %zu is 0x%02x", what, i, (u8)s[i]);
}

/* The whole text, in a buffer with room to spare. */
static size_t whole(const char *what, const char *got, const char *buf)
{
	size_t len = strnlen(buf, WHOLE);

	if (got != buf)
		fail("%s: did not return its buffer", what);
	if (len >= WHOLE - 1)
		fail("%s: %zu characters, no room left", what, len);
	check_printable(what, buf, len);
	return len;
}

/* The same text in size bytes: the whole one, cut to fit. */
static void cut(const char *what, const char *got, const char *buf,
		size_t size, const char *full, size_t full_len)
{
	size_t len, want;

	if (got != buf)
		fail("%s, %zu bytes: did not return its buffer", what, size);
	if (!size)
		return;
	want = full_len < size - 1 ? full_len : size - 1;
	len = strnlen(buf, size);
	if (len == size)
		fail("%s, %zu bytes: not NUL-terminated", what, size);
	check_printable(what, buf, len);
	if (len != want || memcmp(buf, full, len))
		fail("%s, %zu bytes: \"%s\", not the first %zu of \"%s\"",
		     what, size, buf, want, full);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t n);

int LLVMFuzzerTestOneInput(const u8 *data, size_t n)
{
	char full[WHOLE];
	size_t size = 0, full_len;
	const char *name;
	char *buf;

	esr = 0;
	fsc = 0;
	for (size_t i = 0; i < 8 && i < n; i++)
		esr |= (u64)data[i] << (8 * i);
	if (n > 8)
		size = data[8] % (MAX_SIZE + 1);
	for (size_t i = 9; i < 13 && i < n; i++)
		fsc |= (u32)data[i] << (8 * (i - 9));

	name = esr_class_name(esr);
	if (!name || !*name)
		fail("esr_class_name: no name");
	check_printable("esr_class_name", name, strnlen(name, WHOLE));

	/* Exactly size bytes: malloc(0) too, which ASan treats as empty. */
	buf = malloc(size);
	if (!buf)
		abort();

	memset(full, 0x7f, sizeof(full));
	full_len = whole("esr_describe", esr_describe(esr, full, WHOLE), full);
	memset(buf, 0x7f, size);
	cut("esr_describe", esr_describe(esr, buf, size), buf, size, full,
	    full_len);

	memset(full, 0x7f, sizeof(full));
	full_len = whole("fault_status_name",
			 fault_status_name(fsc, full, WHOLE), full);
	memset(buf, 0x7f, size);
	cut("fault_status_name", fault_status_name(fsc, buf, size), buf, size,
	    full, full_len);

	free(buf);
	return 0;
}
