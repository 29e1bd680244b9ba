/*
 * Data cache maintenance by set/way from a guest (DC ISW, CSW, CISW,
 * trapped by HCR_EL2.TSW). Run natively it would act on the physical
 * caches every VM shares: evicting and cleaning other VMs' lines (a timing
 * channel, and with DC ISW and no HCR_EL2.SWIO, lost data). A set/way
 * operation means nothing for a virtual machine's memory anyway: a guest
 * uses a loop of them over every set and way of a level to clean or empty
 * its caches, typically around turning its MMU or caches on or off.
 *
 * So each operation cleans and invalidates, by address, its share of the
 * VM's own RAM: the RAM is cut into as many slices as the level has sets
 * times ways, and the operation on (set, way) takes slice way * sets + set.
 * A guest's whole loop over a level thus cleans and invalidates all of its
 * RAM to the point of coherency, once, and each trap costs a bounded
 * RAM / (sets * ways) bytes. KVM goes further (it flushes the whole VM on
 * the first operation and tracks its caches with HCR_EL2.TVM); this keeps
 * the cost per trap bounded instead. Invalidation alone is never done: an
 * invalidation without clean could drop the guest's own newer data (and
 * HCR_EL2.SWIO already makes the native one a clean+invalidate).
 */
#include "cache.h"
#include "setway.h"
#include "sysreg.h"
#include "vm.h"

/* CCSIDR_EL1 (Arm ARM D17.2.24), in its two formats. */
struct cache_geometry {
	u64 sets, ways;
	unsigned line_shift;
};

static bool has_ccidx(void)
{
	return FIELD_GET(read_sysreg(id_aa64mmfr2_el1), 23, 20) == 1;
}

/* The data or unified cache at level (0-based), as the guest reads it. */
static struct cache_geometry geometry(unsigned level)
{
	u64 csselr = read_sysreg(csselr_el1); /* the guest's: put back */
	struct cache_geometry g;
	u64 ccsidr;

	write_sysreg((u64)level << 1, csselr_el1);
	isb();
	ccsidr = read_sysreg(ccsidr_el1);
	write_sysreg(csselr, csselr_el1);
	isb();
	g.line_shift = (unsigned)FIELD_GET(ccsidr, 2, 0) + 4;
	if (has_ccidx()) {
		g.ways = FIELD_GET(ccsidr, 23, 3) + 1;
		g.sets = FIELD_GET(ccsidr, 55, 32) + 1;
	} else {
		g.ways = FIELD_GET(ccsidr, 12, 3) + 1;
		g.sets = FIELD_GET(ccsidr, 27, 13) + 1;
	}
	return g;
}

static bool ram_slot(const struct slot_state *s)
{
	return !(s->cfg.flags & SLOT_DEVICE);
}

/* Cleans and invalidates bytes [from, from + len) of the VM's RAM slots
 * taken end to end, by their host addresses (EL2 maps RAM at its PA). */
static void clean_ram_span(struct vm_mem *m, u64 from, u64 len)
{
	for (u32 i = 0; i < m->nr_slots && len; i++) {
		const struct slot_state *s = &m->slots[i];

		if (!ram_slot(s))
			continue;
		if (from >= s->cfg.size) {
			from -= s->cfg.size;
			continue;
		}
		u64 chunk = MIN(len, s->cfg.size - from);

		dcache_clean_inval((const void *)(uintptr_t)(pa_val(s->cfg.pa) + from),
				   chunk);
		len -= chunk;
		from = 0;
	}
}

void setway_emulate(struct vcpu *v, u64 operand)
{
	struct vm_mem *m = &v->vm->mem;
	unsigned level = (unsigned)FIELD_GET(operand, 3, 1);
	struct cache_geometry g;
	u64 ram = 0, from, len;

	/* CLIDR_EL1.Ctype<level+1>: 2 data, 3 separate, 4 unified. A level
	 * with no data cache names no line (and its CCSIDR is UNKNOWN: one
	 * "set" would be all of RAM, a long time at EL2 for one trap). */
	u64 ctype = (read_sysreg(clidr_el1) >> (3 * level)) & 7;

	if (level > 6 || ctype < 2 || ctype > 4)
		return;
	g = geometry(level);
	for (u32 i = 0; i < m->nr_slots; i++)
		if (ram_slot(&m->slots[i]))
			ram += m->slots[i].cfg.size;
	if (setway_share(operand, g.sets, g.ways, g.line_shift, ram, &from, &len))
		clean_ram_span(m, from, len);
}
