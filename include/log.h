/* Levelled logging. Every call still type-checks when its level is compiled
 * out. Lines are whole: the macros add the "hyp: " prefix and the newline. */
#ifndef LOG_H
#define LOG_H

#include "types.h"

#define LOG_LEVEL_ERROR 0
#define LOG_LEVEL_WARN 1
#define LOG_LEVEL_INFO 2
#define LOG_LEVEL_DEBUG 3

#ifndef LOG_LEVEL
#define LOG_LEVEL LOG_LEVEL_INFO
#endif

/* Prints raw text to the hypervisor console, holding the console lock for the
 * whole call so lines from several CPUs do not interleave. */
void printk(const char *fmt, ...) __printf(1, 2);

#define log_at(level, prefix, fmt, ...)                              \
	do {                                                         \
		if (LOG_LEVEL >= (level))                            \
			printk("hyp: " prefix fmt "\n", ##__VA_ARGS__); \
	} while (0)

#define log_err(fmt, ...) log_at(LOG_LEVEL_ERROR, "error: ", fmt, ##__VA_ARGS__)
#define log_warn(fmt, ...) log_at(LOG_LEVEL_WARN, "warning: ", fmt, ##__VA_ARGS__)
#define log_info(fmt, ...) log_at(LOG_LEVEL_INFO, "", fmt, ##__VA_ARGS__)
#define log_debug(fmt, ...) log_at(LOG_LEVEL_DEBUG, "debug: ", fmt, ##__VA_ARGS__)

#endif
