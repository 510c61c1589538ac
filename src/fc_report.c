/* fc_report.c: the funnel + pipeline section and the forecast-vs-actuals
 * section (see fc_report.h).
 *
 *   rr_fcr_section_funnel(&ctx, doc);
 *   rr_fcr_section_forecast(&ctx, doc);
 *
 * The computations (rr_fcr_funnel_compute, rr_fcr_pipeline, ...) read
 * rr_data directly: the forecast needs the whole history of won revenue and
 * the cohorts need every lead, not only the 13-month metrics window.  Every
 * number the sections show is added to c->figs first and formatted from the
 * same double, so report.xml, HTML and PDF agree. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/fc_report.h"
#include "revreport/forecast.h"
#include "revreport/xalloc.h"

#define T(key) rr_tr(c->cat, key)
#define NM 64
#define DASH "\xe2\x80\x94"

/* ---- small helpers ---- */

static double ratio(double a, double b) { return b != 0 ? a / b : NAN; }

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Put the k-th smallest of v[0..n) at v[k], smaller ones before it and
 * larger ones after (introselect: quickselect with a median-of-three pivot
 * and a three-way partition, linear on average; it sorts the rest when the
 * partitions keep coming out lopsided). */
static void select_k(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    int budget = 2 * (64 - __builtin_clzll((unsigned long long)n | 1));
    while (hi - lo > 16) {
        if (budget-- == 0) { qsort(v + lo, hi - lo, sizeof *v, dcmp); return; }
        double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1];
        double p = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t lt = lo, i = lo, gt = hi;   /* [lo,lt) < p, [lt,gt) == p, [gt,hi) > p */
        while (i < gt) {
            double x = v[i];
            if (x < p) { v[i++] = v[lt]; v[lt++] = x; }
            else if (x > p) { v[i] = v[--gt]; v[gt] = x; }
            else i++;
        }
        if (k < lt) hi = lt;
        else if (k >= gt) lo = gt;
        else return;
    }
    for (size_t i = lo + 1; i < hi; i++) {
        double x = v[i];
        size_t j = i;
        while (j > lo && v[j - 1] > x) { v[j] = v[j - 1]; j--; }
        v[j] = x;
    }
}

/* median of v[0..n-1] (reorders v); NAN when n == 0.  Linear: the funnel
 * takes the medians of every deal and cycle of each period and channel */
double rr_fcr_median(double *v, size_t n)
{
    if (!n) return NAN;
    size_t k = n / 2;
    select_k(v, n, k);
    if (n % 2) return v[k];
    double below = v[0];
    for (size_t i = 1; i < k; i++)
        if (v[i] > below) below = v[i];
    return (below + v[k]) / 2;
}

static rr_date month_end(int month) { return rr_month_first_day(month + 1) - 1; }
static int in_months(int mo, int first, int last) { return mo >= first && mo <= last; }
static int time_month(rr_time t) { return rr_date_month(rr_time_date(t)); }
static rr_money to_money(double v) { return (rr_money)llround(v * RR_MONEY_SCALE); }

void rr_fcr_opts_from_config(const rr_config *cfg, rr_fcr_opts *o)
{
    o->sla_hours = rr_config_double(cfg, "funnel.sla_hours", 24.0);
    /* no default: a lifetime value at a 100% margin overstates it; unset = none shown */
    o->gross_margin = rr_config_double(cfg, "funnel.gross_margin", NAN);
    o->monthly_churn = rr_config_double(cfg, "funnel.monthly_churn", NAN);
    /* a value outside its range is an error (rr_config_check, exit 5), never a silent clamp */
    long h = rr_config_int(cfg, "forecast.horizon", 3);
    o->horizon = 3;
    if (h >= 1 && h <= RR_FCR_MAX_HORIZON) o->horizon = (int)h;
    else rr_config_bad_value(cfg, "forecast.horizon", "expected a whole number of months from 1 to %d, got \"%.80s\"",
                             RR_FCR_MAX_HORIZON, rr_config_str(cfg, "forecast.horizon", ""));
    const char *w = rr_config_str(cfg, "forecast.weighting", "crm");
    o->stage_weighting = w && strcmp(w, "stage_win_rate") == 0;
    if (w && !o->stage_weighting && strcmp(w, "crm") != 0)
        rr_config_bad_value(cfg, "forecast.weighting", "expected crm or stage_win_rate, got \"%.80s\"", w);
    o->index = NULL;
}

rr_status rr_fcr_config_check(const rr_config *cfg, rr_error *err)
{
    rr_fcr_opts o;
    rr_fcr_opts_from_config(cfg, &o);
    return rr_config_check(cfg, err);
}

/* opportunity index by interned opportunity id (-1 = none); caller frees */
static int32_t *opp_index(const rr_data *d)
{
    int32_t *ix = rr_xmalloc((d->opp_ids.n + 1) * sizeof *ix);
    for (size_t i = 0; i <= d->opp_ids.n; i++) ix[i] = -1;
    for (size_t i = 0; i < d->nopps; i++)
        if (d->opps[i].id >= 0 && ix[d->opps[i].id] < 0) ix[d->opps[i].id] = (int32_t)i;
    return ix;
}

void rr_fcr_opp_channels(const rr_data *d, int32_t *map)
{
    int32_t *ix = opp_index(d);
    for (size_t i = 0; i < d->nopps; i++) map[i] = -1;
    for (size_t i = 0; i < d->nleads; i++) {
        const rr_lead *l = &d->leads[i];
        if (l->opp_key < 0 || (size_t)l->opp_key >= d->opp_ids.n) continue;
        int32_t o = ix[l->opp_key];
        if (o >= 0 && map[o] < 0) map[o] = l->channel;
    }
    for (size_t i = 0; i < d->nopps; i++) {
        if (map[i] >= 0) continue;
        const rr_opp *op = &d->opps[i];
        if (op->campaign >= 0 && (size_t)op->campaign < d->ncampaign_meta && d->campaign_channel[op->campaign] >= 0) {
            map[i] = d->campaign_channel[op->campaign];
            continue;
        }
        if (op->lead_source >= 0) {
            const char *s = rr_dict_name(&d->sources, op->lead_source);
            map[i] = rr_dict_find(&d->channels, s, strlen(s));
        }
    }
    free(ix);
}

struct rr_fcr_index {
    int32_t *och, *ix;       /* opportunity -> channel; interned opportunity id -> opportunity */
    unsigned char *from_lead; /* opportunity -> 1 when a lead names it */
    int32_t *lead_month;     /* 4 per lead: created, MQL, SAL, SQL month (NO_MONTH when unset) */
};
#define NO_MONTH INT32_MIN
/* the channel table's MQL -> won cohort: the MQLs of the 3 months ending this
 * many months before the report's last month (in the sample, 90% of won
 * leads closed within 122 days of becoming MQL) */
#define RR_FCR_COHORT_LAG 6

rr_fcr_index *rr_fcr_index_new(const rr_data *d)
{
    rr_fcr_index *x = rr_xcalloc(1, sizeof *x);
    x->och = rr_xmalloc((d->nopps + 1) * sizeof *x->och);
    rr_fcr_opp_channels(d, x->och);
    x->ix = opp_index(d);
    x->from_lead = rr_xcalloc(d->nopps + 1, 1);
    for (size_t i = 0; i < d->nleads; i++) {
        int32_t k = d->leads[i].opp_key;
        if (k >= 0 && (size_t)k < d->opp_ids.n && x->ix[k] >= 0) x->from_lead[x->ix[k]] = 1;
    }
    x->lead_month = rr_xmalloc((4 * d->nleads + 1) * sizeof *x->lead_month);
    for (size_t i = 0; i < d->nleads; i++) {
        const rr_lead *l = &d->leads[i];
        const rr_time t[4] = {l->created, l->mql, l->sal, l->sql};
        for (int k = 0; k < 4; k++) x->lead_month[4 * i + k] = t[k] == RR_NO_TIME ? NO_MONTH : time_month(t[k]);
    }
    return x;
}

void rr_fcr_index_free(rr_fcr_index *x)
{
    if (!x) return;
    free(x->och);
    free(x->ix);
    free(x->from_lead);
    free(x->lead_month);
    free(x);
}

/* scratch for the medians: one value per lead / per opportunity looked at */
typedef struct { double *ms, *so, *ow, *sla, *deal, *cyc; } funnel_scratch;

static void scratch_new(funnel_scratch *sc, size_t nl, size_t no)
{
    nl++; no++;
    sc->ms = rr_xmalloc(nl * sizeof *sc->ms); sc->so = rr_xmalloc(nl * sizeof *sc->so);
    sc->ow = rr_xmalloc(nl * sizeof *sc->ow); sc->sla = rr_xmalloc(nl * sizeof *sc->sla);
    sc->deal = rr_xmalloc(no * sizeof *sc->deal); sc->cyc = rr_xmalloc(no * sizeof *sc->cyc);
}

static void scratch_free(funnel_scratch *sc)
{
    free(sc->ms); free(sc->so); free(sc->ow); free(sc->sla); free(sc->deal); free(sc->cyc);
}

/* The funnel of one channel (channel < 0: all) over the leads lrow[0..nl)
 * and the opportunities orow[0..no) (row indexes in file order), or over all
 * leads and opportunities when lrow / orow is NULL (nl / no are then the
 * row counts).  Rows of another channel are skipped; out->spend is the
 * caller's, every other field is set here. */
static void funnel_rows(const rr_data *d, const rr_fcr_index *fx, int first, int last, int32_t channel,
                        rr_date asof, const rr_fcr_opts *o, const uint32_t *lrow, size_t nlr,
                        const uint32_t *orow, size_t nor, const funnel_scratch *sc, rr_fcr_funnel *out)
{
    const int32_t *och = fx->och, *ix = fx->ix;
    double *ms = sc->ms, *so = sc->so, *ow = sc->ow, *sla = sc->sla, *deal = sc->deal, *cyc = sc->cyc;
    size_t nms = 0, nso = 0, now = 0, nsla = 0, ndeal = 0;
    rr_time asof_end = rr_date_time(asof + 1);   /* exclusive */
    double cyc_sum = 0;

    for (size_t k = 0; k < nlr; k++) {
        size_t i = lrow ? lrow[k] : k;
        const rr_lead *l = &d->leads[i];
        if (channel >= 0 && l->channel != channel) continue;
        const int32_t *lm = fx->lead_month + 4 * i;   /* created, MQL, SAL, SQL; NO_MONTH when unset */
        if (in_months(lm[0], first, last)) out->leads++;
        if (in_months(lm[2], first, last)) out->sals++;
        if (in_months(lm[3], first, last)) out->sqls++;
        if (!in_months(lm[1], first, last)) continue;
        out->mqls++;
        /* SLA: first contact after (or before) the MQL time */
        out->sla_mqls++;
        if (l->first_contact != RR_NO_TIME) {
            double h = (double)(l->first_contact - l->mql) / 3600.0;
            if (h < 0) h = 0;
            sla[nsla++] = h;
            if (h <= o->sla_hours) out->sla_met++;
        }
        /* cohort */
        out->cohort_mqls++;
        int reached_sql = l->sql != RR_NO_TIME && l->sql < asof_end;
        if (reached_sql) {
            out->cohort_sqls++;
            ms[nms++] = (double)(l->sql - l->mql) / RR_DAY;
        }
        int32_t oi = l->opp_key >= 0 && (size_t)l->opp_key < d->opp_ids.n ? ix[l->opp_key] : -1;
        if (oi < 0) continue;
        const rr_opp *op = &d->opps[oi];
        if (op->created > asof) continue;
        out->cohort_opps++;
        if (reached_sql) so[nso++] = (double)(op->created - rr_time_date(l->sql));
        if (op->is_won && op->close <= asof) {
            out->cohort_won++;
            ow[now++] = (double)(op->close - op->created);
        }
    }
    for (size_t k = 0; k < nor; k++) {
        size_t i = orow ? orow[k] : k;
        const rr_opp *op = &d->opps[i];
        if (channel >= 0 && och[i] != channel) continue;
        if (in_months(rr_date_month(op->created), first, last)) {
            out->opps++;
            out->opps_from_leads += fx->from_lead[i];
            out->pipeline_created += op->amount;
        }
        if (!op->is_closed || !in_months(rr_date_month(op->close), first, last)) continue;
        if (!op->is_won) { out->lost++; continue; }
        out->won++;
        out->won_from_leads += fx->from_lead[i];
        out->won_amount += op->amount;
        deal[ndeal] = rr_money_to_double(op->amount);
        cyc[ndeal] = (double)(op->close - op->created);
        cyc_sum += cyc[ndeal];
        ndeal++;
        if (op->type == RR_OPP_NEW) { out->new_customers++; out->new_amount += op->amount; }
        else if (op->type == RR_OPP_EXPANSION) out->expansion_amount += op->amount;
    }

    out->sql_per_mql = ratio((double)out->sqls, (double)out->mqls);
    out->opp_per_sql = ratio((double)out->opps_from_leads, (double)out->sqls);
    out->win_rate = ratio((double)out->won, (double)(out->won + out->lost));
    out->cohort_sql_rate = ratio((double)out->cohort_sqls, (double)out->cohort_mqls);
    out->cohort_opp_rate = ratio((double)out->cohort_opps, (double)out->cohort_mqls);
    out->cohort_won_rate = ratio((double)out->cohort_won, (double)out->cohort_mqls);
    out->med_days_mql_sql = rr_fcr_median(ms, nms);
    out->med_days_sql_opp = rr_fcr_median(so, nso);
    out->med_days_opp_won = rr_fcr_median(ow, now);
    out->sla_share = ratio((double)out->sla_met, (double)out->sla_mqls);
    out->sla_median_hours = rr_fcr_median(sla, nsla);
    out->avg_deal = ratio(rr_money_to_double(out->won_amount), (double)out->won);
    out->median_deal = rr_fcr_median(deal, ndeal);
    out->cycle_median_days = rr_fcr_median(cyc, ndeal);
    out->cycle_avg_days = ratio(cyc_sum, (double)ndeal);
    out->cac = ratio(rr_money_to_double(out->spend), (double)out->new_customers);
    if (!out->spend) out->cac = NAN;
    out->revenue_per_new_customer = ratio(rr_money_to_double(out->new_amount), (double)out->new_customers);
    out->expansion_share = ratio(rr_money_to_double(out->expansion_amount), rr_money_to_double(out->won_amount));
}

void rr_fcr_funnel_compute(const rr_data *d, int first, int last, int32_t channel, rr_date asof,
                           const rr_fcr_opts *o, rr_fcr_funnel *out)
{
    memset(out, 0, sizeof *out);
    rr_fcr_index *own = o->index ? NULL : rr_fcr_index_new(d);
    const rr_fcr_index *fx = o->index ? o->index : own;
    for (size_t i = 0; i < d->nspend; i++)
        if (in_months(d->spend[i].month, first, last) && (channel < 0 || d->spend[i].channel == channel))
            out->spend += d->spend[i].amount;
    funnel_scratch sc;
    scratch_new(&sc, d->nleads, d->nopps);
    funnel_rows(d, fx, first, last, channel, asof, o, NULL, d->nleads, NULL, d->nopps, &sc, out);
    scratch_free(&sc);
    rr_fcr_index_free(own);
}

/* the channel of lead i, or with och, of opportunity i */
static int32_t row_channel(const rr_data *d, const int32_t *och, size_t i)
{
    return och ? och[i] : d->leads[i].channel;
}

/* rows of each channel 0..nch-1 in file order (a counting sort):
 * row[start[c] .. start[c + 1]); rows of the leads, or with och the
 * opportunities; rows of no channel (< 0) are left out */
static void bucket(const rr_data *d, const int32_t *och, size_t n, size_t nch, uint32_t **start, uint32_t **row)
{
    uint32_t *st = rr_xcalloc(nch + 2, sizeof *st);
    for (size_t i = 0; i < n; i++) {
        int32_t c = row_channel(d, och, i);
        if (c >= 0 && (size_t)c < nch) st[c + 2]++;
    }
    for (size_t c = 0; c < nch; c++) st[c + 2] += st[c + 1];   /* st[c + 1] = start of c */
    uint32_t *r = rr_xmalloc((st[nch + 1] + 1) * sizeof *r);
    for (size_t i = 0; i < n; i++) {
        int32_t c = row_channel(d, och, i);
        if (c >= 0 && (size_t)c < nch) r[st[c + 1]++] = (uint32_t)i;
    }
    *start = st;   /* now st[c] = start of c, st[c + 1] = its end */
    *row = r;
}

void rr_fcr_funnel_by_channel(const rr_data *d, int first, int last, rr_date asof, const rr_fcr_opts *o,
                              rr_fcr_funnel *out)
{
    size_t nch = d->channels.n;
    if (!nch) return;
    memset(out, 0, nch * sizeof *out);
    rr_fcr_index *own = o->index ? NULL : rr_fcr_index_new(d);
    const rr_fcr_index *fx = o->index ? o->index : own;
    for (size_t i = 0; i < d->nspend; i++) {
        int32_t c = d->spend[i].channel;
        if (in_months(d->spend[i].month, first, last) && c >= 0 && (size_t)c < nch) out[c].spend += d->spend[i].amount;
    }
    uint32_t *lst, *lrow, *ost, *orow;
    bucket(d, NULL, d->nleads, nch, &lst, &lrow);
    bucket(d, fx->och, d->nopps, nch, &ost, &orow);
    size_t ml = 0, mo = 0;
    for (size_t c = 0; c < nch; c++) {
        if (lst[c + 1] - lst[c] > ml) ml = lst[c + 1] - lst[c];
        if (ost[c + 1] - ost[c] > mo) mo = ost[c + 1] - ost[c];
    }
    funnel_scratch sc;
    scratch_new(&sc, ml, mo);
    for (size_t c = 0; c < nch; c++)
        funnel_rows(d, fx, first, last, (int32_t)c, asof, o, lrow + lst[c], lst[c + 1] - lst[c], orow + ost[c],
                    ost[c + 1] - ost[c], &sc, &out[c]);
    scratch_free(&sc);
    free(lst); free(lrow); free(ost); free(orow);
    rr_fcr_index_free(own);
}

void rr_fcr_pipeline(const rr_data *d, rr_date asof, rr_date from, rr_date to, double win_rate,
                     int stage_weighting, rr_fcr_pipe *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        if (op->created > asof) continue;
        if (op->is_closed && op->is_won && op->close >= from && op->close <= asof) out->closed += op->amount;
        int open_now = !op->is_closed;
        if (!open_now && op->close <= asof) continue;      /* closed by asof */
        if (op->close < from || op->close > to) continue;
        out->n_open++;
        out->open += op->amount;
        /* the export is a snapshot: categories and probabilities are today's;
         * an opportunity closed since asof counts as Pipeline at the win rate */
        rr_fc_cat cat = open_now ? op->fc : RR_FC_PIPELINE;
        if (cat == RR_FC_COMMIT || cat == RR_FC_CLOSED) out->commit += op->amount;
        else if (cat == RR_FC_BEST_CASE) out->best_case += op->amount;
        else if (cat == RR_FC_PIPELINE) out->pipeline += op->amount;
        double p = stage_weighting || !open_now ? win_rate : op->probability / 100.0;
        if (isfinite(p)) out->weighted += rr_money_to_double(op->amount) * p;
    }
}

size_t rr_fcr_won_series(const rr_data *d, int last, int *first, double **out)
{
    int lo = last + 1;
    for (size_t i = 0; i < d->nopps; i++) {
        int b = rr_date_month(d->opps[i].close);
        if (d->opps[i].is_won && b < lo) lo = b;
    }
    *first = lo;
    *out = NULL;
    if (lo > last) return 0;
    size_t n = (size_t)(last - lo + 1);
    rr_money *acc = rr_xcalloc(n, sizeof *acc);
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        int mo = rr_date_month(op->close);
        if (op->is_won && mo >= lo && mo <= last) acc[mo - lo] += op->amount;
    }
    double *y = rr_xmalloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) y[i] = rr_money_to_double(acc[i]);
    free(acc);
    *out = y;
    return n;
}

/* the month's first business day (Monday to Friday; holidays are not known) */
static rr_date first_business_day(int month)
{
    rr_date d = rr_month_first_day(month);
    for (;;) {
        int wd = (int)(((d % 7) + 7 + 3) % 7);   /* 1970-01-01 was a Thursday: 0 = Monday */
        if (wd < 5) return d;
        d++;
    }
}

int rr_fcr_submitted(const rr_data *d, int month, int category, rr_money *amount, int *late)
{
    rr_date start = first_business_day(month);
    int best = -1, best_late = -1;
    for (size_t i = 0; i < d->nforecasts; i++) {
        const rr_forecast *f = &d->forecasts[i];
        if (f->month != month || f->category != category) continue;
        if (f->submitted <= start) {
            if (best < 0 || f->submitted >= d->forecasts[best].submitted) best = (int)i;
        } else if (best_late < 0 || f->submitted < d->forecasts[best_late].submitted) {
            best_late = (int)i;
        }
    }
    *late = 0;
    if (best < 0 && best_late >= 0) { best = best_late; *late = 1; }
    if (best < 0) return 0;
    *amount = d->forecasts[best].amount;
    return 1;
}

double rr_fcr_derived_churn(const rr_data *d, int first, int last)
{
    long won = 0, lost = 0;
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        if (op->type != RR_OPP_RENEWAL || !op->is_closed || !in_months(rr_date_month(op->close), first, last))
            continue;
        if (op->is_won) won++; else lost++;
    }
    if (won + lost == 0) return NAN;
    double annual = (double)lost / (double)(won + lost);
    return 1.0 - pow(1.0 - annual, 1.0 / 12.0);
}

/* ---- periods of the sections ---- */

typedef struct {
    int first, last;       /* months */
    char label[32];        /* figure period: "2026-10", "2026Q4-QTD", "FY2026-YTD" */
    char name[NM];         /* shown: "October 2026", "Q4 FY2026 to date" */
} span;

static void quarter_bounds(const rr_period *p, int *qfirst, int *qlast)
{
    int idx = (p->last - p->fy_first) / 3;
    *qfirst = p->fy_first + 3 * idx;
    *qlast = *qfirst + 2;
}

static void quarter_name(const rr_build_ctx *c, int fy, int q, char *out, size_t cap)
{
    char *s = rr_i18n_fiscal(c->cat, fy, q, c->period->fy_start);
    snprintf(out, cap, "%s", s);
    free(s);
}

/* the report period, quarter to date, year to date (the QTD is left out
 * when it equals the period) */
static size_t spans_of(const rr_build_ctx *c, span *s)
{
    const rr_period *p = c->period;
    size_t n = 0;
    int qf, ql;
    quarter_bounds(p, &qf, &ql);
    char qn[NM];
    quarter_name(c, p->fiscal_year, p->quarter, qn, sizeof qn);
    s[n].first = p->first; s[n].last = p->last;
    snprintf(s[n].label, sizeof s[n].label, "%s", p->label);
    if (p->kind == RR_PERIOD_MONTH) rr_fmt_month(c->fmt, p->first, s[n].name, sizeof s[n].name);
    else snprintf(s[n].name, sizeof s[n].name, "%s", qn);
    n++;
    if (p->kind == RR_PERIOD_MONTH) {
        s[n].first = qf; s[n].last = p->last;
        snprintf(s[n].label, sizeof s[n].label, "%dQ%d-QTD", p->fiscal_year, p->quarter);
        char *t = rr_i18n_subst(T("fc.qtd"), "quarter", qn, NULL);
        snprintf(s[n].name, sizeof s[n].name, "%s", t);
        free(t);
        n++;
    }
    s[n].first = p->fy_first; s[n].last = p->last;
    snprintf(s[n].label, sizeof s[n].label, "FY%d-YTD", p->fiscal_year);
    char *fy = rr_i18n_fiscal(c->cat, p->fiscal_year, 0, p->fy_start);
    char *t = rr_i18n_subst(T("fc.ytd"), "year", fy, NULL);
    snprintf(s[n].name, sizeof s[n].name, "%s", t);
    free(t);
    free(fy);
    n++;
    return n;
}

/* ---- figures: add unless the same metric/period/key is there already ---- */

/* any figure with the metric, period and key (key NULL: one without a key),
 * whatever its dim and model: the store's index, constant time */
static int has_fig(const rr_figs *f, const char *metric, const char *period, const char *key)
{
    return rr_figs_find(f, metric, period, key) != NULL;
}

static void fig_count(rr_figs *f, const char *metric, const char *period, const char *ch, long long v)
{
    if (!has_fig(f, metric, period, ch)) rr_figs_count(f, metric, period, ch ? "channel" : NULL, ch, v);
}

static void fig_money(rr_figs *f, const char *metric, const char *period, const char *ch, rr_money v)
{
    if (!has_fig(f, metric, period, ch)) rr_figs_money(f, metric, period, ch ? "channel" : NULL, ch, v);
}

static void fig_val(rr_figs *f, rr_fig_unit u, const char *metric, const char *period, const char *ch, double v,
                    const char *why)
{
    if (has_fig(f, metric, period, ch)) return;
    if (u == RR_FU_MONEY) {
        if (isfinite(v)) rr_figs_money(f, metric, period, ch ? "channel" : NULL, ch, to_money(v));
        else rr_figs_value(f, RR_FU_NUMBER, metric, period, ch ? "channel" : NULL, ch, NAN, 0, why);
        return;
    }
    rr_figs_value(f, u, metric, period, ch ? "channel" : NULL, ch, v, isfinite(v), why);
}

/* money shown from a double: the figure keeps it rounded to 1/10000 */
static double money_round(double v) { return isfinite(v) ? rr_money_to_double(to_money(v)) : v; }

/* ---- cell formatters ---- */

static void c_pct(const rr_build_ctx *c, double v, char *b) { rr_fmt_pct(c->fmt, v, 1, b, NM); }
static void c_money(const rr_build_ctx *c, double v, char *b)
{
    if (isfinite(v)) rr_fmt_money_d(c->fmt, v, 0, b, NM); else snprintf(b, NM, DASH);
}
static void c_num(const rr_build_ctx *c, double v, int dec, char *b)
{
    if (isfinite(v)) rr_fmt_number(c->fmt, v, dec, b, NM); else snprintf(b, NM, DASH);
}
static void c_count(const rr_build_ctx *c, long v, char *b) { rr_fmt_count(c->fmt, v, b, NM); }

/* ---- the funnel + pipeline section ---- */

static void funnel_figs(const rr_build_ctx *c, const rr_fcr_funnel *f, const char *per, const char *ch)
{
    rr_figs *g = c->figs;
    fig_count(g, "leads", per, ch, f->leads);
    fig_count(g, "mqls", per, ch, f->mqls);
    fig_count(g, "sals", per, ch, f->sals);
    fig_count(g, "sqls", per, ch, f->sqls);
    fig_count(g, "opportunities_created", per, ch, f->opps);
    fig_count(g, "opportunities_from_leads", per, ch, f->opps_from_leads);
    fig_count(g, "won_deals", per, ch, f->won);
    fig_count(g, "won_deals_from_leads", per, ch, f->won_from_leads);
    fig_count(g, "lost_deals", per, ch, f->lost);
    fig_val(g, RR_FU_FRACTION, "sql_per_mql", per, ch, f->sql_per_mql, "no MQL in the period");
    fig_val(g, RR_FU_FRACTION, "opp_per_sql", per, ch, f->opp_per_sql, "no SQL in the period");
    fig_val(g, RR_FU_FRACTION, "win_rate", per, ch, f->win_rate, "no opportunity closed in the period");
    fig_count(g, "cohort_mqls", per, ch, f->cohort_mqls);
    fig_val(g, RR_FU_FRACTION, "cohort_mql_to_sql", per, ch, f->cohort_sql_rate, "no MQL in the cohort");
    fig_val(g, RR_FU_FRACTION, "cohort_mql_to_opp", per, ch, f->cohort_opp_rate, "no MQL in the cohort");
    fig_val(g, RR_FU_FRACTION, "cohort_mql_to_won", per, ch, f->cohort_won_rate, "no MQL in the cohort");
    fig_val(g, RR_FU_DAYS, "median_days_mql_to_sql", per, ch, f->med_days_mql_sql, "no MQL of the cohort reached SQL");
    fig_val(g, RR_FU_DAYS, "median_days_sql_to_opp", per, ch, f->med_days_sql_opp,
            "no SQL of the cohort became an opportunity");
    fig_val(g, RR_FU_DAYS, "median_days_opp_to_won", per, ch, f->med_days_opp_won, "no opportunity of the cohort won");
    fig_val(g, RR_FU_FRACTION, "sla_met_share", per, ch, f->sla_share, "no MQL in the period");
    fig_val(g, RR_FU_NUMBER, "sla_median_hours", per, ch, f->sla_median_hours, "no MQL was contacted");
}

static void deal_figs(const rr_build_ctx *c, const rr_fcr_funnel *f, const char *per)
{
    rr_figs *g = c->figs;
    fig_money(g, "won_revenue", per, NULL, f->won_amount);
    fig_money(g, "pipeline_created", per, NULL, f->pipeline_created);
    fig_val(g, RR_FU_MONEY, "average_deal_size", per, NULL, f->avg_deal, "no deal won in the period");
    fig_val(g, RR_FU_MONEY, "median_deal_size", per, NULL, f->median_deal, "no deal won in the period");
    fig_val(g, RR_FU_DAYS, "sales_cycle_median_days", per, NULL, f->cycle_median_days, "no deal won in the period");
}

/* table: one row per measure, one column per span */
typedef struct { const char *key; int kind; size_t off; } measure;   /* kind: 0 count, 1 pct, 2 days, 3 hours, 4 money */
#define FO(x) offsetof(rr_fcr_funnel, x)

static void cell_of(const rr_build_ctx *c, const rr_fcr_funnel *f, const measure *m, char *b)
{
    const char *p = (const char *)f + m->off;
    switch (m->kind) {
    case 0: c_count(c, *(const long *)p, b); break;
    case 1: c_pct(c, *(const double *)p, b); break;
    case 2: c_num(c, *(const double *)p, 1, b); break;
    case 3: c_num(c, *(const double *)p, 1, b); break;
    default: c_money(c, m->kind == 5 ? rr_money_to_double(*(const rr_money *)p) : money_round(*(const double *)p), b);
    }
}

void rr_fcr_section_funnel(const rr_build_ctx *c, rr_doc *doc)
{
    const rr_data *d = c->data;
    const rr_metrics *m = c->m;
    const rr_period *p = c->period;
    rr_fcr_opts o;
    rr_fcr_opts_from_config(c->cfg, &o);
    rr_fcr_index *fidx = rr_fcr_index_new(d);   /* one index for the ~40 funnels below */
    o.index = fidx;
    int has_leads = d->files[RR_IN_LEADS].present;
    rr_doc_section *s = rr_doc_section_add(doc, "funnel", T(has_leads ? "section.funnel_pipeline" : "section.pipeline"));
    char slah[NM];
    rr_fmt_number(c->fmt, o.sla_hours, 0, slah, sizeof slah);
    {
        char *t = rr_i18n_subst(T("fcf.intro"), "sla", slah, NULL);
        rr_doc_para(s, t);
        free(t);
    }
    span sp[3];
    size_t nsp = spans_of(c, sp);
    rr_fcr_funnel f[3];
    for (size_t i = 0; i < nsp; i++) {
        rr_fcr_funnel_compute(d, sp[i].first, sp[i].last, -1, month_end(p->last), &o, &f[i]);
        if (has_leads) funnel_figs(c, &f[i], sp[i].label, NULL);
        deal_figs(c, &f[i], sp[i].label);
    }

    /* funnel chart: the stages of the period */
    if (has_leads) {
        /* the lead funnel, like with like: the opportunities and wins that a
         * lead names (expansions and renewals have no lead, no SQL) */
        const char *stages[] = {T("col.leads"), T("col.mqls"), T("col.sals"), T("col.sqls"), T("fcf.opps_from_leads"),
                                T("fcf.won_from_leads")};
        double v[] = {(double)f[0].leads, (double)f[0].mqls, (double)f[0].sals, (double)f[0].sqls,
                      (double)f[0].opps_from_leads, (double)f[0].won_from_leads};
        char *title = rr_i18n_subst(T("chart.funnel_stages"), "period", sp[0].name, NULL);
        rr_chart *ch = rr_chart_new(RR_CHART_FUNNEL, title);
        free(title);
        rr_chart_set_categories(ch, 6, stages);
        rr_chart_add_series(ch, T("series.count"), RR_SERIES_BAR, v, 6);
        rr_chart_set_unit(ch, RR_UNIT_NUMBER, NULL);
        rr_doc_chart(s, ch, T("caption.funnel_stages"));
    }

    /* period / QTD / YTD table */
    static const measure funnel_rows[] = {
        {"col.leads", 0, FO(leads)}, {"col.mqls", 0, FO(mqls)}, {"col.sals", 0, FO(sals)}, {"col.sqls", 0, FO(sqls)},
        {"col.opps_created", 0, FO(opps)}, {"fcf.opps_from_leads", 0, FO(opps_from_leads)},
        {"col.won_deals", 0, FO(won)}, {"fcf.won_from_leads", 0, FO(won_from_leads)},
        {"fcf.sql_per_mql", 1, FO(sql_per_mql)}, {"fcf.opp_per_sql", 1, FO(opp_per_sql)},
        {"fcf.cohort_mqls", 0, FO(cohort_mqls)}, {"fcf.cohort_sql", 1, FO(cohort_sql_rate)},
        {"fcf.cohort_opp", 1, FO(cohort_opp_rate)}, {"fcf.cohort_won", 1, FO(cohort_won_rate)},
        {"fcf.days_mql_sql", 2, FO(med_days_mql_sql)}, {"fcf.days_sql_opp", 2, FO(med_days_sql_opp)},
        {"fcf.days_opp_won", 2, FO(med_days_opp_won)}, {"fcf.sla_share", 1, FO(sla_share)},
        {"fcf.sla_median", 3, FO(sla_median_hours)}};
    static const measure deal_rows[] = {
        {"fcf.won_revenue", 5, FO(won_amount)}, {"col.win_rate", 1, FO(win_rate)},
        {"fcf.avg_deal", 4, FO(avg_deal)}, {"fcf.median_deal", 4, FO(median_deal)},
        {"fcf.cycle", 2, FO(cycle_median_days)}, {"fcf.pipeline_created", 5, FO(pipeline_created)}};
    const char *hdr[4] = {T("fcf.measure"), sp[0].name, sp[1].name, nsp > 2 ? sp[2].name : ""};
    for (int part = has_leads ? 0 : 1; part < 2; part++) {
        const measure *rows = part ? deal_rows : funnel_rows;
        size_t nr = part ? sizeof deal_rows / sizeof *deal_rows : sizeof funnel_rows / sizeof *funnel_rows;
        rr_table *t = rr_doc_table(s, T(part ? "table.deals_periods" : "table.funnel_periods"), nsp + 1, hdr, NULL);
        for (size_t r = 0; r < nr; r++) {
            char cells[3][NM];
            const char *row[4];
            char *lbl = rr_i18n_subst(T(rows[r].key), "sla", slah, NULL);
            row[0] = lbl;
            for (size_t i = 0; i < nsp; i++) { cell_of(c, &f[i], &rows[r], cells[i]); row[i + 1] = cells[i]; }
            rr_table_row(t, RR_ROW_NORMAL, row);
            free(lbl);
        }
    }

    /* by channel, for the period.  Opportunities and wins without a channel
     * (no lead, no campaign, a lead source that is no channel: in practice
     * expansions and renewals) get a row of their own and a total row
     * reconciles with the period's figures.  The MQL -> won cohort is a
     * matured one: the MQLs of the 3 months ending RR_FCR_COHORT_LAG months
     * before the report month (MQLs of the report month cannot have won yet) */
    if (has_leads && d->channels.n) {
        int cf = p->last - RR_FCR_COHORT_LAG - 2, cl = p->last - RR_FCR_COHORT_LAG;
        char cfn[NM], cln[NM], cfs[NM], cls[NM];
        rr_fmt_month(c->fmt, cf, cfn, sizeof cfn);
        rr_fmt_month(c->fmt, cl, cln, sizeof cln);
        rr_fmt_month_short(c->fmt, cf, cfs, sizeof cfs);
        rr_fmt_month_short(c->fmt, cl, cls, sizeof cls);
        char *hc = rr_i18n_subst(T("fcf.cohort_matured_short"), "from", cfs, "to", cls, NULL);
        char *note = rr_i18n_subst(T("fcf.channel_note"), "from", cfn, "to", cln, NULL);
        rr_doc_para(s, note);
        free(note);
        const char *h[] = {T("col.channel"), T("col.mqls"), T("col.sqls"), T("col.opps_created"), T("col.won_deals"),
                           T("col.win_rate"), hc, T("fcf.sla_short")};
        rr_table *t = rr_doc_table(s, T("table.funnel_by_channel"), 8, h, NULL);
        free(hc);
        /* every channel's funnel from one pass over the rows bucketed by channel */
        rr_fcr_funnel *xs = rr_xmalloc(d->channels.n * sizeof *xs), *xm = rr_xmalloc(d->channels.n * sizeof *xm);
        rr_fcr_funnel_by_channel(d, sp[0].first, sp[0].last, month_end(p->last), &o, xs);
        rr_fcr_funnel_by_channel(d, cf, cl, month_end(p->last), &o, xm);
        rr_fcr_funnel all_m;
        rr_fcr_funnel_compute(d, cf, cl, -1, month_end(p->last), &o, &all_m);
        long rest[4] = {f[0].mqls, f[0].sqls, f[0].opps, f[0].won}, rest_lost = f[0].lost;
        for (size_t ch = 0; ch < d->channels.n; ch++) {
            const rr_fcr_funnel x = xs[ch];
            rest[0] -= x.mqls; rest[1] -= x.sqls; rest[2] -= x.opps; rest[3] -= x.won; rest_lost -= x.lost;
            if (!x.mqls && !x.sqls && !x.opps && !x.won && !x.lost) continue;
            const char *name = rr_dict_name(&d->channels, (int32_t)ch);
            funnel_figs(c, &x, sp[0].label, name);
            fig_count(c->figs, "matured_cohort_mqls", sp[0].label, name, xm[ch].cohort_mqls);
            fig_val(c->figs, RR_FU_FRACTION, "matured_cohort_mql_to_won", sp[0].label, name, xm[ch].cohort_won_rate,
                    "no MQL in the cohort");
            char a[NM], b[NM], cc[NM], e[NM], g[NM], hh[NM], ii[NM];
            c_count(c, x.mqls, a); c_count(c, x.sqls, b); c_count(c, x.opps, cc); c_count(c, x.won, e);
            c_pct(c, x.win_rate, g); c_pct(c, xm[ch].cohort_won_rate, hh); c_pct(c, x.sla_share, ii);
            const char *row[] = {name, a, b, cc, e, g, hh, ii};
            rr_table_row(t, RR_ROW_NORMAL, row);
        }
        fig_count(c->figs, "matured_cohort_mqls", sp[0].label, NULL, all_m.cohort_mqls);
        fig_val(c->figs, RR_FU_FRACTION, "matured_cohort_mql_to_won", sp[0].label, NULL, all_m.cohort_won_rate,
                "no MQL in the cohort");
        char a[NM], b[NM], cc[NM], e[NM], g[NM], hh[NM], ii[NM];
        if (rest[0] || rest[1] || rest[2] || rest[3] || rest_lost) {
            fig_count(c->figs, "opportunities_created_no_channel", sp[0].label, NULL, rest[2]);
            fig_count(c->figs, "won_deals_no_channel", sp[0].label, NULL, rest[3]);
            c_count(c, rest[0], a); c_count(c, rest[1], b); c_count(c, rest[2], cc); c_count(c, rest[3], e);
            c_pct(c, ratio((double)rest[3], (double)(rest[3] + rest_lost)), g);
            const char *row[] = {T("fcf.no_channel"), a, b, cc, e, g, DASH, DASH};
            rr_table_row(t, RR_ROW_MUTED, row);
        }
        c_count(c, f[0].mqls, a); c_count(c, f[0].sqls, b); c_count(c, f[0].opps, cc); c_count(c, f[0].won, e);
        c_pct(c, f[0].win_rate, g); c_pct(c, all_m.cohort_won_rate, hh); c_pct(c, f[0].sla_share, ii);
        const char *row[] = {T("col.total"), a, b, cc, e, g, hh, ii};
        rr_table_row(t, RR_ROW_TOTAL, row);
        free(xs);
        free(xm);
    }

    /* monthly funnel over the window (kept from the first version of the report) */
    if (has_leads) {
        const char *hdr2[] = {T("col.month"), T("col.leads"), T("col.mqls"), T("col.sals"), T("col.sqls"),
                              T("col.opps_created"), T("col.won_deals"), T("col.sql_per_mql"), T("fcf.cohort_won_short")};
        rr_table *t = rr_doc_table(s, T("table.funnel_by_month"), 9, hdr2, NULL);
        for (size_t i = 0; i < m->nmonths; i++) {
            int mo = m->window_first + (int)i;
            rr_fcr_funnel x;
            rr_fcr_funnel_compute(d, mo, mo, -1, month_end(p->last), &o, &x);
            char per[16];
            rr_month_str(mo, per, sizeof per);
            fig_count(c->figs, "cohort_mqls", per, NULL, x.cohort_mqls);
            fig_val(c->figs, RR_FU_FRACTION, "cohort_mql_to_won", per, NULL, x.cohort_won_rate, "no MQL in the cohort");
            fig_val(c->figs, RR_FU_FRACTION, "sql_per_mql", per, NULL, x.sql_per_mql, "no MQL in the month");
            char mn[NM], a[NM], b[NM], cc[NM], dd[NM], e[NM], g[NM], h[NM], k[NM];
            rr_fmt_month(c->fmt, mo, mn, sizeof mn);
            c_count(c, x.leads, a); c_count(c, x.mqls, b); c_count(c, x.sals, cc); c_count(c, x.sqls, dd);
            c_count(c, x.opps, e); c_count(c, x.won, g); c_pct(c, x.sql_per_mql, h); c_pct(c, x.cohort_won_rate, k);
            const char *row[] = {mn, a, b, cc, dd, e, g, h, k};
            rr_table_row(t, mo >= p->first ? RR_ROW_TOTAL : RR_ROW_NORMAL, row);
        }
    }

    /* pipeline health over the trailing 12 months */
    rr_fcr_funnel y;
    rr_fcr_funnel_compute(d, p->last - 11, p->last, -1, month_end(p->last), &o, &y);
    char l12[24];
    rr_month_str(p->last, l12, sizeof l12);   /* figures of the trailing year carry the last month + "t12m" metric */
    rr_date asof = month_end(p->last);
    int qf, ql;
    quarter_bounds(p, &qf, &ql);
    int cf = qf, cl = ql, cfy = p->fiscal_year, cq = p->quarter;
    if (ql == p->last) { cf = ql + 1; cl = ql + 3; cq = p->quarter % 4 + 1; if (cq == 1) cfy++; }
    rr_fcr_pipe all, due;
    rr_fcr_pipeline(d, asof, rr_month_first_day(p->last - 11), INT32_MAX, y.win_rate, o.stage_weighting, &all);
    rr_fcr_pipeline(d, asof, rr_month_first_day(cf), month_end(cl), y.win_rate, o.stage_weighting, &due);
    rr_money qtarget = 0;
    int qhas = 1;
    for (int mo = cf; mo <= cl; mo++) {
        int found = 0;
        for (size_t i = 0; i < d->ntargets; i++)
            if (d->targets[i].month == mo && d->targets[i].has_revenue) { qtarget += d->targets[i].revenue; found = 1; }
        qhas &= found;
    }
    rr_money won_in = 0;
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        if (op->is_won && op->close <= asof && in_months(rr_date_month(op->close), cf, cl)) won_in += op->amount;
    }
    double remaining = rr_money_to_double(qtarget - won_in);
    double coverage = qhas && remaining > 0 ? rr_money_to_double(due.open) / remaining : NAN;
    double required = ratio(1.0, y.win_rate);
    double velocity = ratio((double)all.n_open * y.avg_deal * y.win_rate, y.cycle_avg_days);
    char cqlabel[24], cqname[NM];
    snprintf(cqlabel, sizeof cqlabel, "%dQ%d", cfy, cq);
    quarter_name(c, cfy, cq, cqname, sizeof cqname);
    rr_figs *g = c->figs;
    fig_val(g, RR_FU_FRACTION, "win_rate_t12m", l12, NULL, y.win_rate, "no opportunity closed in 12 months");
    fig_val(g, RR_FU_MONEY, "average_deal_size_t12m", l12, NULL, y.avg_deal, "no deal won in 12 months");
    fig_val(g, RR_FU_DAYS, "sales_cycle_avg_days_t12m", l12, NULL, y.cycle_avg_days, "no deal won in 12 months");
    fig_count(g, "open_opportunities", l12, NULL, all.n_open);
    fig_money(g, "open_pipeline", l12, NULL, all.open);
    fig_val(g, RR_FU_MONEY, "pipeline_velocity_per_day", l12, NULL, velocity, "no deal won in 12 months");
    fig_money(g, "open_pipeline_due", cqlabel, NULL, due.open);
    fig_val(g, RR_FU_MONEY, "remaining_target", cqlabel, NULL, qhas ? remaining : NAN, "no revenue target for the quarter");
    fig_val(g, RR_FU_RATIO, "pipeline_coverage", cqlabel, NULL, coverage,
            qhas ? "target already met" : "no revenue target for the quarter");
    fig_val(g, RR_FU_RATIO, "required_coverage", l12, NULL, required, "win rate is zero or undefined");
    {
        const char *h[] = {T("fcf.measure"), T("fcf.value"), T("fcf.basis")};
        static const rr_align al[] = {RR_ALIGN_LEFT, RR_ALIGN_RIGHT, RR_ALIGN_LEFT};   /* basis is text */
        rr_table *t = rr_doc_table(s, T("table.pipeline_health"), 3, h, al);
        char v[NM];
        const char *row[3];
        char lm[NM];
        rr_fmt_month(c->fmt, p->last, lm, sizeof lm);
        char *b12 = rr_i18n_subst(T("fcf.t12m"), "month", lm, NULL);
        c_pct(c, y.win_rate, v); row[0] = T("col.win_rate"); row[1] = v; row[2] = b12; rr_table_row(t, 0, row);
        c_money(c, money_round(y.avg_deal), v); row[0] = T("fcf.avg_deal"); rr_table_row(t, 0, row);
        c_num(c, y.cycle_avg_days, 1, v); row[0] = T("fcf.cycle_avg"); rr_table_row(t, 0, row);
        c_count(c, all.n_open, v); row[0] = T("fcf.open_opps"); row[2] = T("fcf.at_end"); rr_table_row(t, 0, row);
        rr_fmt_money(c->fmt, all.open, 0, v, NM); row[0] = T("fcf.open_pipeline"); rr_table_row(t, 0, row);
        c_money(c, money_round(velocity), v); row[0] = T("fcf.velocity"); row[2] = T("fcf.velocity_basis");
        rr_table_row(t, 0, row);
        rr_fmt_money(c->fmt, due.open, 0, v, NM);
        row[0] = T("fcf.pipeline_due"); row[2] = cqname; rr_table_row(t, 0, row);
        c_money(c, qhas ? remaining : NAN, v); row[0] = T("fcf.remaining_target"); rr_table_row(t, 0, row);
        c_num(c, coverage, 2, v); row[0] = T("fcf.coverage"); rr_table_row(t, 0, row);
        c_num(c, required, 2, v); row[0] = T("fcf.required_coverage"); row[2] = T("fcf.required_basis");
        rr_table_row(t, 0, row);
        free(b12);
    }

    /* unit economics for the period */
    if (d->files[RR_IN_SPEND].present || f[0].new_customers) {
        double churn = o.monthly_churn;
        int churn_cfg = isfinite(churn);
        if (!churn_cfg) churn = rr_fcr_derived_churn(d, p->last - 11, p->last);
        int has_margin = isfinite(o.gross_margin);
        double mrev = has_margin ? f[0].revenue_per_new_customer / 12.0 * o.gross_margin : NAN;
        double clv = churn > 0 ? mrev / churn : NAN;
        double clv_cac = ratio(clv, f[0].cac), payback = ratio(f[0].cac, mrev);
        const char *per = sp[0].label;
        fig_money(g, "spend", per, NULL, f[0].spend);
        fig_count(g, "new_customers", per, NULL, f[0].new_customers);
        fig_val(g, RR_FU_MONEY, "cac", per, NULL, f[0].cac, "no spend or no new customer in the period");
        fig_val(g, RR_FU_MONEY, "revenue_per_new_customer", per, NULL, f[0].revenue_per_new_customer,
                "no new customer in the period");
        fig_val(g, RR_FU_FRACTION, "expansion_share", per, NULL, f[0].expansion_share, "no revenue won in the period");
        fig_val(g, RR_FU_FRACTION, "monthly_churn", l12, NULL, churn, "no churn rate configured and no renewal closed");
        const char *nomargin = "funnel.gross_margin not set";
        fig_val(g, RR_FU_MONEY, "clv", per, NULL, clv, has_margin ? "no churn rate or no new customer" : nomargin);
        fig_val(g, RR_FU_RATIO, "clv_to_cac", per, NULL, clv_cac, has_margin ? "CLV or CAC undefined" : nomargin);
        fig_val(g, RR_FU_NUMBER, "cac_payback_months", per, NULL, payback, has_margin ? "CAC undefined" : nomargin);
        const char *h[] = {T("fcf.measure"), sp[0].name};
        rr_table *t = rr_doc_table(s, T("table.unit_economics"), 2, h, NULL);
        char v[NM];
        const char *row[2] = {NULL, v};
        rr_fmt_money(c->fmt, f[0].spend, 0, v, NM); row[0] = T("fcf.spend"); rr_table_row(t, 0, row);
        c_count(c, f[0].new_customers, v); row[0] = T("fcf.new_customers"); rr_table_row(t, 0, row);
        c_money(c, money_round(f[0].cac), v); row[0] = T("fcf.cac"); rr_table_row(t, 0, row);
        c_money(c, money_round(f[0].revenue_per_new_customer), v); row[0] = T("fcf.arpc"); rr_table_row(t, 0, row);
        c_pct(c, f[0].expansion_share, v); row[0] = T("fcf.expansion_share"); rr_table_row(t, 0, row);
        rr_fmt_pct(c->fmt, churn, 2, v, NM);
        row[0] = T(churn_cfg ? "fcf.churn_configured" : "fcf.churn_derived"); rr_table_row(t, 0, row);
        if (has_margin) {
            c_money(c, money_round(clv), v); row[0] = T("fcf.clv"); rr_table_row(t, 0, row);
            c_num(c, clv_cac, 2, v); row[0] = T("fcf.clv_cac"); rr_table_row(t, 0, row);
            c_num(c, payback, 1, v); row[0] = T("fcf.payback"); rr_table_row(t, 0, row);
        } else {
            /* lifetime value needs a margin: say which setting, not a number at 100% */
            snprintf(v, NM, "%s", T("fcf.set_margin"));
            row[0] = T("fcf.clv"); rr_table_row(t, RR_ROW_MUTED, row);
            row[0] = T("fcf.clv_cac"); rr_table_row(t, RR_ROW_MUTED, row);
            row[0] = T("fcf.payback"); rr_table_row(t, RR_ROW_MUTED, row);
        }
        char mg[NM];
        rr_fmt_pct(c->fmt, o.gross_margin, 0, mg, sizeof mg);
        char *note = rr_i18n_subst(T(has_margin ? "fcf.unit_note" : "fcf.unit_note_no_margin"), "margin", mg, NULL);
        rr_doc_para(s, note);
        free(note);
    }
    rr_fcr_index_free(fidx);
}

/* ---- the forecast section ---- */

typedef struct {
    double *y;             /* won revenue by month, y[0] = month `first` */
    size_t n;
    int first;
    rr_fc_result r;
    int has;               /* r was fitted */
} model;

static void model_fit(const rr_build_ctx *c, int horizon, model *md)
{
    memset(md, 0, sizeof *md);
    md->n = rr_fcr_won_series(c->data, c->period->last, &md->first, &md->y);
    /* at least 3 months: the rest of the quarter needs up to 2 */
    rr_fc_auto(md->y, md->n, 12, horizon < 3 ? 3 : horizon, &md->r);
    md->has = md->n > 0;
}

static void model_free(model *md)
{
    free(md->y);
    rr_fc_result_free(&md->r);
}

static double won_in(const model *md, int first, int last)
{
    double s = 0;
    for (int mo = first; mo <= last; mo++)
        if (mo >= md->first && (size_t)(mo - md->first) < md->n) s += md->y[mo - md->first];
    return s;
}

static int target_of(const rr_data *d, int month, double *v);
static int targets_sum(const rr_data *d, int from, int to, double *sum);

int rr_fcr_quarter_outlook(const rr_build_ctx *c, rr_fcr_quarter *q)
{
    rr_fcr_opts o;
    rr_fcr_opts_from_config(c->cfg, &o);
    model md;
    model_fit(c, o.horizon, &md);
    int qf, ql;
    quarter_bounds(c->period, &qf, &ql);
    memset(q, 0, sizeof *q);
    quarter_name(c, c->period->fiscal_year, c->period->quarter, q->name, sizeof q->name);
    q->months_left = ql - c->period->last;
    double mean = 0, l80 = 0, h80 = 0, l95, h95;
    if (q->months_left > 0) rr_fc_total(&md.r, q->months_left, &mean, &l80, &h80, &l95, &h95);
    q->won = won_in(&md, qf, c->period->last);
    q->total = q->won + mean;
    q->lo80 = q->won + (l80 > 0 ? l80 : 0);
    q->hi80 = q->won + (h80 > 0 ? h80 : 0);
    q->has_target = targets_sum(c->data, qf, ql, &q->target);
    if (!q->has_target) q->target = NAN;
    q->has_model = md.has;
    if (q->months_left == 0 && md.has && md.r.h >= 3) {   /* the quarter after a final one */
        int nq = c->period->quarter % 4 + 1, nfy = c->period->fiscal_year + (c->period->quarter == 4);
        rr_fc_total(&md.r, 3, &q->next_total, &q->next_lo80, &q->next_hi80, &l95, &h95);
        q->next_method = rr_fc_method_name(md.r.method);
        if (q->next_lo80 < 0) q->next_lo80 = 0;
        quarter_name(c, nfy, nq, q->next_name, sizeof q->next_name);
        snprintf(q->next_label, sizeof q->next_label, "%dQ%d", nfy, nq);
        q->next_has_target = targets_sum(c->data, ql + 1, ql + 3, &q->next_target);
        q->next_ok = isfinite(q->next_total);
    }
    model_free(&md);
    return q->has_model;
}

static int target_of(const rr_data *d, int month, double *v)
{
    for (size_t i = 0; i < d->ntargets; i++)
        if (d->targets[i].month == month && d->targets[i].has_revenue) {
            *v = rr_money_to_double(d->targets[i].revenue);
            return 1;
        }
    *v = NAN;
    return 0;
}

/* the revenue targets of months from..to added up; 1 when every month has one */
static int targets_sum(const rr_data *d, int from, int to, double *sum)
{
    int all = 1;
    *sum = 0;
    for (int mo = from; mo <= to; mo++) {
        double v;
        if (target_of(d, mo, &v)) *sum += v; else all = 0;
    }
    return all;
}


/* The fitted smoothing weights: one sentence in the report and one figure
 * each in report.xml (model_alpha, model_beta, model_gamma, model_phi), so
 * that the model forecast can be reproduced elsewhere (R's HoltWinters,
 * forecast::ets) from the history and these. */
static void fc_params(const rr_build_ctx *c, rr_doc_section *s, const char *per, const rr_fc_result *r)
{
    const char *key;
    switch (r->method) {
    case RR_FC_HW_ADDITIVE: case RR_FC_HW_MULTIPLICATIVE: key = "fc.params.hw"; break;
    case RR_FC_HOLT_DAMPED: key = "fc.params.damped"; break;
    case RR_FC_HOLT: key = "fc.params.holt"; break;
    case RR_FC_SES: key = "fc.params.ses"; break;
    default: return;   /* the naive mean and no forecast have no weights */
    }
    int hw = r->method == RR_FC_HW_ADDITIVE || r->method == RR_FC_HW_MULTIPLICATIVE;
    int trend = hw || r->method == RR_FC_HOLT || r->method == RR_FC_HOLT_DAMPED;
    char a[NM], b[NM], g[NM], f[NM];
    rr_fmt_number(c->fmt, r->alpha, 3, a, sizeof a);
    rr_fmt_number(c->fmt, r->beta, 3, b, sizeof b);
    rr_fmt_number(c->fmt, r->gamma, 3, g, sizeof g);
    rr_fmt_number(c->fmt, r->phi, 3, f, sizeof f);
    rr_figs_value(c->figs, RR_FU_NUMBER, "model_alpha", per, NULL, NULL, r->alpha, 1, NULL);
    if (trend) rr_figs_value(c->figs, RR_FU_NUMBER, "model_beta", per, NULL, NULL, r->beta, 1, NULL);
    if (hw) rr_figs_value(c->figs, RR_FU_NUMBER, "model_gamma", per, NULL, NULL, r->gamma, 1, NULL);
    if (r->method == RR_FC_HOLT_DAMPED)
        rr_figs_value(c->figs, RR_FU_NUMBER, "model_phi", per, NULL, NULL, r->phi, 1, NULL);
    char *t = rr_i18n_subst(T(key), "alpha", a, "beta", b, "gamma", g, "phi", f, NULL);
    if (hw && r->gamma_kept) {
        char *u = rr_i18n_subst(T("fc.gamma_kept"), "gamma", g, NULL);
        size_t n = strlen(t) + strlen(u) + 2;
        char *both = rr_xmalloc(n);
        snprintf(both, n, "%s %s", t, u);
        free(t); free(u);
        t = both;
    }
    rr_doc_para(s, t);
    free(t);
}

static const char *const cat_key[] = {"commit", "best_case", "pipeline"};

void rr_fcr_section_forecast(const rr_build_ctx *c, rr_doc *doc)
{
    const rr_data *d = c->data;
    const rr_period *p = c->period;
    rr_figs *g = c->figs;
    rr_fcr_opts o;
    rr_fcr_opts_from_config(c->cfg, &o);
    int H = o.horizon;
    {   /* the settings behind the forecast figures (report.xml <settings>) */
        char hv[16];
        snprintf(hv, sizeof hv, "%d", H);
        rr_figs_setting(g, "forecast.horizon", hv);
        rr_figs_setting(g, "forecast.weighting", o.stage_weighting ? "stage_win_rate" : "crm");
    }
    rr_doc_section *s = rr_doc_section_add(doc, "forecast", T("section.forecast"));
    model md;
    model_fit(c, H, &md);
    const char *method = rr_fc_method_name(md.r.method);   /* report.xml keeps this name */
    char mkey[64];   /* the name shown, from the catalogue: fc.model.holt_winters_additive, ... */
    snprintf(mkey, sizeof mkey, "fc.model.%s", method);
    for (char *q = mkey + 9; *q; q++) if (*q == ' ' || *q == '-') *q = '_';
    const char *method_tr = T(mkey);
    int has_fc = d->files[RR_IN_FORECASTS].present;
    char mname[NM];

    /* months shown: the 12 up to the period's last month + H ahead */
    size_t nm = 12 + (size_t)H;
    int m0 = p->last - 11;
    double *act = rr_xmalloc(nm * sizeof *act), *tgt = rr_xmalloc(nm * sizeof *tgt);
    double *com = rr_xmalloc(nm * sizeof *com), *mod = rr_xmalloc(nm * sizeof *mod);
    double *lo = rr_xmalloc(nm * sizeof *lo), *hi = rr_xmalloc(nm * sizeof *hi);
    double *hist_a = rr_xmalloc(12 * sizeof *hist_a), *hist_f[3];
    for (int k = 0; k < 3; k++) hist_f[k] = rr_xmalloc(12 * sizeof(double));
    char **labels = rr_xmalloc(nm * sizeof *labels);
    int any_target = 0, any_commit = 0;
    for (size_t i = 0; i < nm; i++) {
        int mo = m0 + (int)i;
        char b[NM], per[16];
        rr_fmt_month_short(c->fmt, mo, b, sizeof b);
        labels[i] = rr_xstrdup(b);
        rr_month_str(mo, per, sizeof per);
        int past = mo <= p->last;
        act[i] = past ? won_in(&md, mo, mo) : NAN;
        any_target |= target_of(d, mo, &tgt[i]);
        if (!past) fig_val(g, RR_FU_MONEY, "revenue_target", per, NULL, tgt[i], "no revenue target");
        mod[i] = lo[i] = hi[i] = NAN;
        if (!past && md.has) {
            int k = mo - p->last - 1;
            mod[i] = money_round(md.r.mean[k]);
            lo[i] = money_round(md.r.lo80[k] > 0 ? md.r.lo80[k] : 0);
            hi[i] = money_round(md.r.hi80[k] > 0 ? md.r.hi80[k] : 0);
            rr_fig *x = rr_figs_money(g, "model_forecast", per, NULL, NULL, to_money(mod[i]));
            rr_fig_set_model(x, method);
            x = rr_figs_money(g, "model_forecast_lo80", per, NULL, NULL, to_money(lo[i]));
            rr_fig_set_model(x, method);
            x = rr_figs_money(g, "model_forecast_hi80", per, NULL, NULL, to_money(hi[i]));
            rr_fig_set_model(x, method);
        }
        com[i] = NAN;
        for (int k = 0; k < 3 && has_fc; k++) {
            rr_money a;
            int lt = 0;
            char metric[48];
            double fv = NAN;
            if (rr_fcr_submitted(d, mo, k, &a, &lt)) {
                fv = rr_money_to_double(a);
                snprintf(metric, sizeof metric, "forecast_submitted_%s", cat_key[k]);
                rr_figs_money(g, metric, per, NULL, NULL, a);
                if (lt) {
                    snprintf(metric, sizeof metric, "forecast_submitted_late_%s", cat_key[k]);
                    rr_figs_count(g, metric, per, NULL, NULL, 1);
                }
                if (past) {
                    double acc;
                    snprintf(metric, sizeof metric, "forecast_variance_%s", cat_key[k]);
                    rr_figs_money(g, metric, per, NULL, NULL, to_money(act[i]) - a);
                    int okacc = rr_fc_accuracy(act[i], fv, &acc);
                    snprintf(metric, sizeof metric, "forecast_accuracy_%s", cat_key[k]);
                    rr_figs_value(g, RR_FU_FRACTION, metric, per, NULL, NULL, acc, okacc, "actual is zero");
                }
            }
            if (k == 0) { com[i] = fv; any_commit |= isfinite(fv); }
            if (past) hist_f[k][i] = fv;
        }
        if (past) hist_a[i] = act[i];
    }

    /* chart */
    {
        rr_chart *ch = rr_chart_new(RR_CHART_COMBO, T("chart.forecast"));
        rr_chart_set_categories(ch, nm, (const char *const *)labels);
        size_t si = rr_chart_add_series(ch, T("series.won_revenue"), RR_SERIES_BAR, act, nm);
        rr_chart_set_accent(ch, si);
        if (any_target) rr_chart_add_series(ch, T("series.target"), RR_SERIES_TARGET, tgt, nm);
        if (any_commit) rr_chart_add_series(ch, T("series.commit"), RR_SERIES_LINE, com, nm);
        if (md.has) {
            /* the model line and its band start at the last actual month */
            double *cm = rr_xmalloc(nm * sizeof *cm), *cl = rr_xmalloc(nm * sizeof *cl), *chi = rr_xmalloc(nm * sizeof *chi);
            memcpy(cm, mod, nm * sizeof *cm);
            memcpy(cl, lo, nm * sizeof *cl);
            memcpy(chi, hi, nm * sizeof *chi);
            cm[11] = cl[11] = chi[11] = act[11];
            size_t mi = rr_chart_add_series(ch, T("series.model_forecast"), RR_SERIES_BAND, cm, nm);
            rr_chart_set_band(ch, mi, cl, chi);
            free(cm); free(cl); free(chi);
        }
        rr_chart_set_unit(ch, RR_UNIT_MONEY, d->base_currency);
        rr_doc_chart(s, ch, T("caption.forecast"));
    }

    /* the method and why */
    {
        char nobs[NM];
        rr_fmt_count(c->fmt, (long long)md.n, nobs, sizeof nobs);
        rr_fmt_month(c->fmt, md.first, mname, sizeof mname);
        rr_figs_count(g, "model_history_months", p->label, NULL, NULL, (long long)md.n);
        /* why this method, from the catalogue (forecast.c's own sentence is
         * English and stays in report.xml's sense of the method name) */
        static const char *const why_key[] = {
            [RR_FC_METHOD_NONE] = "fc.why.none", [RR_FC_HW_ADDITIVE] = "fc.why.hw_additive",
            [RR_FC_HW_MULTIPLICATIVE] = "fc.why.hw_multiplicative", [RR_FC_HOLT_DAMPED] = "fc.why.holt_damped",
            [RR_FC_HOLT] = "fc.why.holt", [RR_FC_SES] = "fc.why.ses", [RR_FC_NAIVE] = "fc.why.naive"};
        char seasons[NM];
        rr_fmt_count(c->fmt, (long long)(md.n / 12), seasons, sizeof seasons);
        const char *wk = (size_t)md.r.method < sizeof why_key / sizeof why_key[0] ? why_key[md.r.method] : "fc.why.none";
        char *why = rr_i18n_subst(T(wk), "n", nobs, "seasons", seasons, NULL);
        char *t = rr_i18n_subst(T(md.has ? "fc.method" : "fc.no_history"), "method", method_tr, "reason", why,
                                "n", nobs, "from", mname, NULL);
        free(why);
        rr_doc_para(s, t);
        free(t);
        fc_params(c, s, p->label, &md.r);
        if (has_fc) rr_doc_para(s, T("fc.method_note"));
    }

    /* table: actual, target, submitted commit, variance, accuracy, model */
    {
        const char *h[] = {T("col.month"), T("col.won_revenue"), T("col.target"), T("col.attainment"),
                           T("fc.col_commit"), T("fc.col_variance"), T("fc.col_accuracy"), T("fc.col_model"),
                           T("fc.col_interval")};
        rr_table *t = rr_doc_table(s, T("table.forecast"), 9, h, NULL);
        for (size_t i = 0; i < nm; i++) {
            int mo = m0 + (int)i;
            char mn[NM], a[NM], b[NM], at[NM], cm[NM], va[NM], ac[NM], mf[NM], iv[2 * NM + 8];
            rr_fmt_month(c->fmt, mo, mn, sizeof mn);
            c_money(c, act[i], a);
            c_money(c, tgt[i], b);
            c_pct(c, isfinite(act[i]) ? ratio(act[i], tgt[i]) : NAN, at);
            c_money(c, com[i], cm);
            int lt = 0;
            rr_money am;
            if (has_fc && rr_fcr_submitted(d, mo, 0, &am, &lt) && lt) {
                char *x = rr_i18n_subst(T("fc.late"), "amount", cm, NULL);
                snprintf(cm, sizeof cm, "%s", x);
                free(x);
            }
            double acc = NAN;
            if (isfinite(act[i]) && isfinite(com[i])) {
                rr_fmt_money_d(c->fmt, act[i] - com[i], 0, va, sizeof va);
                if (!rr_fc_accuracy(act[i], com[i], &acc)) acc = NAN;
            } else {
                snprintf(va, sizeof va, DASH);
            }
            c_pct(c, acc, ac);
            c_money(c, mod[i], mf);
            if (isfinite(lo[i])) {
                char l1[NM], l2[NM];
                c_money(c, lo[i], l1);
                c_money(c, hi[i], l2);
                snprintf(iv, sizeof iv, "%s \xe2\x80\x93 %s", l1, l2);
            } else {
                snprintf(iv, sizeof iv, DASH);
            }
            const char *row[] = {mn, a, b, at, cm, va, ac, mf, iv};
            rr_table_row(t, mo == p->last ? RR_ROW_TOTAL : mo > p->last ? RR_ROW_MUTED : RR_ROW_NORMAL, row);
        }
    }

    /* accuracy over the trailing 12 months: MAPE and bias per category */
    if (has_fc) {
        const char *h[] = {T("fc.col_category"), T("fc.col_mape"), T("fc.col_bias"), T("fc.col_months")};
        rr_table *t = rr_doc_table(s, T("table.forecast_accuracy"), 4, h, NULL);
        for (int k = 0; k < 3; k++) {
            size_t used = 0, used_b = 0;
            double mape = rr_fc_mape(hist_a, hist_f[k], 12, 12, &used), bias = 0;
            int okb = rr_fc_bias(hist_a, hist_f[k], 12, 12, &bias, &used_b);
            char metric[48];
            snprintf(metric, sizeof metric, "forecast_mape_%s", cat_key[k]);
            rr_figs_value(g, RR_FU_FRACTION, metric, p->label, NULL, NULL, mape / 100.0, used > 0,
                          "no submitted forecast in the last 12 months");
            snprintf(metric, sizeof metric, "forecast_bias_%s", cat_key[k]);
            rr_figs_value(g, RR_FU_FRACTION, metric, p->label, NULL, NULL, bias, okb && used_b > 0,
                          "no submitted forecast in the last 12 months");
            snprintf(metric, sizeof metric, "forecast_months_%s", cat_key[k]);
            rr_figs_count(g, metric, p->label, NULL, NULL, (long long)used);
            char a[NM], b[NM], n[NM], key[32];
            c_pct(c, used ? mape / 100.0 : NAN, a);
            if (okb && used_b) rr_fmt_delta_pct(c->fmt, bias, 1, b, sizeof b); else snprintf(b, sizeof b, DASH);
            c_count(c, (long)used, n);
            snprintf(key, sizeof key, "fc.cat_%s", cat_key[k]);
            const char *row[] = {T(key), a, b, n};
            rr_table_row(t, RR_ROW_NORMAL, row);
        }
    }

    /* attainment for the month, QTD, YTD and the quarter forecast */
    {
        span sp[3];
        size_t nsp = spans_of(c, sp);
        const char *h[] = {T("fcf.measure"), T("col.won_revenue"), T("col.target"), T("col.attainment")};
        rr_table *t = rr_doc_table(s, T("table.attainment"), 4, h, NULL);
        for (size_t i = 0; i < nsp; i++) {
            double a = won_in(&md, sp[i].first, sp[i].last), tg = 0, v;
            int all = 1;
            for (int mo = sp[i].first; mo <= sp[i].last; mo++) {
                if (target_of(d, mo, &v)) tg += v; else all = 0;
            }
            fig_money(g, "won_revenue", sp[i].label, NULL, to_money(a));
            if (all) fig_money(g, "revenue_target", sp[i].label, NULL, to_money(tg));
            if (all) fig_val(g, RR_FU_FRACTION, "attainment", sp[i].label, NULL, ratio(a, tg), "target is zero");
            char x[NM], y[NM], z[NM];
            c_money(c, money_round(a), x);
            c_money(c, all ? money_round(tg) : NAN, y);
            c_pct(c, all ? ratio(a, tg) : NAN, z);
            const char *row[] = {sp[i].name, x, y, z};
            rr_table_row(t, RR_ROW_NORMAL, row);
        }
        /* these totals are exact sums, not sums of the rounded months above */
        rr_doc_note(s, T("note.rounding"));
    }

    /* the quarter: actual QTD + model, + weighted pipeline; category roll-ups */
    {
        int qf, ql;
        quarter_bounds(p, &qf, &ql);
        int k = ql - p->last;
        char ql_lbl[24], qn[NM];
        snprintf(ql_lbl, sizeof ql_lbl, "%dQ%d", p->fiscal_year, p->quarter);
        quarter_name(c, p->fiscal_year, p->quarter, qn, sizeof qn);
        double qtd = won_in(&md, qf, p->last), mean = 0, l80 = 0, h80 = 0, l95, h95;
        if (k > 0) rr_fc_total(&md.r, k, &mean, &l80, &h80, &l95, &h95);
        rr_fcr_funnel y;
        rr_fcr_funnel_compute(d, p->last - 11, p->last, -1, month_end(p->last), &o, &y);
        rr_fcr_pipe pp;
        rr_fcr_pipeline(d, month_end(p->last), rr_month_first_day(qf), month_end(ql), y.win_rate, o.stage_weighting,
                        &pp);
        const char *h[] = {T("fcf.measure"), qn, T("fcf.basis")};
        static const rr_align al[] = {RR_ALIGN_LEFT, RR_ALIGN_RIGHT, RR_ALIGN_LEFT};   /* basis is text */
        char v[NM];
        const char *row[3] = {NULL, v, ""};
        rr_figs_count(g, "quarter_months_remaining", ql_lbl, NULL, NULL, k);
        if (k == 0) {
            /* no month of the quarter remains: the result is final.  No
             * forecast, no interval, no roll-up of open opportunities (those
             * still open with a close date in the quarter have slipped). */
            double tg;
            int all = targets_sum(d, qf, ql, &tg);
            rr_figs_money(g, "closed_won_qtd", ql_lbl, NULL, NULL, pp.closed);
            rr_table *t = rr_doc_table(s, T("table.quarter_final"), 3, h, al);
            rr_fmt_money(c->fmt, pp.closed, 0, v, NM);
            row[0] = T("fc.won_final"); row[2] = T("fc.won_final_basis"); rr_table_row(t, RR_ROW_TOTAL, row);
            c_money(c, all ? money_round(tg) : NAN, v);
            row[0] = T("col.target"); row[2] = ""; rr_table_row(t, 0, row);
            c_pct(c, all ? ratio(rr_money_to_double(pp.closed), tg) : NAN, v);
            row[0] = T("col.attainment"); rr_table_row(t, 0, row);
        } else {
            double q_model = money_round(qtd + mean), q_lo = money_round(qtd + (l80 > 0 ? l80 : 0));
            double q_hi = money_round(qtd + (h80 > 0 ? h80 : 0));
            double q_pipe = money_round(rr_money_to_double(pp.closed) + pp.weighted);
            rr_money commit_roll = pp.closed + pp.commit, best_roll = commit_roll + pp.best_case;
            rr_fig *x = rr_figs_money(g, "forecast_quarter_model", ql_lbl, NULL, NULL, to_money(q_model));
            rr_fig_set_model(x, method);
            x = rr_figs_money(g, "forecast_quarter_model_lo80", ql_lbl, NULL, NULL, to_money(q_lo));
            rr_fig_set_model(x, method);
            x = rr_figs_money(g, "forecast_quarter_model_hi80", ql_lbl, NULL, NULL, to_money(q_hi));
            rr_fig_set_model(x, method);
            rr_figs_money(g, "forecast_quarter_weighted", ql_lbl, NULL, NULL, to_money(q_pipe));
            rr_figs_money(g, "closed_won_qtd", ql_lbl, NULL, NULL, pp.closed);
            rr_figs_money(g, "forecast_commit_rollup", ql_lbl, NULL, NULL, commit_roll);
            rr_figs_money(g, "forecast_best_case_rollup", ql_lbl, NULL, NULL, best_roll);
            rr_figs_money(g, "weighted_pipeline", ql_lbl, NULL, NULL, to_money(pp.weighted));
            rr_figs_money(g, "open_pipeline_due", ql_lbl, NULL, NULL, pp.open);
            rr_table *t = rr_doc_table(s, T("table.quarter_forecast"), 3, h, al);
            rr_fmt_money(c->fmt, pp.closed, 0, v, NM); row[0] = T("fc.closed_qtd"); rr_table_row(t, 0, row);
            rr_fmt_money(c->fmt, commit_roll, 0, v, NM); row[0] = T("fc.commit_rollup"); row[2] = T("fc.commit_basis");
            rr_table_row(t, 0, row);
            rr_fmt_money(c->fmt, best_roll, 0, v, NM); row[0] = T("fc.best_rollup"); row[2] = T("fc.best_basis");
            rr_table_row(t, 0, row);
            c_money(c, money_round(pp.weighted), v); row[0] = T("fc.weighted");
            row[2] = T(o.stage_weighting ? "fc.weighted_stage" : "fc.weighted_crm"); rr_table_row(t, 0, row);
            c_money(c, q_pipe, v); row[0] = T("fc.q_weighted"); row[2] = T("fc.q_weighted_basis"); rr_table_row(t, 0, row);
            c_money(c, q_model, v);
            char l1[NM], l2[NM];
            c_money(c, q_lo, l1);
            c_money(c, q_hi, l2);
            char *bs = rr_i18n_subst(T("fc.q_model_basis"), "method", method_tr, "lo", l1, "hi", l2, NULL);
            row[0] = T("fc.q_model"); row[2] = bs; rr_table_row(t, RR_ROW_TOTAL, row);
            free(bs);
        }
    }

    for (size_t i = 0; i < nm; i++) free(labels[i]);
    free(labels);
    free(act); free(tgt); free(com); free(mod); free(lo); free(hi); free(hist_a);
    for (int k = 0; k < 3; k++) free(hist_f[k]);
    model_free(&md);
}
