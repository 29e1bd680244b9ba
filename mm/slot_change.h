/*
 * One checker for every change of a VM's slot table, at build time and at
 * run time (KVM's kvm_set_memory_region: the kind of change is named first,
 * then every rule is checked before any table is touched).
 *
 * Build time: mm/validate.c checks each configured slot as a CREATE against
 * the slots listed before it. Run time: mm/slot_update.c checks a manager's
 * request against the VM's current slots, then applies it. The same rules,
 * from the same code, with KVM's error codes:
 *   -EINVAL  bad id, flags, size, alignment, wrap-around, beyond the VM's
 *            IPA size, a resize, a change of READONLY
 *   -EEXIST  the id is taken, or the range overlaps a slot or a window
 *   -ENOENT  no slot with that id
 *   -EPERM   a slot of the configuration (run time: fixed ground)
 */
#ifndef MM_SLOT_CHANGE_H
#define MM_SLOT_CHANGE_H

#include <stdarg.h>
#include <stddef.h>

#include "config.h"
#include "stage2.h"

enum slot_change_kind {
	SLOT_CREATE,     /* id, ipa, size, flags (and pa at build time) */
	SLOT_DELETE,     /* id */
	SLOT_MOVE,       /* id, ipa, size (which must stay the same) */
	SLOT_FLAGS_ONLY, /* id, flags: only LOG_DIRTY may change */
};

struct slot_change {
	enum slot_change_kind kind;
	struct memslot slot;
};

/* Which rule refused a change: returned to managers with the error code so
 * that tools can say it in words (docs/management.md lists them). */
enum slot_rule {
	RULE_NONE,
	RULE_ID_RANGE,        /* id beyond MAX_SLOTS - 1 */
	RULE_FLAGS_UNKNOWN,
	RULE_FLAGS_RUN_TIME,  /* DEVICE or SHARED asked at run time */
	RULE_SIZE_ZERO,
	RULE_ALIGN,
	RULE_WRAP,
	RULE_PA_BITS,
	RULE_IPA_BITS,
	RULE_DEVICE_DIRTY,
	RULE_BACKING,         /* build time: where the host memory is */
	RULE_ID_TAKEN,
	RULE_OVERLAP_SLOT,
	RULE_OVERLAP_WINDOW,
	RULE_NO_SLOT,
	RULE_FIXED,           /* a configured slot */
	RULE_RESIZE,
	RULE_READONLY_CHANGE,
	RULE_FLAG_CHANGE,     /* a flag other than LOG_DIRTY changed */
	RULE_NO_MEMORY,       /* the manager's host range is used up */
	RULE_COUNT
};

/* A short name for each rule ("overlaps a slot"), for logs and tools. */
const char *slot_rule_name(enum slot_rule rule);

/* What the checker sees of a VM: its slots (nr of them, stride bytes
 * apart, so that both a configuration's array and a built VM's slot_state
 * table can be read) and what else its IPA space holds. */
struct slot_space {
	const struct memslot *slots;
	size_t stride;
	u32 nr;
	bool run_time;  /* a manager's request, not a configuration */
	u32 fixed_ids;  /* run time: bit n = slot n is the configuration's */
	unsigned ipa_bits;
	bool ipa_bits_configured; /* hint: .ipa_bits may be raised */
	unsigned cpu_pa_bits;
	const struct vm_window *win;
	u32 nr_win;
	/* Build time, optional: checks the host backing of a slot whose own
	 * checks came this far (ok_so_far: all of them passed); false when it
	 * refuses (and has said why). */
	bool (*backing_ok)(void *ctx, const struct memslot *s, bool ok_so_far);
	/* Every problem, in words; optional. */
	void (*report)(void *ctx, int err, enum slot_rule rule,
		       const struct memslot *s, const char *fmt, va_list ap);
	void *ctx;
};

/* Checks c against sp: 0, or the first problem's negative error code
 * (*rule, when given, says which rule). Every problem is reported. */
int slot_change_check(const struct slot_space *sp, const struct slot_change *c,
		      enum slot_rule *rule);

/* Flags a slot may be created with at run time. */
#define SLOT_RUN_TIME_FLAGS (SLOT_READONLY | SLOT_LOG_DIRTY | SLOT_NOEXEC)

#endif
