/* EL2 stage-1 translation (see mmu.h). */
#include "mmu.h"
#include "cache.h"
#include "layout.h"
#include "log.h"
#include "panic.h"
#include "platform.h"
#include "sysreg.h"

extern u8 _head[], __text_end[], __rodata_end[], _end[];
extern u8 __bss_start[], __stacks_start[], __stacks_end[];
extern u8 __pool_start[], __pool_end[];

struct page_pool hyp_pool;
static struct pgtable hyp_pt;

/* What a secondary CPU reads with its MMU still off: cleaned to memory. */
static struct {
	u64 ttbr, tcr;
} mmu_regs __aligned(64);

static void *hyp_zalloc_pages(void *ctx, unsigned n)
{
	return pool_zalloc(ctx, n);
}

static void hyp_free_pages(void *ctx, void *pages, unsigned n)
{
	pool_free(ctx, pages, n);
}

/* The hypervisor maps memory at its physical address. */
static u64 hyp_virt_to_phys(void *ctx __unused, void *va)
{
	return (u64)(uintptr_t)va;
}

static void *hyp_phys_to_virt(void *ctx __unused, u64 pa)
{
	return (void *)(uintptr_t)pa;
}

u64 vttbr_of(const struct pgtable *pt)
{
	return pt->root_pa | (u64)pt->vmid << 48;
}

/* TLB maintenance by IPA or VMID acts on the VMID in VTTBR_EL2: switch to
 * the table's own for the operation (another VM's may be loaded). */
static u64 enter_vmid(const struct pgtable *pt)
{
	u64 old = read_sysreg(vttbr_el2);

	if (old != vttbr_of(pt)) {
		write_sysreg(vttbr_of(pt), vttbr_el2);
		isb();
	}
	return old;
}

static void exit_vmid(const struct pgtable *pt, u64 old)
{
	if (old != vttbr_of(pt)) {
		write_sysreg(old, vttbr_el2);
		isb();
	}
}

static void hyp_tlb_inval_ia(void *ctx __unused, const struct pgtable *pt,
			     u64 ia, unsigned level __unused)
{
	dsb(ishst);
	if (pt->format == PT_S1_EL2) {
		__asm__ volatile("tlbi vae2is, %0" : : "r"(ia >> PAGE_SHIFT));
	} else {
		u64 old = enter_vmid(pt);

		/* Stage-2 entries, then combined stage-1+2 ones, which an IPA
		 * does not name (Arm ARM D8.13.6). */
		__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(ia >> PAGE_SHIFT));
		dsb(ish);
		__asm__ volatile("tlbi vmalle1is");
		dsb(ish);
		exit_vmid(pt, old);
	}
	dsb(ish);
	isb();
}

static void hyp_tlb_inval_ia_local(void *ctx __unused, const struct pgtable *pt,
				   u64 ia, unsigned level)
{
	if (pt->format != PT_S2) {
		hyp_tlb_inval_ia(ctx, pt, ia, level);
		return;
	}
	u64 old = enter_vmid(pt);

	dsb(nshst);
	__asm__ volatile("tlbi ipas2e1, %0" : : "r"(ia >> PAGE_SHIFT));
	dsb(nsh);
	__asm__ volatile("tlbi vmalle1");
	dsb(nsh);
	isb();
	exit_vmid(pt, old);
}

static void hyp_tlb_inval_all(void *ctx __unused, const struct pgtable *pt)
{
	dsb(ishst);
	if (pt->format == PT_S1_EL2) {
		__asm__ volatile("tlbi alle2is");
	} else {
		u64 old = enter_vmid(pt);

		__asm__ volatile("tlbi vmalls12e1is");
		dsb(ish);
		exit_vmid(pt, old);
	}
	dsb(ish);
	isb();
}

const struct pt_mm_ops hyp_mm_ops = {
	.zalloc_pages = hyp_zalloc_pages,
	.free_pages = hyp_free_pages,
	.virt_to_phys = hyp_virt_to_phys,
	.phys_to_virt = hyp_phys_to_virt,
	.tlb_inval_ia = hyp_tlb_inval_ia,
	.tlb_inval_all = hyp_tlb_inval_all,
	.tlb_inval_ia_local = hyp_tlb_inval_ia_local,
	.ctx = &hyp_pool,
};

unsigned cpu_pa_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	u64 range = FIELD_GET(read_sysreg(id_aa64mmfr0_el1), 3, 0);

	return range < ARRAY_SIZE(bits) ? MIN(bits[range], 48) : 48;
}

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

static void map_or_panic(u64 base, u64 size, pt_prot_t prot, const char *what)
{
	u64 start = ALIGN_DOWN(base, PAGE_SIZE);
	u64 end = ALIGN_UP(base + size, PAGE_SIZE);
	int err = pt_map(&hyp_pt, start, start, end - start, prot, NULL);

	if (err)
		panic("cannot map %s at 0x%lx-0x%lx in the EL2 tables (error %d)",
		      what, start, end - 1, err);
}

/* TCR_EL2 fields (non-VHE; Arm ARM D17.2.134). */
#define TCR_RES1 (BIT(31) | BIT(23))
#define TCR_T0SZ(bits) (64UL - (bits))
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER (3UL << 12)
#define TCR_TG0_4K (0UL << 14)
#define TCR_PS_SHIFT 16

/* SCTLR_EL2 bits. */
#define SCTLR_M BIT(0)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)

void mmu_build(void)
{
	unsigned bits = cpu_pa_bits();

	pool_init(&hyp_pool, __pool_start,
		  (addr(__pool_end) - addr(__pool_start)) / PAGE_SIZE);
	if (pt_init(&hyp_pt, PT_S1_EL2, bits, &hyp_mm_ops))
		panic("cannot allocate the EL2 root table");

	/* All RAM as data: guest images and device trees are written
	 * through it. Then the image's own sections with their rights. */
	for (const struct mem_range *r = platform.ram; r->size; r++)
		map_or_panic(r->base, r->size, PT_RW, "board RAM");
	map_or_panic(addr(_head), addr(__text_end) - addr(_head), PT_RX,
		     "hypervisor text");
	map_or_panic(addr(__text_end), addr(__rodata_end) - addr(__text_end),
		     PT_R, "hypervisor read-only data");
	for (u64 s = addr(__stacks_start); s < addr(__stacks_end);
	     s += STACK_SLOT) {
		int err = pt_unmap(&hyp_pt, s, STACK_GUARD_SIZE);

		if (err)
			panic("cannot unmap a stack guard page (error %d)", err);
	}

	map_or_panic(platform.uart.base, PAGE_SIZE, PT_RW | PT_DEVICE, "UART");
	if (platform.gic.version == GIC_V3) {
		map_or_panic(platform.gic.gicd, SZ_64K, PT_RW | PT_DEVICE,
			     "GIC distributor");
		map_or_panic(platform.gic.gicr,
			     platform.nr_cpus * platform.gic.gicr_stride,
			     PT_RW | PT_DEVICE, "GIC redistributors");
	} else {
		map_or_panic(platform.gic.gicd, SZ_4K, PT_RW | PT_DEVICE,
			     "GIC distributor");
		map_or_panic(platform.gic.gicc, 2 * SZ_4K, PT_RW | PT_DEVICE,
			     "GIC CPU interface");
		map_or_panic(platform.gic.gich, SZ_4K, PT_RW | PT_DEVICE,
			     "GIC virtual interface control");
	}

	if (hyp_pool.in_use > EL2_TABLE_PAGES)
		panic("the EL2 tables took %lu pool pages, more than the %u kept for them",
		      hyp_pool.in_use, EL2_TABLE_PAGES);
	mmu_regs.ttbr = hyp_pt.root_pa;
	mmu_regs.tcr = TCR_RES1 | TCR_T0SZ(bits) | TCR_IRGN0_WBWA |
		       TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
		       (MIN(FIELD_GET(read_sysreg(id_aa64mmfr0_el1), 3, 0), 5UL)
			<< TCR_PS_SHIFT);
	/* Written with the caches off; drop any stale lines a loader that ran
	 * with caches on may have left over this memory. */
	dcache_clean_inval(__bss_start, addr(__stacks_end) - addr(__bss_start));
	dcache_clean_inval(__pool_start, hyp_pool.fresh * PAGE_SIZE);
}

void mmu_enable(void)
{
	write_sysreg(MAIR_EL2_VALUE, mair_el2);
	write_sysreg(mmu_regs.tcr, tcr_el2);
	write_sysreg(mmu_regs.ttbr, ttbr0_el2);
	isb();
	__asm__ volatile("tlbi alle2");
	__asm__ volatile("ic iallu");
	dsb(nsh);
	isb();
	u64 sctlr = read_sysreg(sctlr_el2);
	write_sysreg(sctlr | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_WXN,
		     sctlr_el2);
	isb();
}
