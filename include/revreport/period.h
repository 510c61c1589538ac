/* period.h: the report period (a month or a fiscal quarter) and its window.
 *
 *   rr_period p;
 *   rr_period_parse("2026-10", NULL, NULL, 1, now, &p, &err);   // --month 2026-10
 *   rr_period_parse(NULL, "2026Q3", NULL, 2, now, &p, &err);    // fiscal year from February
 *   rr_period_parse(NULL, NULL, "last-month", 1, now, &p, &err);
 *   p.first .. p.last are month keys (year*12 + month-1); the report also
 *   shows the 12 months before p.first (p.window_first).
 *
 * Fiscal years are named by the calendar year in which they END (the
 * Salesforce default): with fy_start = 2, FY2027 runs Feb 2026 - Jan 2027 and
 * 2027Q1 = Feb-Apr 2026.  With fy_start = 1 quarters are calendar quarters.
 * Relative periods are computed from `now` in UTC (rr_period_parse) or in a
 * configured zone (rr_period_parse_zone): "last-month" is the
 * calendar month before now; "last-quarter" the fiscal quarter before the
 * one holding now. */
#ifndef RR_PERIOD_H
#define RR_PERIOD_H
#include <time.h>
#include "revreport/status.h"

typedef enum { RR_PERIOD_MONTH, RR_PERIOD_QUARTER } rr_period_kind;

typedef struct {
    rr_period_kind kind;
    int first, last;       /* month keys, inclusive */
    int window_first;      /* first - 12 */
    int fy_start;          /* 1..12 */
    int fy_first;          /* first month of the fiscal year holding `last` */
    int fiscal_year;       /* named by the year it ends in */
    int quarter;           /* 1..4 (fiscal), for both kinds */
    char label[32];        /* "2026-10" or "2026Q3" (machine form) */
} rr_period;

rr_status rr_period_parse(const char *month, const char *quarter, const char *relative, int fy_start,
                          time_t now, rr_period *out, rr_error *err);
/* The same, with relative periods decided by the calendar of `zone` (IANA
 * name, setting report.timezone; NULL or "" = UTC).  A relative period is
 * refused (RR_ERR_CONFIG) when a new month has begun in UTC or on the
 * server's own clock (TZ, /etc/localtime) but not yet in `zone`: the job was
 * scheduled for another zone and "last-month" would name the month before
 * the one meant.  An unknown zone is RR_ERR_CONFIG too. */
rr_status rr_period_parse_zone(const char *month, const char *quarter, const char *relative, int fy_start,
                               time_t now, const char *zone, rr_period *out, rr_error *err);
/* Fill a period for fiscal quarter q of fiscal year fy. */
void rr_period_quarter(int fy, int q, int fy_start, rr_period *out);
void rr_period_month(int month, int fy_start, rr_period *out);
/* The period of the same kind just before p (for "vs previous period"). */
void rr_period_prev(const rr_period *p, rr_period *out);

#endif
