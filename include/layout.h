/* Sizes shared by the linker script, the entry assembly and C. */
#ifndef LAYOUT_H
#define LAYOUT_H

#define MAX_CPUS 8 /* physical CPUs the image supports */

/* Each CPU's stack is STACK_SIZE bytes above an unmapped guard of the same
 * size, in a slot aligned to twice that: an address in a stack has bit
 * STACK_SHIFT set, one in a guard has it clear, which the EL2 vectors test to
 * catch an overflow before they push anything. */
#define STACK_SHIFT 14
#define STACK_SIZE (1 << STACK_SHIFT)
#define STACK_GUARD_SIZE STACK_SIZE
#define STACK_SLOT (STACK_SIZE + STACK_GUARD_SIZE)

#ifndef POOL_PAGES
#define POOL_PAGES 512 /* page-table and bitmap pages: 2 MiB */
#endif
/* Pool pages kept for the hypervisor's own EL2 tables; the rest is for the
 * VMs, which the configuration checker counts exactly. */
#define EL2_TABLE_PAGES 16

#endif
