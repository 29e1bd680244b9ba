/* Freestanding memory and string routines (include/mem.h). The compiler also
 * emits calls to memset and memcpy for large assignments. Word-at-a-time
 * where both sides are aligned, since guest images and DTBs go through
 * memcpy and whole guest RAM through memset. */
#include "mem.h"
#include "sysreg.h"
#include "types.h"

/*
 * Zeroes whole cache-line-sized blocks with DC ZVA, one instruction per
 * block (typically 64 bytes): guest RAM is cleared at every VM start.
 * Only with the MMU on: on Device memory (MMU off) DC ZVA faults. Returns
 * how many bytes from d it cleared.
 */
static size_t zero_blocks(u8 *d, size_t n)
{
	u64 dczid = read_sysreg(dczid_el0);
	u64 block = 4UL << (dczid & 0xf);
	u8 *p = (u8 *)ALIGN_UP((uintptr_t)d, block);
	u8 *end = (u8 *)ALIGN_DOWN((uintptr_t)(d + n), block);

	if ((dczid & BIT(4)) || !(read_sysreg(sctlr_el2) & 1) || p >= end)
		return 0;
	memset(d, 0, p - d); /* the unaligned head, below the threshold */
	for (; p < end; p += block)
		__asm__ volatile("dc zva, %0" : : "r"(p) : "memory");
	return end - d;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u64 word = (u8)c * 0x0101010101010101UL;

	if (c == 0 && n >= 4096) {
		size_t done = zero_blocks(d, n);

		d += done;
		n -= done;
	}

	while (n && ((uintptr_t)d & 7)) {
		*d++ = (u8)c;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(u64 *)d = word;
	while (n--)
		*d++ = (u8)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (n && ((uintptr_t)d & 7)) {
			*d++ = *s++;
			n--;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(u64 *)d = *(const u64 *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}
