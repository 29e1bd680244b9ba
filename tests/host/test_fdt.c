/*
 * The device tree writer and the VMs' device trees. The writer's blobs are
 * checked field by field, then every tree is decompiled with dtc (from the
 * device-tree-compiler package), which must accept it without a warning, and
 * the decompiled text is checked node by node.
 */
#include <stdlib.h>
#include <unistd.h>

#include "errno.h"
#include "fdt.h"
#include "unit.h"
#include "vm_dt.h"

#define GUARD 64
#define GUARD_BYTE 0xa5

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 be64(const u8 *p)
{
	return (u64)be32(p) << 32 | be32(p + 4);
}

enum { H_MAGIC, H_TOTALSIZE, H_OFF_STRUCT, H_OFF_STRINGS, H_OFF_RSVMAP,
       H_VERSION, H_LAST_COMP, H_BOOT_CPU, H_SIZE_STRINGS, H_SIZE_STRUCT };

static u32 hdr(const u8 *blob, int field)
{
	return be32(blob + 4 * field);
}

static bool guard_intact(const u8 *buf, u32 size)
{
	for (u32 i = 0; i < GUARD; i++)
		if (buf[size + i] != GUARD_BYTE)
			return false;
	return true;
}

/* A buffer of size bytes followed by a guard, all filled with GUARD_BYTE. */
static u8 *guarded(u32 size)
{
	u8 *buf = malloc(size + GUARD);

	memset(buf, GUARD_BYTE, size + GUARD);
	return buf;
}

/*
 * Walks the structure block as a reader would. Returns the number of
 * properties, or -1 (having reported why) when a token is misplaced, padding
 * is not zero, a name offset leaves the strings block or the block does not
 * end in a balanced FDT_END.
 */
static int walk(const u8 *blob)
{
	u32 off = hdr(blob, H_OFF_STRUCT), end = off + hdr(blob, H_SIZE_STRUCT);
	u32 strings = hdr(blob, H_OFF_STRINGS);
	u32 strings_size = hdr(blob, H_SIZE_STRINGS);
	int depth = 0, props = 0;

	while (off < end) {
		u32 token = be32(blob + off), len;

		if (off % 4) {
			unit_fail(__FILE__, __LINE__, "token at 0x%x", off);
			return -1;
		}
		off += 4;
		switch (token) {
		case FDT_BEGIN_NODE:
			len = strlen((const char *)blob + off) + 1;
			for (u32 i = len; i % 4; i++)
				if (blob[off + i]) {
					unit_fail(__FILE__, __LINE__,
						  "name padding at 0x%x", off);
					return -1;
				}
			off += (len + 3) & ~3U;
			depth++;
			break;
		case FDT_END_NODE:
			depth--;
			break;
		case FDT_PROP:
			len = be32(blob + off);
			if (be32(blob + off + 4) >= strings_size ||
			    blob[strings + strings_size - 1]) {
				unit_fail(__FILE__, __LINE__, "nameoff at 0x%x",
					  off);
				return -1;
			}
			for (u32 i = len; i % 4; i++)
				if (blob[off + 8 + i]) {
					unit_fail(__FILE__, __LINE__,
						  "value padding at 0x%x", off);
					return -1;
				}
			off += 8 + ((len + 3) & ~3U);
			props++;
			break;
		case FDT_END:
			if (depth || off != end) {
				unit_fail(__FILE__, __LINE__,
					  "FDT_END at depth %d, 0x%x", depth,
					  off);
				return -1;
			}
			return props;
		default:
			unit_fail(__FILE__, __LINE__, "token 0x%x at 0x%x",
				  token, off - 4);
			return -1;
		}
	}
	unit_fail(__FILE__, __LINE__, "no FDT_END");
	return -1;
}

/* The name of the i-th property in the structure block. */
static const char *prop_name(const u8 *blob, int index)
{
	u32 off = hdr(blob, H_OFF_STRUCT);

	for (;;) {
		u32 token = be32(blob + off);

		off += 4;
		if (token == FDT_BEGIN_NODE) {
			off += (strlen((const char *)blob + off) + 4) & ~3U;
		} else if (token == FDT_PROP) {
			if (!index--)
				return (const char *)blob +
				       hdr(blob, H_OFF_STRINGS) +
				       be32(blob + off + 4);
			off += 8 + ((be32(blob + off) + 3) & ~3U);
		} else if (token == FDT_END) {
			return "(none)";
		}
	}
}

/* ---- dtc ---- */

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, n + 1);
	if (fread(text, 1, n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/*
 * The blob decompiled by `dtc -I dtb -O dts`, or NULL (reported) when dtc is
 * missing, fails or prints anything on stderr: its warnings are what it
 * finds wrong with a tree's structure. The text stays valid until the next
 * call (so a failing CHECK leaks nothing). FDT_DUMP=1 in the environment
 * prints each tree.
 */
static const char *decompile(const void *blob, int len)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dtb[200], dts[256], err[256], cmd[1024];
	static char *text;
	char *errors;
	int fd, status;

	free(text);
	text = NULL;
	if (system("command -v dtc >/dev/null 2>&1")) {
		unit_fail(__FILE__, __LINE__,
			  "dtc not found: install device-tree-compiler "
			  "(apt-get install device-tree-compiler, "
			  "or make setup)");
		return NULL;
	}
	snprintf(dtb, sizeof(dtb), "%s/unit-fdt-XXXXXX", tmp);
	fd = mkstemp(dtb);
	if (fd < 0) {
		unit_fail(__FILE__, __LINE__, "cannot create %s", dtb);
		return NULL;
	}
	status = write(fd, blob, len) != len;
	close(fd);
	if (status) {
		unit_fail(__FILE__, __LINE__, "cannot write %s", dtb);
		unlink(dtb);
		return NULL;
	}
	snprintf(dts, sizeof(dts), "%s.dts", dtb);
	snprintf(err, sizeof(err), "%s.err", dtb);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o %s %s 2>%s", dts, dtb,
		 err);
	status = system(cmd);
	errors = read_file(err);
	if (status || !errors || errors[0]) {
		unit_fail(__FILE__, __LINE__, "dtc (status %d) says: %s",
			  status, errors ? errors : "(nothing)");
	} else {
		text = read_file(dts);
		if (text && getenv("FDT_DUMP"))
			fputs(text, stdout);
	}
	free(errors);
	unlink(dtb);
	unlink(dts);
	unlink(err);
	return text;
}

/* Lines of dtc's output that open a node ("name {") give its name. */
static bool node_line(const char *line, size_t len, char *name, size_t size)
{
	if (len < 3 || strncmp(line + len - 2, " {", 2) || len - 2 >= size)
		return false;
	memcpy(name, line, len - 2);
	name[len - 2] = 0;
	return true;
}

/*
 * Finds property name of the node at path ("/", "/cpus/cpu@1") in dtc's
 * output. Returns its value as dtc prints it ("<0x01>", "\"hvc\""), "" for
 * an empty property, or "(absent)". With name NULL, "" when the node exists.
 */
static const char *prop(const char *dts, const char *path, const char *name)
{
	static char ring[8][512];
	static int next;
	char *out = ring[next++ % 8];
	char cur[256] = "", node[128];
	size_t depth_len[16];
	int depth = 0;

	for (const char *line = dts; *line;) {
		const char *eol = strchr(line, '\n');
		size_t len;

		if (!eol)
			eol = line + strlen(line);
		while (*line == '\t' || *line == ' ')
			line++;
		len = eol - line;

		if (node_line(line, len, node, sizeof(node)) && depth < 16) {
			depth_len[depth++] = strlen(cur);
			if (!strcmp(node, "/"))
				strcpy(cur, "/");
			else
				snprintf(cur + strlen(cur),
					 sizeof(cur) - strlen(cur), "%s%s",
					 strcmp(cur, "/") ? "/" : "", node);
			if (!name && !strcmp(cur, path))
				return "";
		} else if (len == 2 && !strncmp(line, "};", 2) && depth) {
			cur[depth_len[--depth]] = 0;
		} else if (name && depth && !strcmp(cur, path)) {
			size_t n = strlen(name);

			if (!strncmp(line, name, n) && line[n] == ';')
				return "";
			if (!strncmp(line, name, n) &&
			    !strncmp(line + n, " = ", 3) && len > n + 4) {
				snprintf(out, 512, "%.*s", (int)(len - n - 4),
					 line + n + 3);
				return out;
			}
		}
		line = *eol ? eol + 1 : eol;
	}
	return "(absent)";
}

static bool has_node(const char *dts, const char *path)
{
	return !strcmp(prop(dts, path, NULL), "");
}

/* "<0x02>" -> "<0x02 0x02>": a phandle cell twice, as clocks holds it. */
static const char *twice(const char *cell)
{
	static char buf[64];
	int n = strlen(cell);

	snprintf(buf, sizeof(buf), "<%.*s %.*s>", n - 2, cell + 1, n - 2,
		 cell + 1);
	return buf;
}

/* ---- The writer ---- */

static int small_tree(void *buf, u32 size)
{
	struct fdt_writer w;
	u32 ph;

	fdt_begin(&w, buf, size);
	fdt_reserve(&w, 0x48000000, 0x10000);
	ph = fdt_phandle(&w);
	fdt_begin_node(&w, "");
	fdt_prop_u32(&w, "#address-cells", 2);
	fdt_prop_u32(&w, "#size-cells", 2);
	fdt_prop_strings(&w, "compatible", "vendor,board", "vendor,soc", NULL);
	fdt_prop_u32(&w, "interrupt-parent", ph);
	fdt_begin_node(&w, "intc@1000");
	fdt_prop_string(&w, "compatible", "arm,gic-v3");
	fdt_prop_reg(&w, (const u64[]){ 0x1000, 0x100, 0x123456789a000,
					 0x2000 }, 2);
	fdt_prop_u32(&w, "#interrupt-cells", 3);
	fdt_prop_u32(&w, "#address-cells", 0);
	fdt_prop_empty(&w, "interrupt-controller");
	fdt_prop_u32(&w, "phandle", ph);
	fdt_end_node(&w);
	fdt_begin_node(&w, "chosen");
	fdt_prop_u64(&w, "linux,initrd-start", 0x1122334455667788);
	fdt_prop(&w, "bytes", "\x01\x02\x03", 3);
	fdt_end_node(&w);
	fdt_end_node(&w);
	return fdt_finish(&w);
}

TEST(fdt_header_fields)
{
	static u8 buf[4096];
	int n = small_tree(buf, sizeof(buf));
	u32 st = hdr(buf, H_OFF_STRUCT);

	CHECK(n > 0);
	CHECK_EQ(hdr(buf, H_MAGIC), 0xd00dfeed);
	CHECK_EQ(hdr(buf, H_TOTALSIZE), n);
	CHECK_EQ(hdr(buf, H_VERSION), 17);
	CHECK_EQ(hdr(buf, H_LAST_COMP), 16);
	CHECK_EQ(hdr(buf, H_BOOT_CPU), 0);
	/* Header, map (one entry and the terminator), structure, strings. */
	CHECK_EQ(hdr(buf, H_OFF_RSVMAP), 40);
	CHECK_EQ(st, 40 + 2 * 16);
	CHECK_EQ(hdr(buf, H_OFF_STRINGS), st + hdr(buf, H_SIZE_STRUCT));
	CHECK_EQ(hdr(buf, H_OFF_STRINGS) + hdr(buf, H_SIZE_STRINGS), n);
	CHECK_EQ(be64(buf + 40), 0x48000000);
	CHECK_EQ(be64(buf + 48), 0x10000);
	CHECK_EQ(be64(buf + 56), 0);
	CHECK_EQ(be64(buf + 64), 0);
	/* The root: BEGIN_NODE, an empty name padded to 4 bytes. */
	CHECK_EQ(be32(buf + st), FDT_BEGIN_NODE);
	CHECK_EQ(be32(buf + st + 4), 0);
	CHECK_EQ(be32(buf + st + hdr(buf, H_SIZE_STRUCT) - 4), FDT_END);
	CHECK_EQ(be32(buf + st + hdr(buf, H_SIZE_STRUCT) - 8), FDT_END_NODE);
	CHECK_EQ(walk(buf), 12);
}

TEST(fdt_alignment_and_values)
{
	static u8 buf[4096];
	struct fdt_writer w;
	const char *names[] = { "a", "ab", "abc", "abcd", "abcde" };
	int n;

	fdt_begin(&w, buf, sizeof(buf));
	fdt_begin_node(&w, "");
	for (u32 i = 0; i < ARRAY_SIZE(names); i++) {
		fdt_begin_node(&w, names[i]);
		for (u32 len = 0; len < 9; len++) {
			char name[16];

			snprintf(name, sizeof(name), "p%u", len);
			fdt_prop(&w, name, "\xff\xff\xff\xff\xff\xff\xff\xff",
				 len);
		}
		fdt_end_node(&w);
	}
	fdt_end_node(&w);
	n = fdt_finish(&w);
	CHECK(n > 0);
	CHECK_EQ(hdr(buf, H_OFF_STRUCT) % 4, 0);
	CHECK_EQ(hdr(buf, H_OFF_RSVMAP) % 8, 0);
	CHECK_EQ(walk(buf), 5 * 9);

	const char *dts = decompile(buf, n);
	CHECK(dts);
	CHECK_STR(prop(dts, "/abcde", "p0"), "");
	CHECK_STR(prop(dts, "/abc", "p3"), "[ff ff ff]");
	CHECK_STR(prop(dts, "/a", "p8"), "<0xffffffff 0xffffffff>");
}

TEST(fdt_strings_deduplicated)
{
	static u8 buf[4096];
	struct fdt_writer w;
	int n;

	fdt_begin(&w, buf, sizeof(buf));
	fdt_begin_node(&w, "");
	fdt_prop_string(&w, "compatible", "x");
	for (int i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "n%d", i);
		fdt_begin_node(&w, name);
		fdt_prop_string(&w, "compatible", "y");
		fdt_prop_u32(&w, "reg", i);
		fdt_prop_u32(&w, "phandle", i + 1);
		fdt_end_node(&w);
	}
	fdt_end_node(&w);
	n = fdt_finish(&w);
	CHECK(n > 0);
	/* Each name once: "compatible\0reg\0phandle\0". */
	CHECK_EQ(hdr(buf, H_SIZE_STRINGS),
		 sizeof("compatible") + sizeof("reg") + sizeof("phandle"));
	CHECK_EQ(walk(buf), 10);
	CHECK_STR(prop_name(buf, 0), "compatible");
	CHECK_STR(prop_name(buf, 1), "compatible");
	CHECK_STR(prop_name(buf, 2), "reg");
	CHECK_STR(prop_name(buf, 3), "phandle");
	CHECK_STR(prop_name(buf, 9), "phandle");
}

TEST(fdt_overflow_never_writes_past_the_buffer)
{
	static u8 ref[4096];
	int full = small_tree(ref, sizeof(ref));

	CHECK(full > 0);
	for (int size = 0; size < full; size++) {
		u8 *buf = guarded(size);
		int n = small_tree(buf, size);
		bool intact = guard_intact(buf, size);

		free(buf);
		if (n != -ENOMEM || !intact) {
			unit_fail(__FILE__, __LINE__,
				  "size %d: returned %d, guard %s", size, n,
				  intact ? "intact" : "overwritten");
			return;
		}
	}
	/* Exactly big enough: the same bytes as with room to spare. */
	u8 *buf = guarded(full);
	int n = small_tree(buf, full);
	bool same = n == full && !memcmp(buf, ref, full);

	CHECK(guard_intact(buf, full));
	free(buf);
	CHECK(same);
}

TEST(fdt_misuse_is_einval)
{
	static u8 buf[1024];
	struct fdt_writer w;

	fdt_begin(&w, buf, sizeof(buf)); /* nothing written */
	CHECK_EQ(fdt_finish(&w), -EINVAL);

	fdt_begin(&w, buf, sizeof(buf)); /* a node left open */
	fdt_begin_node(&w, "");
	fdt_begin_node(&w, "child");
	fdt_end_node(&w);
	CHECK_EQ(fdt_finish(&w), -EINVAL);

	fdt_begin(&w, buf, sizeof(buf)); /* one END_NODE too many */
	fdt_begin_node(&w, "");
	fdt_end_node(&w);
	fdt_end_node(&w);
	CHECK_EQ(fdt_finish(&w), -EINVAL);

	fdt_begin(&w, buf, sizeof(buf)); /* a property outside the root */
	fdt_prop_u32(&w, "x", 1);
	fdt_begin_node(&w, "");
	fdt_end_node(&w);
	CHECK_EQ(fdt_finish(&w), -EINVAL);

	fdt_begin(&w, buf, sizeof(buf)); /* a reservation after a node */
	fdt_begin_node(&w, "");
	fdt_reserve(&w, 0, 0x1000);
	fdt_end_node(&w);
	CHECK_EQ(fdt_finish(&w), -EINVAL);

	fdt_begin(&w, buf, sizeof(buf)); /* a second root, an unnamed child */
	fdt_begin_node(&w, "");
	fdt_end_node(&w);
	fdt_begin_node(&w, "");
	fdt_end_node(&w);
	CHECK_EQ(fdt_finish(&w), -EINVAL);
	fdt_begin(&w, buf, sizeof(buf));
	fdt_begin_node(&w, "");
	fdt_begin_node(&w, "");
	fdt_end_node(&w);
	fdt_end_node(&w);
	CHECK_EQ(fdt_finish(&w), -EINVAL);
}

TEST(fdt_dtc_reads_the_blob)
{
	static u8 buf[4096];
	int n = small_tree(buf, sizeof(buf));
	const char *dts;

	CHECK(n > 0);
	dts = decompile(buf, n);
	CHECK(dts);
	CHECK(strstr(dts, "/memreserve/\t0x0000000048000000 "
			  "0x0000000000010000;"));
	CHECK_STR(prop(dts, "/", "compatible"),
		  "\"vendor,board\\0vendor,soc\"");
	CHECK_STR(prop(dts, "/", "#address-cells"), "<0x02>");
	CHECK_STR(prop(dts, "/intc@1000", "reg"),
		  "<0x00 0x1000 0x00 0x100 0x12345 0x6789a000 0x00 0x2000>");
	CHECK_STR(prop(dts, "/intc@1000", "interrupt-controller"), "");
	CHECK_STR(prop(dts, "/intc@1000", "phandle"), "<0x01>");
	CHECK_STR(prop(dts, "/", "interrupt-parent"), "<0x01>");
	CHECK_STR(prop(dts, "/chosen", "linux,initrd-start"),
		  "<0x11223344 0x55667788>");
	CHECK_STR(prop(dts, "/chosen", "bytes"), "[01 02 03]");
	CHECK_STR(prop(dts, "/chosen", "absent"), "(absent)");
}

/* ---- The VMs' device trees ---- */

static const struct platform plat_v3 = {
	.name = "qemu-virt",
	.gic = { .version = GIC_V3 },
};

static const struct platform plat_v2 = {
	.name = "gicv2-board",
	.gic = { .version = GIC_V2 },
};

static const struct memslot one_ram[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
};

/* Unsorted, a READONLY RAM slot, and passed-through devices. */
static const struct memslot mixed[] = {
	{ .id = 0, .ipa = IPA(0x80000000), .size = MiB(32), .pa = PA(0x50000000) },
	{ .id = 1, .ipa = IPA(0x0a000000), .size = 0x4000, .pa = PA(0x0a000000),
	  .flags = SLOT_DEVICE },
	{ .id = 2, .ipa = IPA(0x40000000), .size = MiB(128), .pa = PA(0x48000000) },
	{ .id = 3, .ipa = IPA(0x60000000), .size = MiB(2), .pa = PA(0x52000000),
	  .flags = SLOT_READONLY | SLOT_NOEXEC },
	{ .id = 4, .ipa = IPA(0x09000000), .size = 0x1000, .pa = PA(0x09000000),
	  .flags = SLOT_DEVICE },
};

/* Builds the VM's tree, checks it as a blob and returns it decompiled. */
static const char *vm_dts(const struct vm_config *vm,
			  const struct platform *plat,
			  const struct vm_dt_params *p)
{
	static u8 buf[VM_DT_MAX_SIZE];
	int n = vm_dt_build(vm, plat, p, buf, sizeof(buf));

	if (n <= 0) {
		unit_fail(__FILE__, __LINE__, "vm_dt_build: %d", n);
		return NULL;
	}
	if (hdr(buf, H_TOTALSIZE) != (u32)n || walk(buf) < 0)
		return NULL;
	return decompile(buf, n);
}

/* What every VM's tree holds, whatever its configuration. */
static bool common_nodes(const char *dts)
{
	const char *ph = prop(dts, "/intc@8000000", "phandle");

	return !strcmp(prop(dts, "/", "#address-cells"), "<0x02>") &&
	       !strcmp(prop(dts, "/", "#size-cells"), "<0x02>") &&
	       !strcmp(prop(dts, "/", "compatible"), "\"linux,dummy-virt\"") &&
	       strcmp(ph, "(absent)") &&
	       !strcmp(prop(dts, "/", "interrupt-parent"), ph) &&
	       !strcmp(prop(dts, "/cpus", "#address-cells"), "<0x01>") &&
	       !strcmp(prop(dts, "/cpus", "#size-cells"), "<0x00>") &&
	       !strcmp(prop(dts, "/psci", "compatible"),
		       "\"arm,psci-1.0\\0arm,psci-0.2\"") &&
	       !strcmp(prop(dts, "/psci", "method"), "\"hvc\"") &&
	       !strcmp(prop(dts, "/intc@8000000", "#interrupt-cells"),
		       "<0x03>") &&
	       !strcmp(prop(dts, "/intc@8000000", "interrupt-controller"),
		       "") &&
	       !strcmp(prop(dts, "/timer", "compatible"),
		       "\"arm,armv8-timer\\0arm,armv7-timer\"") &&
	       !strcmp(prop(dts, "/timer", "always-on"), "") &&
	       !strcmp(prop(dts, "/apb-pclk", "compatible"),
		       "\"fixed-clock\"") &&
	       !strcmp(prop(dts, "/apb-pclk", "#clock-cells"), "<0x00>") &&
	       !strcmp(prop(dts, "/apb-pclk", "clock-frequency"),
		       "<0x16e3600>") &&
	       !strcmp(prop(dts, "/apb-pclk", "clock-output-names"),
		       "\"clk24mhz\"") &&
	       has_node(dts, "/chosen");
}

static bool cpu_ok(const char *dts, u32 i)
{
	char path[32], reg[16];

	snprintf(path, sizeof(path), "/cpus/cpu@%x", i);
	snprintf(reg, sizeof(reg), "<0x%02x>", i);
	return !strcmp(prop(dts, path, "reg"), reg) &&
	       !strcmp(prop(dts, path, "device_type"), "\"cpu\"") &&
	       !strcmp(prop(dts, path, "compatible"), "\"arm,armv8\"") &&
	       !strcmp(prop(dts, path, "enable-method"), "\"psci\"");
}

static bool uart_ok(const char *dts)
{
	const char *clk = prop(dts, "/apb-pclk", "phandle");

	return !strcmp(prop(dts, "/pl011@9000000", "compatible"),
		       "\"arm,pl011\\0arm,primecell\"") &&
	       !strcmp(prop(dts, "/pl011@9000000", "reg"),
		       "<0x00 0x9000000 0x00 0x1000>") &&
	       !strcmp(prop(dts, "/pl011@9000000", "interrupts"),
		       "<0x00 0x01 0x04>") &&
	       !strcmp(prop(dts, "/pl011@9000000", "clocks"), twice(clk)) &&
	       !strcmp(prop(dts, "/pl011@9000000", "clock-names"),
		       "\"uartclk\\0apb_pclk\"") &&
	       !strcmp(prop(dts, "/chosen", "stdout-path"),
		       "\"/pl011@9000000\"") &&
	       !strcmp(prop(dts, "/aliases", "serial0"), "\"/pl011@9000000\"");
}

static bool no_uart(const char *dts)
{
	return !has_node(dts, "/pl011@9000000") &&
	       !strcmp(prop(dts, "/chosen", "stdout-path"), "(absent)") &&
	       !has_node(dts, "/aliases");
}

TEST(fdt_vm_gicv3_one_vcpu_bare)
{
	struct vm_config vm = { .name = "bare", VCPUS_ON(0), SLOTS(one_ram) };
	struct vm_dt_params p = { 0 };
	const char *dts = vm_dts(&vm, &plat_v3, &p);

	CHECK(dts);
	CHECK(common_nodes(dts));
	CHECK_STR(prop(dts, "/", "model"), "\"VM bare on qemu-virt\"");
	CHECK_STR(prop(dts, "/memory@40000000", "device_type"), "\"memory\"");
	CHECK_STR(prop(dts, "/memory@40000000", "reg"),
		  "<0x00 0x40000000 0x00 0x4000000>");
	CHECK(cpu_ok(dts, 0));
	CHECK(!has_node(dts, "/cpus/cpu@1"));
	CHECK_STR(prop(dts, "/intc@8000000", "compatible"), "\"arm,gic-v3\"");
	CHECK_STR(prop(dts, "/intc@8000000", "reg"),
		  "<0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x20000>");
	CHECK_STR(prop(dts, "/intc@8000000", "#redistributor-regions"),
		  "<0x01>");
	CHECK_STR(prop(dts, "/timer", "interrupts"),
		  "<0x01 0x0d 0x04 0x01 0x0e 0x04 "
		  "0x01 0x0b 0x04 0x01 0x0a 0x04>");
	CHECK(no_uart(dts));
	CHECK_STR(prop(dts, "/chosen", "bootargs"), "(absent)");
	CHECK_STR(prop(dts, "/chosen", "linux,initrd-start"), "(absent)");
	CHECK_STR(prop(dts, "/chosen", "linux,initrd-end"), "(absent)");
}

/* .flash: virt's flash node, both banks, 32 bits wide (U-Boot's cfi_flash
 * finds the banks from it); none without. */
TEST(fdt_vm_flash_node_with_flash_banks)
{
	struct vm_config vm = { .name = "fw", VCPUS_ON(0), SLOTS(one_ram), .flash = true };
	struct vm_dt_params p = { 0 };
	const char *dts = vm_dts(&vm, &plat_v3, &p);

	CHECK(dts);
	CHECK(common_nodes(dts));
	CHECK_STR(prop(dts, "/flash@0", "compatible"), "\"cfi-flash\"");
	CHECK_STR(prop(dts, "/flash@0", "reg"),
		  "<0x00 0x00 0x00 0x4000000 0x00 0x4000000 0x00 0x4000000>");
	CHECK_STR(prop(dts, "/flash@0", "bank-width"), "<0x04>");
	vm.flash = false;
	dts = vm_dts(&vm, &plat_v3, &p);
	CHECK(dts);
	CHECK(!has_node(dts, "/flash@0"));
}

TEST(fdt_vm_gicv3_two_vcpus_linux)
{
	struct vm_config vm = {
		.name = "linux", VCPUS_ON(1, 2), SLOTS(one_ram),
		.cmdline = "console=ttyAMA0 earlycon", .vuart = true,
	};
	struct vm_dt_params p = { .initrd_ipa = 0x43000000,
				  .initrd_size = 0x123400 };
	const char *dts = vm_dts(&vm, &plat_v3, &p);

	CHECK(dts);
	CHECK(common_nodes(dts));
	CHECK(cpu_ok(dts, 0));
	CHECK(cpu_ok(dts, 1));
	CHECK(!has_node(dts, "/cpus/cpu@2"));
	CHECK_STR(prop(dts, "/intc@8000000", "reg"),
		  "<0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x40000>");
	CHECK(uart_ok(dts));
	CHECK_STR(prop(dts, "/chosen", "bootargs"),
		  "\"console=ttyAMA0 earlycon\"");
	CHECK_STR(prop(dts, "/chosen", "linux,initrd-start"),
		  "<0x00 0x43000000>");
	CHECK_STR(prop(dts, "/chosen", "linux,initrd-end"),
		  "<0x00 0x43123400>");
}

TEST(fdt_vm_gicv2_four_vcpus)
{
	struct vm_config vm = {
		.name = "v2", VCPUS_ON(0, 1, 2, 3), SLOTS(one_ram),
		.vuart = true,
	};
	struct vm_dt_params p = { .bootargs = "root=/dev/ram" };
	const char *dts = vm_dts(&vm, &plat_v2, &p);

	CHECK(dts);
	CHECK(common_nodes(dts));
	for (u32 i = 0; i < 4; i++)
		CHECK(cpu_ok(dts, i));
	CHECK(!has_node(dts, "/cpus/cpu@4"));
	CHECK_STR(prop(dts, "/intc@8000000", "compatible"),
		  "\"arm,cortex-a15-gic\"");
	CHECK_STR(prop(dts, "/intc@8000000", "reg"),
		  "<0x00 0x8000000 0x00 0x1000 0x00 0x8010000 0x00 0x2000>");
	CHECK_STR(prop(dts, "/intc@8000000", "#redistributor-regions"),
		  "(absent)");
	/* Level-high, CPUs 0-3 in bits 8-11. */
	CHECK_STR(prop(dts, "/timer", "interrupts"),
		  "<0x01 0x0d 0xf04 0x01 0x0e 0xf04 "
		  "0x01 0x0b 0xf04 0x01 0x0a 0xf04>");
	CHECK(uart_ok(dts));
	CHECK_STR(prop(dts, "/chosen", "bootargs"), "\"root=/dev/ram\"");
	CHECK_STR(prop(dts, "/chosen", "linux,initrd-start"), "(absent)");
}

TEST(fdt_vm_memory_nodes_are_the_ram_slots)
{
	struct vm_config vm = { .name = "mixed", VCPUS_ON(0), SLOTS(mixed) };
	struct vm_dt_params p = { 0 };
	const char *dts = vm_dts(&vm, &plat_v3, &p);
	const char *a, *b, *c;

	CHECK(dts);
	CHECK(common_nodes(dts));
	CHECK_STR(prop(dts, "/memory@40000000", "reg"),
		  "<0x00 0x40000000 0x00 0x8000000>");
	CHECK_STR(prop(dts, "/memory@60000000", "reg"),
		  "<0x00 0x60000000 0x00 0x200000>");
	CHECK_STR(prop(dts, "/memory@60000000", "device_type"), "\"memory\"");
	CHECK_STR(prop(dts, "/memory@80000000", "reg"),
		  "<0x00 0x80000000 0x00 0x2000000>");
	/* Device slots are not memory; in IPA order; nothing else. */
	CHECK(!has_node(dts, "/memory@a000000"));
	CHECK(!has_node(dts, "/memory@9000000"));
	a = strstr(dts, "\tmemory@40000000 {");
	b = strstr(dts, "\tmemory@60000000 {");
	c = strstr(dts, "\tmemory@80000000 {");
	CHECK(a && b && c && a < b && b < c);
	CHECK(!strstr(c + 2, "memory@"));
	/* Slot 4 passes the UART through: described, though not emulated. */
	CHECK(uart_ok(dts));
}

TEST(fdt_vm_loader_bootargs_override_the_config)
{
	struct vm_config vm = { .name = "x", VCPUS_ON(0), SLOTS(one_ram),
				.cmdline = "from-config" };
	struct vm_dt_params p = { .bootargs = "from-loader" };
	const char *dts = vm_dts(&vm, &plat_v3, &p);

	CHECK(dts);
	CHECK_STR(prop(dts, "/chosen", "bootargs"), "\"from-loader\"");

	p.bootargs = NULL;
	dts = vm_dts(&vm, &plat_v3, &p);
	CHECK(dts);
	CHECK_STR(prop(dts, "/chosen", "bootargs"), "\"from-config\"");
}

TEST(fdt_vm_eight_vcpus_gicv2)
{
	struct vm_config vm = { .name = "wide",
				VCPUS_ON(0, 1, 2, 3, 4, 5, 6, 7),
				SLOTS(one_ram) };
	struct vm_dt_params p = { 0 };
	const char *dts = vm_dts(&vm, &plat_v2, &p);

	CHECK(dts);
	CHECK(cpu_ok(dts, 7));
	CHECK_STR(prop(dts, "/timer", "interrupts"),
		  "<0x01 0x0d 0xff04 0x01 0x0e 0xff04 "
		  "0x01 0x0b 0xff04 0x01 0x0a 0xff04>");
}

TEST(fdt_vm_errors)
{
	struct vm_config vm = { .name = "x", VCPUS_ON(0, 1), SLOTS(mixed),
				.vuart = true, .cmdline = "console=ttyAMA0" };
	struct vm_dt_params p = { .initrd_ipa = 0x44000000, .initrd_size = 1 };
	static u8 ref[VM_DT_MAX_SIZE];
	int full = vm_dt_build(&vm, &plat_v3, &p, ref, sizeof(ref));

	CHECK(full > 0);
	for (int size = 0; size < full; size++) {
		u8 *buf = guarded(size);
		int n = vm_dt_build(&vm, &plat_v3, &p, buf, size);
		bool intact = guard_intact(buf, size);

		free(buf);
		if (n != -ENOMEM || !intact) {
			unit_fail(__FILE__, __LINE__,
				  "size %d: returned %d, guard %s", size, n,
				  intact ? "intact" : "overwritten");
			return;
		}
	}
	vm.nr_vcpus = 0;
	CHECK_EQ(vm_dt_build(&vm, &plat_v3, &p, ref, sizeof(ref)), -EINVAL);
	vm.nr_vcpus = MAX_VCPUS + 1;
	CHECK_EQ(vm_dt_build(&vm, &plat_v3, &p, ref, sizeof(ref)), -EINVAL);
}

/* Forwarded windows and channels (docs/forwarding.md): a frontend's
 * windows as devices, a device partition's request interrupt, and each
 * channel end with its region, doorbell and index. */
static const struct memslot chan_ram[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(64), .pa = PA(0x44000000) },
	{ .id = 3, .ipa = IPA(0x50000000), .size = 0x10000, .pa = PA(0x4c000000),
	  .flags = SLOT_SHARED },
};

static const struct fwd_window dt_windows[] = {
	{ .name = "net", .ipa = IPA(0x0a000000), .size = 0x200, .server = "dev",
	  .irq = 48, .compatible = "virtio,mmio" },
	{ .name = "regs", .ipa = IPA(0x0a000200), .size = 0x200, .server = "dev" },
};

static const struct channel dt_channels[] = {
	{ .name = "other", .end = { { "x", 1, 44 }, { "y", 1, 45 } } },
	{ .name = "ring", .end = { { "dev", 3, 41 }, { "front", 3, 40 } } },
};

TEST(fdt_vm_forwarded_windows_and_channel)
{
	struct vm_config vm = { .name = "front", VCPUS_ON(0), SLOTS(chan_ram),
				WINDOWS(dt_windows) };
	struct vm_dt_params p = { .channels = dt_channels, .nr_channels = 2 };
	const char *dts = vm_dts(&vm, &plat_v3, &p);

	CHECK(dts);
	CHECK(common_nodes(dts));
	CHECK_STR(prop(dts, "/virtio_mmio@a000000", "compatible"), "\"virtio,mmio\"");
	CHECK_STR(prop(dts, "/virtio_mmio@a000000", "reg"), "<0x00 0xa000000 0x00 0x200>");
	CHECK_STR(prop(dts, "/virtio_mmio@a000000", "interrupts"), "<0x00 0x10 0x04>");
	CHECK_STR(prop(dts, "/virtio_mmio@a000000", "hyp,served-by"), "\"dev\"");
	CHECK_STR(prop(dts, "/forwarded@a000200", "compatible"), "\"hyp,forwarded-window\"");
	CHECK_STR(prop(dts, "/forwarded@a000200", "interrupts"), "(absent)");
	CHECK_STR(prop(dts, "/channel@50000000", "compatible"), "\"hyp,channel\"");
	CHECK_STR(prop(dts, "/channel@50000000", "reg"), "<0x00 0x50000000 0x00 0x10000>");
	CHECK_STR(prop(dts, "/channel@50000000", "interrupts"), "<0x00 0x08 0x01>");
	CHECK_STR(prop(dts, "/channel@50000000", "channel-id"), "<0x01>");
	CHECK_STR(prop(dts, "/channel@50000000", "peer"), "\"dev\"");
	CHECK(!has_node(dts, "/memory@50000000")); /* not RAM to allocate */
	CHECK(has_node(dts, "/memory@40000000"));
	CHECK(!has_node(dts, "/device-partition"));
}

TEST(fdt_vm_device_partition)
{
	struct vm_config vm = { .name = "dev", VCPUS_ON(0), SLOTS(chan_ram),
				.fwd_request_irq = 80 };
	struct vm_dt_params p = { .channels = dt_channels, .nr_channels = 2 };
	const char *dts = vm_dts(&vm, &plat_v3, &p);

	CHECK(dts);
	CHECK_STR(prop(dts, "/device-partition", "compatible"), "\"hyp,device-partition\"");
	CHECK_STR(prop(dts, "/device-partition", "interrupts"), "<0x00 0x30 0x04>");
	CHECK_STR(prop(dts, "/channel@50000000", "channel-id"), "<0x01>");
	CHECK_STR(prop(dts, "/channel@50000000", "interrupts"), "<0x00 0x09 0x01>");
	CHECK_STR(prop(dts, "/channel@50000000", "peer"), "\"front\"");
}
