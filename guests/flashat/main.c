/*
 * A write to a flash bank's read-only RAM whose stage-1 translation another
 * vCPU takes away while the hypervisor works out its IPA (with AT, from the
 * VA: HPFAR_EL2 need not hold it for a permission fault). vCPU 0 maps VA
 * WINDOW to bank 0's RAM with its own stage 1 and writes the read-array
 * command there, over and over; vCPU 1 makes that page's descriptor invalid
 * and valid again, with no TLB maintenance (as a careless guest may). Each
 * write must either reach the chips or take vCPU 0's own stage-1
 * translation fault; an external abort from the hypervisor ("refused")
 * means it gave up on a translation that had merely changed, where a retry
 * was due. The same with the page moving between the bank and RAM. Then
 * writes the chips cannot take as bus cycles (store-exclusive, DC ZVA):
 * refused, and a pair, taken as two. Layout: tests/configs/run/flashat.c.
 */
#include "guest.h"
#include "mmio.h"

#define WINDOW 0x80000000UL /* VA: level-1 entry 2, then level 2 and 3 */
#define TRIES 20000

#define DESC_TABLE 3UL
#define DESC_BLOCK 1UL
#define DESC_PAGE 3UL
#define ATTR_DEVICE (0UL << 2)
#define ATTR_NORMAL_NC (1UL << 2)
#define AF BIT(10)
#define SH_INNER (3UL << 8)
#define XN (BIT(53) | BIT(54))
#define MAIR_VALUE (0x04UL | 0x44UL << 8) /* Device-nGnRE, Normal NC */
#define SCTLR_OFF 0x30d00800UL
#define SCTLR_M BIT(0)
#define FSC_TRANSLATION_L3 0x07
#define CMD_READ_ARRAY 0x00ff00ffu /* both chips */

static u64 l1[512] __aligned(4096);
static u64 l2[512] __aligned(4096);
static u64 l3[512] __aligned(4096);
/* Bank 0's first page, Device, never executable. */
static const u64 flash_page = 0 | DESC_PAGE | AF | ATTR_DEVICE | XN;

/* A page of RAM the window may point at instead. */
static u8 scratch[4096] __aligned(4096);

static volatile u32 stop;

/* vCPU 1, its MMU off: the descriptor comes and goes (arg 0), or points at
 * RAM and back (arg 1). */
static void toggler(u64 arg)
{
	volatile u64 *pte = &l3[0];
	u64 other = arg ? ((u64)(uintptr_t)scratch | DESC_PAGE | AF | ATTR_DEVICE | XN) : 0;

	while (!stop) {
		*pte = other;
		dsb(sy);
		*pte = flash_page;
		dsb(sy);
	}
	*pte = flash_page;
	dsb(sy);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
}

/* TRIES writes of the read-array command through the window while vCPU 1
 * toggles it; the exceptions they took, by kind. */
static void race(u64 mode, u32 *translation, u32 *other, u32 *last_other)
{
	*translation = *other = *last_other = 0;
	stop = 0;
	catch_reset();
	if (cpu_on(1, toggler, mode) != PSCI_RET_SUCCESS) {
		report(false, "vCPU 1 did not start");
		report_done();
	}
	for (u32 i = 0; i < TRIES; i++) {
		u32 before = caught.count;

		/* A fresh walk for each write: what vCPU 1 wrote last. */
		__asm__ volatile("tlbi vae1, %0\n\tdsb nsh\n\tisb"
				 :: "r"(WINDOW >> 12) : "memory");
		mmio_write32(WINDOW, CMD_READ_ARRAY);
		if (caught.count == before)
			continue;
		if ((caught.esr & 0x3f) == FSC_TRANSLATION_L3) {
			(*translation)++;
		} else {
			(*other)++;
			*last_other = (u32)caught.esr;
		}
	}
	stop = 1;
	dsb(sy);
	/* vCPU 1 off again before the next round starts it. */
	while (hvc(PSCI_AFFINITY_INFO, 1, 0, 0) != AFFINITY_OFF)
		;
}

static void mmu_on(void)
{
	/* 0-1 GiB devices and the flash banks, 1-2 GiB RAM: identity. */
	l1[0] = 0 | DESC_BLOCK | AF | ATTR_DEVICE | XN;
	l1[1] = 0x40000000UL | DESC_BLOCK | AF | SH_INNER | ATTR_NORMAL_NC;
	l1[2] = (u64)(uintptr_t)l2 | DESC_TABLE;
	l2[0] = (u64)(uintptr_t)l3 | DESC_TABLE;
	l3[0] = flash_page;
	dsb(sy);
	write_sysreg(MAIR_VALUE, mair_el1);
	/* T0SZ 32 (4 GiB, walks from level 1), walks Non-cacheable (vCPU 1
	 * writes with its MMU off), EPD1, TG1 4 KiB, IPS 32 bits. */
	write_sysreg(32UL | BIT(23) | 2UL << 30, tcr_el1);
	write_sysreg((u64)(uintptr_t)l1, ttbr0_el1);
	isb();
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	write_sysreg(SCTLR_OFF | SCTLR_M, sctlr_el1);
	isb();
}

void guest_main(void);
void guest_main(void)
{
	u32 translation, other, last_other;

	mmu_on();
	catch_aborts();
	race(0, &translation, &other, &last_other);
	printf("# %u writes, %u of them took the guest's own translation fault\n",
	       TRIES, translation);
	report(other == 0, "no write while its translation came and went was "
	       "refused (%u were, the last ESR_EL1 0x%x)", other, last_other);
	race(1, &translation, &other, &last_other);
	report(translation + other == 0, "no write while its translation moved "
	       "between the bank and RAM was refused (%u were, the last ESR_EL1 "
	       "0x%x)", translation + other, last_other);
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	report(mmio_read32(WINDOW) == 0xffffffff, "the bank still reads its array");

	/* Writes the chips cannot take as bus cycles, through the window
	 * (Device memory, bank in read-array mode): each refused with an
	 * external abort, the bank left as it was. */
	u64 w = WINDOW, zero = 0, status = 7;

	catch_reset();
	u64 loaded;

	/* The load-exclusive reads the mapped RAM; the store then faults. */
	__asm__ volatile("ldxr %1, [%2]\n\tstxr %w0, %3, [%2]"
			 : "+r"(status), "=&r"(loaded) : "r"(w), "r"(zero) : "memory");
	bool stxr = expect_one_abort(EC_DABT_CUR, WINDOW, true, "a store-exclusive");
	catch_reset();
	__asm__ volatile("dc zva, %0" :: "r"(w) : "memory");
	bool zva = caught.count == 1 && (caught.esr & 0x3f) == FSC_SYNC_EXTERNAL;
	report(zva, "DC ZVA: refused (%u exceptions, ESR_EL1 0x%lx)", caught.count, caught.esr);
	/* A pair is two bus cycles: both read-array commands, no abort. */
	catch_reset();
	__asm__ volatile("stp %w0, %w0, [%1]" :: "r"(CMD_READ_ARRAY), "r"(w) : "memory");
	report(caught.count == 0 && mmio_read32(WINDOW) == 0xffffffff &&
	       stxr && zva, "STP taken as two cycles; the bank reads its array after all three");
	report_done();
}
