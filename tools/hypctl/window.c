/*
 * The control window from user space. The hypervisor emulates it: every
 * access traps, so each one is a single 64-bit load or store (inline
 * assembly: the compiler may not merge or split them). Data goes through
 * pages of this process's own memory, named by guest physical address,
 * which /proc/self/pagemap gives to root; they are locked so that they
 * stay where they are told to be for the call.
 */
#define _GNU_SOURCE
#include "window.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_platform.h"
#include "hypercall.h"

#define REG_ID 0x000
#define REG_CALL 0x008
#define REG_X(i) (0x100 + 8 * (i))
#define PAGE 4096UL

static volatile uint8_t *win;

static void wr(unsigned off, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "r"(v), "r"(win + off) : "memory");
}

static uint64_t rd(unsigned off)
{
	uint64_t v;

	__asm__ volatile("ldr %x0, [%1]" : "=r"(v) : "r"(win + off) : "memory");
	return v;
}

void window_open(void)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	uint64_t id;

	if (fd < 0) {
		fprintf(stderr, "hypctl: cannot open /dev/mem: %s (run as root, on a kernel "
			"with CONFIG_DEVMEM)\n", strerror(errno));
		exit(2);
	}
	/* One hypctl at a time: the window's registers are the VM's, and
	 * two users would mix their arguments. */
	if (flock(fd, LOCK_EX)) {
		fprintf(stderr, "hypctl: cannot lock /dev/mem: %s\n", strerror(errno));
		exit(2);
	}
	win = mmap(NULL, VIRT_HYPCTL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   VIRT_HYPCTL_BASE);
	if (win == MAP_FAILED) {
		fprintf(stderr, "hypctl: cannot map the control window at 0x%lx through "
			"/dev/mem: %s (a kernel with CONFIG_IO_STRICT_DEVMEM refuses it when a "
			"driver claimed the range)\n", VIRT_HYPCTL_BASE, strerror(errno));
		exit(2);
	}
	id = rd(REG_ID);
	if ((uint32_t)id != HYPCTL_ID) {
		fprintf(stderr, "hypctl: no control window at 0x%lx (it reads 0x%lx): this VM "
			"is no manager (.manager in the hypervisor's configuration)\n",
			VIRT_HYPCTL_BASE, id);
		exit(2);
	}
	if (id >> 32 != HYPCTL_VERSION)
		fprintf(stderr, "hypctl: warning: control window version %lu, this hypctl "
			"knows %u\n", id >> 32, HYPCTL_VERSION);
}

struct answer window_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			  uint64_t a4, uint64_t a5)
{
	uint64_t args[] = { a1, a2, a3, a4, a5 };
	struct answer r;

	for (unsigned i = 0; i < 5; i++)
		wr(REG_X(i + 1), args[i]);
	wr(REG_CALL, fid);
	r.err = (int64_t)rd(REG_X(0));
	for (unsigned i = 0; i < 5; i++)
		r.x[i] = rd(REG_X(i));
	return r;
}

struct page page_get(void)
{
	struct page p;
	uint64_t entry = 0;
	int fd;

	if (posix_memalign(&p.va, PAGE, PAGE) || mlock(p.va, PAGE)) {
		fprintf(stderr, "hypctl: cannot get a locked page of memory: %s\n",
			strerror(errno));
		exit(2);
	}
	memset(p.va, 0, PAGE); /* present before its address is asked */
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, &entry, sizeof(entry),
			    (off_t)((uintptr_t)p.va / PAGE * sizeof(entry))) != sizeof(entry)) {
		fprintf(stderr, "hypctl: cannot read /proc/self/pagemap: %s\n", strerror(errno));
		exit(2);
	}
	close(fd);
	/* Bit 63: present; bits 54-0: the frame, shown to root only. */
	if (!(entry >> 63) || !(entry & ((1UL << 55) - 1))) {
		fprintf(stderr, "hypctl: cannot learn the physical address of a buffer "
			"(/proc/self/pagemap shows frames to root only): run as root\n");
		exit(2);
	}
	p.pa = (entry & ((1UL << 55) - 1)) * PAGE;
	return p;
}
