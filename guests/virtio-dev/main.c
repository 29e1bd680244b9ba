/*
 * The virtio device partition (docs/virtio.md): serves each of its
 * forwarded windows as a virtio-mmio device. Which device a window is comes
 * from the bootargs, "win<k>=<virtio device ID>" for window k (1 net,
 * 2 blk, 3 console; windows are numbered as HC_FWD_WINDOW numbers them: the
 * frontends in the configuration's order, each one's windows in order); a
 * window without one is left unserved (its accesses fail).
 */
#include "gic.h"
#include "virtio.h"

struct vdev vdevs[VDEV_MAX];
u32 nr_vdevs;

static u32 request_irq;

/* The operator's "h": requests wait unanswered (the frontends' accesses
 * time out) until the operator's "r", so a restart can be tried with
 * requests in flight, as a crash would leave them. */
void serve_hold(void)
{
	gic_disable_irq(request_irq);
	printf("virtio-dev: holding: no request is answered until r (restart)\n");
}

static const struct vdev_model *model_of(u64 id)
{
	switch (id) {
	case VIRTIO_ID_NET:
		return &virtio_net_model;
	case VIRTIO_ID_BLOCK:
		return &virtio_blk_model;
	case VIRTIO_ID_CONSOLE:
		return &virtio_console_model;
	}
	return NULL;
}

static void serve(u64 id, u32 k, u64 off, u64 flags, u64 data)
{
	struct vdev *d = k < nr_vdevs && vdevs[k].model ? &vdevs[k] : NULL;
	u32 size = HC_FWD_SIZE(flags);

	if (!d) {
		hvc(HC_FWD_ANSWER, id, 0, 1);
		return;
	}
	if (flags & HC_FWD_WRITE) {
		/* The frontend goes on while we act on its write; its next
		 * access waits behind it in our queue. */
		hvc(HC_FWD_ANSWER, id, 0, 0);
		vdev_write(d, off, size, data);
	} else {
		hvc(HC_FWD_ANSWER, id, vdev_read(d, off, size), 0);
	}
}

/* Window k's frontend stopped or restarted (the hypervisor's record,
 * before any request of its new run): its queues and the addresses in
 * them are the old run's, in memory its new run is reusing. The device
 * goes back to reset, saved so, as if its driver had written Status 0,
 * and a frame for it is dropped until the new driver sets it up. */
static void front_reset(u32 k)
{
	struct vdev *d = k < nr_vdevs && vdevs[k].model ? &vdevs[k] : NULL;

	if (!d)
		return;
	if (d->status)
		printf("virtio-dev: window %u (%s of vm %u): its frontend restarted: "
		       "device reset\n", k, d->model->name, d->frontend);
	vdev_reset(d);
	vdev_save(d);
}

static bool on_irq(struct guest_regs *regs, u64 kind)
{
	u64 r[8];
	u32 iar;

	if (kind != EXC_IRQ) {
		/* A bug of ours (frontends' values are checked before use):
		 * start afresh rather than leave every frontend without
		 * devices; the frontends bring theirs back (docs/virtio.md). */
		printf("virtio-dev: unexpected exception (ESR_EL1 0x%lx, FAR_EL1 0x%lx, "
		       "PC 0x%lx): restarting\n", regs->esr, regs->far, regs->pc);
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		return false;
	}
	iar = gic_ack();
	if (GIC_IAR_INTID(iar) == request_irq) {
		for (hvc_regs(HC_FWD_GET, 0, 0, 0, r); r[0] != HC_FWD_EMPTY;
		     hvc_regs(HC_FWD_GET, 0, 0, 0, r)) {
			if (r[0] == HC_FWD_FRONTEND_RESET)
				front_reset(r[2]);
			else
				serve(r[1], r[2], r[3], r[4], r[5]);
		}
	}
	if (GIC_IAR_INTID(iar) == VTIMER_INTID)
		operator_poll();
	if (GIC_IAR_INTID(iar) < 1020)
		gic_eoi(iar);
	return true;
}

static void setup(u32 k)
{
	struct vdev *d = &vdevs[k];
	char name[8] = "win";
	u64 w[8];

	name[3] = k >= 10 ? '0' + k / 10 : '0' + k;
	name[4] = k >= 10 ? '0' + k % 10 : 0;
	d->k = k;
	d->model = model_of(bootarg(name, 0));
	hvc_regs(HC_FWD_WINDOW, k, 0, 0, w);
	if (!d->model || w[0]) {
		printf("virtio-dev: window %u: no device (give %s=1, 2 or 3 in the "
		       "bootargs: net, blk or console)\n", k, name);
		d->model = NULL;
		return;
	}
	d->frontend = w[1];
	d->ipa = w[2];
	d->size = w[3];
	d->has_irq = w[4] != 0;
	d->dma_base = w[5];
	d->dma_front = w[6];
	d->dma_size = w[7];
	if (d->size < VIRTIO_MMIO_WINDOW_MIN || !d->has_irq || !d->dma_size)
		printf("virtio-dev: window %u of vm %u: 0x%lx bytes, interrupt %lu, "
		       "0x%lx bytes of its memory: Linux needs 0x200 bytes, an "
		       "interrupt and a DMA_SLOT\n", k, d->frontend, d->size, w[4],
		       d->dma_size);
	d->model->init(d);
}

void guest_main(void);
void guest_main(void)
{
	struct smccc_res info;
	u64 r[8];

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	printf("virtio-dev: boot %lu\n", info.a2 + 1);
	request_irq = bootarg("irq", 0);
	set_exception_handler(on_irq);
	gic_init();
	gic_cpu_init();
	gic_enable_irq(request_irq, 0x80);
	/* Learns the windows only after READY, which also fails whatever
	 * was asked of a previous life of this partition. */
	hvc_regs(HC_FWD_READY, 0, 0, 0, r);
	if (r[0]) {
		printf("virtio-dev: HC_FWD_READY failed (%ld): this VM serves no "
		       "window; give frontends .server = its name\n", (s64)r[0]);
		system_off();
	}
	nr_vdevs = MIN(r[1], VDEV_MAX);
	vdev_persist_init(bootarg("state", 0), bootarg("state_size", 0));
	for (u32 k = 0; k < nr_vdevs; k++)
		setup(k);
	/* A frontend that restarted while we were down has kept state of its
	 * old run: the hypervisor's records of it come before any request,
	 * so they are taken here, before that state is resumed. A request
	 * found behind them is served once every device is up. */
	hvc_regs(HC_FWD_GET, 0, 0, 0, r);
	for (; r[0] == HC_FWD_FRONTEND_RESET; hvc_regs(HC_FWD_GET, 0, 0, 0, r))
		front_reset(r[2]);
	for (u32 k = 0; k < nr_vdevs; k++)
		if (vdevs[k].model)
			vdev_resume(&vdevs[k]);
	for (u32 k = 0; k < nr_vdevs; k++)
		vdev_resume_queues(&vdevs[k]);
	if (r[0] == 0)
		serve(r[1], r[2], r[3], r[4], r[5]);
	printf("virtio-dev: serving %u windows (type r on this console to restart, "
	       "h to hold requests)\n", nr_vdevs);
	operator_start();
	irq_enable();
	for (;;)
		wfi();
}
