/* The slot-change checker (see slot_change.h). */
#include "slot_change.h"
#include "errno.h"
#include "mem.h"

static const char *const rule_names[RULE_COUNT] = {
	[RULE_NONE] = "accepted",
	[RULE_ID_RANGE] = "slot id out of range",
	[RULE_FLAGS_UNKNOWN] = "unknown flags",
	[RULE_FLAGS_RUN_TIME] = "DEVICE and SHARED only in the configuration",
	[RULE_SIZE_ZERO] = "size is 0",
	[RULE_ALIGN] = "not 4 KiB aligned",
	[RULE_WRAP] = "wraps around the address space",
	[RULE_PA_BITS] = "beyond the physical address size",
	[RULE_IPA_BITS] = "beyond the VM's IPA size",
	[RULE_DEVICE_DIRTY] = "LOG_DIRTY on a DEVICE slot",
	[RULE_BACKING] = "host memory not allowed",
	[RULE_ID_TAKEN] = "slot id in use",
	[RULE_OVERLAP_SLOT] = "overlaps another slot",
	[RULE_OVERLAP_WINDOW] = "overlaps an emulated device",
	[RULE_NO_SLOT] = "no such slot",
	[RULE_FIXED] = "a configured slot cannot change",
	[RULE_RESIZE] = "slots cannot be resized",
	[RULE_READONLY_CHANGE] = "READONLY cannot change",
	[RULE_FLAG_CHANGE] = "only LOG_DIRTY can change",
	[RULE_NO_MEMORY] = "the host range is used up",
};

const char *slot_rule_name(enum slot_rule rule)
{
	return (unsigned)rule < RULE_COUNT ? rule_names[rule] : "unknown rule";
}

struct verdict {
	const struct slot_space *sp;
	const struct memslot *s; /* the slot as it would be */
	int err;
	enum slot_rule rule;
};

static void refuse(struct verdict *v, int err, enum slot_rule rule,
		   const char *fmt, ...) __printf(4, 5);

static void refuse(struct verdict *v, int err, enum slot_rule rule,
		   const char *fmt, ...)
{
	va_list ap;

	if (!v->err) {
		v->err = err;
		v->rule = rule;
	}
	if (!v->sp->report)
		return;
	va_start(ap, fmt);
	v->sp->report(v->sp->ctx, err, rule, v->s, fmt, ap);
	va_end(ap);
}

static const struct memslot *slot_at(const struct slot_space *sp, u32 i)
{
	return (const struct memslot *)((const u8 *)sp->slots + i * sp->stride);
}

static const struct memslot *slot_by_id(const struct slot_space *sp, u32 id)
{
	for (u32 i = 0; i < sp->nr; i++)
		if (slot_at(sp, i)->id == id)
			return slot_at(sp, i);
	return NULL;
}

static bool overlaps(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

/* The rules on where a slot lies, alone: false when the range makes no
 * sense to check further; *ok goes false on any problem. */
static bool check_range(struct verdict *v, const struct memslot *s, bool *ok)
{
	const struct slot_space *sp = v->sp;
	u64 ipa = ipa_val(s->ipa), pa = pa_val(s->pa);

	if (s->size == 0) {
		refuse(v, -EINVAL, RULE_SIZE_ZERO, "size is 0: a slot needs at least one 4 KiB page");
		*ok = false;
		return false;
	}
	if (!IS_ALIGNED(ipa, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    !IS_ALIGNED(s->size, PAGE_SIZE)) {
		refuse(v, -EINVAL, RULE_ALIGN,
		       "IPA 0x%lx, PA 0x%lx and size 0x%lx must all be multiples of 4 KiB (0x1000)",
		       ipa, pa, s->size);
		*ok = false;
		return false;
	}
	if (ipa + s->size < ipa || pa + s->size < pa) {
		refuse(v, -EINVAL, RULE_WRAP,
		       "wraps around the end of the address space (IPA 0x%lx, PA 0x%lx, size 0x%lx)",
		       ipa, pa, s->size);
		*ok = false;
		return false;
	}
	/* Stage-2 descriptors hold 48-bit output addresses at most. */
	if (pa + s->size > 1UL << MIN(sp->cpu_pa_bits, 48u)) {
		refuse(v, -EINVAL, RULE_PA_BITS,
		       "PA 0x%lx-0x%lx lies beyond the CPUs' %u-bit physical address space",
		       pa, pa + s->size - 1, MIN(sp->cpu_pa_bits, 48u));
		*ok = false;
	}
	if (ipa + s->size > 1UL << sp->ipa_bits) {
		refuse(v, -EINVAL, RULE_IPA_BITS,
		       "IPA 0x%lx-0x%lx ends beyond the VM's %u-bit guest physical space (0x%lx); move it lower%s",
		       ipa, ipa + s->size - 1, sp->ipa_bits, 1UL << sp->ipa_bits,
		       sp->ipa_bits_configured ? " or raise .ipa_bits" : "");
		*ok = false;
	}
	return true;
}

/* Against the other slots (all but self) and the emulated windows. */
static void check_against_others(struct verdict *v, const struct memslot *s,
				 const struct memslot *self, bool check_id)
{
	const struct slot_space *sp = v->sp;
	u64 ipa = ipa_val(s->ipa);

	for (u32 i = 0; i < sp->nr; i++) {
		const struct memslot *o = slot_at(sp, i);

		if (o == self)
			continue;
		if (check_id && o->id == s->id)
			refuse(v, -EEXIST, RULE_ID_TAKEN,
			       "id %u is used by another slot of this VM too; ids must be unique",
			       s->id);
		if (overlaps(ipa, s->size, ipa_val(o->ipa), o->size))
			refuse(v, -EEXIST, RULE_OVERLAP_SLOT,
			       "IPA 0x%lx-0x%lx overlaps slot %u (0x%lx-0x%lx)", ipa,
			       ipa + s->size - 1, o->id, ipa_val(o->ipa),
			       ipa_val(o->ipa) + o->size - 1);
	}
	for (u32 w = 0; w < sp->nr_win; w++)
		if (overlaps(ipa, s->size, sp->win[w].ipa, sp->win[w].size))
			refuse(v, -EEXIST, RULE_OVERLAP_WINDOW,
			       "IPA 0x%lx-0x%lx overlaps the %s the hypervisor provides at 0x%lx-0x%lx",
			       ipa, ipa + s->size - 1, sp->win[w].name, sp->win[w].ipa,
			       sp->win[w].ipa + sp->win[w].size - 1);
}

static void check_create(struct verdict *v, const struct memslot *s)
{
	const struct slot_space *sp = v->sp;
	bool ok = true;

	if (s->id >= MAX_SLOTS) {
		refuse(v, -EINVAL, RULE_ID_RANGE, "id %u is too large: ids go from 0 to %u",
		       s->id, MAX_SLOTS - 1);
		ok = false;
	}
	if (s->flags & ~SLOT_KNOWN_FLAGS) {
		refuse(v, -EINVAL, RULE_FLAGS_UNKNOWN,
		       "unknown flags 0x%x: known are READONLY, LOG_DIRTY, DEVICE, NOEXEC, SHARED",
		       (unsigned)(s->flags & ~SLOT_KNOWN_FLAGS));
		ok = false;
	} else if (sp->run_time && (s->flags & ~SLOT_RUN_TIME_FLAGS)) {
		refuse(v, -EINVAL, RULE_FLAGS_RUN_TIME,
		       "flags 0x%x: a slot made at run time is RAM from the manager's host range; DEVICE and SHARED slots come from the configuration",
		       (unsigned)(s->flags & ~SLOT_RUN_TIME_FLAGS));
		ok = false;
	}
	if (!check_range(v, s, &ok))
		return;
	if ((s->flags & SLOT_DEVICE) && (s->flags & SLOT_LOG_DIRTY)) {
		refuse(v, -EINVAL, RULE_DEVICE_DIRTY,
		       "LOG_DIRTY cannot be used on a DEVICE slot: device registers are not memory");
		ok = false;
	}
	if (sp->backing_ok && !sp->backing_ok(sp->ctx, s, ok)) {
		if (!v->err) {
			v->err = -EINVAL;
			v->rule = RULE_BACKING;
		}
		ok = false;
	}
	if (!ok || v->err)
		return;
	check_against_others(v, s, NULL, true);
}

/* The slot a run-time change names, when it may be changed. */
static const struct memslot *changeable(struct verdict *v, u32 id)
{
	const struct memslot *old = slot_by_id(v->sp, id);

	if (!old) {
		refuse(v, -ENOENT, RULE_NO_SLOT, "slot %u does not exist", id);
		return NULL;
	}
	if (id < 32 && (v->sp->fixed_ids & (1u << id))) {
		refuse(v, -EPERM, RULE_FIXED,
		       "slot %u comes from the configuration: only slots made at run time change at run time",
		       id);
		return NULL;
	}
	return old;
}

static void check_move(struct verdict *v, const struct memslot *req)
{
	const struct memslot *old = changeable(v, req->id);
	struct memslot moved;
	bool ok = true;

	if (!old)
		return;
	if (req->size != old->size) {
		refuse(v, -EINVAL, RULE_RESIZE,
		       "size 0x%lx differs from the slot's 0x%lx: slots move, they are never resized (delete and create instead)",
		       req->size, old->size);
		return;
	}
	moved = *old;
	moved.ipa = req->ipa;
	v->s = &moved;
	if (check_range(v, &moved, &ok) && ok)
		check_against_others(v, &moved, old, false);
	v->s = req;
}

static void check_flags(struct verdict *v, const struct memslot *req)
{
	const struct memslot *old = changeable(v, req->id);
	u32 changed;

	if (!old)
		return;
	if (req->flags & ~SLOT_KNOWN_FLAGS) {
		refuse(v, -EINVAL, RULE_FLAGS_UNKNOWN,
		       "unknown flags 0x%x: known are READONLY, LOG_DIRTY, DEVICE, NOEXEC, SHARED",
		       (unsigned)(req->flags & ~SLOT_KNOWN_FLAGS));
		return;
	}
	changed = req->flags ^ old->flags;
	if (changed & SLOT_READONLY)
		refuse(v, -EINVAL, RULE_READONLY_CHANGE,
		       "READONLY cannot be turned %s on an existing slot (as in KVM): delete and create it",
		       (req->flags & SLOT_READONLY) ? "on" : "off");
	else if (changed & ~SLOT_LOG_DIRTY)
		refuse(v, -EINVAL, RULE_FLAG_CHANGE,
		       "flags 0x%x cannot change on an existing slot: only LOG_DIRTY can",
		       (unsigned)(changed & ~SLOT_LOG_DIRTY));
}

int slot_change_check(const struct slot_space *sp, const struct slot_change *c,
		      enum slot_rule *rule)
{
	struct verdict v = { .sp = sp, .s = &c->slot };

	switch (c->kind) {
	case SLOT_CREATE:
		check_create(&v, &c->slot);
		break;
	case SLOT_DELETE:
		changeable(&v, c->slot.id);
		break;
	case SLOT_MOVE:
		check_move(&v, &c->slot);
		break;
	case SLOT_FLAGS_ONLY:
		check_flags(&v, &c->slot);
		break;
	default:
		refuse(&v, -EINVAL, RULE_NONE, "unknown kind of change %d", (int)c->kind);
		break;
	}
	if (rule)
		*rule = v.err ? v.rule : RULE_NONE;
	return v.err;
}
