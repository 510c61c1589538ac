/* metrics.h: the figures computed from rr_data for a report period.
 *
 *   rr_metrics *m = rr_metrics_compute(data, &period, &opts);
 *   m->won_revenue[i] is month m->window_first + i;  m->ch_attr_revenue[c] ...
 *   rr_metrics_figures(m, data, &period, &figs);     // everything into the figure store
 *   rr_metrics_free(m);
 *
 * Ownership: rr_metrics owns its arrays; it keeps pointers into rr_data, which
 * must outlive it.  Definitions (also in README.md and the report appendix):
 * - won revenue: amount of opportunities with is_won, by close month;
 * - win rate: won / (won + lost), opportunities closed in the month;
 * - leads / MQLs / SALs / SQLs: counted in the month of their own date;
 * - journeys (journey.h): a touch belongs to an opportunity when its
 *   opportunity_id matches, or, when opportunity_id is empty, when account_id
 *   matches; either way only when it lies in [created_date - lookback days,
 *   end of close_date (or the close timestamp)]; touches at one instant in
 *   journey.h's tie order;
 * - linear attribution: each won opportunity of the deal types covered
 *   (attribution.deal_types, default new business) split equally over its
 *   touches; won opportunities with no touch are counted as "no touch";
 * - ROI = (attributed revenue - spend) / spend, undefined without spend and
 *   marked not meaningful (undefined, with the reason) below roi.min_spend. */
#ifndef RR_METRICS_H
#define RR_METRICS_H
#include <stddef.h>
#include "revreport/config.h"
#include "revreport/data.h"
#include "revreport/figures.h"
#include "revreport/period.h"

typedef struct {
    int lookback_days;     /* 365 */
    int account_matches;   /* a touchpoint without an opportunity_id joins at most this many
                              opportunities of its account (those created nearest to it);
                              0 = every one whose window holds it */
    unsigned deal_mask;    /* deal types attribution covers: bit rr_opp_type (RR_METRICS_DEALS_*);
                              0 = every type (rr_metrics_opts_from_config: new business) */
    const char *deal_types;   /* its report.xml name: "new_business", "new_business,expansion", "all" */
    double min_spend;      /* roi.min_spend: below it a channel's ROI is not meaningful (major units) */
} rr_metrics_opts;

#define RR_METRICS_DEALS_NEW (1u << RR_OPP_NEW)
#define RR_METRICS_DEALS_NEW_EXPANSION ((1u << RR_OPP_NEW) | (1u << RR_OPP_EXPANSION))
#define RR_METRICS_DEALS_ALL 0xFu
/* attribution.deal_types: "new_business" (default), "new_business,expansion" or
 * "all" into a mask and its name; a bad value through rr_config_bad_value */
unsigned rr_metrics_deal_mask(const rr_config *cfg, const char **name);
/* roi.min_spend (default 5000; a bad value through rr_config_bad_value) */
double rr_metrics_min_spend(const rr_config *cfg);

/* lookback_days, attribution.account_matches (default 50), attribution.deal_types
 * and roi.min_spend (a bad value is reported through rr_config_bad_value) */
void rr_metrics_opts_from_config(const rr_config *cfg, int lookback_days, rr_metrics_opts *o);

typedef struct {
    int window_first, window_last;     /* month keys */
    size_t nmonths;
    /* per month */
    rr_money *won_revenue, *pipeline_created, *spend_total, *revenue_target;
    unsigned char *has_target;
    long *won_count, *lost_count, *opps_created, *leads, *mqls, *sals, *sqls;
    /* spend by month x channel: [i * nchannels + c] */
    size_t nchannels;
    rr_money *spend_mc;
    /* journeys: opp i has touches jt[jstart[i] .. jstart[i+1]) sorted by time */
    size_t *jstart;
    int32_t *jt;
    long touches_unmatched;            /* touches that belong to no opportunity */
    long touches_outside;              /* touches naming an opportunity, outside its journey window */
    long touches_capped;               /* touches whose account had more matching opportunities
                                          than account_matches (joined to the nearest) */
    int32_t capped_account;            /* the account of the first of them (-1: none) */
    int account_matches;               /* the limit applied (rr_metrics_opts) */
    unsigned deal_mask;                /* deal types of the attribution below (rr_metrics_opts) */
    const char *deal_types;            /* "new_business", ... (static) */
    double min_spend;                  /* roi.min_spend */
    long touches_unknown_opp;          /* opportunity_id that is not in opportunities.csv */
    /* linear attribution over won opps closed in the period, per channel */
    double *ch_attr_revenue;           /* major units */
    double *ch_attr_deals;             /* fractional deal count */
    rr_money *ch_spend;                /* spend in the period */
    rr_money no_touch_revenue;
    long no_touch_deals;
    /* period totals */
    rr_money p_won, p_target, p_spend, p_pipeline_created;
    long p_won_n, p_lost_n, p_created_n, p_leads, p_mqls, p_sqls;
    int p_has_target;
    const rr_data *data;
} rr_metrics;

rr_metrics *rr_metrics_compute(const rr_data *d, const rr_period *p, const rr_metrics_opts *o);
void rr_metrics_free(rr_metrics *m);
/* Index of month key in the window, or -1. */
int rr_metrics_mi(const rr_metrics *m, int month);
/* Linear attribution of the opportunities won in months [first, last]: adds
 * each one's amount, split equally over its journey, to rev[channel] (major
 * units; rev has nchannels entries).  The same rule as ch_attr_revenue, for
 * any months (the summary compares the period with the one before). */
void rr_metrics_linear(const rr_metrics *m, int first, int last, double *rev);
/* Put every computed figure into figs. */
void rr_metrics_figures(const rr_metrics *m, const rr_period *p, rr_figs *figs);

#endif
