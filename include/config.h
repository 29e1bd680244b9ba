/*
 * The partition configuration: what configs/<name>.c fills in with
 * designated initializers, and what the hypervisor and the host checker read.
 * docs/configuration.md describes every field with examples.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "addr.h"
#include "types.h"

#define MAX_VMS 8
#define MAX_VCPUS 8
#define MAX_SLOTS 32 /* slot ids are 0 .. MAX_SLOTS - 1 */
#define MAX_VM_IRQS 16
/* The vGIC models INTIDs 0 .. VM_NR_INTIDS - 1 (SGIs, PPIs, SPIs 32-255):
 * a passed-through SPI must lie below it. */
#define VM_NR_INTIDS 256
#define MAX_VM_NAME 16
#define MAX_VM_LOADS 4

/* Memory slot flags (KVM: KVM_MEM_READONLY, KVM_MEM_LOG_DIRTY_PAGES). */
#define SLOT_READONLY BIT(0)  /* guest writes fault */
#define SLOT_LOG_DIRTY BIT(1) /* writes are recorded per 4 KiB page */
#define SLOT_DEVICE BIT(2)    /* a passed-through device window, Device-nGnRE */
#define SLOT_NOEXEC BIT(3)    /* instruction fetches fault */
#define SLOT_SHARED BIT(4)    /* may share host memory with another VM's SHARED slot */
#define SLOT_KNOWN_FLAGS (BIT(5) - 1)

/* One slot: guest physical [ipa, ipa + size) backed by host [pa, pa + size). */
struct memslot {
	u32 id;
	ipaddr_t ipa;
	u64 size;
	paddr_t pa;
	u32 flags;
};

enum image_kind {
	IMAGE_NONE,
	IMAGE_LINUX, /* arm64 Image: placed per its header's text_offset */
	IMAGE_RAW,   /* raw binary: entered at RAM base + 0x80000 */
};

/* A guest image: built into the firmware (start/end, see GUEST_BLOB) or
 * loaded by the bootloader at preload_pa (preload_size bytes at most).
 * file names what to preload there: make run and the tests hand it to
 * QEMU's loader, and make memmap says where to put it on a board. */
struct guest_image {
	enum image_kind kind;
	const u8 *start, *end;
	u64 preload_pa;
	u64 preload_size;
	const char *file;
};

/* A file the loader copies to ipa in the VM's RAM (kind IMAGE_RAW). */
struct guest_load {
	u64 ipa;
	struct guest_image img;
};

/*
 * Host RAM backing the first size bytes of a flash bank (at least 4 KiB, a
 * multiple of the 256 KiB erase block; pa 4 KiB aligned, 2 MiB for block
 * mappings). It holds the bank's .flash_image, erased (0xff) beyond it, from
 * power-on; a VM reset keeps it. writable: program and erase write into
 * it (a UEFI variable store survives a reset of the VM, not a power cycle:
 * nothing is written back to a file); else they fail with the status
 * register's error bits, as before.
 */
struct flash_ram {
	paddr_t pa;
	u64 size; /* 0: not backed */
	bool writable;
};

enum fault_policy {
	FAULT_STOP,    /* a VM that cannot continue is stopped */
	FAULT_RESTART, /* ... or reloaded from its pristine image */
};

/* What a forwarded access gets when its device partition cannot answer
 * (stopped, restarting, not ready, or past the window's timeout). */
enum fwd_fail_policy {
	FWD_FAIL_ABORT, /* a synchronous external abort, as for a hole */
	FWD_FAIL_ONES,  /* reads return all ones, writes are dropped */
};

#define MAX_FWD_WINDOWS 8 /* per frontend VM */
#define FWD_DEFAULT_TIMEOUT_US 20000

/*
 * A window of the VM's guest physical space served by another VM, its
 * device partition (docs/forwarding.md): an access there becomes a request
 * the device partition answers. irq: an SPI of this VM the device
 * partition may raise for the window (0: none); compatible: the device
 * tree node's (NULL: "hyp,forwarded-window"). dma_slot: the id of a slot
 * of the device partition over this VM's memory, the frontend memory it
 * may read and write for the window (DMA_SLOT(id); none if not given).
 */
struct fwd_window {
	const char *name;
	ipaddr_t ipa;
	u64 size;
	const char *server;
	u32 irq;
	const char *compatible;
	enum fwd_fail_policy on_fail;
	u32 timeout_us; /* 0: FWD_DEFAULT_TIMEOUT_US */
	bool dma;       /* DMA_SLOT(id) sets both */
	u32 dma_slot;
};
#define DMA_SLOT(id) .dma = true, .dma_slot = (id)

/* A manager VM (docs/management.md): by hypercall it creates, deletes,
 * moves and re-flags the slots of the VMs it names, backing them with host
 * memory from [host_base, host_base + host_size), which no VM's slot and
 * not the hypervisor may use. A VM has one manager at most; a manager is
 * managed by none. */
struct manager_config {
	const char *const *manages; /* VM names */
	u32 nr_manages;
	u64 host_base, host_size;
};

struct vm_config {
	const char *name;
	u32 nr_vcpus;
	u8 vcpu_pcpu[MAX_VCPUS]; /* the physical CPU each vCPU runs on */
	const struct memslot *slots;
	u32 nr_slots;
	u32 ipa_bits; /* guest physical address size; 0: the CPUs' */

	struct guest_image kernel;
	struct guest_image initrd;
	const char *cmdline;
	/* Further files copied into its RAM at every (re)start, as QEMU's
	 * -device loader,file=F,addr=A does: for a bootloader guest. */
	struct guest_load loads[MAX_VM_LOADS];
	u32 nr_loads;

	bool vuart;                   /* an emulated PL011 at 0x09000000 */
	/* virt's two CFI flash banks (IPA 0 and 0x04000000, 64 MiB each),
	 * emulated: erased, they read as 0xff and answer the CFI query and ID
	 * commands as QEMU's pflash does (U-Boot's probe). */
	bool flash;
	/* What a bank holds, read in read-array mode (the rest reads erased):
	 * BUILT_IN or PRELOADED, IMAGE_RAW, at most 64 MiB; IMAGE_NONE: empty.
	 * Without .flash_ram every read of a bank traps (no code runs there). */
	struct guest_image flash_image[2];
	/* Host RAM behind a bank (.flash_ram[b]), as QEMU's pflash "romd"
	 * mode: in read-array mode it is mapped read-only and executable, so
	 * firmware runs in place; a write switches the bank to command mode
	 * (unmapped, every access emulated) until it reads the array again. */
	struct flash_ram flash_ram[2];
	/* Entered at IPA 0, the start of flash bank 0, with x0 = its device
	 * tree at RAM base: QEMU's -bios. No .kernel; bank 0 needs .flash_ram. */
	bool boot_from_flash;
	u32 irqs[MAX_VM_IRQS];        /* physical SPIs passed through */
	u32 nr_irqs;
	enum fault_policy on_fault;
	bool dirty_log_manager;       /* may read other VMs' dirty logs */
	u32 watchdog_ms;              /* 0: no watchdog */
#ifdef BENCH
	/* make bench only: the VM's PMU is the CPU's, unswitched, and its
	 * counters may count at EL2 (vcpu_mdcr(), docs/benchmarks.md). */
	bool bench_pmu_counts_el2;
#endif

	/* Forwarded I/O: windows another VM serves, and, when this VM is
	 * a device partition, the SPI on which it hears of requests. */
	const struct fwd_window *windows;
	u32 nr_windows;
	u32 fwd_request_irq;
	const struct manager_config *manager; /* NULL: manages no VM */
	/* Its own policy: no manager may stop, restart, load or change it
	 * (the checker refuses a configuration whose manager lists it; at run
	 * time every management call about it is -EPERM). */
	bool forbid_management;
	/* A vCPU that leaves an interrupt untaken this long (a hang with
	 * interrupts masked: a panicked kernel) is reported in one line and
	 * left running; 0: not watched. */
	u32 stall_ms;
};

#define MAX_CHANNELS 8

/* One end of a channel: a VM, its SHARED slot holding the shared memory,
 * and the SPI on which it receives the other end's doorbell. */
struct channel_end {
	const char *vm;
	u32 slot;
	u32 irq;
};

/* Two VMs that share memory and ring each other's doorbell
 * (HC_DOORBELL names the channel by its index in .channels). */
struct channel {
	const char *name;
	struct channel_end end[2];
};

/* In a VM's entry of a benchmark configuration: with BENCH=1 the VM counts
 * the hypervisor's instructions from inside; without, nothing. */
#ifdef BENCH
#define BENCH_PMU_COUNTS_EL2 .bench_pmu_counts_el2 = true,
#else
#define BENCH_PMU_COUNTS_EL2
#endif

struct hyp_config {
	const struct vm_config *vms;
	u32 nr_vms;
	bool allow_pcpu_sharing; /* vCPUs of different VMs on one CPU */
	u32 time_slice_us;       /* for CPUs that run several vCPUs */
	const struct channel *channels;
	u32 nr_channels;
};

extern const struct hyp_config config;

/* Helpers that keep configurations reading like a datasheet. */
/* .slots = array, .nr_slots = ARRAY_SIZE(array) for a named slot table. */
#define SLOTS(array) .slots = (array), .nr_slots = ARRAY_SIZE(array)
#define VCPUS_ON(...)                                              \
	.vcpu_pcpu = { __VA_ARGS__ },                              \
	.nr_vcpus = sizeof((const u8[]){ __VA_ARGS__ }) / sizeof(u8)
/* .vms = vms, .nr_vms = ARRAY_SIZE(vms) for a named array of VMs. */
#define VMS(array) .vms = (array), .nr_vms = ARRAY_SIZE(array)
/* .windows = array, .nr_windows = ARRAY_SIZE(array). */
#define WINDOWS(array) .windows = (array), .nr_windows = ARRAY_SIZE(array)
/* .channels = array, .nr_channels = ARRAY_SIZE(array). */
#define CHANNELS(array) .channels = (array), .nr_channels = ARRAY_SIZE(array)
#define IRQS(...)                                              \
	.irqs = { __VA_ARGS__ },                               \
	.nr_irqs = sizeof((const u32[]){ __VA_ARGS__ }) / sizeof(u32)

/* .manages = names, .nr_manages = how many, for a manager_config. */
#define MANAGES(...)                                                      \
	.manages = (const char *const[]){ __VA_ARGS__ },                  \
	.nr_manages = sizeof((const char *const[]){ __VA_ARGS__ }) /      \
		      sizeof(const char *)

#define MiB(n) ((u64)(n) << 20)
#define GiB(n) ((u64)(n) << 30)

/* The host address offset bytes into the board's RAM (PLAT_RAM_BASE, from
 * platforms/<board>.mk): a configuration that places its memory with it
 * fits every board with that much RAM from its base. */
#define BOARD_RAM(offset) ((u64)PLAT_RAM_BASE + (offset))

/* Builds the file at path (relative to the top of the tree) into the
 * firmware image as sym_start .. sym_end, page-aligned. */
#define GUEST_BLOB(sym, path)                                              \
	__asm__(".pushsection .guest_images, \"a\"\n"                      \
		".balign 4096\n"                                           \
		".global " #sym "_start\n" #sym "_start:\n"                \
		".incbin \"" path "\"\n"                                   \
		".global " #sym "_end\n" #sym "_end:\n"                    \
		".popsection\n");                                          \
	extern const u8 sym##_start[], sym##_end[]

#define BUILT_IN(kind_, sym) \
	{ .kind = (kind_), .start = sym##_start, .end = sym##_end }

/* An image the bootloader leaves at pa (at most size bytes), from path. */
#define PRELOADED(kind_, pa, size, path)                                  \
	{ .kind = (kind_), .preload_pa = (pa), .preload_size = (size),    \
	  .file = (path) }

#endif
