/* Virtual machines: one per configured VM, built at boot from the
 * configuration after it passes the checker. */
#ifndef HYP_VM_H
#define HYP_VM_H

#include "config.h"
#include "stage2.h"

struct vm {
	u32 index; /* in the configuration */
	const struct vm_config *cfg;
	struct vm_mem mem;
	bool usable; /* passed the checks and was built */
};

extern struct vm vms[MAX_VMS];

/* Checks the configuration as the host checker did, builds every VM that
 * passes and prints its map. Returns how many VMs are usable. */
u32 vms_create(void);

#endif
