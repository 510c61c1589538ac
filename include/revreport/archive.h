/* archive.h: the quarterly archive and its verification.
 *
 *   rr_archive_opts a = {.report = &report_opts, .into = "/srv/archive"};
 *   char *where = NULL;
 *   rr_archive_run(&a, &where, &err);     // /srv/archive/2026/Q3
 *   free(where);
 *   rr_archive_verify("/srv/archive/2026/Q3", stdout, &err);
 *
 * An archive folder DIR/<fiscal year>/Q<n>/ holds report.pdf (with the
 * input CSVs attached unless archive.attach_inputs = false), report.html,
 * report.xml (every figure), inputs/ (copies of the input CSVs) or
 * inputs.sha256 (their checksums, archive.inputs = checksums), and
 * MANIFEST.sha256: "<sha-256>  <path>" for every other file, sorted by path,
 * the format `sha256sum -c` reads.  It is built in DIR/<year>/.Q<n>.staging-<pid>
 * and renamed into place with rename(2), so it appears whole or not at all;
 * an existing archive is never overwritten: without force the run fails,
 * with force the earlier one is first renamed to Q<n>.previous-<UTC time>.
 * Two runs for the same quarter never interleave (DIR/<year>/.Q<n>.lock).
 * With SOURCE_DATE_EPOCH set, the same inputs and options give byte-identical
 * files. */
#ifndef RR_ARCHIVE_H
#define RR_ARCHIVE_H
#include <stdio.h>
#include "revreport/report.h"
#include "revreport/status.h"

typedef struct {
    const rr_report_opts *report;   /* inputs, quarter/relative period, presentation; output_dir unused */
    const char *into;               /* archive root */
    int force;                      /* replace an existing archive, keeping it beside as Q<n>.previous-* */
} rr_archive_opts;

/* Build the archive; *where (may be NULL) receives the folder written, which
 * the caller frees.  With a relative period (--period last-quarter, the
 * scheduled run) a quarter already archived is RR_OK with *where = NULL:
 * nothing was changed.  Errors: RR_ERR_USAGE (not a quarter), RR_ERR_IO
 * (exists without force, busy, file system), and those of rr_report_run. */
rr_status rr_archive_run(const rr_archive_opts *o, char **where, rr_error *err);

/* Check every file of an archive folder against its MANIFEST.sha256 and
 * look for files the manifest does not list.  Prints one line per problem
 * ("MISMATCH report.pdf", "MISSING inputs/leads.csv", "EXTRA notes.txt")
 * and a summary to out (may be NULL).  Errors: RR_ERR_INPUT (a problem was
 * found; err->msg counts them), RR_ERR_IO (no or unreadable manifest). */
rr_status rr_archive_verify(const char *dir, FILE *out, rr_error *err);

#endif
