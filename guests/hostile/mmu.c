/*
 * The hostile guest's own stage 1 (4 KiB granule, 48-bit VAs from level
 * 0, 1 GiB blocks), for batches that run with it on: an identity map of
 * its IPA space, Device-nGnRE and never executable but for the gigabyte
 * of its RAM; and at HZ_ALIAS_BASE a Normal, executable alias of the low
 * 512 GiB, through which accesses may be unaligned, pair up across pages
 * and fetch from anywhere. Caches stay off (SCTLR_EL1.C = 0): with stage 1
 * on or off, memory is then seen the same way.
 */
#include "hostile.h"

#define ID_TABLES 32 /* identity up to a 44-bit IPA space */

static u64 l0[512] __aligned(4096);
static u64 l1[ID_TABLES + 1][512] __aligned(4096);

#define DESC_TABLE 3UL
#define DESC_BLOCK 1UL
#define ATTR_DEVICE (0UL << 2)
#define ATTR_NORMAL (1UL << 2)
#define SH_INNER (3UL << 8)
#define AF BIT(10)
#define PXN BIT(53)
#define UXN BIT(54)
/* Attr0 Device-nGnRE, Attr1 Normal Non-cacheable. */
#define MAIR_VALUE (0x04UL | 0x44UL << 8)
#define SCTLR_OFF 0x30d00800UL /* as the hypervisor resets it */
#define SCTLR_M BIT(0)

static u64 tcr_value(void)
{
	u64 ips = read_sysreg(id_aa64mmfr0_el1) & 0x7;

	/* T0SZ = T1SZ = 16, walks Non-cacheable, EPD1, TG1 4 KiB, IPS. */
	return 16UL | 16UL << 16 | BIT(23) | 2UL << 30 | ips << 32;
}

void hz_mmu_build(void)
{
	u64 top = 1UL << env.ipa_bits;
	u32 tables = MIN((top + BIT(39) - 1) >> 39, (u64)ID_TABLES);

	for (u32 t = 0; t < tables; t++) {
		l0[t] = (u64)(uintptr_t)l1[t] | DESC_TABLE;
		for (u32 i = 0; i < 512; i++) {
			u64 ipa = ((u64)t * 512 + i) << 30;

			if (ipa >= top)
				break;
			l1[t][i] = ipa | DESC_BLOCK | AF | SH_INNER |
				   (ipa >> 30 == HZ_RAM_IPA >> 30 ? ATTR_NORMAL :
				    ATTR_DEVICE | PXN | UXN);
		}
	}
	l0[HZ_ALIAS_BASE >> 39] = (u64)(uintptr_t)l1[ID_TABLES] | DESC_TABLE;
	for (u32 i = 0; i < 512 && ((u64)i << 30) < top; i++)
		l1[ID_TABLES][i] = (u64)i << 30 | DESC_BLOCK | AF | SH_INNER | ATTR_NORMAL;
	dsb(sy);
}

/* Kept in place on every vCPU: stage 1 may come on at any time (a
 * SCTLR_EL1 write of the campaign's, undone one instruction later). */
void hz_mmu_init_cpu(void)
{
	write_sysreg(MAIR_VALUE, mair_el1);
	write_sysreg(tcr_value(), tcr_el1);
	write_sysreg((u64)(uintptr_t)l0, ttbr0_el1);
	write_sysreg(0, ttbr1_el1);
	isb();
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
}

void hz_mmu_on(struct hz_cpu *c)
{
	hz_mmu_init_cpu();
	write_sysreg(SCTLR_OFF | SCTLR_M, sctlr_el1);
	isb();
	c->mmu = true;
}

void hz_mmu_junk(u64 ttbr0)
{
	write_sysreg(ttbr0, ttbr0_el1);
	isb();
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	write_sysreg(SCTLR_OFF | SCTLR_M, sctlr_el1);
	isb();
}

void hz_mmu_off(struct hz_cpu *c)
{
	write_sysreg(SCTLR_OFF, sctlr_el1);
	isb();
	c->mmu = false;
}
