/*
 * The oracle of run-time slot changes: a model of a VM's slot table kept
 * from the rules of DESIGN.md and KVM's KVM_SET_USER_MEMORY_REGION alone
 * (not from mm/slot_change.c), and a harness that applies each change to a
 * real built VM (mm/slot_update.c, over the fake allocator and a host range
 * of real host memory) and to the model, then compares: the error code, the
 * slot table, the stage-2 tables (tests/host/oracle.c), every page of the
 * host range and of the page pool accounted for, slot contents kept across
 * moves and flag changes, memory zero when handed out and when given back.
 * Shared by the unit tests and the fuzzer.
 */
#ifndef TESTS_SLOT_MODEL_H
#define TESTS_SLOT_MODEL_H

#include <stddef.h>

#include "fake_mm.h"
#include "slot_update.h"

struct model_slot {
	bool used, fixed;
	u64 ipa, size;
	u32 flags;
	u64 sig; /* run-time slots: the pattern the harness wrote in it */
};

struct slot_harness {
	struct fake_mm fm;
	struct vm_mem mem;
	struct vm_config cfg;
	struct memslot fixed;
	struct host_range range;
	u64 *range_bitmap;
	void *range_mem;
	struct slot_mm sm;
	struct vm_window win[MAX_VM_WINDOWS];
	struct slot_update_env env;
	u64 pool_pages_built; /* fake pool pages in use after the build */
	struct model_slot model[MAX_SLOTS];
	u64 next_sig;
	bool allow_enomem; /* a small range: -ENOMEM may refuse valid changes */
	u64 reserved;      /* range pages the test took for itself */
	u64 steps, refused;
};

/* A VM with one configured 2 MiB RAM slot (id 0 at 0x40000000) and GICv3
 * windows; a host range of range_size bytes. */
void slot_harness_init(struct slot_harness *h, u64 range_size);
void slot_harness_fini(struct slot_harness *h);

/* The code the rules give c against the model: 0 or a negative errno. */
int slot_model_expect(const struct slot_harness *h, const struct slot_change *c);

/* Applies c to the VM and to the model and compares everything; false with
 * why in err. */
bool slot_harness_step(struct slot_harness *h, const struct slot_change *c,
		       char *err, size_t len);

/* Deletes every run-time slot: every page of the range and every pool page
 * the changes took must be back. */
bool slot_harness_drain(struct slot_harness *h, char *err, size_t len);

/* A readable line for a change. */
void slot_change_describe(const struct slot_change *c, char *buf, size_t len);

#endif
