/* metrics.c: first figures: revenue, spend, targets, funnel counts, win
 * rate, journeys and linear attribution with ROI (see metrics.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/journey.h"
#include "revreport/metrics.h"
#include "revreport/par.h"
#include "revreport/xalloc.h"

int rr_metrics_mi(const rr_metrics *m, int month)
{
    if (month < m->window_first || month > m->window_last) return -1;
    return month - m->window_first;
}

static int in_period(const rr_period *p, int month) { return month >= p->first && month <= p->last; }

typedef struct { int32_t opp; int32_t touch; rr_time ts; } pair;

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->opp != y->opp) return x->opp < y->opp ? -1 : 1;
    if (x->ts != y->ts) return x->ts < y->ts ? -1 : 1;
    return x->touch < y->touch ? -1 : x->touch > y->touch;
}

/* Journeys are built on two threads: each takes half of the touchpoints
 * (its pairs and counts), half of the pairs to scatter, and half of the
 * journeys to sort; every step writes only its own part, and the result is
 * the sequential one (pairs in touch order, each journey by pair_cmp). */
typedef struct {
    const rr_data *d;
    const int32_t *by_key, *aopp;
    const size_t *astart;
    size_t nacc;
    int lookback;
    size_t t0, t1;         /* touches of this half */
    pair *pairs;           /* this half's pairs, in touch order */
    size_t np, cap;
    size_t *cnt;           /* pairs per opportunity [nopp + 1] */
    long unknown_opp, unmatched, capped, outside;
    int32_t capped_account;
    int limit;             /* account_matches (0 = none) */
    struct near { int32_t opp; rr_time dist; } *near;   /* one touch's matches when over the limit */
    size_t nnear, capnear;
    /* scatter and sort */
    pair *sorted;
    size_t *cur;           /* where this half's next pair of each opportunity goes */
    const size_t *jstart;
    size_t o0, o1;         /* journeys this half sorts */
    int32_t *jt;
    size_t k0, k1;         /* jt entries this half fills */
    const rr_journey_order *ord;   /* the tie rule for touches at one instant */
} link_half;

static int near_cmp(const void *a, const void *b)
{
    const struct near *x = a, *y = b;
    if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
    return (x->opp > y->opp) - (x->opp < y->opp);
}

/* v[0..k) = the k smallest of v[0..n) by near_cmp, in any order (quickselect,
 * linear on average; it sorts what is left when the partitions stay lopsided) */
static void near_select(struct near *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    int budget = 2 * (64 - __builtin_clzll((unsigned long long)n | 1));
    while (hi - lo > 16) {
        if (budget-- == 0) { qsort(v + lo, hi - lo, sizeof *v, near_cmp); return; }
        struct near p = v[lo + (hi - lo) / 2];
        size_t lt = lo, i = lo, gt = hi;   /* [lo,lt) < p, [lt,gt) == p, [gt,hi) > p */
        while (i < gt) {
            int c = near_cmp(&v[i], &p);
            struct near x = v[i];
            if (c < 0) { v[i++] = v[lt]; v[lt++] = x; }
            else if (c > 0) { v[i] = v[--gt]; v[gt] = x; }
            else i++;
        }
        if (k <= lt) hi = lt;
        else if (k >= gt) lo = gt;
        else return;
    }
    qsort(v + lo, hi - lo, sizeof *v, near_cmp);
}

static int opp_cmp(const void *a, const void *b)
{
    const struct near *x = a, *y = b;
    return (x->opp > y->opp) - (x->opp < y->opp);
}

static void link_pairs(link_half *h)
{
    const rr_data *d = h->d;
    for (size_t t = h->t0; t < h->t1; t++) {
        const rr_touch *tp = &d->touch[t];
        int matched = 0;
        if (tp->opp_key >= 0) {
            int32_t o = h->by_key[tp->opp_key];
            if (o >= 0) {
                /* the journey's window applies to tagged touches too (journey.h) */
                rr_journey_window w = rr_journey_window_of(&d->opps[o], h->lookback);
                if (!rr_journey_in(&w, tp->ts)) { h->outside++; continue; }
                h->pairs = rr_xgrow(h->pairs, &h->cap, h->np + 1, sizeof *h->pairs);
                h->pairs[h->np++] = (pair){o, (int32_t)t, tp->ts};
                h->cnt[o]++;
                matched = 1;
            } else {
                h->unknown_opp++;
            }
        } else if (tp->account >= 0 && (size_t)tp->account < h->nacc) {
            h->nnear = 0;
            for (size_t k = h->astart[tp->account]; k < h->astart[tp->account + 1]; k++) {
                const rr_opp *o = &d->opps[h->aopp[k]];
                rr_time created = rr_date_time(o->created);
                rr_journey_window w = rr_journey_window_of(o, h->lookback);
                if (!rr_journey_in(&w, tp->ts)) continue;
                h->near = rr_xgrow(h->near, &h->capnear, h->nnear + 1, sizeof *h->near);
                h->near[h->nnear++] = (struct near){h->aopp[k], created > tp->ts ? created - tp->ts : tp->ts - created};
            }
            size_t keep = h->nnear;
            if (h->limit > 0 && keep > (size_t)h->limit) {
                /* more than the limit: the ones created nearest to the touch (the
                 * earlier opportunity on a tie), then back in opportunity order */
                keep = (size_t)h->limit;
                near_select(h->near, h->nnear, keep);
                qsort(h->near, keep, sizeof *h->near, opp_cmp);
                if (!h->capped++) h->capped_account = tp->account;
            }
            for (size_t k = 0; k < keep; k++) {
                h->pairs = rr_xgrow(h->pairs, &h->cap, h->np + 1, sizeof *h->pairs);
                h->pairs[h->np++] = (pair){h->near[k].opp, (int32_t)t, tp->ts};
                h->cnt[h->near[k].opp]++;
                matched = 1;
            }
        }
        if (!matched) h->unmatched++;
    }
}

static void *link_pairs_run(void *arg) { link_pairs(arg); return NULL; }

static void link_scatter_sort(link_half *h)
{
    for (size_t k = 0; k < h->np; k++) h->sorted[h->cur[h->pairs[k].opp]++] = h->pairs[k];
}

static void *link_scatter_run(void *arg) { link_scatter_sort(arg); return NULL; }

static void link_sort(link_half *h)
{
    for (size_t i = h->o0; i < h->o1; i++) {
        pair *g = h->sorted + h->jstart[i];
        size_t len = h->jstart[i + 1] - h->jstart[i];
        if (len > 32) {
            qsort(g, len, sizeof *g, pair_cmp);
        } else {
            for (size_t a = 1; a < len; a++) {
                pair x = g[a];
                size_t b = a;
                while (b > 0 && pair_cmp(&g[b - 1], &x) > 0) { g[b] = g[b - 1]; b--; }
                g[b] = x;
            }
        }
    }
    for (size_t k = h->k0; k < h->k1; k++) h->jt[k] = h->sorted[k].touch;
    for (size_t i = h->o0; i < h->o1; i++)
        rr_journey_sort_ties(h->ord, h->d, h->jt + h->jstart[i], h->jstart[i + 1] - h->jstart[i]);
}

static void *link_sort_run(void *arg) { link_sort(arg); return NULL; }

/* Build journeys: every (opportunity, touch) pair, grouped by opportunity in time order. */
static void link_journeys(rr_metrics *m, const rr_data *d, int lookback, int limit)
{
    size_t nopp = d->nopps;
    int32_t *by_key = rr_xmalloc((d->opp_ids.n + 1) * sizeof *by_key);
    for (size_t i = 0; i <= d->opp_ids.n; i++) by_key[i] = -1;
    for (size_t i = 0; i < nopp; i++) by_key[d->opps[i].id] = (int32_t)i;
    /* account -> opportunities (CSR) */
    size_t nacc = d->accounts.n;
    size_t *astart = rr_xcalloc(nacc + 2, sizeof *astart);
    for (size_t i = 0; i < nopp; i++)
        if (d->opps[i].account >= 0) astart[d->opps[i].account + 1]++;
    for (size_t a = 0; a < nacc; a++) astart[a + 1] += astart[a];
    int32_t *aopp = rr_xmalloc((nopp + 1) * sizeof *aopp);
    size_t *fill = rr_xcalloc(nacc + 1, sizeof *fill);
    for (size_t i = 0; i < nopp; i++) {
        int32_t a = d->opps[i].account;
        if (a >= 0) aopp[astart[a] + fill[a]++] = (int32_t)i;
    }
    /* 1. pairs, each half of the touchpoints on its own thread (small inputs: one) */
    link_half h[2];
    memset(h, 0, sizeof h);
    rr_journey_order ord;
    rr_journey_order_init(&ord, d);
    int two = d->ntouch >= 65536;
    for (int k = 0; k < 2; k++) {
        h[k].d = d; h[k].by_key = by_key; h[k].aopp = aopp; h[k].astart = astart; h[k].nacc = nacc;
        h[k].lookback = lookback;
        h[k].limit = limit;
        h[k].ord = &ord;
        h[k].cnt = rr_xcalloc(nopp + 1, sizeof *h[k].cnt);
    }
    h[0].t0 = 0;
    h[0].t1 = h[1].t0 = two ? d->ntouch / 2 : d->ntouch;
    h[1].t1 = d->ntouch;
    if (two) rr_par2(link_pairs_run, &h[1], link_pairs_run, &h[0]);
    else link_pairs(&h[0]);
    m->touches_unknown_opp += h[0].unknown_opp + h[1].unknown_opp;
    m->touches_unmatched += h[0].unmatched + h[1].unmatched;
    m->touches_outside += h[0].outside + h[1].outside;
    m->touches_capped = h[0].capped + h[1].capped;
    m->capped_account = h[0].capped ? h[0].capped_account : h[1].capped ? h[1].capped_account : -1;
    m->account_matches = limit;
    size_t np = h[0].np + h[1].np;
    /* 2. group by opportunity (counting sort: linear; the second half's pairs
     * of an opportunity after the first half's), 3. each journey by time
     * (journeys are short: insertion sort, qsort for long ones); the order is
     * pair_cmp's */
    m->jstart = rr_xcalloc(nopp + 1, sizeof *m->jstart);
    m->jt = rr_xmalloc((np + 1) * sizeof *m->jt);
    for (size_t i = 0; i < nopp; i++) m->jstart[i + 1] = m->jstart[i] + h[0].cnt[i] + h[1].cnt[i];
    pair *sorted = rr_xmalloc((np + 1) * sizeof *sorted);
    h[0].cur = rr_xmalloc((nopp + 1) * sizeof *h[0].cur);
    h[1].cur = rr_xmalloc((nopp + 1) * sizeof *h[1].cur);
    for (size_t i = 0; i < nopp; i++) {
        h[0].cur[i] = m->jstart[i];
        h[1].cur[i] = m->jstart[i] + h[0].cnt[i];
    }
    /* the journeys split where half of the pairs are */
    size_t osplit = 0;
    while (osplit < nopp && m->jstart[osplit] < np / 2) osplit++;
    for (int k = 0; k < 2; k++) {
        h[k].sorted = sorted; h[k].jstart = m->jstart; h[k].jt = m->jt;
    }
    h[0].o0 = 0; h[0].o1 = h[1].o0 = osplit; h[1].o1 = nopp;
    h[0].k0 = 0; h[0].k1 = h[1].k0 = m->jstart[osplit]; h[1].k1 = np;
    if (two) {
        rr_par2(link_scatter_run, &h[1], link_scatter_run, &h[0]);
        rr_par2(link_sort_run, &h[1], link_sort_run, &h[0]);
    } else {
        link_scatter_sort(&h[0]);
        link_scatter_sort(&h[1]);
        link_sort(&h[0]);
        link_sort(&h[1]);
    }
    free(sorted);
    for (int k = 0; k < 2; k++) { free(h[k].pairs); free(h[k].cnt); free(h[k].cur); free(h[k].near); }
    free(by_key); free(astart); free(aopp); free(fill);
    rr_journey_order_free(&ord);
}

unsigned rr_metrics_deal_mask(const rr_config *cfg, const char **name)
{
    const char *v = rr_config_str(cfg, "attribution.deal_types", "new_business");
    static const char *const names[] = {"new_business", "new_business,expansion", "all"};
    static const unsigned masks[] = {RR_METRICS_DEALS_NEW, RR_METRICS_DEALS_NEW_EXPANSION, RR_METRICS_DEALS_ALL};
    for (int i = 0; i < 3; i++)
        if (!strcmp(v, names[i])) { *name = names[i]; return masks[i]; }
    rr_config_bad_value(cfg, "attribution.deal_types", "expected new_business, new_business,expansion or all, got \"%.80s\"",
                        v);
    *name = names[0];
    return masks[0];
}

double rr_metrics_min_spend(const rr_config *cfg)
{
    double v = rr_config_double(cfg, "roi.min_spend", 5000);
    if (!(v >= 0 && v < 1e12)) {
        rr_config_bad_value(cfg, "roi.min_spend", "expected an amount of 0 or more, got %g", v);
        v = 5000;
    }
    return v;
}

void rr_metrics_opts_from_config(const rr_config *cfg, int lookback_days, rr_metrics_opts *o)
{
    o->lookback_days = lookback_days;
    o->deal_mask = rr_metrics_deal_mask(cfg, &o->deal_types);
    o->min_spend = rr_metrics_min_spend(cfg);
    long k = rr_config_int(cfg, "attribution.account_matches", 50);
    if (k < 0 || k > 1000000) {
        rr_config_bad_value(cfg, "attribution.account_matches",
                            "expected a number of opportunities, 0 (no limit) or more, got %ld", k);
        k = 50;
    }
    o->account_matches = (int)k;
}

rr_metrics *rr_metrics_compute(const rr_data *d, const rr_period *p, const rr_metrics_opts *o)
{
    rr_metrics *m = rr_xcalloc(1, sizeof *m);
    m->data = d;
    /* 0 (an options struct that does not say) = every deal type */
    m->deal_mask = o && o->deal_mask ? o->deal_mask : RR_METRICS_DEALS_ALL;
    m->deal_types = o && o->deal_mask && o->deal_types ? o->deal_types : "all";
    m->min_spend = o ? o->min_spend : 0;
    m->window_first = p->window_first;
    m->window_last = p->last;
    size_t n = m->nmonths = (size_t)(m->window_last - m->window_first + 1);
    m->won_revenue = rr_xcalloc(n, sizeof(rr_money));
    m->pipeline_created = rr_xcalloc(n, sizeof(rr_money));
    m->spend_total = rr_xcalloc(n, sizeof(rr_money));
    m->revenue_target = rr_xcalloc(n, sizeof(rr_money));
    m->has_target = rr_xcalloc(n, 1);
    m->won_count = rr_xcalloc(n, sizeof(long));
    m->lost_count = rr_xcalloc(n, sizeof(long));
    m->opps_created = rr_xcalloc(n, sizeof(long));
    m->leads = rr_xcalloc(n, sizeof(long));
    m->mqls = rr_xcalloc(n, sizeof(long));
    m->sals = rr_xcalloc(n, sizeof(long));
    m->sqls = rr_xcalloc(n, sizeof(long));
    size_t nch = m->nchannels = d->channels.n;
    m->spend_mc = rr_xcalloc(n * (nch ? nch : 1), sizeof(rr_money));
    m->ch_attr_revenue = rr_xcalloc(nch ? nch : 1, sizeof(double));
    m->ch_attr_deals = rr_xcalloc(nch ? nch : 1, sizeof(double));
    m->ch_spend = rr_xcalloc(nch ? nch : 1, sizeof(rr_money));

    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        int mc = rr_metrics_mi(m, rr_date_month(op->created));
        if (mc >= 0) { m->opps_created[mc]++; m->pipeline_created[mc] += op->amount; }
        if (in_period(p, rr_date_month(op->created))) { m->p_created_n++; m->p_pipeline_created += op->amount; }
        if (!op->is_closed) continue;
        int cm = rr_date_month(op->close);
        int mi = rr_metrics_mi(m, cm);
        if (op->is_won) {
            if (mi >= 0) { m->won_revenue[mi] += op->amount; m->won_count[mi]++; }
            if (in_period(p, cm)) { m->p_won += op->amount; m->p_won_n++; }
        } else {
            if (mi >= 0) m->lost_count[mi]++;
            if (in_period(p, cm)) m->p_lost_n++;
        }
    }
    for (size_t i = 0; i < d->nspend; i++) {
        const rr_spend *s = &d->spend[i];
        int mi = rr_metrics_mi(m, s->month);
        if (mi >= 0) {
            m->spend_total[mi] += s->amount;
            m->spend_mc[(size_t)mi * nch + (size_t)s->channel] += s->amount;
        }
        if (in_period(p, s->month)) { m->p_spend += s->amount; m->ch_spend[s->channel] += s->amount; }
    }
    m->p_has_target = 1;
    for (int mo = p->first; mo <= p->last; mo++) {
        int found = 0;
        for (size_t i = 0; i < d->ntargets; i++)
            if (d->targets[i].month == mo && d->targets[i].has_revenue) found = 1;
        if (!found) m->p_has_target = 0;
    }
    for (size_t i = 0; i < d->ntargets; i++) {
        const rr_target *t = &d->targets[i];
        int mi = rr_metrics_mi(m, t->month);
        if (mi >= 0 && t->has_revenue) { m->revenue_target[mi] = t->revenue; m->has_target[mi] = 1; }
        if (in_period(p, t->month) && t->has_revenue) m->p_target += t->revenue;
    }
    for (size_t i = 0; i < d->nleads; i++) {
        const rr_lead *l = &d->leads[i];
        int mi;
        if ((mi = rr_metrics_mi(m, rr_date_month(rr_time_date(l->created)))) >= 0) m->leads[mi]++;
        if (in_period(p, rr_date_month(rr_time_date(l->created)))) m->p_leads++;
        if (l->mql != RR_NO_TIME) {
            int mm = rr_date_month(rr_time_date(l->mql));
            if ((mi = rr_metrics_mi(m, mm)) >= 0) m->mqls[mi]++;
            if (in_period(p, mm)) m->p_mqls++;
        }
        if (l->sal != RR_NO_TIME && (mi = rr_metrics_mi(m, rr_date_month(rr_time_date(l->sal)))) >= 0) m->sals[mi]++;
        if (l->sql != RR_NO_TIME) {
            int mm = rr_date_month(rr_time_date(l->sql));
            if ((mi = rr_metrics_mi(m, mm)) >= 0) m->sqls[mi]++;
            if (in_period(p, mm)) m->p_sqls++;
        }
    }
    link_journeys(m, d, o ? o->lookback_days : 365, o ? o->account_matches : 0);
    /* linear attribution of won revenue closed in the period */
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        if (!op->is_won || !in_period(p, rr_date_month(op->close))) continue;
        if (!(m->deal_mask >> op->type & 1u)) continue;   /* a deal type attribution does not cover */
        size_t a = m->jstart[i], b = m->jstart[i + 1];
        if (a == b) { m->no_touch_revenue += op->amount; m->no_touch_deals++; continue; }
        double share = rr_money_to_double(op->amount) / (double)(b - a);
        for (size_t k = a; k < b; k++) {
            int32_t c = d->touch[m->jt[k]].channel;
            m->ch_attr_revenue[c] += share;
            m->ch_attr_deals[c] += 1.0 / (double)(b - a);
        }
    }
    return m;
}

void rr_metrics_linear(const rr_metrics *m, int first, int last, double *rev)
{
    const rr_data *d = m->data;
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        int cm = rr_date_month(op->close);
        if (!op->is_won || cm < first || cm > last || !(m->deal_mask >> op->type & 1u)) continue;
        size_t a = m->jstart[i], b = m->jstart[i + 1];
        for (size_t k = a; k < b; k++) rev[d->touch[m->jt[k]].channel] += rr_money_to_double(op->amount) / (double)(b - a);
    }
}

void rr_metrics_free(rr_metrics *m)
{
    if (!m) return;
    free(m->won_revenue); free(m->pipeline_created); free(m->spend_total); free(m->revenue_target);
    free(m->has_target); free(m->won_count); free(m->lost_count); free(m->opps_created);
    free(m->leads); free(m->mqls); free(m->sals); free(m->sqls); free(m->spend_mc);
    free(m->jstart); free(m->jt); free(m->ch_attr_revenue); free(m->ch_attr_deals); free(m->ch_spend);
    free(m);
}

static rr_money to_money(double major)
{
    double v = major * RR_MONEY_SCALE;
    return (rr_money)(v < 0 ? v - 0.5 : v + 0.5);
}

void rr_metrics_figures(const rr_metrics *m, const rr_period *p, rr_figs *f)
{
    const rr_data *d = m->data;
    char mon[16];
    for (size_t i = 0; i < m->nmonths; i++) {
        rr_month_str(m->window_first + (int)i, mon, sizeof mon);
        rr_figs_money(f, "won_revenue", mon, NULL, NULL, m->won_revenue[i]);
        rr_figs_count(f, "won_deals", mon, NULL, NULL, m->won_count[i]);
        rr_figs_count(f, "lost_deals", mon, NULL, NULL, m->lost_count[i]);
        long closed = m->won_count[i] + m->lost_count[i];
        rr_figs_value(f, RR_FU_FRACTION, "win_rate", mon, NULL, NULL,
                      closed ? (double)m->won_count[i] / (double)closed : NAN, closed > 0,
                      "no opportunity closed in the month");
        rr_figs_count(f, "opportunities_created", mon, NULL, NULL, m->opps_created[i]);
        rr_figs_money(f, "pipeline_created", mon, NULL, NULL, m->pipeline_created[i]);
        if (d->files[RR_IN_SPEND].present) {
            rr_figs_money(f, "spend", mon, NULL, NULL, m->spend_total[i]);
            for (size_t c = 0; c < m->nchannels; c++) {
                rr_money v = m->spend_mc[i * m->nchannels + c];
                if (v) rr_figs_money(f, "spend", mon, "channel", rr_dict_name(&d->channels, (int32_t)c), v);
            }
        }
        if (m->has_target[i]) {
            rr_figs_money(f, "revenue_target", mon, NULL, NULL, m->revenue_target[i]);
            rr_figs_value(f, RR_FU_FRACTION, "attainment", mon, NULL, NULL,
                          m->revenue_target[i] ? (double)m->won_revenue[i] / (double)m->revenue_target[i] : NAN,
                          m->revenue_target[i] != 0, "target is zero");
        }
        if (d->files[RR_IN_LEADS].present) {
            rr_figs_count(f, "leads", mon, NULL, NULL, m->leads[i]);
            rr_figs_count(f, "mqls", mon, NULL, NULL, m->mqls[i]);
            rr_figs_count(f, "sals", mon, NULL, NULL, m->sals[i]);
            rr_figs_count(f, "sqls", mon, NULL, NULL, m->sqls[i]);
        }
    }
    if (p->kind == RR_PERIOD_QUARTER) {
        const char *q = p->label;
        rr_figs_money(f, "won_revenue", q, NULL, NULL, m->p_won);
        rr_figs_count(f, "won_deals", q, NULL, NULL, m->p_won_n);
        rr_figs_count(f, "lost_deals", q, NULL, NULL, m->p_lost_n);
        long closed = m->p_won_n + m->p_lost_n;
        rr_figs_value(f, RR_FU_FRACTION, "win_rate", q, NULL, NULL, closed ? (double)m->p_won_n / (double)closed : NAN,
                      closed > 0, "no opportunity closed in the quarter");
        rr_figs_count(f, "opportunities_created", q, NULL, NULL, m->p_created_n);
        rr_figs_money(f, "pipeline_created", q, NULL, NULL, m->p_pipeline_created);
        if (d->files[RR_IN_SPEND].present) {
            rr_figs_money(f, "spend", q, NULL, NULL, m->p_spend);
            for (size_t c = 0; c < m->nchannels; c++)
                if (m->ch_spend[c])
                    rr_figs_money(f, "spend", q, "channel", rr_dict_name(&d->channels, (int32_t)c), m->ch_spend[c]);
        }
        if (m->p_has_target) {
            rr_figs_money(f, "revenue_target", q, NULL, NULL, m->p_target);
            rr_figs_value(f, RR_FU_FRACTION, "attainment", q, NULL, NULL,
                          m->p_target ? (double)m->p_won / (double)m->p_target : NAN, m->p_target != 0,
                          "target is zero");
        }
        if (d->files[RR_IN_LEADS].present) {
            rr_figs_count(f, "leads", q, NULL, NULL, m->p_leads);
            rr_figs_count(f, "mqls", q, NULL, NULL, m->p_mqls);
            rr_figs_count(f, "sqls", q, NULL, NULL, m->p_sqls);
        }
    }
    if (d->files[RR_IN_TOUCH].present) {
        for (size_t c = 0; c < m->nchannels; c++) {
            const char *ch = rr_dict_name(&d->channels, (int32_t)c);
            double rev = m->ch_attr_revenue[c];
            rr_money sp = m->ch_spend[c];
            if (rev == 0 && sp == 0) continue;
            rr_fig *g = rr_figs_money(f, "attributed_revenue", p->label, "channel", ch, to_money(rev));
            rr_fig_set_model(g, "linear");
            g = rr_figs_value(f, RR_FU_NUMBER, "attributed_deals", p->label, "channel", ch, m->ch_attr_deals[c], 1, NULL);
            rr_fig_set_model(g, "linear");
            if (d->files[RR_IN_SPEND].present) {
                double s = rr_money_to_double(sp);
                int meaningful = sp != 0 && s >= m->min_spend;
                const char *why = sp ? "spend below roi.min_spend: not meaningful"
                                     : "no spend recorded for the channel in the period";
                g = rr_figs_value(f, RR_FU_RATIO, "roi", p->label, "channel", ch, sp ? (rev - s) / s : NAN, meaningful,
                                  why);
                rr_fig_set_model(g, "linear");
                g = rr_figs_value(f, RR_FU_RATIO, "roas", p->label, "channel", ch, sp ? rev / s : NAN, meaningful,
                                  why);
                rr_fig_set_model(g, "linear");
            }
        }
        if (d->files[RR_IN_SPEND].present) {
            /* marketing ROI on the summary: channels with spend only */
            double rev = 0, sp = 0;
            for (size_t c = 0; c < m->nchannels; c++)
                if (m->ch_spend[c]) { rev += m->ch_attr_revenue[c]; sp += rr_money_to_double(m->ch_spend[c]); }
            rr_fig *g = rr_figs_money(f, "attributed_revenue_paid", p->label, NULL, NULL, to_money(rev));
            rr_fig_set_model(g, "linear");
            g = rr_figs_value(f, RR_FU_RATIO, "roi", p->label, NULL, NULL, sp ? (rev - sp) / sp : NAN, sp != 0,
                              "no spend recorded in the period");
            rr_fig_set_model(g, "linear");
        }
        rr_figs_money(f, "no_touch_revenue", p->label, NULL, NULL, m->no_touch_revenue);
        rr_figs_count(f, "no_touch_deals", p->label, NULL, NULL, m->no_touch_deals);
    }
}
