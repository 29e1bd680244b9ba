/* An emulated PL011 at the guest's 0x09000000, complete enough for Linux's
 * amba-pl011 driver: output goes to the hypervisor console tagged with the
 * VM's name, input comes from the console when the VM has focus. */
#ifndef HYP_VUART_H
#define HYP_VUART_H

#include "spinlock.h"
#include "types.h"

#define VUART_FIFO 32

struct vuart {
	spinlock_t lock;
	u8 rx[VUART_FIFO];
	u32 rx_head, rx_count;
	u32 cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr;
	bool irq_line; /* last level given to the vGIC */
};

struct vm;

void vuart_init(struct vuart *u);
/* Back to its state at power-on, for a VM's restart. */
void vuart_reset(struct vm *vm);
struct vcpu;
u64 vuart_mmio_read(struct vcpu *v, u64 offset, unsigned size);
void vuart_mmio_write(struct vcpu *v, u64 offset, unsigned size, u64 value);
/* A character typed for this VM. false when its receive FIFO is full. */
bool vuart_receive(struct vm *vm, char c);

#endif
