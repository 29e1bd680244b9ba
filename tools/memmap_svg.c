/*
 * The configuration as a picture (see memmap_svg.h). Address ranges span
 * many orders of magnitude, so boxes are sized by the logarithm of their
 * size and holes are drawn as short gaps: the picture shows order and
 * relations, the labels give the numbers.
 *
 * The VMs are stacked in the left column, one section each, and the host's
 * physical map is the right column, so a band from a slot to its backing
 * crosses no other VM's boxes. Each VM's section shows its slots and the
 * device windows the hypervisor emulates or maps for it; the host column
 * shows the hypervisor, every slot's backing (named by VM and slot) and
 * the images the bootloader preloads. Every label is cut to fit its box.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memmap_svg.h"
#include "validate.h"

#define COL_W 340
#define BAND_W 220
#define LEFT 20
#define TOP 70
#define GAP 14
#define SECTION_GAP 56 /* between VM sections: room for the title */
#define CHAR_W 6.7     /* monospace at font-size 11, a little generous */
#define LINE_H 13
/* The legend's three rows of 22 below the boxes, then the sharing text. */
#define SHARING_TOP (30 + 3 * 22 + 20)

struct box {
	u64 base, size;
	double y, h;
	const char *kind; /* what the host segment holds */
};

/* The sharing summary (config_print_sharing) as lines of text under the
 * legend: counted first, for the picture's height, then written. */
struct text_lines {
	FILE *f; /* NULL: only count */
	double y;
	u32 n;
};

static void svg_line(void *ctx, const char *fmt, ...)
{
	struct text_lines *t = ctx;
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	t->n++;
	if (!t->f)
		return;
	fprintf(t->f, "<text x=\"20\" y=\"%.0f\" xml:space=\"preserve\">", t->y);
	for (const char *c = buf; *c && *c != '\n'; c++) {
		if (*c == '"')
			fputs("&quot;", t->f);
		else if (*c == '<')
			fputs("&lt;", t->f);
		else if (*c == '>')
			fputs("&gt;", t->f);
		else if (*c == '&')
			fputs("&amp;", t->f);
		else
			fputc(*c, t->f);
	}
	fputs("</text>\n", t->f);
	t->y += 15;
}

#define MAX_ROWS (MAX_SLOTS + MAX_VM_WINDOWS)
#define MAX_HOST (2 * MAX_VMS * (MAX_SLOTS + 2 + MAX_VM_WINDOWS) + 2)

static double box_height(u64 size)
{
	return 24 + 4 * log2((double)size / 4096 + 1);
}

static const char *slot_colour(u32 flags)
{
	if (flags & SLOT_DEVICE)
		return "#f4a261";
	if (flags & SLOT_SHARED)
		return "#b388eb";
	if (flags & SLOT_READONLY)
		return "#8ecae6";
	if (flags & SLOT_LOG_DIRTY)
		return "#e9c46a";
	return "#90be6d";
}

#define WINDOW_COLOUR "#e9ecef"
#define PRELOAD_COLOUR "#ffd6a5"
#define HYP_COLOUR "#adb5bd"

static void size_text(u64 size, char *buf, size_t len)
{
	if (size >= SZ_1G && !(size % SZ_1G))
		snprintf(buf, len, "%lu GiB", size >> 30);
	else if (size >= (1UL << 20) && !(size % (1UL << 20)))
		snprintf(buf, len, "%lu MiB", size >> 20);
	else
		snprintf(buf, len, "%lu KiB", size >> 10);
}

static void flag_text(u32 flags, char *buf, size_t len)
{
	static const struct { u32 bit; const char *name; } names[] = {
		{ SLOT_READONLY, "READONLY" }, { SLOT_LOG_DIRTY, "LOG_DIRTY" },
		{ SLOT_DEVICE, "DEVICE" }, { SLOT_NOEXEC, "NOEXEC" },
		{ SLOT_SHARED, "SHARED" },
	};
	size_t n = 0;

	buf[0] = 0;
	for (u32 i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			n += snprintf(buf + n, len - n, " %s", names[i].name);
	if (!n)
		snprintf(buf, len, " RAM");
}

/* XML-safe text, cut with "..." to max characters. */
static void put_text(FILE *f, const char *s, size_t max)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n && i < max; i++) {
		if (n > max && i + 3 >= max) {
			fputs("...", f);
			break;
		}
		switch (s[i]) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(s[i], f);
		}
	}
}

/* A box with up to two lines of label inside it, each cut to its width.
 * class "box" and the label's "for" attribute let the test find them. */
static void draw_box(FILE *f, double x, const struct box *b, const char *fill,
		     bool dashed, const char *id, const char *line1, const char *line2)
{
	size_t max = (size_t)((COL_W - 12) / CHAR_W);
	bool two_lines = line2 && b->h >= 15 + LINE_H + 5;
	char joined[256];

	if (line2 && !two_lines) { /* too short a box: one line says both */
		snprintf(joined, sizeof(joined), "%s: %s", line1, line2);
		line1 = joined;
	}

	fprintf(f, "<rect class=\"box\" id=\"%s\" x=\"%.0f\" y=\"%.1f\" width=\"%d\" "
		   "height=\"%.1f\" fill=\"%s\" stroke=\"#333\"%s/>\n", id, x, b->y, COL_W,
		b->h, fill, dashed ? " stroke-dasharray=\"5,3\"" : "");
	fprintf(f, "<text class=\"label\" for=\"%s\" x=\"%.0f\" y=\"%.1f\">", id, x + 6,
		b->y + 15);
	put_text(f, line1, max);
	fputs("</text>\n", f);
	if (two_lines) {
		fprintf(f, "<text class=\"label\" for=\"%s\" x=\"%.0f\" y=\"%.1f\" "
			   "fill=\"#444\">", id, x + 6, b->y + 15 + LINE_H);
		put_text(f, line2, max);
		fputs("</text>\n", f);
	}
}

/* Lays out sorted ranges top to bottom, with a gap wherever they are not
 * contiguous. Returns the bottom. */
static double lay_out(struct box *b, u32 n, double y)
{
	for (u32 i = 0; i < n; i++) {
		if (i && b[i].base != b[i - 1].base + b[i - 1].size)
			y += GAP;
		b[i].y = y;
		b[i].h = box_height(b[i].size);
		y += b[i].h;
	}
	return y;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_box(const void *a, const void *b)
{
	return cmp_u64(&((const struct box *)a)->base, &((const struct box *)b)->base);
}

/* Where host address pa falls in the host column. */
static double host_y(const struct box *h, u32 n, u64 pa)
{
	for (u32 i = 0; i < n; i++)
		if (pa >= h[i].base && pa <= h[i].base + h[i].size)
			return h[i].y + h[i].h * (double)(pa - h[i].base) / (double)h[i].size;
	return TOP;
}

/* Host ranges the picture shows: slot backings, preloaded images, mapped
 * windows, the hypervisor. */
struct host_range {
	u64 base, size;
	char what[96];
	bool hyp, preload;
};

static u32 host_ranges(const struct hyp_config *cfg, const struct platform *plat,
		       const struct vm_mem mems[], struct host_range *r)
{
	u32 n = 0;

	r[n++] = (struct host_range){ plat->hyp_base, plat->hyp_size, "the hypervisor", true, false };
	for (u32 v = 0; v < cfg->nr_vms; v++) {
		const struct vm_config *vm = &cfg->vms[v];
		const struct guest_image *img[2] = { &vm->kernel, &vm->initrd };
		struct vm_window w[MAX_VM_WINDOWS];
		u32 nw = vm_windows(vm, plat, w);

		for (u32 s = 0; s < mems[v].nr_slots; s++) {
			const struct memslot *m = &mems[v].slots[s].cfg;

			r[n] = (struct host_range){ pa_val(m->pa), m->size, "", false, false };
			snprintf(r[n].what, sizeof(r[n].what), "vm \"%s\" slot %u", vm->name, m->id);
			n++;
		}
		for (u32 i = 0; i < 2; i++)
			if (img[i]->kind != IMAGE_NONE && img[i]->preload_size) {
				r[n] = (struct host_range){ img[i]->preload_pa, img[i]->preload_size,
							    "", false, true };
				snprintf(r[n].what, sizeof(r[n].what), "vm \"%s\" %s, preloaded: %s",
					 vm->name, i ? "initrd" : "kernel",
					 img[i]->file ? img[i]->file : "(a file)");
				n++;
			}
		for (u32 i = 0; i < nw; i++)
			if (w[i].pa) {
				r[n] = (struct host_range){ w[i].pa, w[i].size, "", false, false };
				snprintf(r[n].what, sizeof(r[n].what), "vm \"%s\" %s", vm->name,
					 w[i].name);
				n++;
			}
	}
	return n;
}

int memmap_svg_write(const char *path, const struct hyp_config *cfg,
		     const struct platform *plat, const struct vm_mem mems[])
{
	FILE *f = fopen(path, "w");
	static struct host_range ranges[MAX_HOST];
	static u64 edges[2 * MAX_HOST];
	static struct box host[2 * MAX_HOST];
	static const char *host_what[2 * MAX_HOST];
	static u32 host_kind[2 * MAX_HOST]; /* 0 slot, 1 preload, 2 hypervisor */
	static struct box rows[MAX_VMS][MAX_ROWS];
	static double section_top[MAX_VMS];
	u32 nrows[MAX_VMS] = { 0 };
	u32 ne = 0, nh = 0;

	if (!f)
		return -1;

	/* Host column: every range's boundaries cut the map into segments;
	 * each segment is named by the first range that holds it (the
	 * hypervisor, then slots, preloads and windows in order). */
	u32 nr = host_ranges(cfg, plat, mems, ranges);
	for (u32 i = 0; i < nr; i++) {
		edges[ne++] = ranges[i].base;
		edges[ne++] = ranges[i].base + ranges[i].size;
	}
	qsort(edges, ne, sizeof(edges[0]), cmp_u64);
	for (u32 i = 0; i + 1 < ne; i++) {
		if (edges[i] == edges[i + 1])
			continue;
		/* A preloaded image inside the hypervisor's reserve names the
		 * segment rather than the reserve. */
		int owner = -1;
		for (u32 k = 0; k < nr; k++)
			if (edges[i] >= ranges[k].base &&
			    edges[i + 1] <= ranges[k].base + ranges[k].size &&
			    (owner < 0 || ranges[owner].hyp))
				owner = (int)k;
		if (owner < 0)
			continue;
		host[nh] = (struct box){ edges[i], edges[i + 1] - edges[i], 0, 0, NULL };
		host_what[nh] = ranges[owner].what;
		host_kind[nh] = ranges[owner].hyp ? 2 : ranges[owner].preload ? 1 : 0;
		nh++;
	}
	double bottom = lay_out(host, nh, TOP);

	/* The VM column: sections one under another. */
	double y = TOP;
	for (u32 v = 0; v < cfg->nr_vms; v++) {
		struct vm_window w[MAX_VM_WINDOWS];
		u32 nw = vm_windows(&cfg->vms[v], plat, w);

		for (u32 s = 0; s < mems[v].nr_slots; s++)
			rows[v][nrows[v]++] = (struct box){ ipa_val(mems[v].slots[s].cfg.ipa),
							   mems[v].slots[s].cfg.size, 0, 0, NULL };
		for (u32 i = 0; i < nw; i++)
			rows[v][nrows[v]++] = (struct box){ w[i].ipa, w[i].size, 0, 0, w[i].name };
		qsort(rows[v], nrows[v], sizeof(rows[v][0]), cmp_box);
		if (v)
			y += SECTION_GAP;
		section_top[v] = y;
		y = lay_out(rows[v], nrows[v], y);
	}
	if (y > bottom)
		bottom = y;

	double host_x = LEFT + COL_W + BAND_W;
	double width = host_x + COL_W + 20;
	struct text_lines sharing = { NULL, 0, 0 };

	config_print_sharing(cfg, svg_line, &sharing);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		   "font-family=\"monospace\" font-size=\"11\">\n", width,
		bottom + SHARING_TOP + 10 + 15.0 * sharing.n);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	/* NOEXEC: hatched over the slot's colour. */
	fprintf(f, "<defs><pattern id=\"noexec\" width=\"8\" height=\"8\" "
		   "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
		   "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#c1121f\" "
		   "stroke-width=\"2\" stroke-opacity=\"0.45\"/></pattern></defs>\n");

	/* Bands first, under the boxes: from each slot to its backing. */
	for (u32 v = 0; v < cfg->nr_vms; v++)
		for (u32 r = 0; r < nrows[v]; r++) {
			const struct box *b = &rows[v][r];
			const struct slot_state *st = b->kind ? NULL :
				vm_mem_find((struct vm_mem *)&mems[v], b->base);

			if (!st)
				continue;
			double y0 = host_y(host, nh, pa_val(st->cfg.pa));
			double y1 = host_y(host, nh, pa_val(st->cfg.pa) + st->cfg.size);
			fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
				   "fill=\"%s\" fill-opacity=\"0.35\" stroke=\"none\"/>\n",
				(double)LEFT + COL_W, b->y, host_x, y0, host_x, y1,
				(double)LEFT + COL_W, b->y + b->h, slot_colour(st->cfg.flags));
		}

	for (u32 v = 0; v < cfg->nr_vms; v++) {
		double t = section_top[v];

		fprintf(f, "<text x=\"%d\" y=\"%.0f\" font-size=\"14\" font-weight=\"bold\">vm \"",
			LEFT, t - 22);
		put_text(f, cfg->vms[v].name, 40);
		fprintf(f, "\"</text>\n<text x=\"%d\" y=\"%.0f\">guest physical (IPA), %u-bit</text>\n",
			LEFT, t - 8, mems[v].ipa_bits);
		for (u32 r = 0; r < nrows[v]; r++) {
			const struct box *b = &rows[v][r];
			char id[32], l1[128], l2[128], sz[32], fl[64];

			size_text(b->size, sz, sizeof(sz));
			snprintf(id, sizeof(id), "vm%u-row%u", v, r);
			if (b->kind) {
				struct vm_window w[MAX_VM_WINDOWS];
				u32 nw = vm_windows(&cfg->vms[v], plat, w);
				u64 pa = 0;

				for (u32 i = 0; i < nw; i++)
					if (w[i].ipa == b->base)
						pa = w[i].pa;
				snprintf(l1, sizeof(l1), "%s: 0x%lx, %s", b->kind, b->base, sz);
				if (pa)
					snprintf(l2, sizeof(l2), "mapped to host 0x%lx", pa);
				else
					snprintf(l2, sizeof(l2), "emulated (traps to the hypervisor)");
				draw_box(f, LEFT, b, WINDOW_COLOUR, true, id, l1, l2);
				continue;
			}
			const struct slot_state *st = vm_mem_find((struct vm_mem *)&mems[v], b->base);
			flag_text(st->cfg.flags, fl, sizeof(fl));
			snprintf(l1, sizeof(l1), "slot %u: 0x%lx, %s%s", st->cfg.id, b->base, sz, fl);
			snprintf(l2, sizeof(l2), "host 0x%lx", pa_val(st->cfg.pa));
			if (st->cfg.flags & SLOT_NOEXEC)
				fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
					   "fill=\"%s\"/>\n", LEFT, b->y, COL_W, b->h,
					slot_colour(st->cfg.flags));
			draw_box(f, LEFT, b, (st->cfg.flags & SLOT_NOEXEC) ? "url(#noexec)" :
				 slot_colour(st->cfg.flags), false, id, l1, l2);
		}
	}

	fprintf(f, "<text x=\"%.0f\" y=\"30\" font-size=\"14\" font-weight=\"bold\">host (",
		host_x);
	put_text(f, plat->name, 40);
	fprintf(f, ")</text>\n<text x=\"%.0f\" y=\"48\">physical (PA)</text>\n", host_x);
	for (u32 i = 0; i < nh; i++) {
		static const char *fills[] = { "#f8f9fa", PRELOAD_COLOUR, HYP_COLOUR };
		char id[32], l1[160], sz[32];

		size_text(host[i].size, sz, sizeof(sz));
		snprintf(id, sizeof(id), "host-%u", i);
		snprintf(l1, sizeof(l1), "0x%lx, %s", host[i].base, sz);
		draw_box(f, host_x, &host[i], fills[host_kind[i]], false, id, l1, host_what[i]);
	}

	static const struct { const char *name; const char *colour; } legend[] = {
		{ "RAM", "#90be6d" }, { "READONLY", "#8ecae6" }, { "LOG_DIRTY", "#e9c46a" },
		{ "DEVICE", "#f4a261" }, { "SHARED", "#b388eb" }, { "device window", WINDOW_COLOUR },
		{ "preloaded image", PRELOAD_COLOUR }, { "hypervisor", HYP_COLOUR },
		{ "NOEXEC (hatched)", "url(#noexec)" },
	};
	for (u32 i = 0; i < sizeof(legend) / sizeof(legend[0]); i++) {
		double x = LEFT + (i % 4) * 150;
		double ly = bottom + 30 + (i / 4) * 22;

		fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"#333\"/>\n",
			x, ly, legend[i].colour);
		fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n", x + 20, ly + 12, legend[i].name);
	}
	sharing = (struct text_lines){ f, bottom + SHARING_TOP, 0 };
	config_print_sharing(cfg, svg_line, &sharing);
	fprintf(f, "</svg>\n");
	return fclose(f) ? -1 : 0;
}
