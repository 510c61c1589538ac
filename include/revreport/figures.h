/* figures.h: every number the report shows, with its period, dimension and
 * unit; written to report.xml (schema: docs/figures.xsd).
 *
 *   rr_figs f = {0};  rr_figs_init(&f, "USD");
 *   rr_figs_money(&f, "won_revenue", "2026-10", NULL, NULL, amount);
 *   rr_figs_ratio(&f, "roi", "2026-10", "channel", "Paid Search", 1.42, 1);
 *   const rr_fig *x = rr_figs_find(&f, "roi", "2026-10", "Paid Search");   // O(1)
 *   rr_figs_write_xml(&f, &meta, "out/report.xml", &err);
 *   rr_figs_free(&f);
 *
 * Money figures keep their exact 1/10000 value.  A figure that cannot be
 * computed (ROI without spend) is kept as undefined with a reason, so the
 * file says why rather than leaving it out.
 *
 * The store keeps a hash index of its figures by (metric, period, key),
 * maintained on every add, so the lookups below take constant time and a
 * section can skip a figure that is there already without scanning them all.
 * Figures are added only through the functions below and reordered only
 * with rr_figs_rotate (the index holds positions); the model may be changed
 * (rr_fig_set_model) since it is not hashed. */
#ifndef RR_FIGURES_H
#define RR_FIGURES_H
#include <stddef.h>
#include "revreport/num.h"
#include "revreport/status.h"

typedef enum { RR_FU_MONEY, RR_FU_COUNT, RR_FU_FRACTION, RR_FU_RATIO, RR_FU_DAYS, RR_FU_NUMBER } rr_fig_unit;

typedef struct {
    char *metric;          /* stable id: "won_revenue" */
    char period[16];       /* "2026-10", "2026Q3", "FY2026-YTD" */
    char *dim;             /* "channel", "campaign", or NULL */
    char *key;             /* the channel/campaign name, or NULL */
    char *model;           /* attribution model, or NULL */
    char *deal_types;      /* deal types an attribution / ROI / CAC figure covers:
                              "new_business", "new_business,expansion", "all"; or NULL */
    const char *status;    /* plan status of an attainment figure: "on_track", "at_risk",
                              "off_track" (static strings); or NULL */
    rr_fig_unit unit;
    rr_money money;        /* RR_FU_MONEY */
    double value;          /* other units */
    int defined;
    char *reason;          /* why undefined, or NULL */
} rr_fig;

typedef struct rr_figs_slot rr_figs_slot;   /* private to figures.c */

/* A recommended action (board.c): its rule, its sentence as shown and the
 * figures it cites (indexes into rr_figs.v); report.xml <action>. */
typedef struct {
    char *rule;            /* "budget_shift", "coverage_gap", "sla_misses", "cost_per_sql_rise" */
    char *text;
    size_t *cite;
    size_t ncite;
} rr_fig_action;

typedef struct {
    rr_fig *v;
    size_t n, cap;
    char currency[8];
    rr_figs_slot *ix;      /* hash index by (metric, period, key), open addressing; NULL until the first add */
    size_t ixcap;          /* slots: 0 or a power of two, at least twice n */
    char **set_key, **set_val;   /* the settings behind the figures (report.xml <settings>), in order added */
    size_t nset, capset;
    rr_fig_action *actions;
    size_t nactions;
} rr_figs;

/* Metadata for the XML root */
typedef struct {
    const char *period;          /* "2026-10" */
    const char *period_kind;     /* "month" | "quarter" */
    const char *generated;       /* ISO timestamp */
    const char *company;
    const char *version;
    /* input files: name, rows, rows_used, rows_skipped, bytes, sha256 hex */
    size_t ninputs;
    const char **in_name;
    const long *in_rows, *in_used, *in_skipped;
    const long long *in_bytes;
    const char **in_sha;
    size_t nwarnings;
    const char *const *warnings;
    size_t nomitted;
    const char *const *omitted;  /* sections left out and why */
} rr_figs_meta;

/* The ISO 4217 code for a currency given by a user ("usd" -> "USD") in out;
 * -1 when in is not an active ISO 4217 code ("US$", "EURO", "ABC"). */
int rr_currency_normalise(const char *in, char out[4]);
void rr_figs_init(rr_figs *f, const char *currency);
void rr_figs_free(rr_figs *f);
rr_fig *rr_figs_money(rr_figs *f, const char *metric, const char *period, const char *dim, const char *key,
                      rr_money v);
rr_fig *rr_figs_count(rr_figs *f, const char *metric, const char *period, const char *dim, const char *key,
                      long long v);
/* unit RR_FU_FRACTION / RR_FU_RATIO / RR_FU_DAYS / RR_FU_NUMBER; defined = 0 -> reason required */
rr_fig *rr_figs_value(rr_figs *f, rr_fig_unit unit, const char *metric, const char *period, const char *dim,
                      const char *key, double v, int defined, const char *reason);
void rr_fig_set_model(rr_fig *g, const char *model);
/* Record a setting that produced figures (attribution.markov_order = "2"):
 * written to report.xml's <settings> in the order recorded; a key recorded
 * again keeps its first value.  Both strings are copied. */
void rr_figs_setting(rr_figs *f, const char *key, const char *value);
/* Add an action citing figures v[cite[0..ncite)] (copies rule, text, cite). */
void rr_figs_action(rr_figs *f, const char *rule, const char *text, size_t ncite, const size_t *cite);
/* deal_types attribute (copied; NULL removes it); status attribute (a static string) */
void rr_fig_set_deal_types(rr_fig *g, const char *deal_types);
void rr_fig_set_status(rr_fig *g, const char *status);
/* Set deal_types on every figure whose metric is in metrics (NULL-terminated)
 * and that has none yet. */
void rr_figs_tag_deal_types(rr_figs *f, const char *const *metrics, const char *deal_types);
/* First figure (in the order added) with this metric, period and key, key
 * NULL matching only the figures without a key, whatever their dim and
 * model; NULL if none.  Constant time. */
const rr_fig *rr_figs_find(const rr_figs *f, const char *metric, const char *period, const char *key);
/* First figure with this metric, period, dim, key and model (NULL equals
 * only NULL); NULL if none.  Constant time (the figures sharing metric,
 * period and key with it are compared). */
const rr_fig *rr_figs_find_exact(const rr_figs *f, const char *metric, const char *period, const char *dim,
                                 const char *key, const char *model);
/* Move the figures [from, from + k) after the ones that follow them
 * (v[from..n) = v[from+k..n) then the k moved), keeping the index. */
void rr_figs_rotate(rr_figs *f, size_t from, size_t k);
/* Value as double (money in major units); NAN when undefined or absent. */
double rr_figs_get(const rr_figs *f, const char *metric, const char *period, const char *key);
/* Write the XML document (libxml2 text writer). */
rr_status rr_figs_write_xml(const rr_figs *f, const rr_figs_meta *meta, const char *path, rr_error *err);

#endif
