/* attr_report.h: the attribution engine (attr.h) applied to the report's
 * data: journeys with milestone roles for every opportunity, every model's
 * credit per channel and per campaign for the period, the quarter-to-date and
 * the fiscal year-to-date, spend, ROI, ROAS, cost per lead / MQL / SQL /
 * opportunity, CAC, marketing-sourced and -influenced revenue; and the report
 * sections "roi" and "attribution" built from them.
 *
 *   rr_attrrep_opts o;
 *   rr_attrrep_opts_from_config(cfg, 365, &o);
 *   rr_attrrep *a = rr_attrrep_compute(data, metrics, &period, &o);
 *   const rr_attrrep_scope *s = &a->scope[0];                 // the report period
 *   double v = rr_attrrep_get(s, RR_ATTR_W_SHAPED, RR_ATTRREP_REVENUE, channel);
 *   rr_attrrep_figures(a, &figs);                             // everything into report.xml
 *   rr_attrrep_free(a);
 *
 *   rr_attrrep_sections(&build_ctx, doc);   // from build.c: sections "roi" + "attribution"
 *
 * Ownership: rr_attrrep owns its arrays and keeps pointers to data and
 * metrics, which must outlive it.  Money is in major units (double): credit
 * is fractional; figures are rounded to 1/10000 when stored. */
#ifndef RR_ATTR_REPORT_H
#define RR_ATTR_REPORT_H
#include <stddef.h>
#include "revreport/attr.h"
#include "revreport/build.h"
#include "revreport/config.h"
#include "revreport/data.h"
#include "revreport/doc.h"
#include "revreport/figures.h"
#include "revreport/metrics.h"
#include "revreport/paths.h"
#include "revreport/period.h"

typedef enum { RR_SOURCED_FIRST_TOUCH = 0, RR_SOURCED_LEAD_SOURCE = 1 } rr_attrrep_sourced;

typedef struct {
    rr_attr_model model;        /* default model of the report (attribution.model, default linear) */
    rr_attr_params params;      /* half-life, custom weights, Markov order, lookback */
    rr_attrrep_sourced sourced_by;
    int leads_as_null;          /* leads without opportunity = null paths (Markov) */
    const char *paths_file;     /* ChannelAttribution paths file, or NULL */
    char paths_delim;           /* ',' or ';' (0 = detect from the header) */
    const char *paths_sep;      /* channel separator inside a path (default ">") */
    unsigned deal_mask;         /* attribution.deal_types: deal types credited (RR_METRICS_DEALS_*) */
    const char *deal_types;     /* its name in report.xml: "new_business", "new_business,expansion", "all" */
    const char *non_marketing;  /* attribution.non_marketing_touches: "Direct;Sales" (channels whose
                                   touches are not marketing influence), or NULL */
    double min_spend;           /* roi.min_spend: below it an ROI is shown as not meaningful */
    int trailing_months;        /* roi.spend_basis trailing3 / trailing12: the trailing ROI divides by
                                   the average monthly spend of these months x the period's months */
} rr_attrrep_opts;

/* Options from the settings (cfg may be NULL: the defaults): attribution.model,
 * .half_life_days, .custom_weights, .markov_order, .leads_as_null,
 * .sourced_by, .paths_separator; lookback from the report options.  A value
 * that is not acceptable (unknown model, weights that are not five
 * percentages summing to 100, half-life <= 0, order outside
 * 1..RR_ATTRREP_MAX_ORDER, sourced_by not first_touch / lead_source, ...) is
 * recorded in cfg with its place and key, and returned by rr_config_check()
 * (exit 5 before anything is written); o then holds the default for it. */
#define RR_ATTRREP_MAX_ORDER 4
void rr_attrrep_opts_from_config(const rr_config *cfg, int lookback_days, rr_attrrep_opts *o);
/* Check every attribution.* setting as above: RR_OK, or RR_ERR_CONFIG with
 * err naming the settings file and line (or --set), the key, the value and
 * what is expected.  main.c calls it before any input is read. */
rr_status rr_attrrep_config_check(const rr_config *cfg, int lookback_days, rr_error *err);

enum { RR_ATTRREP_REVENUE = 0, RR_ATTRREP_DEALS = 1, RR_ATTRREP_PIPELINE = 2 };

/* Why a path model is undefined, for the report's language: a catalogue key
 * (attr.why.*) and its numbers; detail is the English error (internal ones). */
typedef struct {
    const char *key;
    size_t count, removals;   /* what was found */
    int max;                  /* the limit it exceeds (states or players) */
    char detail[200];
} rr_attrrep_why;

/* One time scope: the report period, the quarter to date, the fiscal year to
 * date.  All end with the report period's last month. */
typedef struct {
    char label[16];             /* "2026-10", "2026Q4-QTD", "FY2026-YTD", "2026Q3" */
    int first, last;            /* month keys */
    /* per-touch models: won (revenue, deals) and open (pipeline) sums */
    rr_attr_totals *tot[RR_ATTR_N_MODELS];          /* NULL for markov and shapley */
    rr_attr_totals *newbiz;                         /* default model, won new_business only */
    /* markov and shapley per channel: revenue, deals, pipeline */
    double *mk[3], *sh[3];
    int mk_ok, sh_ok;           /* 0: undefined, reason in mk_msg / sh_msg (English, report.xml) and mk_why / sh_why */
    char mk_msg[256], sh_msg[256];
    rr_attrrep_why mk_why, sh_why;
    rr_paths *paths;            /* won = conversions, lost (+ leads) = nulls */
    /* markov and shapley per campaign state: [0, ncp) the campaigns, ncp + c the
     * "(no campaign)" state of channel c (touches without a campaign) */
    double *mk_cp[3], *sh_cp[3];
    int mk_cp_ok, sh_cp_ok;     /* 0: undefined, reason in mk_cp_msg / sh_cp_msg */
    char mk_cp_msg[256], sh_cp_msg[256];
    rr_attrrep_why mk_cp_why, sh_cp_why;
    size_t sh_cp_players;       /* campaign states on won and open journeys (Shapley's limit) */
    rr_paths *cp_paths;         /* as paths, over campaign states */
    /* spend and funnel per channel [nch] and campaign [ncp] */
    double *spend_ch, *spend_cp, spend;
    long *leads_ch, *mqls_ch, *sqls_ch, *opps_ch;
    long *leads_cp, *mqls_cp, *sqls_cp, *opps_cp;
    long leads, mqls, sqls, opps;
    /* totals */
    double won, pipeline, influenced, sourced, no_touch;   /* won, influenced, sourced, no touch: the
                                                              deal types covered (o.deal_mask) */
    double sales_sourced;       /* won of the types covered, not marketing-sourced */
    long won_n, newbiz_n, no_touch_n, influenced_n, sourced_n, sales_sourced_n;
    double *sourced_ch;         /* sourced revenue by FT channel or lead_source channel */
} rr_attrrep_scope;

typedef struct {
    rr_attrrep_opts o;
    size_t nch, ncp;            /* channels, campaigns (data dictionaries) */
    size_t nscope;              /* 3 for a month (month, QTD, YTD), 2 for a quarter (quarter, YTD) */
    rr_attrrep_scope scope[3];
    int64_t as_of;              /* end of the report period: conversion time of open journeys */
    /* paths.csv of the input folder, when present */
    rr_paths *file_paths;
    int file_paths_status;      /* RR_OK, or the error reading it (file_paths_msg) */
    char file_paths_msg[512];
    double *fp_markov[2], *fp_shapley[2], *fp_first[2], *fp_last[2], *fp_linear[2]; /* [0] conv, [1] value */
    int fp_markov_ok, fp_shapley_ok;
    long lead_linked;           /* opportunities with a lead in leads.csv */
    const rr_data *data;
    const rr_metrics *m;
    const rr_period *period;
} rr_attrrep;

/* Compute every scope.  data and metrics (journeys: jstart/jt) must outlive
 * the result.  Never NULL; free with rr_attrrep_free (NULL ok). */
rr_attrrep *rr_attrrep_compute(const rr_data *d, const rr_metrics *m, const rr_period *p,
                               const rr_attrrep_opts *o);
void rr_attrrep_free(rr_attrrep *a);

/* Spend of channel ch (or every channel, ch < 0) on the trailing basis: the
 * average monthly spend of the o.trailing_months months ending with the
 * period's last month, times the period's months (months before the data
 * count as no spend).  Major units. */
double rr_attrrep_trailing_spend(const rr_attrrep *a, long ch);

/* Credit of channel ch under model m in scope s (what = RR_ATTRREP_*);
 * NAN when the model is undefined there (Markov without conversions,
 * Shapley over too many channels). */
double rr_attrrep_get(const rr_attrrep_scope *s, rr_attr_model m, int what, size_t ch);

/* Credit of campaign state cp under model m in scope a->scope[scope]: cp <
 * a->ncp a campaign, a->ncp + c the "(no campaign)" state of channel c (Markov
 * and Shapley only; NAN for the per-touch models, whose no-campaign credit is
 * in tot[m]->won.no_campaign_*).  NAN when the model is undefined per campaign
 * (Markov without conversions, Shapley over more than RR_ATTR_SHAPLEY_MAX
 * campaign states on the period's won and open journeys). */
double rr_attrrep_get_campaign(const rr_attrrep *a, size_t scope, rr_attr_model m, int what, size_t cp);

/* Put every figure into figs (skips a figure already present with the same
 * metric, period, dimension, key and model, such as the linear ones of
 * rr_metrics_figures). */
void rr_attrrep_figures(const rr_attrrep *a, rr_figs *figs);

/* "new business", "new business and expansion", "all deal types" in the report's language */
const char *rr_attrrep_types_text(const rr_build_ctx *c, const rr_attrrep *a);

/* Build the "roi" and "attribution" sections (the latter only with
 * touchpoints.csv) and add their figures to c->figs.  Called once by
 * rr_build_doc in place of the linear-only ROI section. */
void rr_attrrep_sections(const rr_build_ctx *c, rr_doc *doc);
/* The same in two steps: the computation (reads the context's data, metrics,
 * period and settings only; safe on another thread while sections are being
 * built), then the figures and sections from its result (frees it). */
rr_attrrep *rr_attrrep_compute_ctx(const rr_build_ctx *c);
void rr_attrrep_sections_from(const rr_build_ctx *c, rr_doc *doc, rr_attrrep *a);

#endif
