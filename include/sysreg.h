/* One accessor pair for system registers, and the barriers. Registers the
 * assembler may not know by name are given as S3_<op1>_C<n>_C<m>_<op2>. */
#ifndef SYSREG_H
#define SYSREG_H

#include "types.h"

#ifdef HOST_BUILD
/* Host builds (tests/host, tests/fuzz) have no such registers: the test's
 * fakes stand in for them, by name (tests/host/fake_vgic_env.c), and the
 * barriers only stop the compiler. */
u64 host_read_sysreg(const char *name);
void host_write_sysreg(const char *name, u64 v);
#define read_sysreg(reg) host_read_sysreg(#reg)
#define write_sysreg(v, reg) host_write_sysreg(#reg, (u64)(v))
#define host_barrier() __asm__ volatile("" ::: "memory")
#define isb() host_barrier()
#define dsb(opt) host_barrier()
#define dmb(opt) host_barrier()
#define wfe() host_barrier()
#define wfi() host_barrier()
#define sev() host_barrier()
#else
#define read_sysreg(reg)                                        \
	({                                                      \
		u64 __v;                                        \
		__asm__ volatile("mrs %0, " #reg : "=r"(__v)); \
		__v;                                            \
	})

#define write_sysreg(v, reg)                                                 \
	do {                                                                 \
		u64 __wv = (u64)(v);                                         \
		__asm__ volatile("msr " #reg ", %x0" : : "rZ"(__wv) : "memory"); \
	} while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
#endif

static inline void irq_mask_all(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
}

/* MPIDR affinity fields (Aff3 in bits 39:32, Aff2..Aff0 in 23:0). */
#define MPIDR_AFF_MASK 0xff00ffffffUL
static inline u64 this_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

/* Exception syndrome fields (Arm ARM D17.2.37, ESR_ELx). */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_IL BIT(25)
#define ESR_ISS(esr) ((esr) & 0x1ffffff)

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_FP_ASIMD 0x07
#define EC_PAC 0x09
#define EC_ILLEGAL 0x0e
#define EC_SVC64 0x15
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_SVE 0x19
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_SERROR 0x2f
#define EC_BRK64 0x3c

#endif
