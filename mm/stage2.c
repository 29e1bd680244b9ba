/* A VM's stage 2, guest memory access by IPA, and dirty logging (see
 * stage2.h). */
#include "stage2.h"
#include "errno.h"
#include "guest_platform.h"
#include "mem.h"

/* ---- Planning ---- */

u32 vm_windows(const struct vm_config *vm, const struct platform *plat,
	       struct vm_window out[MAX_VM_WINDOWS])
{
	u32 n = 0;

	out[n++] = (struct vm_window){ "GIC distributor", VIRT_GICD_BASE,
				       VIRT_GICD_SIZE, 0 };
	if (plat->gic.version == GIC_V3)
		out[n++] = (struct vm_window){
			"GIC redistributors", VIRT_GICR_BASE,
			(u64)vm->nr_vcpus * VIRT_GICR_STRIDE, 0 };
	else
		out[n++] = (struct vm_window){ "GIC CPU interface",
					       VIRT_GICC_BASE, VIRT_GICC_SIZE,
					       plat->gic.gicv };
	if (vm->vuart)
		out[n++] = (struct vm_window){ "virtual UART", VIRT_UART_BASE,
					       VIRT_UART_SIZE, 0 };
	if (vm->manager)
		out[n++] = (struct vm_window){ "hypervisor control window",
					       VIRT_HYPCTL_BASE, VIRT_HYPCTL_SIZE, 0 };
	if (vm->flash) {
		out[n++] = (struct vm_window){ "flash bank 0", VIRT_FLASH_BASE,
					       VIRT_FLASH_BANK_SIZE, 0 };
		out[n++] = (struct vm_window){
			"flash bank 1", VIRT_FLASH_BASE + VIRT_FLASH_BANK_SIZE,
			VIRT_FLASH_BANK_SIZE, 0 };
	}
	return n;
}

unsigned vm_ipa_bits(const struct vm_config *vm, unsigned cpu_pa_bits)
{
	static const u8 sizes[] = { 36, 40, 42, 44, 48 };
	u64 top = VIRT_UART_BASE + VIRT_UART_SIZE; /* devices sit low */

	if (vm->ipa_bits)
		return vm->ipa_bits;
	for (u32 i = 0; i < vm->nr_slots; i++) {
		u64 end = ipa_val(vm->slots[i].ipa) + vm->slots[i].size;

		if (end > top)
			top = end;
	}
	for (u32 i = 0; i < ARRAY_SIZE(sizes); i++)
		if (sizes[i] <= cpu_pa_bits && top <= 1UL << sizes[i])
			return sizes[i];
	return cpu_pa_bits; /* too small for the slots: the checker says so */
}

pt_prot_t slot_prot(u32 flags)
{
	pt_prot_t prot = PT_RWX;

	if (flags & SLOT_DEVICE)
		prot = PT_RW | PT_DEVICE; /* never executable */
	if (flags & (SLOT_READONLY | SLOT_LOG_DIRTY))
		prot &= ~PT_W; /* LOG_DIRTY: until the first write */
	if (flags & SLOT_NOEXEC)
		prot &= ~PT_X;
	return prot;
}

u64 slot_bitmap_pages(u64 size)
{
	u64 pages = size / PAGE_SIZE;

	return (pages + 8 * PAGE_SIZE - 1) / (8 * PAGE_SIZE);
}

/* Tables counted so far: the last table seen at each level. */
struct table_count {
	unsigned start_level;
	bool seen[PT_LEVELS];
	u64 last[PT_LEVELS];
	u64 pages;
};

/* Leaves at level leaf covering [ia, end), in increasing IA order: the
 * tables at levels start+1 .. leaf are keyed by the entry above them. */
static void count_run(struct table_count *c, u64 ia, u64 end, unsigned leaf)
{
	for (unsigned l = c->start_level + 1; l <= leaf; l++) {
		unsigned shift = pt_level_shift(l - 1);
		u64 first = ia >> shift, last = (end - 1) >> shift;
		u64 n = last - first + 1;

		if (c->seen[l] && c->last[l] == first)
			n--;
		c->pages += n;
		c->seen[l] = true;
		c->last[l] = last;
	}
}

/* Splits a mapping into runs of equal-level leaves, choosing at each address
 * the largest block that fits, exactly as pt_map does. */
static void count_mapping(struct table_count *c, u64 ia, u64 pa, u64 size,
			  unsigned top_level)
{
	u64 end = ia + size;

	while (ia < end) {
		unsigned level = 3;

		for (unsigned l = top_level; l < 3; l++) {
			u64 bs = pt_level_size(l);

			if (IS_ALIGNED(ia | pa, bs) && end - ia >= bs) {
				level = l;
				break;
			}
		}
		u64 bs = pt_level_size(level);
		u64 run_end = ia + (end - ia) / bs * bs;

		/* A larger block may fit from the next larger boundary on. */
		if (level > top_level &&
		    IS_ALIGNED(pa - ia, pt_level_size(level - 1))) {
			u64 up = ALIGN_UP(ia + 1, pt_level_size(level - 1));

			if (up < run_end)
				run_end = up;
		}
		count_run(c, ia, run_end, level);
		pa += run_end - ia;
		ia = run_end;
	}
}

u64 mapping_table_pages(u64 ipa, u64 pa, u64 size, unsigned top_level,
			unsigned ipa_bits)
{
	struct table_count c = { .start_level = pt_start_level(PT_S2, ipa_bits) };

	count_mapping(&c, ipa, pa, size, top_level);
	return c.pages;
}

struct mapping {
	u64 ipa, pa, size;
	unsigned top_level;
};

/* The VM's stage-2 mappings in IPA order: slots and passed-through
 * windows. Returns how many. */
static u32 vm_mappings(const struct vm_config *vm, const struct platform *plat,
		       struct mapping out[MAX_SLOTS + MAX_VM_WINDOWS + VIRT_FLASH_BANKS])
{
	struct vm_window w[MAX_VM_WINDOWS];
	u32 nw = vm_windows(vm, plat, w), n = 0;

	for (u32 i = 0; i < vm->nr_slots && n < MAX_SLOTS; i++) {
		const struct memslot *s = &vm->slots[i];

		out[n++] = (struct mapping){
			ipa_val(s->ipa), pa_val(s->pa), s->size,
			(s->flags & SLOT_LOG_DIRTY) ? 3 : 1 };
	}
	for (u32 i = 0; i < nw; i++)
		if (w[i].pa)
			out[n++] = (struct mapping){ w[i].ipa, w[i].pa,
						     w[i].size, 3 };
	for (u32 b = 0; vm->flash && b < VIRT_FLASH_BANKS; b++)
		if (vm->flash_ram[b].size)
			out[n++] = (struct mapping){
				flash_bank_ipa(b), pa_val(vm->flash_ram[b].pa),
				vm->flash_ram[b].size, 1 };
	/* Insertion sort by IPA: at most a few dozen entries. */
	for (u32 i = 1; i < n; i++)
		for (u32 j = i; j > 0 && out[j].ipa < out[j - 1].ipa; j--) {
			struct mapping t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

u64 vm_table_pages(const struct vm_config *vm, const struct platform *plat,
		   unsigned ipa_bits)
{
	struct mapping maps[MAX_SLOTS + MAX_VM_WINDOWS + VIRT_FLASH_BANKS];
	u32 n = vm_mappings(vm, plat, maps);
	struct table_count c = { .start_level = pt_start_level(PT_S2, ipa_bits) };

	for (u32 i = 0; i < n; i++)
		count_mapping(&c, maps[i].ipa, maps[i].pa, maps[i].size,
			      maps[i].top_level);
	return c.pages + pt_root_pages(PT_S2, ipa_bits);
}

/* ---- Building ---- */

/* A flash bank's RAM as read-array mode has it: read-only, executable. */
static int map_flash_ram(struct vm_mem *m, const struct flash_ram *r, u32 bank)
{
	return pt_map(&m->s2, flash_bank_ipa(bank), pa_val(r->pa), r->size, PT_RX, NULL);
}

int vm_mem_build(struct vm_mem *m, const struct vm_config *vm,
		 const struct platform *plat, unsigned cpu_pa_bits, u16 vmid,
		 const struct pt_mm_ops *mm)
{
	struct vm_window w[MAX_VM_WINDOWS];
	u32 nw = vm_windows(vm, plat, w);
	int err;

	if (vm->nr_slots > MAX_SLOTS)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->ipa_bits = vm_ipa_bits(vm, cpu_pa_bits);
	err = pt_init(&m->s2, PT_S2, m->ipa_bits, mm);
	if (err)
		return err;
	m->s2.vmid = vmid;

	/* The slot table, sorted by IPA for vm_mem_find. */
	for (u32 i = 0; i < vm->nr_slots; i++) {
		u32 j = m->nr_slots++;

		while (j > 0 && ipa_val(m->slots[j - 1].cfg.ipa) >
					ipa_val(vm->slots[i].ipa)) {
			m->slots[j] = m->slots[j - 1];
			j--;
		}
		m->slots[j] = (struct slot_state){
			.cfg = vm->slots[i],
			.nr_pages = vm->slots[i].size / PAGE_SIZE,
		};
		if (vm->slots[i].id < 32)
			m->fixed_ids |= 1u << vm->slots[i].id;
	}

	for (u32 i = 0; i < m->nr_slots; i++) {
		struct slot_state *s = &m->slots[i];
		u64 ipa = ipa_val(s->cfg.ipa), pa = pa_val(s->cfg.pa);
		pt_prot_t prot = slot_prot(s->cfg.flags);

		if (s->cfg.flags & SLOT_LOG_DIRTY) {
			u64 pages = slot_bitmap_pages(s->cfg.size);

			s->dirty = mm->zalloc_pages(mm->ctx, pages);
			if (!s->dirty)
				return -ENOMEM;
			err = pt_map_pages(&m->s2, ipa, pa, s->cfg.size, prot,
					   &s->stats);
		} else {
			err = pt_map(&m->s2, ipa, pa, s->cfg.size, prot,
				     &s->stats);
		}
		if (err)
			return err;
	}
	for (u32 i = 0; i < nw; i++) {
		if (!w[i].pa)
			continue;
		err = pt_map_pages(&m->s2, w[i].ipa, w[i].pa, w[i].size,
				   PT_RW | PT_DEVICE, NULL);
		if (err)
			return err;
	}
	/* Flash banks with host RAM start in read-array mode: mapped. */
	for (u32 b = 0; vm->flash && b < VIRT_FLASH_BANKS; b++) {
		if (!vm->flash_ram[b].size)
			continue;
		err = map_flash_ram(m, &vm->flash_ram[b], b);
		if (err)
			return err;
	}
	return 0;
}

int vm_mem_flash_map(struct vm_mem *m, const struct vm_config *vm, u32 bank,
		     bool on)
{
	const struct flash_ram *r = &vm->flash_ram[bank];
	int err;

	if (bank >= VIRT_FLASH_BANKS || !r->size)
		return -EINVAL;
	spin_lock(&m->lock); /* against run-time slot changes' walks */
	/* Mapping: the entries are invalid (cleared below, or never
	 * mapped), so nothing can be cached for them and no invalidation is
	 * needed; the tables are still there, so nothing is allocated. */
	if (on)
		err = map_flash_ram(m, r, bank);
	else
		err = pt_clear_leaves(&m->s2, flash_bank_ipa(bank), r->size);
	spin_unlock(&m->lock);
	return err;
}

static void flag_names(u32 flags, char *buf)
{
	static const char *const names[] = { "READONLY", "LOG_DIRTY", "DEVICE",
					     "NOEXEC", "SHARED" };
	char *p = buf;

	for (u32 i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(flags & BIT(i)))
			continue;
		if (p != buf)
			*p++ = ',';
		for (const char *n = names[i]; *n;)
			*p++ = *n++;
	}
	if (p == buf)
		for (const char *n = "RAM"; *n;)
			*p++ = *n++;
	*p = 0;
}

void vm_mem_print(const struct vm_mem *m, const struct vm_config *vm,
		  const struct platform *plat, map_printf out, void *ctx)
{
	struct vm_window w[MAX_VM_WINDOWS];
	u32 nw = vm_windows(vm, plat, w);

	out(ctx, "vm \"%s\": %u vCPU%s on CPU", vm->name, vm->nr_vcpus,
	    vm->nr_vcpus == 1 ? "" : "s");
	for (u32 v = 0; v < vm->nr_vcpus; v++)
		out(ctx, "%s%u", v ? "," : " ", vm->vcpu_pcpu[v]);
	out(ctx, "; %u-bit IPA, stage 2 from level %u, %lu table pages\n",
	    m->ipa_bits, m->s2.start_level,
	    vm_table_pages(vm, plat, m->ipa_bits));
	out(ctx, "  slot  IPA                            PA                             flags            1G    2M     4K\n");
	for (u32 i = 0; i < m->nr_slots; i++) {
		const struct slot_state *s = &m->slots[i];
		u64 ipa = ipa_val(s->cfg.ipa), pa = pa_val(s->cfg.pa);
		char flags[64];

		flag_names(s->cfg.flags, flags);
		out(ctx, "  %-4u  0x%012lx-0x%012lx  0x%012lx-0x%012lx  %-15s %3lu %5lu %6lu\n",
		    s->cfg.id, ipa, ipa + s->cfg.size - 1, pa, pa + s->cfg.size - 1,
		    flags, s->stats.leaves[1], s->stats.leaves[2],
		    s->stats.leaves[3]);
	}
	for (u32 b = 0; vm->flash && b < VIRT_FLASH_BANKS; b++) {
		const struct flash_ram *r = &vm->flash_ram[b];

		if (r->size)
			out(ctx, "  --    0x%012lx-0x%012lx  0x%012lx-0x%012lx  flash bank %u's %s, mapped read-only in read-array mode\n",
			    flash_bank_ipa(b), flash_bank_ipa(b) + r->size - 1,
			    pa_val(r->pa), pa_val(r->pa) + r->size - 1, b,
			    r->writable ? "writable RAM" : "RAM");
	}
	for (u32 i = 0; i < nw; i++) {
		if (w[i].pa)
			out(ctx, "  --    0x%012lx-0x%012lx  0x%012lx-0x%012lx  %s, mapped\n",
			    w[i].ipa, w[i].ipa + w[i].size - 1, w[i].pa,
			    w[i].pa + w[i].size - 1, w[i].name);
		else
			out(ctx, "  --    0x%012lx-0x%012lx  %-29s  %s, emulated\n",
			    w[i].ipa, w[i].ipa + w[i].size - 1, "(trapped)",
			    w[i].name);
	}
}

struct slot_state *vm_mem_find(struct vm_mem *m, u64 ipa)
{
	u32 lo = 0, hi = m->nr_slots;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		struct slot_state *s = &m->slots[mid];
		u64 base = ipa_val(s->cfg.ipa);

		if (ipa < base)
			hi = mid;
		else if (ipa - base >= s->cfg.size)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

struct slot_state *vm_mem_slot_by_id(struct vm_mem *m, u32 id)
{
	for (u32 i = 0; i < m->nr_slots; i++)
		if (m->slots[i].cfg.id == id)
			return &m->slots[i];
	return NULL;
}

/* ---- Guest memory by IPA ---- */

enum access { ACCESS_READ, ACCESS_WRITE, ACCESS_LOAD, ACCESS_CLEAR };

static void mark_dirty(struct slot_state *s, u64 ipa, u64 len)
{
	u64 first = (ipa - ipa_val(s->cfg.ipa)) / PAGE_SIZE;
	u64 last = (ipa + len - 1 - ipa_val(s->cfg.ipa)) / PAGE_SIZE;

	for (u64 p = first; p <= last; p++)
		__atomic_fetch_or(&s->dirty[p / 64], 1UL << (p % 64),
				  __ATOMIC_RELAXED);
}

/* Checks every byte first, so a refused access changes nothing. */
static int check_range(struct vm_mem *m, u64 ipa, u64 len, enum access how)
{
	if (ipa + len < ipa)
		return -EFAULT;
	while (len) {
		struct slot_state *s = vm_mem_find(m, ipa);

		if (!s || (s->cfg.flags & SLOT_DEVICE))
			return -EFAULT;
		if (how == ACCESS_WRITE && (s->cfg.flags & SLOT_READONLY))
			return -EPERM;
		u64 chunk = MIN(len, ipa_val(s->cfg.ipa) + s->cfg.size - ipa);
		ipa += chunk;
		len -= chunk;
	}
	return 0;
}

static int access_guest(struct vm_mem *m, u64 ipa, void *buf, u64 len,
			enum access how)
{
	int err = check_range(m, ipa, len, how);
	u8 *p = buf;

	if (err)
		return err;
	while (len) {
		struct slot_state *s = vm_mem_find(m, ipa);
		u64 off = ipa - ipa_val(s->cfg.ipa);
		u64 chunk = MIN(len, s->cfg.size - off);
		u8 *host = m->s2.mm->phys_to_virt(m->s2.mm->ctx,
						  pa_val(s->cfg.pa) + off);

		switch (how) {
		case ACCESS_READ:
			memcpy(p, host, chunk);
			break;
		case ACCESS_WRITE:
			memcpy(host, p, chunk);
			if (s->dirty)
				mark_dirty(s, ipa, chunk);
			break;
		case ACCESS_LOAD:
			memcpy(host, p, chunk);
			break;
		case ACCESS_CLEAR:
			memset(host, 0, chunk);
			break;
		}
		if (p)
			p += chunk;
		ipa += chunk;
		len -= chunk;
	}
	return 0;
}

int guest_read(struct vm_mem *m, u64 ipa, void *buf, u64 len)
{
	return access_guest(m, ipa, buf, len, ACCESS_READ);
}

int guest_write(struct vm_mem *m, u64 ipa, const void *buf, u64 len)
{
	return access_guest(m, ipa, (void *)buf, len, ACCESS_WRITE);
}

int guest_load(struct vm_mem *m, u64 ipa, const void *buf, u64 len)
{
	return access_guest(m, ipa, (void *)buf, len, ACCESS_LOAD);
}

int guest_clear(struct vm_mem *m, u64 ipa, u64 len)
{
	return access_guest(m, ipa, NULL, len, ACCESS_CLEAR);
}

void *guest_ptr(struct vm_mem *m, u64 ipa, u64 len, bool write)
{
	struct slot_state *s = vm_mem_find(m, ipa);
	u64 off;

	if (!s || !len || (s->cfg.flags & SLOT_DEVICE) ||
	    (write && (s->cfg.flags & SLOT_READONLY)))
		return NULL;
	off = ipa - ipa_val(s->cfg.ipa);
	if (len > s->cfg.size - off)
		return NULL;
	if (write && s->dirty)
		mark_dirty(s, ipa, len);
	return m->s2.mm->phys_to_virt(m->s2.mm->ctx, pa_val(s->cfg.pa) + off);
}

/* ---- Dirty logging ---- */

/* One page's stale entries on this CPU (a broadcast where the mm has no
 * local operation). */
static void stage2_tlb_inval_page_local(const struct pgtable *pt, u64 ipa)
{
	if (!pt->live)
		return;
	if (pt->mm->tlb_inval_ia_local)
		pt->mm->tlb_inval_ia_local(pt->mm->ctx, pt, ipa, PT_LEVELS - 1);
	else
		pt->mm->tlb_inval_ia(pt->mm->ctx, pt, ipa, PT_LEVELS - 1);
}

void vm_mem_tlb_drop_local(struct vm_mem *m, u64 ipa)
{
	stage2_tlb_inval_page_local(&m->s2, ALIGN_DOWN(ipa, PAGE_SIZE));
}

int dirty_log_write_fault(struct vm_mem *m, u64 ipa)
{
	struct slot_state *s = vm_mem_find(m, ipa);
	u64 page = ALIGN_DOWN(ipa, PAGE_SIZE);
	int err;

	if (!s || !(s->cfg.flags & SLOT_LOG_DIRTY) ||
	    (s->cfg.flags & SLOT_READONLY))
		return -ENOENT;
	struct pt_tlb_batch b = { 0 };

	spin_lock(&m->lock);
	mark_dirty(s, page, PAGE_SIZE);
	err = pt_protect_batched(&m->s2, page, PAGE_SIZE,
				 slot_prot(s->cfg.flags & ~SLOT_LOG_DIRTY), &b);
	if (!err && !b.changed)
		/*
		 * Already writable: another vCPU's fault got here first. This
		 * CPU faulted on a read-only entry that its TLB may still hold
		 * (the other CPU's grant invalidated only its own TLB), and it
		 * would fault on it for ever: drop it here, as KVM does.
		 */
		stage2_tlb_inval_page_local(&m->s2, page);
	pt_tlb_batch_flush(&m->s2, &b);
	spin_unlock(&m->lock);
	return err;
}

int dirty_log_get_and_clear(struct vm_mem *m, u32 slot_id, u64 *out,
			    u64 *words)
{
	struct slot_state *s;
	struct pt_tlb_batch batch = { 0 };
	pt_prot_t prot;
	u64 n;
	int err = 0;

	/* The slot table itself may change at run time: looked up locked. */
	spin_lock(&m->lock);
	s = vm_mem_slot_by_id(m, slot_id);
	if (!s || !s->dirty) {
		spin_unlock(&m->lock);
		return -ENOENT;
	}
	n = (s->nr_pages + 63) / 64;
	if (*words < n) {
		*words = n;
		spin_unlock(&m->lock);
		return -EINVAL;
	}
	*words = n;
	prot = slot_prot(s->cfg.flags);
	for (u64 i = 0; i < n; i++) {
		u64 bits = __atomic_exchange_n(&s->dirty[i], 0, __ATOMIC_RELAXED);

		out[i] = bits;
		/* Write-protect each run of pages that were written, so the
		 * next write is seen; one TLB flush covers them all. */
		while (bits && !err) {
			unsigned first = __builtin_ctzl(bits);
			u64 run = ~(bits >> first); /* zeros where the run is */
			unsigned len = run ? (unsigned)__builtin_ctzl(run) : 64 - first;
			u64 page = i * 64 + first;

			bits = len + first >= 64 ? 0 : bits & ~(((1UL << len) - 1) << first);
			err = pt_protect_batched(&m->s2,
						 ipa_val(s->cfg.ipa) + page * PAGE_SIZE,
						 (u64)len * PAGE_SIZE, prot, &batch);
		}
	}
	pt_tlb_batch_flush(&m->s2, &batch);
	spin_unlock(&m->lock);
	return err;
}
