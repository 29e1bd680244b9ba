/* The hypervisor's own hypercalls, shared with guests: SMCCC fast calls in
 * the vendor-specific hypervisor service range (Arm DEN 0028, owner 6). */
#ifndef HYPERCALL_H
#define HYPERCALL_H

#define HC_BASE 0xc6000000 /* SMC64, fast call, owner 6 (vendor hypervisor) */

/* x0 = 0. Costs nothing but the trap: the null-hypercall benchmark. */
#define HC_NOP (HC_BASE + 0x00)
/* x1 = slot id, x2 = IPA of a buffer, x3 = its size in bytes: copies the
 * slot's dirty bitmap there (64 pages per 64-bit word, as KVM does), clears
 * it and write-protects the pages again. x0 = 0 or a negative error; x1 =
 * the bitmap's size in bytes. x4 = VM index when the caller is a dirty-log
 * manager reading another VM's log (else the caller's own). */
#define HC_DIRTY_LOG_GET (HC_BASE + 0x01)
/* x0 = this VM's index, x1 = its number of vCPUs, x2 = how many times it
 * has been restarted (PSCI SYSTEM_RESET or its fault policy): what a guest
 * may use to go on across restarts, which clear all its memory. */
#define HC_VM_INFO (HC_BASE + 0x02)

/*
 * Channels and forwarded I/O (docs/forwarding.md is the protocol).
 *
 * HC_DOORBELL: x1 = channel index (.channels of the configuration, and the
 * "channel-id" of the VM's device-tree node). Raises the other end's
 * doorbell SPI, unless the peer has not acknowledged the last one yet
 * (HC_DOORBELL_ACK): then nothing happens. x0 = 0 (raised),
 * HC_DOORBELL_COALESCED (absorbed by the one outstanding), or
 * INVALID_PARAMETER when the caller is not an end of that channel.
 */
#define HC_DOORBELL (HC_BASE + 0x03)
#define HC_DOORBELL_COALESCED 1
/* HC_DOORBELL_ACK: x1 = channel index. Re-arms this VM's doorbell on that
 * channel: the peer's next HC_DOORBELL raises it again. A receiver acks
 * before it looks at the shared memory, so nothing written after its look
 * goes unsignalled. x0 = 0 or INVALID_PARAMETER. */
#define HC_DOORBELL_ACK (HC_BASE + 0x09)

/* Device partitions. Windows are numbered 0..n-1 per device partition, in
 * configuration order (frontend VMs in order, their windows in order).
 *
 * HC_FWD_READY: starts (or restarts) serving: requests before this one
 * failed; the windows' interrupts are lowered. x0 = 0, x1 = n. Until it is
 * called after each (re)start, frontends' accesses fail at once.
 */
#define HC_FWD_READY (HC_BASE + 0x04)
/* HC_FWD_WINDOW: x1 = window k. x0 = 0 or INVALID_PARAMETER; x1 = frontend
 * VM index, x2 = window IPA in the frontend, x3 = size, x4 = the frontend's
 * interrupt for it (0: none), x5 = the device partition's IPA of the
 * frontend memory it may access (0: none), x6 = the frontend IPA that
 * corresponds to x5, x7 = that memory's size. */
#define HC_FWD_WINDOW (HC_BASE + 0x05)
/* HC_FWD_GET: takes the oldest request. x0 = 0 with one, HC_FWD_EMPTY with
 * none; x1 = request id, x2 = window k, x3 = offset in the window, x4 =
 * flags (HC_FWD_SIZE(x4) bytes: 1, 2, 4 or 8; HC_FWD_WRITE), x5 = the data
 * of a write, x6 = frontend VM index << 8 | its vCPU index. The request
 * interrupt (.fwd_request_irq) is a level: high while requests wait.
 * x0 = HC_FWD_FRONTEND_RESET, before any request: window x2's frontend
 * (x6 >> 8) stopped or restarted since; the device drops what it holds of
 * that window (queues, addresses in the frontend's memory). Not answered;
 * kept across the device partition's own restart, and given again after it
 * (or after HC_FWD_READY) if the vCPU that got it had not called
 * HC_FWD_GET since. Before HC_FWD_READY: HC_FWD_EMPTY. */
#define HC_FWD_GET (HC_BASE + 0x06)
#define HC_FWD_EMPTY 1
#define HC_FWD_FRONTEND_RESET 2
#define HC_FWD_SIZE(flags) ((flags) & 0xf)
#define HC_FWD_WRITE (1UL << 8)
/* HC_FWD_ANSWER: x1 = request id, x2 = data (a read's, low bytes), x3 = 0,
 * or nonzero when the device failed the access (the frontend then gets the
 * window's failure: an abort or all ones). x0 = 0, or INVALID_PARAMETER for
 * an id that is not a request taken by this VM and still waiting (answered
 * already, timed out, never asked). Each request is answered once. */
#define HC_FWD_ANSWER (HC_BASE + 0x07)
/* HC_FWD_IRQ: x1 = window k, x2 = level (0 or 1) of the frontend's
 * interrupt for that window. x0 = 0 or INVALID_PARAMETER (no such window,
 * or it has no interrupt). */
#define HC_FWD_IRQ (HC_BASE + 0x08)

/*
 * Slot changes by a manager VM (docs/management.md), for a VM its
 * configuration lets it manage, KVM_SET_USER_MEMORY_REGION's way: x1 = the
 * managed VM's index. x0 = 0 or a negative errno (include/errno.h: -EPERM
 * not a manager or not its VM, -ENOENT no such VM or slot, -EINVAL bad
 * request, -EEXIST overlap or id in use, -ENOMEM host range used up), and
 * x1 = the rule that refused it (enum slot_rule, mm/slot_change.h; 0 when
 * accepted). The VM's vCPUs are held out while its map changes.
 */
/* x2 = slot id, x3 = IPA, x4 = size, x5 = flags (READONLY, LOG_DIRTY,
 * NOEXEC): new memory from the manager's host range, zeroed. */
#define HC_SLOT_CREATE (HC_BASE + 0x10)
/* x2 = slot id: unmapped, its memory cleared and given back, 1 MiB in
 * this call and 1 MiB in each later management call of this manager; x2 =
 * bytes of deleted slots still to clear. -EAGAIN (nothing done) when 32
 * deletions wait to be cleared; a create the range cannot hold while any
 * wait is -EAGAIN too (x2 as for a delete): call again. */
#define HC_SLOT_DELETE (HC_BASE + 0x11)
/* x2 = slot id, x3 = new IPA, x4 = size (the slot's: no resizing). */
#define HC_SLOT_MOVE (HC_BASE + 0x12)
/* x2 = slot id, x3 = new flags: only LOG_DIRTY may change. */
#define HC_SLOT_FLAGS (HC_BASE + 0x13)
/* x2 = slot id, x3 = IPA of a buffer in the manager's RAM, x4 = its size:
 * copies and clears the slot's dirty bitmap as HC_DIRTY_LOG_GET does;
 * x1 = the bitmap's size in bytes (also when x0 is -EINVAL: too small). */
#define HC_SLOT_DIRTY_LOG (HC_BASE + 0x14)

/*
 * A managed VM's life cycle, from its manager (x1 = the VM's index; -EPERM
 * unless the caller manages it). x0 = 0 or a negative errno.
 */
/* x1 = state (HC_VM_STATE_*), x2 = its number of slots, x3 = how many
 * times it restarted, x4 = its number of vCPUs. */
#define HC_VM_QUERY (HC_BASE + 0x20)
#define HC_VM_STATE_RUNNING 0
#define HC_VM_STATE_STOPPING 1
#define HC_VM_STATE_RESTARTING 2 /* leaving, or being reloaded */
#define HC_VM_STATE_STOPPED 3
/* Stops it, as its own SYSTEM_OFF would. */
#define HC_VM_STOP (HC_BASE + 0x21)
/* Stopped VMs only (-EBUSY): copies x4 bytes from the caller's RAM at IPA
 * x3 (one slot) into the VM's RAM at IPA x2 (-EFAULT outside either), at
 * most HC_VM_WRITE_MAX a call (-EINVAL): larger images go in pieces. */
#define HC_VM_WRITE (HC_BASE + 0x22)
#define HC_VM_WRITE_MAX (1UL << 20)
/* Stopped VMs only (-EBUSY): starts its boot vCPU at IPA x2 with x0 = x3,
 * its memory as it is. x4 nonzero: first writes there a device tree made
 * from the VM's current slots and starts it with x0 = x4 instead. */
#define HC_VM_START (HC_BASE + 0x23)
/* Restarts it from its pristine image, memory cleared, as its own
 * SYSTEM_RESET would; a stopped VM too. -EBUSY while it is stopping or
 * already restarting. */
#define HC_VM_RESTART (HC_BASE + 0x24)
/* x2 = IPA of a buffer in the caller's RAM, x3 = its size: the VM's name,
 * NUL-terminated; x1 = its length (also with -EINVAL: too small). A list
 * asks VM 0, 1, ... up to the first -ENOENT, skipping -EPERM. */
#define HC_VM_NAME (HC_BASE + 0x25)
/* x2 = IPA of a buffer in the caller's RAM, x3 = its size (at most
 * HC_VM_CONSOLE_MAX is used): the VM's console output not read yet, oldest
 * first; x1 = bytes copied, x2 = bytes overwritten unread before this read
 * (the hypervisor keeps the last HC_VM_CONSOLE_MAX). */
#define HC_VM_CONSOLE (HC_BASE + 0x26)
#define HC_VM_CONSOLE_MAX 4096

/* The control window's ID register (hyp/mgmt/ctl_mmio.c): "HYPC". */
#define HYPCTL_ID 0x43505948UL
#define HYPCTL_VERSION 1

/* SMCCC return codes. */
#define SMCCC_SUCCESS 0
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_INVALID_PARAMETER (-3)

#endif
