/* A board description: data that platforms/<board>.c fills in and the
 * hypervisor and the host checker read. Adding a board needs no code outside
 * platforms/ unless it brings a new UART or interrupt controller. */
#ifndef PLATFORM_H
#define PLATFORM_H

#include "layout.h"
#include "types.h"

#define MAX_RAM_RANGES 4
#define MAX_DEVICE_WINDOWS 16

enum uart_kind { UART_PL011 = 1, UART_CADENCE };
enum gic_version { GIC_V2 = 2, GIC_V3 = 3 };
enum cpu_start_method { CPU_START_PSCI = 1, CPU_START_SPIN_TABLE };

struct mem_range {
	const char *name;
	u64 base;
	u64 size; /* 0 ends a list */
};

struct platform_cpu {
	u64 mpidr;        /* affinity fields of MPIDR_EL1 */
	u64 release_addr; /* spin-table release address, if started that way */
};

struct platform {
	const char *name;
	struct mem_range ram[MAX_RAM_RANGES];
	/* MMIO windows that may be passed through to guests (DEVICE slots). */
	struct mem_range devices[MAX_DEVICE_WINDOWS];

	struct {
		enum uart_kind kind;
		u64 base;
		u32 intid;
	} uart;

	struct {
		enum gic_version version;
		u64 gicd;
		u64 gicr;        /* GICv3 redistributors, one frame per CPU */
		u64 gicr_stride; /* 0x20000 for GICv3 without VLPIs */
		u64 gicc;        /* GICv2 CPU interface */
		u64 gich;        /* GICv2 virtual interface control */
		u64 gicv;        /* GICv2 virtual CPU interface */
		u32 maintenance_intid;
	} gic;

	struct {
		u32 hyp_intid;      /* EL2 physical timer, PPI 10 */
		u32 virt_intid;     /* EL1 virtual timer, PPI 11 */
		u32 phys_intid;     /* EL1 physical timer, PPI 14 */
		u32 sec_phys_intid; /* secure physical timer, PPI 13 */
		u32 freq_hz;        /* programmed into CNTFRQ_EL0 if firmware left 0 */
	} timer;

	u32 pa_bits; /* the CPUs' physical address size (PARange), <= 48 */
	enum cpu_start_method cpu_start;
	struct platform_cpu cpus[MAX_CPUS];
	u32 nr_cpus;

	/* Memory the hypervisor's image, stacks and page pool occupy: guests
	 * never get it. Set from platforms/<board>.mk (PLAT_HYP_BASE/SIZE). */
	u64 hyp_base;
	u64 hyp_size;
};

#ifdef HOST_PLATFORM_WRITABLE
/* A host test that tries several boards in one run fills it in itself
 * (tests/fuzz/fuzz_vgic.c). */
extern struct platform platform;
#else
extern const struct platform platform;
#endif

#endif
