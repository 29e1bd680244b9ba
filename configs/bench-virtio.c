/*
 * make bench's virtio figures: CONFIG=linux-pair with linux-a measuring, at
 * boot, the ping round trip to linux-b and 4 KiB reads of its virtio-blk
 * disk (guests/linux/virtio-bench, tests/bench.py).
 */
#define VIRTIO_BENCH
#include "linux-pair.c"
