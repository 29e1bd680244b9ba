/*
 * Dirty logging from inside the guest: the bitmap HC_DIRTY_LOG_GET returns
 * is exactly the pages written since the last call (never pages only read),
 * a second call returns it empty, and bad requests return errors and lose
 * nothing.
 *
 * The slot layout is tests/configs/run/dirtylog.c's: slot 3 is LOG_DIRTY,
 * 515 pages (so the bitmap's last word is partial).
 */
#include "guest.h"
#include "mmio.h"

#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x01000000UL
#define RAM_SLOT 0
#define RO_BASE 0x50000000UL /* slot 1, READONLY */
#define LOG_SLOT 3
#define LOG_BASE 0x60000000UL
#define LOG_PAGES 515
#define WORDS ((LOG_PAGES + 63) / 64)
#define PAGE 4096UL

static u64 bitmap[64] __aligned(64);
static u64 vm_index;

struct log_result {
	s64 ret;
	u64 size; /* x1: the bitmap's size in bytes */
};

static struct log_result log_get(u64 slot, u64 buf, u64 size, u64 vm)
{
	struct smccc_res res;

	hvc_res4(HC_DIRTY_LOG_GET, slot, buf, size, vm, &res);
	return (struct log_result){ (s64)res.a0, res.a1 };
}

static void touch(u32 page, u64 off)
{
	mmio_write64(LOG_BASE + page * PAGE + off, 0xd00d0000UL + page);
}

/* Reads the log into bitmap and compares it with the pages listed. */
static void check_log(const char *name, const u32 *pages, u32 n)
{
	u64 want[WORDS] = { 0 };
	bool ok;

	for (u32 i = 0; i < ARRAY_SIZE(bitmap); i++)
		bitmap[i] = 0xaaaaaaaaaaaaaaaaUL;
	for (u32 i = 0; i < n; i++)
		want[pages[i] / 64] |= BIT(pages[i] % 64);

	struct log_result r = log_get(LOG_SLOT, (u64)(uintptr_t)bitmap,
				      sizeof(bitmap), vm_index);
	ok = r.ret == 0 && r.size == WORDS * 8;
	for (u32 i = 0; i < WORDS; i++)
		ok &= bitmap[i] == want[i];
	/* Nothing past the bitmap's size is written. */
	ok &= bitmap[WORDS] == 0xaaaaaaaaaaaaaaaaUL;
	report(ok, "%s: returned %ld, %lu bytes", name, r.ret, r.size);
	if (ok)
		return;
	for (u32 i = 0; i < WORDS + 1; i++)
		if (i == WORDS || bitmap[i] != want[i])
			printf("#   word %u: 0x%016lx, expected 0x%016lx\n", i,
			       bitmap[i],
			       i < WORDS ? want[i] : 0xaaaaaaaaaaaaaaaaUL);
}

static void errors(void)
{
	u64 buf = (u64)(uintptr_t)bitmap;
	struct log_result r;

	r = log_get(RAM_SLOT, buf, sizeof(bitmap), vm_index);
	report(r.ret == SMCCC_INVALID_PARAMETER,
	       "error: a slot without LOG_DIRTY is INVALID_PARAMETER (%ld)", r.ret);
	r = log_get(17, buf, sizeof(bitmap), vm_index);
	report(r.ret == SMCCC_INVALID_PARAMETER,
	       "error: a slot id the VM lacks is INVALID_PARAMETER (%ld)", r.ret);
	r = log_get(0x100000003UL, buf, sizeof(bitmap), vm_index);
	report(r.ret == SMCCC_INVALID_PARAMETER,
	       "error: slot id 3 + 2^32 is not slot 3 (%ld)", r.ret);
	r = log_get(LOG_SLOT, buf, WORDS * 8 - 8, vm_index);
	report(r.ret == SMCCC_INVALID_PARAMETER && r.size == WORDS * 8,
	       "error: a buffer one word too small is INVALID_PARAMETER (%ld), "
	       "x1 gives the size needed (%lu)", r.ret, r.size);
	r = log_get(LOG_SLOT, buf, 0, vm_index);
	report(r.ret == SMCCC_INVALID_PARAMETER && r.size == WORDS * 8,
	       "error: an empty buffer is INVALID_PARAMETER (%ld, needs %lu)", r.ret, r.size);
	r = log_get(LOG_SLOT, 0x70000000UL, sizeof(bitmap), vm_index);
	report(r.ret == SMCCC_INVALID_PARAMETER,
	       "error: a buffer outside the VM's memory is INVALID_PARAMETER (%ld)", r.ret);
	r = log_get(LOG_SLOT, RAM_BASE + RAM_SIZE - 16, sizeof(bitmap),
		    vm_index);
	report(r.ret == SMCCC_INVALID_PARAMETER,
	       "error: a buffer running off the end of RAM is INVALID_PARAMETER (%ld)", r.ret);
	r = log_get(LOG_SLOT, RO_BASE, sizeof(bitmap), vm_index);
	report(r.ret == SMCCC_INVALID_PARAMETER,
	       "error: a buffer in a READONLY slot is INVALID_PARAMETER (%ld)", r.ret);
	r = log_get(LOG_SLOT, 0x09000000UL, sizeof(bitmap), vm_index);
	report(r.ret == SMCCC_INVALID_PARAMETER,
	       "error: a buffer on the virtual UART is INVALID_PARAMETER (%ld)", r.ret);
	r = log_get(LOG_SLOT, buf, sizeof(bitmap), vm_index + 1);
	report(r.ret == SMCCC_INVALID_PARAMETER,
	       "error: another VM's log, without dirty_log_manager, is INVALID_PARAMETER (%ld)",
	       r.ret);
	r = log_get(LOG_SLOT, buf, sizeof(bitmap), 1000);
	report(r.ret == SMCCC_INVALID_PARAMETER,
	       "error: VM index 1000 is INVALID_PARAMETER (%ld)", r.ret);
}

void guest_main(void);
void guest_main(void)
{
	static const u32 first[] = { 0, 1, 63, 64, 129, 130, 200, 514 };
	static const u32 second[] = { 0, 2, 100 };
	static const u32 kept[] = { 7, 300 };
	bool ok = true;

	catch_aborts();
	catch_reset();
	struct smccc_res info;

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	vm_index = info.a0;

	check_log("a slot never written has an empty bitmap", NULL, 0);

	touch(0, 0);
	touch(1, 0);
	touch(1, 8); /* the same page again */
	touch(63, PAGE - 8);
	touch(64, 0);
	/* One STP across the boundary of pages 129 and 130 dirties both. */
	__asm__ volatile("stp %0, %0, [%1]" : : "r"(0x5757UL),
			 "r"(LOG_BASE + 130 * PAGE - 8) : "memory");
	touch(200, 0x800);
	touch(514, PAGE - 8); /* the last page */
	(void)mmio_read64(LOG_BASE + 300 * PAGE); /* read only: stays clean */
	(void)mmio_read64(LOG_BASE + 3 * PAGE);
	check_log("the bitmap is exactly pages 0 1 63 64 129 130 200 514", first,
		  ARRAY_SIZE(first));
	check_log("a second call returns an empty bitmap", NULL, 0);

	touch(2, 0);
	touch(100, 16);
	touch(0, 24);
	check_log("written again: exactly pages 0 2 100", second,
		  ARRAY_SIZE(second));

	for (u32 p = 0; p < LOG_PAGES; p++)
		touch(p, 32);
	u32 all[LOG_PAGES];
	for (u32 p = 0; p < LOG_PAGES; p++)
		all[p] = p;
	check_log("every page written: all 515 bits, none beyond", all,
		  LOG_PAGES);

	/* Errors lose nothing: pages written before them are still logged. */
	touch(7, 0);
	touch(300, 0);
	errors();
	check_log("after the errors: exactly pages 7 300", kept,
		  ARRAY_SIZE(kept));

	ok = mmio_read64(LOG_BASE + 0 * PAGE + 24) == 0xd00d0000UL &&
	     mmio_read64(LOG_BASE + 130 * PAGE - 8) == 0x5757 &&
	     mmio_read64(LOG_BASE + 130 * PAGE) == 0x5757 &&
	     mmio_read64(LOG_BASE + 515 * PAGE - 8) == 0xd00d0000UL + 514 &&
	     mmio_read64(LOG_BASE + 300 * PAGE) == 0xd00d0000UL + 300;
	report(ok, "the data written through the log's faults is all there");
	expect_no_abort("dirty logging");
	report_done();
}
