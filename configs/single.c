/*
 * One guest, like qemu -kernel: any image for QEMU virt, from the command
 * line.
 *
 *   make run CONFIG=single GUEST=path/to/Image [INITRD=path/to/initrd]
 *            [CMDLINE="console=ttyAMA0"] [VCPUS=n] [PCPUS=m] [LOAD="file@ipa ..."]
 *
 * VM "guest": VCPUS vCPUs (default 1) on CPUs 0..n-1 (with PCPUS=m, vCPU i
 * on CPU i % m: m CPUs shared, time-sliced), 512 MiB of RAM at
 * IPA 0x40000000 backed by host 0x50000000, the virtual UART and virt's two
 * flash banks (empty, answering CFI queries: U-Boot probes them). The image is
 * built into the firmware; the Makefile gives it as GUEST_KIND IMAGE_LINUX
 * when it has the arm64 Image header, else IMAGE_RAW (GUEST_KIND=linux|raw
 * overrides), and reserves host 0x40000000-0x4fffffff for the hypervisor
 * and the images. LOAD= names up to 4 more files copied into the RAM at
 * those IPAs at every start, as QEMU's -device loader,file=F,addr=A: an
 * Image and initrd for a U-Boot guest to boot, say:
 *
 *   make run CONFIG=single GUEST=/usr/lib/u-boot/qemu_arm64/u-boot.bin \
 *        LOAD="build/linux/Image@0x40400000 build/linux/initramfs.cpio.gz@0x44000000"
 */
#include "config.h"

#ifndef GUEST_PATH
#error "CONFIG=single needs GUEST=, the image to run: make run CONFIG=single GUEST=path/to/Image [INITRD=path/to/initrd] [CMDLINE=\"console=ttyAMA0\"] [VCPUS=n]"
#define GUEST_PATH "/dev/null" /* so that the error above comes alone */
#endif
#ifndef GUEST_KIND
#define GUEST_KIND IMAGE_RAW
#endif
#ifndef GUEST_VCPUS
#define GUEST_VCPUS 1
#endif
#if GUEST_VCPUS < 1 || GUEST_VCPUS > MAX_VCPUS
#error "VCPUS= must be 1 to 8 (and no more than the board's CPUs)"
#endif
#ifndef GUEST_PCPUS
#define GUEST_PCPUS 8
#endif
#if GUEST_PCPUS < 1
#error "PCPUS= must be at least 1"
#endif
#ifndef GUEST_CMDLINE
#define GUEST_CMDLINE NULL
#endif

GUEST_BLOB(guest, GUEST_PATH);
#ifdef INITRD_PATH
GUEST_BLOB(initrd, INITRD_PATH);
#endif

/* LOAD= files, built in like the guest. */
#define LOAD_ENTRY(n) { .ipa = GUEST_LOAD##n##_IPA, .img = BUILT_IN(IMAGE_RAW, load##n) },
#ifdef GUEST_LOAD1_PATH
GUEST_BLOB(load1, GUEST_LOAD1_PATH);
#define LOAD1 LOAD_ENTRY(1)
#else
#define LOAD1
#endif
#ifdef GUEST_LOAD2_PATH
GUEST_BLOB(load2, GUEST_LOAD2_PATH);
#define LOAD2 LOAD_ENTRY(2)
#else
#define LOAD2
#endif
#ifdef GUEST_LOAD3_PATH
GUEST_BLOB(load3, GUEST_LOAD3_PATH);
#define LOAD3 LOAD_ENTRY(3)
#else
#define LOAD3
#endif
#ifdef GUEST_LOAD4_PATH
GUEST_BLOB(load4, GUEST_LOAD4_PATH);
#define LOAD4 LOAD_ENTRY(4)
#else
#define LOAD4
#endif
#ifndef GUEST_NR_LOADS
#define GUEST_NR_LOADS 0
#endif

static const struct memslot guest_slots[] = {
	{ .id = 0, .ipa = IPA(0x40000000), .size = MiB(512), .pa = PA(0x50000000) },
};

static const struct vm_config vms[] = {
	{
		.name = "guest",
		/* vCPU n on CPU n (n % PCPUS); the checker names CPUs the
		 * board lacks. */
		.vcpu_pcpu = { 0 % GUEST_PCPUS, 1 % GUEST_PCPUS, 2 % GUEST_PCPUS,
			       3 % GUEST_PCPUS, 4 % GUEST_PCPUS, 5 % GUEST_PCPUS,
			       6 % GUEST_PCPUS, 7 % GUEST_PCPUS },
		.nr_vcpus = GUEST_VCPUS,
		SLOTS(guest_slots),
		.kernel = BUILT_IN(GUEST_KIND, guest),
#ifdef INITRD_PATH
		.initrd = BUILT_IN(IMAGE_RAW, initrd),
#endif
		.cmdline = GUEST_CMDLINE,
		/* make bench's guestview (BENCH=1 only): its counter counts
		 * the hypervisor's instructions too, as a guest's timing does. */
		BENCH_PMU_COUNTS_EL2
		.loads = { LOAD1 LOAD2 LOAD3 LOAD4 },
		.nr_loads = GUEST_NR_LOADS,
		.vuart = true,
		.flash = true,
		.stall_ms = 3000, /* say so when it hangs */
	},
};

const struct hyp_config config = {
	VMS(vms),
};
