/* board.c: page 1's answers (see board.h): the quarter's status, marketing's
 * contribution against plan, and the recommended actions.
 *
 *   rr_board_summary(ctx, summary);   // called by the summary's builder
 *
 * The four action rules (docs/board.md lists them with their settings):
 *   budget_shift       cost per new-business opportunity by first touch over
 *                      the trailing three months; from the costliest paid
 *                      channel to the cheapest one that also won deals,
 *                      amount = min(board.shift_share x the donor's monthly
 *                      spend, board.shift_max)
 *   coverage_gap       the quarter's open pipeline below the coverage the win
 *                      rate needs: gap = required x remaining target - open
 *                      pipeline due; MQLs = gap / (SQL/MQL x opp/SQL x
 *                      average opportunity) of the period
 *   sla_misses         the channel with the lowest share of MQLs contacted
 *                      within the SLA, below board.sla_goal
 *   cost_per_sql_rise  the channel whose cost per SQL rose most from the
 *                      previous period, by more than board.cost_rise
 * Each cites the figures it used (the store's own, or ones it adds). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/board.h"
#include "revreport/plan.h"
#include "revreport/fc_report.h"
#include "revreport/xalloc.h"

#define T(key) rr_tr(c->cat, key)
#define NB 64
#define MAXCITE 8

/* One action being written: its sentence and the figures it cites. */
typedef struct {
    size_t cite[MAXCITE];
    size_t n;
} cites;

static void cite(const rr_build_ctx *c, cites *k, const rr_fig *g)
{
    if (g && k->n < MAXCITE) k->cite[k->n++] = (size_t)(g - c->figs->v);
}

/* first figure of metric (any period) without a key */
static const rr_fig *find_any(const rr_figs *f, const char *metric)
{
    for (size_t i = 0; i < f->n; i++)
        if (!f->v[i].key && strcmp(f->v[i].metric, metric) == 0) return &f->v[i];
    return NULL;
}

static double fig_d(const rr_fig *g)
{
    if (!g || !g->defined) return NAN;
    return g->unit == RR_FU_MONEY ? rr_money_to_double(g->money) : g->value;
}

static rr_money to_money(double v) { return (rr_money)llround(v * RR_MONEY_SCALE); }

static void money(const rr_build_ctx *c, double v, char *out) { rr_fmt_money_compact(c->fmt, v, out, NB); }

static int month_of(rr_time t) { return t == RR_NO_TIME ? -1 : rr_date_month(rr_time_date(t)); }

static void add_action(const rr_build_ctx *c, const char *rule, char *text, const cites *k, char **list,
                       size_t *n)
{
    rr_figs_action(c->figs, rule, text, k->n, k->cite);
    list[(*n)++] = text;
}

/* ---- rule 1: shift budget by marginal return ---- */
static void rule_budget_shift(const rr_build_ctx *c, char **list, size_t *n)
{
    const rr_metrics *m = c->m;
    const rr_data *d = c->data;
    size_t nch = m->nchannels;
    int last = c->period->last, first = last - 2;
    if (!nch || !d->files[RR_IN_SPEND].present || !d->files[RR_IN_TOUCH].present) return;
    double *sp = rr_xcalloc(nch, sizeof *sp), *opp = rr_xcalloc(nch, sizeof *opp), *won = rr_xcalloc(nch, sizeof *won);
    double total = 0;
    for (int mo = first; mo <= last; mo++) {
        int i = rr_metrics_mi(m, mo);
        if (i < 0) continue;
        for (size_t ch = 0; ch < nch; ch++) {
            double v = rr_money_to_double(m->spend_mc[(size_t)i * nch + ch]);
            sp[ch] += v;
            total += v;
        }
    }
    for (size_t o = 0; o < d->nopps && m->jstart; o++) {
        const rr_opp *op = &d->opps[o];
        if (op->type != RR_OPP_NEW || m->jstart[o] == m->jstart[o + 1]) continue;
        int32_t ch = d->touch[m->jt[m->jstart[o]]].channel;
        if (ch < 0 || (size_t)ch >= nch) continue;
        int cm = rr_date_month(op->created);
        if (cm >= first && cm <= last) opp[ch] += 1;
        int wm = op->is_won ? rr_date_month(op->close) : -1;
        if (wm >= first && wm <= last) won[ch] += 1;
    }
    double min_share = rr_config_double(c->cfg, "board.min_spend_share", 0.05);
    int from = -1, to = -1;
    for (size_t ch = 0; ch < nch; ch++) {
        if (sp[ch] <= 0 || sp[ch] < min_share * total) continue;
        double cpo = opp[ch] > 0 ? sp[ch] / opp[ch] : INFINITY;
        if (from < 0 || cpo > (opp[from] > 0 ? sp[from] / opp[from] : INFINITY)) from = (int)ch;
        if (opp[ch] > 0 && won[ch] > 0 && (to < 0 || cpo < sp[to] / opp[to])) to = (int)ch;
    }
    if (from < 0 || to < 0 || from == to || opp[from] <= 0 || won[from] <= 0) goto out;
    double cpo_f = sp[from] / opp[from], cpo_t = sp[to] / opp[to];
    double cpw_f = sp[from] / won[from], cpw_t = sp[to] / won[to];
    /* worth saying only when the donor's opportunity costs half again as much
     * and its won deals cost more too */
    if (cpo_f < 1.5 * cpo_t || cpw_f <= cpw_t) goto out;
    double amount = rr_config_double(c->cfg, "board.shift_share", 0.2) * sp[from] / 3.0;
    double cap = rr_config_double(c->cfg, "board.shift_max", 0);
    if (cap > 0 && amount > cap) amount = cap;
    amount = floor(amount / 100.0) * 100.0;   /* a round amount to decide on */
    if (amount <= 0) goto out;
    const char *per = c->period->label;
    cites k = {{0}, 0};
    const char *nf = rr_dict_name(&d->channels, from), *nt = rr_dict_name(&d->channels, to);
    const int who[2] = {from, to};
    for (int j = 0; j < 2; j++) {
        const char *nm = j ? nt : nf;
        size_t ch = (size_t)who[j];
        cite(c, &k, rr_figs_money(c->figs, "spend_t3m", per, "channel", nm, to_money(sp[ch])));
        cite(c, &k, rr_figs_count(c->figs, "new_business_opportunities_t3m", per, "channel", nm, (long long)opp[ch]));
        cite(c, &k, rr_figs_count(c->figs, "new_business_won_deals_t3m", per, "channel", nm, (long long)won[ch]));
    }
    cite(c, &k, rr_figs_money(c->figs, "budget_shift_amount", per, "channel", nf, to_money(amount)));
    char a[NB], b1[NB], b2[NB], b3[NB], b4[NB], w1[NB], w2[NB], win[2 * NB + 8], nn[NB];
    money(c, amount, a);
    money(c, cpo_f, b1); money(c, cpo_t, b2); money(c, cpw_f, b3); money(c, cpw_t, b4);
    rr_fmt_month_short(c->fmt, first, w1, sizeof w1);
    rr_fmt_month_short(c->fmt, last, w2, sizeof w2);
    snprintf(win, sizeof win, "%s\xe2\x80\x93%s", w1, w2);
    rr_fmt_number(c->fmt, amount / cpo_t, 1, nn, sizeof nn);
    add_action(c, "budget_shift",
               rr_i18n_subst(T("board.act.shift"), "amount", a, "from", nf, "to", nt, "window", win, "from_cpo", b1,
                             "to_cpo", b2, "from_cpw", b3, "to_cpw", b4, "n", nn, NULL),
               &k, list, n);
out:
    free(sp); free(opp); free(won);
}

/* ---- rule 2: the quarter's pipeline coverage gap ---- */
static void rule_coverage(const rr_build_ctx *c, char **list, size_t *n)
{
    const rr_figs *f = c->figs;
    const rr_fig *cov = find_any(f, "pipeline_coverage"), *req = find_any(f, "required_coverage");
    if (!cov || !req || !cov->defined || !req->defined) return;
    const rr_fig *rem = rr_figs_find(f, "remaining_target", cov->period, NULL);
    const rr_fig *due = rr_figs_find(f, "open_pipeline_due", cov->period, NULL);
    double r = fig_d(rem), o = fig_d(due), need = fig_d(req);
    if (!isfinite(r) || !isfinite(o) || r <= 0 || fig_d(cov) >= need) return;
    double gap = need * r - o;
    if (gap <= 0) return;
    const char *per = c->period->label;
    const rr_fig *sm = rr_figs_find(f, "sql_per_mql", per, NULL), *os = rr_figs_find(f, "opp_per_sql", per, NULL);
    const rr_fig *pc = rr_figs_find(f, "pipeline_created", per, NULL), *oc = rr_figs_find(f, "opportunities_created", per, NULL);
    double per_mql = fig_d(sm) * fig_d(os) * (fig_d(pc) / fig_d(oc));
    cites k = {{0}, 0};
    cite(c, &k, cov); cite(c, &k, req); cite(c, &k, rem); cite(c, &k, due);
    char g[NB], cv[NB], rq[NB], mq[NB];
    money(c, gap, g);
    rr_fmt_ratio(c->fmt, fig_d(cov), cv, sizeof cv);
    rr_fmt_ratio(c->fmt, need, rq, sizeof rq);
    const char *key = "board.act.coverage_no_mql";
    if (isfinite(per_mql) && per_mql > 0) {
        cite(c, &k, sm); cite(c, &k, os); cite(c, &k, pc); cite(c, &k, oc);
        rr_fmt_count(c->fmt, (long long)ceil(gap / per_mql), mq, sizeof mq);
        key = "board.act.coverage";
    } else {
        mq[0] = 0;
    }
    char qn[NB];
    rr_fcr_quarter q;
    rr_fcr_quarter_outlook(c, &q);
    snprintf(qn, sizeof qn, "%s", q.name);
    add_action(c, "coverage_gap",
               rr_i18n_subst(T(key), "gap", g, "quarter", qn, "cov", cv, "req", rq, "mqls", mq, NULL), &k, list, n);
}

/* ---- rule 3: MQLs not contacted within the SLA, by channel ---- */
static void rule_sla(const rr_build_ctx *c, char **list, size_t *n)
{
    const rr_figs *f = c->figs;
    const char *per = c->period->label;
    double goal = rr_config_double(c->cfg, "board.sla_goal", 0.9);
    const rr_fig *worst = NULL, *wm = NULL;
    double missed = 0;
    for (size_t i = 0; i < f->n; i++) {
        const rr_fig *g = &f->v[i];
        if (!g->key || !g->defined || strcmp(g->metric, "sla_met_share") || strcmp(g->period, per)) continue;
        const rr_fig *mq = rr_figs_find(f, "mqls", per, g->key);
        double nm = fig_d(mq);
        if (!isfinite(nm) || nm < 10 || g->value >= goal) continue;
        double miss = nm * (1 - g->value);
        if (miss > missed) { worst = g; wm = mq; missed = miss; }
    }
    if (!worst) return;
    cites k = {{0}, 0};
    cite(c, &k, worst); cite(c, &k, wm);
    char sh[NB], gl[NB], hr[NB], ms[NB];
    rr_fmt_pct(c->fmt, worst->value, 0, sh, sizeof sh);
    rr_fmt_pct(c->fmt, goal, 0, gl, sizeof gl);
    rr_fmt_number(c->fmt, rr_config_double(c->cfg, "funnel.sla_hours", 24.0), 0, hr, sizeof hr);
    rr_fmt_count(c->fmt, llround(missed), ms, sizeof ms);
    add_action(c, "sla_misses",
               rr_i18n_subst(T("board.act.sla"), "channel", worst->key, "share", sh, "hours", hr, "goal", gl,
                             "missed", ms, NULL),
               &k, list, n);
}

/* ---- rule 4: cost per SQL up by more than board.cost_rise ---- */
static void rule_cost_per_sql(const rr_build_ctx *c, char **list, size_t *n)
{
    const rr_metrics *m = c->m;
    const rr_data *d = c->data;
    size_t nch = m->nchannels;
    if (!nch || !d->files[RR_IN_SPEND].present || !d->files[RR_IN_LEADS].present) return;
    rr_period prev;
    rr_period_prev(c->period, &prev);
    if (rr_metrics_mi(m, prev.first) < 0) return;
    double *sp = rr_xcalloc(nch, sizeof *sp), *sq = rr_xcalloc(nch, sizeof *sq);
    for (int mo = prev.first; mo <= prev.last; mo++) {
        int i = rr_metrics_mi(m, mo);
        for (size_t ch = 0; i >= 0 && ch < nch; ch++) sp[ch] += rr_money_to_double(m->spend_mc[(size_t)i * nch + ch]);
    }
    for (size_t l = 0; l < d->nleads; l++) {
        int sm = month_of(d->leads[l].sql);
        int32_t ch = d->leads[l].channel;
        if (sm >= prev.first && sm <= prev.last && ch >= 0 && (size_t)ch < nch) sq[ch] += 1;
    }
    double rise = rr_config_double(c->cfg, "board.cost_rise", 0.25), best = 0;
    int who = -1;
    const rr_fig *now_f = NULL;
    for (size_t ch = 0; ch < nch; ch++) {
        if (sp[ch] <= 0 || sq[ch] < 3) continue;
        const rr_fig *g = rr_figs_find(c->figs, "cost_per_sql", c->period->label, rr_dict_name(&d->channels, (int32_t)ch));
        double now = fig_d(g), before = sp[ch] / sq[ch];
        if (!isfinite(now) || now <= 0) continue;
        double r = now / before - 1;
        if (r > rise && r > best) { best = r; who = (int)ch; now_f = g; }
    }
    if (who >= 0) {
        const char *nm = rr_dict_name(&d->channels, who);
        cites k = {{0}, 0};
        cite(c, &k, now_f);
        const rr_fig *bf = rr_figs_find(c->figs, "cost_per_sql", prev.label, nm);
        if (!bf) bf = rr_figs_money(c->figs, "cost_per_sql", prev.label, "channel", nm, to_money(sp[who] / sq[who]));
        cite(c, &k, bf);
        char a[NB], b[NB], dl[NB], pn[NB];
        money(c, fig_d(now_f), a);
        money(c, fig_d(bf), b);
        rr_fmt_pct(c->fmt, best, 0, dl, sizeof dl);
        if (prev.kind == RR_PERIOD_MONTH) rr_fmt_month(c->fmt, prev.first, pn, sizeof pn);
        else snprintf(pn, sizeof pn, "%s", prev.label);
        add_action(c, "cost_per_sql_rise",
                   rr_i18n_subst(T("board.act.cost_sql"), "channel", nm, "delta", dl, "now", a, "before", b,
                                 "prevperiod", pn, NULL),
                   &k, list, n);
    }
    free(sp); free(sq);
}

/* ---- status and contribution ---- */

static int status_of(const rr_build_ctx *c, double ratio)
{
    if (ratio >= rr_config_double(c->cfg, "plan.on_track", 0.95)) return 1;
    if (ratio >= rr_config_double(c->cfg, "plan.at_risk", 0.80)) return 2;
    return 3;
}

static const char *status_word(const rr_build_ctx *c, int st)
{
    return T(st == 1 ? "board.status.on_track" : st == 2 ? "board.status.at_risk" : "board.status.off_track");
}

static void add_status(const rr_build_ctx *c, rr_doc_section *s)
{
    rr_fcr_quarter q;
    rr_fcr_quarter_outlook(c, &q);
    if (!q.has_target || q.target <= 0) return;
    double total = q.months_left == 0 ? q.won : q.total;
    /* the quarter outlook's headline basis (plan.c, forecast.headline: weighted
     * by default), so that page 1 states the same figure as the outlook table */
    const rr_plan_outlook *po = c->plan && c->plan->outlook.ok ? &c->plan->outlook : NULL;
    const char *basis = NULL;
    if (po && q.months_left != 0 && po->headline >= 0 && po->headline < RR_OUTLOOK_NBASES &&
        isfinite(po->basis[po->headline])) {
        static const char *const keys[RR_OUTLOOK_NBASES] = {"plan.basis.closed", "plan.basis.commit",
            "plan.basis.best_case", "plan.basis.weighted", "plan.basis.model"};
        total = po->basis[po->headline];
        basis = T(keys[po->headline]);
    }
    if (!isfinite(total)) return;
    int st = status_of(c, total / q.target);
    char tv[NB], wv[NB], tg[NB], pc[NB];
    money(c, total, tv);
    money(c, q.won, wv);
    money(c, q.target, tg);
    rr_fmt_pct(c->fmt, total / q.target, 0, pc, sizeof pc);
    char *t = rr_i18n_subst(T(q.months_left == 0 ? "board.outlook_final" : basis ? "board.outlook_basis" : "board.outlook"),
                            "quarter", q.name, "total", tv, "won", wv, "pct", pc, "target", tg,
                            "basis", basis ? basis : "", NULL);
    rr_doc_status(s, st, status_word(c, st), t);
    free(t);
}

/* the period's pipeline target: targets.csv's pipeline column over its months */
static double pipeline_target(const rr_build_ctx *c)
{
    const rr_data *d = c->data;
    double t = 0;
    int months = 0;
    for (int mo = c->period->first; mo <= c->period->last; mo++)
        for (size_t i = 0; i < d->ntargets; i++)
            if (d->targets[i].month == mo && d->targets[i].pipeline > 0) {
                t += rr_money_to_double(d->targets[i].pipeline);
                months++;
                break;
            }
    return months == c->period->last - c->period->first + 1 ? t : NAN;
}

static void add_contribution(const rr_build_ctx *c, rr_doc_section *s)
{
    const char *per = c->period->label;
    double sourced = rr_figs_get(c->figs, "marketing_sourced_revenue", per, NULL);
    double won = rr_figs_get(c->figs, "won_revenue", per, NULL);
    double pipe = rr_figs_get(c->figs, "pipeline_created", per, NULL);
    if (!isfinite(pipe)) return;
    char sv[NB], sh[NB], pv[NB], plan[3 * NB] = "";
    money(c, pipe, pv);
    double pt = pipeline_target(c);
    if (isfinite(pt) && pt > 0) {
        char a[NB], b[NB];
        rr_fmt_pct(c->fmt, pipe / pt, 0, a, sizeof a);
        money(c, pt, b);
        char *x = rr_i18n_subst(T("board.pipeline_plan"), "pct", a, "target", b, NULL);
        snprintf(plan, sizeof plan, "%s", x);
        free(x);
    }
    char *t;
    if (isfinite(sourced) && isfinite(won) && won > 0) {
        money(c, sourced, sv);
        rr_fmt_pct(c->fmt, sourced / won, 0, sh, sizeof sh);
        t = rr_i18n_subst(T("board.contribution"), "sourced", sv, "share", sh, "pipeline", pv, "pipeplan", plan, NULL);
    } else {
        t = rr_i18n_subst(T("board.contribution_pipeline"), "pipeline", pv, "pipeplan", plan, NULL);
    }
    rr_doc_para(s, t);
    free(t);
}

void rr_board_summary(const rr_build_ctx *c, rr_doc_section *s)
{
    /* before the tiles: are we on track (status), what did marketing bring */
    size_t before = s->nblocks;
    add_status(c, s);
    add_contribution(c, s);
    for (size_t i = before, k = 0; i < s->nblocks; i++, k++) rr_doc_move(s, i, k);
    /* after the tiles: what to do */
    char *acts[4];
    size_t n = 0;
    rule_budget_shift(c, acts, &n);
    rule_coverage(c, acts, &n);
    rule_sla(c, acts, &n);
    rule_cost_per_sql(c, acts, &n);
    /* the actions before the tiles (page 1 reads: status, contribution, what
     * to do, then the figures); "What changed" heads the highlights after them */
    size_t at = 0, kp;
    while (at < s->nblocks && s->blocks[at].kind != RR_BLOCK_KPIS) at++;
    kp = at;
    rr_doc_subhead(s, T("board.actions"));
    rr_doc_move(s, s->nblocks - 1, at);
    if (n) {
        rr_doc_list(s, RR_BLOCK_LIST, n, (const char *const *)acts);
    } else {
        const char *none = T("board.no_action");
        rr_doc_list(s, RR_BLOCK_LIST, 1, &none);
    }
    rr_doc_move(s, s->nblocks - 1, at + 1);
    kp += 2;   /* the tiles moved down by the heading and the list */
    if (kp + 1 < s->nblocks && s->blocks[kp + 1].kind == RR_BLOCK_LIST) {
        rr_doc_subhead(s, T("board.highlights"));
        rr_doc_move(s, s->nblocks - 1, kp + 1);
    }
    for (size_t i = 0; i < n; i++) free(acts[i]);
}

/* ---- the packs ---- */

static int board_section(const char *id)
{
    static const char *const IDS[] = {"revenue", "forecast", "roi", "funnel"};
    for (size_t i = 0; i < sizeof IDS / sizeof IDS[0]; i++)
        if (strcmp(id, IDS[i]) == 0) return 1;
    return 0;
}

/* the blocks of s a board pack shows: keep[i] = 1 */
static void board_blocks(const rr_doc_section *s, unsigned char *keep)
{
    size_t chart = s->nblocks;
    for (size_t i = 0; i < s->nblocks && chart == s->nblocks; i++)
        if (s->blocks[i].kind == RR_BLOCK_CHART) chart = i;
    if (chart == s->nblocks) {   /* no chart: the first table */
        for (size_t i = 0; i < s->nblocks; i++)
            if (s->blocks[i].kind == RR_BLOCK_TABLE) { keep[i] = 1; break; }
        return;
    }
    keep[chart] = 1;
    for (size_t i = chart, k = 0; i-- > 0 && k < 1; k++) {   /* its intro: one short paragraph (methods go to the appendix) */
        const rr_block *b = &s->blocks[i];
        if (b->kind != RR_BLOCK_PARA || b->note || !b->text || strlen(b->text) > 320) break;
        keep[i] = 1;
    }
    if (strcmp(s->id, "forecast") == 0)   /* the quarter: closed, open pipeline and forecasts */
        for (size_t i = s->nblocks; i-- > chart + 1;)
            if (s->blocks[i].kind == RR_BLOCK_TABLE) { keep[i] = 1; break; }
}

static void view_add(rr_doc *v, const rr_doc_section *s, const unsigned char *keep)
{
    rr_doc_section *d = &v->sections[v->nsections++];
    *d = *s;
    d->blocks = rr_xcalloc(s->nblocks ? s->nblocks : 1, sizeof *d->blocks);
    d->nblocks = 0;
    for (size_t i = 0; i < s->nblocks; i++)
        if (!keep || keep[i]) d->blocks[d->nblocks++] = s->blocks[i];
    d->cap = d->nblocks;
}

rr_doc *rr_board_view(const rr_doc *doc, const size_t *order, size_t n, int board)
{
    rr_doc *v = rr_xmalloc(sizeof *v);
    *v = *doc;
    v->sections = rr_xcalloc(n ? n : 1, sizeof *v->sections);
    v->nsections = 0;
    v->cap = n;
    for (size_t i = 0; i < n; i++) {
        const rr_doc_section *s = &doc->sections[order[i]];
        if (!board || strcmp(s->id, "summary") == 0) { view_add(v, s, NULL); continue; }
        if (!board_section(s->id)) continue;
        unsigned char *keep = rr_xcalloc(s->nblocks ? s->nblocks : 1, 1);
        board_blocks(s, keep);
        view_add(v, s, keep);
        free(keep);
    }
    return v;
}

rr_doc *rr_board_appendix(const rr_doc *doc, const size_t *order, size_t n, const char *title)
{
    rr_doc *v = rr_xmalloc(sizeof *v);
    *v = *doc;
    v->title = (char *)title;
    v->banner = NULL;
    v->sections = rr_xcalloc(n ? n : 1, sizeof *v->sections);
    v->nsections = 0;
    v->cap = n;
    for (size_t i = 0; i < n; i++)
        if (strcmp(doc->sections[order[i]].id, "summary") != 0) view_add(v, &doc->sections[order[i]], NULL);
    return v;
}

void rr_board_view_free(rr_doc *v)
{
    if (!v) return;
    for (size_t i = 0; i < v->nsections; i++) free(v->sections[i].blocks);
    free(v->sections);
    free(v);
}
