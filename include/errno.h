/* Error codes. Functions that can fail return 0 or one of these, negated. */
#ifndef ERRNO_H
#define ERRNO_H

#define ENOENT 2  /* no such slot, VM or mapping */
#define EAGAIN 11 /* not now: call again (memory still being cleared) */
#define ENOMEM 12 /* page pool exhausted */
#define EFAULT 14 /* address outside guest memory */
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define EPERM 1   /* not allowed (e.g. write to a read-only slot) */
#define ERANGE 34

#endif
