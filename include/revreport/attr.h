/* attr.h: the attribution engine: milestone roles, the position/heuristic
 * models (credit per touch), and the accumulator that sums credit per channel
 * and per campaign.  Markov and Shapley work on aggregated paths (paths.h) and
 * are declared at the end of this header.
 *
 *   rr_attr_touch t[3] = {{.channel = 0, .campaign = 4, .ts = ...}, ...};
 *   rr_attr_assign_roles(t, 3, lead_created, opp_created, close_ts);
 *   rr_attr_journey j = {.value = 12000.0, .outcome = RR_ATTR_WON,
 *                        .conv_ts = close_ts, .touches = t, .n = 3};
 *   rr_attr_params p;  rr_attr_params_default(&p);
 *   rr_attr_totals *tot = rr_attr_totals_new(n_channels, n_campaigns);
 *   rr_attr_totals_add(tot, RR_ATTR_W_SHAPED, &p, &j);      // per journey
 *   ... tot->won.ch_value[c] is the W-shaped revenue of channel c ...
 *   rr_attr_totals_free(tot);
 *
 * Ownership: the caller owns journeys and touches; the engine never keeps a
 * pointer to them.  Money is a double in base-currency major units (12000.0 is
 * $12,000): credit is fractional anyway; the integrator rounds for display.
 * Channel and campaign are small non-negative ints interned by the caller;
 * campaign -1 means "no campaign". */
#ifndef RR_ATTR_H
#define RR_ATTR_H
#include <stddef.h>
#include <stdint.h>
#include "revreport/status.h"
#include "revreport/paths.h"

typedef enum {
    RR_ATTR_FIRST = 0,
    RR_ATTR_LAST,          /* the CW touch */
    RR_ATTR_LINEAR,
    RR_ATTR_TIME_DECAY,
    RR_ATTR_U_SHAPED,      /* 40 FT / 40 LC / 20 middle */
    RR_ATTR_W_SHAPED,      /* 30 FT / 30 LC / 30 OC / 10 middle */
    RR_ATTR_FULL_PATH,     /* 22.5 FT, LC, OC, CW / 10 middle */
    RR_ATTR_J_SHAPED,      /* 20 FT / 60 CW / 20 middle */
    RR_ATTR_INVERSE_J,     /* 60 FT / 20 CW / 20 middle */
    RR_ATTR_CUSTOM,        /* params.custom */
    RR_ATTR_MARKOV,        /* paths only: rr_attr_markov() */
    RR_ATTR_SHAPLEY,       /* paths only: rr_attr_shapley() */
    RR_ATTR_N_MODELS
} rr_attr_model;

/* "first", "last", "linear", "time_decay", "u_shaped", "w_shaped", "full_path",
 * "j_shaped", "inverse_j", "custom", "markov", "shapley".  Never NULL. */
const char *rr_attr_model_name(rr_attr_model m);
/* Parse a model name (as above); RR_ERR_CONFIG when unknown. */
rr_status rr_attr_model_parse(const char *name, rr_attr_model *out);

/* Milestone roles (output of rr_attr_assign_roles) */
enum { RR_ATTR_ROLE_FT = 1u, RR_ATTR_ROLE_LC = 2u, RR_ATTR_ROLE_OC = 4u, RR_ATTR_ROLE_CW = 8u };
/* Milestone flags from the CRM export (input of rr_attr_assign_roles) */
enum { RR_ATTR_FLAG_LEAD_CREATED = 1u, RR_ATTR_FLAG_OPP_CREATED = 2u, RR_ATTR_FLAG_CLOSED_WON = 4u };
/* "unknown time" for the lead/opportunity/close timestamps */
#define RR_ATTR_NO_TIME INT64_MIN

typedef struct {
    int channel;           /* >= 0, < n_channels */
    int campaign;          /* >= 0, < n_campaigns, or -1 for none */
    int64_t ts;            /* unix seconds */
    unsigned flags;        /* RR_ATTR_FLAG_* as flagged in the export */
    unsigned roles;        /* RR_ATTR_ROLE_*: filled by rr_attr_assign_roles */
} rr_attr_touch;

typedef enum { RR_ATTR_WON = 0, RR_ATTR_OPEN = 1, RR_ATTR_LOST = 2 } rr_attr_outcome;

typedef struct {
    double value;                  /* amount, base currency major units */
    rr_attr_outcome outcome;
    int64_t conv_ts;               /* close date (won) or as-of date (open): time decay */
    const rr_attr_touch *touches;  /* sorted by ts, ascending */
    size_t n;                      /* 0 = "no touch" journey */
} rr_attr_journey;

/* How a path becomes states of a k-th order chain (docs/attribution.md):
 * RAW is ChannelAttribution's markov_model: windows of k consecutive touches
 * as given ("A then A" is a state), equal consecutive states made one;
 * COLLAPSED makes repeated channels one first, then takes the last k
 * channels at each step (shorter tuples at the start).  Equal for k = 1. */
typedef enum { RR_ATTR_MARKOV_RAW = 0, RR_ATTR_MARKOV_COLLAPSED = 1 } rr_attr_markov_states;

typedef struct {
    double half_life_days;   /* time decay; default 7 */
    double custom[5];        /* custom weights FT, LC, OC, CW, middle (any scale; normalised) */
    int markov_order;        /* default 1 */
    rr_attr_markov_states markov_states;   /* default RR_ATTR_MARKOV_RAW (ChannelAttribution's) */
    int lookback_days;       /* documentation only (journeys are built by the caller); default 365 */
} rr_attr_params;

/* index into rr_attr_params.custom and rr_attr_model_weights() */
enum { RR_ATTR_W_FT = 0, RR_ATTR_W_LC, RR_ATTR_W_OC, RR_ATTR_W_CW, RR_ATTR_W_MIDDLE };

/* Defaults: half-life 7 days, custom = W-shaped weights, order 1, lookback 365. */
void rr_attr_params_default(rr_attr_params *p);

/* The role weights {FT, LC, OC, CW, middle} of a role-based model (first, last,
 * u/w-shaped, full path, j, inverse-j, custom) into w[5]; returns 0 for linear,
 * time decay, markov and shapley (w untouched), 1 otherwise. */
int rr_attr_model_weights(rr_attr_model m, const rr_attr_params *p, double w[5]);

/* Resolve milestone roles of one journey's touches (sorted by ts) in place:
 *   FT = first touch;
 *   LC = first touch flagged lead_created, else the last touch with ts <= lead_created,
 *        else FT;
 *   OC = first touch flagged opp_created, else the last touch with ts <= opp_created,
 *        else none (its weight is then renormalised away);
 *   CW = first touch flagged closed_won, else the last touch with ts <= close,
 *        else the last touch.
 * Any timestamp may be RR_ATTR_NO_TIME (unknown).  Existing roles are overwritten. */
void rr_attr_assign_roles(rr_attr_touch *t, size_t n, int64_t lead_created,
                          int64_t opp_created, int64_t close);

/* Credit fractions of one journey under a per-touch model (all but markov and
 * shapley) into credit[0..j->n-1]; they sum to 1 (n >= 1).  Rules for the role
 * models: a touch gets the sum of the weights of the roles it holds; the middle
 * share goes equally to touches holding no weighted role; when there are none,
 * or a role is missing, the remaining weights are renormalised to 1; when no
 * weight applies at all the journey falls back to linear.
 * Returns RR_ERR_USAGE for markov/shapley or n == 0, RR_OK otherwise. */
rr_status rr_attr_credit(rr_attr_model m, const rr_attr_params *p,
                         const rr_attr_journey *j, double *credit);

/* Sums of one model over many journeys, for won (revenue) and open (pipeline). */
typedef struct {
    double *ch_value, *ch_count;   /* [n_channels]: credit x value, credit x 1 */
    double *cp_value, *cp_count;   /* [n_campaigns] */
    double value, count;           /* all journeys with touches */
    double no_campaign_value, no_campaign_count; /* credit on touches with campaign -1 */
    double no_touch_value;         /* journeys with no touch: reported, never dropped */
    long no_touch_count;
} rr_attr_sums;

typedef struct {
    size_t n_channels, n_campaigns;
    rr_attr_sums won, open;        /* lost journeys are ignored here */
    double *scratch;               /* credit buffer */
    size_t scratch_cap;
} rr_attr_totals;

/* New zeroed totals (never NULL); free with rr_attr_totals_free (NULL ok). */
rr_attr_totals *rr_attr_totals_new(size_t n_channels, size_t n_campaigns);
void rr_attr_totals_free(rr_attr_totals *t);
/* Add one journey under model m.  Lost journeys are ignored; journeys with no
 * touch go to no_touch_*.  RR_ERR_USAGE on markov/shapley or a channel or
 * campaign id out of range (nothing added then). */
rr_status rr_attr_totals_add(rr_attr_totals *t, rr_attr_model m, const rr_attr_params *p,
                             const rr_attr_journey *j);
/* The same with the journey's credits already computed (rr_attr_credit), for
 * one journey added to several totals (period, quarter and year to date). */
rr_status rr_attr_totals_add_credit(rr_attr_totals *t, const rr_attr_journey *j, const double *credit);

/* ---- Markov removal effect (exact absorbing chain), over aggregated paths ---- */

typedef struct {
    size_t n_channels;
    double *conv, *value;            /* attributed conversions / value per channel */
    double *re_conv, *re_value;      /* removal effects per channel, 0..1 */
    double p_conv;                   /* P(START -> CONV) of the full chain */
    double total_conv, total_value;  /* sums over all paths */
    size_t n_states;                 /* transient states incl. START */
    size_t n_removals;               /* channels that occur in some state */
} rr_attr_markov_result;

/* Up to RR_ATTR_MARKOV_DENSE_STATES transient states every removal effect comes
 * from one LU factorisation (O(states^3)); above it each channel that occurs
 * in a state costs an iterative solve of the whole chain, allowed for at most
 * RR_ATTR_MARKOV_MAX_REMOVALS such channels (high orders over few channels).
 * Beyond both, rr_attr_markov returns RR_ERR_LIMIT, with n_states and
 * n_removals set in the (otherwise empty) result. */
#define RR_ATTR_MARKOV_DENSE_STATES 1500
#define RR_ATTR_MARKOV_MAX_REMOVALS 64

/* "channelattribution" / "collapsed" (the setting attribution.markov_states) */
const char *rr_attr_markov_states_name(rr_attr_markov_states how);

/* Exact k-th order Markov removal effects (k = order >= 1) on the paths, with
 * the states built as `how` says (rr_attr_markov: RR_ATTR_MARKOV_RAW, as
 * ChannelAttribution does).  Path weights:
 * conversions + nulls on every transition, conversions into CONV, nulls into
 * NULL; value-weighted CONV for the value figures.  Removing channel c sends
 * every transition into a state containing c to NULL.
 *   credit(c) = total_conv * RE(c) / sum_k RE(k)   (value: same with RE_value)
 * Fills *out (free with rr_attr_markov_result_free).  RR_ERR_INPUT when no
 * path converts; RR_ERR_LIMIT when the chain exceeds RR_ATTR_MARKOV_MAX_STATES. */
#define RR_ATTR_MARKOV_MAX_STATES 2000000
rr_status rr_attr_markov(const rr_paths *paths, int order, rr_attr_markov_result *out,
                         rr_error *err);
rr_status rr_attr_markov_ex(const rr_paths *paths, int order, rr_attr_markov_states how,
                            rr_attr_markov_result *out, rr_error *err);
void rr_attr_markov_result_free(rr_attr_markov_result *r);

/* First-order transition matrix, dense (n+3)x(n+3) row-major, n = channels:
 * state 0 = (start), 1..n = channel 0..n-1, n+1 = (conversion), n+2 = (null).
 * self_loops = 0 collapses consecutive repeats (ChannelAttribution's default
 * flg_equal = FALSE).  Returns a malloc'ed matrix (caller frees), *dim = n+3. */
double *rr_attr_transition_matrix(const rr_paths *paths, int self_loops, size_t *dim);

/* ---- Shapley value over channels ---- */

/* Exact Shapley value with the "simplified" characteristic function of Zhao et
 * al. 2018 (Google Ads Data Hub): v(S) = conversions (value) of paths whose
 * channel set is a subset of S.  Computed by its closed form (each converting
 * path's conversions and value split equally over its distinct channels), at
 * any number of channels, in one pass over the paths; always RR_OK (err
 * unused).  Paths with no conversion and no value are ignored.
 * out_conv/out_value: caller arrays of paths->n_channels entries. */
rr_status rr_attr_shapley(const rr_paths *paths, double *out_conv, double *out_value,
                          rr_error *err);
/* The same by enumerating all 2^n coalitions and the Shapley formula: the
 * test oracle.  RR_ERR_LIMIT when more than RR_ATTR_SHAPLEY_MAX channels
 * appear on converting paths (message in err). */
#define RR_ATTR_SHAPLEY_MAX 20
rr_status rr_attr_shapley_enum(const rr_paths *paths, double *out_conv, double *out_value,
                               rr_error *err);

/* ---- heuristic models over paths (ChannelAttribution's heuristic_models) ---- */

/* first/last/linear credit of every path's conversions and value, per channel,
 * on the raw (uncollapsed) paths.  Arrays of paths->n_channels entries, any may
 * be NULL. */
void rr_attr_paths_heuristic(const rr_paths *paths, double *first_conv, double *first_value,
                             double *last_conv, double *last_value,
                             double *linear_conv, double *linear_value);

#endif
