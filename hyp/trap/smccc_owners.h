/* The SMCCC owning entities (function ID bits 29:24) this hypervisor
 * answers: Arm's own calls (0), the standard secure service, PSCI (4), and
 * its own hypercalls (6). Anyone else's call gets NOT_SUPPORTED; an HVC's
 * is refused in the exception vector (hyp/cpu/vectors.S), without an exit
 * to C. Plain numbers: assembly includes this. */
#ifndef HYP_SMCCC_OWNERS_H
#define HYP_SMCCC_OWNERS_H

#define SMCCC_OWNER_SHIFT 24
#define SMCCC_OWNER_BITS 6
#define SMCCC_OWNER_ARM 0
#define SMCCC_OWNER_STANDARD 4
#define SMCCC_OWNER_HYP 6

#endif
