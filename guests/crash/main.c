/*
 * A VM that cannot continue, one way per boot, for the fault policy tests
 * (tests/integration/fault_policy.py). Boot n (HC_VM_INFO's restart count
 * + 1) first checks that the restart gave it a fresh start: BSS clear,
 * .data as in the image, RAM it wrote before clear, a device tree at x0
 * with its bootargs. Then, with x27 = 0xdead0000000000nn (nn: the way) for
 * the hypervisor's register dump, it ends itself:
 *  0 vector    VBAR_EL1 at a hole, then a load from a hole: the injected
 *              abort's vector cannot be fetched;
 *  1 watchdog  virtual timer pending, interrupts masked, spinning: the
 *              VM's watchdog (.watchdog_ms) finds it stuck;
 *  2 cpu-off   PSCI CPU_OFF of its last running vCPU: nothing can start
 *              a vCPU again;
 *  3 secondary CPU_ON of vCPU 1 at zeroed RAM: vCPU 1 takes an undefined
 *              instruction with VBAR_EL1 = 0, a hole;
 *  4 abort-loop VBAR_EL1 at vectors whose synchronous entries just return
 *              (vectors.S), then a load from a hole: the abort comes back
 *              for ever.
 * bootargs: first= (the way of boot 1, 0), ways= (how many boots crash, 5),
 * pause_ms= (how long each boot runs before it crashes, 0); the boot after
 * the last way reports and powers off.
 */
#include "gic.h"
#include "guest.h"

#define HOLE 0x10000000UL       /* no slot or device */
#define MARK_IPA 0x40800000UL   /* RAM outside the image and its stacks */
#define ZEROED_IPA 0x40400000UL /* RAM nothing writes: zero after a load */
#define MARK 0xfeedfacecafef00dUL
#define X27(way) (0xdead000000000000UL | (way))

static const char *const ways[] = {
	"vector", "watchdog", "cpu-off", "secondary", "abort-loop",
};

extern const u32 loop_vectors[]; /* vectors.S */

static u32 data_word = 0x1234;
static u64 bss_word;

static void __noreturn crash(u64 way)
{
	switch (way) {
	case 0:
		write_sysreg(HOLE, vbar_el1);
		isb();
		__asm__ volatile("mov x27, %0\n\tldr x0, [%1]"
				 : : "r"(X27(way)), "r"(HOLE + 8) : "x0", "x27", "memory");
		break;
	case 1:
		/* The GIC and the timer as the pulse payload sets them up, but
		 * interrupts stay masked. */
		gic_init();
		gic_cpu_init();
		gic_enable_irq(VTIMER_INTID, 0x80);
		vtimer_arm(counter_ms(1));
		__asm__ volatile("mov x27, %0\n1:\tb 1b" : : "r"(X27(way)) : "x27");
		break;
	case 2:
		__asm__ volatile("mov x27, %0" : : "r"(X27(way)) : "x27");
		hvc(PSCI_CPU_OFF, 0, 0, 0);
		break;
	case 3:
		__asm__ volatile("mov x27, %0" : : "r"(X27(way)) : "x27");
		hvc(PSCI_CPU_ON, 1, ZEROED_IPA, 0);
		delay_ms(5000);
		break;
	case 4:
		write_sysreg((u64)(uintptr_t)loop_vectors, vbar_el1);
		isb();
		__asm__ volatile("mov x27, %0\n\tldr x0, [%1]"
				 : : "r"(X27(way)), "r"(HOLE) : "x0", "x27", "memory");
		break;
	}
	report(false, "way %lu (%s): the VM went on", way, ways[way]);
	report_done();
}

void guest_main(void);
void guest_main(void)
{
	u64 first = bootarg("first", 0), nr = bootarg("ways", ARRAY_SIZE(ways));
	volatile u64 *mark = (volatile u64 *)MARK_IPA;
	struct smccc_res info;
	u64 boot, way;

	hvc_res(HC_VM_INFO, 0, 0, 0, &info);
	boot = info.a2 + 1;
	way = first + info.a2;
	printf("# boot %lu\n", boot);
	report(bss_word == 0 && data_word == 0x1234,
	       "boot %lu: BSS clear and .data as in the image (0x%lx, 0x%x)",
	       boot, bss_word, data_word);
	report(*mark == 0, "boot %lu: RAM written before is clear (0x%lx)", boot, *mark);
	report(dt_present() && bootarg("ways", 0) == nr,
	       "boot %lu: a device tree at 0x%lx with its bootargs \"%s\"", boot,
	       guest_dtb, dt_bootargs());
	bss_word = 1;
	data_word = 0;
	*mark = MARK;
	if (info.a2 < nr && way < ARRAY_SIZE(ways)) {
		delay_ms(bootarg("pause_ms", 0));
		printf("# boot %lu: way %lu: %s\n", boot, way, ways[way]);
		crash(way);
	}
	report(info.a2 == nr, "after %lu restarts, the %s way last", info.a2,
	       ways[MIN(way - 1, ARRAY_SIZE(ways) - 1)]);
	report_done();
}
