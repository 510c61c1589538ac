/* test_metrics.c: every first figure on tests/data/mini against values
 * worked out by hand (see the comments next to each expectation). */
#include <stdlib.h>
#include <string.h>
#include "revreport/data.h"
#include "revreport/metrics.h"
#include "revreport/period.h"
#include "revreport/tap.h"

int main(void)
{
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
    rr_metrics_opts mo = {365};
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
    rr_metrics_opts m0 = {0};
    mo.lookback_days = 0;
    rr_metrics *ml = rr_metrics_compute(d, &p, &m0);
    rr_tap_near(ml->jstart[1] - ml->jstart[0], 2, 0, "lookback 0 keeps only explicitly linked touches for O1");
    rr_metrics_free(ml);

    rr_figs_free(&f);
    rr_metrics_free(m);
    rr_data_free(d);
    return rr_tap_done();
}
