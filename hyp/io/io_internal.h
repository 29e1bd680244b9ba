/* What the files of hyp/io share among themselves. */
#ifndef HYP_IO_INTERNAL_H
#define HYP_IO_INTERNAL_H

#include "io.h"

/* The configuration's index of the VM named name, or -1. */
int io_vm_index(const char *name);

/* HC_DOORBELL (channel.c): the result for x0. */
s64 channel_doorbell(struct vcpu *v, u64 k);
/* HC_DOORBELL_ACK. */
s64 channel_ack(struct vcpu *v, u64 k);
/* vm stops or restarts: its ends are unrung (a fresh start). */
void channel_vm_down(struct vm *vm);

#endif
