/*
 * Flattened device tree writer (see fdt.h). The blob is laid out as the
 * specification orders it: header, memory reservation map (8-byte aligned),
 * structure block, strings block. Since the structure block's length is only
 * known at the end, property names collect at the top of the buffer, growing
 * down towards the structure block, and fdt_finish() moves them into place
 * and rewrites the name offsets the properties hold.
 */
#include <stdarg.h>

#include "errno.h"
#include "fdt.h"
#include "mem.h"

/* Big-endian stores a byte at a time: buf may have any alignment. */
static void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_be64(u8 *p, u64 v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (u32)v);
}

static u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void fail(struct fdt_writer *w, int err)
{
	if (!w->err)
		w->err = err;
}

/* Claims len bytes of the structure side, zeroed up to the next 4-byte
 * boundary, or records the overflow and returns NULL. */
static u8 *take(struct fdt_writer *w, u64 len)
{
	u64 padded = ALIGN_UP(len, 4);
	u8 *p;

	if (w->err)
		return NULL;
	if (w->pos + padded > w->strings_lo) {
		fail(w, -ENOMEM);
		return NULL;
	}
	p = w->buf + w->pos;
	memset(p + len, 0, padded - len);
	w->pos += padded;
	return p;
}

static void put_token(struct fdt_writer *w, u32 token)
{
	u8 *p = take(w, 4);

	if (p)
		put_be32(p, token);
}

void fdt_begin(struct fdt_writer *w, void *buf, u32 size)
{
	*w = (struct fdt_writer){
		.buf = buf,
		.size = size,
		.pos = FDT_HEADER_SIZE, /* a multiple of 8, as the map needs */
		.rsvmap_off = FDT_HEADER_SIZE,
		.strings_lo = size,
		.next_phandle = 1,
	};
	if (size < FDT_HEADER_SIZE)
		fail(w, -ENOMEM);
}

void fdt_reserve(struct fdt_writer *w, u64 addr, u64 size)
{
	u8 *p;

	if (w->struct_off) {
		fail(w, -EINVAL);
		return;
	}
	p = take(w, 16);
	if (p) {
		put_be64(p, addr);
		put_be64(p + 8, size);
	}
}

/* The map ends with a zero entry; the structure block follows it. */
static void close_rsvmap(struct fdt_writer *w)
{
	u8 *p;

	if (w->struct_off)
		return;
	p = take(w, 16);
	if (p) {
		memset(p, 0, 16);
		w->struct_off = w->pos;
	}
}

void fdt_begin_node(struct fdt_writer *w, const char *name)
{
	bool root = !w->depth;
	u32 len = strlen(name) + 1;
	u8 *p;

	/* One root, named "", and only the root is unnamed. */
	if ((root && w->struct_off) || root != !name[0]) {
		fail(w, -EINVAL);
		return;
	}
	close_rsvmap(w);
	put_token(w, FDT_BEGIN_NODE);
	p = take(w, len);
	if (p) {
		memcpy(p, name, len);
		w->depth++;
	}
}

void fdt_end_node(struct fdt_writer *w)
{
	if (!w->depth) {
		fail(w, -EINVAL);
		return;
	}
	put_token(w, FDT_END_NODE);
	if (!w->err)
		w->depth--;
}

/*
 * The name's place among the strings, as its distance from the top of the
 * buffer (fdt_finish() turns it into an offset in the strings block), or 0
 * when there is no room.
 */
static u32 string_dist(struct fdt_writer *w, const char *name)
{
	u32 len = strlen(name) + 1;
	u32 off;

	for (off = w->strings_lo; off < w->size;
	     off += strlen((const char *)w->buf + off) + 1)
		if (!strcmp((const char *)w->buf + off, name))
			return w->size - off;

	if ((u64)w->pos + len > w->strings_lo) {
		fail(w, -ENOMEM);
		return 0;
	}
	w->strings_lo -= len;
	memcpy(w->buf + w->strings_lo, name, len);
	return w->size - w->strings_lo;
}

/* Writes a property's header and returns where its len bytes of value go. */
static u8 *prop_open(struct fdt_writer *w, const char *name, u32 len)
{
	u32 dist;
	u8 *p;

	if (w->err)
		return NULL;
	if (!w->depth) {
		fail(w, -EINVAL);
		return NULL;
	}
	dist = string_dist(w, name);
	p = take(w, 12 + (u64)len);
	if (!p)
		return NULL;
	put_be32(p, FDT_PROP);
	put_be32(p + 4, len);
	put_be32(p + 8, dist);
	return p + 12;
}

void fdt_prop(struct fdt_writer *w, const char *name, const void *data,
	      u32 len)
{
	u8 *p = prop_open(w, name, len);

	if (p && len)
		memcpy(p, data, len);
}

void fdt_prop_empty(struct fdt_writer *w, const char *name)
{
	prop_open(w, name, 0);
}

void fdt_prop_u32(struct fdt_writer *w, const char *name, u32 v)
{
	fdt_prop_cells(w, name, &v, 1);
}

void fdt_prop_u64(struct fdt_writer *w, const char *name, u64 v)
{
	u8 *p = prop_open(w, name, 8);

	if (p)
		put_be64(p, v);
}

void fdt_prop_cells(struct fdt_writer *w, const char *name, const u32 *cells,
		    u32 n)
{
	u8 *p = prop_open(w, name, n * 4);

	for (u32 i = 0; p && i < n; i++)
		put_be32(p + 4 * i, cells[i]);
}

void fdt_prop_reg(struct fdt_writer *w, const u64 *addr_size, u32 n)
{
	u8 *p = prop_open(w, "reg", n * 16);

	for (u32 i = 0; p && i < 2 * n; i++)
		put_be64(p + 8 * i, addr_size[i]);
}

void fdt_prop_string(struct fdt_writer *w, const char *name, const char *s)
{
	fdt_prop(w, name, s, strlen(s) + 1);
}

void fdt_prop_strings(struct fdt_writer *w, const char *name, ...)
{
	const char *s;
	u32 len = 0;
	va_list ap;
	u8 *p;

	va_start(ap, name);
	while ((s = va_arg(ap, const char *)))
		len += strlen(s) + 1;
	va_end(ap);

	p = prop_open(w, name, len);
	if (!p)
		return;
	va_start(ap, name);
	while ((s = va_arg(ap, const char *))) {
		u32 n = strlen(s) + 1;

		memcpy(p, s, n);
		p += n;
	}
	va_end(ap);
}

u32 fdt_phandle(struct fdt_writer *w)
{
	return w->next_phandle++;
}

int fdt_finish(struct fdt_writer *w)
{
	u32 strings_size = w->size - w->strings_lo;
	u32 off, struct_size;
	u8 *h = w->buf;

	if (!w->err && (w->depth || !w->struct_off))
		fail(w, -EINVAL);
	put_token(w, FDT_END);
	if (w->err)
		return w->err;
	struct_size = w->pos - w->struct_off;

	/* Name offsets: distances from the top become offsets in the block. */
	for (off = w->struct_off; off < w->pos;) {
		u8 *p = w->buf + off;

		switch (get_be32(p)) {
		case FDT_BEGIN_NODE:
			off += 4 + ALIGN_UP(strlen((const char *)p + 4) + 1, 4);
			break;
		case FDT_PROP:
			put_be32(p + 8, strings_size - get_be32(p + 8));
			off += 12 + ALIGN_UP(get_be32(p + 4), 4);
			break;
		default: /* END_NODE, NOP, END */
			off += 4;
			break;
		}
	}
	memmove(w->buf + w->pos, w->buf + w->strings_lo, strings_size);

	put_be32(h + 0, FDT_MAGIC);
	put_be32(h + 4, w->pos + strings_size);
	put_be32(h + 8, w->struct_off);
	put_be32(h + 12, w->pos);
	put_be32(h + 16, w->rsvmap_off);
	put_be32(h + 20, FDT_VERSION);
	put_be32(h + 24, FDT_LAST_COMP_VERSION);
	put_be32(h + 28, 0); /* boot_cpuid_phys: vCPU 0 boots */
	put_be32(h + 32, strings_size);
	put_be32(h + 36, struct_size);
	return w->pos + strings_size;
}
