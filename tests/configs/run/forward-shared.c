/*
 * forward.c with the frontend and its device partition both on CPU 1: the
 * frontend's waits must leave the CPU to its device partition.
 */
#define FRONT_CPUS VCPUS_ON(1, 1)
#define SHARE_CPUS .allow_pcpu_sharing = true,
#include "forward.c"
