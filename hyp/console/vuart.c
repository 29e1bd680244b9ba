/* PL011 emulation (Arm DDI 0183; register behaviour as QEMU's pl011 model,
 * which Linux's amba-pl011 driver is known to work with). */
#include "vuart.h"
#include "console.h"
#include "console_ring.h"
#include "guest_platform.h"
#include "virq.h"
#include "vm.h"

#define DR 0x000
#define RSR 0x004
#define FR 0x018
#define ILPR 0x020
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048
#define PERIPH_ID0 0xfe0

#define FR_RXFE BIT(4)
#define FR_RXFF BIT(6)
#define FR_TXFE BIT(7)
#define INT_RX BIT(4)
#define INT_TX BIT(5)
#define INT_RT BIT(6)
#define INT_ALL 0x7ff

/* PeriphID0-3 then PCellID0-3: an Arm PL011 r1p5. */
static const u8 id_bytes[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void vuart_init(struct vuart *u)
{
	*u = (struct vuart){ .cr = 0x300, .ifls = 0x12 };
}

/* Tells the vGIC the interrupt line's level (caller holds the lock). */
static void update_irq(struct vm *vm)
{
	struct vuart *u = &vm->vuart;
	bool level = (u->ris & u->imsc) != 0;

	if (level != u->irq_line) {
		u->irq_line = level;
		virq_set_level(vm, 32 + VIRT_UART_SPI, level);
	}
}

/*
 * A restart's UART is a fresh one: the old run's unread input, interrupt
 * mask and raised line do not carry over (a line left high while the vGIC
 * reset lowered it would swallow the new run's first receive interrupt).
 * Under the lock: a character typed meanwhile lands before or after.
 */
void vuart_reset(struct vm *vm)
{
	struct vuart *u = &vm->vuart;

	spin_lock(&u->lock);
	u->rx_head = u->rx_count = 0;
	u->cr = 0x300;
	u->ifls = 0x12;
	u->lcr_h = u->ibrd = u->fbrd = u->imsc = u->ris = u->dmacr = 0;
	if (u->irq_line) {
		u->irq_line = false;
		virq_set_level(vm, 32 + VIRT_UART_SPI, false);
	}
	spin_unlock(&u->lock);
}

/* Narrow reads see the addressed bytes of the 32-bit register. */
static inline u64 narrow(u64 v, u64 offset, unsigned size)
{
	return (v >> (8 * (offset & 3))) & (size >= 4 ? 0xffffffffUL : (1UL << (8 * size)) - 1);
}

static u64 __attribute__((noinline)) read_locked(struct vcpu *vcpu, u64 offset,
						  unsigned size)
{
	struct vm *vm = vcpu->vm;
	struct vuart *u = &vm->vuart;
	u64 v = 0;

	spin_lock(&u->lock);
	switch (offset & ~3UL) {
	case DR:
		if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % VUART_FIFO;
			u->rx_count--;
		}
		if (!u->rx_count)
			u->ris &= ~(INT_RX | INT_RT);
		update_irq(vm);
		break;
	case IBRD: v = u->ibrd; break;
	case FBRD: v = u->fbrd; break;
	case LCR_H: v = u->lcr_h; break;
	case CR: v = u->cr; break;
	case IFLS: v = u->ifls; break;
	case IMSC: v = u->imsc; break;
	case RIS: v = u->ris; break;
	case MIS: v = u->ris & u->imsc; break;
	case DMACR: v = u->dmacr; break;
	default:
		if (offset >= PERIPH_ID0 && offset < PERIPH_ID0 + 32)
			v = id_bytes[(offset - PERIPH_ID0) / 4];
		break; /* RSR, ILPR and reserved registers read as zero */
	}
	spin_unlock(&u->lock);
	/* A read of the data register made room: take what waits. */
	if ((offset & ~3UL) == DR && console_input_waiting(vm))
		console_input_refill(vm);
	return narrow(v, offset, size);
}

/* The flag register, which guests poll, without the lock: one snapshot
 * of the receive count, as the lock would give. */
static inline u32 flags(const struct vuart *u)
{
	u32 rx = READ_ONCE(u->rx_count);

	return FR_TXFE | (rx ? 0 : FR_RXFE) | (rx == VUART_FIFO ? FR_RXFF : 0);
}

/* Every read but the common poll. Out of line, so that the poll's path
 * builds no frame (this one calls, and recurses for a 64-bit access). */
static u64 __attribute__((noinline)) read_other(struct vcpu *vcpu, u64 offset,
						unsigned size)
{
	/* A 64-bit access covers two registers, as on QEMU's pl011. */
	if (size == 8)
		return vuart_mmio_read(vcpu, offset, 4) |
		       vuart_mmio_read(vcpu, offset + 4, 4) << 32;
	if ((offset & ~3UL) == FR)
		return narrow(flags(&vcpu->vm->vuart), offset, size);
	return read_locked(vcpu, offset, size);
}

u64 vuart_mmio_read(struct vcpu *vcpu, u64 offset, unsigned size)
{
	if (offset == FR && size == 4) /* the common poll, first */
		return flags(&vcpu->vm->vuart);
	return read_other(vcpu, offset, size);
}

void vuart_mmio_write(struct vcpu *vcpu, u64 offset, unsigned size, u64 value)
{
	struct vm *vm = vcpu->vm;
	struct vuart *u = &vm->vuart;
	u32 v = (u32)value;

	if (size == 8) {
		vuart_mmio_write(vcpu, offset, 4, (u32)value);
		vuart_mmio_write(vcpu, offset + 4, 4, value >> 32);
		return;
	}
	spin_lock(&u->lock);
	switch (offset & ~3UL) {
	case DR:
		console_guest_putc(vm->index, vm->cfg->name, (char)v);
		console_ring_put(vm->index, (char)v);
		/* Sent at once: the transmit FIFO is always below its level. */
		u->ris |= INT_TX;
		break;
	case IBRD: u->ibrd = v & 0xffff; break;
	case FBRD: u->fbrd = v & 0x3f; break;
	case LCR_H: u->lcr_h = v & 0xff; break;
	case CR: u->cr = v & 0xff87; break;
	case IFLS: u->ifls = v & 0x3f; break;
	case IMSC: u->imsc = v & INT_ALL; break;
	case ICR: u->ris &= ~v; break;
	case DMACR: u->dmacr = v & 7; break;
	default:
		break; /* read-only and reserved registers ignore writes */
	}
	update_irq(vm);
	spin_unlock(&u->lock);
}

bool vuart_receive(struct vm *vm, char c)
{
	struct vuart *u = &vm->vuart;
	bool ok = false;

	spin_lock(&u->lock);
	if (u->rx_count < VUART_FIFO) {
		u->rx[(u->rx_head + u->rx_count) % VUART_FIFO] = (u8)c;
		u->rx_count++;
		u->ris |= INT_RX | INT_RT;
		ok = true;
	}
	update_irq(vm);
	spin_unlock(&u->lock);
	return ok;
}
