/* Device register access. The compiler must emit exactly one access of the
 * given size, so these go through volatile pointers. */
#ifndef MMIO_H
#define MMIO_H

#include "types.h"

static inline u32 mmio_read32(u64 addr)
{
	return *(volatile u32 *)(uintptr_t)addr;
}

static inline void mmio_write32(u64 addr, u32 v)
{
	*(volatile u32 *)(uintptr_t)addr = v;
}

static inline u64 mmio_read64(u64 addr)
{
	return *(volatile u64 *)(uintptr_t)addr;
}

static inline void mmio_write64(u64 addr, u64 v)
{
	*(volatile u64 *)(uintptr_t)addr = v;
}

static inline u8 mmio_read8(u64 addr)
{
	return *(volatile u8 *)(uintptr_t)addr;
}

static inline void mmio_write8(u64 addr, u8 v)
{
	*(volatile u8 *)(uintptr_t)addr = v;
}

#endif
