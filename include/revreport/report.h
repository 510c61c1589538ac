/* report.h: one report run, from input folder to output folder.
 *
 *   rr_report_opts o = rr_report_opts_default();
 *   o.input_dir = "samples"; o.output_dir = "out"; o.month = "2026-10";
 *   rr_error err;
 *   rr_status st = rr_report_run(&o, &err);
 *   if (st != RR_OK) rr_error_print(&err, "revreport");
 *
 * Reads the canonical CSVs, computes the figures, and writes report.html,
 * report.pdf and report.xml into output_dir atomically (all or nothing). */
#ifndef RR_REPORT_H
#define RR_REPORT_H
#include <time.h>
#include "revreport/config.h"
#include "revreport/status.h"

typedef struct {
    const char *input_dir;
    const char *output_dir;
    const char *month, *quarter, *relative;   /* at most one; none = last-month */
    int fy_start;                              /* 1..12 */
    const char *currency;                      /* base currency, "USD" */
    const char *lang;                          /* "en" */
    const char *company;
    const char *logo;
    const char *template_dir;                  /* NULL = installed templates */
    const char *font_dir;                      /* NULL = configure's FONTDIR */
    int paper;                                 /* RR_PDF_A4 / RR_PDF_LETTER */
    int landscape;
    int lookback_days;                         /* 365 */
    int strict;                                /* warnings are errors */
    int quiet;
    time_t now;                                /* for relative periods and "generated" */
    const rr_config *config;                   /* --config / --set settings (may be NULL) */
    int archive;                               /* archival PDF (PDF/A-1b, inputs attached): archive.c */
    int unattended;                            /* send, archive: stale inputs are an error (exit 7)
                                                  unless report.allow_stale; otherwise a banner */
} rr_report_opts;

rr_report_opts rr_report_opts_default(void);
/* The data folder: REVREPORT_DATADIR, else the installed one, else the source tree's templates/. */
const char *rr_report_datadir(void);
rr_status rr_report_run(const rr_report_opts *o, rr_error *err);

#endif
