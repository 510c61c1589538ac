/* story.c: the plan module's figures in the document (see story.h).
 *
 *   rr_story_summary(&ctx, s);   // deal types, plan vs actual, quarter outlook
 *   rr_story_revenue(&ctx, s);   // the quarter's months, the largest deals
 *
 * Tables only read ctx->plan; the figures behind them are in report.xml
 * under the names of plan.h (won_revenue deal_type=..., *_attainment
 * status=..., quarter_outlook basis=..., *_yoy). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/plan.h"
#include "revreport/story.h"
#include "revreport/xalloc.h"

#define T(key) rr_tr(c->cat, key)
#define NB 64
static const char DASH[] = "\xe2\x80\x94";

const char *rr_story_status_text(const rr_build_ctx *c, int status)
{
    switch ((rr_plan_status)status) {
    case RR_PLAN_NONE: return "";
    case RR_PLAN_ON_TRACK: return T("plan.status.on_track");
    case RR_PLAN_AT_RISK: return T("plan.status.at_risk");
    case RR_PLAN_OFF_TRACK: return T("plan.status.off_track");
    }
    return "";
}

static rr_tone tone_of(int status)
{
    switch ((rr_plan_status)status) {
    case RR_PLAN_NONE: return RR_TONE_NONE;
    case RR_PLAN_ON_TRACK: return RR_TONE_GOOD;
    case RR_PLAN_AT_RISK: return RR_TONE_WARN;
    case RR_PLAN_OFF_TRACK: return RR_TONE_BAD;
    }
    return RR_TONE_NONE;
}

static void money(const rr_build_ctx *c, double v, char *out)
{
    if (isfinite(v)) rr_fmt_money_d(c->fmt, v, 0, out, NB);
    else snprintf(out, NB, "%s", DASH);
}

static void pct(const rr_build_ctx *c, double v, int dec, char *out)
{
    if (isfinite(v)) rr_fmt_pct(c->fmt, v, dec, out, NB);
    else snprintf(out, NB, "%s", DASH);
}

static void count(const rr_build_ctx *c, double v, char *out)
{
    if (isfinite(v)) rr_fmt_count(c->fmt, (long long)llround(v), out, NB);
    else snprintf(out, NB, "%s", DASH);
}

/* "+12.3%" change from prev to now; dash when undefined */
static void change(const rr_build_ctx *c, double now, double prev, char *out)
{
    if (isfinite(now) && isfinite(prev) && prev != 0) rr_fmt_delta_pct(c->fmt, (now - prev) / fabs(prev), 0, out, NB);
    else snprintf(out, NB, "%s", DASH);
}

/* "+2.1 pts" */
static void change_pts(const rr_build_ctx *c, double now, double prev, char *out)
{
    if (!isfinite(now) || !isfinite(prev)) { snprintf(out, NB, "%s", DASH); return; }
    double d = (now - prev) * 100.0;
    char num[NB], sgn[NB + 8];
    rr_fmt_number(c->fmt, fabs(d), 1, num, sizeof num);
    snprintf(sgn, sizeof sgn, "%s%s", d >= 0.05 ? "+" : d <= -0.05 ? "\xe2\x88\x92" : "\xc2\xb1", num);
    char *p = rr_i18n_subst(T("kpi.pts"), "delta", sgn, NULL);
    snprintf(out, NB, "%s", p);
    free(p);
}

static void quarter_name(const rr_build_ctx *c, const char *label, char *out, size_t cap)
{
    /* "2026Q4" -> "Q4 FY2026" in the reader's language (i18n.c's fiscal names) */
    char *s = rr_i18n_fiscal(c->cat, (int)strtol(label, NULL, 10), label[5] - '0', c->period->fy_start);
    snprintf(out, cap, "%s", s);
    free(s);
}

/* the name of a plan period: "October 2026", "Q4 FY2026 to date", "FY2026 to date" */
static void period_text(const rr_build_ctx *c, const rr_plan_period *r, size_t k, char *out, size_t cap)
{
    const rr_period *p = c->period;
    if (k == 0 && p->kind == RR_PERIOD_MONTH) { rr_fmt_month(c->fmt, p->first, out, cap); return; }
    char *q = rr_i18n_fiscal(c->cat, p->fiscal_year, p->quarter, p->fy_start);
    char *y = rr_i18n_fiscal(c->cat, p->fiscal_year, 0, p->fy_start);
    char *s;
    if (strstr(r->label, "-QTD")) s = rr_i18n_subst(T("plan.period.qtd"), "quarter", q, NULL);
    else if (strstr(r->label, "-YTD")) s = rr_i18n_subst(T("plan.period.ytd"), "year", y, NULL);
    else s = rr_xstrdup(q);
    snprintf(out, cap, "%s", s);
    free(s);
    free(q);
    free(y);
}

/* won revenue, share, deals, win rate by deal type; change on the previous
 * period and on the same period last year */
static void deal_types(const rr_build_ctx *c, rr_doc_section *s)
{
    const rr_plan *pl = c->plan;
    const rr_plan_period *r = &pl->per[0];
    rr_period prev;
    rr_period_prev(c->period, &prev);
    rr_plan_sums ps;
    rr_plan_sums_compute(c->data, prev.first, prev.last, &ps);
    int has_prev = prev.first >= pl->data_first_opps;
    const char *hdr[] = {T("plan.col.deal_type"), T("col.won_revenue"), T("plan.col.share"), T("col.won_deals"),
                         T("col.win_rate"), T("plan.col.vs_prev"), T("plan.col.win_rate_prev"), T("plan.col.vs_yoy")};
    rr_table *t = rr_doc_table(s, T("plan.table.deal_types"), 8, hdr, NULL);
    static const char *const key[RR_DEAL_NTYPES] = {"plan.deal.new_business", "plan.deal.expansion",
                                                    "plan.deal.renewal"};
    char v[8][NB];
    for (int k = 0; k <= RR_DEAL_NTYPES; k++) {
        int all = k == RR_DEAL_NTYPES;
        double won = rr_money_to_double(all ? r->act.won : r->act.won_type[k]);
        double pw = rr_money_to_double(all ? ps.won : ps.won_type[k]);
        double yw = rr_money_to_double(all ? r->yoy.won : r->yoy.won_type[k]);
        int tix = all ? -1 : k;
        money(c, won, v[1]);
        pct(c, r->act.won ? won / rr_money_to_double(r->act.won) : NAN, 0, v[2]);
        count(c, (double)(all ? r->act.won_n : r->act.won_n_type[k]), v[3]);
        pct(c, rr_plan_win_rate(&r->act, tix), 1, v[4]);
        if (has_prev) {
            change(c, won, pw, v[5]);
            change_pts(c, rr_plan_win_rate(&r->act, tix), rr_plan_win_rate(&ps, tix), v[6]);
        } else {
            snprintf(v[5], NB, "%s", DASH);
            snprintf(v[6], NB, "%s", DASH);
        }
        if (r->has_yoy_opps) change(c, won, yw, v[7]);
        else snprintf(v[7], NB, "%s", DASH);
        const char *row[] = {all ? T("plan.deal.all") : T(key[k]), v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
        rr_table_row(t, all ? RR_ROW_TOTAL : RR_ROW_NORMAL, row);
    }
    char pn[NB];
    if (c->period->kind == RR_PERIOD_MONTH) rr_fmt_month_short(c->fmt, prev.first, pn, sizeof pn);
    else quarter_name(c, prev.label, pn, sizeof pn);
    char *note = rr_i18n_subst(T("plan.note.deal_types"), "prevperiod", pn, NULL);
    rr_doc_note(s, note);
    free(note);
}

static void plan_actual(const rr_build_ctx *c, rr_doc_section *s)
{
    const rr_plan *pl = c->plan;
    if (!c->data->files[RR_IN_TARGETS].present) return;
    const char *hdr[] = {T("plan.col.measure"), T("plan.col.period"), T("plan.col.actual"), T("plan.col.plan"),
                         T("plan.col.of_plan"), T("plan.col.status"), T("plan.col.last_year")};
    static const rr_align al[] = {RR_ALIGN_LEFT, RR_ALIGN_LEFT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT,
                                  RR_ALIGN_LEFT, RR_ALIGN_RIGHT};
    rr_table *t = rr_doc_table(s, T("plan.table.plan_actual"), 7, hdr, al);
    static const char *const mkey[RR_PLAN_NMEASURES] = {"plan.measure.revenue", "plan.measure.pipeline",
                                                        "plan.measure.mqls"};
    for (int k = 0; k < RR_PLAN_NMEASURES; k++) {
        if (k == RR_PLAN_MQLS && !c->data->files[RR_IN_LEADS].present) continue;
        for (size_t j = 0; j < pl->nper; j++) {
            const rr_plan_period *r = &pl->per[j];
            char pn[NB], a[NB], tg[NB], at[NB], ly[NB];
            period_text(c, r, j, pn, sizeof pn);
            if (k == RR_PLAN_MQLS) { count(c, r->actual[k], a); count(c, r->target[k], tg); }
            else { money(c, r->actual[k], a); money(c, r->target[k], tg); }
            pct(c, r->attain[k], 0, at);
            double y = NAN;
            if (k == RR_PLAN_REVENUE && r->has_yoy_opps) y = rr_money_to_double(r->yoy.won);
            if (k == RR_PLAN_PIPELINE && r->has_yoy_opps) y = rr_money_to_double(r->yoy.pipeline);
            if (k == RR_PLAN_MQLS && r->has_yoy_leads) y = (double)r->yoy.mqls;
            if (k == RR_PLAN_MQLS) count(c, y, ly);
            else money(c, y, ly);
            const char *st = r->status[k] == RR_PLAN_NONE ? DASH : rr_story_status_text(c, r->status[k]);
            const char *row[] = {j == 0 ? T(mkey[k]) : "", pn, a, tg, at, st, ly};
            rr_table_row(t, RR_ROW_NORMAL, row);
            rr_table_tone(t, 5, tone_of(r->status[k]));
        }
    }
    char on[NB], ar[NB];
    pct(c, pl->o.on_track, 0, on);
    pct(c, pl->o.at_risk, 0, ar);
    char *note = rr_i18n_subst(T("plan.note.status"), "on", on, "risk", ar, NULL);
    rr_doc_note(s, note);
    free(note);
}

/* "holt-winters additive" -> the catalogue's name (fc.model.holt_winters_additive), as the forecast section */
static const char *method_text(const rr_build_ctx *c, const char *method, char *key, size_t cap)
{
    if (!method) return "";
    snprintf(key, cap, "fc.model.%s", method);
    for (char *q = key + 9; *q; q++) if (*q == ' ' || *q == '-') *q = '_';
    return T(key);
}

static void outlook(const rr_build_ctx *c, rr_doc_section *s)
{
    const rr_plan_outlook *q = &c->plan->outlook;
    if (!q->ok) return;
    char qn[NB];
    quarter_name(c, q->label, qn, sizeof qn);
    char *cap = rr_i18n_subst(T("plan.table.outlook"), "quarter", qn, NULL);
    const char *hdr[] = {T("plan.col.basis"), T("plan.col.quarter_total"), T("plan.col.of_target"),
                         T("plan.col.status"), T("plan.col.what")};
    static const rr_align al[] = {RR_ALIGN_LEFT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT, RR_ALIGN_LEFT, RR_ALIGN_LEFT};
    rr_table *t = rr_doc_table(s, cap, 5, hdr, al);
    free(cap);
    static const char *const bkey[RR_OUTLOOK_NBASES] = {"plan.basis.closed", "plan.basis.commit",
                                                        "plan.basis.best_case", "plan.basis.weighted",
                                                        "plan.basis.model"};
    static const char *const wkey[RR_OUTLOOK_NBASES] = {"plan.what.closed", "plan.what.commit",
                                                        "plan.what.best_case", "plan.what.weighted",
                                                        "plan.what.model"};
    for (int b = 0; b < RR_OUTLOOK_NBASES; b++) {
        char v[NB], at[NB];
        money(c, q->basis[b], v);
        pct(c, q->attain[b], 0, at);
        const char *st = q->status[b] == RR_PLAN_NONE ? DASH : rr_story_status_text(c, q->status[b]);
        char mk[64];
        char *what = b == RR_OUTLOOK_MODEL ? rr_i18n_subst(T(wkey[b]), "method", method_text(c, q->method, mk, sizeof mk), NULL)
                                           : rr_xstrdup(T(wkey[b]));
        const char *row[] = {T(bkey[b]), v, at, st, what};
        rr_table_row(t, b == q->headline ? RR_ROW_TOTAL : RR_ROW_NORMAL, row);
        rr_table_tone(t, 3, tone_of(q->status[b]));
        free(what);
    }
    {
        char v[NB];
        money(c, q->target, v);
        const char *row[] = {T("plan.basis.target"), v, "", "", ""};
        rr_table_row(t, RR_ROW_MUTED, row);
    }
    /* which number is the headline and why; the coverage; a change of method */
    static const char *const why[RR_OUTLOOK_NBASES] = {"plan.why.closed", "plan.why.commit", "plan.why.best_case",
                                                       "plan.why.weighted", "plan.why.model"};
    char hv[NB], tg[NB], at[NB], cov[NB], need[NB], wr[NB];
    money(c, q->basis[q->headline], hv);
    money(c, q->target, tg);
    pct(c, q->attain[q->headline], 0, at);
    char *h = rr_i18n_subst(T(isfinite(q->target) ? "plan.headline" : "plan.headline_no_target"), "basis",
                            T(bkey[q->headline]), "value", hv, "pct", at, "target", tg, "status",
                            rr_story_status_text(c, q->status[q->headline]), "why", T(why[q->headline]), NULL);
    rr_doc_para(s, h);
    free(h);
    if (isfinite(q->coverage) && isfinite(q->coverage_needed)) {
        char od[NB], rem[NB];
        rr_fmt_ratio(c->fmt, q->coverage, cov, sizeof cov);
        rr_fmt_ratio(c->fmt, q->coverage_needed, need, sizeof need);
        pct(c, q->win_rate, 1, wr);
        money(c, q->open_due, od);
        money(c, q->remaining, rem);
        char *cv = rr_i18n_subst(T(q->coverage >= q->coverage_needed ? "plan.coverage_ok" : "plan.coverage_short"),
                                 "coverage", cov, "needed", need, "winrate", wr, "open", od, "remaining", rem, NULL);
        rr_doc_para(s, cv);
        free(cv);
    }
    if (q->prev_method && q->method && strcmp(q->prev_method, q->method) && isfinite(q->prev_method_total)) {
        char pv[NB];
        money(c, q->prev_method_total, pv);
        char k1[64], k2[64];
        char *mc = rr_i18n_subst(T("plan.method_changed"), "before", method_text(c, q->prev_method, k1, sizeof k1), "now",
                                 method_text(c, q->method, k2, sizeof k2), "value", pv, NULL);
        rr_doc_note(s, mc);
        free(mc);
    }
}

void rr_story_summary(const rr_build_ctx *c, rr_doc_section *s)
{
    if (!c->plan) return;
    deal_types(c, s);
    plan_actual(c, s);
    outlook(c, s);
}

/* the quarter's months to date with their plan, and the total row (QTD) */
static void quarter_table(const rr_build_ctx *c, rr_doc_section *s)
{
    const rr_plan *pl = c->plan;
    if (!c->data->files[RR_IN_TARGETS].present || !pl->nqm) return;
    int leads = c->data->files[RR_IN_LEADS].present;
    char qn[NB];
    char *qs = rr_i18n_fiscal(c->cat, c->period->fiscal_year, c->period->quarter, c->period->fy_start);
    snprintf(qn, sizeof qn, "%s", qs);
    free(qs);
    char *cap = rr_i18n_subst(T("plan.table.quarter"), "quarter", qn, NULL);
    const char *hdr[] = {T("col.month"), T("col.won_revenue"), T("col.target"), T("plan.col.of_plan"),
                         T("plan.measure.pipeline"), T("plan.col.pipeline_target"), T("plan.measure.mqls"),
                         T("plan.col.mql_target")};
    rr_table *t = rr_doc_table(s, cap, leads ? 8 : 6, hdr, NULL);
    free(cap);
    const rr_plan_period *tot = NULL;
    for (size_t j = 0; j < pl->nper; j++)
        if (strstr(pl->per[j].label, "-QTD") || (c->period->kind == RR_PERIOD_QUARTER && j == 0)) tot = &pl->per[j];
    for (size_t i = 0; i <= pl->nqm; i++) {
        const rr_plan_period *r = i < pl->nqm ? &pl->qm[i] : tot;
        if (!r) break;
        char v[8][NB];
        if (i < pl->nqm) rr_fmt_month(c->fmt, r->first, v[0], NB);
        else snprintf(v[0], NB, "%s", T("plan.row.qtd"));
        money(c, r->actual[RR_PLAN_REVENUE], v[1]);
        money(c, r->target[RR_PLAN_REVENUE], v[2]);
        pct(c, r->attain[RR_PLAN_REVENUE], 0, v[3]);
        money(c, r->actual[RR_PLAN_PIPELINE], v[4]);
        money(c, r->target[RR_PLAN_PIPELINE], v[5]);
        count(c, r->actual[RR_PLAN_MQLS], v[6]);
        count(c, r->target[RR_PLAN_MQLS], v[7]);
        const char *row[] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
        rr_table_row(t, i < pl->nqm ? RR_ROW_NORMAL : RR_ROW_TOTAL, row);
        rr_table_tone(t, 3, tone_of(r->status[RR_PLAN_REVENUE]));
    }
}

static void deals_table(const rr_build_ctx *c, rr_doc_section *s, const char *cap_key, const rr_plan_deal *v,
                        size_t n, int open)
{
    if (!n) return;
    const rr_data *d = c->data;
    const char *hdr[] = {T("plan.col.account"), T("plan.col.deal_type"), T("plan.col.amount"),
                         T("plan.col.first_touch"), T(open ? "plan.col.close_date" : "plan.col.days_to_close"),
                         T(open ? "plan.col.forecast_category" : "plan.col.owner")};
    static const rr_align al[] = {RR_ALIGN_LEFT, RR_ALIGN_LEFT, RR_ALIGN_RIGHT, RR_ALIGN_LEFT, RR_ALIGN_RIGHT,
                                  RR_ALIGN_LEFT};
    rr_table *t = rr_doc_table(s, T(cap_key), 6, hdr, al);
    static const char *const tkey[] = {"plan.deal.new_business", "plan.deal.expansion", "plan.deal.renewal",
                                       "plan.deal.other"};
    static const char *const fkey[] = {"plan.fc.pipeline", "plan.fc.best_case", "plan.fc.commit", "plan.fc.closed",
                                       "plan.fc.omitted", "plan.fc.unset"};
    for (size_t i = 0; i < n; i++) {
        const rr_opp *op = &d->opps[v[i].opp];
        char am[NB], days[NB];
        rr_fmt_money(c->fmt, op->amount, 0, am, sizeof am);
        if (open) {
            char ds[16];
            rr_date_str(op->close, ds, sizeof ds);
            snprintf(days, sizeof days, "%s", ds);
        } else {
            rr_fmt_count(c->fmt, v[i].days, days, sizeof days);
        }
        const char *acc = rr_dict_name(&d->accounts, op->account);
        if (!*acc) acc = rr_dict_name(&d->names, op->name);
        const char *ch = v[i].channel >= 0 ? rr_dict_name(&d->channels, v[i].channel) : T("plan.no_touch");
        const char *row[] = {acc, T(tkey[op->type <= RR_OPP_OTHER ? op->type : RR_OPP_OTHER]), am, ch, days,
                             open ? T(fkey[op->fc <= RR_FC_UNSET ? op->fc : RR_FC_UNSET])
                                  : rr_dict_name(&d->owners, op->owner)};
        rr_table_row(t, RR_ROW_NORMAL, row);
    }
}

void rr_story_revenue(const rr_build_ctx *c, rr_doc_section *s)
{
    const rr_plan *pl = c->plan;
    if (!pl) return;
    quarter_table(c, s);
    deals_table(c, s, "plan.table.top_won", pl->top_won, pl->ntop_won, 0);
    deals_table(c, s, "plan.table.top_lost", pl->top_lost, pl->ntop_lost, 0);
    char qn[NB];
    quarter_name(c, pl->outlook.label, qn, sizeof qn);
    if (pl->ntop_open) {
        deals_table(c, s, "plan.table.top_open", pl->top_open, pl->ntop_open, 1);
        rr_table *t = s->blocks[s->nblocks - 1].table;
        char *cap = rr_i18n_subst(T("plan.table.top_open"), "quarter", qn, NULL);
        free(t->caption);
        t->caption = rr_xstrdup(cap);
        free(cap);
    }
}

/* one stacked bar chart of v (months x channels) */
static void trend_chart(const rr_build_ctx *c, rr_doc_section *s, const double *v, const char *title_key,
                        const char *caption_key, const char *types)
{
    const rr_plan *pl = c->plan;
    const rr_metrics *m = c->m;
    char **labels = rr_xmalloc((pl->nmonths + 1) * sizeof *labels);
    for (size_t i = 0; i < pl->nmonths; i++) {
        char b[NB];
        rr_fmt_month_short(c->fmt, m->window_first + (int)i, b, sizeof b);
        labels[i] = rr_xstrdup(b);
    }
    char *title = rr_i18n_subst(T(title_key), "types", types, NULL);
    rr_chart *ch = rr_chart_new(RR_CHART_STACKED_BAR, title);
    rr_chart_set_categories(ch, pl->nmonths, (const char *const *)labels);
    double *y = rr_xmalloc((pl->nmonths + 1) * sizeof *y);
    for (size_t k = 0; k < pl->nch; k++) {
        int any = 0;
        for (size_t i = 0; i < pl->nmonths; i++) {
            y[i] = v[i * pl->nch + k];
            any |= y[i] != 0;
        }
        if (any) rr_chart_add_series(ch, rr_dict_name(&c->data->channels, (int32_t)k), RR_SERIES_BAR, y, pl->nmonths);
    }
    rr_chart_set_unit(ch, RR_UNIT_MONEY, c->data->base_currency);
    char *cap = rr_i18n_subst(T(caption_key), "types", types, NULL);
    rr_doc_chart(s, ch, cap);
    free(cap);
    free(title);
    free(y);
    for (size_t i = 0; i < pl->nmonths; i++) free(labels[i]);
    free(labels);
}

void rr_story_trends(const rr_build_ctx *c, rr_doc_section *s)
{
    const rr_plan *pl = c->plan;
    if (!pl || !c->data->files[RR_IN_TOUCH].present || !pl->nch || !pl->nmonths) return;
    const char *types = c->m->deal_mask == RR_METRICS_DEALS_ALL ? T("attr.types.all")
                        : c->m->deal_mask == RR_METRICS_DEALS_NEW_EXPANSION ? T("attr.types.new_business_expansion")
                                                                         : T("attr.types.new_business");
    /* one chart (attributed revenue beside the spend chart above); the pipeline
     * created per channel and month is in report.xml (attributed_pipeline_created) */
    trend_chart(c, s, pl->trend_rev, "plan.chart.trend_revenue", "plan.caption.trend_revenue", types);
}
