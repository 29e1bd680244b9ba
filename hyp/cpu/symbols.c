/* Looks up addresses in the generated symbol table (see symbols.h). */
#include "symbols.h"

/* Defined by the generated symtab.S: sorted addresses, and for each one the
 * offset of its NUL-terminated name in hyp_symbol_names. Empty in the first
 * link. */
extern const u64 hyp_symbol_addrs[];
extern const u32 hyp_symbol_name_offsets[];
extern const char hyp_symbol_names[];
extern const u32 hyp_symbol_count;

const char *symbol_lookup(u64 addr, u64 *offset)
{
	u32 lo = 0, hi = hyp_symbol_count;

	/* Last symbol at or below addr. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (hyp_symbol_addrs[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	*offset = addr - hyp_symbol_addrs[lo - 1];
	return hyp_symbol_names + hyp_symbol_name_offsets[lo - 1];
}
