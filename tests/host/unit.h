/* A minimal host unit-test harness: TEST(name) { ... CHECK(...); } registers
 * a test; the runner prints "PASS: name" or "FAIL: name: where: what" and the
 * totals. Built with AddressSanitizer and UBSan. */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void unit_register(const char *name, void (*fn)(void));
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool unit_failed(void);

#define TEST(name)                                                       \
	static void test_##name(void);                                   \
	__attribute__((constructor)) static void register_##name(void)   \
	{                                                                \
		unit_register(#name, test_##name);                       \
	}                                                                \
	static void test_##name(void)

#define CHECK(cond)                                                   \
	do {                                                          \
		if (!(cond)) {                                        \
			unit_fail(__FILE__, __LINE__, "%s", #cond);   \
			return;                                       \
		}                                                     \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);             \
		if (a_ != b_) {                                              \
			unit_fail(__FILE__, __LINE__,                        \
				  "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64,   \
				  #a, #b, a_, b_);                           \
			return;                                              \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (strcmp(a_, b_)) {                                        \
			unit_fail(__FILE__, __LINE__, "%s: \"%s\" != \"%s\"", \
				  #a, a_, b_);                               \
			return;                                              \
		}                                                            \
	} while (0)

#endif
