/* Per-CPU EL2 controls set once before guests run (see el2_setup.c). */
#ifndef HYP_EL2_SETUP_H
#define HYP_EL2_SETUP_H

/* ACTLR_EL2, a flush of guest-regime TLBs, the speculation workarounds.
 * The boot CPU calls it before starting the others. */
void cpu_el2_setup(void);

#endif
