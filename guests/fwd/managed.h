/* guests/fwd's roles in tests/configs/run/forward-managed.c (managed.c). */
#ifndef FWD_MANAGED_H
#define FWD_MANAGED_H

void fwd_manager(void);
void fwd_managed_frontend(void);

#endif
