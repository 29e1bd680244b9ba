/*
 * forward.c with a device partition that, in its second boot, restarts
 * right after it took the frontend's reset record and before it acted on
 * it (as if its manager or watchdog restarted it then): the record must
 * come again in its third boot.
 */
#define DEV_CMDLINE "dev=1 restart_on_record=2"
#define FRONT_CMDLINE "dev_restarts=1"
#include "forward.c"
