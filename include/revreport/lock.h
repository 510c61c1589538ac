/* lock.h: one run at a time per output folder or archive period, with
 * flock(2) on a lock file that holds the owner's pid.
 *
 *   rr_lock *l;
 *   if (rr_lock_acquire("out", NULL, &l, &err) != RR_OK) ...  // busy: fails at once
 *   ... write the report ...
 *   rr_lock_release(l);
 *
 * The lock is released by the kernel when the process exits (also when it is
 * killed), so a stale lock never blocks the next run.  A lock file stays
 * (removing it would race with a waiting run); name NULL locks the folder
 * itself and leaves nothing behind. */
#ifndef RR_LOCK_H
#define RR_LOCK_H
#include "revreport/status.h"

typedef struct rr_lock rr_lock;

/* Create dir if needed, open dir/name (name NULL: dir itself) and take an
 * exclusive flock without waiting.  Another holder: RR_ERR_IO, "another
 * revreport run (pid N) is writing DIR; try again when it has finished".
 * *out is owned by the caller. */
rr_status rr_lock_acquire(const char *dir, const char *name, rr_lock **out, rr_error *err);
void rr_lock_release(rr_lock *l);   /* accepts NULL */

#endif
