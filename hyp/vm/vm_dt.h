/*
 * The device tree each VM is given: generated from its configuration and
 * slot table (memory nodes = RAM slots, so the two never disagree), for the
 * QEMU-virt-like machine every guest sees (include/guest_platform.h).
 */
#ifndef HYP_VM_DT_H
#define HYP_VM_DT_H

#include "config.h"
#include "platform.h"

/* Ample for MAX_SLOTS memory nodes, MAX_VCPUS CPUs and a long command line. */
#define VM_DT_MAX_SIZE SZ_64K

/* What the loader decides for this boot. */
struct vm_dt_params {
	u64 initrd_ipa;       /* where the initrd was placed */
	u64 initrd_size;      /* bytes; 0: no initrd */
	const char *bootargs; /* the command line; NULL: the VM's cmdline */
	/* The configuration's channels: the VM's ends get a node each. */
	const struct channel *channels;
	u32 nr_channels;
};

/*
 * Writes the VM's device tree into buf. Returns the blob's size, -ENOMEM when
 * size is too small (nothing is written past buf + size) or -EINVAL for a VM
 * the virtual platform cannot describe (no vCPUs, or more than MAX_VCPUS).
 */
int vm_dt_build(const struct vm_config *vm, const struct platform *plat,
		const struct vm_dt_params *p, void *buf, u32 size);

#endif
