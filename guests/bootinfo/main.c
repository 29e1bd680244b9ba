/*
 * What a guest finds in the device tree the hypervisor gives it: prints
 * /chosen's bootargs and initrd (with the initrd's first bytes), the
 * memory node and the number of CPUs, and checks them against what the VM
 * is (HC_VM_INFO) and where the DTB lies. For the one-guest configuration
 * (configs/single.c), whose GUEST=, INITRD=, CMDLINE= and VCPUS= end up
 * here.
 */
#include "guest.h"
#include "guest_platform.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* A 32- or 64-bit big-endian cell value. */
static u64 cells(const u8 *p, u32 len)
{
	return len == 8 ? (u64)be32(p) << 32 | be32(p + 4) : be32(p);
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

struct dt_info {
	const char *bootargs;
	u64 initrd_start, initrd_end;
	u64 mem_base, mem_size;
	u32 cpus;
	bool ok;
};

/* One property of the node node (at depth 1, "" for the root). */
static bool prop(struct dt_info *info, const char *node, const char *name,
		 const u8 *val, u32 len)
{
	bool chosen = str_eq(node, "chosen");

	if (chosen && str_eq(name, "bootargs"))
		info->bootargs = (const char *)val;
	else if (chosen && str_eq(name, "linux,initrd-start"))
		info->initrd_start = cells(val, len);
	else if (chosen && str_eq(name, "linux,initrd-end"))
		info->initrd_end = cells(val, len);
	else if (starts_with(node, "memory@") && str_eq(name, "reg") &&
		 len == 16) {
		info->mem_base = cells(val, 8);
		info->mem_size = cells(val + 8, 8);
	} else if (!*node && (str_eq(name, "#address-cells") ||
			      str_eq(name, "#size-cells"))) {
		return be32(val) == 2; /* what the parsing of reg assumes */
	}
	return true;
}

/* Walks the structure block: nodes at depth 1 are /chosen, /memory@...,
 * /cpus; /cpus/cpu@N are counted. */
static struct dt_info parse(const u8 *dtb)
{
	struct dt_info info = { 0 };
	const u8 *p = dtb + be32(dtb + 8);
	const char *strings = (const char *)dtb + be32(dtb + 12);
	const char *path[4] = { 0 };
	u32 depth = 0;

	if (be32(dtb) != FDT_MAGIC)
		return info;
	for (;;) {
		u32 token = be32(p);

		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;

			if (depth < ARRAY_SIZE(path))
				path[depth] = name;
			if (depth == 2 && str_eq(path[1], "cpus") &&
			    starts_with(name, "cpu@"))
				info.cpus++;
			depth++;
			while (*p)
				p++;
			p = (const u8 *)ALIGN_UP((u64)(uintptr_t)p + 1, 4);
		} else if (token == FDT_END_NODE) {
			if (!depth--)
				return info;
		} else if (token == FDT_PROP) {
			u32 len = be32(p), nameoff = be32(p + 4);
			const u8 *val = p + 8;

			if ((depth == 1 || depth == 2) &&
			    !prop(&info, depth == 2 ? path[1] : "",
				  strings + nameoff, val, len))
				return info;
			p = (const u8 *)ALIGN_UP((u64)(uintptr_t)val + len, 4);
		} else if (token == FDT_END) {
			info.ok = true;
			return info;
		} else if (token != FDT_NOP) {
			return info;
		}
	}
}

void guest_main(void);
void guest_main(void)
{
	struct dt_info dt = parse((const u8 *)guest_dtb);
	struct smccc_res vm;

	hvc_res(HC_VM_INFO, 0, 0, 0, &vm);
	report(dt.ok, "the device tree at 0x%lx parses", guest_dtb);
	printf("# bootargs: %s\n", dt.bootargs ? dt.bootargs : "(none)");
	printf("# memory: 0x%lx, 0x%lx bytes\n", dt.mem_base, dt.mem_size);
	printf("# cpus: %u\n", dt.cpus);
	report(dt.cpus == vm.a1, "the device tree lists the VM's %lu vCPUs (%u)",
	       vm.a1, dt.cpus);
	report(dt.mem_base == VIRT_RAM_BASE && guest_dtb >= dt.mem_base &&
		       guest_dtb < dt.mem_base + dt.mem_size,
	       "RAM starts at 0x%lx and holds the device tree", dt.mem_base);
	if (dt.initrd_end > dt.initrd_start) {
		const char *s = (const char *)dt.initrd_start;
		u64 n = MIN(dt.initrd_end - dt.initrd_start, 40UL);

		printf("# initrd: 0x%lx-0x%lx, %lu bytes: \"", dt.initrd_start,
		       dt.initrd_end, dt.initrd_end - dt.initrd_start);
		for (u64 i = 0; i < n && s[i] >= ' ' && s[i] < 0x7f; i++)
			putc(s[i]);
		printf("\"\n");
	} else {
		printf("# initrd: (none)\n");
	}
	report_done();
}
