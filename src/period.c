/* period.c: report periods, fiscal quarters and relative periods. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "revreport/date.h"
#include "revreport/xalloc.h"
#include "revreport/period.h"

/* fiscal year (named by its end year) and 0-based month-in-fiscal-year */
static void fiscal_of(int month, int fy_start, int *fy, int *idx)
{
    int start0 = fy_start - 1;
    int m0 = month % 12, y = month / 12;
    int k = (m0 - start0 + 12) % 12;          /* months since the fiscal year began */
    int fy_begin_year = m0 >= start0 ? y : y - 1;
    *fy = start0 == 0 ? fy_begin_year : fy_begin_year + 1;
    *idx = k;
}

static void finish(rr_period *p)
{
    int fy, idx;
    fiscal_of(p->last, p->fy_start, &fy, &idx);
    p->fiscal_year = fy;
    p->fy_first = p->last - idx;
    p->quarter = idx / 3 + 1;
    p->window_first = p->first - 12;
}

void rr_period_month(int month, int fy_start, rr_period *out)
{
    memset(out, 0, sizeof *out);
    out->kind = RR_PERIOD_MONTH;
    out->first = out->last = month;
    out->fy_start = fy_start;
    rr_month_str(month, out->label, sizeof out->label);
    finish(out);
}

void rr_period_quarter(int fy, int q, int fy_start, rr_period *out)
{
    memset(out, 0, sizeof *out);
    out->kind = RR_PERIOD_QUARTER;
    int begin_year = fy_start == 1 ? fy : fy - 1;
    int fy_first = begin_year * 12 + (fy_start - 1);
    out->first = fy_first + (q - 1) * 3;
    out->last = out->first + 2;
    out->fy_start = fy_start;
    snprintf(out->label, sizeof out->label, "%04dQ%d", fy, q);
    finish(out);
}

void rr_period_prev(const rr_period *p, rr_period *out)
{
    if (p->kind == RR_PERIOD_MONTH) { rr_period_month(p->first - 1, p->fy_start, out); return; }
    int fy = p->fiscal_year, q = p->quarter - 1;
    if (q < 1) { q = 4; fy--; }
    rr_period_quarter(fy, q, p->fy_start, out);
}

static rr_status parse_in(const char *month, const char *quarter, const char *relative, int fy_start,
                         time_t now, int cur_month, rr_period *out, rr_error *err);

rr_status rr_period_parse(const char *month, const char *quarter, const char *relative, int fy_start,
                          time_t now, rr_period *out, rr_error *err)
{
    return parse_in(month, quarter, relative, fy_start, now, -1, out, err);
}

/* A zone name the C library will really use: glibc takes an unknown name for
 * UTC without a word, so the file must exist under TZDIR (or zoneinfo). */
static int zone_known(const char *tz)
{
    if (!strcmp(tz, "UTC")) return 1;
    if (!*tz || *tz == '/' || strstr(tz, "..") || strlen(tz) > 100) return 0;
    for (const char *c = tz; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '/' || *c == '_' || *c == '-' || *c == '+'))
            return 0;
    const char *dir = getenv("TZDIR");
    char *path = rr_xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
    int ok = access(path, R_OK) == 0;
    free(path);
    return ok;
}

/* The wall clock of `now` in zone tz (NULL = the process's own zone: TZ or
 * /etc/localtime).  The zone is switched through TZ and put back: callers run
 * before any thread starts. */
static void wall_clock(time_t now, const char *tz, struct tm *out)
{
    if (!tz) { localtime_r(&now, out); return; }
    const char *old = getenv("TZ");
    char *keep = old ? rr_xstrdup(old) : NULL;
    setenv("TZ", tz, 1);
    tzset();
    localtime_r(&now, out);
    if (keep) setenv("TZ", keep, 1);
    else unsetenv("TZ");
    tzset();
    free(keep);
}

static int tm_month(const struct tm *t) { return (t->tm_year + 1900) * 12 + t->tm_mon; }

rr_status rr_period_parse_zone(const char *month, const char *quarter, const char *relative, int fy_start,
                               time_t now, const char *zone, rr_period *out, rr_error *err)
{
    if (!zone || !*zone) zone = "UTC";
    if (!zone_known(zone))
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "report.timezone",
                            "\"%.100s\": not a time zone of this system (an IANA name such as Asia/Tokyo, "
                            "America/New_York or UTC; see /usr/share/zoneinfo, package tzdata)", zone);
    if (month || quarter) return parse_in(month, quarter, relative, fy_start, now, -1, out, err);
    struct tm in_zone, in_utc, on_server;
    wall_clock(now, zone, &in_zone);
    gmtime_r(&now, &in_utc);
    wall_clock(now, NULL, &on_server);
    int cur = tm_month(&in_zone);
    /* the 1st has begun in UTC or on the server's clock but not yet in the
     * configured zone: the job was scheduled for a zone ahead of this one, and
     * "last month" would name the month before the one meant */
    const struct tm *ahead = tm_month(&in_utc) > cur ? &in_utc : tm_month(&on_server) > cur ? &on_server : NULL;
    if (ahead) {
        char zt[32], at[32];
        strftime(zt, sizeof zt, "%Y-%m-%d %H:%M", &in_zone);
        strftime(at, sizeof at, "%Y-%m-%d %H:%M", ahead);
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "report.timezone",
                            "--period %s is ambiguous now: it is %s in %s (report.timezone) but already %s %s; "
                            "nothing was done.  Set report.timezone to the zone the schedule is written in "
                            "(e.g. the server's), run after midnight in %s, or name the period (--month, --quarter)",
                            relative ? relative : "last-month", zt, zone, at,
                            ahead == &in_utc ? "in UTC" : "on this server's clock", zone);
    }
    return parse_in(month, quarter, relative, fy_start, now, cur, out, err);
}

static rr_status parse_in(const char *month, const char *quarter, const char *relative, int fy_start,
                         time_t now, int cur_month, rr_period *out, rr_error *err)
{
    int given = (month != NULL) + (quarter != NULL) + (relative != NULL);
    if (fy_start < 1 || fy_start > 12)
        return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL, "--fiscal-year-start must be a month 1-12");
    if (given > 1)
        return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL,
                            "give one of --month, --quarter or --period, not several");
    if (month) {
        int m;
        if (rr_month_parse(month, strlen(month), &m) != RR_OK || strlen(month) != 7)
            return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL, "--month '%s': expected YYYY-MM", month);
        rr_period_month(m, fy_start, out);
        return RR_OK;
    }
    if (quarter) {
        int fy = 0, q = 0;
        char extra;
        if (sscanf(quarter, "%4dQ%1d%c", &fy, &q, &extra) != 2 && sscanf(quarter, "%4dq%1d%c", &fy, &q, &extra) != 2)
            return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL, "--quarter '%s': expected YYYYQn, e.g. 2026Q3",
                                quarter);
        if (q < 1 || q > 4 || fy < 1900 || fy > 2200)
            return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL, "--quarter '%s': quarter must be 1-4", quarter);
        rr_period_quarter(fy, q, fy_start, out);
        return RR_OK;
    }
    const char *rel = relative ? relative : "last-month";
    rr_date today = (rr_date)(now / RR_DAY);
    int cur = cur_month >= 0 ? cur_month : rr_date_month(today);
    if (strcmp(rel, "last-month") == 0) { rr_period_month(cur - 1, fy_start, out); return RR_OK; }
    if (strcmp(rel, "this-month") == 0) { rr_period_month(cur, fy_start, out); return RR_OK; }
    if (strcmp(rel, "last-quarter") == 0 || strcmp(rel, "this-quarter") == 0) {
        rr_period m, q;
        rr_period_month(cur, fy_start, &m);
        rr_period_quarter(m.fiscal_year, m.quarter, fy_start, &q);
        if (strcmp(rel, "last-quarter") == 0) rr_period_prev(&q, out);
        else *out = q;
        return RR_OK;
    }
    return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL,
                        "--period '%s': expected last-month, last-quarter, this-month or this-quarter", rel);
}
