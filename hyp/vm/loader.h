/* Places a VM's images and device tree in its memory (at boot and at every
 * reset) and says where its boot vCPU starts. */
#ifndef HYP_LOADER_H
#define HYP_LOADER_H

#include "types.h"

struct vm;

/* Clears the VM's RAM, copies its kernel (and initrd) from their pristine
 * copies, writes its device tree. 0, or a negative error already logged. */
int vm_load(struct vm *vm);

#endif
