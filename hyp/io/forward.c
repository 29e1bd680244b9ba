/*
 * Forwarded windows: the bare-metal KVM_EXIT_MMIO (see io.h and
 * docs/forwarding.md). A frontend's access to a window another VM serves
 * becomes a request in that device partition's queue; the frontend vCPU
 * waits off its CPU (the scheduler passes it over, as it does a vCPU in
 * WFI) until the answer, a failure or its deadline, then finishes the
 * instruction on its own CPU.
 *
 * One request per frontend vCPU, a small fixed record, and its state
 * machine here, all under one lock:
 *
 *   IDLE --access--> QUEUED --HC_FWD_GET--> TAKEN --HC_FWD_ANSWER--> ANSWERED
 *                      ^                      |  (a pair: the second register
 *                      +----------------------+   is queued again)
 *   QUEUED or TAKEN --deadline, server down or restarted--> FAILED
 *   ANSWERED or FAILED --the frontend resumes (fwd_resume)--> IDLE
 *
 * Ids carry a sequence number, so an answer to a request that is not
 * TAKEN by the caller with that very id (answered, failed, timed out,
 * another VM's, never asked) changes nothing.
 */
#include "io_internal.h"
#include "hypercall.h"
#include "inject.h"
#include "log.h"
#include "mem.h"
#include "mmio_emul.h"
#include "sched.h"
#include "timer.h"
#include "trap.h"
#include "virq.h"
#include "vm.h"

#define MAX_SERVED (MAX_VMS * MAX_FWD_WINDOWS)

enum fwd_state { FWD_IDLE, FWD_QUEUED, FWD_TAKEN, FWD_ANSWERED, FWD_FAILED };

struct fwd_req {
	enum fwd_state state;
	u64 id;		      /* seq << 16 | frontend VM << 8 | vCPU */
	struct fwd_req *next; /* in its server's queue */
	struct vm *server;
	u32 w;	 /* the frontend's window index */
	u32 reg; /* which register of the access is asked */
	u64 far, deadline;
	const char *failure; /* FAILED: why, for the log */
	struct mmio_access acc;
	u64 loaded[2];
};

/* A window, as its device partition numbers it. */
struct fwd_route {
	struct vm *front;
	u32 w;
};

struct fwd_server {
	struct fwd_route win[MAX_SERVED];
	u32 nr;
	bool ready;   /* HC_FWD_READY since its last (re)start */
	bool stalled; /* a request timed out; cleared when it calls again */
	bool line;    /* its request interrupt's level */
	struct fwd_req *head, *tail;
	/* Windows whose frontend stopped or restarted since the device
	 * partition last heard of it: HC_FWD_GET says so before any request.
	 * Kept across the partition's own restart, so one that keeps device
	 * state learns it before it touches that frontend's memory again. */
	u64 front_reset;
	/* Those each of its vCPUs took and has not yet acted on: its next
	 * HC_FWD_GET says it has. A restart (or READY) before then gives them
	 * again: taken is not done, and the state it kept could still hold
	 * the old run's queues. */
	u64 front_taken[MAX_VCPUS];
	u64 taken_any; /* their union: HC_FWD_GET looks at this one word */
};

static spinlock_t fwd_lock;
static u64 fwd_seq;
static struct fwd_server servers[MAX_VMS];
static struct fwd_req reqs[MAX_VMS][MAX_VCPUS];
_Static_assert(MAX_SERVED <= 64, "front_reset is one bit per served window");
/* Per frontend window: its server and its number there. */
static struct vm *win_server[MAX_VMS][MAX_FWD_WINDOWS];
static u32 win_k[MAX_VMS][MAX_FWD_WINDOWS];
/* Per frontend: until when its reload waits for its device partitions to
 * take its reset record (io_front_quiet). */
static u64 quiet_deadline[MAX_VMS];
static bool quiet_waived[MAX_VMS]; /* past it: the reload went on */

int io_vm_index(const char *name)
{
	for (u32 i = 0; name && i < config.nr_vms && i < MAX_VMS; i++)
		if (vms[i].usable && !strcmp(config.vms[i].name, name))
			return (int)i;
	return -1;
}

void io_init(void)
{
	for (u32 i = 0; i < config.nr_vms && i < MAX_VMS; i++) {
		const struct vm_config *cfg = &config.vms[i];

		if (!vms[i].usable)
			continue;
		for (u32 w = 0; w < cfg->nr_windows && w < MAX_FWD_WINDOWS;
		     w++) {
			int s = io_vm_index(cfg->windows[w].server);

			/* The checker refused the rest; a VM whose server did
			 * not start sees its windows fail. */
			if (s < 0 || s == (int)i)
				continue;
			struct fwd_server *srv = &servers[s];

			win_server[i][w] = &vms[s];
			win_k[i][w] = srv->nr;
			srv->win[srv->nr++] = (struct fwd_route){&vms[i], w};
		}
	}
}

static const struct fwd_window *window_cfg(const struct vm *front, u32 w)
{
	return &front->cfg->windows[w];
}

/* ---- The server's queue and its interrupt (fwd_lock held) ---- */

static void set_line(struct vm *server)
{
	struct fwd_server *srv = &servers[server->index];
	bool want = srv->head || srv->front_reset;

	if (want != srv->line) {
		srv->line = want;
		virq_set_level(server, server->cfg->fwd_request_irq, want);
	}
}

/* Records taken but not yet acted on (no HC_FWD_GET since) go back. */
static void retake_front_resets(struct vm *server)
{
	struct fwd_server *srv = &servers[server->index];

	for (u32 k = 0; k < MAX_VCPUS; k++) {
		srv->front_reset |= srv->front_taken[k];
		srv->front_taken[k] = 0;
	}
	srv->taken_any = 0;
}

/* v asks again: the records it took last are acted on. */
static void __attribute__((noinline, cold))
ack_front_resets(struct fwd_server *srv, const struct vcpu *v)
{
	srv->front_taken[v->index] = 0;
	srv->taken_any = 0;
	for (u32 k = 0; k < MAX_VCPUS; k++)
		srv->taken_any |= srv->front_taken[k];
}

static void enqueue(struct fwd_req *r)
{
	struct fwd_server *srv = &servers[r->server->index];

	r->id = ++fwd_seq << 16 | (u64)(r - &reqs[0][0]) / MAX_VCPUS << 8 |
		(u64)(r - &reqs[0][0]) % MAX_VCPUS;
	r->state = FWD_QUEUED;
	r->next = NULL;
	if (srv->tail)
		srv->tail->next = r;
	else
		srv->head = r;
	srv->tail = r;
	set_line(r->server);
}

static void unlink(struct fwd_req *r)
{
	struct fwd_server *srv = &servers[r->server->index];
	struct fwd_req **p = &srv->head, *prev = NULL;

	while (*p && *p != r) {
		prev = *p;
		p = &(*p)->next;
	}
	if (!*p)
		return;
	*p = r->next;
	if (srv->tail == r)
		srv->tail = prev;
	set_line(r->server);
}

static struct vcpu *req_vcpu(struct fwd_req *r)
{
	u32 n = r - &reqs[0][0];

	return &vms[n / MAX_VCPUS].vcpus[n % MAX_VCPUS];
}

/* QUEUED or TAKEN to FAILED; the frontend's CPU is told. */
static void fail(struct fwd_req *r, const char *why)
{
	if (r->state == FWD_QUEUED)
		unlink(r);
	r->state = FWD_FAILED;
	r->failure = why;
	sched_kick(req_vcpu(r)->pcpu);
}

/* Every request a server holds fails (it stopped, restarted, said READY). */
static void fail_all(struct vm *server, const char *why)
{
	for (u32 i = 0; i < MAX_VMS; i++)
		for (u32 k = 0; k < MAX_VCPUS; k++) {
			struct fwd_req *r = &reqs[i][k];

			if (r->server == server &&
			    (r->state == FWD_QUEUED || r->state == FWD_TAKEN))
				fail(r, why);
		}
}

/* ---- The frontend ---- */

/* Ends the access: the answer, or the window's failure policy. */
static void finish(struct vcpu *v, struct fwd_req *r, bool answered)
{
	const struct fwd_window *f = window_cfg(v->vm, r->w);

	if (answered) {
		mmio_complete(v, &r->acc, r->loaded);
	} else if (f->on_fail == FWD_FAIL_ONES) {
		u64 ones[2] = {~0UL, ~0UL};

		guest_log(
		    v,
		    "forwarded %s at IPA 0x%lx (window \"%s\") failed: %s; "
		    "%s",
		    r->acc.load ? "read" : "write", r->acc.ipa[0],
		    f->name ? f->name : "", r->failure,
		    r->acc.load ? "it reads all ones" : "the write is dropped");
		mmio_complete(v, &r->acc, ones);
	} else {
		guest_log(v,
			  "forwarded %s at IPA 0x%lx (window \"%s\", PC 0x%lx) "
			  "failed: %s; injected a synchronous external abort",
			  r->acc.load ? "read" : "write", r->acc.ipa[0],
			  f->name ? f->name : "", v->regs.pc, r->failure);
		inject_data_abort(v, r->far, !r->acc.load);
	}
	r->state = FWD_IDLE;
	WRITE_ONCE(v->io_wait, false);
}

bool fwd_access(struct vcpu *v, u64 ipa, u64 esr, u64 far, const char **why)
{
	struct vm *vm = v->vm;
	const struct vm_config *cfg = vm->cfg;
	struct fwd_req *r = &reqs[vm->index][v->index];
	u32 w;

	for (w = 0; w < cfg->nr_windows && w < MAX_FWD_WINDOWS; w++)
		if (ipa - ipa_val(cfg->windows[w].ipa) < cfg->windows[w].size)
			break;
	if (w == cfg->nr_windows || w == MAX_FWD_WINDOWS)
		return false;
	const struct fwd_window *f = &cfg->windows[w];

	if (!mmio_decode(v, ipa, esr, far, ipa_val(f->ipa), f->size, &r->acc,
			 why))
		return false;
	r->w = w;
	r->reg = 0;
	r->far = far;
	r->server = win_server[vm->index][w];
	r->deadline =
	    timer_now_ticks() +
	    timer_ns_to_ticks(
		(u64)(f->timeout_us ? f->timeout_us : FWD_DEFAULT_TIMEOUT_US) *
		1000);

	spin_lock(&fwd_lock);
	struct fwd_server *srv = r->server ? &servers[r->server->index] : NULL;
	bool failed;

	if (READ_ONCE(vm->state) != VM_RUNNING) {
		/* Stopping or restarting: io_vm_down may have run already, and
		 * a request queued now would outlive this run. */
		r->state = FWD_FAILED;
		r->failure = "its own VM is stopping or restarting";
	} else if (!srv || !srv->ready || READ_ONCE(r->server->state) != VM_RUNNING) {
		r->state = FWD_FAILED;
		r->failure = "its device partition is not serving (stopped, "
			     "restarting, or not ready yet)";
	} else if (srv->stalled) {
		r->state = FWD_FAILED;
		r->failure = "its device partition left a request unanswered "
			     "and has not called since";
	} else {
		enqueue(r);
		/* wfi too: off the scheduler's fast path, as a WFI is. */
		WRITE_ONCE(v->io_wait, true);
		v->wfi = true;
	}
	/* Decided under the lock: once it is released the device partition
	 * may fail the queued request on another CPU, and this vCPU, marked
	 * waiting, would then be finished twice or sleep unbounded. */
	failed = r->state == FWD_FAILED;
	spin_unlock(&fwd_lock);
	if (failed)
		finish(v, r, false); /* fail fast */
	return true;
}

bool fwd_resumable(const struct vcpu *v)
{
	const struct fwd_req *r = &reqs[v->vm->index][v->index];
	enum fwd_state s = READ_ONCE(r->state);

	return s == FWD_ANSWERED || s == FWD_FAILED ||
	       timer_now_ticks() >= r->deadline;
}

u64 fwd_deadline(const struct vcpu *v)
{
	return reqs[v->vm->index][v->index].deadline;
}

void fwd_resume(struct vcpu *v)
{
	struct fwd_req *r = &reqs[v->vm->index][v->index];
	enum fwd_state state;

	spin_lock(&fwd_lock);
	if (r->state == FWD_QUEUED || r->state == FWD_TAKEN) {
		/* Picked because its deadline passed. */
		fail(r, "its device partition did not answer in time");
		servers[r->server->index].stalled = true;
	}
	state = r->state;
	spin_unlock(&fwd_lock);
	if (state == FWD_IDLE) {
		/* Its VM stopped meanwhile (io_vm_down): nothing to finish. */
		WRITE_ONCE(v->io_wait, false);
		return;
	}
	finish(v, r, state == FWD_ANSWERED);
}

/* ---- The device partition's calls ---- */

static s64 fwd_ready(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct fwd_server *srv = &servers[vm->index];

	if (!vm->cfg->fwd_request_irq)
		return SMCCC_INVALID_PARAMETER;
	spin_lock(&fwd_lock);
	fail_all(vm,
		 "its device partition started serving afresh (HC_FWD_READY)");
	srv->ready = true;
	srv->stalled = false;
	retake_front_resets(vm);
	/* Its restart reset its vGIC: the line is set again from what waits
	 * (frontend resets kept from before). */
	srv->line = !srv->front_reset;
	set_line(vm);
	spin_unlock(&fwd_lock);
	/* Starts clean: the frontends' window interrupts are low. */
	for (u32 k = 0; k < srv->nr; k++) {
		const struct fwd_window *f =
		    window_cfg(srv->win[k].front, srv->win[k].w);

		if (f->irq)
			virq_set_level(srv->win[k].front, f->irq, false);
	}
	v->regs.x[1] = srv->nr;
	return 0;
}

static const struct memslot *cfg_slot(const struct vm_config *cfg, u32 id)
{
	for (u32 a = 0; a < cfg->nr_slots; a++)
		if (cfg->slots[a].id == id)
			return &cfg->slots[a];
	return NULL;
}

static s64 fwd_window_info(struct vcpu *v, u64 k)
{
	struct fwd_server *srv = &servers[v->vm->index];
	u64 *x = v->regs.x;

	if (k >= srv->nr)
		return SMCCC_INVALID_PARAMETER;
	struct vm *front = srv->win[k].front;
	const struct fwd_window *f = window_cfg(front, srv->win[k].w);
	const struct memslot *d =
	    f->dma ? cfg_slot(v->vm->cfg, f->dma_slot) : NULL;

	x[1] = front->index;
	x[2] = ipa_val(f->ipa);
	x[3] = f->size;
	x[4] = f->irq;
	x[5] = x[6] = x[7] = 0;
	for (u32 a = 0; d && a < front->cfg->nr_slots; a++) {
		const struct memslot *m = &front->cfg->slots[a];

		/* The checker made d lie in one of the frontend's slots. */
		if (pa_val(d->pa) >= pa_val(m->pa) &&
		    pa_val(d->pa) + d->size <= pa_val(m->pa) + m->size) {
			x[5] = ipa_val(d->ipa);
			x[6] =
			    ipa_val(m->ipa) + (pa_val(d->pa) - pa_val(m->pa));
			x[7] = d->size;
			break;
		}
	}
	return 0;
}

static s64 fwd_get(struct vcpu *v)
{
	struct fwd_server *srv = &servers[v->vm->index];
	u64 *x = v->regs.x;
	s64 ret = HC_FWD_EMPTY;

	spin_lock(&fwd_lock);
	srv->stalled = false;
	if (srv->taken_any)
		ack_front_resets(srv, v);
	struct fwd_req *r = srv->head;

	if (!srv->ready) {
		/* Not serving (before its first READY, after a restart):
		 * records wait for READY, as requests do; taken now they
		 * would be acted on before the device is set up. */
	} else if (srv->front_reset) {
		/* Before any request: a request of the frontend's new run is
		 * queued only after its reset was recorded. */
		u32 k = __builtin_ctzll(srv->front_reset);

		srv->front_reset &= srv->front_reset - 1;
		srv->front_taken[v->index] |= 1ULL << k;
		srv->taken_any |= 1ULL << k;
		set_line(v->vm);
		x[1] = 0;
		x[2] = k;
		x[3] = x[4] = x[5] = 0;
		x[6] = (u64)srv->win[k].front->index << 8;
		ret = HC_FWD_FRONTEND_RESET;
	} else if (r) {
		struct vcpu *fv = req_vcpu(r);
		const struct fwd_window *f = window_cfg(fv->vm, r->w);

		srv->head = r->next;
		if (!srv->head)
			srv->tail = NULL;
		set_line(v->vm);
		r->state = FWD_TAKEN;
		x[1] = r->id;
		x[2] = win_k[fv->vm->index][r->w];
		x[3] = r->acc.ipa[r->reg] - ipa_val(f->ipa);
		x[4] = r->acc.size | (r->acc.load ? 0 : HC_FWD_WRITE);
		x[5] = r->acc.load ? 0 : r->acc.store[r->reg];
		x[6] = fv->vm->index << 8 | fv->index;
		ret = 0;
	}
	spin_unlock(&fwd_lock);
	return ret;
}

static s64 fwd_answer(struct vcpu *v, u64 id, u64 data, u64 status)
{
	u32 vm = (id >> 8) & 0xff, vc = id & 0xff;
	struct fwd_req *r;
	s64 ret = SMCCC_INVALID_PARAMETER;

	if (vm >= MAX_VMS || vc >= MAX_VCPUS)
		return ret;
	r = &reqs[vm][vc];
	spin_lock(&fwd_lock);
	servers[v->vm->index].stalled = false;
	if (r->state == FWD_TAKEN && r->id == id && r->server == v->vm) {
		ret = 0;
		if (status) {
			fail(r, "its device partition failed the access");
		} else {
			r->loaded[r->reg] = data;
			if (++r->reg < r->acc.nregs) {
				enqueue(r); /* a pair's second register */
			} else {
				r->state = FWD_ANSWERED;
				sched_kick(req_vcpu(r)->pcpu);
			}
		}
	}
	spin_unlock(&fwd_lock);
	return ret;
}

static s64 fwd_irq(struct vcpu *v, u64 k, u64 level)
{
	struct fwd_server *srv = &servers[v->vm->index];

	if (k >= srv->nr)
		return SMCCC_INVALID_PARAMETER;
	const struct fwd_window *f =
	    window_cfg(srv->win[k].front, srv->win[k].w);

	if (!f->irq)
		return SMCCC_INVALID_PARAMETER;
	virq_set_level(srv->win[k].front, f->irq, level != 0);
	return 0;
}

bool io_hypercall(struct vcpu *v, u64 fid)
{
	u64 *x = v->regs.x;

	switch (fid) {
	case HC_DOORBELL:
		x[0] = channel_doorbell(v, x[1]);
		return true;
	case HC_DOORBELL_ACK:
		x[0] = channel_ack(v, x[1]);
		return true;
	case HC_FWD_READY:
		x[0] = fwd_ready(v);
		return true;
	case HC_FWD_WINDOW:
		x[0] = fwd_window_info(v, x[1]);
		return true;
	case HC_FWD_GET:
		x[0] = fwd_get(v);
		return true;
	case HC_FWD_ANSWER:
		x[0] = fwd_answer(v, x[1], x[2], x[3]);
		return true;
	case HC_FWD_IRQ:
		x[0] = fwd_irq(v, x[1], x[2]);
		return true;
	default:
		return false;
	}
}

void io_vm_down(struct vm *vm)
{
	channel_vm_down(vm);
	spin_lock(&fwd_lock);
	/* As a frontend: its requests are forgotten, and each device
	 * partition serving it is told, so that it drops what it holds of
	 * this run (queues, buffers in its memory) before the next run's
	 * memory is there to be written. */
	for (u32 k = 0; k < vm->nr_vcpus; k++) {
		struct fwd_req *r = &reqs[vm->index][k];

		if (r->state == FWD_QUEUED)
			unlink(r);
		r->state = FWD_IDLE;
		WRITE_ONCE(vm->vcpus[k].io_wait, false);
	}
	u64 wait_us = 0;

	for (u32 w = 0; w < vm->cfg->nr_windows && w < MAX_FWD_WINDOWS; w++) {
		struct vm *server = win_server[vm->index][w];
		const struct fwd_window *f = window_cfg(vm, w);

		if (server) {
			servers[server->index].front_reset |=
			    1ULL << win_k[vm->index][w];
			set_line(server);
			wait_us = MAX(wait_us, (u64)(f->timeout_us ? f->timeout_us
						   : FWD_DEFAULT_TIMEOUT_US));
		}
	}
	quiet_deadline[vm->index] =
	    timer_now_ticks() + timer_ns_to_ticks(wait_us * 1000);
	quiet_waived[vm->index] = false;
	/* As a device partition: its frontends' requests fail, and new ones
	 * fail fast until it is READY again. */
	servers[vm->index].ready = false;
	retake_front_resets(vm);
	fail_all(vm, "its device partition stopped or is restarting");
	spin_unlock(&fwd_lock);
}

void io_vm_doorbells_down(struct vm *vm)
{
	channel_vm_down(vm);
}

bool io_front_quiet(struct vm *vm)
{
	bool quiet = true;

	/* Most VMs: every reload and manager's query, without the lock. */
	if (!vm->cfg->nr_windows)
		return true;
	spin_lock(&fwd_lock);
	for (u32 w = 0; w < vm->cfg->nr_windows && w < MAX_FWD_WINDOWS; w++) {
		struct vm *server = win_server[vm->index][w];
		u64 waiting = server ? servers[server->index].front_reset |
					   servers[server->index].taken_any
				     : 0;

		/* A device partition not serving touches no frontend's memory
		 * (it learns of this reset first when it is READY again).
		 * ready, not its state: a stop or restart sets the state
		 * before its vCPUs have left their CPUs, and one of them may
		 * still be copying a frame; io_vm_down clears ready after. */
		if (server && servers[server->index].ready &&
		    (waiting & 1ULL << win_k[vm->index][w]))
			quiet = false;
	}
	if (quiet || quiet_waived[vm->index] ||
	    timer_now_ticks() < quiet_deadline[vm->index]) {
		spin_unlock(&fwd_lock);
		return quiet || quiet_waived[vm->index];
	}
	/* It had its windows' timeout: the reload goes on without its word,
	 * as a frontend's access would fail. */
	quiet_waived[vm->index] = true;
	spin_unlock(&fwd_lock);
	log_warn("vm \"%s\": its device partition did not take its reset "
		 "record within its windows' timeout; it is reloaded, written "
		 "or started all the same, and a device there may still write "
		 "into its memory (its handler must call HC_FWD_GET sooner, or "
		 "raise the window's .timeout_us)", vm->cfg->name);
	return true;
}
