/* test_metrics.c: every first figure on tests/data/mini against values
 * worked out by hand (see the comments next to each expectation); first,
 * the figure store's hash index (rr_figs_find, rr_figs_find_exact) against
 * a plain scan of the store. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "revreport/data.h"
#include "revreport/metrics.h"
#include "revreport/period.h"
#include "revreport/tap.h"

/* the lookups as they were before the index: a scan of every figure */
static int eq(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }
static const rr_fig *scan(const rr_figs *f, const char *metric, const char *period, const char *key, int exact,
                          const char *dim, const char *model)
{
    for (size_t i = 0; i < f->n; i++) {
        const rr_fig *g = &f->v[i];
        if (strcmp(g->metric, metric) || strcmp(g->period, period) || !eq(g->key, key)) continue;
        if (exact && (!eq(g->dim, dim) || !eq(g->model, model))) continue;
        return g;
    }
    return NULL;
}

static void figure_index(void)
{
    rr_figs f = {0};   /* usable without rr_figs_init too */
    rr_tap_ok(!rr_figs_find(&f, "leads", "2026-10", NULL), "empty store: nothing found");
    rr_tap_ok(!rr_figs_find_exact(&f, "leads", "2026-10", NULL, NULL, NULL), "empty store: nothing found (exact)");
    rr_figs_init(&f, "USD");
    rr_fig *a = rr_figs_count(&f, "leads", "2026-10", NULL, NULL, 5);
    rr_fig *b = rr_figs_count(&f, "leads", "2026-10", "channel", "Email", 2);
    rr_fig *c = rr_figs_count(&f, "leads", "2026-10", "campaign", "Email", 3);   /* differs from b in dim only */
    rr_fig *e = rr_figs_count(&f, "leads", "2026-1", NULL, NULL, 7);             /* a's period, one digit less */
    rr_fig *h = rr_figs_count(&f, "leads", "2026Q4-QTD", "channel", "Email", 9);
    rr_fig *k = rr_figs_money(&f, "attributed_revenue", "2026-10", "channel", "Email", 1);
    rr_fig_set_model(k, "linear");
    rr_fig *l = rr_figs_money(&f, "attributed_revenue", "2026-10", "channel", "Email", 2);
    rr_fig_set_model(l, "markov");                                              /* differs from k in model only */
    rr_fig *z = rr_figs_count(&f, "leads", "2026-10", "channel", "", 0);         /* empty key, not no key */
    /* pointers are taken after the last add: v may have moved */
    a = &f.v[0]; b = &f.v[1]; c = &f.v[2]; e = &f.v[3]; h = &f.v[4]; k = &f.v[5]; l = &f.v[6]; z = &f.v[7];
    rr_tap_ok(rr_figs_find(&f, "leads", "2026-10", NULL) == a, "find: metric + period, no key");
    rr_tap_ok(rr_figs_find(&f, "leads", "2026-1", NULL) == e, "find: a period that is a prefix of another");
    rr_tap_ok(rr_figs_find(&f, "leads", "2026-10", "Email") == b, "find: keyed, the first added of b and c");
    rr_tap_ok(rr_figs_find(&f, "leads", "2026Q4-QTD", "Email") == h, "find: same key, other period");
    rr_tap_ok(rr_figs_find(&f, "leads", "2026-10", "") == z, "find: empty key is a key");
    rr_tap_ok(rr_figs_find(&f, "attributed_revenue", "2026-10", "Email") == k, "find: first of two models");
    rr_tap_ok(!rr_figs_find(&f, "leads", "2026-11", NULL), "not found: other period");
    rr_tap_ok(!rr_figs_find(&f, "leads", "2026Q4", "Email"), "not found: period prefix of a stored one");
    rr_tap_ok(!rr_figs_find(&f, "mqls", "2026-10", NULL), "not found: other metric");
    rr_tap_ok(!rr_figs_find(&f, "leads", "2026-10", "Events"), "not found: other key");
    rr_tap_ok(!rr_figs_find(&f, "attributed_revenue", "2026-10", NULL), "not found: keyed figures only, no key asked");
    rr_tap_ok(rr_figs_find_exact(&f, "leads", "2026-10", "channel", "Email", NULL) == b, "exact: dim channel");
    rr_tap_ok(rr_figs_find_exact(&f, "leads", "2026-10", "campaign", "Email", NULL) == c, "exact: dim campaign");
    rr_tap_ok(!rr_figs_find_exact(&f, "leads", "2026-10", NULL, "Email", NULL), "exact: no dim: not found");
    rr_tap_ok(!rr_figs_find_exact(&f, "leads", "2026-10", "account", "Email", NULL), "exact: other dim: not found");
    rr_tap_ok(rr_figs_find_exact(&f, "leads", "2026-10", NULL, NULL, NULL) == a, "exact: no dim, no key");
    rr_tap_ok(rr_figs_find_exact(&f, "attributed_revenue", "2026-10", "channel", "Email", "markov") == l,
              "exact: model set after the add (markov)");
    rr_tap_ok(rr_figs_find_exact(&f, "attributed_revenue", "2026-10", "channel", "Email", "linear") == k,
              "exact: model set after the add (linear)");
    rr_tap_ok(!rr_figs_find_exact(&f, "attributed_revenue", "2026-10", "channel", "Email", NULL),
              "exact: no model: not found");
    rr_tap_ok(!rr_figs_find_exact(&f, "attributed_revenue", "2026-10", "channel", "Email", "shapley"),
              "exact: other model: not found");
    rr_tap_near(rr_figs_get(&f, "leads", "2026-10", "Email"), 2, 0, "get through the index");
    rr_figs_free(&f);

    /* many figures: the index grows (from 64 slots) many times; every figure
     * is found at its place, duplicates (same metric, period and key, other
     * dim or model) give the first added */
    rr_figs_init(&f, "USD");
    enum { NKEY = 2000, NMET = 4 };
    static const char *met[NMET] = {"leads", "mqls", "roi", "spend"};
    static const char *per[3] = {"2026-10", "2026Q4-QTD", "FY2026-YTD"};
    size_t *pch = malloc(NKEY * NMET * sizeof *pch), *pcp = malloc(NKEY * NMET * sizeof *pcp);
    size_t pnokey[NMET] = {0};
    char key[32];
    for (int i = 0; i < NKEY; i++) {
        snprintf(key, sizeof key, "Ch%d", i);
        for (int m = 0; m < NMET; m++) {
            pch[i * NMET + m] = f.n;
            rr_figs_count(&f, met[m], per[i % 3], "channel", key, i);
            pcp[i * NMET + m] = f.n;
            rr_fig *g = rr_figs_count(&f, met[m], per[i % 3], "campaign", key, -i);   /* same key, dim only */
            rr_fig_set_model(g, i % 2 ? "linear" : NULL);
        }
        if (i < NMET) { pnokey[i] = f.n; rr_figs_count(&f, met[i], per[0], NULL, NULL, i); }
    }
    rr_tap_ok(f.n == (size_t)NKEY * NMET * 2 + NMET, "%zu figures added", f.n);
    rr_tap_ok(f.ixcap >= 2 * f.n && (f.ixcap & (f.ixcap - 1)) == 0, "index grown: %zu slots for %zu figures",
              f.ixcap, f.n);
    for (int round = 0; round < 2; round++) {
        /* round 1: after two figures were added and rotated to the front */
        size_t sh = round ? 2 : 0, bad = 0, found = 0;
        const rr_fig *v = f.v + sh;
        for (int i = 0; i < NKEY + 50; i++) {   /* the last 50 keys were never added */
            snprintf(key, sizeof key, "Ch%d", i);
            for (int m = 0; m < NMET; m++)
                for (int q = 0; q < 3; q++) {
                    int there = i < NKEY && q == i % 3;
                    const rr_fig *ch = there ? &v[pch[i * NMET + m]] : NULL;
                    const rr_fig *cp = there ? &v[pcp[i * NMET + m]] : NULL;
                    const char *cpm = i % 2 ? "linear" : NULL, *other = i % 2 ? NULL : "linear";
                    if (round && i == 0 && m == 0 && q == 0) ch = cp = NULL;   /* checked below */
                    else if (rr_figs_find(&f, met[m], per[q], key) != ch) bad++;
                    if (ch) found++;
                    if (ch && (ch->value != i || strcmp(ch->key, key))) bad++;
                    if (ch && (rr_figs_find_exact(&f, met[m], per[q], "channel", key, NULL) != ch ||
                               rr_figs_find_exact(&f, met[m], per[q], "campaign", key, cpm) != cp ||
                               rr_figs_find_exact(&f, met[m], per[q], "campaign", key, other) ||
                               rr_figs_find_exact(&f, met[m], per[q], "channel", key, "linear") ||
                               rr_figs_find_exact(&f, met[m], per[q], NULL, key, NULL)))
                        bad++;
                }
        }
        for (int m = 0; m < NMET; m++)
            if (rr_figs_find(&f, met[m], per[0], NULL) != &v[pnokey[m]] || rr_figs_find(&f, met[m], per[1], NULL))
                bad++;
        /* and a sample against a plain scan */
        for (size_t i = 0; i < f.n; i += 37) {
            const rr_fig *g = &f.v[i];
            if (rr_figs_find(&f, g->metric, g->period, g->key) != scan(&f, g->metric, g->period, g->key, 0, NULL, NULL) ||
                rr_figs_find_exact(&f, g->metric, g->period, g->dim, g->key, g->model) !=
                    scan(&f, g->metric, g->period, g->key, 1, g->dim, g->model))
                bad++;
        }
        rr_tap_ok(found == (size_t)NKEY * NMET - (round ? 1 : 0) && bad == 0,
                  "%s: every figure found at its place, absent ones not found (%zu found, %zu wrong)",
                  round ? "after rotate" : "after growth", found, bad);
        if (round) break;
        /* rotate: the figures move, the index follows; the first match is the
         * first in the new order */
        size_t n0 = f.n;
        rr_figs_count(&f, "late", "2026-10", "channel", "Ch7", 1);
        rr_figs_count(&f, "leads", "2026-10", "account", "Ch0", 99);   /* a later duplicate of Ch0's leads */
        rr_figs_rotate(&f, 0, n0);                                      /* the two new ones first */
        rr_tap_ok(f.n == n0 + 2 && strcmp(f.v[0].metric, "late") == 0, "rotate moved the last two first");
        rr_tap_ok(rr_figs_find(&f, "late", "2026-10", "Ch7") == &f.v[0], "rotate: found at its new place");
        rr_tap_ok(rr_figs_find(&f, "leads", "2026-10", "Ch0") == &f.v[1] && f.v[1].value == 99,
                  "rotate: the moved duplicate is now the first");
        rr_tap_ok(rr_figs_find_exact(&f, "leads", "2026-10", "channel", "Ch0", NULL) == &f.v[2 + pch[0]],
                  "rotate: exact lookup still finds the channel figure");
    }
    free(pch);
    free(pcp);
    rr_figs_free(&f);
    rr_tap_ok(f.n == 0 && f.ixcap == 0 && !rr_figs_find(&f, "late", "2026-10", "Ch7"), "freed store finds nothing");
}

static int in_journey(const rr_metrics *m, size_t opp, size_t touch)
{
    for (size_t k = m->jstart[opp]; k < m->jstart[opp + 1]; k++)
        if ((size_t)m->jt[k] == touch) return 1;
    return 0;
}

/* attribution.account_matches, worked by hand: account A has five open
 * opportunities created 2026-01-10, 03-01, 05-01, 06-15 and 06-09, all
 * closing 2026-09-30; a touch on A without an opportunity_id on 2026-04-20
 * is 100, 50, 11, 56 and 50 days from their creation.  Limit 2: O3 (11) and
 * O2 (50; O5 is as near, O2 comes first); limit 3: O2, O3, O5; limit 0: all
 * five.  The touch on account B (one opportunity) is never limited. */
static void account_limit(void)
{
    char dir[] = "/tmp/rr-acclim-XXXXXX", p[512];
    if (!mkdtemp(dir)) return;
    snprintf(p, sizeof p, "%s/opportunities.csv", dir);
    FILE *f = fopen(p, "w");
    fputs("opportunity_id,account_id,is_closed,is_won,amount,created_date,close_date\n"
          "O1,A,false,false,100,2026-01-10,2026-09-30\nO2,A,false,false,100,2026-03-01,2026-09-30\n"
          "O3,A,false,false,100,2026-05-01,2026-09-30\nO4,A,false,false,100,2026-06-15,2026-09-30\n"
          "O5,A,false,false,100,2026-06-09,2026-09-30\nO6,B,false,false,100,2026-04-01,2026-09-30\n", f);
    fclose(f);
    char q[512];
    snprintf(q, sizeof q, "%s/touchpoints.csv", dir);
    f = fopen(q, "w");
    fputs("timestamp,channel,account_id,opportunity_id\n2026-04-20T00:00:00Z,Email,A,\n2026-04-20T00:00:00Z,Email,B,\n", f);
    fclose(f);
    rr_data *d = rr_data_new("USD");
    rr_error err;
    memset(&err, 0, sizeof err);
    if (!rr_tap_ok(rr_data_load_dir(d, dir, &err) == RR_OK, "account-limit fixture loads")) goto out;
    rr_period per;
    rr_period_parse("2026-04", NULL, NULL, 1, 0, &per, &err);
    static const struct { int limit; int want[5]; long capped; const char *what; } cases[] = {
        {2, {0, 1, 1, 0, 0}, 1, "limit 2: the touch joins O3 (11 days) and O2 (50 days, before O5 on the tie)"},
        {3, {0, 1, 1, 0, 1}, 1, "limit 3: O2, O3 and O5"},
        {5, {1, 1, 1, 1, 1}, 0, "limit 5: all five, nothing limited"},
        {0, {1, 1, 1, 1, 1}, 0, "limit 0 (none): all five"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rr_metrics_opts mo = {.lookback_days = 365, .account_matches = cases[c].limit};
        rr_metrics *m = rr_metrics_compute(d, &per, &mo);
        int ok = m->touches_capped == cases[c].capped && in_journey(m, 5, 1);
        for (size_t o = 0; o < 5; o++) ok &= in_journey(m, o, 0) == cases[c].want[o];
        if (cases[c].capped) ok &= !strcmp(rr_dict_name(&d->accounts, m->capped_account), "A");
        rr_tap_ok(ok, "%s", cases[c].what);
        rr_metrics_free(m);
    }
    rr_config *cfg = rr_config_new();
    rr_metrics_opts mo;
    rr_metrics_opts_from_config(cfg, 365, &mo);
    rr_tap_int(mo.account_matches, 50, "attribution.account_matches defaults to 50");
    rr_config_free(cfg);
out:
    rr_data_free(d);
    unlink(p);
    unlink(q);
    rmdir(dir);
}

int main(void)
{
    figure_index();
    account_limit();
    const char *top = getenv("top_srcdir");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/data/mini", top ? top : ".");
    rr_data *d = rr_data_new("USD");
    rr_error err;
    memset(&err, 0, sizeof err);
    rr_status st = rr_data_load_dir(d, dir, &err);
    if (!rr_tap_ok(st == RR_OK, "mini fixture loads")) {
        rr_tap_diag("%s:%ld: %s", err.file, err.line, err.msg);
        return rr_tap_done();
    }
    rr_tap_int((long long)d->nopps, 6, "6 opportunities");
    rr_tap_int((long long)d->ntouch, 8, "8 touchpoints");
    rr_tap_int(d->files[RR_IN_SPEND].stats.rows, 6, "6 spend rows read");
    rr_tap_int((long long)d->nspend, 5, "spend aggregated to 5 month x channel x campaign cells");
    /* O2 is 5000 EUR closing 2026-10 at 1.1 */
    rr_tap_int(d->opps[1].amount, 55000000, "EUR amount converted at the close month's rate");

    rr_period p;
    rr_period_parse("2026-10", NULL, NULL, 1, 0, &p, &err);
    rr_metrics_opts mo = {.lookback_days = 365, .account_matches = 0};
    rr_metrics *m = rr_metrics_compute(d, &p, &mo);
    rr_figs f;
    rr_figs_init(&f, "USD");
    rr_metrics_figures(m, &p, &f);

    rr_tap_int(m->nmonths, 13, "window: the month and the 12 before");
    /* won: O1 10000 + O2 5500 + O6 7000 */
    rr_tap_near(rr_figs_get(&f, "won_revenue", "2026-10", NULL), 22500, 1e-9, "won revenue 2026-10");
    rr_tap_near(rr_figs_get(&f, "won_revenue", "2026-09", NULL), 3000, 1e-9, "won revenue 2026-09 (O5)");
    rr_tap_near(rr_figs_get(&f, "won_revenue", "2026-08", NULL), 0, 1e-9, "won revenue 2026-08 is zero");
    rr_tap_near(rr_figs_get(&f, "won_deals", "2026-10", NULL), 3, 0, "3 won in 2026-10");
    rr_tap_near(rr_figs_get(&f, "lost_deals", "2026-10", NULL), 1, 0, "1 lost in 2026-10 (O3)");
    rr_tap_near(rr_figs_get(&f, "win_rate", "2026-10", NULL), 0.75, 1e-12, "win rate 3 / (3 + 1)");
    rr_tap_ok(rr_figs_find(&f, "win_rate", "2026-08", NULL) && !rr_figs_find(&f, "win_rate", "2026-08", NULL)->defined,
              "win rate undefined in a month with nothing closed");
    rr_tap_near(rr_figs_get(&f, "opportunities_created", "2026-10", NULL), 1, 0, "1 opportunity created (O4)");
    rr_tap_near(rr_figs_get(&f, "pipeline_created", "2026-10", NULL), 20000, 1e-9, "pipeline created 2026-10");
    rr_tap_near(rr_figs_get(&f, "pipeline_created", "2026-09", NULL), 5500, 1e-9, "pipeline created 2026-09 (O2 in USD)");
    /* spend: 1000 + 500 + 5000 + 200 + 1000 EUR * 1.1 */
    rr_tap_near(rr_figs_get(&f, "spend", "2026-10", NULL), 7800, 1e-9, "spend 2026-10");
    rr_tap_near(rr_figs_get(&f, "spend", "2026-10", "Paid Search"), 1500, 1e-9, "Paid Search spend: month + day rows summed");
    rr_tap_near(rr_figs_get(&f, "spend", "2026-10", "Paid Social"), 1100, 1e-9, "Paid Social spend converted from EUR");
    rr_tap_near(rr_figs_get(&f, "spend", "2026-09", "Paid Search"), 900, 1e-9, "spend 2026-09");
    rr_tap_near(rr_figs_get(&f, "attainment", "2026-10", NULL), 1.125, 1e-12, "attainment 22500 / 20000");
    rr_tap_near(rr_figs_get(&f, "attainment", "2026-09", NULL), 0.6, 1e-12, "attainment 3000 / 5000");
    rr_tap_ok(!rr_figs_find(&f, "attainment", "2026-08", NULL), "no attainment without a target");
    rr_tap_near(rr_figs_get(&f, "leads", "2026-10", NULL), 2, 0, "leads created 2026-10 (L1, L3)");
    rr_tap_near(rr_figs_get(&f, "mqls", "2026-10", NULL), 2, 0, "MQLs by MQL date (L1, L2)");
    rr_tap_near(rr_figs_get(&f, "sals", "2026-10", NULL), 1, 0, "SALs 2026-10");
    rr_tap_near(rr_figs_get(&f, "sqls", "2026-10", NULL), 1, 0, "SQLs 2026-10");
    rr_tap_near(rr_figs_get(&f, "leads", "2026-09", NULL), 1, 0, "leads 2026-09 (L2)");
    /* journeys: O1 = T1 (account match), T2, T3; O2 = T4 (account), T6; T5 after O2 closed; T8 unknown opp */
    rr_tap_int((long long)(m->jstart[1] - m->jstart[0]), 3, "O1 has 3 touches");
    rr_tap_int((long long)(m->jstart[2] - m->jstart[1]), 2, "O2 has 2 touches");
    rr_tap_int((long long)(m->jstart[4] - m->jstart[3]), 1, "O4 (open) has the account-matched T1");
    rr_tap_int(m->touches_unmatched, 2, "T5 (after close) and T8 (unknown opp) match nothing");
    rr_tap_int(m->touches_unknown_opp, 1, "T8 names an unknown opportunity");
    /* linear: O1 10000 / 3 to Paid Search, Events, Email; O2 5500 / 2 to Paid Social, Email */
    rr_tap_near(rr_figs_get(&f, "attributed_revenue", "2026-10", "Paid Search"), 3333.3333, 1e-9, "linear: Paid Search");
    rr_tap_near(rr_figs_get(&f, "attributed_revenue", "2026-10", "Events"), 3333.3333, 1e-9, "linear: Events");
    rr_tap_near(rr_figs_get(&f, "attributed_revenue", "2026-10", "Email"), 6083.3333, 1e-9, "linear: Email");
    rr_tap_near(rr_figs_get(&f, "attributed_revenue", "2026-10", "Paid Social"), 2750, 1e-9, "linear: Paid Social");
    rr_tap_near(rr_figs_get(&f, "attributed_deals", "2026-10", "Email"), 1.0 / 3 + 0.5, 1e-12, "Email deal share");
    rr_tap_near(rr_figs_get(&f, "no_touch_revenue", "2026-10", NULL), 7000, 1e-9, "O6 is a no-touch deal");
    rr_tap_near(rr_figs_get(&f, "roi", "2026-10", "Paid Search"), (10000.0 / 3 - 1500) / 1500, 1e-9, "ROI Paid Search");
    rr_tap_near(rr_figs_get(&f, "roi", "2026-10", "Events"), (10000.0 / 3 - 5000) / 5000, 1e-9, "ROI Events (negative)");
    rr_tap_near(rr_figs_get(&f, "roi", "2026-10", "Email"), (10000.0 / 3 + 2750 - 200) / 200, 1e-9, "ROI Email");
    rr_tap_near(rr_figs_get(&f, "roi", "2026-10", "Paid Social"), 1.5, 1e-9, "ROI Paid Social");
    rr_tap_near(rr_figs_get(&f, "roas", "2026-10", "Paid Social"), 2.5, 1e-9, "ROAS Paid Social 2750 / 1100");
    /* paid channels: 10000 (O1, all touches paid) + 5500 (O2) = 15500 attributed against 7800 spend */
    rr_tap_near(rr_figs_get(&f, "attributed_revenue_paid", "2026-10", NULL), 15500, 1e-3, "attributed to paid channels");
    rr_tap_near(rr_figs_get(&f, "roi", "2026-10", NULL), (15500.0 - 7800) / 7800, 1e-6, "marketing ROI (paid channels)");

    /* a quarter: 2026Q4 with a calendar fiscal year holds Oct-Dec */
    rr_period q;
    rr_period_parse(NULL, "2026Q4", NULL, 1, 0, &q, &err);
    rr_metrics *mq = rr_metrics_compute(d, &q, &mo);
    rr_figs fq;
    rr_figs_init(&fq, "USD");
    rr_metrics_figures(mq, &q, &fq);
    rr_tap_near(rr_figs_get(&fq, "won_revenue", "2026Q4", NULL), 22500, 1e-9, "won revenue 2026Q4");
    rr_tap_ok(!rr_figs_find(&fq, "attainment", "2026Q4", NULL), "no quarter attainment when Nov/Dec targets are missing");
    rr_figs_free(&fq);
    rr_metrics_free(mq);

    /* lookback 0: T1 (2026-07-10) is before O1's creation, so it drops out of O1 and O4 */
    rr_metrics_opts m0 = {.lookback_days = 0, .account_matches = 0};
    mo.lookback_days = 0;
    rr_metrics *ml = rr_metrics_compute(d, &p, &m0);
    rr_tap_near(ml->jstart[1] - ml->jstart[0], 2, 0, "lookback 0 keeps only explicitly linked touches for O1");
    rr_metrics_free(ml);

    rr_figs_free(&f);
    rr_metrics_free(m);
    rr_data_free(d);
    return rr_tap_done();
}
