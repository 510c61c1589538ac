/* date.h: calendar arithmetic on plain integers (no time.h locale, no TZ).
 *
 *   rr_date d;  rr_date_parse("2026-10-03", 10, &d);      // days since 1970-01-01
 *   int m = rr_date_month(d);                            // month key: year*12 + (month-1)
 *   char buf[8]; rr_month_str(m, buf, sizeof buf);        // "2026-10"
 *
 * Timestamps are int64 seconds since 1970-01-01T00:00:00Z; an offset such as
 * +09:00 is applied, so all timestamps are UTC.  A date-only value used as a
 * timestamp is midnight UTC. RR_NO_TIME marks "not reached / empty". */
#ifndef RR_DATE_H
#define RR_DATE_H
#include <stddef.h>
#include <stdint.h>
#include "revreport/status.h"

typedef int32_t rr_date;
typedef int64_t rr_time;
#define RR_NO_TIME INT64_MIN
#define RR_DAY 86400

rr_date rr_date_from_ymd(int y, int m, int d);
void rr_date_to_ymd(rr_date days, int *y, int *m, int *d);
/* 1 when y-m-d is a real calendar date */
int rr_date_valid(int y, int m, int d);

/* "YYYY-MM-DD" (also accepts a trailing time part, which is ignored) */
rr_status rr_date_parse(const char *s, size_t len, rr_date *out);
/* ISO 8601: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM|-HHMM]",
 * also a space instead of T. */
rr_status rr_time_parse(const char *s, size_t len, rr_time *out);
/* Dates as exports write them.  Order of day and month in A/B/YYYY:
 * RR_DORD_ISO accepts only ISO 8601 (the canonical files); RR_DORD_AUTO
 * reads A/B/YYYY when one part is > 12 (or both are equal) and reports the
 * rest as ambiguous; MDY and DMY decide. */
typedef enum { RR_DORD_ISO = 0, RR_DORD_AUTO, RR_DORD_MDY, RR_DORD_DMY } rr_date_order;
/* Parse "YYYY-MM-DD[ T]time", "YYYY/MM/DD", "YYYY.MM.DD", "M/D/YYYY",
 * "D.M.YYYY" (dots are always day first), "D-M-YYYY", each optionally
 * followed by a time "HH:MM[:SS]" with optional AM/PM (12-hour clock).
 * Errors: RR_ERR_INPUT; *ambiguous (may be NULL) is set to 1 when the value
 * is a valid date in both M/D and D/M orders and ord is RR_DORD_AUTO. */
rr_status rr_time_parse_loc(const char *s, size_t len, rr_date_order ord, rr_time *out, int *ambiguous);
/* Evidence for the order of A/B/YYYY: 1 = only M/D fits (B > 12), 2 = only
 * D/M fits (A > 12), 0 = either, -1 = not such a date. */
int rr_date_order_hint(const char *s, size_t len);
/* "mdy", "dmy", "ymd"/"iso", "auto" -> order; -1 when unknown */
int rr_date_order_parse(const char *s);

/* "YYYY-MM" or "YYYY-MM-DD" -> month key */
rr_status rr_month_parse(const char *s, size_t len, int *month);

static inline rr_date rr_time_date(rr_time t) { return (rr_date)(t >= 0 ? t / RR_DAY : -((-t + RR_DAY - 1) / RR_DAY)); }
static inline rr_time rr_date_time(rr_date d) { return (rr_time)d * RR_DAY; }
int rr_date_month(rr_date d);
rr_date rr_month_first_day(int month);
int rr_month_days(int month);
void rr_month_str(int month, char *out, size_t cap);     /* "2026-10" */
void rr_date_str(rr_date d, char *out, size_t cap);      /* "2026-10-03" */
static inline int rr_month_year(int month) { return month / 12; }
static inline int rr_month_num(int month) { return month % 12 + 1; }

#endif
