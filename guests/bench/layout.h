/* The benchmark VM's memory, shared by its configuration (configs/bench.c)
 * and its payload (guests/bench/main.c). */
#ifndef BENCH_LAYOUT_H
#define BENCH_LAYOUT_H

/* Slot 0: RAM at the virt machine's RAM base. */
#define BENCH_RAM_IPA 0x40000000UL
#define BENCH_RAM_SIZE 0x4000000UL /* 64 MiB */

/* Slot 1: LOG_DIRTY RAM, written only by the dirty-log benchmark. */
#define BENCH_DIRTY_SLOT 1
#define BENCH_DIRTY_IPA 0x80000000UL
#define BENCH_DIRTY_SIZE 0x400000UL /* 4 MiB: 1024 pages */

#endif
