/*
 * A tiny image the manager writes into the stopped managed VM and starts
 * it at (HC_VM_WRITE, HC_VM_START): position-independent, no stack, no
 * RAM but the mailbox page. It prints its banner on the virtual UART, sets
 * mailbox->mgmt_image (offset 32, guests/common/mailbox.h) and spins until
 * its manager stops it. Copied from image_start to image_end.
 */
	.section .rodata
	.balign 4
	.global image_start, image_end
image_start:
	movz	x1, #0x0900, lsl #16	/* the PL011 data register */
	adr	x2, banner
1:	ldrb	w3, [x2], #1
	cbz	w3, 2f
	str	w3, [x1]
	b	1b
2:	movz	x4, #0x5000, lsl #16	/* MAILBOX_IPA */
	mov	w5, #1
	str	w5, [x4, #32]		/* mgmt_image */
3:	b	3b
banner:
	.asciz	"# an image the manager wrote and started\n"
	.balign 4
image_end:
