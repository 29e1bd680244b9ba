/* The hypervisor's own function symbols, for backtraces. The table is made
 * from the linked image by tools/gen-symtab.sh (a second link adds it). */
#ifndef HYP_SYMBOLS_H
#define HYP_SYMBOLS_H

#include "types.h"

/* Name of the function containing addr and the offset into it, or NULL. */
const char *symbol_lookup(u64 addr, u64 *offset);

#endif
