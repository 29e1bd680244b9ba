/*
 * hypctl: the hypervisor's management calls from a manager VM's shell
 * (docs/management.md, "hypctl"). Each command is one or a few calls
 * through the control window; every refusal is said in words: the error,
 * and for slot changes the rule that refused it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"      /* SLOT_* flags */
#include "hypercall.h"
#include "slot_change.h" /* slot_rule_name */
#include "window.h"

#define RAW_ENTRY 0x40080000UL /* where the hypervisor loads raw images */
#define RAW_DTB 0x40000000UL   /* and puts their device tree */
#define PAGE 4096UL
#define MAX_VM_INDEX 64        /* more than any configuration holds */

static const char *vm_name_arg;

static void usage(void)
{
	fprintf(stderr,
		"usage: hypctl list\n"
		"       hypctl stop|restart|console NAME\n"
		"       hypctl start NAME [ENTRY [DTB]]    (default 0x%lx, tree at 0x%lx)\n"
		"       hypctl load NAME FILE [IPA]        (default 0x%lx; NAME stopped)\n"
		"       hypctl slot NAME add ID IPA SIZE [ro] [log] [noexec]\n"
		"       hypctl slot NAME move ID IPA SIZE\n"
		"       hypctl slot NAME del ID\n"
		"       hypctl slot NAME flags ID [log]\n"
		"       hypctl dirty NAME SLOT             (the pages written since the last read)\n"
		"numbers: decimal or 0x hex; sizes may end in K, M or G\n",
		RAW_ENTRY, RAW_DTB, RAW_ENTRY);
	exit(2);
}

static uint64_t number(const char *s, const char *what)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	}
	if (errno || end == s || *end) {
		fprintf(stderr, "hypctl: %s '%s' is not a number (decimal, or 0x hex; sizes may "
			"end in K, M or G)\n", what, s);
		exit(2);
	}
	return v;
}

/* What an error means, for the call that got it. */
static const char *meaning(int64_t err, uint64_t fid)
{
	switch (err) {
	case -EPERM:
		return "not permitted: this VM is not its manager (the configuration's "
		       ".manager lists the VMs a manager may manage, and a VM may forbid it "
		       "with .forbid_management), or the slot is one of its configuration's";
	case -ENOENT:
		return "no such VM or slot, or the slot does not log dirty pages";
	case -EBUSY:
		return fid == HC_VM_RESTART ?
			"it is stopping or restarting already: try again when it is running "
			"or stopped" :
			"it is running: stop it first (hypctl stop); if it is stopping "
			"still (a device partition has not yet let go of its memory, for "
			"at most its windows' timeout), try again";
	case -EINVAL:
		return "invalid request";
	case -EEXIST:
		return "already there: the slot id is taken, or the range overlaps";
	case -ENOMEM:
		return "the manager's host range has no room left for it";
	case -EAGAIN:
		return "the memory of deleted slots is still being cleared, a step a call: "
		       "try again";
	case -EFAULT:
		return "an address is not RAM of that VM (or of this one)";
	}
	return "unexpected error";
}

/* Exits saying why when a call failed; slot calls name their rule. */
static struct answer check(struct answer r, uint64_t fid, const char *what)
{
	bool slot_call = fid >= HC_SLOT_CREATE && fid <= HC_SLOT_FLAGS;

	if (!r.err)
		return r;
	if (slot_call && r.x[1] && r.x[1] < RULE_COUNT)
		fprintf(stderr, "hypctl: %s %s: refused, %s (%ld)\n", what, vm_name_arg,
			slot_rule_name((enum slot_rule)r.x[1]), r.err);
	else
		fprintf(stderr, "hypctl: %s %s: refused (%ld): %s\n", what, vm_name_arg, r.err,
			meaning(r.err, fid));
	exit(1);
}

static const char *state_name(uint64_t st)
{
	static const char *const names[] = {
		[HC_VM_STATE_RUNNING] = "running",
		[HC_VM_STATE_STOPPING] = "stopping",
		[HC_VM_STATE_RESTARTING] = "restarting",
		[HC_VM_STATE_STOPPED] = "stopped",
	};

	return st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

/* Calls fn for each VM this one manages; stops when fn returns true.
 * Returns the index fn stopped at, or -1. */
static int each_vm(struct page *buf, bool (*fn)(int i, const char *name, void *ctx),
		   void *ctx)
{
	for (int i = 0; i < MAX_VM_INDEX; i++) {
		struct answer r = window_call(HC_VM_NAME, (uint64_t)i, buf->pa, PAGE - 1, 0, 0);

		if (r.err == -ENOENT)
			break;
		if (r.err)
			continue; /* -EPERM: not ours */
		if (fn(i, buf->va, ctx))
			return i;
	}
	return -1;
}

static bool named(int i, const char *name, void *ctx)
{
	(void)i;
	return !strcmp(name, ctx);
}

static uint64_t vm_index(const char *name)
{
	struct page buf = page_get();
	int i = each_vm(&buf, named, (void *)name);

	vm_name_arg = name;
	if (i < 0) {
		fprintf(stderr, "hypctl: this VM manages no VM named \"%s\" (hypctl list shows "
			"those it manages)\n", name);
		exit(1);
	}
	return (uint64_t)i;
}

static bool print_vm(int i, const char *name, void *ctx)
{
	struct answer r = window_call(HC_VM_QUERY, (uint64_t)i, 0, 0, 0, 0);

	(*(int *)ctx)++;
	if (r.err)
		printf("%-16s %-10s (query refused: %ld)\n", name, "?", r.err);
	else
		printf("%-16s %-10s %5lu %5lu %8lu\n", name, state_name(r.x[1]), r.x[4], r.x[2],
		       r.x[3]);
	return false;
}

static int cmd_list(void)
{
	struct page buf = page_get();
	int n = 0;

	printf("%-16s %-10s %5s %5s %8s\n", "NAME", "STATE", "VCPUS", "SLOTS", "RESTARTS");
	each_vm(&buf, print_vm, &n);
	if (!n)
		fprintf(stderr, "hypctl: this VM manages no VM\n");
	return 0;
}

static int cmd_load(uint64_t vm, const char *file, uint64_t ipa)
{
	struct page buf = page_get();
	FILE *f = fopen(file, "rb");
	uint64_t done = 0;
	size_t n;

	if (!f) {
		fprintf(stderr, "hypctl: cannot open %s: %s\n", file, strerror(errno));
		return 1;
	}
	/* A page a call: the hypervisor copies from one page of this
	 * process, whose guest physical address pagemap gave. */
	while ((n = fread(buf.va, 1, PAGE, f)) > 0) {
		check(window_call(HC_VM_WRITE, vm, ipa + done, buf.pa, n, 0), HC_VM_WRITE, "load into");
		done += n;
	}
	fclose(f);
	printf("hypctl: loaded %lu bytes of %s into %s at 0x%lx\n", done, file, vm_name_arg, ipa);
	return 0;
}

static uint32_t slot_flags(char **words, int n)
{
	uint32_t flags = 0;

	for (int i = 0; i < n; i++) {
		if (!strcmp(words[i], "ro"))
			flags |= SLOT_READONLY;
		else if (!strcmp(words[i], "log"))
			flags |= SLOT_LOG_DIRTY;
		else if (!strcmp(words[i], "noexec"))
			flags |= SLOT_NOEXEC;
		else {
			fprintf(stderr, "hypctl: unknown slot flag '%s' (ro, log, noexec)\n",
				words[i]);
			exit(2);
		}
	}
	return flags;
}

/* A slot call, made again while the hypervisor answers -EAGAIN: each
 * call clears a step (1 MiB) of deleted slots' memory, so this ends. */
static struct answer slot_call(uint64_t fid, uint64_t vm, uint64_t id, uint64_t a3,
			       uint64_t a4, uint64_t a5)
{
	struct answer r;
	unsigned tries = 0;

	do
		r = window_call(fid, vm, id, a3, a4, a5);
	while (r.err == -EAGAIN && ++tries < 100000);
	return r;
}

static int cmd_slot(uint64_t vm, int argc, char **argv)
{
	const char *op = argv[0];
	uint64_t id;

	if (argc < 2)
		usage();
	id = number(argv[1], "slot id");
	if (!strcmp(op, "add") && argc >= 4) {
		check(slot_call(HC_SLOT_CREATE, vm, id, number(argv[2], "IPA"),
				  number(argv[3], "size"), slot_flags(argv + 4, argc - 4)),
		      HC_SLOT_CREATE, "add a slot to");
	} else if (!strcmp(op, "move") && argc == 4) {
		check(window_call(HC_SLOT_MOVE, vm, id, number(argv[2], "IPA"),
				  number(argv[3], "size"), 0),
		      HC_SLOT_MOVE, "move a slot of");
	} else if (!strcmp(op, "del") && argc == 2) {
		check(slot_call(HC_SLOT_DELETE, vm, id, 0, 0, 0), HC_SLOT_DELETE,
		      "delete a slot of");
	} else if (!strcmp(op, "flags") && argc >= 2) {
		check(window_call(HC_SLOT_FLAGS, vm, id, slot_flags(argv + 2, argc - 2), 0, 0),
		      HC_SLOT_FLAGS, "change the flags of a slot of");
	} else {
		usage();
	}
	printf("hypctl: slot %s %lu of %s: done\n", op, id, vm_name_arg);
	return 0;
}

static int cmd_dirty(uint64_t vm, uint64_t slot)
{
	struct page buf = page_get();
	struct answer r = window_call(HC_SLOT_DIRTY_LOG, vm, slot, buf.pa, PAGE, 0);
	const uint64_t *bits = buf.va;
	uint64_t n = 0;

	if (r.err == -EINVAL) {
		fprintf(stderr, "hypctl: the dirty log of slot %lu of %s takes %lu bytes, more than "
			"the one page (4096 bytes, a slot of 128 MiB) hypctl reads\n", slot,
			vm_name_arg, r.x[1]);
		return 1;
	}
	check(r, HC_SLOT_DIRTY_LOG, "read the dirty log of");
	printf("dirty pages of slot %lu:", slot);
	for (uint64_t w = 0; w < r.x[1] / 8; w++)
		for (unsigned b = 0; b < 64; b++)
			if (bits[w] >> b & 1) {
				printf(" %lu", w * 64 + b);
				n++;
			}
	printf("\n%lu pages written since the last read\n", n);
	return 0;
}

static int cmd_console(uint64_t vm)
{
	struct page buf = page_get();
	struct answer r;

	do {
		r = check(window_call(HC_VM_CONSOLE, vm, buf.pa, PAGE, 0, 0), HC_VM_CONSOLE,
			  "read the console of");
		if (r.x[2])
			printf("[hypctl: %lu bytes of %s's output were lost before this read]\n",
			       r.x[2], vm_name_arg);
		fwrite(buf.va, 1, r.x[1], stdout);
	} while (r.x[1] == PAGE);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;
	uint64_t vm;

	if (argc < 2)
		usage();
	cmd = argv[1];
	window_open();
	if (!strcmp(cmd, "list"))
		return cmd_list();
	if (argc < 3)
		usage();
	vm = vm_index(argv[2]);
	if (!strcmp(cmd, "stop") && argc == 3) {
		check(window_call(HC_VM_STOP, vm, 0, 0, 0, 0), HC_VM_STOP, "stop");
		/* It reads "stopping" until its device partitions let go of
		 * its memory (at most its windows' timeout): a load or start
		 * after this command must not find it so. */
		for (int i = 0; i < 1000 && window_call(HC_VM_QUERY, vm, 0, 0, 0, 0).x[1] ==
						HC_VM_STATE_STOPPING; i++)
			usleep(10000);
		printf("hypctl: %s stopped\n", argv[2]);
	} else if (!strcmp(cmd, "restart") && argc == 3) {
		check(window_call(HC_VM_RESTART, vm, 0, 0, 0, 0), HC_VM_RESTART, "restart");
		printf("hypctl: %s restarting from its image\n", argv[2]);
	} else if (!strcmp(cmd, "start") && argc <= 5) {
		uint64_t entry = argc > 3 ? number(argv[3], "entry") : RAW_ENTRY;
		uint64_t dtb = argc > 4 ? number(argv[4], "device tree address") : RAW_DTB;

		check(window_call(HC_VM_START, vm, entry, 0, dtb, 0), HC_VM_START, "start");
		printf("hypctl: %s started at 0x%lx, device tree at 0x%lx\n", argv[2], entry, dtb);
	} else if (!strcmp(cmd, "load") && (argc == 4 || argc == 5)) {
		return cmd_load(vm, argv[3], argc == 5 ? number(argv[4], "IPA") : RAW_ENTRY);
	} else if (!strcmp(cmd, "slot") && argc >= 5) {
		return cmd_slot(vm, argc - 3, argv + 3);
	} else if (!strcmp(cmd, "dirty") && argc == 4) {
		return cmd_dirty(vm, number(argv[3], "slot id"));
	} else if (!strcmp(cmd, "console") && argc == 3) {
		return cmd_console(vm);
	} else {
		usage();
	}
	return 0;
}
