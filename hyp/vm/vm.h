/* Virtual machines: one per configured VM, built at boot from the
 * configuration after it passes the checker. */
#ifndef HYP_VM_H
#define HYP_VM_H

#include "config.h"
#include "loader.h"
#include "mmio_emul.h"
#include "spinlock.h"
#include "stage2.h"
#include "vcpu.h"
#include "vflash.h"
#include "vgic.h"
#include "vuart.h"

enum vm_state {
	VM_RUNNING,
	VM_STOPPING,  /* SYSTEM_OFF or a fault: its vCPUs are leaving */
	VM_RESETTING, /* SYSTEM_RESET: leaving, then reloaded */
	VM_LOADING,   /* being reloaded, in its boot vCPU's turns (sched.c) */
	VM_STOPPED,
};

struct vm {
	u32 index; /* in the configuration */
	const struct vm_config *cfg;
	struct vm_mem mem;
	bool usable; /* passed the checks and was built */

	struct vcpu vcpus[MAX_VCPUS];
	u32 nr_vcpus;
	u64 vtcr;
	bool shares_pcpu; /* a CPU of its runs other vCPUs too */
	u32 watch_ms;     /* the shorter of watchdog_ms and stall_ms set; 0: none */

	spinlock_t lock;
	enum vm_state state;
	/* Nonzero: kept out of the guest while its memory map changes
	 * (hyp/mgmt/hold.c); the scheduler enters none of its vCPUs. Beside
	 * state, which the exit path reads too: one more load, same base. */
	u32 held;
	u32 resets;
	u64 entry_pc, dtb_ipa; /* where the boot vCPU starts */

	struct vuart vuart;
	struct vflash flash;
	struct vgic_dist vgic;
	struct mmio_region mmio[MAX_MMIO_REGIONS + 1]; /* and a sentinel */
	u32 nr_mmio;

	/* Nonzero while a CPU runs one of its reload steps (vm_reload_step),
	 * which reads its slot table and writes its memory. */
	u32 load_stepping;
	/* A stop asked while a reset was taking the vCPUs off their CPUs
	 * (vm_stop): the reset finishes it instead of reloading. Copied: the
	 * reason may be the asker's stack. */
	bool stop_after_reset;
	char stop_reason[200];
	struct vm_load_plan load; /* while VM_LOADING; last: cold */
};

extern struct vm vms[MAX_VMS];

/* Checks the configuration as the host checker did, builds every VM that
 * passes and prints its map. Returns how many VMs are usable. */
u32 vms_create(void);

/* Loads every usable VM's images and device tree and makes its boot vCPU
 * runnable. */
void vms_start(void);

/* Stops a VM: every vCPU leaves the guest for good. reason goes in the log.
 * When no VM is left running, the machine powers off. */
void vm_stop(struct vm *vm, const char *reason);
/* Restarts a VM from its pristine image with its memory cleared. The
 * clearing and loading are left to vm_reload_step, run in the VM's boot
 * vCPU's turns on its CPU. */
void vm_reset(struct vm *vm, const char *reason);
/* vm_reset for a manager (HC_VM_RESTART): a stopped VM too. 0, or -EBUSY
 * when it is already stopping, restarting or reloading. */
int vm_restart(struct vm *vm, const char *reason);
/* One bounded step of a reset VM's reload (LOAD_STEP_BYTES at most): true
 * while more remain. The last step makes the VM run again. False, and
 * nothing done, when the VM is held or no longer loading. */
bool vm_reload_step(struct vm *vm);
/* After setting vm->held or leaving VM_LOADING: waits until no CPU is in
 * a reload step of vm (one step at most). */
void vm_wait_reload_step(struct vm *vm);

/* Starts a stopped VM's boot vCPU at pc with x0, its memory as it is (no
 * reload): what a manager does after writing an image into it. 0, or
 * -EBUSY when the VM is not stopped. */
int vm_start_at(struct vm *vm, u64 pc, u64 x0);

/* A vCPU that cannot continue: logs its registers and applies the VM's
 * fault policy (stop or restart). */
void vm_fault(struct vcpu *v, const char *reason);

/* The vCPU of vm whose virtual MPIDR is mpidr, or NULL. */
struct vcpu *vm_vcpu_by_mpidr(struct vm *vm, u64 mpidr);

#endif
