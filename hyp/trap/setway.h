/* Set/way cache maintenance from a guest, emulated on its own memory. */
#ifndef HYP_SETWAY_H
#define HYP_SETWAY_H

#include "types.h"

struct vcpu;

/* DC ISW, CSW or CISW with operand (level, set, way): cleans and
 * invalidates the share of the VM's RAM that (set, way) stands for. */
void setway_emulate(struct vcpu *v, u64 operand);

#endif
