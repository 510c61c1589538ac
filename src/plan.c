/* plan.c: deal-type split, plan vs actual with status, year on year, the
 * quarter outlook and the largest deals (see plan.h).
 *
 *   rr_plan *pl = rr_plan_compute(data, metrics, &period, &opts);
 *   rr_plan_figures(pl, &figs);
 *   rr_plan_free(pl);
 *
 * Every sum here is a plain pass over the rows (no attribution): the figures
 * can be recomputed from the CSV files with a few lines of SQL or awk
 * (tests/independent.sh, tests/plan.sh). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/fc_report.h"
#include "revreport/forecast.h"
#include "revreport/plan.h"
#include "revreport/xalloc.h"

static const char *const OUTLOOK_NAMES[RR_OUTLOOK_NBASES] = {"closed", "commit", "best_case", "weighted", "model"};

void rr_plan_opts_from_config(const rr_config *cfg, rr_plan_opts *o)
{
    o->on_track = rr_config_double(cfg, "plan.on_track", 0.95);
    o->at_risk = rr_config_double(cfg, "plan.at_risk", 0.80);
    if (!(o->on_track > 0 && o->on_track < 10)) {
        rr_config_bad_value(cfg, "plan.on_track", "expected a fraction of plan such as 0.95, got %g", o->on_track);
        o->on_track = 0.95;
    }
    if (!(o->at_risk >= 0 && o->at_risk <= o->on_track)) {
        rr_config_bad_value(cfg, "plan.at_risk", "expected a fraction of plan from 0 to plan.on_track (%g), got %g",
                            o->on_track, o->at_risk);
        o->at_risk = o->on_track < 0.80 ? o->on_track : 0.80;
    }
    long k = rr_config_int(cfg, "plan.top_deals", 5);
    if (k < 1 || k > 50) {
        rr_config_bad_value(cfg, "plan.top_deals", "expected a number of rows from 1 to 50, got %ld", k);
        k = 5;
    }
    o->top_deals = (int)k;
    const char *h = rr_config_str(cfg, "forecast.headline", "weighted");
    o->headline = -1;
    for (int i = 0; i < RR_OUTLOOK_NBASES; i++)
        if (!strcmp(h, OUTLOOK_NAMES[i])) o->headline = i;
    if (o->headline < 0) {
        const char *near = rr_config_closest(h, OUTLOOK_NAMES, RR_OUTLOOK_NBASES);
        rr_config_bad_value(cfg, "forecast.headline",
                            "expected closed, commit, best_case, weighted or model, got \"%.80s\"%s%s%s", h,
                            near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
        o->headline = RR_OUTLOOK_WEIGHTED;
    }
}

rr_plan_status rr_plan_status_of(const rr_plan_opts *o, double a)
{
    if (!isfinite(a)) return RR_PLAN_NONE;
    /* compared in 1/10000 of plan, so 0.95 exactly is on track whatever the binary rounding */
    double q = floor(a * 10000.0 + 0.5);
    if (q >= floor(o->on_track * 10000.0 + 0.5)) return RR_PLAN_ON_TRACK;
    if (q >= floor(o->at_risk * 10000.0 + 0.5)) return RR_PLAN_AT_RISK;
    return RR_PLAN_OFF_TRACK;
}

const char *rr_plan_status_name(rr_plan_status s)
{
    switch (s) {
    case RR_PLAN_NONE: return NULL;
    case RR_PLAN_ON_TRACK: return "on_track";
    case RR_PLAN_AT_RISK: return "at_risk";
    case RR_PLAN_OFF_TRACK: return "off_track";
    }
    return NULL;
}

const char *rr_plan_deal_type_name(int type)
{
    static const char *const n[RR_DEAL_NTYPES] = {"new_business", "expansion", "renewal"};
    return type >= 0 && type < RR_DEAL_NTYPES ? n[type] : "other";
}

static int type_index(rr_opp_type t)
{
    switch (t) {
    case RR_OPP_NEW: return RR_DEAL_NEW;
    case RR_OPP_EXPANSION: return RR_DEAL_EXPANSION;
    case RR_OPP_RENEWAL: return RR_DEAL_RENEWAL;
    case RR_OPP_OTHER: return -1;
    }
    return -1;
}

static int in_months(int mo, int first, int last) { return mo >= first && mo <= last; }

void rr_plan_sums_compute(const rr_data *d, int first, int last, rr_plan_sums *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        if (in_months(rr_date_month(op->created), first, last)) { s->opps++; s->pipeline += op->amount; }
        if (!op->is_closed || !in_months(rr_date_month(op->close), first, last)) continue;
        int t = type_index(op->type);
        if (op->is_won) {
            s->won += op->amount; s->won_n++;
            if (t >= 0) { s->won_type[t] += op->amount; s->won_n_type[t]++; }
        } else {
            s->lost_n++;
            if (t >= 0) s->lost_n_type[t]++;
        }
    }
    for (size_t i = 0; i < d->nleads; i++) {
        const rr_lead *l = &d->leads[i];
        if (l->created != RR_NO_TIME && in_months(rr_date_month(rr_time_date(l->created)), first, last)) s->leads++;
        if (l->mql != RR_NO_TIME && in_months(rr_date_month(rr_time_date(l->mql)), first, last)) s->mqls++;
        if (l->sql != RR_NO_TIME && in_months(rr_date_month(rr_time_date(l->sql)), first, last)) s->sqls++;
    }
    for (size_t i = 0; i < d->nspend; i++)
        if (in_months(d->spend[i].month, first, last)) s->spend += d->spend[i].amount;
}

double rr_plan_win_rate(const rr_plan_sums *s, int type)
{
    long w = type < 0 ? s->won_n : s->won_n_type[type], l = type < 0 ? s->lost_n : s->lost_n_type[type];
    return w + l ? (double)w / (double)(w + l) : NAN;
}

/* the targets of months first..last added up; NAN unless every month has one */
static void targets(const rr_data *d, int first, int last, double out[RR_PLAN_NMEASURES])
{
    for (int k = 0; k < RR_PLAN_NMEASURES; k++) out[k] = 0;
    for (int mo = first; mo <= last; mo++) {
        int has[RR_PLAN_NMEASURES] = {0};
        for (size_t i = 0; i < d->ntargets; i++) {
            const rr_target *t = &d->targets[i];
            if (t->month != mo) continue;
            if (t->has_revenue) { out[RR_PLAN_REVENUE] += rr_money_to_double(t->revenue); has[RR_PLAN_REVENUE] = 1; }
            if (t->has_pipeline) { out[RR_PLAN_PIPELINE] += rr_money_to_double(t->pipeline); has[RR_PLAN_PIPELINE] = 1; }
            if (t->has_mql) { out[RR_PLAN_MQLS] += t->mql; has[RR_PLAN_MQLS] = 1; }
        }
        for (int k = 0; k < RR_PLAN_NMEASURES; k++) if (!has[k]) out[k] = NAN;
    }
}

static void period_fill(rr_plan *pl, rr_plan_period *r, const char *label, int first, int last)
{
    const rr_data *d = pl->data;
    memset(r, 0, sizeof *r);
    snprintf(r->label, sizeof r->label, "%s", label);
    r->first = first;
    r->last = last;
    rr_plan_sums_compute(d, first, last, &r->act);
    r->actual[RR_PLAN_REVENUE] = rr_money_to_double(r->act.won);
    r->actual[RR_PLAN_PIPELINE] = rr_money_to_double(r->act.pipeline);
    r->actual[RR_PLAN_MQLS] = (double)r->act.mqls;
    targets(d, first, last, r->target);
    int has_leads = d->files[RR_IN_LEADS].present;
    for (int k = 0; k < RR_PLAN_NMEASURES; k++) {
        if (k == RR_PLAN_MQLS && !has_leads) r->target[k] = NAN;
        r->attain[k] = isfinite(r->target[k]) && r->target[k] != 0 ? r->actual[k] / r->target[k] : NAN;
        r->status[k] = rr_plan_status_of(&pl->o, r->attain[k]);
    }
    r->has_yoy_opps = first - 12 >= pl->data_first_opps;
    r->has_yoy_leads = has_leads && first - 12 >= pl->data_first_leads;
    r->has_yoy_spend = d->files[RR_IN_SPEND].present && first - 12 >= pl->data_first_spend;
    if (r->has_yoy_opps || r->has_yoy_leads || r->has_yoy_spend) rr_plan_sums_compute(d, first - 12, last - 12, &r->yoy);
}

/* deal order: amount, largest first; then the opportunity's row */
static const rr_data *sort_data;
static int deal_cmp(const void *a, const void *b)
{
    const rr_plan_deal *x = a, *y = b;
    rr_money u = sort_data->opps[x->opp].amount, v = sort_data->opps[y->opp].amount;
    if (u != v) return u > v ? -1 : 1;
    return (x->opp > y->opp) - (x->opp < y->opp);
}

/* the k largest of v[0..n) by deal_cmp, sorted, in v[0..min(n,k)) */
static size_t top_k(const rr_data *d, rr_plan_deal *v, size_t n, size_t k)
{
    sort_data = d;
    qsort(v, n, sizeof *v, deal_cmp);
    sort_data = NULL;
    return n < k ? n : k;
}

static void top_deals(rr_plan *pl, int qf, int ql)
{
    const rr_data *d = pl->data;
    const rr_metrics *m = pl->m;
    const rr_period *p = pl->period;
    rr_plan_deal *w = rr_xmalloc((d->nopps + 1) * sizeof *w), *l = rr_xmalloc((d->nopps + 1) * sizeof *l);
    rr_plan_deal *o = rr_xmalloc((d->nopps + 1) * sizeof *o);
    size_t nw = 0, nl = 0, no = 0;
    rr_date asof = rr_month_first_day(p->last + 1) - 1;
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        int32_t ch = m->jstart[i] < m->jstart[i + 1] ? d->touch[m->jt[m->jstart[i]]].channel : -1;
        rr_plan_deal x = {(int32_t)i, ch, (long)(op->close - op->created)};
        int cm = rr_date_month(op->close);
        if (op->is_closed && op->close <= asof && in_months(cm, p->first, p->last)) {
            if (op->is_won) w[nw++] = x;
            else l[nl++] = x;
        } else if (op->created <= asof && (!op->is_closed || op->close > asof) && in_months(cm, qf, ql)) {
            x.days = (long)(asof - op->created);   /* open: its age at the end of the period */
            o[no++] = x;
        }
    }
    size_t k = (size_t)pl->o.top_deals;
    pl->ntop_won = top_k(d, w, nw, k);
    pl->ntop_lost = top_k(d, l, nl, k);
    pl->ntop_open = top_k(d, o, no, k);
    pl->top_won = w; pl->top_lost = l; pl->top_open = o;
}

rr_plan *rr_plan_compute(const rr_data *d, const rr_metrics *m, const rr_period *p, const rr_plan_opts *o)
{
    rr_plan *pl = rr_xcalloc(1, sizeof *pl);
    pl->o = *o;
    pl->data = d;
    pl->m = m;
    pl->period = p;
    pl->data_first_opps = pl->data_first_leads = pl->data_first_spend = INT32_MAX;
    for (size_t i = 0; i < d->nopps; i++) {
        /* the export reaches back to the first month an opportunity closed
         * (older open ones can have been created long before) */
        int mo = rr_date_month(d->opps[i].close);
        if (d->opps[i].is_closed && mo < pl->data_first_opps) pl->data_first_opps = mo;
    }
    for (size_t i = 0; i < d->nleads; i++) {
        if (d->leads[i].created == RR_NO_TIME) continue;
        int mo = rr_date_month(rr_time_date(d->leads[i].created));
        if (mo < pl->data_first_leads) pl->data_first_leads = mo;
    }
    for (size_t i = 0; i < d->nspend; i++)
        if (d->spend[i].month < pl->data_first_spend) pl->data_first_spend = d->spend[i].month;

    int qf = p->fy_first + (p->quarter - 1) * 3, ql = qf + 2;
    char lab[24];
    pl->nper = 0;
    period_fill(pl, &pl->per[pl->nper++], p->label, p->first, p->last);
    if (p->kind == RR_PERIOD_MONTH) {
        snprintf(lab, sizeof lab, "%04dQ%d-QTD", p->fiscal_year % 10000, p->quarter);
        period_fill(pl, &pl->per[pl->nper++], lab, qf, p->last);
    }
    snprintf(lab, sizeof lab, "FY%04d-YTD", p->fiscal_year % 10000);
    period_fill(pl, &pl->per[pl->nper++], lab, p->fy_first, p->last);
    pl->nqm = 0;
    for (int mo = qf; mo <= p->last && pl->nqm < 3; mo++) {
        rr_month_str(mo, lab, sizeof lab);
        period_fill(pl, &pl->qm[pl->nqm++], lab, mo, mo);
    }
    /* open deals due in the quarter of the outlook: this quarter, or the next
     * one when the report ends with the quarter */
    int fy = p->fiscal_year, qn = p->quarter;
    if (ql == p->last) { qf += 3; ql += 3; qn = qn % 4 + 1; if (qn == 1) fy++; }
    snprintf(pl->outlook.label, sizeof pl->outlook.label, "%04dQ%d", fy % 10000, qn);
    pl->outlook.first = qf;
    pl->outlook.last = ql;
    top_deals(pl, qf, ql);
    /* channel trends: linear credit of won revenue and of pipeline created */
    pl->nmonths = m->nmonths;
    pl->nch = m->nchannels;
    size_t cells = (pl->nmonths ? pl->nmonths : 1) * (pl->nch ? pl->nch : 1);
    pl->trend_rev = rr_xcalloc(cells, sizeof(double));
    pl->trend_pipe = rr_xcalloc(cells, sizeof(double));
    for (size_t i = 0; i < d->nopps && d->files[RR_IN_TOUCH].present; i++) {
        const rr_opp *op = &d->opps[i];
        size_t a = m->jstart[i], b = m->jstart[i + 1];
        if (a == b || !(m->deal_mask >> op->type & 1u)) continue;
        double share = rr_money_to_double(op->amount) / (double)(b - a);
        int mc = rr_metrics_mi(m, rr_date_month(op->created));
        int mw = op->is_closed && op->is_won ? rr_metrics_mi(m, rr_date_month(op->close)) : -1;
        for (size_t k = a; k < b; k++) {
            int32_t ch = d->touch[m->jt[k]].channel;
            if (ch < 0) continue;
            if (mc >= 0) pl->trend_pipe[(size_t)mc * pl->nch + (size_t)ch] += share;
            if (mw >= 0) pl->trend_rev[(size_t)mw * pl->nch + (size_t)ch] += share;
        }
    }
    pl->outlook.headline = o->headline;
    for (int b = 0; b < RR_OUTLOOK_NBASES; b++) pl->outlook.basis[b] = NAN;
    pl->outlook.target = pl->outlook.prev_method_total = NAN;
    return pl;
}

void rr_plan_free(rr_plan *pl)
{
    if (!pl) return;
    free(pl->top_won); free(pl->top_lost); free(pl->top_open);
    free(pl->trend_rev); free(pl->trend_pipe);
    free(pl);
}

/* ---------------------------------------------------------------- figures */

static rr_money money_of(double major)
{
    double v = major * RR_MONEY_SCALE;
    return (rr_money)(v < 0 ? v - 0.5 : v + 0.5);
}

static int has(const rr_figs *f, const char *metric, const char *period, const char *dim, const char *key)
{
    return rr_figs_find_exact(f, metric, period, dim, key, NULL) != NULL;
}

static void put_money(rr_figs *f, const char *metric, const char *per, const char *dim, const char *key, rr_money v)
{
    if (!has(f, metric, per, dim, key)) rr_figs_money(f, metric, per, dim, key, v);
}

static void put_count(rr_figs *f, const char *metric, const char *per, const char *dim, const char *key, long v)
{
    if (!has(f, metric, per, dim, key)) rr_figs_count(f, metric, per, dim, key, v);
}

static rr_fig *put_value(rr_figs *f, rr_fig_unit u, const char *metric, const char *per, const char *dim,
                         const char *key, double v, const char *reason)
{
    if (has(f, metric, per, dim, key)) return NULL;
    return rr_figs_value(f, u, metric, per, dim, key, v, isfinite(v), reason);
}

/* won revenue, won / lost deals, win rate of each deal type over s; suffix
 * "" or "_yoy" */
static void split_figs(rr_figs *f, const char *per, const rr_plan_sums *s, const char *suffix)
{
    char mw[40], md[40], ml[40], mr[40];
    snprintf(mw, sizeof mw, "won_revenue%s", suffix);
    snprintf(md, sizeof md, "won_deals%s", suffix);
    snprintf(ml, sizeof ml, "lost_deals%s", suffix);
    snprintf(mr, sizeof mr, "win_rate%s", suffix);
    for (int t = 0; t < RR_DEAL_NTYPES; t++) {
        const char *tn = rr_plan_deal_type_name(t);
        put_money(f, mw, per, "deal_type", tn, s->won_type[t]);
        put_count(f, md, per, "deal_type", tn, s->won_n_type[t]);
        put_count(f, ml, per, "deal_type", tn, s->lost_n_type[t]);
        put_value(f, RR_FU_FRACTION, mr, per, "deal_type", tn, rr_plan_win_rate(s, t),
                  "no opportunity of the type closed in the period");
    }
}

static void plan_figs(const rr_plan *pl, rr_figs *f, const rr_plan_period *r)
{
    static const char *const tgt[RR_PLAN_NMEASURES] = {"revenue_target", "pipeline_target", "mql_target"};
    static const char *const att[RR_PLAN_NMEASURES] = {"revenue_attainment", "pipeline_attainment",
                                                       "mql_attainment"};
    const rr_data *d = pl->data;
    const char *per = r->label;
    put_money(f, "won_revenue", per, NULL, NULL, r->act.won);
    put_count(f, "won_deals", per, NULL, NULL, r->act.won_n);
    put_count(f, "lost_deals", per, NULL, NULL, r->act.lost_n);
    put_value(f, RR_FU_FRACTION, "win_rate", per, NULL, NULL, rr_plan_win_rate(&r->act, -1),
              "no opportunity closed in the period");
    put_money(f, "pipeline_created", per, NULL, NULL, r->act.pipeline);
    put_count(f, "opportunities_created", per, NULL, NULL, r->act.opps);
    if (d->files[RR_IN_LEADS].present) {
        put_count(f, "mqls", per, NULL, NULL, r->act.mqls);
        put_count(f, "leads", per, NULL, NULL, r->act.leads);
        put_count(f, "sqls", per, NULL, NULL, r->act.sqls);
    }
    split_figs(f, per, &r->act, "");
    if (!d->files[RR_IN_TARGETS].present) return;
    for (int k = 0; k < RR_PLAN_NMEASURES; k++) {
        if (k == RR_PLAN_MQLS && !d->files[RR_IN_LEADS].present) continue;
        if (!isfinite(r->target[k])) continue;
        if (k == RR_PLAN_MQLS) put_value(f, RR_FU_NUMBER, tgt[k], per, NULL, NULL, r->target[k], NULL);
        else put_money(f, tgt[k], per, NULL, NULL, money_of(r->target[k]));
        rr_fig *g = put_value(f, RR_FU_FRACTION, att[k], per, NULL, NULL, r->attain[k], "target is zero");
        if (g) rr_fig_set_status(g, rr_plan_status_name(r->status[k]));
    }
}

static void yoy_figs(const rr_plan *pl, rr_figs *f, const rr_plan_period *r)
{
    const char *per = r->label;
    const rr_plan_sums *y = &r->yoy;
    if (r->has_yoy_opps) {
        put_money(f, "won_revenue_yoy", per, NULL, NULL, y->won);
        put_count(f, "won_deals_yoy", per, NULL, NULL, y->won_n);
        put_value(f, RR_FU_FRACTION, "win_rate_yoy", per, NULL, NULL, rr_plan_win_rate(y, -1),
                  "no opportunity closed in the period a year earlier");
        put_money(f, "pipeline_created_yoy", per, NULL, NULL, y->pipeline);
        put_count(f, "opportunities_created_yoy", per, NULL, NULL, y->opps);
        split_figs(f, per, y, "_yoy");
        double tg[RR_PLAN_NMEASURES];
        targets(pl->data, r->first - 12, r->last - 12, tg);
        if (isfinite(tg[RR_PLAN_REVENUE]) && tg[RR_PLAN_REVENUE] != 0)
            put_value(f, RR_FU_FRACTION, "revenue_attainment_yoy", per, NULL, NULL,
                      rr_money_to_double(y->won) / tg[RR_PLAN_REVENUE], NULL);
    }
    if (r->has_yoy_leads) {
        put_count(f, "leads_yoy", per, NULL, NULL, y->leads);
        put_count(f, "mqls_yoy", per, NULL, NULL, y->mqls);
        put_count(f, "sqls_yoy", per, NULL, NULL, y->sqls);
    }
    if (r->has_yoy_spend) put_money(f, "spend_yoy", per, NULL, NULL, y->spend);
}

void rr_plan_figures(const rr_plan *pl, rr_figs *f)
{
    const rr_metrics *m = pl->m;
    char sv[32];
    snprintf(sv, sizeof sv, "%.10g", pl->o.on_track);
    rr_figs_setting(f, "plan.on_track", sv);
    snprintf(sv, sizeof sv, "%.10g", pl->o.at_risk);
    rr_figs_setting(f, "plan.at_risk", sv);
    rr_figs_setting(f, "forecast.headline", OUTLOOK_NAMES[pl->o.headline]);
    const rr_data *d = pl->data;
    /* the deal-type split of every month of the window, in one pass */
    size_t n = m->nmonths;
    rr_plan_sums *mo = rr_xcalloc(n ? n : 1, sizeof *mo);
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        int mi = rr_metrics_mi(m, rr_date_month(op->close)), t = type_index(op->type);
        if (!op->is_closed || mi < 0 || t < 0) continue;
        if (op->is_won) { mo[mi].won_type[t] += op->amount; mo[mi].won_n_type[t]++; }
        else mo[mi].lost_n_type[t]++;
    }
    char lab[16];
    for (size_t i = 0; i < n; i++) {
        rr_month_str(m->window_first + (int)i, lab, sizeof lab);
        split_figs(f, lab, &mo[i], "");
    }
    free(mo);
    /* channel trends: every month of the window, channels with anything */
    for (size_t i = 0; i < pl->nmonths && d->files[RR_IN_TOUCH].present; i++) {
        rr_month_str(m->window_first + (int)i, lab, sizeof lab);
        for (size_t c = 0; c < pl->nch; c++) {
            double r = pl->trend_rev[i * pl->nch + c], pp = pl->trend_pipe[i * pl->nch + c];
            const char *ch = rr_dict_name(&d->channels, (int32_t)c);
            if (r != 0 && !rr_figs_find_exact(f, "attributed_revenue", lab, "channel", ch, "linear"))
                rr_fig_set_model(rr_figs_money(f, "attributed_revenue", lab, "channel", ch, money_of(r)), "linear");
            if (pp != 0 && !rr_figs_find_exact(f, "attributed_pipeline_created", lab, "channel", ch, "linear"))
                rr_fig_set_model(rr_figs_money(f, "attributed_pipeline_created", lab, "channel", ch, money_of(pp)),
                                 "linear");
        }
    }
    for (size_t k = 0; k < pl->nqm; k++) plan_figs(pl, f, &pl->qm[k]);
    for (size_t k = 0; k < pl->nper; k++) plan_figs(pl, f, &pl->per[k]);
    for (size_t k = 0; k < pl->nper; k++) yoy_figs(pl, f, &pl->per[k]);
    const rr_plan_outlook *q = &pl->outlook;
    if (q->ok) {
        for (int b = 0; b < RR_OUTLOOK_NBASES; b++) {
            if (!isfinite(q->basis[b])) continue;
            rr_fig *g = rr_figs_money(f, "quarter_outlook", q->label, "basis", OUTLOOK_NAMES[b], money_of(q->basis[b]));
            if (b == RR_OUTLOOK_MODEL && q->method) rr_fig_set_model(g, q->method);
            rr_fig_set_status(g, rr_plan_status_name(q->status[b]));
        }
        if (isfinite(q->target)) rr_figs_money(f, "quarter_outlook", q->label, "basis", "target", money_of(q->target));
        if (isfinite(q->basis[q->headline])) {
            rr_fig *g = rr_figs_money(f, "quarter_outlook_headline", q->label, "basis", OUTLOOK_NAMES[q->headline],
                                      money_of(q->basis[q->headline]));
            rr_fig_set_status(g, rr_plan_status_name(q->status[q->headline]));
        }
        put_value(f, RR_FU_RATIO, "quarter_outlook_coverage", q->label, NULL, NULL, q->coverage,
                  isfinite(q->target) ? "target already met" : "no revenue target for the quarter");
        put_value(f, RR_FU_RATIO, "quarter_outlook_coverage_needed", q->label, NULL, NULL, q->coverage_needed,
                  "win rate is zero or undefined");
        if (q->prev_method && isfinite(q->prev_method_total)) {
            rr_fig *g = rr_figs_money(f, "quarter_outlook_previous_method", q->label, "basis", "model",
                                      money_of(q->prev_method_total));
            rr_fig_set_model(g, q->prev_method);
        }
    }
}

const char *rr_plan_outlook_basis_name(int b) { return b >= 0 && b < RR_OUTLOOK_NBASES ? OUTLOOK_NAMES[b] : ""; }

/* ---------------------------------------------------------------- outlook */

static double round_cents(double v) { return isfinite(v) ? floor(v * 100.0 + 0.5) / 100.0 : v; }

/* the fit of method `m` to y[0..n) (the method rr_fc_auto chose at another length) */
static int refit(rr_fc_method m, const double *y, size_t n, int h, rr_fc_result *r)
{
    switch (m) {
    case RR_FC_HW_ADDITIVE: return rr_fc_hw(y, n, 12, 0, -1, -1, -1, h, r) == RR_OK;
    case RR_FC_HW_MULTIPLICATIVE: return rr_fc_hw(y, n, 12, 1, -1, -1, -1, h, r) == RR_OK;
    case RR_FC_HOLT_DAMPED: return rr_fc_holt(y, n, 1, -1, -1, -1, RR_FC_INIT_R, h, r) == RR_OK;
    case RR_FC_HOLT: return rr_fc_holt(y, n, 1, -1, -1, 1, RR_FC_INIT_R, h, r) == RR_OK;
    case RR_FC_SES: return rr_fc_holt(y, n, 0, -1, 0, 1, RR_FC_INIT_R, h, r) == RR_OK;
    case RR_FC_NAIVE: case RR_FC_METHOD_NONE: return 0;
    }
    return 0;
}

void rr_plan_outlook_compute(const rr_build_ctx *c, rr_plan *pl)
{
    const rr_data *d = c->data;
    const rr_period *p = c->period;
    rr_plan_outlook *q = &pl->outlook;
    int qf = p->fy_first + (p->quarter - 1) * 3, ql = qf + 2, fy = p->fiscal_year, qn = p->quarter;
    rr_fcr_quarter fq;
    rr_fcr_quarter_outlook(c, &fq);
    int next = ql == p->last;
    if (next) { qf += 3; ql += 3; qn = qn % 4 + 1; if (qn == 1) fy++; }
    snprintf(q->label, sizeof q->label, "%04dQ%d", fy % 10000, qn);
    q->first = qf;
    q->last = ql;
    q->months_left = next ? 0 : ql - p->last;
    rr_fcr_opts fo;
    rr_fcr_opts_from_config(c->cfg, &fo);
    char l12[16];
    rr_month_str(p->last, l12, sizeof l12);
    q->win_rate = rr_figs_get(c->figs, "win_rate_t12m", l12, NULL);
    rr_fcr_pipe pp;
    rr_date asof = rr_month_first_day(p->last + 1) - 1;
    rr_fcr_pipeline(d, asof, rr_month_first_day(qf), rr_month_first_day(ql + 1) - 1, q->win_rate, fo.stage_weighting,
                    &pp);
    q->basis[RR_OUTLOOK_CLOSED] = rr_money_to_double(pp.closed);
    q->basis[RR_OUTLOOK_COMMIT] = rr_money_to_double(pp.closed + pp.commit);
    q->basis[RR_OUTLOOK_BEST_CASE] = rr_money_to_double(pp.closed + pp.commit + pp.best_case);
    /* weighted and model: the forecast section's figures when it made them
     * for this quarter (one number per label) */
    double wt = rr_figs_get(c->figs, "forecast_quarter_weighted", q->label, NULL);
    q->basis[RR_OUTLOOK_WEIGHTED] = isfinite(wt) ? wt : round_cents(rr_money_to_double(pp.closed) + pp.weighted);
    double model = rr_figs_get(c->figs, "forecast_quarter_model", q->label, NULL);
    if (!isfinite(model))
        model = round_cents(next ? (fq.next_ok ? fq.next_total : NAN) : (fq.has_model ? fq.total : NAN));
    q->basis[RR_OUTLOOK_MODEL] = model;
    double tg[RR_PLAN_NMEASURES];
    targets(d, qf, ql, tg);
    q->target = d->files[RR_IN_TARGETS].present ? tg[RR_PLAN_REVENUE] : NAN;
    for (int b = 0; b < RR_OUTLOOK_NBASES; b++) {
        q->attain[b] = isfinite(q->target) && q->target != 0 ? q->basis[b] / q->target : NAN;
        q->status[b] = rr_plan_status_of(&pl->o, q->attain[b]);
    }
    /* won to date is not a forecast while months remain: no status */
    if (q->months_left > 0) q->status[RR_OUTLOOK_CLOSED] = RR_PLAN_NONE;
    q->open_due = rr_money_to_double(pp.open);
    q->remaining = isfinite(q->target) ? q->target - q->basis[RR_OUTLOOK_CLOSED] : NAN;
    q->coverage = isfinite(q->remaining) && q->remaining > 0 ? q->open_due / q->remaining : NAN;
    q->coverage_needed = isfinite(q->win_rate) && q->win_rate > 0 ? 1.0 / q->win_rate : NAN;
    /* the model's method now and at the previous month's report */
    int first;
    double *y = NULL;
    size_t n = rr_fcr_won_series(d, p->last, &first, &y);
    q->prev_method = NULL;
    q->prev_method_total = NAN;
    if (n >= 2) {
        rr_fc_result now, before, again;
        memset(&again, 0, sizeof again);
        rr_fc_auto(y, n, 12, 3, &now);
        rr_fc_auto(y, n - 1, 12, 3, &before);
        q->method = rr_fc_method_name(now.method);
        q->prev_method = rr_fc_method_name(before.method);
        if (before.method != now.method && refit(before.method, y, n, 3, &again)) {
            double mean = 0, l80, h80, l95, h95;
            int k = next ? 3 : q->months_left;
            if (k > 0) rr_fc_total(&again, k, &mean, &l80, &h80, &l95, &h95);
            q->prev_method_total = round_cents(q->basis[RR_OUTLOOK_CLOSED] + mean);
        }
        rr_fc_result_free(&now);
        rr_fc_result_free(&before);
        rr_fc_result_free(&again);
    }
    free(y);
    q->ok = 1;
}
