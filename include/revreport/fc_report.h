/* fc_report.h: the funnel, pipeline and forecast-vs-actuals sections of the
 * report, and the plain computations behind them.
 *
 *   rr_fcr_opts o;  rr_fcr_opts_from_config(cfg, &o);
 *   rr_fcr_funnel f;
 *   rr_fcr_funnel_compute(data, first, last, -1, asof, &o, &f);  // all channels
 *   printf("%ld MQLs, cohort MQL->won %.1f%%\n", f.mqls, 100 * f.cohort_won_rate);
 *   rr_fcr_section_funnel(&ctx, doc);     // funnel + pipeline section, figures into ctx->figs
 *   rr_fcr_section_forecast(&ctx, doc);   // forecast vs actuals section
 *
 * Ownership: the computations read rr_data and fill caller-owned structs
 * (no allocation survives a call, except rr_fcr_won_series' array, which the
 * caller frees).  Section builders add blocks to the doc and figures to
 * c->figs, like the sections of build.c.  Definitions: docs/forecast.md
 * ("The report sections") and the report appendix. */
#ifndef RR_FC_REPORT_H
#define RR_FC_REPORT_H
#include <stddef.h>
#include "revreport/build.h"
#include "revreport/config.h"
#include "revreport/data.h"
#include "revreport/doc.h"

typedef struct {
    double sla_hours;          /* funnel.sla_hours (24) */
    double gross_margin;       /* funnel.gross_margin (1) */
    double monthly_churn;      /* funnel.monthly_churn; NAN = derive from renewals */
    int horizon;               /* forecast.horizon (3), 1..12 */
    int stage_weighting;       /* forecast.weighting = stage_win_rate */
    const struct rr_fcr_index *index;  /* NULL, or rr_fcr_index_new(d): makes repeated
                                          rr_fcr_funnel_compute calls on one d cheap */
} rr_fcr_opts;

/* What every funnel computation over one data set needs, computed once: the
 * month of each lead's created / MQL / SAL / SQL time, the opportunity index
 * by interned id, each opportunity's channel.  The figures are the same with
 * or without it. */
typedef struct rr_fcr_index rr_fcr_index;
rr_fcr_index *rr_fcr_index_new(const rr_data *d);
void rr_fcr_index_free(rr_fcr_index *ix);

/* Defaults, overridden by the settings in cfg (cfg may be NULL).  A value out
 * of range (forecast.horizon outside 1..RR_FCR_MAX_HORIZON, forecast.weighting
 * not crm / stage_win_rate) is recorded in cfg for rr_config_check; o then
 * holds the default for it. */
#define RR_FCR_MAX_HORIZON 12
void rr_fcr_opts_from_config(const rr_config *cfg, rr_fcr_opts *o);
/* Check the forecast.* settings as above: RR_OK, or RR_ERR_CONFIG naming the
 * place, key and value.  main.c calls it before any input is read. */
rr_status rr_fcr_config_check(const rr_config *cfg, rr_error *err);

/* Funnel and deal figures over the months [first, last] (month keys).
 * Counts are by each stage's own date: leads (created_at), MQLs (mql_at),
 * SALs, SQLs, opportunities (created_date), won / lost (close_date).
 * Cohort: the leads whose mql_at lies in the months, and the share of them
 * that reached SQL, an opportunity (lead.opportunity_id, created by asof),
 * and won (that opportunity won, closed by asof), "so far" = by asof.
 * Channel of an opportunity: the channel of the lead naming it, else the
 * channel of its campaign, else its lead_source when that is a channel
 * name; channel < 0 means all channels. */
typedef struct {
    long leads, mqls, sals, sqls, opps, won, lost;
    /* opportunities created / won in the months that a lead names (new
     * business from the lead funnel; expansions and renewals have no lead):
     * the like-with-like stages after SQL */
    long opps_from_leads, won_from_leads;
    double sql_per_mql, opp_per_sql, win_rate;             /* period ratios; NAN when undefined;
                                                              opp_per_sql = opps_from_leads / sqls */
    long cohort_mqls, cohort_sqls, cohort_opps, cohort_won;
    double cohort_sql_rate, cohort_opp_rate, cohort_won_rate;
    double med_days_mql_sql, med_days_sql_opp, med_days_opp_won; /* cohort medians; NAN when none */
    long sla_mqls, sla_met;                                /* MQLs in the months; contacted within sla_hours */
    double sla_share, sla_median_hours;                    /* median over those contacted */
    rr_money won_amount, pipeline_created;
    double avg_deal, median_deal;                          /* won deals, base currency */
    double cycle_median_days, cycle_avg_days;              /* close - created of won deals */
    /* unit economics (channel < 0 only: spend is not split by lead channel otherwise) */
    rr_money spend, new_amount, expansion_amount;
    long new_customers;                                    /* won new-business deals */
    double cac, revenue_per_new_customer, expansion_share;
} rr_fcr_funnel;

void rr_fcr_funnel_compute(const rr_data *d, int first, int last, int32_t channel, rr_date asof,
                           const rr_fcr_opts *o, rr_fcr_funnel *out);

/* The funnel of every channel at once: out[c] (d->channels.n entries,
 * caller-owned) is what rr_fcr_funnel_compute(d, first, last, c, asof, o, ..)
 * gives, field for field, from one pass over the rows bucketed by channel
 * (time linear in rows + channels, not their product). */
void rr_fcr_funnel_by_channel(const rr_data *d, int first, int last, rr_date asof, const rr_fcr_opts *o,
                              rr_fcr_funnel *out);

/* Channel id of opportunity i (see above), or -1.  Fills map (d->nopps
 * entries, caller-owned) for all opportunities at once. */
void rr_fcr_opp_channels(const rr_data *d, int32_t *map);
/* The median of v[0..n) in linear time (reorders v); NAN when n == 0. */
double rr_fcr_median(double *v, size_t n);

/* Open pipeline at the end of day asof: opportunities created by asof and
 * not closed by asof (open, or closed later), with close_date in
 * [from, to].  closed = won amount closed in [from, asof]. */
typedef struct {
    long n_open;
    rr_money open, commit, best_case, pipeline, closed;
    double weighted;           /* sum amount x probability (CRM, or win_rate when stage weighting) */
} rr_fcr_pipe;
void rr_fcr_pipeline(const rr_data *d, rr_date asof, rr_date from, rr_date to, double win_rate,
                     int stage_weighting, rr_fcr_pipe *out);

/* Won revenue by close month (base currency, major units) from the first
 * month in which an opportunity was won to `last`, inclusive (months before
 * the first win are not history: the export starts there).
 * *out is rr_xmalloc'ed (NULL when the result is 0 months); *first gets the
 * month key of out[0]. */
size_t rr_fcr_won_series(const rr_data *d, int last, int *first, double **out);

/* The submitted forecast of `category` (0 commit, 1 best_case, 2 pipeline)
 * for `month`: the latest submission with submitted_at on or before the
 * month's first day; when there is none, the earliest submitted later
 * (*late = 1).  Returns 0 when there is no submission at all. */
int rr_fcr_submitted(const rr_data *d, int month, int category, rr_money *amount, int *late);

/* Monthly churn derived from renewals closed in [first, last]: annual churn
 * = lost renewals / closed renewals, monthly = 1 - (1 - annual)^(1/12).
 * NAN when no renewal closed. */
double rr_fcr_derived_churn(const rr_data *d, int first, int last);

/* Section builders (ctx as in build.h). */
void rr_fcr_section_funnel(const rr_build_ctx *c, rr_doc *doc);
void rr_fcr_section_forecast(const rr_build_ctx *c, rr_doc *doc);

/* The fiscal quarter holding the report's last month, for the summary tile.
 * While months of the quarter remain (months_left > 0): won to date + model
 * forecast of the remaining months and its 80% interval (the figures
 * forecast_quarter_model, _lo80, _hi80 of the forecast section).  When none
 * remains (the report's last month is the quarter's last), the quarter is
 * final: total = lo80 = hi80 = won, and the tile shows the actual against the
 * target, not a forecast. */
typedef struct {
    int months_left;       /* months of the quarter after the report's last month; 0 = final */
    int has_model;         /* a model was fitted (there is won history) */
    double won;            /* won in the quarter up to the report's last month */
    double total, lo80, hi80;
    double target;         /* the quarter's revenue target, when every month has one */
    int has_target;
    char name[64];         /* "Q3 FY2026", translated */
    /* when final: the next quarter's model forecast (all its months ahead) */
    int next_ok;           /* the model reaches the next quarter's three months */
    double next_total, next_lo80, next_hi80, next_target;
    int next_has_target;
    char next_name[64], next_label[16];   /* "Q4 FY2026"; "2026Q4" (report.xml) */
    const char *next_method;              /* report.xml's model name of the forecast */
} rr_fcr_quarter;

/* Fills *q; returns q->has_model. */
int rr_fcr_quarter_outlook(const rr_build_ctx *c, rr_fcr_quarter *q);

#endif
