/* The host unit-test runner (see unit.h). Usage: unit [name-substring]. */
#include <stdarg.h>
#include <stdlib.h>

#include "unit.h"

#define MAX_TESTS 1024

static struct {
	const char *name;
	void (*fn)(void);
} tests[MAX_TESTS];
static int nr_tests;
static bool current_failed;

void unit_register(const char *name, void (*fn)(void))
{
	if (nr_tests == MAX_TESTS) {
		fprintf(stderr, "unit: more than %d tests; raise MAX_TESTS\n",
			MAX_TESTS);
		exit(2);
	}
	tests[nr_tests].name = name;
	tests[nr_tests].fn = fn;
	nr_tests++;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (current_failed)
		return; /* the first failure is the one that matters */
	current_failed = true;
	printf("  at %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

bool unit_failed(void)
{
	return current_failed;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < nr_tests; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		current_failed = false;
		printf("RUN: %s\n", tests[i].name);
		tests[i].fn();
		if (current_failed) {
			printf("FAIL: %s\n", tests[i].name);
			failed++;
		} else {
			printf("PASS: %s\n", tests[i].name);
			passed++;
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
