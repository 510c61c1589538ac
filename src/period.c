/* period.c: report periods, fiscal quarters and relative periods. */
#include <stdio.h>
#include <string.h>
#include "revreport/date.h"
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

rr_status rr_period_parse(const char *month, const char *quarter, const char *relative, int fy_start,
                          time_t now, rr_period *out, rr_error *err)
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
    int cur = rr_date_month(today);
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
