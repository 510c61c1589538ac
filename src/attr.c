/* attr.c: milestone roles, per-touch credit of the position and heuristic
 * models, the per-channel / per-campaign accumulator, and the heuristic models
 * over aggregated paths.  Markov is in attr_markov.c, Shapley in attr_shapley.c.
 *
 *   rr_attr_params p;  rr_attr_params_default(&p);
 *   double credit[5];
 *   rr_attr_credit(RR_ATTR_U_SHAPED, &p, &journey, credit);   // sums to 1
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/attr.h"
#include "revreport/xalloc.h"

static const char *const model_names[RR_ATTR_N_MODELS] = {
    "first", "last", "linear", "time_decay", "u_shaped", "w_shaped", "full_path",
    "j_shaped", "inverse_j", "custom", "markov", "shapley"
};

const char *rr_attr_model_name(rr_attr_model m)
{
    return (unsigned)m < RR_ATTR_N_MODELS ? model_names[m] : "unknown";
}

rr_status rr_attr_model_parse(const char *name, rr_attr_model *out)
{
    for (int m = 0; m < RR_ATTR_N_MODELS; m++)
        if (name && strcmp(name, model_names[m]) == 0) {
            *out = (rr_attr_model)m;
            return RR_OK;
        }
    return RR_ERR_CONFIG;
}

void rr_attr_params_default(rr_attr_params *p)
{
    memset(p, 0, sizeof *p);
    p->half_life_days = 7.0;
    p->custom[RR_ATTR_W_FT] = 0.3;
    p->custom[RR_ATTR_W_LC] = 0.3;
    p->custom[RR_ATTR_W_OC] = 0.3;
    p->custom[RR_ATTR_W_CW] = 0.0;
    p->custom[RR_ATTR_W_MIDDLE] = 0.1;
    p->markov_order = 1;
    p->markov_states = RR_ATTR_MARKOV_RAW;
    p->lookback_days = 365;
}

int rr_attr_model_weights(rr_attr_model m, const rr_attr_params *p, double w[5])
{
    static const double tab[][5] = {
        [RR_ATTR_FIRST] = {1, 0, 0, 0, 0},
        [RR_ATTR_LAST] = {0, 0, 0, 1, 0},
        [RR_ATTR_U_SHAPED] = {0.4, 0.4, 0, 0, 0.2},
        [RR_ATTR_W_SHAPED] = {0.3, 0.3, 0.3, 0, 0.1},
        [RR_ATTR_FULL_PATH] = {0.225, 0.225, 0.225, 0.225, 0.1},
        [RR_ATTR_J_SHAPED] = {0.2, 0, 0, 0.6, 0.2},
        [RR_ATTR_INVERSE_J] = {0.6, 0, 0, 0.2, 0.2},
    };
    switch (m) {
    case RR_ATTR_FIRST: case RR_ATTR_LAST: case RR_ATTR_U_SHAPED: case RR_ATTR_W_SHAPED:
    case RR_ATTR_FULL_PATH: case RR_ATTR_J_SHAPED: case RR_ATTR_INVERSE_J:
        memcpy(w, tab[m], sizeof tab[m]);
        return 1;
    case RR_ATTR_CUSTOM:
        for (int i = 0; i < 5; i++) w[i] = p && p->custom[i] > 0 ? p->custom[i] : 0;
        return 1;
    case RR_ATTR_LINEAR: case RR_ATTR_TIME_DECAY: case RR_ATTR_MARKOV: case RR_ATTR_SHAPLEY:
    case RR_ATTR_N_MODELS:
        break;
    }
    return 0;
}

/* index of the first touch with flag f, or of the last touch with ts <= at; -1 */
static long find_milestone(const rr_attr_touch *t, size_t n, unsigned f, int64_t at)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].flags & f) return (long)i;
    long best = -1;
    if (at != RR_ATTR_NO_TIME)
        for (size_t i = 0; i < n && t[i].ts <= at; i++) best = (long)i;
    return best;
}

void rr_attr_assign_roles(rr_attr_touch *t, size_t n, int64_t lead_created,
                          int64_t opp_created, int64_t close)
{
    if (n == 0) return;
    for (size_t i = 0; i < n; i++) t[i].roles = 0;
    t[0].roles |= RR_ATTR_ROLE_FT;
    long lc = find_milestone(t, n, RR_ATTR_FLAG_LEAD_CREATED, lead_created);
    t[lc >= 0 ? lc : 0].roles |= RR_ATTR_ROLE_LC;
    long oc = find_milestone(t, n, RR_ATTR_FLAG_OPP_CREATED, opp_created);
    if (oc >= 0) t[oc].roles |= RR_ATTR_ROLE_OC;
    long cw = find_milestone(t, n, RR_ATTR_FLAG_CLOSED_WON, close);
    t[cw >= 0 ? cw : (long)n - 1].roles |= RR_ATTR_ROLE_CW;
}

static void linear(size_t n, double *c)
{
    for (size_t i = 0; i < n; i++) c[i] = 1.0 / (double)n;
}

rr_status rr_attr_credit(rr_attr_model m, const rr_attr_params *p,
                         const rr_attr_journey *j, double *c)
{
    size_t n = j->n;
    const rr_attr_touch *t = j->touches;
    double w[5];
    if (n == 0 || m == RR_ATTR_MARKOV || m == RR_ATTR_SHAPLEY || (unsigned)m >= RR_ATTR_N_MODELS)
        return RR_ERR_USAGE;
    if (n == 1) {
        c[0] = 1.0;
        return RR_OK;
    }
    if (m == RR_ATTR_LINEAR) {
        linear(n, c);
        return RR_OK;
    }
    if (m == RR_ATTR_TIME_DECAY) {
        double h = p && p->half_life_days > 0 ? p->half_life_days : 7.0, sum = 0;
        for (size_t i = 0; i < n; i++) {
            double days = (double)(j->conv_ts - t[i].ts) / 86400.0;
            if (days < 0) days = 0;          /* a touch after the close counts as at the close */
            c[i] = exp2(-days / h);
            sum += c[i];
        }
        for (size_t i = 0; i < n; i++) c[i] /= sum;
        return RR_OK;
    }
    rr_attr_model_weights(m, p, w);
    size_t n_mid = 0;
    double role_sum = 0;
    for (size_t i = 0; i < n; i++) {
        double r = 0;
        for (int k = 0; k < 4; k++)
            if ((t[i].roles & (1u << k)) && w[k] > 0) r += w[k];
        c[i] = r;
        role_sum += r;
        if (r == 0) n_mid++;
    }
    double mid = n_mid > 0 ? w[RR_ATTR_W_MIDDLE] / (double)n_mid : 0;
    double total = role_sum + (n_mid > 0 ? w[RR_ATTR_W_MIDDLE] : 0);
    if (!(total > 0)) {
        linear(n, c);
        return RR_OK;
    }
    for (size_t i = 0; i < n; i++) c[i] = (c[i] == 0 ? mid : c[i]) / total;
    return RR_OK;
}

static void sums_init(rr_attr_sums *s, size_t nch, size_t ncp)
{
    memset(s, 0, sizeof *s);
    s->ch_value = rr_xcalloc(nch ? nch : 1, sizeof(double));
    s->ch_count = rr_xcalloc(nch ? nch : 1, sizeof(double));
    s->cp_value = rr_xcalloc(ncp ? ncp : 1, sizeof(double));
    s->cp_count = rr_xcalloc(ncp ? ncp : 1, sizeof(double));
}

static void sums_free(rr_attr_sums *s)
{
    free(s->ch_value);
    free(s->ch_count);
    free(s->cp_value);
    free(s->cp_count);
}

rr_attr_totals *rr_attr_totals_new(size_t n_channels, size_t n_campaigns)
{
    rr_attr_totals *t = rr_xcalloc(1, sizeof *t);
    t->n_channels = n_channels;
    t->n_campaigns = n_campaigns;
    sums_init(&t->won, n_channels, n_campaigns);
    sums_init(&t->open, n_channels, n_campaigns);
    return t;
}

void rr_attr_totals_free(rr_attr_totals *t)
{
    if (!t) return;
    sums_free(&t->won);
    sums_free(&t->open);
    free(t->scratch);
    free(t);
}

rr_status rr_attr_totals_add(rr_attr_totals *t, rr_attr_model m, const rr_attr_params *p,
                             const rr_attr_journey *j)
{
    if (m == RR_ATTR_MARKOV || m == RR_ATTR_SHAPLEY || (unsigned)m >= RR_ATTR_N_MODELS)
        return RR_ERR_USAGE;
    if (j->outcome == RR_ATTR_LOST || j->n == 0) return rr_attr_totals_add_credit(t, j, NULL);
    t->scratch = rr_xgrow(t->scratch, &t->scratch_cap, j->n, sizeof *t->scratch);
    rr_status st = rr_attr_credit(m, p, j, t->scratch);
    if (st != RR_OK) return st;
    return rr_attr_totals_add_credit(t, j, t->scratch);
}

rr_status rr_attr_totals_add_credit(rr_attr_totals *t, const rr_attr_journey *j, const double *credit)
{
    if (j->outcome == RR_ATTR_LOST) return RR_OK;
    rr_attr_sums *s = j->outcome == RR_ATTR_WON ? &t->won : &t->open;
    if (j->n == 0) {
        s->no_touch_count++;
        s->no_touch_value += j->value;
        return RR_OK;
    }
    if (!credit) return RR_ERR_USAGE;
    for (size_t i = 0; i < j->n; i++) {
        const rr_attr_touch *u = &j->touches[i];
        if (u->channel < 0 || (size_t)u->channel >= t->n_channels ||
            u->campaign < -1 || (u->campaign >= 0 && (size_t)u->campaign >= t->n_campaigns))
            return RR_ERR_USAGE;
    }
    for (size_t i = 0; i < j->n; i++) {
        const rr_attr_touch *u = &j->touches[i];
        double c = credit[i];
        s->ch_value[u->channel] += c * j->value;
        s->ch_count[u->channel] += c;
        if (u->campaign >= 0) {
            s->cp_value[u->campaign] += c * j->value;
            s->cp_count[u->campaign] += c;
        } else {
            s->no_campaign_value += c * j->value;
            s->no_campaign_count += c;
        }
    }
    s->value += j->value;
    s->count += 1;
    return RR_OK;
}

void rr_attr_paths_heuristic(const rr_paths *paths, double *fc, double *fv, double *lc,
                             double *lv, double *nc, double *nv)
{
    size_t nch = rr_paths_n_channels(paths), np = rr_paths_count(paths);
    double *arr[6] = {fc, fv, lc, lv, nc, nv};
    for (int a = 0; a < 6; a++)
        if (arr[a]) memset(arr[a], 0, nch * sizeof(double));
    for (size_t i = 0; i < np; i++) {
        const rr_path *p = rr_paths_get(paths, i);
        int f = p->seq[0], l = p->seq[p->len - 1];
        if (fc) fc[f] += p->conv;
        if (fv) fv[f] += p->value;
        if (lc) lc[l] += p->conv;
        if (lv) lv[l] += p->value;
        double share = 1.0 / (double)p->len;
        for (size_t k = 0; k < p->len; k++) {
            if (nc) nc[p->seq[k]] += p->conv * share;
            if (nv) nv[p->seq[k]] += p->value * share;
        }
    }
}
