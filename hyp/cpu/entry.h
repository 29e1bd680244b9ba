/* C entry points called from boot/entry.S. */
#ifndef HYP_ENTRY_H
#define HYP_ENTRY_H

#include "types.h"

/* boot/early.c, MMU off. */
void boot_wrong_el(u64 el) __noreturn;
void boot_misplaced(u64 loaded, u64 linked) __noreturn;
u32 boot_cpu_index(u64 mpidr);

/* The boot CPU, on its own stack, BSS cleared. */
void hyp_boot_main(u32 cpu, u64 dtb) __noreturn;
/* A secondary CPU, on its own stack, MMU off. */
void hyp_secondary_main(u32 index) __noreturn;
/* Powers the machine off through the firmware's PSCI. */
void system_off(void) __noreturn;

#endif
