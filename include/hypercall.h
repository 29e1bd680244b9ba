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

/* SMCCC return codes. */
#define SMCCC_SUCCESS 0
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_INVALID_PARAMETER (-3)

#endif
