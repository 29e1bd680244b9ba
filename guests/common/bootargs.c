/*
 * Settings from the device tree's /chosen/bootargs (the configuration's
 * cmdline), as "name=value" words: how the test payloads take a seed, a
 * duration or a mode without a hypercall of their own.
 */
#include "guest.h"

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

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

bool dt_present(void)
{
	return guest_dtb && !(guest_dtb & 3) &&
	       be32((const u8 *)guest_dtb) == FDT_MAGIC;
}

const char *dt_bootargs(void)
{
	const u8 *dtb = (const u8 *)guest_dtb, *p;
	const char *strings;
	u32 depth = 0, size;
	bool chosen = false;

	if (!dt_present())
		return "";
	size = be32(dtb + 4);
	p = dtb + be32(dtb + 8);
	strings = (const char *)dtb + be32(dtb + 12);
	/* A tree the hypervisor wrote, but stay inside it all the same. */
	while (p < dtb + size) {
		u32 token = be32(p);

		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;

			depth++;
			chosen = depth == 2 && same(name, "chosen");
			while (*p)
				p++;
			p = (const u8 *)ALIGN_UP((u64)(uintptr_t)p + 1, 4);
		} else if (token == FDT_END_NODE) {
			if (!depth--)
				break;
			chosen = false;
		} else if (token == FDT_PROP) {
			u32 len = be32(p);
			const char *name = strings + be32(p + 4);

			if (chosen && len && same(name, "bootargs"))
				return (const char *)p + 8;
			p = (const u8 *)ALIGN_UP((u64)(uintptr_t)p + 8 + len, 4);
		} else if (token != FDT_NOP) {
			break;
		}
	}
	return "";
}

u64 bootarg(const char *name, u64 def)
{
	const char *s = dt_bootargs();

	while (*s) {
		const char *n = name;

		while (*s == ' ')
			s++;
		while (*n && *s == *n) {
			s++;
			n++;
		}
		if (!*n && *s == '=') {
			u64 v = 0, base = 10;

			s++;
			if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
				base = 16;
				s += 2;
			}
			for (;; s++) {
				u64 d;

				if (*s >= '0' && *s <= '9')
					d = *s - '0';
				else if (base == 16 && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
					d = (*s | 0x20) - 'a' + 10;
				else
					break;
				v = v * base + d;
			}
			return v;
		}
		while (*s && *s != ' ')
			s++;
	}
	return def;
}
