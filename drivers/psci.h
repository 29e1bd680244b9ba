/* Calls into the firmware's PSCI (Arm DEN 0022) over SMC, as the hypervisor
 * at EL2 makes them. Function IDs are shared with the guest-facing PSCI. */
#ifndef DRIVERS_PSCI_H
#define DRIVERS_PSCI_H

#include "types.h"

#define PSCI_VERSION 0x84000000
#define PSCI_CPU_SUSPEND 0xc4000001
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0xc4000003
#define PSCI_AFFINITY_INFO 0xc4000004
#define PSCI_MIGRATE_INFO_TYPE 0x84000006
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009
#define PSCI_FEATURES 0x8400000a
#define PSCI_32_CPU_ON 0x84000003
#define PSCI_32_AFFINITY_INFO 0x84000004
#define PSCI_32_CPU_SUSPEND 0x84000001

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_NOT_PRESENT (-7)
#define PSCI_DISABLED (-8)
#define PSCI_INVALID_ADDRESS (-9)

/* The hypervisor at EL2 reaches firmware by SMC; HVC serves only the
 * wrong-EL path, when this image was entered at EL1 with no EL3. */
enum smccc_conduit { SMCCC_SMC, SMCCC_HVC };

/* An SMCCC call (#0); returns x0. */
s64 smccc_call(enum smccc_conduit conduit, u64 fid, u64 a1, u64 a2, u64 a3);

const char *psci_error_name(s64 err);

#endif
