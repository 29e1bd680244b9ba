/* Set/way cache maintenance from a guest, emulated on its own memory. */
#ifndef HYP_SETWAY_H
#define HYP_SETWAY_H

#include "types.h"

struct vcpu;

/* DC ISW, CSW or CISW with operand (level, set, way): cleans and
 * invalidates the share of the VM's RAM that (set, way) stands for. */
void setway_emulate(struct vcpu *v, u64 operand);

/*
 * The share (setway_share.c, pure): for the operand's set and way in a
 * cache of sets x ways with 2^line_shift-byte lines, bytes [*from, *from +
 * *len) of ram bytes of RAM taken end to end. Slices are line-aligned and
 * the same size but the last; over every set and way they cover the RAM
 * exactly once. false, and nothing to do, when the operand names no line
 * of that cache or its slice lies past the RAM.
 */
bool setway_share(u64 operand, u64 sets, u64 ways, unsigned line_shift,
		  u64 ram, u64 *from, u64 *len);

#endif
