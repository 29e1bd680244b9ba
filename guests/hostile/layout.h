/*
 * The hostile guest's memory, shared by the payload (guests/hostile) and
 * its configuration (tests/configs/run/hostile.c): one RAM slot, and one
 * slot of each kind a refused access can hit (READONLY, NOEXEC) or a
 * write first faults on (LOG_DIRTY).
 */
#ifndef HOSTILE_LAYOUT_H
#define HOSTILE_LAYOUT_H

#define HZ_RAM_IPA 0x40000000UL
#define HZ_RAM_SIZE 0x01000000UL
#define HZ_RO_IPA 0x41000000UL
#define HZ_NX_IPA 0x41100000UL
#define HZ_DIRTY_IPA 0x41200000UL
#define HZ_SLOT_SIZE 0x40000UL
#define HZ_DIRTY_SLOT 3
#define HZ_IPA_BITS 40
/* QEMU virt's PL031 RTC, passed through: its window and SPI. */
#define HZ_RTC_IPA 0x09010000UL
#define HZ_RTC_INTID 34

/* Inside the RAM slot: the image, BSS and stacks come first. */
#define HZ_LANDING 0x40300000UL /* zeros: where junk entry points go */
#define HZ_SCRATCH 0x40400000UL /* where random stores and DC ZVA land */
#define HZ_SCRATCH_SIZE 0x00800000UL
#define HZ_BUF 0x40c00000UL     /* hypercall buffers, between guards */
#define HZ_BUF_SIZE 0x10000UL
#define HZ_JUNK 0x40c10000UL    /* stage-1 tables for walk operations */
#define HZ_JUNK_SIZE 0x10000UL
/* The device tree sits in the last 2 MiB (hyp/vm/loader.c): read at boot. */

#endif
