/* Data-cache maintenance by address, to the point of coherency, for memory
 * shared with a CPU whose MMU and caches are still off. */
#ifndef CACHE_H
#define CACHE_H

#include "sysreg.h"

static inline u64 dcache_line_size(void)
{
	return 4UL << FIELD_GET(read_sysreg(ctr_el0), 19, 16);
}

/* Cleans and invalidates [start, start + size). */
static inline void dcache_clean_inval(const void *start, u64 size)
{
	u64 line = dcache_line_size();
	u64 a = ALIGN_DOWN((u64)(uintptr_t)start, line);
	u64 end = (u64)(uintptr_t)start + size;

	for (; a < end; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

#endif
