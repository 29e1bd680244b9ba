/*
 * A manager writing into its stopped frontend (tests/configs/run/
 * forward-managed.c): the frontend leaves its device busy with a late copy
 * into its memory pending (REG_LATE) and stops; its manager writes into
 * that memory (HC_VM_WRITE) and starts it again (HC_VM_START) as soon as
 * the hypervisor says it is stopped. The copy must not land over what the
 * manager wrote: the hypervisor says "stopped" only once the device
 * partition took the frontend's reset record (docs/forwarding.md).
 */
#include "guest.h"
#include "layout.h"
#include "managed.h"

#define WAIT_MS 5000
#define LATE_MS 100 /* within the windows' FWD_TIMEOUT_US */
#define FRONT 0     /* the frontend's VM index (forward-managed.c) */
#define RAW_ENTRY 0x40080000UL
#define RAW_DTB 0x40000000UL

static volatile u8 *const pool = (volatile u8 *)FWD_POOL_IPA;

/* ---- The manager ---- */

static u8 image[0x200] __aligned(8); /* what goes at FWD_MGR_OFF */

static u64 front_state(void)
{
	struct smccc_res r;

	hvc_res(HC_VM_QUERY, FRONT, 0, 0, &r);
	return r.a1;
}

void fwd_manager(void)
{
	struct smccc_res r;
	u32 stopping = 0;
	bool stopped;

	printf("# managing vm %u\n", FRONT);
	/* Running, then (stopping, then) stopped: its own SYSTEM_OFF. */
	stopped = spin_until(({
		u64 st = front_state();

		stopping += st == HC_VM_STATE_STOPPING;
		if (st != HC_VM_STATE_STOPPED)
			delay_ms(1);
		st == HC_VM_STATE_STOPPED;
	}), WAIT_MS);
	report(stopped, "the frontend stopped");
	printf("# it read \"stopping\" %u times first\n", stopping);

	*(u64 *)image = FWD_MGR_MARK;
	for (u32 i = 0; i < FWD_LATE_SIZE; i++)
		image[FWD_LATE_OFF - FWD_MGR_OFF + i] = FWD_MGR_BYTE;
	hvc_res4(HC_VM_WRITE, FRONT, FWD_POOL_IPA + FWD_MGR_OFF,
		 (u64)(uintptr_t)image, sizeof(image), &r);
	report(r.a0 == 0, "HC_VM_WRITE into the stopped frontend (%ld)", (s64)r.a0);
	hvc_res4(HC_VM_START, FRONT, RAW_ENTRY, 0, RAW_DTB, &r);
	report(r.a0 == 0, "HC_VM_START of it again (%ld)", (s64)r.a0);
	report_done();
}

/* ---- The frontend ---- */

static bool await_device(void)
{
	u64 end = counter_now() + counter_ms(WAIT_MS);

	for (;;) {
		catch_reset();
		if (*(volatile u32 *)(FWD_WIN0 + REG_MAGIC) == FWD_MAGIC &&
		    !caught.count)
			return true;
		if (counter_now() > end)
			return false;
		delay_ms(5);
	}
}

static void second_run(void)
{
	u32 wrong = 0;

	printf("# run 2\n");
	report(await_device(), "the device answers our second run");
	report(*(volatile u64 *)(FWD_WIN0 + REG_SCRATCH) == 0,
	       "the device dropped our first run's state");
	for (u32 i = 0; i < FWD_LATE_SIZE; i++)
		wrong += pool[FWD_LATE_OFF + i] != FWD_MGR_BYTE;
	report(!wrong, "what our manager wrote while we were stopped is whole: "
	       "the device's late copy did not land over it (%u bytes of %u "
	       "overwritten)", wrong, FWD_LATE_SIZE);
	*(volatile u64 *)(FWD_WIN0 + REG_DONE) = 1;
	report_done();
}

void fwd_managed_frontend(void)
{
	if (*(volatile u64 *)(pool + FWD_MGR_OFF) == FWD_MGR_MARK)
		second_run();
	printf("# run 1\n");
	report(await_device(), "the device answers");
	*(volatile u64 *)(FWD_WIN0 + REG_SCRATCH) = 0xfeed;
	/* Answered at once; the device copies into our pool LATE_MS later. */
	*(volatile u64 *)(FWD_WIN0 + REG_LATE) = LATE_MS;
	printf("# stopping with the device's copy into our memory pending\n");
	system_off();
}
