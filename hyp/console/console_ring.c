/*
 * Per-VM rings of recent console output (see console_ring.h). A VM's
 * writer and its manager's reader meet under the ring's lock; the copy out
 * holds it for at most CONSOLE_RING_SIZE bytes, so a reader never stalls
 * the VM's output for longer than that.
 */
#include "console_ring.h"
#include "config.h"
#include "spinlock.h"

struct console_ring {
	spinlock_t lock;
	u64 head; /* characters written since boot */
	u64 tail; /* characters read (or lost) since boot */
	char buf[CONSOLE_RING_SIZE];
};

static struct console_ring rings[MAX_VMS];

void console_ring_put(u32 vm, char c)
{
	struct console_ring *r;

	if (vm >= MAX_VMS)
		return;
	r = &rings[vm];
	spin_lock(&r->lock);
	r->buf[r->head++ % CONSOLE_RING_SIZE] = c;
	spin_unlock(&r->lock);
}

u64 console_ring_read(u32 vm, char *out, u64 max, u64 *lost)
{
	struct console_ring *r;
	u64 n = 0;

	*lost = 0;
	if (vm >= MAX_VMS)
		return 0;
	r = &rings[vm];
	spin_lock(&r->lock);
	/* What the writer went past since the last read is gone. */
	if (r->head - r->tail > CONSOLE_RING_SIZE) {
		*lost = r->head - r->tail - CONSOLE_RING_SIZE;
		r->tail = r->head - CONSOLE_RING_SIZE;
	}
	while (n < max && r->tail != r->head)
		out[n++] = r->buf[r->tail++ % CONSOLE_RING_SIZE];
	spin_unlock(&r->lock);
	return n;
}
