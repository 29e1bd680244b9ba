/* The configuration as a picture (see memmap_svg.h). Address ranges span
 * many orders of magnitude, so boxes are sized by the logarithm of their
 * size and holes are drawn as short gaps: the picture shows order and
 * relations, the labels give the numbers. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "memmap_svg.h"
#include "validate.h"

#define COL_W 230
#define COL_GAP 170
#define TOP 70
#define GAP 14

struct box {
	u64 base, size;
	double y, h;
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

static double box_height(u64 size)
{
	return 22 + 5 * log2((double)size / 4096 + 1);
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

static void size_text(u64 size, char *buf, size_t len)
{
	if (size >= SZ_1G && !(size % SZ_1G))
		snprintf(buf, len, "%lu GiB", size >> 30);
	else if (size >= (1UL << 20) && !(size % (1UL << 20)))
		snprintf(buf, len, "%lu MiB", size >> 20);
	else
		snprintf(buf, len, "%lu KiB", size >> 10);
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

/* Where host address pa falls in the host column. */
static double host_y(const struct box *h, u32 n, u64 pa)
{
	for (u32 i = 0; i < n; i++)
		if (pa >= h[i].base && pa <= h[i].base + h[i].size)
			return h[i].y + h[i].h * (double)(pa - h[i].base) / (double)h[i].size;
	return TOP;
}

int memmap_svg_write(const char *path, const struct hyp_config *cfg,
		     const struct platform *plat, const struct vm_mem mems[])
{
	FILE *f = fopen(path, "w");
	u64 edges[2 * MAX_VMS * MAX_SLOTS + 2 * MAX_RAM_RANGES + 2];
	u32 ne = 0, nh = 0;
	static struct box host[2 * MAX_VMS * MAX_SLOTS + 2 * MAX_RAM_RANGES + 2];
	static struct box vmbox[MAX_VMS][MAX_SLOTS];
	double bottom = TOP;

	if (!f)
		return -1;

	/* Host column: every boundary of a slot's backing, of RAM and of the
	 * hypervisor's own memory cuts the host map into segments. */
	for (u32 v = 0; v < cfg->nr_vms; v++)
		for (u32 s = 0; s < mems[v].nr_slots; s++) {
			edges[ne++] = pa_val(mems[v].slots[s].cfg.pa);
			edges[ne++] = pa_val(mems[v].slots[s].cfg.pa) + mems[v].slots[s].cfg.size;
		}
	edges[ne++] = plat->hyp_base;
	edges[ne++] = plat->hyp_base + plat->hyp_size;
	qsort(edges, ne, sizeof(edges[0]), cmp_u64);
	for (u32 i = 0; i + 1 < ne; i++) {
		if (edges[i] == edges[i + 1])
			continue;
		/* Keep segments that something uses. */
		bool used = edges[i] >= plat->hyp_base &&
			    edges[i + 1] <= plat->hyp_base + plat->hyp_size;
		for (u32 v = 0; v < cfg->nr_vms && !used; v++)
			for (u32 s = 0; s < mems[v].nr_slots; s++) {
				u64 pa = pa_val(mems[v].slots[s].cfg.pa);
				if (edges[i] >= pa && edges[i + 1] <= pa + mems[v].slots[s].cfg.size)
					used = true;
			}
		if (used)
			host[nh++] = (struct box){ edges[i], edges[i + 1] - edges[i], 0, 0 };
	}
	bottom = lay_out(host, nh, TOP);
	for (u32 v = 0; v < cfg->nr_vms; v++) {
		for (u32 s = 0; s < mems[v].nr_slots; s++)
			vmbox[v][s] = (struct box){ ipa_val(mems[v].slots[s].cfg.ipa),
						    mems[v].slots[s].cfg.size, 0, 0 };
		double b = lay_out(vmbox[v], mems[v].nr_slots, TOP);
		if (b > bottom)
			bottom = b;
	}

	double host_x = cfg->nr_vms * (COL_W + COL_GAP);
	double width = host_x + COL_W + 40;
	struct text_lines sharing = { NULL, 0, 0 };

	config_print_sharing(cfg, svg_line, &sharing);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		   "font-family=\"monospace\" font-size=\"11\">\n", width,
		bottom + 90 + 15.0 * sharing.n);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");

	/* Bands first, under the boxes. */
	for (u32 v = 0; v < cfg->nr_vms; v++)
		for (u32 s = 0; s < mems[v].nr_slots; s++) {
			const struct slot_state *st = &mems[v].slots[s];
			const struct box *b = &vmbox[v][s];
			double x0 = 20 + v * (COL_W + COL_GAP) + COL_W, x1 = 20 + host_x;
			double y0 = host_y(host, nh, pa_val(st->cfg.pa));
			double y1 = host_y(host, nh, pa_val(st->cfg.pa) + st->cfg.size);

			fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
				   "fill=\"%s\" fill-opacity=\"0.35\" stroke=\"none\"/>\n",
				x0, b->y, x1, y0, x1, y1, x0, b->y + b->h,
				slot_colour(st->cfg.flags));
		}

	for (u32 v = 0; v < cfg->nr_vms; v++) {
		double x = 20 + v * (COL_W + COL_GAP);

		fprintf(f, "<text x=\"%.0f\" y=\"30\" font-size=\"14\" font-weight=\"bold\">vm \"%s\"</text>\n",
			x, cfg->vms[v].name);
		fprintf(f, "<text x=\"%.0f\" y=\"48\">guest physical (IPA), %u-bit</text>\n",
			x, mems[v].ipa_bits);
		for (u32 s = 0; s < mems[v].nr_slots; s++) {
			const struct slot_state *st = &mems[v].slots[s];
			const struct box *b = &vmbox[v][s];
			char sz[32];

			size_text(st->cfg.size, sz, sizeof(sz));
			fprintf(f, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" stroke=\"#333\"/>\n",
				x, b->y, COL_W, b->h, slot_colour(st->cfg.flags));
			fprintf(f, "<text x=\"%.0f\" y=\"%.1f\">slot %u: 0x%lx, %s</text>\n",
				x + 6, b->y + 15, st->cfg.id, ipa_val(st->cfg.ipa), sz);
		}
	}

	fprintf(f, "<text x=\"%.0f\" y=\"30\" font-size=\"14\" font-weight=\"bold\">host (%s)</text>\n",
		20 + host_x, plat->name);
	fprintf(f, "<text x=\"%.0f\" y=\"48\">physical (PA)</text>\n", 20 + host_x);
	for (u32 i = 0; i < nh; i++) {
		bool hyp = host[i].base >= plat->hyp_base &&
			   host[i].base < plat->hyp_base + plat->hyp_size;
		char sz[32];

		size_text(host[i].size, sz, sizeof(sz));
		fprintf(f, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" stroke=\"#333\"/>\n",
			20 + host_x, host[i].y, COL_W, host[i].h, hyp ? "#adb5bd" : "#f8f9fa");
		fprintf(f, "<text x=\"%.0f\" y=\"%.1f\">0x%lx, %s%s</text>\n", 26 + host_x,
			host[i].y + 15, host[i].base, sz, hyp ? " (hypervisor)" : "");
	}

	static const struct { const char *name; u32 flags; } legend[] = {
		{ "RAM", 0 }, { "READONLY", SLOT_READONLY }, { "LOG_DIRTY", SLOT_LOG_DIRTY },
		{ "DEVICE", SLOT_DEVICE }, { "SHARED", SLOT_SHARED },
	};
	for (u32 i = 0; i < sizeof(legend) / sizeof(legend[0]); i++) {
		double x = 20 + i * 110;
		fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"#333\"/>\n",
			x, bottom + 40, slot_colour(legend[i].flags));
		fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n", x + 20, bottom + 52, legend[i].name);
	}
	sharing = (struct text_lines){ f, bottom + 85, 0 };
	config_print_sharing(cfg, svg_line, &sharing);
	fprintf(f, "</svg>\n");
	return fclose(f) ? -1 : 0;
}
