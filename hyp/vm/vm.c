/* Building the VMs from the configuration (see vm.h). */
#include "vm.h"
#include "errno.h"
#include "fmt.h"
#include "timer.h"
#include "console.h"
#include "entry.h"
#include "guest_platform.h"
#include "hcr.h"
#include "io.h"
#include "loader.h"
#include "percpu.h"
#include "sched.h"
#include "vgic.h"
#include "layout.h"
#include "log.h"
#include "mmu.h"
#include "panic.h"
#include "platform.h"
#include "validate.h"

struct vm vms[MAX_VMS];

static void vm_init_cpus_and_devices(struct vm *vm);

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
		vm_init_cpus_and_devices(vm);
		usable++;
		console_lock(false);
		vm_mem_print(&vm->mem, vm->cfg, &platform, out_printk, NULL);
		console_unlock();
	}
	console_lock(false);
	config_print_sharing(&config, out_printk, NULL);
	console_unlock();
	pool_seal(&hyp_pool);
	log_info("page pool: %lu of %lu pages used", hyp_pool.in_use,
		 hyp_pool.nr_pages);
	return usable;
}

/* ---- Running ---- */

struct vcpu *vm_vcpu_by_mpidr(struct vm *vm, u64 mpidr)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if ((vm->vcpus[i].vmpidr & MPIDR_AFF_MASK) == (mpidr & MPIDR_AFF_MASK))
			return &vm->vcpus[i];
	return NULL;
}

/* Stage-2 controls for the VM's IPA size (VTCR_EL2, Arm ARM D17.2.187). */
static u64 vm_vtcr(const struct vm *vm)
{
	u64 parange = FIELD_GET(read_sysreg(id_aa64mmfr0_el1), 3, 0);

	return VTCR_RES1 | VTCR_T0SZ(vm->mem.ipa_bits) |
	       VTCR_SL0(vm->mem.s2.start_level) | VTCR_IRGN0_WBWA |
	       VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K |
	       MIN(parange, 5UL) << VTCR_PS_SHIFT;
}

static const struct mmio_region vuart_region = {
	.name = "virtual UART",
	.base = VIRT_UART_BASE,
	.size = VIRT_UART_SIZE,
	.read = vuart_mmio_read,
	.write = vuart_mmio_write,
};

/* The vCPUs, pinned, and the VM's emulated devices. */
static void vm_init_cpus_and_devices(struct vm *vm)
{
	vm->nr_vcpus = vm->cfg->nr_vcpus;
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->index = i;
		v->pcpu = vm->cfg->vcpu_pcpu[i];
		v->vmpidr = BIT(31) | i; /* the device tree's cpu@i reg */
		v->power = VCPU_OFF;
		sched_add(v);
	}
	vm->watch_ms = vm->cfg->watchdog_ms;
	if (vm->cfg->stall_ms && (!vm->watch_ms || vm->cfg->stall_ms < vm->watch_ms))
		vm->watch_ms = vm->cfg->stall_ms;
	vm->vtcr = vm_vtcr(vm);
	vm->mem.s2.live = true;
	vuart_init(&vm->vuart);
	/* The emulated windows, searched in this order at every access:
	 * the most used first (the vUART's FR is polled for every character,
	 * the distributor takes GICv2's SGIs), the flash last. */
	mmio_init_vm(vm);
	if (vm->cfg->vuart)
		mmio_add_region(vm, &vuart_region);
	vgic_init_vm(vm);
	vflash_init_vm(vm);
}

static bool vm_running_anywhere(void)
{
	for (u32 i = 0; i < config.nr_vms; i++)
		if (vms[i].usable && READ_ONCE(vms[i].state) != VM_STOPPED)
			return true;
	return false;
}

static void reset_state(struct vm *vm)
{
	vgic_reset_vm(vm);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		vgic_reset_vcpu(&vm->vcpus[i]);
	vflash_reset(vm);
	vuart_reset(vm);
}

/*
 * Every vCPU but the boot one starts a run off (first = 1). The evictions set them off,
 * but a CPU_ON the old run made on another CPU while they did could have
 * set one ON_PENDING again: the new run would then start with a vCPU of
 * the old run's choosing (its entry and x0), surviving the restart meant
 * to clean it. Cleared here, where the old run has no vCPU left to ask.
 */
static void vcpus_off(struct vm *vm, u32 first)
{
	for (u32 i = first; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		spin_lock(&v->power_lock);
		v->power = VCPU_OFF;
		spin_unlock(&v->power_lock);
	}
}

/* The load is done: the boot vCPU starts at the image's entry. */
static void go(struct vm *vm)
{
	struct vcpu *boot = &vm->vcpus[0];

	/*
	 * TLB entries of the VM's VMID, stage 1 and 2, on every CPU: from its
	 * previous run (its own translations, which a guest starting with
	 * its MMU off does not expect to find) or left by firmware. VMIDs are
	 * fixed per VM (index + 1) and never reused. QEMU keeps no stale
	 * entries across this; docs/reliability.md.
	 */
	vm->mem.s2.mm->tlb_inval_all(vm->mem.s2.mm->ctx, &vm->mem.s2);
	vcpus_off(vm, 1);
	spin_lock(&boot->power_lock);
	boot->entry_pc = vm->entry_pc;
	boot->entry_x0 = vm->dtb_ipa;
	boot->power = VCPU_ON_PENDING;
	spin_unlock(&boot->power_lock);
	vm->state = VM_RUNNING;
	sched_kick(boot->pcpu);
}

static void not_started(struct vm *vm)
{
	vm->state = VM_STOPPED;
	log_err("vm \"%s\" does not start", vm->cfg->name);
}

/* At boot, before any guest runs: the whole load at once. */
static void start(struct vm *vm)
{
	int r;

	reset_state(vm);
	r = vm_load_begin(vm);
	while (r == 0)
		r = vm_load_step(vm);
	if (r < 0)
		not_started(vm);
	else
		go(vm);
}

/*
 * A step runs on the boot vCPU's CPU with no vCPU current there, so
 * vm_hold and vm_stop, which wait for the vCPUs to leave their CPUs, did
 * not wait for it: a manager then changed the slot table the step was
 * searching, or gave back (and handed to another VM) memory the step was
 * still clearing, or wrote an image into a "stopped" VM that the step then
 * overwrote. So a step announces itself: it sets load_stepping, then reads
 * held and the state; they set theirs, then read load_stepping (each with
 * a full barrier between), so at least one sees the other.
 */
bool vm_reload_step(struct vm *vm)
{
	int r;

	WRITE_ONCE(vm->load_stepping, 1);
	dmb(ish);
	if (READ_ONCE(vm->held) || READ_ONCE(vm->state) != VM_LOADING ||
	    (!vm->load.quiet && !(vm->load.quiet = io_front_quiet(vm)))) {
		/* Its device partitions may still be writing into the old
		 * run's buffers: no step until they have let go (or timed
		 * out); the CPU's other vCPUs meanwhile have their turns. */
		__atomic_store_n(&vm->load_stepping, 0, __ATOMIC_RELEASE);
		return false;
	}
	r = vm_load_step(vm);
	if (r != 0) {
		spin_lock(&vm->lock);
		if (vm->state == VM_LOADING) { /* not stopped meanwhile */
			if (r < 0)
				not_started(vm);
			else
				go(vm);
		}
		spin_unlock(&vm->lock);
	}
	__atomic_store_n(&vm->load_stepping, 0, __ATOMIC_RELEASE);
	return r == 0;
}

void vm_wait_reload_step(struct vm *vm)
{
	dmb(ish); /* held or the state, before load_stepping is read */
	while (__atomic_load_n(&vm->load_stepping, __ATOMIC_ACQUIRE))
		cpu_relax();
}

void vms_start(void)
{
	for (u32 i = 0; i < config.nr_vms; i++) {
		struct vm *vm = &vms[i];

		if (!vm->usable)
			continue;
		for (u32 k = 0; k < vm->nr_vcpus; k++)
			if (sched_count(vm->vcpus[k].pcpu) > 1)
				vm->shares_pcpu = true;
		start(vm);
		if (vm->state == VM_RUNNING)
			log_info("vm \"%s\": entering at IPA 0x%lx with its device tree at "
			 "0x%lx, %u vCPU%s", vm->cfg->name, vm->entry_pc,
			 vm->dtb_ipa, vm->nr_vcpus, vm->nr_vcpus == 1 ? "" : "s");
	}
	console_input_init();
}

/* Takes every vCPU of vm off its CPU; the caller's vCPU, if one of them,
 * leaves when its exit is done. Waits for the others to be out. */
static void evict_vcpus(struct vm *vm, const struct vcpu *caller)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		spin_lock(&v->power_lock);
		v->power = VCPU_OFF;
		spin_unlock(&v->power_lock);
		sched_kick(v->pcpu);
	}
	/* Their power, before their CPUs' current is read: a CPU that makes
	 * one current and then reads its power (claim_next) sees it off, or
	 * this sees it current and waits. */
	dmb(ish);
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		u64 start = timer_now_ticks(), kicked = start;
		u64 ms = timer_ns_to_ticks(1000000);
		bool warned = false;

		if (v == caller)
			continue;
		while (READ_ONCE(pcpus[v->pcpu].current) == v) {
			u64 now = timer_now_ticks();

			/* One kick should do; a CPU that has not left after a
			 * millisecond is kicked again rather than trusted. */
			if (now - kicked >= ms) {
				sched_kick(v->pcpu);
				kicked = now;
			}
			if (!warned && now - start >= 1000 * ms) {
				log_warn("vm \"%s\": vcpu %u has not left CPU %u after "
					 "1 s of kicks; still waiting (a hypervisor bug: "
					 "please report it with this log)",
					 vm->cfg->name, v->index, v->pcpu);
				warned = true;
			}
			cpu_relax();
		}
	}
}

static struct vcpu *calling_vcpu(struct vm *vm)
{
	struct vcpu *v = this_pcpu()->current;

	return v && v->vm == vm ? v : NULL;
}

static void stop_evicted(struct vm *vm, const char *reason);

/*
 * One caller at a time takes a VM's vCPUs off their CPUs: the one that
 * moved it out of VM_RUNNING. A stop that finds a reset doing it leaves
 * the stop to the reset: if it evicted too, each would wait for the
 * other's vCPU to leave its CPU, two CPUs spinning at EL2 for ever (a VM
 * whose vCPU 1 calls SYSTEM_OFF as vCPU 0 calls SYSTEM_RESET).
 */
void vm_stop(struct vm *vm, const char *reason)
{
	spin_lock(&vm->lock);
	if (vm->state == VM_STOPPED || vm->state == VM_STOPPING) {
		spin_unlock(&vm->lock);
		return;
	}
	if (vm->state == VM_RESETTING) {
		if (!vm->stop_after_reset)
			fmt_snprintf(vm->stop_reason, sizeof(vm->stop_reason),
				     "%s (asked during its restart)", reason);
		vm->stop_after_reset = true;
		spin_unlock(&vm->lock);
		return;
	}
	vm->state = VM_STOPPING;
	spin_unlock(&vm->lock);
	evict_vcpus(vm, calling_vcpu(vm));
	stop_evicted(vm, reason);
}

/* A VM_STOPPING VM whose vCPUs are off their CPUs: stopped. */
static void stop_evicted(struct vm *vm, const char *reason)
{
	vcpus_off(vm, 0); /* a CPU_ON racing the eviction stays undone */
	vm_wait_reload_step(vm); /* a reload stopped mid-step */
	/* As for a reset: a manager may start it again (vm_start_at), and a
	 * CPU it shares must not then save the old run's EL1 and virtual
	 * interface state (active priorities, list registers) over the
	 * state the start reset. */
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		WRITE_ONCE(vm->vcpus[i].state_loaded, false);
	io_vm_down(vm);
	console_guest_flush(vm->index, vm->cfg->name);
	log_info("vm \"%s\" stopped: %s", vm->cfg->name, reason);
	/* Stopped only once its last words are out: another VM's stop that
	 * finds none running powers the machine off. The barrier: of two
	 * VMs stopping at once, at least one sees both stopped. */
	WRITE_ONCE(vm->state, VM_STOPPED);
	dmb(ish);
	console_input_vm_stopped(vm);
	if (!vm_running_anywhere()) {
		log_info("no VM is running: powering off");
		system_off();
	}
}

static void reset_evicted(struct vm *vm, const char *reason);

void vm_reset(struct vm *vm, const char *reason)
{
	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING) {
		spin_unlock(&vm->lock);
		return; /* already stopping or resetting */
	}
	vm->state = VM_RESETTING;
	spin_unlock(&vm->lock);
	reset_evicted(vm, reason);
}

int vm_restart(struct vm *vm, const char *reason)
{
	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING && vm->state != VM_STOPPED) {
		spin_unlock(&vm->lock);
		return -EBUSY;
	}
	vm->state = VM_RESETTING;
	spin_unlock(&vm->lock);
	reset_evicted(vm, reason);
	return 0;
}

/* A VM now VM_RESETTING: its vCPUs leave, and its reload begins. */
static void reset_evicted(struct vm *vm, const char *reason)
{
	evict_vcpus(vm, calling_vcpu(vm));
	io_vm_down(vm);
	/* What their CPUs still hold of them (EL1 registers, the virtual CPU
	 * interface's active priorities and list registers, say of a handler
	 * that reset the VM before its EOI) is the old run's: it must not be
	 * saved over the reset state when another vCPU takes the CPU, or the
	 * restarted VM inherits a running priority that masks its
	 * interrupts. Their CPUs load the reset state instead. */
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		WRITE_ONCE(vm->vcpus[i].state_loaded, false);
	vm->resets++;
	console_lock(false);
	console_lines_about(vm->index);
	log_info("vm \"%s\" restarting (%s), restart %u", vm->cfg->name, reason,
		 vm->resets);
	console_unlock();
	/*
	 * Clearing hundreds of MiB here, inside the caller's exit, would hold
	 * this CPU (and the vCPUs it shares) for as long as that takes. The
	 * boot vCPU's CPU does it instead, a step at a time, in that vCPU's
	 * turns: the VM pays for its own reset.
	 */
	spin_lock(&vm->lock);
	/* A stop (its manager's HC_VM_STOP, another vCPU's SYSTEM_OFF or
	 * fault) may have come while this reset evicted the vCPUs: it wins,
	 * or the VM would run again behind its manager's back, which may be
	 * writing into it because it saw it stopped. vm_stop left it to us. */
	if (vm->stop_after_reset) {
		vm->stop_after_reset = false;
		vm->state = VM_STOPPING;
		spin_unlock(&vm->lock);
		stop_evicted(vm, vm->stop_reason);
		return;
	}
	reset_state(vm); /* under the lock, as vm_start_at does it */
	io_vm_doorbells_down(vm); /* a doorbell since, see vm_start_at */
	if (vm_load_begin(vm)) {
		not_started(vm);
	} else {
		vm->state = VM_LOADING;
		sched_kick(vm->vcpus[0].pcpu);
	}
	spin_unlock(&vm->lock);
}

int vm_start_at(struct vm *vm, u64 pc, u64 x0)
{
	struct vcpu *boot = &vm->vcpus[0];

	spin_lock(&vm->lock);
	if (vm->state != VM_STOPPED) {
		spin_unlock(&vm->lock);
		return -EBUSY;
	}
	reset_state(vm);
	/* A doorbell rung while it was stopped left its end rung, and the
	 * pending bit that went with it was just cleared: every later
	 * doorbell would coalesce into an interrupt it never gets. Its ends
	 * start unrung, after the vGIC reset (a doorbell in between is then
	 * pending as well as rung). */
	io_vm_doorbells_down(vm);
	vcpus_off(vm, 1);
	spin_lock(&boot->power_lock);
	boot->entry_pc = pc;
	boot->entry_x0 = x0;
	boot->power = VCPU_ON_PENDING;
	spin_unlock(&boot->power_lock);
	vm->state = VM_RUNNING;
	spin_unlock(&vm->lock);
	sched_kick(boot->pcpu);
	return 0;
}

void vm_fault(struct vcpu *v, const char *reason)
{
	struct vm *vm = v->vm;
	const struct vcpu_regs *r = &v->regs;

	console_lock(false);
	console_lines_about(vm->index);
	printk("hyp: vm \"%s\" vcpu %u cannot continue: %s\n", vm->cfg->name,
	       v->index, reason);
	printk("hyp:   PC 0x%lx PSTATE 0x%lx ESR_EL1 0x%lx FAR_EL1 0x%lx\n",
	       r->pc, r->pstate, read_sysreg(esr_el1), read_sysreg(far_el1));
	for (int i = 0; i < 31; i += 4) {
		printk("hyp:  ");
		for (int j = i; j < i + 4 && j < 31; j++)
			printk(" x%-2d %016lx", j, r->x[j]);
		printk("\n");
	}
	console_unlock();
	if (vm->cfg->on_fault == FAULT_RESTART)
		vm_reset(vm, reason);
	else
		vm_stop(vm, reason);
}
