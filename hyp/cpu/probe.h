/*
 * Whether the CPU has an optional-in-practice system register, found by
 * reading it once: the read is UNDEFINED where the register is missing
 * (QEMU 7.2 has no DBGCLAIM registers, which Armv8 requires; firmware may
 * keep SME's TPIDR2_EL0 from EL2), and the EL2 exception it raises is
 * answered by probe_fixup(), not a panic.
 */
#ifndef HYP_PROBE_H
#define HYP_PROBE_H

#include "exception.h"
#include "types.h"

bool cpu_has_dbgclaim(void);
bool cpu_has_tpidr2(void);

/* From el2_exception(): true if f is a probe's read that was undefined,
 * now resumed after it, reporting "absent". */
bool probe_fixup(struct el2_frame *f);

#endif
