/*
 * A small sequential writer of flattened device trees (Devicetree
 * Specification v0.4, chapter 5: the DTB format, version 17).
 *
 * Usage: fdt_begin(), optional fdt_reserve() entries, then nodes and
 * properties in the order they should appear, then fdt_finish(). The writer
 * never touches memory outside [buf, buf + size): running out of room, or a
 * misuse such as unbalanced nodes, is remembered and reported by fdt_finish()
 * alone, so callers need not check every call.
 *
 * Pure code: builds for the host and is unit-tested there against dtc.
 */
#ifndef HYP_FDT_H
#define HYP_FDT_H

#include "types.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_VERSION 17
#define FDT_LAST_COMP_VERSION 16

/* Structure block tokens. */
#define FDT_BEGIN_NODE 0x1U
#define FDT_END_NODE 0x2U
#define FDT_PROP 0x3U
#define FDT_NOP 0x4U
#define FDT_END 0x9U

#define FDT_HEADER_SIZE 40 /* ten big-endian u32 fields */

struct fdt_writer {
	u8 *buf;
	u32 size;
	u32 pos;         /* end of what is written, counted from buf */
	u32 rsvmap_off;
	u32 struct_off;  /* 0 until the first node closes the reservation map */
	u32 strings_lo;  /* strings grow down from buf + size to here */
	u32 depth;       /* nodes open */
	u32 next_phandle;
	int err;         /* first failure, as a negative errno */
};

/* Starts a tree in buf. */
void fdt_begin(struct fdt_writer *w, void *buf, u32 size);

/* Adds a memory reservation entry; only before the first node. */
void fdt_reserve(struct fdt_writer *w, u64 addr, u64 size);

/* Opens a node: "" for the root, else "name" or "name@unit-address". */
void fdt_begin_node(struct fdt_writer *w, const char *name);
void fdt_end_node(struct fdt_writer *w);

/* Properties of the node last opened; values are converted to big-endian. */
void fdt_prop(struct fdt_writer *w, const char *name, const void *data,
	      u32 len);
void fdt_prop_empty(struct fdt_writer *w, const char *name);
void fdt_prop_u32(struct fdt_writer *w, const char *name, u32 v);
void fdt_prop_u64(struct fdt_writer *w, const char *name, u64 v);
void fdt_prop_cells(struct fdt_writer *w, const char *name, const u32 *cells,
		    u32 n);
/* "reg" of n (address, size) pairs, each value two cells, as under a parent
 * with #address-cells = #size-cells = 2. */
void fdt_prop_reg(struct fdt_writer *w, const u64 *addr_size, u32 n);
void fdt_prop_string(struct fdt_writer *w, const char *name, const char *s);
/* A string list (compatible, clock-names): the strings, then NULL. */
void fdt_prop_strings(struct fdt_writer *w, const char *name, ...)
	__attribute__((sentinel));

/* A fresh phandle (1, 2, ...): allocate before writing the nodes that refer
 * to it, then give it to the node with fdt_prop_u32(w, "phandle", ph). */
u32 fdt_phandle(struct fdt_writer *w);

/* Closes the tree and fills in the header; call it once. Returns the blob's total size, or
 * -ENOMEM when buf was too small, -EINVAL on misuse (nodes left open, a
 * property outside a node, a reservation after the first node). */
int fdt_finish(struct fdt_writer *w);

#endif
