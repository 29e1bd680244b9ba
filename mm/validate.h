/*
 * The configuration checker: every rule of docs/configuration.md, run by
 * `make` on the host before anything is linked and again by the firmware at
 * boot (the equivalent of KVM's kvm_set_memory_region checks plus
 * kvm_arch_prepare_memory_region). Every problem is reported, each naming
 * the VM, the slot, the rule and the values.
 */
#ifndef MM_VALIDATE_H
#define MM_VALIDATE_H

#include <stdarg.h>

#include "config.h"
#include "platform.h"

/* Where a problem is: a VM (index; name may be NULL or empty), and within
 * it a slot or a vCPU (-1 when neither). vm < 0: the configuration as a
 * whole. */
struct check_where {
	int vm;
	const char *vm_name;
	int slot;
	int vcpu;
};

struct check_sink {
	/* One problem: the sink prints where (as `vm "name" slot 2: `), then
	 * the message, then a newline. */
	void (*vprint)(void *ctx, bool error, const struct check_where *where,
		       const char *fmt, va_list ap);
	void *ctx;
	u32 errors;
	u32 warnings;
};

struct check_env {
	const struct platform *plat;
	unsigned cpu_pa_bits;
	u64 pool_pages; /* free pool pages for VM tables and dirty bitmaps */
};

/* Prints where as the start of a line: `config: `, `vm "name": `,
 * `vm "name" slot 2: `, `vm #3 vcpu 1: `. */
void check_where_print(const struct check_where *where,
		       void (*out)(void *ctx, const char *fmt, ...), void *ctx);

/* Checks the whole configuration. vm_ok[i] tells whether VM i may start
 * (configuration-wide problems fail every VM). Returns the error count. */
u32 config_check(const struct hyp_config *cfg, const struct check_env *env,
		 struct check_sink *sink, bool vm_ok[MAX_VMS]);

/* Who can see whose memory, and who serves whom: the host memory SHARED
 * slots of different VMs have in common, the channels, the forwarded
 * windows and the frontend memory their device partitions reach. Printed
 * after the VMs' maps, by the firmware at boot and by make memmap alike;
 * nothing for a configuration with none. */
void config_print_sharing(const struct hyp_config *cfg,
			  void (*out)(void *ctx, const char *fmt, ...), void *ctx);

#endif
