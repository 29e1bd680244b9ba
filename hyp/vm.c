/* Building the VMs from the configuration (see vm.h). */
#include "vm.h"
#include "console.h"
#include "layout.h"
#include "log.h"
#include "mmu.h"
#include "panic.h"
#include "platform.h"
#include "validate.h"

struct vm vms[MAX_VMS];

static void out_printk(void *ctx __unused, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintk(fmt, ap);
	va_end(ap);
}

static void check_vprint(void *ctx __unused, bool error,
			 const struct check_where *where, const char *fmt,
			 va_list ap)
{
	console_lock(false);
	printk("hyp: %s: ", error ? "error" : "warning");
	check_where_print(where, out_printk, NULL);
	console_vprintk(fmt, ap);
	printk("\n");
	console_unlock();
}

static unsigned pa_bits_for_guests(void)
{
	unsigned bits = cpu_pa_bits();

	if (bits < platform.pa_bits)
		log_warn("the CPUs have %u-bit physical addresses, fewer than the %u "
			 "platforms/%s.c declares: fix .pa_bits there",
			 bits, platform.pa_bits, platform.name);
	return MIN(bits, platform.pa_bits);
}

u32 vms_create(void)
{
	bool ok[MAX_VMS];
	struct check_sink sink = { .vprint = check_vprint };
	struct check_env env = {
		.plat = &platform,
		.cpu_pa_bits = pa_bits_for_guests(),
		.pool_pages = POOL_PAGES - EL2_TABLE_PAGES,
	};
	u32 usable = 0;

	config_check(&config, &env, &sink, ok);
	if (sink.errors)
		log_err("the configuration has %u error%s: the VMs named above "
			"will not start; fix the configuration (make catches "
			"these before flashing)",
			sink.errors, sink.errors == 1 ? "" : "s");

	log_info("memory map of each VM:");
	for (u32 i = 0; i < config.nr_vms && i < MAX_VMS; i++) {
		struct vm *vm = &vms[i];

		vm->index = i;
		vm->cfg = &config.vms[i];
		if (!ok[i])
			continue;
		int err = vm_mem_build(&vm->mem, vm->cfg, &platform,
				       env.cpu_pa_bits, i + 1, &hyp_mm_ops);
		/* The checker counted these pages: running dry is our bug. */
		if (err)
			panic("building vm \"%s\"'s stage 2 failed (error %d) "
			      "after the checker passed it", vm->cfg->name, err);
		vm->usable = true;
		usable++;
		console_lock(false);
		vm_mem_print(&vm->mem, vm->cfg, &platform, out_printk, NULL);
		console_unlock();
	}
	pool_seal(&hyp_pool);
	log_info("page pool: %lu of %lu pages used", hyp_pool.in_use,
		 hyp_pool.nr_pages);
	return usable;
}
