/* plan.h: the figures a CFO asks for first: won revenue, deals and win rate
 * by deal type; plan vs actual (revenue, pipeline created, MQLs) for the
 * month, the quarter to date and the fiscal year to date with a status; the
 * same period last year; one outlook for the quarter; the largest deals.
 *
 *   rr_plan_opts o;  rr_plan_opts_from_config(cfg, &o);
 *   rr_plan *pl = rr_plan_compute(data, metrics, &period, &o);
 *   pl->per[0].status[RR_PLAN_REVENUE]   // on track / at risk / off track
 *   rr_plan_figures(pl, &figs);          // into report.xml
 *   rr_plan_outlook_compute(&build_ctx, pl);   // after the forecast section's figures
 *   rr_plan_free(pl);
 *
 * Ownership: rr_plan owns its arrays and keeps pointers to data and metrics,
 * which must outlive it.  Definitions (docs/plan.md):
 * - deal type: the opportunity's `type` (profiles map the CRM's values);
 *   types the report does not know count in the totals only;
 * - revenue = won amount by close month (all types, as revenue_target);
 *   pipeline = amount of opportunities created in the months (all types,
 *   as pipeline_target); MQLs by the month of mql_at;
 * - QTD and YTD targets are the sums of the months to date; a period's
 *   target is missing when one of its months has none;
 * - status: attainment >= on_track (0.95) on track, >= at_risk (0.80) at
 *   risk, below off track (settings plan.on_track, plan.at_risk);
 * - channel trends: each opportunity of the deal types attribution covers
 *   (attribution.deal_types), its amount split equally over its journey's
 *   touches (the linear rule of metrics.h): won by close month, created by
 *   created month;
 * - year on year: the same months one year earlier, only when the inputs
 *   reach back that far (the first month an opportunity closed, a lead was
 *   created, spend was recorded). */
#ifndef RR_PLAN_H
#define RR_PLAN_H
#include <stddef.h>
#include "revreport/build.h"
#include "revreport/config.h"
#include "revreport/data.h"
#include "revreport/figures.h"
#include "revreport/metrics.h"
#include "revreport/period.h"

typedef enum { RR_PLAN_NONE = 0, RR_PLAN_ON_TRACK, RR_PLAN_AT_RISK, RR_PLAN_OFF_TRACK } rr_plan_status;
enum { RR_DEAL_NEW = 0, RR_DEAL_EXPANSION, RR_DEAL_RENEWAL, RR_DEAL_NTYPES };
enum { RR_PLAN_REVENUE = 0, RR_PLAN_PIPELINE, RR_PLAN_MQLS, RR_PLAN_NMEASURES };
enum { RR_OUTLOOK_CLOSED = 0, RR_OUTLOOK_COMMIT, RR_OUTLOOK_BEST_CASE, RR_OUTLOOK_WEIGHTED, RR_OUTLOOK_MODEL,
       RR_OUTLOOK_NBASES };

typedef struct {
    double on_track, at_risk;  /* plan.on_track (0.95), plan.at_risk (0.80): fractions of plan */
    int top_deals;             /* plan.top_deals (5): rows of each top-deals table */
    int headline;              /* forecast.headline: RR_OUTLOOK_* (weighted) */
} rr_plan_opts;

/* Defaults overridden by cfg (may be NULL); bad values through rr_config_bad_value. */
void rr_plan_opts_from_config(const rr_config *cfg, rr_plan_opts *o);

/* Sums over a range of months. */
typedef struct {
    rr_money won_type[RR_DEAL_NTYPES];
    long won_n_type[RR_DEAL_NTYPES], lost_n_type[RR_DEAL_NTYPES];
    rr_money won, pipeline, spend;
    long won_n, lost_n, opps, leads, mqls, sqls;
} rr_plan_sums;
void rr_plan_sums_compute(const rr_data *d, int first, int last, rr_plan_sums *out);
/* won / (won + lost) of a type (-1: all types); NAN when nothing closed */
double rr_plan_win_rate(const rr_plan_sums *s, int type);

/* One period of plan vs actual. */
typedef struct {
    char label[16];            /* report.xml period: "2026-10", "2026Q4-QTD", "FY2026-YTD", "2026Q3" */
    int first, last;           /* month keys */
    rr_plan_sums act;
    double actual[RR_PLAN_NMEASURES];     /* revenue and pipeline in major units, MQLs a count */
    double target[RR_PLAN_NMEASURES];     /* NAN without a target for every month */
    double attain[RR_PLAN_NMEASURES];     /* actual / target; NAN without target (or target 0) */
    rr_plan_status status[RR_PLAN_NMEASURES];
    /* the same months one year earlier (has_yoy: the inputs reach back; per source) */
    rr_plan_sums yoy;
    int has_yoy_opps, has_yoy_leads, has_yoy_spend;
} rr_plan_period;

typedef struct {
    int32_t opp;               /* index into data->opps */
    int32_t channel;           /* first touch's channel, -1 none */
    long days;                 /* close - created, days */
} rr_plan_deal;

/* The quarter outlook (rr_plan_outlook_compute). */
typedef struct {
    int ok;
    char label[16];            /* "2026Q4" */
    int first, last;           /* the quarter's months */
    int months_left;           /* after the report's last month (0: the next quarter is shown) */
    double basis[RR_OUTLOOK_NBASES];   /* quarter totals, major units; NAN when not computable */
    double target;             /* NAN without target */
    double attain[RR_OUTLOOK_NBASES];
    rr_plan_status status[RR_OUTLOOK_NBASES];
    double open_due, remaining, coverage, coverage_needed, win_rate;
    int headline;              /* RR_OUTLOOK_* */
    const char *method;        /* the model's method now */
    const char *prev_method;   /* at the previous month's report (NULL: unknown) */
    double prev_method_total;  /* the quarter total by prev_method on today's data; NAN when same/unknown */
} rr_plan_outlook;

typedef struct rr_plan {
    rr_plan_opts o;
    size_t nper;               /* month: month, QTD, YTD; quarter: quarter, YTD */
    rr_plan_period per[3];
    size_t nqm;                /* months of the current quarter up to the report's last month */
    rr_plan_period qm[3];
    int data_first_opps, data_first_leads, data_first_spend;   /* month keys; INT32_MAX when none */
    /* the largest deals: won and lost with a close month in the period, open due in the quarter */
    rr_plan_deal *top_won, *top_lost, *top_open;
    size_t ntop_won, ntop_lost, ntop_open;
    rr_plan_outlook outlook;
    /* channel trends over the metrics window (nmonths x nch, [i * nch + c]),
     * linear over each journey, the deal types attribution covers: revenue
     * won (by close month) and pipeline created (by created month) */
    size_t nmonths, nch;
    double *trend_rev, *trend_pipe;
    const rr_data *data;
    const rr_metrics *m;
    const rr_period *period;
} rr_plan;

rr_plan *rr_plan_compute(const rr_data *d, const rr_metrics *m, const rr_period *p, const rr_plan_opts *o);
void rr_plan_free(rr_plan *pl);   /* accepts NULL */
/* Status of an attainment against the thresholds (NONE for NAN). */
rr_plan_status rr_plan_status_of(const rr_plan_opts *o, double attainment);
/* "on_track", "at_risk", "off_track"; NULL for NONE */
const char *rr_plan_status_name(rr_plan_status s);
/* "new_business", "expansion", "renewal" */
const char *rr_plan_deal_type_name(int type);
/* "closed", "commit", "best_case", "weighted", "model" */
const char *rr_plan_outlook_basis_name(int basis);
/* The quarter outlook into pl->outlook: the quarter holding the report's last
 * month, or the next one when the report ends with its quarter.  Each basis
 * is a total for the quarter: closed = won to date; commit = won + commit;
 * best_case = commit + best case; weighted = won + probability-weighted open
 * pipeline due in the quarter; model = the statistical forecast's total.
 * Reads the forecast section's figures in c->figs (call after it); the
 * previous report's method is the one fitted to the history one month
 * shorter. */
void rr_plan_outlook_compute(const rr_build_ctx *c, rr_plan *pl);
/* Every figure (deal-type split, targets and attainment with status,
 * *_yoy companions); skips figures already in figs. */
void rr_plan_figures(const rr_plan *pl, rr_figs *figs);

#endif
