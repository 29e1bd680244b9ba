/* The oracle of run-time slot changes (see slot_model.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errno.h"
#include "guest_platform.h"
#include "oracle.h"
#include "slot_model.h"

#define FIXED_IPA 0x40000000UL
#define FIXED_PA 0x80000000UL /* never touched: the slot cannot change */

static const struct platform board = {
	.name = "test",
	.ram = { { "ram", 0x40000000, 0x40000000 } },
	.gic = { .version = GIC_V3 },
	.pa_bits = 48,
	.nr_cpus = 4,
};

void slot_harness_init(struct slot_harness *h, u64 range_size)
{
	memset(h, 0, sizeof(*h));
	fake_mm_init(&h->fm);
	h->fixed = (struct memslot){ .id = 0, .ipa = IPA(FIXED_IPA),
				     .size = SZ_2M, .pa = PA(FIXED_PA) };
	h->cfg = (struct vm_config){ .name = "managed", .nr_vcpus = 1,
				     .slots = &h->fixed, .nr_slots = 1 };
	if (vm_mem_build(&h->mem, &h->cfg, &board, 48, 5, &h->fm.ops))
		abort();
	h->mem.s2.live = true; /* so every change does its TLB maintenance */
	h->pool_pages_built = h->fm.pages_live;
	h->env = (struct slot_update_env){
		.win = h->win,
		.nr_win = vm_windows(&h->cfg, &board, h->win),
		.cpu_pa_bits = 48,
	};
	h->range_mem = aligned_alloc(SZ_2M, ALIGN_UP(range_size, SZ_2M));
	h->range_bitmap = calloc(1, host_range_bitmap_bytes(range_size));
	memset(h->range_mem, 0x5a, range_size); /* slot_mm_init clears it */
	host_range_init(&h->range, (u64)(uintptr_t)h->range_mem, range_size,
			h->range_bitmap);
	slot_mm_init(&h->sm, &h->fm.ops, &h->range, NULL);
	h->mem.s2.mm = &h->sm.ops;
	h->model[0] = (struct model_slot){ .used = true, .fixed = true,
					   .ipa = FIXED_IPA, .size = SZ_2M };
	h->next_sig = 0x51600000;
}

void slot_harness_fini(struct slot_harness *h)
{
	for (u32 i = 0; i < h->mem.nr_slots; i++)
		if (h->mem.slots[i].dirty)
			h->sm.ops.free_pages(&h->sm, h->mem.slots[i].dirty,
				slot_bitmap_pages(h->mem.slots[i].cfg.size));
	pt_destroy(&h->mem.s2);
	fake_mm_fini(&h->fm);
	free(h->range_mem);
	free(h->range_bitmap);
}

/* ---- The rules, stated again from DESIGN.md and KVM's documentation ---- */

static bool ranges_meet(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

/* Where a range may lie at all: page-aligned, not empty, no wrap, inside
 * the VM's IPA space. */
static bool placeable(const struct slot_harness *h, u64 ipa, u64 size)
{
	return size && !(ipa % PAGE_SIZE) && !(size % PAGE_SIZE) &&
	       ipa + size > ipa && ipa + size <= 1UL << h->mem.ipa_bits &&
	       size <= 1UL << 48;
}

static bool collides(const struct slot_harness *h, u64 ipa, u64 size, int self)
{
	for (int id = 0; id < MAX_SLOTS; id++)
		if (id != self && h->model[id].used &&
		    ranges_meet(ipa, size, h->model[id].ipa, h->model[id].size))
			return true;
	for (u32 w = 0; w < h->env.nr_win; w++)
		if (ranges_meet(ipa, size, h->win[w].ipa, h->win[w].size))
			return true;
	return false;
}

int slot_model_expect(const struct slot_harness *h, const struct slot_change *c)
{
	const struct memslot *r = &c->slot;
	const struct model_slot *old = r->id < MAX_SLOTS ? &h->model[r->id] : NULL;
	u64 ipa = ipa_val(r->ipa);

	switch (c->kind) {
	case SLOT_CREATE:
		/* Everything about the request alone first (-EINVAL), then
		 * what it meets (-EEXIST). */
		if (r->id >= MAX_SLOTS ||
		    (r->flags & ~(SLOT_READONLY | SLOT_LOG_DIRTY | SLOT_NOEXEC)) ||
		    !placeable(h, ipa, r->size))
			return -EINVAL;
		if (old->used || collides(h, ipa, r->size, -1))
			return -EEXIST;
		return 0;
	case SLOT_DELETE:
	case SLOT_MOVE:
	case SLOT_FLAGS_ONLY:
		if (!old || !old->used)
			return -ENOENT;
		if (old->fixed)
			return -EPERM;
		break;
	}
	if (c->kind == SLOT_MOVE) {
		if (r->size != old->size || !placeable(h, ipa, r->size))
			return -EINVAL;
		return collides(h, ipa, r->size, (int)r->id) ? -EEXIST : 0;
	}
	if (c->kind == SLOT_FLAGS_ONLY &&
	    ((r->flags ^ old->flags) & ~SLOT_LOG_DIRTY))
		return -EINVAL; /* READONLY, NOEXEC, unknown bits: never */
	return 0;
}

static void model_apply(struct slot_harness *h, const struct slot_change *c)
{
	struct model_slot *s = &h->model[c->slot.id];

	switch (c->kind) {
	case SLOT_CREATE:
		*s = (struct model_slot){ .used = true, .ipa = ipa_val(c->slot.ipa),
					  .size = c->slot.size,
					  .flags = c->slot.flags,
					  .sig = h->next_sig++ };
		break;
	case SLOT_DELETE:
		*s = (struct model_slot){ 0 };
		break;
	case SLOT_MOVE:
		s->ipa = ipa_val(c->slot.ipa);
		break;
	case SLOT_FLAGS_ONLY:
		s->flags = c->slot.flags;
		break;
	}
}

/* ---- Comparing ---- */

#define FAIL(...)                                 \
	do {                                      \
		snprintf(err, len, __VA_ARGS__);  \
		return false;                     \
	} while (0)

static u64 *page_word(u64 pa, u64 page, bool last)
{
	return (u64 *)(uintptr_t)(pa + page * PAGE_SIZE +
				  (last ? PAGE_SIZE - 8 : 0));
}

/* Every page of a run-time slot starts and ends with its signature. */
static void sign(u64 pa, u64 size, u64 sig)
{
	for (u64 p = 0; p < size / PAGE_SIZE; p++) {
		*page_word(pa, p, false) = sig + p;
		*page_word(pa, p, true) = ~(sig + p);
	}
}

static bool signed_with(u64 pa, u64 size, u64 sig)
{
	for (u64 p = 0; p < size / PAGE_SIZE; p++)
		if (*page_word(pa, p, false) != sig + p ||
		    *page_word(pa, p, true) != ~(sig + p))
			return false;
	return true;
}

static bool zero(u64 pa, u64 size)
{
	for (u64 p = 0; p < size / PAGE_SIZE; p++)
		if (*page_word(pa, p, false) || *page_word(pa, p, true))
			return false;
	return true;
}

static bool compare(struct slot_harness *h, char *err, size_t len)
{
	static struct oracle_model om;
	struct memslot slots[MAX_SLOTS];
	u32 n = 0, used = 0;
	u64 range_used = 0, tables;
	char why[200];

	for (u32 i = 0; i < h->mem.nr_slots; i++) {
		const struct slot_state *s = &h->mem.slots[i];

		if (i && ipa_val(h->mem.slots[i - 1].cfg.ipa) >= ipa_val(s->cfg.ipa))
			FAIL("the slot table is not sorted by IPA at entry %u", i);
		if (vm_mem_find(&h->mem, ipa_val(s->cfg.ipa) + s->cfg.size - 1) != s)
			FAIL("vm_mem_find misses the end of slot %u", s->cfg.id);
	}
	for (u32 id = 0; id < MAX_SLOTS; id++) {
		const struct model_slot *m = &h->model[id];
		struct slot_state *s = vm_mem_slot_by_id(&h->mem, id);
		u64 pa;

		if (!m->used) {
			if (s)
				FAIL("slot %u exists; the model has none", id);
			continue;
		}
		used++;
		if (!s)
			FAIL("slot %u is missing", id);
		if (ipa_val(s->cfg.ipa) != m->ipa || s->cfg.size != m->size ||
		    s->cfg.flags != m->flags)
			FAIL("slot %u is IPA 0x%lx size 0x%lx flags 0x%x; the model says 0x%lx 0x%lx 0x%x",
			     id, ipa_val(s->cfg.ipa), s->cfg.size, s->cfg.flags,
			     m->ipa, m->size, m->flags);
		if (!(m->flags & SLOT_LOG_DIRTY) != !s->dirty)
			FAIL("slot %u: a dirty bitmap %s without LOG_DIRTY", id,
			     s->dirty ? "is there" : "is missing");
		slots[n++] = s->cfg;
		if (m->fixed)
			continue;
		pa = pa_val(s->cfg.pa);
		if (!host_range_holds(&h->range, pa, m->size))
			FAIL("slot %u's backing 0x%lx is outside the host range", id, pa);
		if (!signed_with(pa, m->size, m->sig))
			FAIL("slot %u's memory lost what was written in it", id);
		range_used += m->size / PAGE_SIZE;
		if (s->dirty)
			range_used += slot_bitmap_pages(m->size);
		for (u32 o = 0; o < id; o++) {
			struct slot_state *t = vm_mem_slot_by_id(&h->mem, o);

			if (t && !h->model[o].fixed &&
			    ranges_meet(pa, m->size, pa_val(t->cfg.pa), t->cfg.size))
				FAIL("slots %u and %u share host memory", o, id);
		}
	}
	if (used != h->mem.nr_slots)
		FAIL("%u slots; the model has %u", h->mem.nr_slots, used);

	struct vm_config now = h->cfg;
	now.slots = slots;
	now.nr_slots = n;
	oracle_model_init(&om, &now, &board);
	if (!oracle_check(&h->mem.s2, &om, &tables, why, sizeof(why)))
		FAIL("stage 2: %s", why);
	for (u32 i = 0; i < om.n; i++) {
		const struct oracle_seg *seg = &om.seg[i];
		struct slot_state *s;

		if (seg->slot < 0)
			continue;
		s = vm_mem_slot_by_id(&h->mem, slots[seg->slot].id);
		if (memcmp(s->stats.leaves, seg->leaves, sizeof(seg->leaves)))
			FAIL("slot %u: the leaf counts it records are not its leaves",
			     s->cfg.id);
	}
	/* Table pages live in the pool (from the build) or in the range. */
	range_used += tables - h->fm.pages_live + h->reserved;
	if (h->range.nr_pages - h->range.free_pages != range_used)
		FAIL("the host range has %lu pages handed out; the slots, bitmaps and tables account for %lu",
		     h->range.nr_pages - h->range.free_pages, range_used);
	if (h->fm.pages_live > h->pool_pages_built || h->fm.bad_frees)
		FAIL("the page pool: %lu pages in use (%lu after the build), %lu bad frees",
		     h->fm.pages_live, h->pool_pages_built, h->fm.bad_frees);
	return true;
}

bool slot_harness_step(struct slot_harness *h, const struct slot_change *req,
		       char *err, size_t len)
{
	/* A manager names no host address: its slots' come from the range. */
	struct slot_change rc = *req, *c = &rc;
	rc.slot.pa = PA(0);
	int want = slot_model_expect(h, c);
	struct slot_state *before = c->slot.id < MAX_SLOTS ?
		vm_mem_slot_by_id(&h->mem, c->slot.id) : NULL;
	u64 old_ipa = before ? ipa_val(before->cfg.ipa) : 0;
	u64 old_pa = before ? pa_val(before->cfg.pa) : 0;
	u64 old_size = before ? before->cfg.size : 0;
	enum slot_rule rule;
	struct slot_gone gone;
	int got;

	fake_mm_clear_tlb(&h->fm);
	got = vm_mem_change(&h->mem, &h->sm, &h->env, c, &rule, &gone);
	if (gone.size && (c->kind != SLOT_DELETE || got))
		FAIL("memory to give back after %d: %d", c->kind, got);
	slot_mm_give_back(&h->sm, &gone);
	h->steps++;
	if (got == -ENOMEM && want == 0 && h->allow_enomem) {
		if (rule != RULE_NO_MEMORY)
			FAIL("-ENOMEM with rule %d", rule);
		h->refused++;
		return compare(h, err, len);
	}
	if (got != want)
		FAIL("returned %d (%s); the rules say %d", got,
		     slot_rule_name(rule), want);
	if ((got == 0) != (rule == RULE_NONE))
		FAIL("returned %d with rule %d", got, rule);
	if (got) {
		h->refused++;
		return compare(h, err, len);
	}
	model_apply(h, c);
	if (c->kind == SLOT_CREATE) {
		struct slot_state *s = vm_mem_slot_by_id(&h->mem, c->slot.id);

		u64 pa = pa_val(s->cfg.pa);

		if (!zero(pa, s->cfg.size))
			FAIL("a new slot's memory is not zero");
		/* In a range with room, blocks back blocks. */
		if (!h->allow_enomem && s->cfg.size >= SZ_2M &&
		    (pa - ipa_val(s->cfg.ipa)) % SZ_2M)
			FAIL("slot %u: PA 0x%lx and IPA 0x%lx differ in their low 21 bits",
			     c->slot.id, pa, ipa_val(s->cfg.ipa));
		sign(pa_val(s->cfg.pa), s->cfg.size, h->model[c->slot.id].sig);
	}
	if (c->kind == SLOT_DELETE && !zero(old_pa, old_size))
		FAIL("a deleted slot's memory went back uncleared");
	if ((c->kind == SLOT_DELETE ||
	     (c->kind == SLOT_MOVE && ipa_val(c->slot.ipa) != old_ipa)) &&
	    !fake_mm_tlb_covers(&h->fm, old_ipa))
		FAIL("no TLB invalidation covers the old place 0x%lx", old_ipa);
	return compare(h, err, len);
}

bool slot_harness_drain(struct slot_harness *h, char *err, size_t len)
{
	for (u32 id = 0; id < MAX_SLOTS; id++) {
		struct slot_change del = { SLOT_DELETE, { .id = id } };

		if (!h->model[id].used || h->model[id].fixed)
			continue;
		if (!slot_harness_step(h, &del, err, len))
			return false;
	}
	if (h->range.free_pages != h->range.nr_pages)
		FAIL("with every run-time slot deleted, %lu pages of the range are still handed out",
		     h->range.nr_pages - h->range.free_pages);
	if (h->fm.pages_live != h->pool_pages_built)
		FAIL("pool pages in use: %lu, %lu after the build",
		     h->fm.pages_live, h->pool_pages_built);
	return true;
}

void slot_change_describe(const struct slot_change *c, char *buf, size_t len)
{
	static const char *const kinds[] = { "create", "delete", "move", "flags" };

	snprintf(buf, len, "%s(id %u, IPA 0x%lx, size 0x%lx, flags 0x%x)",
		 (unsigned)c->kind < 4 ? kinds[c->kind] : "?", c->slot.id,
		 ipa_val(c->slot.ipa), c->slot.size, c->slot.flags);
}
