/*
 * Reports exceptions taken at EL2 from EL2 (hypervisor bugs), stack
 * overflows and panics: in words first, then the registers, then a
 * frame-pointer backtrace with symbol names; then stops the CPU.
 */
#include <stdarg.h>

#include "console.h"
#include "esr.h"
#include "exception.h"
#include "probe.h"
#include "log.h"
#include "panic.h"
#include "percpu.h"
#include "symbols.h"

static const char *const vector_names[] = {
	[VEC_SYNC] = "a synchronous exception",
	[VEC_IRQ] = "an IRQ",
	[VEC_FIQ] = "an FIQ",
	[VEC_SERROR] = "an SError",
};

void cpu_stop(void)
{
	irq_mask_all();
	for (;;)
		wfi();
}

static void print_addr(u64 addr)
{
	u64 off;
	const char *name = symbol_lookup(addr, &off);

	if (name)
		printk("0x%lx <%s+0x%lx>", addr, name, off);
	else
		printk("0x%lx", addr);
}

extern char _head[], __text_end[], __stacks_start[], __stacks_end[];

static bool in_text(u64 a)
{
	return a >= (u64)(uintptr_t)_head && a < (u64)(uintptr_t)__text_end;
}

static bool in_stacks(u64 a)
{
	return a >= (u64)(uintptr_t)__stacks_start &&
	       a + 16 <= (u64)(uintptr_t)__stacks_end && IS_ALIGNED(a, 8);
}

void backtrace_print(u64 pc, u64 fp)
{
	printk("hyp:   backtrace:\n");
	printk("hyp:     #0  ");
	print_addr(pc);
	printk("\n");
	/* AAPCS64 frame records: [fp] = caller's fp, [fp + 8] = return address. */
	for (int depth = 1; depth < 32 && in_stacks(fp); depth++) {
		u64 next = ((u64 *)(uintptr_t)fp)[0];
		u64 lr = ((u64 *)(uintptr_t)fp)[1];

		if (!in_text(lr))
			break;
		printk("hyp:     #%-2d ", depth);
		print_addr(lr - 4); /* the call, not the return point */
		printk("\n");
		if (next <= fp)
			break;
		fp = next;
	}
}

static const char *spsr_mode(u64 spsr)
{
	switch (spsr & 0xf) {
	case 0x0: return "EL0t";
	case 0x4: return "EL1t";
	case 0x5: return "EL1h";
	case 0x8: return "EL2t";
	case 0x9: return "EL2h";
	default: return "AArch32 or reserved mode";
	}
}

static void print_registers(const struct el2_frame *f)
{
	for (int i = 0; i < 31; i += 3) {
		printk("hyp:   ");
		for (int j = i; j < i + 3 && j < 31; j++)
			printk("x%-2d %016lx  ", j, f->x[j]);
		printk("\n");
	}
	printk("hyp:   sp  %016lx\n", f->sp);
}

extern char exit_serror_window_start[], exit_serror_window_end[];
extern char guest_at_window_start[], guest_at_window_end[], guest_at_fixup[];

#define SPSR_A BIT(8)

static bool in_window(u64 elr, const char *start, const char *end)
{
	return elr >= (u64)(uintptr_t)start && elr <= (u64)(uintptr_t)end;
}

/*
 * The two places where an exception at EL2 is expected, because a guest
 * caused it, and survived: an SError synchronised on guest exit (it is
 * the exiting guest's: guest_exit handles it) and an abort on the guest's
 * stage-1 walk by AT (guest_at.S). Both resume with SErrors masked again.
 */
static bool el2_fixup(struct el2_frame *f, enum el2_vector kind)
{
	if (kind == VEC_SERROR &&
	    in_window(f->elr, exit_serror_window_start, exit_serror_window_end)) {
		this_pcpu()->exit_serror = f->esr;
		f->spsr |= SPSR_A;
		return true;
	}
	if ((kind == VEC_SYNC || kind == VEC_SERROR) &&
	    in_window(f->elr, guest_at_window_start, guest_at_window_end)) {
		f->elr = (u64)(uintptr_t)guest_at_fixup;
		f->spsr |= SPSR_A;
		return true;
	}
	return false;
}

void el2_exception(struct el2_frame *f, enum el2_vector kind)
{
	char why[160];

	/* Exceptions EL2 expects because a guest or a probe caused them. */
	if (el2_fixup(f, kind) || (kind == VEC_SYNC && probe_fixup(f)))
		return;

	console_lock(true);
	printk("hyp: PANIC: CPU %u took %s at EL2 from %s; this is a "
	       "hypervisor bug, please report it with this log\n",
	       this_cpu_index(), vector_names[kind], spsr_mode(f->spsr));
	if (kind == VEC_SYNC || kind == VEC_SERROR)
		printk("hyp:   %s\n", esr_describe(f->esr, why, sizeof(why)));
	printk("hyp:   ESR_EL2 0x%lx  FAR_EL2 0x%lx  SPSR_EL2 0x%lx (%s, masked %c%c%c%c)\n",
	       f->esr, f->far, f->spsr, spsr_mode(f->spsr),
	       f->spsr & BIT(9) ? 'D' : '-', f->spsr & BIT(8) ? 'A' : '-',
	       f->spsr & BIT(7) ? 'I' : '-', f->spsr & BIT(6) ? 'F' : '-');
	printk("hyp:   ELR_EL2 ");
	print_addr(f->elr);
	printk("\n");
	/* The frame chain may skip a caller whose epilogue already ran. */
	printk("hyp:   LR (x30) ");
	print_addr(f->x[30]);
	printk("\n");
	print_registers(f);
	backtrace_print(f->elr, f->x[29]);
	printk("hyp: CPU %u stopped\n", this_cpu_index());
	console_unlock();
	cpu_stop();
}

void el2_stack_overflow(u64 elr, u64 esr, u64 far, u64 sp)
{
	char why[160];

	console_lock(true);
	printk("hyp: PANIC: CPU %u overflowed its %u-byte stack (sp 0x%lx); "
	       "this is a hypervisor bug, please report it with this log\n",
	       this_cpu_index(), STACK_SIZE, sp);
	printk("hyp:   %s, FAR_EL2 0x%lx\n",
	       esr_describe(esr, why, sizeof(why)), far);
	printk("hyp:   ELR_EL2 ");
	print_addr(elr);
	printk("\n");
	printk("hyp: CPU %u stopped\n", this_cpu_index());
	console_unlock();
	cpu_stop();
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	console_lock(true);
	printk("hyp: PANIC on CPU %u at %s:%d: ", this_cpu_index(), file, line);
	va_start(ap, fmt);
	console_vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	/* Start at the call to panic_at, in its caller's frame. */
	backtrace_print((u64)(uintptr_t)__builtin_return_address(0) - 4,
			*(u64 *)__builtin_frame_address(0));
	printk("hyp: CPU %u stopped\n", this_cpu_index());
	console_unlock();
	cpu_stop();
}
