/* Speculation mitigations the firmware offers (SMCCC 1.1+, Arm DEN 0028),
 * used on guest exit and reported truthfully to guests. */
#ifndef HYP_MITIGATIONS_H
#define HYP_MITIGATIONS_H

#include "types.h"

#define SMCCC_VERSION 0x80000000
#define SMCCC_ARCH_FEATURES 0x80000001
#define SMCCC_ARCH_WORKAROUND_1 0x80008000 /* Spectre v2, CVE-2017-5715 */
#define SMCCC_ARCH_WORKAROUND_2 0x80007fff /* SSB, CVE-2018-3639 */
#define SMCCC_ARCH_WORKAROUND_3 0x80003fff /* Spectre-BHB, CVE-2022-23960 */

/* ARCH_FEATURES answers for the workarounds (besides NOT_SUPPORTED). */
#define WA_IMPLEMENTED 0
#define WA_NOT_REQUIRED_HERE 1 /* this CPU is not affected */
#define WA_NOT_REQUIRED (-2)   /* WORKAROUND_2: mitigated for good */

/* Asks the firmware, on this CPU, which workarounds it implements: the boot
 * CPU first (it also finds whether the firmware speaks SMCCC 1.1), then
 * each secondary as it comes online. Sets what guest exits call. */
void mitigations_probe(void);

/* SMCCC_ARCH_FEATURES for a guest on this CPU; x0 of the answer. */
s64 mitigations_guest_features(u32 fid);
/* A guest's ARCH_WORKAROUND_1/2/3 call on this CPU: the exit that brought
 * it here already did the work; x0 of the answer. */
s64 mitigations_guest_call(u32 fid);

#endif
