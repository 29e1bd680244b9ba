/* The formatter against the host C library's printf. */
#include <stdarg.h>
#include <stdio.h>

#include "fmt.h"
#include "unit.h"

static bool same(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool same(const char *fmt, ...)
{
	char ours[256], libc[256];
	va_list ap, ap2;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n1 = fmt_vsnprintf(ours, sizeof(ours), fmt, ap);
	int n2 = vsnprintf(libc, sizeof(libc), fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (n1 != n2 || strcmp(ours, libc)) {
		printf("  format \"%s\": ours \"%s\" (%d), libc \"%s\" (%d)\n",
		       fmt, ours, n1, libc, n2);
		return false;
	}
	return true;
}

TEST(fmt_integers)
{
	CHECK(same("%d %d %d", 0, -1, 2147483647));
	CHECK(same("%d", (int)-2147483647 - 1));
	CHECK(same("%u %u", 0u, 4294967295u));
	CHECK(same("%ld %ld", -9223372036854775807L - 1, 9223372036854775807L));
	CHECK(same("%lu %lld %llu", 18446744073709551615UL, -5LL, 7ULL));
	CHECK(same("%zu", (size_t)123456));
	CHECK(same("%x %X %lx", 0xdeadbeefu, 0xabcdefu, 0xfedcba9876543210UL));
	CHECK(same("%i", -42));
}

TEST(fmt_width_and_padding)
{
	CHECK(same("[%5d] [%-5d] [%05d]", 42, 42, 42));
	CHECK(same("[%05d] [%5d]", -42, -42));
	CHECK(same("[%016lx] [%8x] [%-8x]", 0x1234UL, 0xabu, 0xabu));
	CHECK(same("[%10s] [%-10s] [%s]", "abc", "abc", ""));
	CHECK(same("[%*d] [%-*d]", 6, 7, 6, 7));
	CHECK(same("[%3d]", 123456));
	CHECK(same("[%c] [%3c] [%-3c]", 'x', 'y', 'z'));
}

TEST(fmt_pointers_and_percent)
{
	CHECK(same("%p", (void *)0x1234));
	CHECK(same("100%%"));
}

TEST(fmt_truncation)
{
	char buf[8];

	CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	CHECK_STR(buf, "0123456");
	CHECK_EQ(fmt_snprintf(buf, 1, "abc"), 3);
	CHECK_STR(buf, "");
	CHECK_EQ(fmt_snprintf(NULL, 0, "%d", 12345), 5);
}

/* No format attribute: lets a test pass formats the compiler would reject. */
static int unchecked_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

TEST(fmt_null_string_and_unknown_conversion)
{
	char buf[32];

	unchecked_format(buf, sizeof(buf), "%s", (char *)NULL);
	CHECK_STR(buf, "(null)");
	unchecked_format(buf, sizeof(buf), "a%qb");
	CHECK_STR(buf, "a%qb");
	unchecked_format(buf, sizeof(buf), "end%");
	CHECK_STR(buf, "end%");
}
