/* outdir.h: atomic outputs.  Every file of a run is written into a staging
 * folder inside the output folder and moved into place only when the whole
 * run succeeded, so a failed (or killed) run never leaves a partial report
 * and keeps the previous one.
 *
 *   rr_outdir *o;
 *   rr_outdir_begin("out", &o, &err);
 *   const char *p = rr_outdir_path(o, "report.html");   // staging path to write
 *   ... write p ...
 *   rr_outdir_commit(o, &err);      // fsync + rename(2) each file into out/
 *   rr_outdir_free(o);              // removes the staging folder (also after failure)
 *
 * Staging folders are named ".revreport-staging-<pid>"; stale ones left by a
 * killed run are removed by the next run. */
#ifndef RR_OUTDIR_H
#define RR_OUTDIR_H
#include "revreport/status.h"

typedef struct rr_outdir rr_outdir;

rr_status rr_outdir_begin(const char *dir, rr_outdir **out, rr_error *err);
/* Staging path for a file name (owned by o, valid until rr_outdir_free). */
const char *rr_outdir_path(rr_outdir *o, const char *name);
rr_status rr_outdir_commit(rr_outdir *o, rr_error *err);
void rr_outdir_free(rr_outdir *o);     /* accepts NULL; discards uncommitted files */

#endif
