/*
 * forward.c with guests/fwdfaultloop as the frontend, one vCPU, restarted
 * when it cannot continue: its abort loop on a failed forwarded read.
 */
#include "config.h"

GUEST_BLOB(fwdfaultloop, "build/guests/fwdfaultloop.bin");

#define FRONT_CPUS VCPUS_ON(0)
#define SHARE_CPUS
#define FRONT_IMAGE BUILT_IN(IMAGE_RAW, fwdfaultloop)
#define FRONT_ON_FAULT FAULT_RESTART
#include "forward.c"
