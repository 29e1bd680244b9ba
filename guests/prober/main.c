/*
 * Isolation, the prober's side: reads every 2 MiB of its IPA space below
 * 4 GiB and every 1 GiB above up to its IPA size, and reads and writes
 * every 4 KiB page of the victim's host memory used as an IPA, skipping
 * only its own slots and the windows the hypervisor emulates. Each access
 * must arrive in its own handler as one synchronous external abort with
 * FAR = the address, and no load may return a value. The layout is
 * tests/configs/run/isolation.c's.
 */
#include "guest.h"
#include "guest_platform.h"
#include "mailbox.h"

#define RAM_SIZE 0x01000000UL
#define VICTIM_PA 0x48000000UL /* the victim's RAM slot in host memory */
#define VICTIM_SIZE 0x01000000UL
#define SENTINEL 0x0123456789abcdefUL
#define WAIT_MS 30000
#define MAX_SHOWN 5

static const struct {
	u64 start, size;
} own[] = {
	{ VIRT_RAM_BASE, RAM_SIZE },
	{ MAILBOX_IPA, PAGE_SIZE },
	{ VIRT_GICD_BASE, VIRT_GICD_SIZE },
	{ VIRT_GICR_BASE, VIRT_GICR_STRIDE }, /* one vCPU */
	{ VIRT_UART_BASE, VIRT_UART_SIZE },
};

static u64 probes, faults, values_read, wrong, shown;

static bool is_own(u64 a)
{
	for (u32 i = 0; i < ARRAY_SIZE(own); i++)
		if (a - own[i].start < own[i].size)
			return true;
	return false;
}

static void bad_probe(u64 a, bool write, u64 v)
{
	wrong++;
	if (shown++ < MAX_SHOWN)
		printf("# %s of 0x%lx: %u exception(s), ESR_EL1 0x%lx FAR_EL1 0x%lx, value 0x%lx\n",
		       write ? "write" : "read", a, caught.count, caught.esr,
		       caught.far, v);
}

static void probe(u64 a, bool write)
{
	u64 v = SENTINEL, esr;

	catch_reset();
	if (write)
		__asm__ volatile("str %0, [%1]" : : "r"(~SENTINEL), "r"(a) : "memory");
	else
		__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(a) : "memory");
	probes++;
	faults += caught.count;
	if (v != SENTINEL)
		values_read++;
	esr = caught.esr;
	if (caught.count != 1 || ESR_EC(esr) != EC_DABT_CUR ||
	    (esr & 0x3f) != FSC_SYNC_EXTERNAL || caught.far != a ||
	    !!(esr & ESR_WNR) != write || v != SENTINEL)
		bad_probe(a, write, v);
}

/* The VM's IPA size, as the hypervisor shows it in ID_AA64MMFR0_EL1. */
static unsigned ipa_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	u64 range = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return range < ARRAY_SIZE(bits) ? bits[range] : 48;
}

void guest_main(void);
void guest_main(void)
{
	struct mailbox *mb = mailbox();
	u64 top = 1UL << ipa_bits(), n;

	catch_aborts();
	report(spin_until(READ_ONCE(mb->victim_filled), WAIT_MS),
	       "the victim filled its RAM");

	for (u64 a = 0; a < SZ_1G * 4; a += SZ_2M)
		if (!is_own(a))
			probe(a, false);
	n = probes;
	for (u64 a = SZ_1G * 4; a < top; a += SZ_1G)
		probe(a, false);
	printf("# %lu reads every 2 MiB below 4 GiB, %lu every 1 GiB up to the "
	       "%u-bit IPA size\n", n, probes - n, ipa_bits());
	/* The victim's host memory, and a page either side. */
	for (u64 a = VICTIM_PA - PAGE_SIZE;
	     a < VICTIM_PA + VICTIM_SIZE + PAGE_SIZE; a += PAGE_SIZE) {
		probe(a, false);
		probe(a + PAGE_SIZE - 8, true);
	}
	report(!wrong && faults == probes && !values_read,
	       "prober: %lu probes outside its slots, %lu faults, each one "
	       "synchronous external abort with FAR = the address; %lu values read",
	       probes, faults, values_read);
	dmb(sy);
	WRITE_ONCE(mb->prober_done, 1);
	report_done();
}
