/*
 * Partitions that talk (docs/forwarding.md): channels, whose doorbells
 * raise a virtual SPI in the other VM (channel.c), and forwarded windows,
 * whose accesses become requests a device partition answers, and whose
 * frontend's stop or restart it is told of before that frontend's next
 * run (forward.c).
 */
#ifndef HYP_IO_H
#define HYP_IO_H

#include "types.h"

struct vcpu;
struct vm;

/* Boot CPU, after the VMs are built: each window's server, each server's
 * windows. */
void io_init(void);

/* The VM's hypercalls of this mechanism (include/hypercall.h): true when
 * fid is one of them, with the results in the vCPU's registers. */
bool io_hypercall(struct vcpu *v, u64 fid);

/* Stage-2 abort step 3: an access at ipa, in no slot and no emulated
 * window, to a window another VM serves. true when it was taken: the
 * vCPU now waits for the answer, or the access failed per the window's
 * policy. false when no window is there or the access cannot be decoded
 * (*why says why; the caller injects the abort). */
bool fwd_access(struct vcpu *v, u64 ipa, u64 esr, u64 far, const char **why);

/* Whether a waiting vCPU may run again: answered, failed, or past its
 * deadline. Cheap; the scheduler calls it. */
bool fwd_resumable(const struct vcpu *v);
/* The counter tick at which a waiting vCPU's request times out. */
u64 fwd_deadline(const struct vcpu *v);
/* On the vCPU's own CPU with its state loaded, when the scheduler switches
 * to it (hyp/vcpu/sched.c), before it enters: finishes
 * the access it waited on (the answer in its registers, or the window's
 * failure policy). */
void fwd_resume(struct vcpu *v);

/* vm is stopping or restarting (its vCPUs are out): its own requests are
 * forgotten, and, if it serves windows, its frontends' requests fail and
 * later ones fail fast until it calls HC_FWD_READY again. */
void io_vm_down(struct vm *vm);

/* Only its channel ends are unrung: for a VM about to start again, whose
 * io_vm_down ran when it went down (a doorbell may have rung since). A
 * second frontend reset record would make its device partitions reset its
 * devices, and its reload wait, once more for nothing. */
void io_vm_doorbells_down(struct vm *vm);

/* Whether vm's memory may be written for its next run: each device
 * partition serving it took the reset record io_vm_down left and called
 * HC_FWD_GET again (its word that it no longer touches the old run's
 * buffers), or is not serving (its vCPUs are off their CPUs), or
 * had its windows' timeout. A reload waits for this before its first
 * step (vm_reload_step), and a manager's write or start of a stopped VM
 * (hyp/mgmt/lifecycle.c) until it is so. */
bool io_front_quiet(struct vm *vm);

#endif
