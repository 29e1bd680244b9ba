/* The forwarding test's device (guests/fwd): its windows in the frontend
 * and the register map the device partition serves, shared by both roles
 * and tests/configs/run/forward*.c. */
#ifndef FWD_LAYOUT_H
#define FWD_LAYOUT_H

#define FWD_WIN0 0x0a000000UL /* FWD_FAIL_ABORT, frontend SPI 48 */
#define FWD_WIN1 0x0a000200UL /* FWD_FAIL_ONES, no interrupt */
#define FWD_WIN_SIZE 0x200UL
#define FWD_WIN0_IRQ 48
#define FWD_REQUEST_IRQ 80    /* the device partition's */
/* A request's timeout: host time under TCG, so a host that stops QEMU
 * while a request waits counts against it. At 250 ms, QEMU stopped for
 * 100-400 ms at random instants failed 1 run in 24 ("did not answer in
 * time"); 750 ms outlasts such stalls and keeps STALL_MS's check. */
#define FWD_TIMEOUT_US 750000
#define FWD_POOL_IPA 0x50000000UL     /* the frontend's I/O pool ... */
#define FWD_POOL_DEV_IPA 0x60000000UL /* ... as the device partition sees it */

/* Registers (offsets in a window). */
#define REG_MAGIC 0x00   /* reads FWD_MAGIC */
#define REG_SCRATCH 0x08 /* read/write, 0 at the device's start */
#define REG_IRQ 0x40     /* write: the level of the window's interrupt */
#define REG_STALL 0x48   /* write: the device stops answering for N ms */
#define REG_RESTART 0x50 /* write: the device partition restarts */
#define REG_FAIL 0x58    /* read: the device fails the access */
#define REG_SUM_ADDR 0x60 /* write: frontend IPA of 256 bytes to add up */
#define REG_SUM 0x68      /* read: their sum, read through frontend memory */
#define REG_DONE 0x70    /* write: the test is over, the device powers off */
#define REG_BUSY 0x78    /* write: answered, then the device is busy N ms */
#define REG_RESET_AT 0x80 /* read: the counter when the device last heard
			   * of the frontend's reset (HC_FWD_FRONTEND_RESET) */
#define REG_LATE 0x88    /* write: answered, then N ms later the device
			   * copies a "frame" (FWD_LATE_SIZE bytes of
			   * FWD_LATE_BYTE) into the frontend's I/O pool at
			   * FWD_LATE_OFF, as a copy into an old buffer */
#define REG_FILE 0x100   /* 0x100-0x1ff: plain storage, any size */

/* forward-managed.c: what the manager writes into its stopped frontend's
 * I/O pool (one HC_VM_WRITE): a mark at FWD_MGR_OFF saying the frontend
 * runs again, and FWD_MGR_BYTE over the late frame's place. */
#define FWD_MGR_OFF 0x400
#define FWD_MGR_MARK 0x6d616e61676564UL
#define FWD_MGR_BYTE 0x5a
#define FWD_LATE_OFF 0x500
#define FWD_LATE_SIZE 0x100
#define FWD_LATE_BYTE 0xdd

#define FWD_MAGIC 0x74726976UL

#endif
