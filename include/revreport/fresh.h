/* fresh.h: the freshness gate: does each input reach the end of the period?
 *
 *   rr_fresh f;
 *   rr_fresh_check(data, &period, now, 7, &f);
 *   if (f.nstale && unattended) return rr_fresh_error(&f, &err);   // exit 7
 *   char *banner = rr_fresh_banner(&f, cat);                       // page 1 of the report
 *
 * An input's latest activity is the newest date it records as having
 * happened: an opportunity's creation and, once closed, its close date (the
 * close date of an open opportunity is a forecast, not activity); a lead's
 * creation, MQL, SAL, SQL and first-contact times; a touchpoint's time; the
 * last day of the last month with spend.  Dates after `now` are expected
 * dates and never count.  An input is stale when its latest activity is more
 * than max_age_days before the period's end (or before today, for a period
 * still running).  Targets, forecasts, fx rates and campaigns are plans and
 * reference data, not activity: they are not checked.  Nothing is owned:
 * the items point into the rr_data, which must outlive the rr_fresh. */
#ifndef RR_FRESH_H
#define RR_FRESH_H
#include <stddef.h>
#include <time.h>
#include "revreport/data.h"
#include "revreport/date.h"
#include "revreport/i18n.h"
#include "revreport/period.h"
#include "revreport/status.h"

typedef struct {
    const char *file;      /* "opportunities.csv" (the data's string) */
    rr_date last;          /* latest activity; RR_FRESH_NONE when the file has no dated row */
    int stale;
} rr_fresh_item;

#define RR_FRESH_NONE ((rr_date)INT32_MIN)

typedef struct {
    rr_fresh_item items[4];
    size_t n, nstale;
    rr_date end;           /* the day the inputs must reach (period end, or today when earlier) */
    int max_age_days;
} rr_fresh;

/* Latest activity of the opportunity, lead, touchpoint and spend inputs that
 * are present, against period p.  Never fails. */
void rr_fresh_check(const rr_data *d, const rr_period *p, time_t now, int max_age_days, rr_fresh *out);
/* RR_ERR_STALE naming each stale file and its latest date (and how to send
 * anyway); RR_OK when nothing is stale. */
rr_status rr_fresh_error(const rr_fresh *f, const char *period_label, rr_error *err);
/* The page-1 banner in the report's language (catalogue keys fresh.*), or
 * NULL when nothing is stale; the caller frees it. */
char *rr_fresh_banner(const rr_fresh *f, const rr_i18n *cat);

#endif
