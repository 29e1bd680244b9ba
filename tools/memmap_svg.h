/* Draws a configuration as SVG: the VMs stacked on the left (slots and
 * device windows in IPA order), the host physical map on the right (the
 * hypervisor, slot backings, preloaded images), and a band from each slot
 * to the host memory backing it, coloured by the slot's flags. */
#ifndef TOOLS_MEMMAP_SVG_H
#define TOOLS_MEMMAP_SVG_H

#include "config.h"
#include "platform.h"
#include "stage2.h"

/* 0, or -1 when the file cannot be written. */
int memmap_svg_write(const char *path, const struct hyp_config *cfg,
		     const struct platform *plat, const struct vm_mem mems[]);

#endif
