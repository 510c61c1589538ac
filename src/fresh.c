/* fresh.c: the freshness gate (see fresh.h).
 *
 *   rr_fresh_check(data, &period, now, 7, &f);
 *   if (f.nstale) st = rr_fresh_error(&f, period.label, &err);
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/fresh.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

static void seen(rr_date *last, rr_date d, rr_date today)
{
    if (d > today) return;                  /* an expected date, not activity */
    if (d > *last) *last = d;
}

static void seen_time(rr_date *last, rr_time t, rr_date today)
{
    if (t != RR_NO_TIME) seen(last, rr_time_date(t), today);
}

void rr_fresh_check(const rr_data *d, const rr_period *p, time_t now, int max_age_days, rr_fresh *out)
{
    memset(out, 0, sizeof *out);
    rr_date today = (rr_date)(now / RR_DAY);
    rr_date end = rr_month_first_day(p->last + 1) - 1;
    out->end = end < today ? end : today;
    out->max_age_days = max_age_days;
    static const int tables[] = {RR_IN_OPPS, RR_IN_LEADS, RR_IN_TOUCH, RR_IN_SPEND};
    for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
        int t = tables[k];
        if (!d->files[t].present) continue;
        rr_date last = RR_FRESH_NONE;
        switch (t) {
        case RR_IN_OPPS:
            for (size_t i = 0; i < d->nopps; i++) {
                seen(&last, d->opps[i].created, today);
                if (d->opps[i].is_closed) seen(&last, d->opps[i].close, today);
            }
            break;
        case RR_IN_LEADS:
            for (size_t i = 0; i < d->nleads; i++) {
                const rr_lead *l = &d->leads[i];
                seen_time(&last, l->created, today);
                seen_time(&last, l->mql, today);
                seen_time(&last, l->sal, today);
                seen_time(&last, l->sql, today);
                seen_time(&last, l->first_contact, today);
            }
            break;
        case RR_IN_TOUCH:
            for (size_t i = 0; i < d->ntouch; i++) seen_time(&last, d->touch[i].ts, today);
            break;
        default:   /* spend is kept by month: a month with spend reaches its last day */
            for (size_t i = 0; i < d->nspend; i++)
                seen(&last, rr_month_first_day(d->spend[i].month + 1) - 1, today);
            break;
        }
        rr_fresh_item *it = &out->items[out->n++];
        it->file = d->files[t].name;
        it->last = last;
        it->stale = last == RR_FRESH_NONE || last < out->end - max_age_days;
        out->nstale += (size_t)it->stale;
    }
}

static void last_str(const rr_fresh_item *it, char *buf, size_t cap, const char *none)
{
    if (it->last == RR_FRESH_NONE) snprintf(buf, cap, "%s", none);
    else rr_date_str(it->last, buf, cap);
}

rr_status rr_fresh_error(const rr_fresh *f, const char *period_label, rr_error *err)
{
    if (!f->nstale) return RR_OK;
    rr_strbuf b = {0};
    char end[16], last[32];
    rr_date_str(f->end, end, sizeof end);
    for (size_t i = 0; i < f->n; i++) {
        if (!f->items[i].stale) continue;
        last_str(&f->items[i], last, sizeof last, "no dated row");
        rr_strbuf_printf(&b, "%s%s (latest activity %s)", b.len ? ", " : "", f->items[i].file, last);
    }
    rr_status st = rr_error_set(err, RR_ERR_STALE, NULL, 0, 0, NULL,
                                "the inputs do not cover %s, which runs to %s: %s; nothing was written or sent "
                                "(refresh the exports; or report.allow_stale = true / --allow-stale sends it "
                                "anyway with a warning on page 1; report.max_data_age_days = %d sets the tolerance)",
                                period_label, end, b.data, f->max_age_days);
    rr_strbuf_free(&b);
    return st;
}

char *rr_fresh_banner(const rr_fresh *f, const rr_i18n *cat)
{
    if (!f->nstale) return NULL;
    rr_strbuf files = {0};
    char end[16], last[32];
    rr_date_str(f->end, end, sizeof end);
    for (size_t i = 0; i < f->n; i++) {
        if (!f->items[i].stale) continue;
        last_str(&f->items[i], last, sizeof last, rr_tr(cat, "fresh.no_rows"));
        char *one = rr_i18n_subst(rr_tr(cat, "fresh.file"), "file", f->items[i].file, "date", last, (const char *)NULL);
        rr_strbuf_printf(&files, "%s%s", files.len ? rr_tr(cat, "fresh.sep") : "", one);
        free(one);
    }
    char *s = rr_i18n_subst(rr_tr(cat, "fresh.banner"), "files", files.data, "end", end, (const char *)NULL);
    rr_strbuf_free(&files);
    return s;
}
