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

enum fault_policy {
	FAULT_STOP,    /* a VM that cannot continue is stopped */
	FAULT_RESTART, /* ... or reloaded from its pristine image */
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
	 * emulated and read-only: erased, they read as 0xff and answer the
	 * CFI query and ID commands as QEMU's pflash does (U-Boot's probe). */
	bool flash;
	/* What a bank holds, read in read-array mode (the rest reads erased):
	 * BUILT_IN or PRELOADED, IMAGE_RAW, at most 64 MiB; IMAGE_NONE: empty.
	 * Reads of a bank trap, so code in it cannot run in place. */
	struct guest_image flash_image[2];
	u32 irqs[MAX_VM_IRQS];        /* physical SPIs passed through */
	u32 nr_irqs;
	enum fault_policy on_fault;
	bool dirty_log_manager;       /* may read other VMs' dirty logs */
	u32 watchdog_ms;              /* 0: no watchdog */
	/* A vCPU that leaves an interrupt untaken this long (a hang with
	 * interrupts masked: a panicked kernel) is reported in one line and
	 * left running; 0: not watched. */
	u32 stall_ms;
};

struct hyp_config {
	const struct vm_config *vms;
	u32 nr_vms;
	bool allow_pcpu_sharing; /* vCPUs of different VMs on one CPU */
	u32 time_slice_us;       /* for CPUs that run several vCPUs */
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
#define IRQS(...)                                              \
	.irqs = { __VA_ARGS__ },                               \
	.nr_irqs = sizeof((const u32[]){ __VA_ARGS__ }) / sizeof(u32)

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
