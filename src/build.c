/* build.c: the report document from the computed figures (see build.h).
 *
 * One function per section; each reads rr_metrics / rr_figs, formats with
 * rr_fmt and takes every word from the catalogue. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/build.h"
#include "revreport/attr_report.h"
#include "revreport/board.h"
#include "revreport/fc_report.h"
#include "revreport/plan.h"
#include "revreport/story.h"
#include "revreport/xalloc.h"

#define T(key) rr_tr(c->cat, key)
#define NM 48

typedef struct {
    rr_money won, target, spend, pipeline;
    long won_n, lost_n, mqls, sqls, created_n;
    int has_target;
} totals;

/* sums over months [first, last] that lie in the metrics window */
static totals sum_months(const rr_metrics *m, int first, int last)
{
    totals t;
    memset(&t, 0, sizeof t);
    t.has_target = 1;
    for (int mo = first; mo <= last; mo++) {
        int i = rr_metrics_mi(m, mo);
        if (i < 0) { t.has_target = 0; continue; }
        t.won += m->won_revenue[i]; t.spend += m->spend_total[i]; t.pipeline += m->pipeline_created[i];
        t.won_n += m->won_count[i]; t.lost_n += m->lost_count[i]; t.mqls += m->mqls[i]; t.sqls += m->sqls[i];
        t.created_n += m->opps_created[i];
        if (m->has_target[i]) t.target += m->revenue_target[i];
        else t.has_target = 0;
    }
    return t;
}

static double ratio(double a, double b) { return b != 0 ? a / b : NAN; }
static double winrate(const totals *t) { return ratio((double)t->won_n, (double)(t->won_n + t->lost_n)); }

static void period_name(const rr_build_ctx *c, const rr_period *p, char *out, size_t cap)
{
    if (p->kind == RR_PERIOD_MONTH) { rr_fmt_month(c->fmt, p->first, out, cap); return; }
    char *s = rr_i18n_fiscal(c->cat, p->fiscal_year, p->quarter, p->fy_start);
    snprintf(out, cap, "%s", s);
    free(s);
}

/* short form for tiles: "Sep 26" or "Q3 FY2026" */
static void period_short(const rr_build_ctx *c, const rr_period *p, char *out, size_t cap)
{
    if (p->kind == RR_PERIOD_MONTH) rr_fmt_month_short(c->fmt, p->first, out, cap);
    else period_name(c, p, out, cap);
}

static double *months_d(const rr_metrics *m, const rr_money *v)
{
    double *d = rr_xmalloc(m->nmonths * sizeof *d);
    for (size_t i = 0; i < m->nmonths; i++) d[i] = rr_money_to_double(v[i]);
    return d;
}

static double *months_l(const rr_metrics *m, const long *v)
{
    double *d = rr_xmalloc(m->nmonths * sizeof *d);
    for (size_t i = 0; i < m->nmonths; i++) d[i] = (double)v[i];
    return d;
}

static char **month_labels(const rr_build_ctx *c)
{
    char **l = rr_xmalloc(c->m->nmonths * sizeof *l);
    for (size_t i = 0; i < c->m->nmonths; i++) {
        char b[NM];
        rr_fmt_month_short(c->fmt, c->m->window_first + (int)i, b, sizeof b);
        l[i] = rr_xstrdup(b);
    }
    return l;
}

static void free_labels(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++) free(l[i]);
    free(l);
}

/* The comparison with the period before, in the words executives use for
 * it: month on month (ja 前月比, zh 环比, ru м/м) or quarter on quarter. */
static const char *vs_prev_key(const rr_build_ctx *c)
{
    return c->period->kind == RR_PERIOD_MONTH ? "kpi.vs_prev_month" : "kpi.vs_prev_quarter";
}

/* "vs <prev>: +12.3%" */
static void delta_text(const rr_build_ctx *c, double now, double prev, const char *prev_name, char *out,
                       size_t cap, int *trend)
{
    char pct[NM];
    *trend = 0;
    if (!isfinite(now) || !isfinite(prev) || prev == 0) { out[0] = 0; return; }
    double d = (now - prev) / fabs(prev);
    rr_fmt_delta_pct(c->fmt, d, 1, pct, sizeof pct);
    char *s = rr_i18n_subst(T(vs_prev_key(c)), "delta", pct, "period", prev_name, NULL);
    snprintf(out, cap, "%s", s);
    free(s);
    *trend = d > 0.0005 ? 1 : d < -0.0005 ? -1 : 0;
}

/* for rates: "+2.1 pts vs Sep 26" */
static void delta_points(const rr_build_ctx *c, double now, double prev, const char *prev_name, char *out,
                         size_t cap, int *trend)
{
    char num[NM], pts[NM + 8];
    *trend = 0;
    if (!isfinite(now) || !isfinite(prev)) { out[0] = 0; return; }
    double d = (now - prev) * 100.0;
    rr_fmt_number(c->fmt, fabs(d), 1, num, sizeof num);
    snprintf(pts, sizeof pts, "%s%s", d >= 0.05 ? "+" : d <= -0.05 ? "\xe2\x88\x92" : "\xc2\xb1", num);
    char *p = rr_i18n_subst(T("kpi.pts"), "delta", pts, NULL);
    char *s = rr_i18n_subst(T(vs_prev_key(c)), "delta", p, "period", prev_name, NULL);
    snprintf(out, cap, "%s", s);
    free(p);
    free(s);
    *trend = d >= 0.05 ? 1 : d <= -0.05 ? -1 : 0;
}

static void kpi_fill(rr_kpi *k, const char *label, const char *value, const char *delta, int trend, int up_is_good,
                     const char *note, const double *spark, size_t nspark)
{
    rr_doc_set(&k->label, label);
    rr_doc_set(&k->value, value);
    rr_doc_set(&k->delta, delta && *delta ? delta : NULL);
    rr_doc_set(&k->note, note && *note ? note : NULL);
    k->trend = trend;
    k->good = trend == 0 ? 0 : (trend > 0) == (up_is_good > 0) ? 1 : -1;
    if (spark && nspark) {
        k->spark = rr_xmalloc(nspark * sizeof *k->spark);
        memcpy(k->spark, spark, nspark * sizeof *k->spark);
        k->nspark = nspark;
    }
}

/* blended ROI over channels that have spend in the period */
static double paid_roi(const rr_metrics *m, double *rev_out, double *spend_out)
{
    double rev = 0, sp = 0;
    for (size_t ch = 0; ch < m->nchannels; ch++) {
        if (!m->ch_spend[ch]) continue;
        rev += m->ch_attr_revenue[ch];
        sp += rr_money_to_double(m->ch_spend[ch]);
    }
    if (rev_out) *rev_out = rev;
    if (spend_out) *spend_out = sp;
    return sp ? (rev - sp) / sp : NAN;
}

/* ---- highlights: candidate sentences with a score (size of the change) ---- */
#define HL_MAX 6
#define HL_CAND 32
typedef struct { char *text[HL_CAND]; double score[HL_CAND]; size_t n; } hl_list;

static void hl_add(hl_list *h, double score, char *text)     /* takes text */
{
    if (h->n == HL_CAND) { free(text); return; }
    h->text[h->n] = text;
    h->score[h->n++] = isnan(score) ? 0 : score;
}

/* The headline plus the biggest changes, at most HL_MAX, in score order. */
static size_t hl_pick(hl_list *h, const char **out)
{
    int used[HL_CAND] = {0};
    size_t n = 0;
    while (n < HL_MAX) {
        int best = -1;
        for (size_t i = 0; i < h->n; i++)
            if (!used[i] && (best < 0 || h->score[i] > h->score[best])) best = (int)i;
        if (best < 0) break;
        used[best] = 1;
        out[n++] = h->text[best];
    }
    return n;
}

static void hl_free(hl_list *h)
{
    for (size_t i = 0; i < h->n; i++) free(h->text[i]);
}

static double spend_of(const rr_metrics *m, size_t ch, int first, int last)
{
    double s = 0;
    for (int mo = first; mo <= last; mo++) {
        int i = rr_metrics_mi(m, mo);
        if (i >= 0) s += rr_money_to_double(m->spend_mc[(size_t)i * m->nchannels + ch]);
    }
    return s;
}

/* "Paid Social ROI fell from 2.10 to 1.40; spend +30%, attributed revenue −8%." for
 * the channels whose ROI moved most (channels with spend in both periods). */
static void channel_roi_highlights(const rr_build_ctx *c, const rr_period *p, const rr_period *prev,
                                   const char *prev_name, hl_list *hl)
{
    const rr_metrics *m = c->m;
    size_t nch = m->nchannels;
    if (!nch || rr_metrics_mi(m, prev->first) < 0) return;
    double *now = rr_xcalloc(nch, sizeof *now), *bef = rr_xcalloc(nch, sizeof *bef);
    rr_metrics_linear(m, p->first, p->last, now);
    rr_metrics_linear(m, prev->first, prev->last, bef);
    /* at most two channels, the ones whose ROI moved most, so the
     * highlights keep room for revenue, pipeline and the funnel */
    hl_list mine = {0};
    for (size_t ch = 0; ch < nch; ch++) {
        double s1 = spend_of(m, ch, prev->first, prev->last), s2 = spend_of(m, ch, p->first, p->last);
        if (s1 <= 0 || s2 <= 0 || bef[ch] <= 0) continue;
        double r1 = (bef[ch] - s1) / s1, r2 = (now[ch] - s2) / s2;
        double score = fabs(r2 - r1) / fmax(fabs(r1), 0.5);
        char a[NM], b[NM], ds[NM], dr[NM];
        rr_fmt_ratio(c->fmt, r1, a, sizeof a);
        rr_fmt_ratio(c->fmt, r2, b, sizeof b);
        rr_fmt_delta_pct(c->fmt, (s2 - s1) / s1, 0, ds, sizeof ds);
        rr_fmt_delta_pct(c->fmt, (now[ch] - bef[ch]) / bef[ch], 0, dr, sizeof dr);
        hl_add(&mine, score * 0.8, rr_i18n_subst(T(r2 >= r1 ? "hl.channel_roi_up" : "hl.channel_roi_down"), "channel",
                                                rr_dict_name(&c->data->channels, (int32_t)ch), "from", a, "to", b,
                                                "spend", ds, "revenue", dr, "prevperiod", prev_name, NULL));
    }
    for (int k = 0; k < 2; k++) {
        int best = -1;
        for (size_t i = 0; i < mine.n; i++)
            if (mine.text[i] && (best < 0 || mine.score[i] > mine.score[best])) best = (int)i;
        if (best < 0) break;
        hl_add(hl, mine.score[best], mine.text[best]);
        mine.text[best] = NULL;
    }
    hl_free(&mine);
    free(now);
    free(bef);
}

/* "+18.2% vs Oct 25" (or "+2.1 pts vs Oct 25" for a rate) before the tile's
 * note: the same period last year, when the inputs reach back */
static void yoy_note(const rr_build_ctx *c, rr_kpi *k, double now, double then, int pts, const char *yname)
{
    char d[160];
    int tr;
    /* the board pack's page 1 has its own year on year (board.c): its tiles stay short */
    if (!strcmp(rr_config_str(c->cfg, "report.pack", "full"), "board")) return;
    if (pts) delta_points(c, now, then, yname, d, sizeof d, &tr);
    else delta_text(c, now, then, yname, d, sizeof d, &tr);
    if (!d[0]) return;
    char *t = k->note ? rr_i18n_subst(T("kpi.yoy_and_note"), "yoy", d, "note", k->note, NULL) : rr_xstrdup(d);
    rr_doc_set(&k->note, t);
    free(t);
}

/* the deal types attribution covers, in words (attribution.deal_types) */
static const char *types_text(const rr_build_ctx *c)
{
    if (c->m->deal_mask == RR_METRICS_DEALS_ALL) return T("attr.types.all");
    if (c->m->deal_mask == RR_METRICS_DEALS_NEW_EXPANSION) return T("attr.types.new_business_expansion");
    return T("attr.types.new_business");
}

static void section_summary(const rr_build_ctx *c, rr_doc *doc)
{
    const rr_metrics *m = c->m;
    const rr_data *d = c->data;
    const rr_period *p = c->period;
    rr_period prev;
    rr_period_prev(p, &prev);
    totals now = sum_months(m, p->first, p->last), before = sum_months(m, prev.first, prev.last);
    char prev_name[NM], prev_short[NM], v[NM], dl[160], note[160], a[NM], b[NM];
    period_name(c, &prev, prev_name, sizeof prev_name);
    period_short(c, &prev, prev_short, sizeof prev_short);
    rr_doc_section *s = rr_doc_section_add(doc, "summary", T("section.summary"));

    int has_spend = d->files[RR_IN_SPEND].present, has_leads = d->files[RR_IN_LEADS].present;
    int has_touch = d->files[RR_IN_TOUCH].present;
    double sourced = rr_figs_get(c->figs, "marketing_sourced_revenue", p->label, NULL);
    double influenced = rr_figs_get(c->figs, "marketing_influenced_revenue", p->label, NULL);
    double cac = rr_figs_get(c->figs, "cac", p->label, NULL);
    int has_src = has_touch && isfinite(sourced) && isfinite(influenced);
    size_t nk = 5 + (size_t)has_spend + (size_t)(has_spend && has_touch) + 2 * (size_t)has_leads + (size_t)has_src +
                (size_t)(has_spend && isfinite(cac));
    rr_kpi *k = rr_doc_kpis(s, nk);
    size_t ki = 0;
    int tr;
    double *won = months_d(m, m->won_revenue), *pipe = months_d(m, m->pipeline_created);
    double *spend = months_d(m, m->spend_total), *mq = months_l(m, m->mqls), *sq = months_l(m, m->sqls);
    double *wr = rr_xmalloc(m->nmonths * sizeof *wr);
    for (size_t i = 0; i < m->nmonths; i++)
        wr[i] = ratio((double)m->won_count[i], (double)(m->won_count[i] + m->lost_count[i]));

    /* revenue won */
    rr_fmt_money_compact(c->fmt, rr_money_to_double(now.won), v, sizeof v);
    delta_text(c, (double)now.won, (double)before.won, prev_short, dl, sizeof dl, &tr);
    note[0] = 0;
    if (now.has_target && now.target) {
        rr_fmt_pct(c->fmt, (double)now.won / (double)now.target, 0, a, sizeof a);
        rr_fmt_money_compact(c->fmt, rr_money_to_double(now.target), b, sizeof b);
        char *t = rr_i18n_subst(T("kpi.of_target"), "pct", a, "target", b, NULL);
        snprintf(note, sizeof note, "%s", t);
        free(t);
    }
    kpi_fill(&k[ki++], T("kpi.revenue_won"), v, dl, tr, 1, note, won, m->nmonths);
    /* year on year, from the plan module (same months a year earlier) */
    const rr_plan_period *yy = c->plan ? &c->plan->per[0] : NULL;
    char yname[NM];
    if (p->kind == RR_PERIOD_MONTH) rr_fmt_month_short(c->fmt, p->first - 12, yname, sizeof yname);
    else {
        rr_period py;
        rr_period_quarter(p->fiscal_year - 1, p->quarter, p->fy_start, &py);
        period_short(c, &py, yname, sizeof yname);
    }
    if (yy && yy->has_yoy_opps) yoy_note(c, &k[ki - 1], (double)now.won, (double)yy->yoy.won, 0, yname);
    /* attainment */
    if (now.has_target && now.target) rr_fmt_pct(c->fmt, (double)now.won / (double)now.target, 1, v, sizeof v);
    else snprintf(v, sizeof v, "%s", "\xe2\x80\x94");
    kpi_fill(&k[ki++], T("kpi.attainment"), v, NULL, 0, 1,
             now.has_target ? NULL : T("kpi.no_target"), NULL, 0);
    /* the quarter: while months remain, won to date + model (figures of the
     * forecast section); once none remains, the final actual against target */
    {
        rr_fcr_quarter q;
        char l1[NM], l2[NM], w[NM];
        int has = rr_fcr_quarter_outlook(c, &q);
        if (q.months_left == 0 && c->period->kind == RR_PERIOD_QUARTER && q.next_ok) {
            /* a quarter's own report: its won revenue is the first tile already;
             * this one looks ahead to the next quarter */
            rr_fmt_money_compact(c->fmt, q.next_total, v, sizeof v);
            rr_fmt_money_compact(c->fmt, q.next_lo80, l1, sizeof l1);
            rr_fmt_money_compact(c->fmt, q.next_hi80, l2, sizeof l2);
            char *lbl = rr_i18n_subst(T("kpi.next_quarter"), "quarter", q.next_name, NULL), *fq;
            if (q.next_has_target && q.next_target > 0) {
                rr_fmt_money_compact(c->fmt, q.next_target, w, sizeof w);
                fq = rr_i18n_subst(T("kpi.next_quarter_note"), "lo", l1, "hi", l2, "target", w, NULL);
            } else {
                fq = rr_i18n_subst(T("kpi.next_quarter_note_no_target"), "lo", l1, "hi", l2, NULL);
            }
            kpi_fill(&k[ki++], lbl, v, NULL, 0, 1, fq, NULL, 0);
            free(lbl);
            free(fq);
            static const char *const nm[] = {"forecast_next_quarter_model", "forecast_next_quarter_model_lo80",
                                             "forecast_next_quarter_model_hi80"};
            const double nv[] = {q.next_total, q.next_lo80, q.next_hi80};
            for (int i = 0; i < 3; i++)
                rr_fig_set_model(rr_figs_money(c->figs, nm[i], q.next_label, NULL, NULL,
                                               (rr_money)llround(nv[i] * RR_MONEY_SCALE)), q.next_method);
        } else if (q.months_left == 0) {
            rr_fmt_money_compact(c->fmt, q.won, v, sizeof v);
            char *lbl = rr_i18n_subst(T("kpi.quarter_won"), "quarter", q.name, NULL);
            char *fq;
            if (q.has_target && q.target > 0) {
                rr_fmt_pct(c->fmt, q.won / q.target, 0, l1, sizeof l1);
                rr_fmt_money_compact(c->fmt, q.target, l2, sizeof l2);
                fq = rr_i18n_subst(T("kpi.quarter_won_note"), "pct", l1, "target", l2, NULL);
            } else {
                fq = rr_xstrdup(T("kpi.quarter_won_no_target"));
            }
            kpi_fill(&k[ki++], lbl, v, NULL, 0, 1, fq, NULL, 0);
            free(lbl);
            free(fq);
        } else if (c->plan && c->plan->outlook.ok && isfinite(c->plan->outlook.basis[c->plan->outlook.headline])) {
            /* the quarter outlook's headline (plan.c: forecast.headline), its
             * basis, share of target and status; the other bases are below */
            const rr_plan_outlook *ol = &c->plan->outlook;
            static const char *const bkey[] = {"plan.basis.closed", "plan.basis.commit", "plan.basis.best_case",
                                               "plan.basis.weighted", "plan.basis.model"};
            rr_fmt_money_compact(c->fmt, ol->basis[ol->headline], v, sizeof v);
            char *fq;
            if (isfinite(ol->target)) {
                rr_fmt_pct(c->fmt, ol->attain[ol->headline], 0, l1, sizeof l1);
                rr_fmt_money_compact(c->fmt, ol->target, l2, sizeof l2);
                fq = rr_i18n_subst(T("plan.kpi.outlook_note"), "basis", T(bkey[ol->headline]), "pct", l1, "target", l2,
                                   "status", rr_story_status_text(c, ol->status[ol->headline]), NULL);
            } else {
                fq = rr_xstrdup(T(bkey[ol->headline]));
            }
            kpi_fill(&k[ki++], T("kpi.forecast_quarter"), v, NULL, 0, 1, fq, NULL, 0);
            k[ki - 1].good = ol->status[ol->headline] == RR_PLAN_ON_TRACK ? 1
                             : ol->status[ol->headline] == RR_PLAN_OFF_TRACK ? -1 : 0;
            free(fq);
        } else {
            if (has) rr_fmt_money_compact(c->fmt, q.total, v, sizeof v);
            else snprintf(v, sizeof v, "%s", "\xe2\x80\x94");
            rr_fmt_money_compact(c->fmt, q.won, w, sizeof w);
            rr_fmt_money_compact(c->fmt, q.lo80, l1, sizeof l1);
            rr_fmt_money_compact(c->fmt, q.hi80, l2, sizeof l2);
            char *fq = rr_i18n_subst(T("kpi.forecast_quarter_note"), "qtd", w, "lo", l1, "hi", l2, NULL);
            kpi_fill(&k[ki++], T("kpi.forecast_quarter"), v, NULL, 0, 1, fq, NULL, 0);
            free(fq);
        }
    }
    /* pipeline created */
    rr_fmt_money_compact(c->fmt, rr_money_to_double(now.pipeline), v, sizeof v);
    delta_text(c, (double)now.pipeline, (double)before.pipeline, prev_short, dl, sizeof dl, &tr);
    rr_fmt_count(c->fmt, now.created_n, a, sizeof a);
    char *t = rr_i18n_subst(T("kpi.opps_created"), "n", a, NULL);
    kpi_fill(&k[ki++], T("kpi.pipeline_created"), v, dl, tr, 1, t, pipe, m->nmonths);
    if (yy && yy->has_yoy_opps) yoy_note(c, &k[ki - 1], (double)now.pipeline, (double)yy->yoy.pipeline, 0, yname);
    free(t);
    /* win rate */
    rr_fmt_pct(c->fmt, winrate(&now), 1, v, sizeof v);
    delta_points(c, winrate(&now), winrate(&before), prev_short, dl, sizeof dl, &tr);
    rr_fmt_count(c->fmt, now.won_n, a, sizeof a);
    rr_fmt_count(c->fmt, now.won_n + now.lost_n, b, sizeof b);
    t = rr_i18n_subst(T("kpi.won_of_closed"), "won", a, "closed", b, NULL);
    kpi_fill(&k[ki++], T("kpi.win_rate"), v, dl, tr, 1, t, wr, m->nmonths);
    if (yy && yy->has_yoy_opps) yoy_note(c, &k[ki - 1], winrate(&now), rr_plan_win_rate(&yy->yoy, -1), 1, yname);
    free(t);
    if (has_spend) {
        rr_fmt_money_compact(c->fmt, rr_money_to_double(now.spend), v, sizeof v);
        delta_text(c, (double)now.spend, (double)before.spend, prev_short, dl, sizeof dl, &tr);
        kpi_fill(&k[ki++], T("kpi.spend"), v, dl, tr, 0, NULL, spend, m->nmonths);
        if (yy && yy->has_yoy_spend) yoy_note(c, &k[ki - 1], (double)now.spend, (double)yy->yoy.spend, 0, yname);
        if (isfinite(cac)) {
            rr_fmt_money_compact(c->fmt, cac, v, sizeof v);
            kpi_fill(&k[ki++], T("kpi.cac"), v, NULL, 0, 0, T("kpi.cac_note"), NULL, 0);
        }
        if (has_touch) {
            double rev, sp;
            double roi = paid_roi(m, &rev, &sp);
            rr_fmt_ratio(c->fmt, roi, v, sizeof v);
            rr_fmt_money_compact(c->fmt, rev, a, sizeof a);
            t = rr_i18n_subst(T("kpi.roi_note"), "revenue", a, "types", types_text(c), NULL);
            kpi_fill(&k[ki++], T("kpi.roi"), v, NULL, 0, 1, t, NULL, 0);
            free(t);
        }
    }
    if (has_src) {
        rr_fmt_money_compact(c->fmt, sourced, v, sizeof v);
        char pi[NM], ps[NM], ss[NM];
        /* shares of the won revenue of the deal types attribution covers */
        double covered = rr_figs_get(c->figs, "covered_won_revenue", p->label, NULL);
        if (!isfinite(covered)) covered = rr_money_to_double(now.won);
        rr_fmt_money_compact(c->fmt, influenced, a, sizeof a);
        rr_fmt_money_compact(c->fmt, rr_figs_get(c->figs, "sales_sourced_revenue", p->label, NULL), ss, sizeof ss);
        rr_fmt_pct(c->fmt, ratio(sourced, covered), 0, ps, sizeof ps);
        rr_fmt_pct(c->fmt, ratio(influenced, covered), 0, pi, sizeof pi);
        t = rr_i18n_subst(T("kpi.sourced_note"), "share", ps, "influenced", a, "ishare", pi, "types", types_text(c),
                          "sales", ss, NULL);
        kpi_fill(&k[ki++], T("kpi.sourced"), v, NULL, 0, 1, t, NULL, 0);
        free(t);
    }
    if (has_leads) {
        rr_fmt_count(c->fmt, now.mqls, v, sizeof v);
        delta_text(c, (double)now.mqls, (double)before.mqls, prev_short, dl, sizeof dl, &tr);
        kpi_fill(&k[ki++], T("kpi.mqls"), v, dl, tr, 1, NULL, mq, m->nmonths);
        if (yy && yy->has_yoy_leads) yoy_note(c, &k[ki - 1], (double)now.mqls, (double)yy->yoy.mqls, 0, yname);
        rr_fmt_count(c->fmt, now.sqls, v, sizeof v);
        delta_text(c, (double)now.sqls, (double)before.sqls, prev_short, dl, sizeof dl, &tr);
        rr_fmt_pct(c->fmt, ratio((double)now.sqls, (double)now.mqls), 1, a, sizeof a);
        t = rr_i18n_subst(T("kpi.sql_per_mql"), "pct", a, NULL);
        kpi_fill(&k[ki++], T("kpi.sqls"), v, dl, tr, 1, t, sq, m->nmonths);
        if (yy && yy->has_yoy_leads) yoy_note(c, &k[ki - 1], (double)now.sqls, (double)yy->yoy.sqls, 0, yname);
        free(t);
    }
    free(won); free(pipe); free(spend); free(mq); free(sq); free(wr);

    /* highlights: plain sentences from the figures above.  The headline
     * (revenue against target) comes first; the others are candidates scored
     * by the size of their change, and the biggest ones are kept. */
    hl_list hl = {0};
    char pname[NM];
    period_name(c, p, pname, sizeof pname);
    rr_fmt_money_compact(c->fmt, rr_money_to_double(now.won), v, sizeof v);
    if (now.has_target && now.target) {
        rr_fmt_money_compact(c->fmt, rr_money_to_double(now.target), b, sizeof b);
        rr_fmt_pct(c->fmt, (double)now.won / (double)now.target, 0, a, sizeof a);
        hl_add(&hl, INFINITY, rr_i18n_subst(T("hl.revenue_target"), "period", pname, "won", v, "pct", a, "target", b, NULL));
    } else {
        hl_add(&hl, INFINITY, rr_i18n_subst(T("hl.revenue"), "period", pname, "won", v, NULL));
    }
    if (before.won) {
        char pv[NM];
        double dw = ((double)now.won - (double)before.won) / (double)before.won;
        rr_fmt_money_compact(c->fmt, rr_money_to_double(before.won), pv, sizeof pv);
        rr_fmt_pct(c->fmt, fabs(dw), 0, a, sizeof a);
        hl_add(&hl, fabs(dw), rr_i18n_subst(T(now.won >= before.won ? "hl.revenue_up" : "hl.revenue_down"), "delta", a,
                                            "prev", pv, "prevperiod", prev_name, NULL));
    }
    if (has_spend && has_touch) channel_roi_highlights(c, p, &prev, prev_name, &hl);
    if (before.pipeline) {
        double dp = ((double)now.pipeline - (double)before.pipeline) / (double)before.pipeline;
        rr_fmt_money_compact(c->fmt, rr_money_to_double(now.pipeline), v, sizeof v);
        rr_fmt_delta_pct(c->fmt, dp, 0, a, sizeof a);
        hl_add(&hl, fabs(dp), rr_i18n_subst(T("hl.pipeline"), "pipeline", v, "delta", a, "prevperiod", prev_name, NULL));
    }
    if (isfinite(winrate(&now)) && isfinite(winrate(&before))) {
        double dpts = (winrate(&now) - winrate(&before)) * 100.0;
        char w1[NM], w2[NM];
        rr_fmt_pct(c->fmt, winrate(&before), 0, w1, sizeof w1);
        rr_fmt_pct(c->fmt, winrate(&now), 0, w2, sizeof w2);
        hl_add(&hl, fabs(dpts) / 25.0, rr_i18n_subst(T(dpts >= 0 ? "hl.winrate_up" : "hl.winrate_down"), "from", w1,
                                                   "to", w2, "prevperiod", prev_name, NULL));
    }
    if (has_leads && before.mqls) {
        double dm = ((double)now.mqls - (double)before.mqls) / (double)before.mqls;
        rr_fmt_delta_pct(c->fmt, dm, 0, a, sizeof a);
        rr_fmt_count(c->fmt, now.mqls, b, sizeof b);
        char sq_s[NM];
        rr_fmt_count(c->fmt, now.sqls, sq_s, sizeof sq_s);
        hl_add(&hl, fabs(dm), rr_i18n_subst(T("hl.mqls"), "mqls", b, "delta", a, "sqls", sq_s, "prevperiod", prev_name, NULL));
    }
    if (has_touch && m->no_touch_deals && now.won) {
        double share = (double)m->no_touch_revenue / (double)now.won;
        rr_fmt_count(c->fmt, m->no_touch_deals, a, sizeof a);
        rr_fmt_money_compact(c->fmt, rr_money_to_double(m->no_touch_revenue), b, sizeof b);
        hl_add(&hl, share, rr_i18n_subst(T("hl.no_touch"), "n", a, "revenue", b, NULL));
    }
    const char *items[HL_MAX];
    size_t ni = hl_pick(&hl, items);
    rr_doc_list(s, RR_BLOCK_LIST, ni, items);
    hl_free(&hl);
    /* page 1's answers: status, contribution against plan, what to do (board.c) */
    rr_board_summary(c, s);
    /* deal types, plan vs actual with status, the quarter outlook (story.c);
     * the board pack's page 1 (board.c) carries its own short form of them */
    if (strcmp(rr_config_str(c->cfg, "report.pack", "full"), "board") != 0) rr_story_summary(c, s);
}

static void section_revenue(const rr_build_ctx *c, rr_doc *doc)
{
    const rr_metrics *m = c->m;
    rr_doc_section *s = rr_doc_section_add(doc, "revenue", T("section.revenue"));
    char **labels = month_labels(c);
    rr_chart *ch = rr_chart_new(RR_CHART_COMBO, T("chart.revenue_vs_target"));
    rr_chart_set_categories(ch, m->nmonths, (const char *const *)labels);
    double *won = months_d(m, m->won_revenue);
    double *tgt = months_d(m, m->revenue_target);
    for (size_t i = 0; i < m->nmonths; i++) if (!m->has_target[i]) tgt[i] = NAN;
    size_t si = rr_chart_add_series(ch, T("series.won_revenue"), RR_SERIES_BAR, won, m->nmonths);
    rr_chart_set_accent(ch, si);
    int any_target = 0;
    for (size_t i = 0; i < m->nmonths; i++) any_target |= m->has_target[i];
    if (any_target) rr_chart_add_series(ch, T("series.target"), RR_SERIES_TARGET, tgt, m->nmonths);
    rr_chart_set_unit(ch, RR_UNIT_MONEY, c->data->base_currency);
    rr_doc_chart(s, ch, T("caption.revenue_vs_target"));
    free(won); free(tgt);

    const char *hdr[] = {T("col.month"), T("col.won_revenue"), T("col.target"), T("col.attainment"),
                         T("col.won_deals"), T("col.lost_deals"), T("col.win_rate")};
    rr_table *t = rr_doc_table(s, T("table.revenue_by_month"), 7, hdr, NULL);
    for (size_t i = 0; i < m->nmonths; i++) {
        char mo[NM], w[NM], tg[NM], at[NM], wn[NM], ln[NM], wrs[NM];
        rr_fmt_month(c->fmt, m->window_first + (int)i, mo, sizeof mo);
        rr_fmt_money(c->fmt, m->won_revenue[i], 0, w, sizeof w);
        if (m->has_target[i]) {
            rr_fmt_money(c->fmt, m->revenue_target[i], 0, tg, sizeof tg);
            rr_fmt_pct(c->fmt, ratio((double)m->won_revenue[i], (double)m->revenue_target[i]), 1, at, sizeof at);
        } else {
            snprintf(tg, sizeof tg, "\xe2\x80\x94");
            snprintf(at, sizeof at, "\xe2\x80\x94");
        }
        rr_fmt_count(c->fmt, m->won_count[i], wn, sizeof wn);
        rr_fmt_count(c->fmt, m->lost_count[i], ln, sizeof ln);
        rr_fmt_pct(c->fmt, ratio((double)m->won_count[i], (double)(m->won_count[i] + m->lost_count[i])), 1, wrs,
                   sizeof wrs);
        const char *row[] = {mo, w, tg, at, wn, ln, wrs};
        int cur = m->window_first + (int)i >= c->period->first;
        rr_table_row(t, cur ? RR_ROW_TOTAL : RR_ROW_NORMAL, row);
    }
    /* the quarter and year totals elsewhere are exact sums, not sums of these rounded rows */
    rr_doc_note(s, T("note.rounding"));
    free_labels(labels, m->nmonths);
    /* the quarter's months against plan, the largest deals (story.c) */
    if (strcmp(rr_config_str(c->cfg, "report.pack", "full"), "board") != 0) rr_story_revenue(c, s);
}

/* Exports read through a profile (input module): one row per file with how
 * it was read, its counts as figures (dimension file), then the first
 * rejected rows of each file with their line. */
static void section_appendix_exports(const rr_build_ctx *c, rr_doc_section *s)
{
    const rr_data *d = c->data;
    size_t nexp = 0;
    for (size_t i = 0; i < d->ninputs; i++) nexp += strcmp(d->inputs[i].profile, "canonical") != 0;
    for (size_t i = 0; i < d->ndropped; i++)   /* files left out entirely (also on page 1) */
        rr_figs_count(c->figs, "input_file_left_out", c->period->label, "file", d->dropped[i], 1);
    if (!nexp) return;
    const char *hdr[] = {T("col.file"), T("input.col.profile"), T("input.col.encoding"), T("input.col.delimiter"),
                         T("input.col.read"), T("col.rows_used"), T("input.col.rejected"), T("input.col.footer")};
    /* file, profile, encoding and delimiter are text; the counts are numbers */
    static const rr_align al[] = {RR_ALIGN_LEFT, RR_ALIGN_LEFT, RR_ALIGN_LEFT, RR_ALIGN_LEFT,
                                  RR_ALIGN_RIGHT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT};
    rr_table *t = rr_doc_table(s, T("input.table.exports"), 8, hdr, al);
    for (size_t i = 0; i < d->ninputs; i++) {
        const rr_input_file *f = &d->inputs[i];
        if (!strcmp(f->profile, "canonical")) continue;
        const long v[4] = {f->stats.rows, f->stats.rows_used, f->stats.rows_rejected, f->stats.rows_footer};
        static const char *const metric[4] = {"input_rows_read", "input_rows_used", "input_rows_rejected",
                                              "input_rows_footer"};
        char num[4][NM], dl[8];
        for (int k = 0; k < 4; k++) {
            rr_figs_count(c->figs, metric[k], c->period->label, "file", f->name, v[k]);
            rr_fmt_count(c->fmt, v[k], num[k], sizeof num[k]);
        }
        if (f->stats.delimiter == '\t') snprintf(dl, sizeof dl, "%s", T("input.delimiter.tab"));
        else snprintf(dl, sizeof dl, "%c", f->stats.delimiter ? f->stats.delimiter : ',');
        const char *row[] = {f->name, f->profile, f->stats.encoding, dl, num[0], num[1], num[2], num[3]};
        rr_table_row(t, RR_ROW_NORMAL, row);
    }
    for (size_t i = 0; i < d->ninputs; i++) {
        const rr_input_file *f = &d->inputs[i];
        if (!f->stats.nrejects) continue;
        char shown[NM], all[NM];
        rr_fmt_count(c->fmt, f->stats.nrejects, shown, sizeof shown);
        rr_fmt_count(c->fmt, f->stats.rows_rejected, all, sizeof all);
        char *head = rr_i18n_subst(T("input.rejects"), "file", f->name, "shown", shown, "n", all, NULL);
        const char *items[RR_CSV_REJECTS];
        for (int k = 0; k < f->stats.nrejects; k++) items[k] = f->stats.rejects[k];
        rr_doc_para(s, head);
        rr_doc_list(s, RR_BLOCK_WARN, (size_t)f->stats.nrejects, items);
        free(head);
    }
}

static void section_appendix(const rr_build_ctx *c, rr_doc *doc)
{
    const rr_data *d = c->data;
    const rr_metrics *m = c->m;
    rr_doc_section *s = rr_doc_section_add(doc, "appendix", T("section.appendix"));
    char lb[16], am[16];
    snprintf(lb, sizeof lb, "%d", c->lookback_days);
    snprintf(am, sizeof am, "%d", m->account_matches);
    const char *keys[] = {"method.won_revenue", "method.win_rate", "method.funnel", "method.spend",
                          "method.journey", "method.linear", "method.roi", "method.money"};
    char *owned[8];
    const char *items[8];
    for (size_t i = 0; i < 8; i++) {
        owned[i] = rr_i18n_subst(T(keys[i]), "lookback", lb, "currency", d->base_currency, "accounts",
                                 m->account_matches > 0 ? am : "∞", NULL);
        items[i] = owned[i];
    }
    rr_doc_para(s, T("appendix.methodology"));
    rr_doc_list(s, RR_BLOCK_LIST, 8, items);
    for (size_t i = 0; i < 8; i++) free(owned[i]);

    const char *hdr[] = {T("col.file"), T("col.rows"), T("col.rows_used"), T("col.rows_skipped"), T("col.sha256")};
    static const rr_align al[] = {RR_ALIGN_LEFT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT,
                                  RR_ALIGN_LEFT};   /* the checksum (or "not provided") is text */
    rr_table *t = rr_doc_table(s, T("table.inputs"), 5, hdr, al);
    rr_data_settle_checksums(d);   /* the big files' sums, finished side by side */
    for (int i = 0; i < RR_IN_COUNT; i++) {
        const rr_input_file *f = &d->files[i];
        char a[NM], b[NM], cc[NM], hex[65];
        if (!f->present) {
            const char *row[] = {f->name, "\xe2\x80\x94", "\xe2\x80\x94", "\xe2\x80\x94", T("appendix.not_provided")};
            rr_table_row(t, RR_ROW_MUTED, row);
            continue;
        }
        for (size_t k = 0; k < d->ninputs; k++) {   /* the canonical file, or each export of the table */
            const rr_input_file *in = &d->inputs[k];
            const rr_csv_stats *st = rr_data_input_stats(d, k);
            if (in->table != i || !in->present) continue;
            rr_fmt_count(c->fmt, st->rows, a, sizeof a);
            rr_fmt_count(c->fmt, st->rows_used, b, sizeof b);
            rr_fmt_count(c->fmt, st->rows_skipped, cc, sizeof cc);
            unsigned char dig[32];
            rr_error herr;   /* a failed sum fails the run before anything is written (rr_data_checksums) */
            rr_csv_stats_sha256(st, in->path, dig, &herr);
            rr_sha256_hex(dig, hex);
            hex[16] = 0;   /* the full sum is in report.xml */
            char hx[80];
            snprintf(hx, sizeof hx, "%s\xe2\x80\xa6", hex);
            const char *row[] = {in->name, a, b, cc, hx};
            rr_table_row(t, RR_ROW_NORMAL, row);
        }
    }

    section_appendix_exports(c, s);

    /* data quality */
    size_t cap = d->nwarnings + c->nomitted + 4, n = 0;
    const char **w = rr_xmalloc(cap * sizeof *w);
    char **own = rr_xcalloc(cap, sizeof *own);
    for (size_t i = 0; i < c->nomitted; i++) w[n++] = c->omitted[i];
    if (m->touches_unmatched) {
        char a[NM];
        rr_fmt_count(c->fmt, m->touches_unmatched, a, sizeof a);
        own[n] = rr_i18n_subst(T("dq.touches_unmatched"), "n", a, "lookback", lb, NULL);
        w[n] = own[n]; n++;
    }
    if (m->touches_capped) {
        char a[NM], mx[16];
        rr_fmt_count(c->fmt, m->touches_capped, a, sizeof a);
        snprintf(mx, sizeof mx, "%d", m->account_matches);
        own[n] = rr_i18n_subst(T("dq.account_matches_capped"), "n", a, "max", mx, "account",
                               rr_dict_name(&d->accounts, m->capped_account), NULL);
        w[n] = own[n]; n++;
    }
    /* touchpoints naming unknown opportunities: a data warning (rr_data_check) */
    if (d->duplicate_opps) {
        char a[NM];
        rr_fmt_count(c->fmt, d->duplicate_opps, a, sizeof a);
        own[n] = rr_i18n_subst(T("dq.duplicate_opps"), "n", a, NULL);
        w[n] = own[n]; n++;
    }
    for (size_t i = 0; i < d->nwarnings && n < cap; i++) {   /* in the report's language */
        own[n] = rr_data_warning_text(d, i, rr_i18n_lookup, c->cat);
        w[n] = own[n];
        n++;
    }
    if (n) {
        rr_doc_para(s, T("appendix.data_quality"));
        rr_doc_list(s, RR_BLOCK_WARN, n, w);
    } else {
        rr_doc_para(s, T("appendix.no_warnings"));
    }
    for (size_t i = 0; i < cap; i++) free(own[i]);
    free(own);
    free(w);
}

typedef struct {
    const rr_build_ctx *c;
    rr_attrrep *a;
    pthread_t th;
} attr_job;

static void *attr_job_run(void *arg)
{
    attr_job *j = arg;
    j->a = rr_attrrep_compute_ctx(j->c);
    return NULL;
}

/* v[0..n) = v[k..n) followed by v[0..k) (elements of size es) */
static void rotate(void *v, size_t k, size_t n, size_t es)
{
    if (k == 0 || k >= n) return;
    unsigned char *p = v, *tmp = rr_xmalloc(k * es);
    memcpy(tmp, p, k * es);
    memmove(p, p + k * es, (n - k) * es);
    memcpy(p + (n - k) * es, tmp, k * es);
    free(tmp);
}

rr_doc *rr_build_doc(const rr_build_ctx *c)
{
    rr_doc *doc = rr_doc_new(rr_i18n_lang(c->cat));
    char pname[NM];
    period_name(c, c->period, pname, sizeof pname);
    rr_doc_set(&doc->title, T(c->period->kind == RR_PERIOD_MONTH ? "report.title_monthly" : "report.title_quarterly"));
    rr_doc_set(&doc->period_label, pname);
    rr_doc_set(&doc->company, c->company);
    rr_doc_set(&doc->logo_path, c->logo);
    /* the time of the run as the language writes dates (ru 30.10.2026 00:00 UTC) */
    int y, mo, d, hh, mi;
    char when[64];
    snprintf(when, sizeof when, "%s", c->generated ? c->generated : "");
    if (c->generated && sscanf(c->generated, "%d-%d-%d %d:%d", &y, &mo, &d, &hh, &mi) == 5) {
        char ys[8], ms[4], ds[4], hs[4], ns[4];
        snprintf(ys, sizeof ys, "%04d", y);
        snprintf(ms, sizeof ms, "%02d", mo);
        snprintf(ds, sizeof ds, "%02d", d);
        snprintf(hs, sizeof hs, "%02d", hh);
        snprintf(ns, sizeof ns, "%02d", mi);
        char *w = rr_i18n_subst(T("fmt.datetime"), "y", ys, "m", ms, "d", ds, "H", hs, "M", ns, NULL);
        snprintf(when, sizeof when, "%s", w);
        free(w);
    }
    char *gen = rr_i18n_subst(T("report.generated"), "when", when, NULL);
    rr_doc_set(&doc->generated, gen);
    free(gen);
    rr_doc_set(&doc->confidentiality, T("report.confidential"));
    rr_doc_set(&doc->author, c->company);
    char *subj = rr_i18n_subst(T("report.subject"), "period", pname, NULL);
    rr_doc_set(&doc->subject, subj);
    free(subj);
    rr_doc_set(&doc->keywords, T("report.keywords"));
    doc->tr = rr_i18n_lookup;
    doc->cat = c->cat;
    doc->chart_env = rr_fmt_chart_env(c->fmt);

    /* the attribution's computation (all models, three scopes) runs on a
     * thread of its own while the revenue, forecast and funnel sections are
     * built (it reads the data and adds no figure); its sections and figures
     * are then put back in their place, before the funnel's, so the document
     * and report.xml are those of a sequential build */
    int roi = c->data->files[RR_IN_SPEND].present || c->data->files[RR_IN_TOUCH].present;
    attr_job job;
    memset(&job, 0, sizeof job);
    job.c = c;
    int threaded = roi && pthread_create(&job.th, NULL, attr_job_run, &job) == 0;
    section_revenue(c, doc);
    rr_timing("section revenue");
    rr_fcr_section_forecast(c, doc);
    rr_timing("section forecast");
    size_t sec0 = doc->nsections, fig0 = c->figs->n;
    rr_fcr_section_funnel(c, doc);
    rr_timing("section funnel");
    size_t sec1 = doc->nsections, fig1 = c->figs->n;
    if (roi) {
        if (threaded) pthread_join(job.th, NULL);
        else job.a = rr_attrrep_compute_ctx(c);
        rr_timing("attribution (wait)");
        rr_attrrep_sections_from(c, doc, job.a);
        rotate(doc->sections + sec0, sec1 - sec0, doc->nsections - sec0, sizeof *doc->sections);
        rr_figs_rotate(c->figs, fig0, fig1 - fig0);   /* keeps the store's index */
    }
    rr_timing("sections roi, attribution");
    /* channel trends over the months, after the ROI section's spend by month (story.c) */
    for (size_t i = 0; i < doc->nsections; i++)
        if (!strcmp(doc->sections[i].id, "roi") && strcmp(rr_config_str(c->cfg, "report.pack", "full"), "board") != 0)
            rr_story_trends(c, &doc->sections[i]);
    section_appendix(c, doc);
    /* the quarter outlook reads the forecast section's figures; then the plan's figures */
    if (c->plan) {
        rr_plan_outlook_compute(c, c->plan);
        rr_plan_figures(c->plan, c->figs);
    }
    /* the summary is built last, from the figures every other section has
     * added, and shown first */
    section_summary(c, doc);
    /* every attribution, ROI, ROAS and sourced/influenced figure says which
     * deal types it covers; program CAC counts new customers only */
    static const char *const attributed[] = {"attributed_revenue", "attributed_deals", "attributed_pipeline",
                                             "attributed_revenue_paid", "covered_won_revenue", "roi", "roas",
                                             "roi_trailing", "marketing_sourced_revenue", "sales_sourced_revenue",
                                             "marketing_influenced_revenue", "no_touch_revenue", "no_touch_deals",
                                             "pipeline_created_open", "attributed_pipeline_created", NULL};
    static const char *const newbiz[] = {"cac", "new_customers", NULL};
    rr_figs_tag_deal_types(c->figs, attributed, c->m->deal_types);
    rr_figs_tag_deal_types(c->figs, newbiz, "new_business");
    rr_timing("sections appendix, summary");
    rr_doc_section last = doc->sections[doc->nsections - 1];
    memmove(doc->sections + 1, doc->sections, (doc->nsections - 1) * sizeof *doc->sections);
    doc->sections[0] = last;
    return doc;
}
