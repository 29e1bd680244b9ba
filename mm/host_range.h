/*
 * The host memory a manager VM hands out (include/config.h .manager): the
 * backing of the slots it creates in the VMs it manages, and the stage-2
 * table pages and dirty bitmaps those slots need. The configuration checker
 * proves the range is board RAM that no VM's slot and not the hypervisor
 * uses, so nothing here can give away another VM's memory.
 *
 * A bitmap of pages, one bit each (set: handed out). Every page not handed
 * out is zero: the range is cleared once when it is set up and each run is
 * cleared when it comes back (mm/slot_update.c does both), so no VM ever sees
 * what another left.
 */
#ifndef MM_HOST_RANGE_H
#define MM_HOST_RANGE_H

#include "types.h"

struct host_range {
	u64 base;       /* first page that can be handed out */
	u64 nr_pages;
	u64 *used;      /* nr_pages bits */
	u64 free_pages;
};

/* Bytes of bitmap a range of size bytes needs (whole 64-bit words). */
u64 host_range_bitmap_bytes(u64 size);

/* [base, base + size), page-aligned, with its bitmap (zeroed here). */
void host_range_init(struct host_range *r, u64 base, u64 size, u64 *used);

/* nr_pages contiguous pages starting at a pa with pa % align == offset
 * (align a power of two, at least a page; offset page-aligned, below
 * align): 0 and *pa, or -ENOMEM. First fit. */
int host_range_alloc(struct host_range *r, u64 nr_pages, u64 align, u64 offset,
		     u64 *pa);

/* Gives back pages host_range_alloc handed out; -EINVAL (and nothing
 * changes) when any of them is outside the range or not handed out. */
int host_range_free(struct host_range *r, u64 pa, u64 nr_pages);

/* Whether [pa, pa + size) lies in the range. */
bool host_range_holds(const struct host_range *r, u64 pa, u64 size);

#endif
