/* Typed addresses: a guest physical address (IPA), a host physical address
 * (PA) and a hypervisor virtual address are different types, so passing one
 * where another is expected fails to compile. */
#ifndef ADDR_H
#define ADDR_H

#include "types.h"

typedef struct { u64 pa; } paddr_t;
typedef struct { u64 ipa; } ipaddr_t;

#define PA(x) ((paddr_t){ .pa = (x) })
#define IPA(x) ((ipaddr_t){ .ipa = (x) })

static inline u64 pa_val(paddr_t a) { return a.pa; }
static inline u64 ipa_val(ipaddr_t a) { return a.ipa; }
static inline paddr_t pa_add(paddr_t a, u64 n) { return PA(a.pa + n); }
static inline ipaddr_t ipa_add(ipaddr_t a, u64 n) { return IPA(a.ipa + n); }

#endif
