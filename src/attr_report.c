/* attr_report.c: the attribution engine applied to the report (see
 * attr_report.h): journeys with roles from rr_data + rr_metrics, every model
 * per channel and campaign for the period, QTD and YTD, ROI figures, and the
 * "roi" and "attribution" sections.
 *
 *   rr_attrrep_opts o;  rr_attrrep_opts_from_config(cfg, 365, &o);
 *   rr_attrrep *a = rr_attrrep_compute(data, metrics, &period, &o);
 *   rr_attrrep_figures(a, &figs);
 *   rr_attrrep_free(a);
 *
 * Definitions (also in docs/attribution.md, "In the report"):
 * - won revenue of a scope: opportunities won with a close month in it;
 *   pipeline: opportunities created in the scope and still open at its end
 *   (not closed, or closed after it), credited by the same model with the
 *   touches before the end of the period (conversion time = end of period);
 * - Markov / Shapley: won = conversion (value = amount), lost in the scope =
 *   null path; Markov pipeline: each open journey's amount over its own
 *   channels in proportion to their value removal effects;
 *   Shapley pipeline = the simplified Shapley value of the open paths;
 * - Markov / Shapley per campaign: the same over campaign states (a touch
 *   without a campaign: its channel's "(no campaign)" state), Shapley by its
 *   closed form at any number of states; when Markov is undefined per
 *   campaign the campaign table / figures of the default model use linear;
 * - leads / MQLs / SQLs per channel and campaign: leads.csv channel and
 *   campaign, in the month of their own date; opportunities created: the
 *   journey's first touch channel / campaign, else the linked lead's;
 * - deal types: every credit, path, pipeline and total below covers the
 *   opportunities of attribution.deal_types only (default new business);
 * - program CAC = marketing program spend / new_business opportunities won;
 * - sourced (first_touch): a new-business opportunity whose journey has a
 *   touch at or before the end of its created date, credited to the first
 *   touch's channel (expansions and renewals are never marketing-sourced);
 *   (lead_source): the opportunity's lead_source is a channel name;
 *   sales-sourced: won of the types covered that marketing did not source;
 * - influenced: won with a marketing touch at or before the end of its close
 *   day (touches of attribution.non_marketing_touches channels do not count). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "revreport/attr_report.h"
#include "revreport/journey.h"
#include "revreport/num.h"
#include "revreport/xalloc.h"

/* ---------------------------------------------------------------- options */

/* attribution.custom_weights: exactly five percentages FT,LC,OC,CW,middle, each
 * >= 0, summing to 100 (exactly, to 1/10000: parsed as exact decimals). */
static int parse_custom_weights(const rr_config *cfg, const char *text, double out[5])
{
    static const char *const what =
        "expected five weights FT,LC,OC,CW,middle in percent, each 0 or more, summing to 100 "
        "(e.g. 30,30,30,0,10)";
    rr_money w[5], sum = 0;
    const char *s = text;
    int n = 0;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        while (len && (*s == ' ' || *s == '\t')) { s++; len--; }
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
        if (n == 5) {
            rr_config_bad_value(cfg, "attribution.custom_weights", "%s; got more than five in \"%.80s\"", what,
                                text);
            return 0;
        }
        rr_numfmt nf = RR_NUMFMT_CANONICAL;
        if (rr_num_money(s, len, &nf, &w[n]) != RR_OK) {
            rr_config_bad_value(cfg, "attribution.custom_weights", "%s; weight %d (%s) is not a number: \"%.*s\"",
                                what, n + 1, (const char *[]){"FT", "LC", "OC", "CW", "middle"}[n],
                                (int)(len < 40 ? len : 40), s);
            return 0;
        }
        if (w[n] < 0) {
            rr_config_bad_value(cfg, "attribution.custom_weights", "%s; weight %d (%s) is negative: \"%.*s\"", what,
                                n + 1, (const char *[]){"FT", "LC", "OC", "CW", "middle"}[n],
                                (int)(len < 40 ? len : 40), s);
            return 0;
        }
        sum += w[n++];
        if (!comma) break;
        s = comma + 1;
    }
    if (n != 5) {
        rr_config_bad_value(cfg, "attribution.custom_weights", "%s; got %d in \"%.80s\"", what, n, text);
        return 0;
    }
    if (sum != 100 * (rr_money)RR_MONEY_SCALE) {
        char b[48];
        rr_money_str(sum, 4, b, sizeof b);
        for (size_t l = strlen(b); l > 0 && (b[l - 1] == '0' || b[l - 1] == '.'); l--) {
            char ch = b[l - 1];
            b[l - 1] = 0;
            if (ch == '.') break;
        }
        rr_config_bad_value(cfg, "attribution.custom_weights", "%s; \"%.80s\" sums to %s", what, text, b);
        return 0;
    }
    for (int i = 0; i < 5; i++) out[i] = rr_money_to_double(w[i]) / 100.0;
    return 1;
}

/* "first, last, ..., shapley" */
static void model_list(char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (int m = 0; m < RR_ATTR_N_MODELS && len < cap; m++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", m ? ", " : "", rr_attr_model_name((rr_attr_model)m));
}

void rr_attrrep_opts_from_config(const rr_config *cfg, int lookback_days, rr_attrrep_opts *o)
{
    memset(o, 0, sizeof *o);
    rr_attr_params_default(&o->params);
    o->deal_mask = RR_METRICS_DEALS_NEW;
    o->deal_types = "new_business";
    o->min_spend = 5000;
    o->trailing_months = 3;
    o->model = RR_ATTR_LINEAR;
    o->params.lookback_days = lookback_days;
    o->paths_sep = ">";
    if (!cfg) return;
    const char *mn = rr_config_str(cfg, "attribution.model", "linear");
    if (rr_attr_model_parse(mn, &o->model) != RR_OK) {
        const char *names[RR_ATTR_N_MODELS];
        for (int m = 0; m < RR_ATTR_N_MODELS; m++) names[m] = rr_attr_model_name((rr_attr_model)m);
        const char *near = rr_config_closest(mn, names, RR_ATTR_N_MODELS);
        char list[256];
        model_list(list, sizeof list);
        rr_config_bad_value(cfg, "attribution.model", "unknown attribution model \"%.80s\"%s%s%s; valid models: %s",
                            mn, near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "", list);
        o->model = RR_ATTR_LINEAR;
    }
    double h = rr_config_double(cfg, "attribution.half_life_days", 7.0);
    if (h > 0) o->params.half_life_days = h;
    else rr_config_bad_value(cfg, "attribution.half_life_days", "expected a number of days greater than 0, got \"%.80s\"",
                             rr_config_str(cfg, "attribution.half_life_days", ""));
    long k = rr_config_int(cfg, "attribution.markov_order", 1);
    if (k >= 1 && k <= RR_ATTRREP_MAX_ORDER) o->params.markov_order = (int)k;
    else rr_config_bad_value(cfg, "attribution.markov_order", "expected a whole number from 1 to %d, got \"%.80s\"",
                             RR_ATTRREP_MAX_ORDER, rr_config_str(cfg, "attribution.markov_order", ""));
    const char *ms = rr_config_str(cfg, "attribution.markov_states", "channelattribution");
    if (strcmp(ms, "channelattribution") == 0) o->params.markov_states = RR_ATTR_MARKOV_RAW;
    else if (strcmp(ms, "collapsed") == 0) o->params.markov_states = RR_ATTR_MARKOV_COLLAPSED;
    else {
        const char *names[] = {"channelattribution", "collapsed"};
        const char *near = rr_config_closest(ms, names, 2);
        rr_config_bad_value(cfg, "attribution.markov_states",
                            "expected channelattribution or collapsed, got \"%.80s\"%s%s%s",
                            ms, near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
    }
    const char *cw = rr_config_str(cfg, "attribution.custom_weights", NULL);
    if (cw) parse_custom_weights(cfg, cw, o->params.custom);
    const char *sb = rr_config_str(cfg, "attribution.sourced_by", "first_touch");
    if (strcmp(sb, "lead_source") == 0) o->sourced_by = RR_SOURCED_LEAD_SOURCE;
    else if (strcmp(sb, "first_touch") == 0) o->sourced_by = RR_SOURCED_FIRST_TOUCH;
    else {
        const char *names[] = {"first_touch", "lead_source"};
        const char *near = rr_config_closest(sb, names, 2);
        rr_config_bad_value(cfg, "attribution.sourced_by", "expected first_touch or lead_source, got \"%.80s\"%s%s%s",
                            sb, near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
    }
    o->deal_mask = rr_metrics_deal_mask(cfg, &o->deal_types);
    o->min_spend = rr_metrics_min_spend(cfg);
    o->non_marketing = rr_config_str(cfg, "attribution.non_marketing_touches", NULL);
    const char *sbasis = rr_config_str(cfg, "roi.spend_basis", "trailing3");
    if (!strcmp(sbasis, "trailing3")) o->trailing_months = 3;
    else if (!strcmp(sbasis, "trailing12")) o->trailing_months = 12;
    else rr_config_bad_value(cfg, "roi.spend_basis", "expected trailing3 or trailing12, got \"%.80s\"", sbasis);
    o->leads_as_null = rr_config_bool(cfg, "attribution.leads_as_null", 0);
    o->paths_sep = rr_config_str(cfg, "attribution.paths_separator", ">");
    if (!*o->paths_sep) {
        rr_config_bad_value(cfg, "attribution.paths_separator", "expected a separator such as >, got an empty value");
        o->paths_sep = ">";
    }
}

rr_status rr_attrrep_config_check(const rr_config *cfg, int lookback_days, rr_error *err)
{
    rr_attrrep_opts o;
    rr_attrrep_opts_from_config(cfg, lookback_days, &o);
    rr_metrics_opts mo;
    rr_metrics_opts_from_config(cfg, lookback_days, &mo);
    return rr_config_check(cfg, err);
}

/* ---------------------------------------------------------------- compute */

static int is_path_model(rr_attr_model m) { return m == RR_ATTR_MARKOV || m == RR_ATTR_SHAPLEY; }

static void scope_init(rr_attrrep_scope *s, size_t nch, size_t ncp, int first, int last, const char *label)
{
    memset(s, 0, sizeof *s);
    snprintf(s->label, sizeof s->label, "%s", label);
    s->first = first;
    s->last = last;
    for (int m = 0; m < RR_ATTR_N_MODELS; m++)
        if (!is_path_model((rr_attr_model)m)) s->tot[m] = rr_attr_totals_new(nch, ncp);
    s->newbiz = rr_attr_totals_new(nch, ncp);
    size_t a = nch ? nch : 1, b = ncp ? ncp : 1;
    for (int i = 0; i < 3; i++) {
        s->mk[i] = rr_xcalloc(a, sizeof(double));
        s->sh[i] = rr_xcalloc(a, sizeof(double));
        s->mk_cp[i] = rr_xcalloc(ncp + nch + 1, sizeof(double));
        s->sh_cp[i] = rr_xcalloc(ncp + nch + 1, sizeof(double));
    }
    s->paths = rr_paths_new();
    s->cp_paths = rr_paths_new();
    s->spend_ch = rr_xcalloc(a, sizeof(double));
    s->spend_cp = rr_xcalloc(b, sizeof(double));
    s->sourced_ch = rr_xcalloc(a, sizeof(double));
    s->leads_ch = rr_xcalloc(a, sizeof(long)); s->mqls_ch = rr_xcalloc(a, sizeof(long));
    s->sqls_ch = rr_xcalloc(a, sizeof(long)); s->opps_ch = rr_xcalloc(a, sizeof(long));
    s->leads_cp = rr_xcalloc(b, sizeof(long)); s->mqls_cp = rr_xcalloc(b, sizeof(long));
    s->sqls_cp = rr_xcalloc(b, sizeof(long)); s->opps_cp = rr_xcalloc(b, sizeof(long));
}

static void scope_free(rr_attrrep_scope *s)
{
    for (int m = 0; m < RR_ATTR_N_MODELS; m++) rr_attr_totals_free(s->tot[m]);
    rr_attr_totals_free(s->newbiz);
    for (int i = 0; i < 3; i++) { free(s->mk[i]); free(s->sh[i]); free(s->mk_cp[i]); free(s->sh_cp[i]); }
    rr_paths_free(s->paths);
    rr_paths_free(s->cp_paths);
    free(s->spend_ch); free(s->spend_cp); free(s->sourced_ch);
    free(s->leads_ch); free(s->mqls_ch); free(s->sqls_ch); free(s->opps_ch);
    free(s->leads_cp); free(s->mqls_cp); free(s->sqls_cp); free(s->opps_cp);
}

static int in_scope(const rr_attrrep_scope *s, int month) { return month >= s->first && month <= s->last; }

double rr_attrrep_get(const rr_attrrep_scope *s, rr_attr_model m, int what, size_t ch)
{
    if (m == RR_ATTR_MARKOV) return s->mk_ok ? s->mk[what][ch] : NAN;
    if (m == RR_ATTR_SHAPLEY) return s->sh_ok ? s->sh[what][ch] : NAN;
    if ((unsigned)m >= RR_ATTR_N_MODELS || !s->tot[m]) return NAN;
    const rr_attr_sums *u = what == RR_ATTRREP_PIPELINE ? &s->tot[m]->open : &s->tot[m]->won;
    return what == RR_ATTRREP_DEALS ? u->ch_count[ch] : u->ch_value[ch];
}

double rr_attrrep_get_campaign(const rr_attrrep *a, size_t scope, rr_attr_model m, int what, size_t cp)
{
    const rr_attrrep_scope *s = &a->scope[scope];
    if (m == RR_ATTR_MARKOV) return s->mk_cp_ok && cp < a->ncp + a->nch ? s->mk_cp[what][cp] : NAN;
    if (m == RR_ATTR_SHAPLEY) return s->sh_cp_ok && cp < a->ncp + a->nch ? s->sh_cp[what][cp] : NAN;
    if ((unsigned)m >= RR_ATTR_N_MODELS || !s->tot[m] || cp >= a->ncp) return NAN;
    const rr_attr_sums *u = what == RR_ATTRREP_PIPELINE ? &s->tot[m]->open : &s->tot[m]->won;
    return what == RR_ATTRREP_DEALS ? u->cp_count[cp] : u->cp_value[cp];
}

static unsigned touch_flags(uint8_t ms)
{
    unsigned f = 0;
    if (ms & RR_MS_LEAD_CREATED) f |= RR_ATTR_FLAG_LEAD_CREATED;
    if (ms & RR_MS_OPP_CREATED) f |= RR_ATTR_FLAG_OPP_CREATED;
    if (ms & RR_MS_CLOSED_WON) f |= RR_ATTR_FLAG_CLOSED_WON;
    return f;
}

/* Markov and Shapley over one set of states (channels, or campaign states):
 * won / lost paths in ps, open journeys' paths in open_ps, n states.  Fills
 * mk[3] and sh[3] (revenue, deals, pipeline; n entries), the ok flags and the
 * reasons.  what names the states in the messages ("channels", "campaign
 * states"); open_limit: the open paths count towards Shapley's limit too
 * (campaigns), else an open set over the limit leaves the pipeline at 0
 * (channels, as before). */
typedef struct {
    double **mk, **sh;
    int *mk_ok, *sh_ok;
    char *mk_msg, *sh_msg;      /* 256 bytes each */
    size_t *sh_players;         /* may be NULL */
    rr_attrrep_why *mk_why, *sh_why;
} path_out;

static void set_why(rr_attrrep_why *w, const char *key, size_t count, size_t removals, int max, const char *detail)
{
    w->key = key;
    w->count = count;
    w->removals = removals;
    w->max = max;
    snprintf(w->detail, sizeof w->detail, "%.180s", detail ? detail : "");
}

static size_t players(const rr_paths *ps, size_t n, unsigned char *seen)
{
    size_t k = 0;
    for (size_t i = 0; i < rr_paths_count(ps); i++) {
        const rr_path *q = rr_paths_get(ps, i);
        if (!(q->conv > 0) && q->value == 0) continue;
        for (size_t j = 0; j < q->len; j++)
            if ((size_t)q->seq[j] < n && !seen[q->seq[j]]) { seen[q->seq[j]] = 1; k++; }
    }
    return k;
}

static void path_models(const rr_paths *ps, const rr_paths *open_ps, const rr_attr_params *par, size_t n, int open_limit,
                        const char *what, path_out o)
{
    rr_error err;
    memset(&err, 0, sizeof err);
    rr_attr_markov_result r;
    memset(&r, 0, sizeof r);
    rr_status st = rr_paths_count(ps) ? rr_attr_markov_ex(ps, par->markov_order, par->markov_states, &r, &err)
                                         : RR_ERR_INPUT;
    if (st == RR_OK) {
        for (size_t c = 0; c < r.n_channels && c < n; c++) {
            o.mk[RR_ATTRREP_REVENUE][c] = r.value[c];
            o.mk[RR_ATTRREP_DEALS][c] = r.conv[c];
        }
        /* pipeline: each open path's amount over its own states, in proportion to
         * their value removal effects (equal shares when none has one) */
        unsigned char *seen = rr_xcalloc(n + 1, 1);
        for (size_t i = 0; i < rr_paths_count(open_ps); i++) {
            const rr_path *q = rr_paths_get(open_ps, i);
            double sum = 0;
            size_t nd = 0;
            for (size_t k = 0; k < q->len; k++) {
                int c = q->seq[k];
                if (seen[c]) continue;
                seen[c] = 1;
                nd++;
                sum += (size_t)c < r.n_channels ? r.re_value[c] : 0;
            }
            for (size_t k = 0; k < q->len; k++) {
                int c = q->seq[k];
                if (!seen[c]) continue;
                seen[c] = 0;
                double w = (size_t)c < r.n_channels ? r.re_value[c] : 0;
                o.mk[RR_ATTRREP_PIPELINE][c] += q->value * (sum > 0 ? w / sum : 1.0 / (double)nd);
            }
        }
        free(seen);
        *o.mk_ok = 1;
    } else {
        snprintf(o.mk_msg, 256, "%.200s", st == RR_ERR_INPUT ? "no won opportunity with touches in the period" : err.msg);
        if (st == RR_ERR_INPUT) set_why(o.mk_why, "attr.why.no_won_touched", 0, 0, 0, NULL);
        else if (st == RR_ERR_LIMIT && r.n_states) set_why(o.mk_why, "attr.why.markov_limit", r.n_states, r.n_removals,
                                                    RR_ATTR_MARKOV_DENSE_STATES, NULL);
        else set_why(o.mk_why, "attr.why.internal", 0, 0, 0, err.msg);
    }
    rr_attr_markov_result_free(&r);
    if (open_limit) {
        unsigned char *seen = rr_xcalloc(n + 1, 1);
        size_t k = players(ps, n, seen);
        k += players(open_ps, n, seen);
        free(seen);
        if (o.sh_players) *o.sh_players = k;   /* reported; Shapley's closed form has no limit */
    }
    (void)what;
    size_t np = rr_paths_n_channels(ps);
    double *cv = rr_xcalloc(np + n + 1, sizeof *cv), *vv = rr_xcalloc(np + n + 1, sizeof *vv);
    st = rr_attr_shapley(ps, cv, vv, &err);
    if (st == RR_OK) {
        for (size_t c = 0; c < np && c < n; c++) {
            o.sh[RR_ATTRREP_REVENUE][c] = vv[c];
            o.sh[RR_ATTRREP_DEALS][c] = cv[c];
        }
        size_t no = rr_paths_n_channels(open_ps);
        double *oc = rr_xcalloc(no + 1, sizeof *oc), *ov = rr_xcalloc(no + 1, sizeof *ov);
        if (rr_attr_shapley(open_ps, oc, ov, &err) == RR_OK) {
            for (size_t c = 0; c < no && c < n; c++) o.sh[RR_ATTRREP_PIPELINE][c] = ov[c];
        } else if (rr_paths_count(open_ps)) {
            /* revenue stands; the pipeline is undefined (never a silent 0), and
             * says why (the figures' reason, a dash in the tables) */
            for (size_t c = 0; c < n; c++) o.sh[RR_ATTRREP_PIPELINE][c] = NAN;
            snprintf(o.sh_msg, 256, "pipeline: %.200s", err.msg);
        }
        free(oc); free(ov);
        *o.sh_ok = 1;
    } else {
        snprintf(o.sh_msg, 256, "%.200s", err.msg);
        if (st == RR_ERR_LIMIT) {   /* the channels on converting paths, as rr_attr_shapley counts them */
            unsigned char *seen = rr_xcalloc(np + 1, 1);
            set_why(o.sh_why, "attr.why.shapley_limit", players(ps, np, seen), 0, RR_ATTR_SHAPLEY_MAX, NULL);
            free(seen);
        }
        else set_why(o.sh_why, "attr.why.internal", 0, 0, 0, err.msg);
    }
    free(cv); free(vv);
}

/* Markov and Shapley of one scope, per channel and per campaign state */
static void scope_path_models(rr_attrrep_scope *s, const rr_attrrep *a, const rr_paths *open_ps,
                              const rr_paths *open_cps)
{
    path_out ch = {s->mk, s->sh, &s->mk_ok, &s->sh_ok, s->mk_msg, s->sh_msg, NULL, &s->mk_why, &s->sh_why};
    path_models(s->paths, open_ps, &a->o.params, a->nch, 0, "channels", ch);
    path_out cp = {s->mk_cp, s->sh_cp, &s->mk_cp_ok, &s->sh_cp_ok, s->mk_cp_msg, s->sh_cp_msg, &s->sh_cp_players,
                   &s->mk_cp_why, &s->sh_cp_why};
    path_models(s->cp_paths, open_cps, &a->o.params, a->ncp + a->nch, 1, "campaigns", cp);
}

static void read_paths_file(rr_attrrep *a)
{
    const rr_data *d = a->data;
    char path[1200];
    if (a->o.paths_file) {
        snprintf(path, sizeof path, "%s", a->o.paths_file);
    } else {
        const char *op = d->files[RR_IN_OPPS].path, *sl = strrchr(op, '/');
        if (!d->files[RR_IN_OPPS].present) return;
        if (sl) snprintf(path, sizeof path, "%.*s/paths.csv", (int)(sl - op), op);
        else snprintf(path, sizeof path, "paths.csv");
    }
    FILE *f = fopen(path, "r");
    if (!f) return;
    char head[512] = "";
    if (!fgets(head, sizeof head, f)) head[0] = 0;
    fclose(f);
    char delim = a->o.paths_delim ? a->o.paths_delim : strchr(head, ';') ? ';' : ',';
    rr_error err;
    memset(&err, 0, sizeof err);
    a->file_paths = rr_paths_new();
    a->file_paths_status = rr_paths_read_csv(a->file_paths, path, delim, a->o.paths_sep ? a->o.paths_sep : ">",
                                             &err);
    if (a->file_paths_status != RR_OK) {
        snprintf(a->file_paths_msg, sizeof a->file_paths_msg, "%.200s:%ld: %.250s", err.file, err.line, err.msg);
        return;
    }
    size_t n = rr_paths_n_channels(a->file_paths) + 1;
    for (int i = 0; i < 2; i++) {
        a->fp_markov[i] = rr_xcalloc(n, sizeof(double)); a->fp_shapley[i] = rr_xcalloc(n, sizeof(double));
        a->fp_first[i] = rr_xcalloc(n, sizeof(double)); a->fp_last[i] = rr_xcalloc(n, sizeof(double));
        a->fp_linear[i] = rr_xcalloc(n, sizeof(double));
    }
    rr_attr_paths_heuristic(a->file_paths, a->fp_first[0], a->fp_first[1], a->fp_last[0], a->fp_last[1],
                            a->fp_linear[0], a->fp_linear[1]);
    rr_attr_markov_result r;
    memset(&r, 0, sizeof r);
    if (rr_attr_markov_ex(a->file_paths, a->o.params.markov_order, a->o.params.markov_states, &r, &err) == RR_OK) {
        for (size_t c = 0; c < r.n_channels && c < n; c++) { a->fp_markov[0][c] = r.conv[c]; a->fp_markov[1][c] = r.value[c]; }
        a->fp_markov_ok = 1;
    }
    rr_attr_markov_result_free(&r);
    a->fp_shapley_ok = rr_attr_shapley(a->file_paths, a->fp_shapley[0], a->fp_shapley[1], &err) == RR_OK;
}

/* touches of each contact in time order (for leads as null paths) */
typedef struct { size_t *start; int32_t *t; } contact_index;
typedef struct { int32_t contact; int32_t touch; rr_time ts; } ct_pair;
static int ct_cmp(const void *x, const void *y)
{
    const ct_pair *a = x, *b = y;
    if (a->contact != b->contact) return a->contact < b->contact ? -1 : 1;
    if (a->ts != b->ts) return a->ts < b->ts ? -1 : 1;
    return (a->touch > b->touch) - (a->touch < b->touch);
}
/* grouped by contact with a counting sort (linear), then each contact's
 * touches by time (insertion sort, qsort for long ones): ct_cmp's order */
static void contact_index_build(const rr_data *d, contact_index *ci)
{
    size_t nc = d->contacts.n, np = 0;
    ci->start = rr_xcalloc(nc + 2, sizeof *ci->start);
    for (size_t i = 0; i < d->ntouch; i++)
        if (d->touch[i].contact >= 0 && d->touch[i].channel >= 0) { ci->start[d->touch[i].contact + 1]++; np++; }
    for (size_t c = 0; c < nc; c++) ci->start[c + 1] += ci->start[c];
    ct_pair *p = rr_xmalloc((np + 1) * sizeof *p);
    size_t *cur = rr_xmalloc((nc + 1) * sizeof *cur);
    memcpy(cur, ci->start, (nc + 1) * sizeof *cur);
    for (size_t i = 0; i < d->ntouch; i++)
        if (d->touch[i].contact >= 0 && d->touch[i].channel >= 0)
            p[cur[d->touch[i].contact]++] = (ct_pair){d->touch[i].contact, (int32_t)i, d->touch[i].ts};
    for (size_t c = 0; c < nc; c++) {
        ct_pair *g = p + ci->start[c];
        size_t len = ci->start[c + 1] - ci->start[c];
        if (len > 32) {
            qsort(g, len, sizeof *g, ct_cmp);
        } else {
            for (size_t a = 1; a < len; a++) {
                ct_pair x = g[a];
                size_t b = a;
                while (b > 0 && ct_cmp(&g[b - 1], &x) > 0) { g[b] = g[b - 1]; b--; }
                g[b] = x;
            }
        }
    }
    ci->t = rr_xmalloc((np + 1) * sizeof *ci->t);
    for (size_t k = 0; k < np; k++) ci->t[k] = p[k].touch;
    rr_journey_order ord;   /* touches at one instant: the journeys' tie rule */
    rr_journey_order_init(&ord, d);
    for (size_t c = 0; c < nc; c++) rr_journey_sort_ties(&ord, d, ci->t + ci->start[c], ci->start[c + 1] - ci->start[c]);
    rr_journey_order_free(&ord);
    free(cur);
    free(p);
}

/* Spend, leads, MQLs and SQLs by channel and campaign in every scope: one
 * pass over each table, a lead's months found once.  It writes only these
 * counts, so it runs beside the journeys (rr_attrrep_compute). */
static void *scope_counts(void *arg)
{
    rr_attrrep *a = arg;
    const rr_data *d = a->data;
    for (size_t i = 0; i < d->nspend; i++) {
        const rr_spend *sp = &d->spend[i];
        double v = rr_money_to_double(sp->amount);
        for (size_t k = 0; k < a->nscope; k++) {
            rr_attrrep_scope *s = &a->scope[k];
            if (!in_scope(s, sp->month)) continue;
            s->spend += v;
            if (sp->channel >= 0) s->spend_ch[sp->channel] += v;
            if (sp->campaign >= 0) s->spend_cp[sp->campaign] += v;
        }
    }
    /* per scope: the lead, MQL and SQL counts (total, by channel, by campaign) */
    long *tot[3][3], *bych[3][3], *bycp[3][3];
    for (size_t k = 0; k < a->nscope; k++) {
        rr_attrrep_scope *s = &a->scope[k];
        long *t[3] = {&s->leads, &s->mqls, &s->sqls}, *ch[3] = {s->leads_ch, s->mqls_ch, s->sqls_ch},
             *cp[3] = {s->leads_cp, s->mqls_cp, s->sqls_cp};
        for (int q = 0; q < 3; q++) { tot[k][q] = t[q]; bych[k][q] = ch[q]; bycp[k][q] = cp[q]; }
    }
    for (size_t i = 0; i < d->nleads; i++) {
        const rr_lead *ld = &d->leads[i];
        const rr_time when[3] = {ld->created, ld->mql, ld->sql};
        for (int q = 0; q < 3; q++) {
            if (when[q] == RR_NO_TIME) continue;
            int mo = rr_date_month(rr_time_date(when[q]));
            for (size_t k = 0; k < a->nscope; k++) {
                if (!in_scope(&a->scope[k], mo)) continue;
                (*tot[k][q])++;
                if (ld->channel >= 0) bych[k][q][ld->channel]++;
                if (ld->campaign >= 0) bycp[k][q][ld->campaign]++;
            }
        }
    }
    return NULL;
}

rr_attrrep *rr_attrrep_compute(const rr_data *d, const rr_metrics *m, const rr_period *p,
                               const rr_attrrep_opts *o)
{
    rr_attrrep *a = rr_xcalloc(1, sizeof *a);
    a->o = *o;
    if (!a->o.deal_mask) { a->o.deal_mask = RR_METRICS_DEALS_ALL; a->o.deal_types = "all"; }
    a->data = d;
    a->m = m;
    a->period = p;
    size_t nch = a->nch = d->channels.n, ncp = a->ncp = d->campaigns.n;
    char lab[16];
    a->nscope = 0;
    scope_init(&a->scope[a->nscope++], nch, ncp, p->first, p->last, p->label);
    if (p->kind == RR_PERIOD_MONTH) {
        snprintf(lab, sizeof lab, "%04dQ%d-QTD", p->fiscal_year % 10000, p->quarter);
        int qfirst = p->fy_first + (p->quarter - 1) * 3;
        scope_init(&a->scope[a->nscope++], nch, ncp, qfirst, p->last, lab);
    }
    snprintf(lab, sizeof lab, "FY%04d-YTD", p->fiscal_year % 10000);
    scope_init(&a->scope[a->nscope++], nch, ncp, p->fy_first, p->last, lab);
    int first_all = a->scope[a->nscope - 1].first;
    pthread_t counts_th;
    int counts_threaded = pthread_create(&counts_th, NULL, scope_counts, a) == 0;
    if (!counts_threaded) scope_counts(a);
    a->as_of = rr_date_time(rr_month_first_day(p->last + 1));
    const rr_attr_params *par = &a->o.params;

    /* opportunity -> earliest linked lead */
    int32_t *by_key = rr_xmalloc((d->opp_ids.n + 1) * sizeof *by_key);
    for (size_t i = 0; i <= d->opp_ids.n; i++) by_key[i] = -1;
    for (size_t i = 0; i < d->nopps; i++) by_key[d->opps[i].id] = (int32_t)i;
    int32_t *lead_of = rr_xmalloc((d->nopps + 1) * sizeof *lead_of);
    for (size_t i = 0; i < d->nopps; i++) lead_of[i] = -1;
    for (size_t l = 0; l < d->nleads; l++) {
        const rr_lead *ld = &d->leads[l];
        if (ld->opp_key < 0 || (size_t)ld->opp_key >= d->opp_ids.n) continue;
        int32_t o2 = by_key[ld->opp_key];
        if (o2 < 0) continue;
        if (lead_of[o2] < 0 || ld->created < d->leads[lead_of[o2]].created) lead_of[o2] = (int32_t)l;
    }
    for (size_t i = 0; i < d->nopps; i++) a->lead_linked += lead_of[i] >= 0;

    /* channels whose touches are not marketing influence */
    unsigned char *nonmkt = rr_xcalloc(nch + 1, 1);
    for (const char *q = a->o.non_marketing; q && *q;) {
        const char *e = strchr(q, ';');
        size_t len = e ? (size_t)(e - q) : strlen(q);
        while (len && *q == ' ') { q++; len--; }
        while (len && q[len - 1] == ' ') len--;
        int32_t ch = len ? rr_dict_find(&d->channels, q, len) : -1;
        if (ch >= 0) nonmkt[ch] = 1;
        if (!e) break;
        q = e + 1;
    }
    rr_paths *open_ps[3], *open_cps[3];
    for (size_t k = 0; k < a->nscope; k++) { open_ps[k] = rr_paths_new(); open_cps[k] = rr_paths_new(); }
    rr_attr_touch *tb = NULL;
    int *seq = NULL, *cseq = NULL;   /* channels; campaign states (campaign, else ncp + channel) */
    size_t cap = 0, scap = 0, ccap = 0, cbcap = 16;
    double *cbuf = rr_xmalloc(cbcap * RR_ATTR_N_MODELS * sizeof *cbuf);   /* credits per model */
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *op = &d->opps[i];
        int cmo = rr_date_month(op->close), crm = rr_date_month(op->created);
        int won = op->is_closed && op->is_won, lost = op->is_closed && !op->is_won;
        int open_end = crm <= p->last && (!op->is_closed || cmo > p->last);
        int relevant = ((won || lost) && cmo >= first_all && cmo <= p->last) || (open_end && crm >= first_all) ||
                       (crm >= first_all && crm <= p->last);
        if (!relevant) continue;
        if (!(a->o.deal_mask >> op->type & 1u)) continue;   /* a deal type attribution does not cover */
        size_t ja = m->jstart[i], jb = m->jstart[i + 1], n = 0;
        tb = rr_xgrow(tb, &cap, jb - ja + 1, sizeof *tb);
        int closed_in = op->is_closed && cmo <= p->last;
        for (size_t k = ja; k < jb; k++) {
            const rr_touch *t = &d->touch[m->jt[k]];
            if (t->channel < 0) continue;
            if (!closed_in && t->ts >= a->as_of) continue;   /* pipeline: touches before the end */
            tb[n++] = (rr_attr_touch){t->channel, t->campaign, t->ts, touch_flags(t->milestone), 0};
        }
        int64_t lc = lead_of[i] >= 0 ? d->leads[lead_of[i]].created : RR_ATTR_NO_TIME;
        if (lc == RR_NO_TIME) lc = RR_ATTR_NO_TIME;
        int64_t oc = rr_date_time(op->created) + RR_DAY - 1;
        /* the close instant: the export's close timestamp, else the end of close_date (journey.h) */
        int64_t close_end = rr_journey_window_of(op, par->lookback_days).hi;
        int64_t cw = closed_in ? close_end : RR_ATTR_NO_TIME;
        rr_attr_assign_roles(tb, n, lc, oc, cw);
        rr_attr_journey j = {rr_money_to_double(op->amount), won && closed_in ? RR_ATTR_WON
                                                             : lost && closed_in ? RR_ATTR_LOST : RR_ATTR_OPEN,
                             closed_in ? (op->close_ts != RR_NO_TIME ? op->close_ts : rr_date_time(op->close))
                                       : a->as_of, tb, n};
        seq = rr_xgrow(seq, &scap, n + 1, sizeof *seq);
        cseq = rr_xgrow(cseq, &ccap, n + 1, sizeof *cseq);
        for (size_t k = 0; k < n; k++) {
            seq[k] = tb[k].channel;
            cseq[k] = tb[k].campaign >= 0 ? tb[k].campaign : (int)ncp + tb[k].channel;
        }
        /* channel / campaign that opened the opportunity: first touch, else the lead's */
        int32_t och = n ? tb[0].channel : -1, ocp = n ? tb[0].campaign : -1;
        if (och < 0 && lead_of[i] >= 0) { och = d->leads[lead_of[i]].channel; ocp = d->leads[lead_of[i]].campaign; }
        if (n > cbcap) {
            cbcap = n * 2;
            free(cbuf);
            cbuf = rr_xmalloc(cbcap * RR_ATTR_N_MODELS * sizeof *cbuf);
        }
        int have[RR_ATTR_N_MODELS] = {0};
        int sourced;
        int32_t sch;
        if (a->o.sourced_by == RR_SOURCED_LEAD_SOURCE) {
            const char *ls = rr_dict_name(&d->sources, op->lead_source);
            sch = *ls ? rr_dict_find(&d->channels, ls, strlen(ls)) : -1;
            sourced = sch >= 0;
        } else {
            /* the first marketing touch (not of a non-marketing channel) */
            size_t fk = 0;
            while (fk < n && nonmkt[tb[fk].channel]) fk++;
            sourced = op->type == RR_OPP_NEW && fk < n && tb[fk].ts <= oc;
            sch = sourced ? tb[fk].channel : -1;
        }
        /* influenced: a marketing touch at or before the end of the close day */
        int influenced = 0;
        if (closed_in) {
            int64_t ce = rr_date_time(op->close) + RR_DAY - 1;
            for (size_t k = 0; k < n && !influenced; k++)
                influenced = tb[k].ts <= ce && !nonmkt[tb[k].channel];
        }
        for (size_t k = 0; k < a->nscope; k++) {
            rr_attrrep_scope *s = &a->scope[k];
            if (in_scope(s, crm)) {
                s->opps++;
                if (och >= 0) s->opps_ch[och]++;
                if (ocp >= 0) s->opps_cp[ocp]++;
            }
            int w = j.outcome == RR_ATTR_WON && in_scope(s, cmo);
            int l = j.outcome == RR_ATTR_LOST && in_scope(s, cmo);
            int pl = j.outcome == RR_ATTR_OPEN && open_end && in_scope(s, crm);
            if (!w && !l && !pl) continue;
            if (w || pl)
                for (int mo = 0; mo < RR_ATTR_N_MODELS; mo++) {
                    if (!s->tot[mo]) continue;
                    /* a journey's credits are the same in every scope: computed once */
                    double *cr = cbuf + (size_t)mo * cbcap;
                    if (n && !have[mo]) {
                        have[mo] = 1;
                        rr_attr_credit((rr_attr_model)mo, par, &j, cr);
                    }
                    rr_attr_totals_add_credit(s->tot[mo], &j, cr);
                }
            if (w) {
                s->won += j.value; s->won_n++;
                if (influenced) { s->influenced += j.value; s->influenced_n++; }
                if (!n) { s->no_touch += j.value; s->no_touch_n++; }
                if (sourced) { s->sourced += j.value; s->sourced_n++; if (sch >= 0) s->sourced_ch[sch] += j.value; }
                else { s->sales_sourced += j.value; s->sales_sourced_n++; }
                if (op->type == RR_OPP_NEW) { s->newbiz_n++; rr_attr_totals_add(s->newbiz, a->o.model == RR_ATTR_MARKOV || a->o.model == RR_ATTR_SHAPLEY ? RR_ATTR_LINEAR : a->o.model, par, &j); }
                rr_paths_add(s->paths, seq, n, 1.0, j.value, 0.0);
                rr_paths_add(s->cp_paths, cseq, n, 1.0, j.value, 0.0);
            } else if (l) {
                rr_paths_add(s->paths, seq, n, 0.0, 0.0, 1.0);
                rr_paths_add(s->cp_paths, cseq, n, 0.0, 0.0, 1.0);
            } else {
                s->pipeline += j.value;
                rr_paths_add(open_ps[k], seq, n, 1.0, j.value, 0.0);
                rr_paths_add(open_cps[k], cseq, n, 1.0, j.value, 0.0);
            }
        }
    }
    /* leads that never became opportunities: null paths of their contact's touches */
    if (a->o.leads_as_null && d->files[RR_IN_LEADS].present) {
        contact_index ci;
        contact_index_build(d, &ci);
        for (size_t l = 0; l < d->nleads; l++) {
            const rr_lead *ld = &d->leads[l];
            if (ld->opp_key >= 0 || ld->contact < 0 || ld->created == RR_NO_TIME) continue;
            int mo = rr_date_month(rr_time_date(ld->created));
            size_t n = 0;
            for (size_t k = ci.start[ld->contact]; k < ci.start[ld->contact + 1]; k++) {
                const rr_touch *t = &d->touch[ci.t[k]];
                if (t->ts < ld->created - (rr_time)par->lookback_days * RR_DAY || t->ts >= a->as_of) continue;
                seq = rr_xgrow(seq, &scap, n + 1, sizeof *seq);
                cseq = rr_xgrow(cseq, &ccap, n + 1, sizeof *cseq);
                cseq[n] = t->campaign >= 0 ? t->campaign : (int)ncp + t->channel;
                seq[n++] = t->channel;
            }
            for (size_t k = 0; k < a->nscope; k++)
                if (in_scope(&a->scope[k], mo)) {
                    rr_paths_add(a->scope[k].paths, seq, n, 0.0, 0.0, 1.0);
                    rr_paths_add(a->scope[k].cp_paths, cseq, n, 0.0, 0.0, 1.0);
                }
        }
        free(ci.start); free(ci.t);
    }
    if (counts_threaded) pthread_join(counts_th, NULL);
    for (size_t k = 0; k < a->nscope; k++) {
        rr_attrrep_scope *s = &a->scope[k];
        scope_path_models(s, a, open_ps[k], open_cps[k]);
        rr_paths_free(open_ps[k]);
        rr_paths_free(open_cps[k]);
    }
    read_paths_file(a);
    free(tb); free(seq); free(cseq); free(by_key); free(lead_of); free(cbuf); free(nonmkt);
    return a;
}

void rr_attrrep_free(rr_attrrep *a)
{
    if (!a) return;
    for (size_t k = 0; k < a->nscope; k++) scope_free(&a->scope[k]);
    rr_paths_free(a->file_paths);
    for (int i = 0; i < 2; i++) {
        free(a->fp_markov[i]); free(a->fp_shapley[i]); free(a->fp_first[i]); free(a->fp_last[i]);
        free(a->fp_linear[i]);
    }
    free(a);
}

double rr_attrrep_trailing_spend(const rr_attrrep *a, long ch)
{
    const rr_metrics *m = a->m;
    int k = a->o.trailing_months > 0 ? a->o.trailing_months : 3;
    double sum = 0;
    for (int mo = a->period->last - k + 1; mo <= a->period->last; mo++) {
        int i = rr_metrics_mi(m, mo);
        if (i < 0) continue;
        for (size_t c = 0; c < m->nchannels; c++)
            if (ch < 0 || (size_t)ch == c) sum += rr_money_to_double(m->spend_mc[(size_t)i * m->nchannels + c]);
    }
    return sum / k * (a->period->last - a->period->first + 1);
}

/* ---------------------------------------------------------------- figures */

/* a figure already in the store with the same (metric, period, dim, key,
 * model) is kept and the new one skipped (the store's index: constant time) */
static int has_fig(const rr_figs *f, const char *metric, const char *period, const char *dim, const char *key,
                   const char *model)
{
    return rr_figs_find_exact(f, metric, period, dim, key, model) != NULL;
}

static rr_money to_money(double major)
{
    double v = major * RR_MONEY_SCALE;
    return (rr_money)(v < 0 ? v - 0.5 : v + 0.5);
}

static void put_money(rr_figs *f, const char *metric, const char *period, const char *dim, const char *key,
                      const char *model, double v, const char *reason)
{
    if (has_fig(f, metric, period, dim, key, model)) return;
    rr_fig *g = isfinite(v) ? rr_figs_money(f, metric, period, dim, key, to_money(v))
                            : rr_figs_value(f, RR_FU_MONEY, metric, period, dim, key, 0, 0,
                                            reason ? reason : "undefined");
    if (model) rr_fig_set_model(g, model);
}

static void put_value(rr_figs *f, rr_fig_unit u, const char *metric, const char *period, const char *dim,
                      const char *key, const char *model, double v, const char *reason)
{
    if (has_fig(f, metric, period, dim, key, model)) return;
    rr_fig *g = rr_figs_value(f, u, metric, period, dim, key, isfinite(v) ? v : 0, isfinite(v),
                              reason ? reason : "undefined");
    if (model) rr_fig_set_model(g, model);
}

static double ratio_or_nan(double a, double b) { return b != 0 ? a / b : NAN; }

static void cost_figs(rr_figs *f, const char *lab, const char *dim, const char *key, double spend, long leads,
                      long mqls, long sqls, long opps, int has_leads)
{
    if (has_leads) {
        put_value(f, RR_FU_COUNT, "leads", lab, dim, key, NULL, (double)leads, NULL);
        put_value(f, RR_FU_COUNT, "mqls", lab, dim, key, NULL, (double)mqls, NULL);
        put_value(f, RR_FU_COUNT, "sqls", lab, dim, key, NULL, (double)sqls, NULL);
        put_money(f, "cost_per_lead", lab, dim, key, NULL, ratio_or_nan(spend, (double)leads), "no lead");
        put_money(f, "cost_per_mql", lab, dim, key, NULL, ratio_or_nan(spend, (double)mqls), "no MQL");
        put_money(f, "cost_per_sql", lab, dim, key, NULL, ratio_or_nan(spend, (double)sqls), "no SQL");
    }
    put_value(f, RR_FU_COUNT, "opportunities_opened", lab, dim, key, NULL, (double)opps, NULL);
    put_money(f, "cost_per_opportunity", lab, dim, key, NULL, ratio_or_nan(spend, (double)opps),
              "no opportunity created");
}

/* The model of the campaign figures and table in scope k: the default model,
 * or linear where the default is Markov / Shapley and undefined per campaign. */
static rr_attr_model campaign_model(const rr_attrrep *a, size_t k)
{
    const rr_attrrep_scope *s = &a->scope[k];
    rr_attr_model m = a->o.model;
    if ((m == RR_ATTR_MARKOV && !s->mk_cp_ok) || (m == RR_ATTR_SHAPLEY && !s->sh_cp_ok)) return RR_ATTR_LINEAR;
    return m;
}

/* The settings behind the attribution figures, as used (defaults included),
 * for report.xml's <settings>: two runs with different settings say so. */
static void put_settings(const rr_attrrep *a, rr_figs *f)
{
    const rr_attr_params *p = &a->o.params;
    char v[160];
    rr_figs_setting(f, "attribution.model", rr_attr_model_name(a->o.model));
    snprintf(v, sizeof v, "%d", p->lookback_days);
    rr_figs_setting(f, "lookback_days", v);   /* --lookback-days */
    snprintf(v, sizeof v, "%.10g", p->half_life_days);
    rr_figs_setting(f, "attribution.half_life_days", v);
    double cs = p->custom[0] + p->custom[1] + p->custom[2] + p->custom[3] + p->custom[4];
    if (!(cs > 0)) cs = 100;   /* percentages, as the setting takes them */
    snprintf(v, sizeof v, "%.10g,%.10g,%.10g,%.10g,%.10g", 100 * p->custom[0] / cs, 100 * p->custom[1] / cs,
             100 * p->custom[2] / cs, 100 * p->custom[3] / cs, 100 * p->custom[4] / cs);
    rr_figs_setting(f, "attribution.custom_weights", v);
    snprintf(v, sizeof v, "%d", p->markov_order);
    rr_figs_setting(f, "attribution.markov_order", v);
    rr_figs_setting(f, "attribution.markov_states", rr_attr_markov_states_name(p->markov_states));
    rr_figs_setting(f, "attribution.leads_as_null", a->o.leads_as_null ? "true" : "false");
    snprintf(v, sizeof v, "%d", a->m ? a->m->account_matches : 0);
    rr_figs_setting(f, "attribution.account_matches", v);
    rr_figs_setting(f, "attribution.sourced_by", a->o.sourced_by == RR_SOURCED_LEAD_SOURCE ? "lead_source" : "first_touch");
    rr_figs_setting(f, "attribution.paths_separator", a->o.paths_sep ? a->o.paths_sep : ">");
    rr_figs_setting(f, "attribution.deal_types", a->o.deal_types ? a->o.deal_types : "all");
    rr_figs_setting(f, "attribution.non_marketing_touches", a->o.non_marketing ? a->o.non_marketing : "");
    snprintf(v, sizeof v, "%.10g", a->o.min_spend);
    rr_figs_setting(f, "roi.min_spend", v);
    rr_figs_setting(f, "roi.spend_basis", a->o.trailing_months == 12 ? "trailing12" : "trailing3");
}

void rr_attrrep_figures(const rr_attrrep *a, rr_figs *f)
{
    const rr_data *d = a->data;
    int has_spend = d->files[RR_IN_SPEND].present, has_touch = d->files[RR_IN_TOUCH].present;
    int has_leads = d->files[RR_IN_LEADS].present;
    const char *dm = rr_attr_model_name(a->o.model);
    put_settings(a, f);
    if (has_spend && has_touch) {
        /* ROI on trailing spend (roi.spend_basis): the period's attributed revenue
         * over the average spend of the trailing months, so that a month with
         * little spend does not make a hero */
        const rr_attrrep_scope *s0 = &a->scope[0];
        double rev = 0, tsp = 0;
        for (size_t c = 0; c < a->nch; c++) {
            double sp = rr_attrrep_trailing_spend(a, (long)c);
            if (sp == 0) continue;
            double r = rr_attrrep_get(s0, a->o.model, RR_ATTRREP_REVENUE, c);
            const char *ch = rr_dict_name(&d->channels, (int32_t)c);
            put_money(f, "spend_trailing", s0->label, "channel", ch, NULL, sp, NULL);
            put_value(f, RR_FU_RATIO, "roi_trailing", s0->label, "channel", ch, dm,
                      sp >= a->o.min_spend ? (r - sp) / sp : NAN, "trailing spend below roi.min_spend: not meaningful");
            if (isfinite(r)) rev += r;
            tsp += sp;
        }
        put_money(f, "spend_trailing", s0->label, NULL, NULL, NULL, tsp, NULL);
        put_value(f, RR_FU_RATIO, "roi_trailing", s0->label, NULL, NULL, dm, ratio_or_nan(rev - tsp, tsp),
                  "no spend in the trailing months");
    }
    for (size_t k = 0; k < a->nscope; k++) {
        const rr_attrrep_scope *s = &a->scope[k];
        const char *lab = s->label;
        if (has_spend) put_money(f, "spend", lab, NULL, NULL, NULL, s->spend, NULL);
        for (size_t c = 0; c < a->nch; c++) {
            const char *ch = rr_dict_name(&d->channels, (int32_t)c);
            double sp = s->spend_ch[c];
            int active = sp != 0 || s->tot[RR_ATTR_LINEAR]->won.ch_count[c] != 0 ||
                         s->tot[RR_ATTR_LINEAR]->open.ch_count[c] != 0;
            if (has_spend && sp != 0) put_money(f, "spend", lab, "channel", ch, NULL, sp, NULL);
            if (has_touch && active)
                for (int mo = 0; mo < RR_ATTR_N_MODELS; mo++) {
                    const char *mn = rr_attr_model_name((rr_attr_model)mo);
                    const char *why = mo == RR_ATTR_MARKOV ? s->mk_msg : mo == RR_ATTR_SHAPLEY ? s->sh_msg : NULL;
                    double rev = rr_attrrep_get(s, (rr_attr_model)mo, RR_ATTRREP_REVENUE, c);
                    put_money(f, "attributed_revenue", lab, "channel", ch, mn, rev, why);
                    put_value(f, RR_FU_NUMBER, "attributed_deals", lab, "channel", ch, mn,
                              rr_attrrep_get(s, (rr_attr_model)mo, RR_ATTRREP_DEALS, c), why);
                    put_money(f, "attributed_pipeline", lab, "channel", ch, mn,
                              rr_attrrep_get(s, (rr_attr_model)mo, RR_ATTRREP_PIPELINE, c), why);
                    if (has_spend) {
                        const char *nos = sp ? "spend below roi.min_spend: not meaningful"
                                             : "no spend recorded for the channel in the period";
                        int mf = sp != 0 && sp >= a->o.min_spend;
                        put_value(f, RR_FU_RATIO, "roi", lab, "channel", ch, mn, mf ? (rev - sp) / sp : NAN,
                                  mf ? why : nos);
                        put_value(f, RR_FU_RATIO, "roas", lab, "channel", ch, mn, mf ? rev / sp : NAN,
                                  mf ? why : nos);
                    }
                }
            if (has_spend && (has_leads || has_touch) && (sp != 0 || s->leads_ch[c] || s->opps_ch[c]))
                cost_figs(f, lab, "channel", ch, sp, s->leads_ch[c], s->mqls_ch[c], s->sqls_ch[c], s->opps_ch[c],
                          has_leads);
            if (has_spend && has_touch && sp != 0)
                put_money(f, "cac", lab, "channel", ch, dm, ratio_or_nan(sp, s->newbiz->won.ch_count[c]),
                          "no new customer credited to the channel");
            if (has_touch && s->sourced_ch[c] != 0)
                put_money(f, "marketing_sourced_revenue", lab, "channel", ch, NULL, s->sourced_ch[c], NULL);
        }
        for (size_t c = 0; c < a->ncp; c++) {
            const char *cp = rr_data_campaign_name(d, (int32_t)c);
            double sp = s->spend_cp[c];
            int active = sp != 0 || s->tot[RR_ATTR_LINEAR]->won.cp_count[c] != 0 ||
                         s->tot[RR_ATTR_LINEAR]->open.cp_count[c] != 0;
            if (!active) continue;
            if (has_spend && sp != 0) put_money(f, "spend", lab, "campaign", cp, NULL, sp, NULL);
            if (has_touch) {
                for (int mo = 0; mo < RR_ATTR_N_MODELS; mo++) {
                    const char *why = mo == RR_ATTR_MARKOV ? s->mk_cp_msg : mo == RR_ATTR_SHAPLEY ? s->sh_cp_msg : NULL;
                    put_money(f, "attributed_revenue", lab, "campaign", cp, rr_attr_model_name((rr_attr_model)mo),
                              rr_attrrep_get_campaign(a, k, (rr_attr_model)mo, RR_ATTRREP_REVENUE, c), why);
                }
                /* the default model, linear where it is undefined per campaign (as in the table) */
                rr_attr_model cm = campaign_model(a, k);
                const char *tm = rr_attr_model_name(cm);
                double rev = rr_attrrep_get_campaign(a, k, cm, RR_ATTRREP_REVENUE, c);
                put_money(f, "attributed_pipeline", lab, "campaign", cp, tm,
                          rr_attrrep_get_campaign(a, k, cm, RR_ATTRREP_PIPELINE, c), NULL);
                if (has_spend) {
                    const char *nos = sp ? "spend below roi.min_spend: not meaningful"
                                         : "no spend recorded for the campaign in the period";
                    int mf = sp != 0 && sp >= a->o.min_spend;
                    put_value(f, RR_FU_RATIO, "roi", lab, "campaign", cp, tm, mf ? (rev - sp) / sp : NAN, nos);
                    put_value(f, RR_FU_RATIO, "roas", lab, "campaign", cp, tm, mf ? rev / sp : NAN, nos);
                }
            }
            if (has_spend) cost_figs(f, lab, "campaign", cp, sp, s->leads_cp[c], s->mqls_cp[c], s->sqls_cp[c],
                                     s->opps_cp[c], has_leads);
        }
        if (has_spend) {
            cost_figs(f, lab, NULL, NULL, s->spend, s->leads, s->mqls, s->sqls, s->opps, has_leads);
            put_money(f, "cac", lab, NULL, NULL, NULL, ratio_or_nan(s->spend, (double)s->newbiz_n),
                      "no new_business opportunity won");
        }
        put_value(f, RR_FU_COUNT, "new_customers", lab, NULL, NULL, NULL, (double)s->newbiz_n, NULL);
        if (has_touch) {
            put_money(f, "marketing_sourced_revenue", lab, NULL, NULL, NULL, s->sourced, NULL);
            put_money(f, "marketing_influenced_revenue", lab, NULL, NULL, NULL, s->influenced, NULL);
            put_money(f, "sales_sourced_revenue", lab, NULL, NULL, NULL, s->sales_sourced, NULL);
            put_money(f, "covered_won_revenue", lab, NULL, NULL, NULL, s->won, NULL);
            put_money(f, "no_touch_revenue", lab, NULL, NULL, NULL, s->no_touch, NULL);
            put_value(f, RR_FU_COUNT, "no_touch_deals", lab, NULL, NULL, NULL, (double)s->no_touch_n, NULL);
            put_money(f, "pipeline_created_open", lab, NULL, NULL, NULL, s->pipeline, NULL);
            if (has_spend) {
                /* marketing ROI of every model: channels with spend */
                for (int mo = 0; mo < RR_ATTR_N_MODELS; mo++) {
                    double rev = 0;
                    for (size_t c = 0; c < a->nch; c++)
                        if (s->spend_ch[c] != 0) rev += rr_attrrep_get(s, (rr_attr_model)mo, RR_ATTRREP_REVENUE, c);
                    const char *mn = rr_attr_model_name((rr_attr_model)mo);
                    put_money(f, "attributed_revenue_paid", lab, NULL, NULL, mn, rev, "model undefined");
                    put_value(f, RR_FU_RATIO, "roi", lab, NULL, NULL, mn, ratio_or_nan(rev - s->spend, s->spend),
                              isfinite(rev) ? "no spend recorded in the period" : "model undefined");
                    put_value(f, RR_FU_RATIO, "roas", lab, NULL, NULL, mn, ratio_or_nan(rev, s->spend),
                              isfinite(rev) ? "no spend recorded in the period" : "model undefined");
                }
            }
        }
    }
    if (a->file_paths && a->file_paths_status == RR_OK) {
        const char *lab = a->period->label;
        size_t n = rr_paths_n_channels(a->file_paths);
        struct { const char *model; double *const *v; int ok; } pm[] = {
            {"first", a->fp_first, 1}, {"last", a->fp_last, 1}, {"linear", a->fp_linear, 1},
            {"markov", a->fp_markov, a->fp_markov_ok}, {"shapley", a->fp_shapley, a->fp_shapley_ok}};
        for (size_t c = 0; c < n; c++) {
            const char *ch = rr_paths_name(a->file_paths, (int)c);
            if (!ch) continue;
            for (size_t q = 0; q < sizeof pm / sizeof pm[0]; q++) {
                put_value(f, RR_FU_NUMBER, "paths_attributed_conversions", lab, "channel", ch, pm[q].model,
                          pm[q].ok ? pm[q].v[0][c] : NAN, "model undefined on paths.csv");
                put_value(f, RR_FU_NUMBER, "paths_attributed_value", lab, "channel", ch, pm[q].model,
                          pm[q].ok ? pm[q].v[1][c] : NAN, "model undefined on paths.csv");
            }
        }
    }
}

/* ---------------------------------------------------------------- sections */

#define T(key) rr_tr(c->cat, key)
#define NB 64
static const char DASH[] = "\xe2\x80\x94";

typedef struct { size_t i; double key; } rank_t;
static int rank_cmp(const void *x, const void *y)
{
    const rank_t *a = x, *b = y;
    return a->key < b->key ? 1 : a->key > b->key ? -1 : (a->i > b->i) - (a->i < b->i);
}

static void fmt_money_or_dash(const rr_build_ctx *c, double v, char *out, size_t cap)
{
    if (isfinite(v)) rr_fmt_money_d(c->fmt, v, 0, out, cap);
    else snprintf(out, cap, "%s", DASH);
}

static void fmt_ratio_or_dash(const rr_build_ctx *c, double v, char *out, size_t cap)
{
    if (isfinite(v)) rr_fmt_ratio(c->fmt, v, out, cap);
    else snprintf(out, cap, "%s", DASH);
}

/* "W-shaped" (catalogue name of a model) */
static const char *model_title(const rr_build_ctx *c, rr_attr_model m)
{
    char key[48];
    snprintf(key, sizeof key, "attr.model.%s", rr_attr_model_name(m));
    return T(key);
}

/* the weights of the default model, as a phrase */
static char *model_weights(const rr_build_ctx *c, const rr_attrrep *a)
{
    double w[5];
    char hl[NB], ord[16];
    rr_fmt_number(c->fmt, a->o.params.half_life_days, 0, hl, sizeof hl);
    snprintf(ord, sizeof ord, "%d", a->o.params.markov_order);
    if (rr_attr_model_weights(a->o.model, &a->o.params, w)) {
        double sum = w[0] + w[1] + w[2] + w[3] + w[4];
        char p[5][NB];
        for (int i = 0; i < 5; i++) rr_fmt_pct(c->fmt, sum > 0 ? w[i] / sum : 0, 1, p[i], sizeof p[i]);
        return rr_i18n_subst(T("attr.weights.roles"), "ft", p[0], "lc", p[1], "oc", p[2], "cw", p[3], "mid", p[4],
                             NULL);
    }
    const char *key = a->o.model == RR_ATTR_TIME_DECAY ? "attr.weights.time_decay"
                      : a->o.model == RR_ATTR_MARKOV   ? "attr.weights.markov"
                      : a->o.model == RR_ATTR_SHAPLEY  ? "attr.weights.shapley"
                                                       : "attr.weights.linear";
    return rr_i18n_subst(T(key), "halflife", hl, "order", ord, NULL);
}

static double paid_rev(const rr_attrrep *a, const rr_attrrep_scope *s, rr_attr_model m)
{
    double rev = 0;
    for (size_t ch = 0; ch < a->nch; ch++)
        if (s->spend_ch[ch] != 0) rev += rr_attrrep_get(s, m, RR_ATTRREP_REVENUE, ch);
    return rev;
}

static void scope_name(const rr_build_ctx *c, const rr_attrrep *a, size_t k, char *out, size_t cap)
{
    const rr_attrrep_scope *s = &a->scope[k];
    if (k == 0) {
        if (c->period->kind == RR_PERIOD_MONTH) { rr_fmt_month(c->fmt, s->first, out, cap); return; }
        /* the quarter's name in the reader's language, not its token "2026Q3" */
        char *t = rr_i18n_fiscal(c->cat, c->period->fiscal_year, c->period->quarter, c->period->fy_start);
        snprintf(out, cap, "%s", t);
        free(t);
        return;
    }
    char *fy = rr_i18n_fiscal(c->cat, c->period->fiscal_year, 0, c->period->fy_start);
    char *q = rr_i18n_fiscal(c->cat, c->period->fiscal_year, c->period->quarter, c->period->fy_start);
    char *t = rr_i18n_subst(T(k == a->nscope - 1 ? "attr.scope.ytd" : "attr.scope.qtd"), "year", fy, "quarter", q,
                            NULL);
    snprintf(out, cap, "%s", t);
    free(t);
    free(q);
    free(fy);
}

/* the reason a path model is undefined, in the report's language (msg: the
 * English text, for a reason without a key) */
static char *why_text(const rr_build_ctx *c, const rr_attrrep_why *w, const char *msg)
{
    if (!w->key) return rr_xstrdup(msg);
    char n1[24], n2[24], mx[24], mr[24];
    snprintf(n1, sizeof n1, "%zu", w->count);
    snprintf(n2, sizeof n2, "%zu", w->removals);
    snprintf(mx, sizeof mx, "%d", w->max);
    snprintf(mr, sizeof mr, "%d", RR_ATTR_MARKOV_MAX_REMOVALS);
    return rr_i18n_subst(T(w->key), "count", n1, "removals", n2, "max", mx, "maxremovals", mr, "msg", w->detail, NULL);
}

const char *rr_attrrep_types_text(const rr_build_ctx *c, const rr_attrrep *a)
{
    if (a->o.deal_mask == RR_METRICS_DEALS_ALL) return T("attr.types.all");
    if (a->o.deal_mask == RR_METRICS_DEALS_NEW_EXPANSION) return T("attr.types.new_business_expansion");
    return T("attr.types.new_business");
}

static void roi_section(const rr_build_ctx *c, rr_doc *doc, const rr_attrrep *a)
{
    const rr_data *d = c->data;
    const rr_metrics *m = c->m;
    int has_touch = d->files[RR_IN_TOUCH].present, has_leads = d->files[RR_IN_LEADS].present;
    int has_spend = d->files[RR_IN_SPEND].present;
    rr_doc_section *s = rr_doc_section_add(doc, "roi", T("section.roi"));
    const rr_attrrep_scope *s0 = &a->scope[0];
    rr_attr_model dm = a->o.model;
    const char *mt = model_title(c, dm);
    char pname[NB], lb[16];
    scope_name(c, a, 0, pname, sizeof pname);
    snprintf(lb, sizeof lb, "%d", c->lookback_days);
    char *wt = model_weights(c, a);
    char *intro = rr_i18n_subst(T(has_touch ? "attr.roi.intro" : "roi.intro_no_touch"), "period", pname,
                                "model", mt, "weights", wt, "lookback", lb, NULL);
    rr_doc_para(s, intro);
    free(intro);
    free(wt);
    char *dtn = rr_i18n_subst(T("attr.deal_types"), "types", rr_attrrep_types_text(c, a), NULL);
    rr_doc_para(s, dtn);
    free(dtn);
    /* the table's pipeline (created in the period, still open at its end)
     * against the summary's "Pipeline created" (every opportunity created in
     * the period): say how the two reconcile, so neither looks wrong */
    double created = rr_figs_get(c->figs, "pipeline_created", c->period->label, NULL);
    if (has_touch && isfinite(created)) {
        /* created in the period: of the deal types covered (open or closed) and of the others */
        rr_money cov = 0;
        for (size_t i = 0; i < d->nopps; i++) {
            const rr_opp *op = &d->opps[i];
            int mo = rr_date_month(op->created);
            if (mo >= s0->first && mo <= s0->last && (a->o.deal_mask >> op->type & 1u)) cov += op->amount;
        }
        double covd = rr_money_to_double(cov);
        char o1[NB], o2[NB], o3[NB], o4[NB];
        rr_fmt_money_d(c->fmt, s0->pipeline, 0, o1, sizeof o1);
        rr_fmt_money_d(c->fmt, created, 0, o2, sizeof o2);
        rr_fmt_money_d(c->fmt, covd - s0->pipeline, 0, o3, sizeof o3);
        rr_fmt_money_d(c->fmt, created - covd, 0, o4, sizeof o4);
        int all = a->o.deal_mask == RR_METRICS_DEALS_ALL;
        char *pn = rr_i18n_subst(T(all ? "attr.roi.pipeline_note" : "attr.roi.pipeline_note_types"), "period", pname,
                                 "open", o1, "created", o2, "closed", o3, "other", o4, "types",
                                 rr_attrrep_types_text(c, a), "currency", d->base_currency, NULL);
        rr_doc_para(s, pn);
        free(pn);
    }

    /* channels by spend, then revenue under the default model */
    rank_t *ord = rr_xmalloc((a->nch + 1) * sizeof *ord);
    size_t n = 0;
    for (size_t ch = 0; ch < a->nch; ch++) {
        double rev = has_touch ? rr_attrrep_get(s0, dm, RR_ATTRREP_REVENUE, ch) : 0;
        if (!isfinite(rev)) rev = 0;
        if (s0->spend_ch[ch] == 0 && rev == 0) continue;
        ord[n++] = (rank_t){ch, s0->spend_ch[ch] * 1e6 + rev};
    }
    qsort(ord, n, sizeof *ord, rank_cmp);
    if (has_touch && has_spend) {
        const char **names = rr_xmalloc((n + 1) * sizeof *names);
        double *roi = rr_xmalloc((n + 1) * sizeof *roi);
        size_t k = 0;
        char low[512];
        size_t nlow = 0, ll = 0;
        low[0] = 0;
        for (size_t i = 0; i < n; i++) {
            double sp = s0->spend_ch[ord[i].i];
            if (sp == 0) continue;
            if (sp < a->o.min_spend) {
                /* a ratio on a few dollars of spend is not a result: named
                 * below the chart, not drawn as a bar that flattens the others */
                char sb[NB];
                rr_fmt_money_d(c->fmt, sp, 0, sb, sizeof sb);
                if (ll < sizeof low - 1)
                    ll += (size_t)snprintf(low + ll, sizeof low - ll, "%s%s (%s)", nlow ? ", " : "",
                                           rr_dict_name(&d->channels, (int32_t)ord[i].i), sb);
                if (ll > sizeof low - 1) ll = sizeof low - 1;
                nlow++;
                continue;
            }
            names[k] = rr_dict_name(&d->channels, (int32_t)ord[i].i);
            roi[k++] = (rr_attrrep_get(s0, dm, RR_ATTRREP_REVENUE, ord[i].i) - sp) / sp;
        }
        if (k) {
            char *title = rr_i18n_subst(T("attr.chart.roi"), "model", mt, NULL);
            rr_chart *ch = rr_chart_new(RR_CHART_HBAR, title);
            rr_chart_set_categories(ch, k, names);
            rr_chart_add_series(ch, T("series.roi"), RR_SERIES_BAR, roi, k);
            rr_chart_set_unit(ch, RR_UNIT_RATIO, NULL);
            char *cap = rr_i18n_subst(T("attr.caption.roi"), "model", mt, NULL);
            rr_doc_chart(s, ch, cap);
            free(title); free(cap);
        }
        if (nlow) {
            char ms[NB];
            rr_fmt_money_d(c->fmt, a->o.min_spend, 0, ms, sizeof ms);
            char *nm = rr_i18n_subst(T("attr.roi.not_meaningful"), "min", ms, "channels", low, NULL);
            rr_doc_note(s, nm);
            free(nm);
        }
        free(names); free(roi);
    }

    /* by channel: spend, revenue, pipeline, ROI, ROAS (deals are in report.xml) */
    char h_rev[128], h_pipe[128];
    char *t1 = rr_i18n_subst(T("attr.col.revenue_model"), "model", mt, NULL);
    char *t2 = rr_i18n_subst(T("attr.col.pipeline_model"), "model", mt, NULL);
    snprintf(h_rev, sizeof h_rev, "%s", t1);
    snprintf(h_pipe, sizeof h_pipe, "%s", t2);
    free(t1); free(t2);
    char h_trail[128];
    char tm_s[8];
    snprintf(tm_s, sizeof tm_s, "%d", a->o.trailing_months);
    char *trh = rr_i18n_subst(T("attr.col.roi_trailing"), "months", tm_s, NULL);
    snprintf(h_trail, sizeof h_trail, "%s", trh);
    free(trh);
    const char *hdr[7] = {T("col.channel"), T("col.spend"), h_rev, h_pipe, T("col.roi"), T("col.roas"), h_trail};
    const char *hdr_ns[3] = {hdr[0], h_rev, h_pipe};
    size_t ncols = has_touch ? (has_spend ? 7 : 3) : 2;
    char *tcap = rr_i18n_subst(T(has_touch ? "attr.table.roi" : "table.roi_by_channel"), "model", mt, NULL);
    rr_table *t = rr_doc_table(s, tcap, ncols, has_touch && !has_spend ? hdr_ns : hdr, NULL);
    free(tcap);
    double tot_rev = 0, tot_pipe = 0, tot_sp = 0;
    for (size_t i = 0; i < n; i++) {
        size_t ch = ord[i].i;
        char sp[NB], rev[NB], pipe[NB], roi[NB], roas[NB], rtr[NB];
        double spd = s0->spend_ch[ch], r = has_touch ? rr_attrrep_get(s0, dm, RR_ATTRREP_REVENUE, ch) : 0;
        double pp = has_touch ? rr_attrrep_get(s0, dm, RR_ATTRREP_PIPELINE, ch) : 0;
        rr_fmt_money_d(c->fmt, spd, 0, sp, sizeof sp);
        fmt_money_or_dash(c, r, rev, sizeof rev);
        fmt_money_or_dash(c, pp, pipe, sizeof pipe);
        if (spd != 0 && spd < a->o.min_spend) {
            snprintf(roi, sizeof roi, "%s", T("attr.nm"));
            snprintf(roas, sizeof roas, "%s", T("attr.nm"));
        } else {
            fmt_ratio_or_dash(c, ratio_or_nan(r - spd, spd), roi, sizeof roi);
            fmt_ratio_or_dash(c, ratio_or_nan(r, spd), roas, sizeof roas);
        }
        double tsp = rr_attrrep_trailing_spend(a, (long)ch);
        if (tsp != 0 && tsp < a->o.min_spend) snprintf(rtr, sizeof rtr, "%s", T("attr.nm"));
        else fmt_ratio_or_dash(c, ratio_or_nan(r - tsp, tsp), rtr, sizeof rtr);
        const char *row[] = {rr_dict_name(&d->channels, (int32_t)ch), sp, rev, pipe, roi, roas, rtr};
        const char *row_ns[] = {row[0], row[2], row[3]};           /* no spend.csv */
        const char *row_nt[] = {row[0], row[1]};                   /* no touchpoints.csv */
        rr_table_row(t, RR_ROW_NORMAL, !has_touch ? row_nt : has_spend ? row : row_ns);
        if (isfinite(r)) tot_rev += r;
        if (isfinite(pp)) tot_pipe += pp;
        tot_sp += spd;
    }
    if (has_touch && s0->no_touch_n) {
        char rev[NB];
        rr_fmt_money_d(c->fmt, s0->no_touch, 0, rev, sizeof rev);
        const char *row[] = {T("roi.no_touch"), DASH, rev, DASH, DASH, DASH, DASH};
        const char *row_ns[] = {row[0], rev, DASH};
        rr_table_row(t, RR_ROW_MUTED, has_spend ? row : row_ns);
        tot_rev += s0->no_touch;
    }
    {
        char sp[NB], rev[NB], pipe[NB];
        /* the same format as the rows above (full amounts), summed unrounded */
        rr_fmt_money_d(c->fmt, tot_sp, 0, sp, sizeof sp);
        rr_fmt_money_d(c->fmt, tot_rev, 0, rev, sizeof rev);
        rr_fmt_money_d(c->fmt, tot_pipe, 0, pipe, sizeof pipe);
        const char *row[] = {T("col.total"), sp, rev, pipe, "", "", ""};
        const char *row_ns[] = {row[0], rev, pipe};
        const char *row_nt[] = {row[0], sp};
        rr_table_row(t, RR_ROW_TOTAL, !has_touch ? row_nt : has_spend ? row : row_ns);
        rr_doc_note(s, T("note.rounding"));
    }
    /* ROI of the month, the quarter to date and the year to date, by channel */
    if (has_touch && has_spend) {
        const char *h[4] = {T("col.channel"), NULL, NULL, NULL};
        char hs[3][128];
        for (size_t k = 0; k < a->nscope; k++) {
            char sn[NB];
            scope_name(c, a, k, sn, sizeof sn);
            char *x = rr_i18n_subst(T("attr.col.roi_scope"), "scope", sn, NULL);
            snprintf(hs[k], sizeof hs[k], "%s", x);
            free(x);
            h[1 + k] = hs[k];
        }
        char *cap = rr_i18n_subst(T("attr.table.roi_scopes"), "model", mt, NULL);
        rr_table *tr = rr_doc_table(s, cap, 1 + a->nscope, h, NULL);
        free(cap);
        for (size_t i = 0; i < n; i++) {
            size_t ch = ord[i].i;
            char v[3][NB];
            int any = 0;
            for (size_t k = 0; k < a->nscope; k++) {
                const rr_attrrep_scope *sk = &a->scope[k];
                double skp = sk->spend_ch[ch];
                any |= skp != 0;
                if (skp != 0 && skp < a->o.min_spend) snprintf(v[k], NB, "%s", T("attr.nm"));
                else fmt_ratio_or_dash(c, ratio_or_nan(rr_attrrep_get(sk, dm, RR_ATTRREP_REVENUE, ch) - skp, skp), v[k], NB);
            }
            if (!any) continue;
            const char *row[] = {rr_dict_name(&d->channels, (int32_t)ch), v[0], v[1], v[2]};
            rr_table_row(tr, RR_ROW_NORMAL, row);
        }
    }

    /* month / QTD / YTD: spend, revenue of paid channels, ROI, ROAS, CAC, cost per lead / MQL / SQL / opp */
    if (has_spend) {
        char *cap = rr_i18n_subst(T("attr.table.scopes"), "model", mt, NULL);
        char h_paid[128];
        char *hp = rr_i18n_subst(T("attr.col.revenue_paid"), "model", mt, NULL);
        snprintf(h_paid, sizeof h_paid, "%s", hp);
        free(hp);
        const char *h2[] = {T("attr.col.scope"), T("col.spend"), h_paid, T("col.roi"), T("col.roas"),
                            T("attr.col.cac"), T("attr.col.cpl"), T("attr.col.cpmql"), T("attr.col.cpsql"),
                            T("attr.col.cpo")};
        size_t nc2 = has_touch ? 10 : 2;
        const char *h2n[] = {h2[0], h2[1], h2[5], h2[6], h2[7], h2[8], h2[9]};
        rr_table *t2s = rr_doc_table(s, cap, has_touch ? nc2 : (has_leads ? 7 : 3), has_touch ? h2 : h2n, NULL);
        free(cap);
        for (size_t k = 0; k < a->nscope; k++) {
            const rr_attrrep_scope *sk = &a->scope[k];
            char sn[NB], sp[NB], rev[NB], roi[NB], roas[NB], cac[NB], cpl[NB], cpm[NB], cps[NB], cpo[NB];
            scope_name(c, a, k, sn, sizeof sn);
            double r = has_touch ? paid_rev(a, sk, dm) : NAN;
            rr_fmt_money_d(c->fmt, sk->spend, 0, sp, sizeof sp);
            fmt_money_or_dash(c, r, rev, sizeof rev);
            fmt_ratio_or_dash(c, ratio_or_nan(r - sk->spend, sk->spend), roi, sizeof roi);
            fmt_ratio_or_dash(c, ratio_or_nan(r, sk->spend), roas, sizeof roas);
            fmt_money_or_dash(c, ratio_or_nan(sk->spend, (double)sk->newbiz_n), cac, sizeof cac);
            fmt_money_or_dash(c, has_leads ? ratio_or_nan(sk->spend, (double)sk->leads) : NAN, cpl, sizeof cpl);
            fmt_money_or_dash(c, has_leads ? ratio_or_nan(sk->spend, (double)sk->mqls) : NAN, cpm, sizeof cpm);
            fmt_money_or_dash(c, has_leads ? ratio_or_nan(sk->spend, (double)sk->sqls) : NAN, cps, sizeof cps);
            fmt_money_or_dash(c, ratio_or_nan(sk->spend, (double)sk->opps), cpo, sizeof cpo);
            const char *row[] = {sn, sp, rev, roi, roas, cac, cpl, cpm, cps, cpo};
            const char *rown[] = {sn, sp, cac, cpl, cpm, cps, cpo};
            rr_table_row(t2s, k == 0 ? RR_ROW_TOTAL : RR_ROW_NORMAL, has_touch ? row : rown);
        }
        /* cost per lead / MQL / SQL / opportunity by channel */
        if (has_leads || has_touch) {
            const char *h3[] = {T("col.channel"), T("col.spend"), T("col.leads"), T("col.mqls"), T("col.sqls"),
                                T("attr.col.opps"), T("attr.col.cpl"), T("attr.col.cpmql"), T("attr.col.cpsql"),
                                T("attr.col.cpo"), T("attr.col.cac")};
            char *cap3 = rr_i18n_subst(T("attr.table.costs"), "model", mt, "period", pname, NULL);
            rr_table *t3 = rr_doc_table(s, cap3, has_touch ? 11 : 10, h3, NULL);
            free(cap3);
            for (size_t ch = 0; ch < a->nch; ch++) {
                double sp = s0->spend_ch[ch];
                if (sp == 0 && !s0->leads_ch[ch] && !s0->opps_ch[ch]) continue;
                char a1[NB], a2[NB], a3[NB], a4[NB], a5[NB], a6[NB], a7[NB], a8[NB], a9[NB], a10[NB];
                rr_fmt_money_d(c->fmt, sp, 0, a1, sizeof a1);
                rr_fmt_count(c->fmt, s0->leads_ch[ch], a2, sizeof a2);
                rr_fmt_count(c->fmt, s0->mqls_ch[ch], a3, sizeof a3);
                rr_fmt_count(c->fmt, s0->sqls_ch[ch], a4, sizeof a4);
                rr_fmt_count(c->fmt, s0->opps_ch[ch], a5, sizeof a5);
                fmt_money_or_dash(c, sp ? ratio_or_nan(sp, (double)s0->leads_ch[ch]) : NAN, a6, NB);
                fmt_money_or_dash(c, sp ? ratio_or_nan(sp, (double)s0->mqls_ch[ch]) : NAN, a7, NB);
                fmt_money_or_dash(c, sp ? ratio_or_nan(sp, (double)s0->sqls_ch[ch]) : NAN, a8, NB);
                fmt_money_or_dash(c, sp ? ratio_or_nan(sp, (double)s0->opps_ch[ch]) : NAN, a9, NB);
                fmt_money_or_dash(c, sp ? ratio_or_nan(sp, s0->newbiz->won.ch_count[ch]) : NAN, a10, NB);
                const char *row[] = {rr_dict_name(&d->channels, (int32_t)ch), a1, a2, a3, a4, a5, a6, a7, a8, a9, a10};
                rr_table_row(t3, RR_ROW_NORMAL, row);
            }
        }
    }
    free(ord);

    /* spend by month and channel (unchanged from the first report) */
    if (has_spend && m->nchannels) {
        char **labels = rr_xmalloc(m->nmonths * sizeof *labels);
        for (size_t i = 0; i < m->nmonths; i++) {
            char b[NB];
            rr_fmt_month_short(c->fmt, m->window_first + (int)i, b, sizeof b);
            labels[i] = rr_xstrdup(b);
        }
        rr_chart *ch = rr_chart_new(RR_CHART_STACKED_BAR, T("chart.spend_by_month"));
        rr_chart_set_categories(ch, m->nmonths, (const char *const *)labels);
        double *v = rr_xmalloc(m->nmonths * sizeof *v);
        for (size_t cc = 0; cc < m->nchannels; cc++) {
            int any = 0;
            for (size_t i = 0; i < m->nmonths; i++) {
                v[i] = rr_money_to_double(m->spend_mc[i * m->nchannels + cc]);
                any |= v[i] != 0;
            }
            if (any) rr_chart_add_series(ch, rr_dict_name(&d->channels, (int32_t)cc), RR_SERIES_BAR, v, m->nmonths);
        }
        rr_chart_set_unit(ch, RR_UNIT_MONEY, d->base_currency);
        rr_doc_chart(s, ch, T("caption.spend_by_month"));
        free(v);
        for (size_t i = 0; i < m->nmonths; i++) free(labels[i]);
        free(labels);
    }
}

static void attribution_section(const rr_build_ctx *c, rr_doc *doc, const rr_attrrep *a)
{
    const rr_data *d = c->data;
    int has_spend = d->files[RR_IN_SPEND].present, has_leads = d->files[RR_IN_LEADS].present;
    const rr_attrrep_scope *s0 = &a->scope[0];
    rr_attr_model dm = a->o.model;
    const char *mt = model_title(c, dm);
    rr_doc_section *s = rr_doc_section_add(doc, "attribution", T("attr.section"));
    char pname[NB], lb[16], hl[NB], ord[16];
    scope_name(c, a, 0, pname, sizeof pname);
    snprintf(lb, sizeof lb, "%d", c->lookback_days);
    rr_fmt_number(c->fmt, a->o.params.half_life_days, 0, hl, sizeof hl);
    snprintf(ord, sizeof ord, "%d", a->o.params.markov_order);
    char *wt = model_weights(c, a);
    char *intro = rr_i18n_subst(T("attr.intro"), "period", pname, "model", mt, "weights", wt, "lookback", lb,
                                "halflife", hl, "order", ord, NULL);
    rr_doc_para(s, intro);
    free(intro); free(wt);

    /* channels ranked by the default model's revenue (linear when undefined) */
    rank_t *rk = rr_xmalloc((a->nch + 1) * sizeof *rk);
    size_t n = 0;
    for (size_t ch = 0; ch < a->nch; ch++) {
        double r = rr_attrrep_get(s0, dm, RR_ATTRREP_REVENUE, ch), l = rr_attrrep_get(s0, RR_ATTR_LINEAR, 0, ch);
        if (l == 0 && s0->tot[RR_ATTR_LINEAR]->open.ch_count[ch] == 0) continue;
        rk[n++] = (rank_t){ch, isfinite(r) ? r : l};
    }
    qsort(rk, n, sizeof *rk, rank_cmp);

    /* grouped bars: the 8 biggest channels x the most telling models */
    rr_attr_model pick[6];
    size_t np = 0;
    pick[np++] = RR_ATTR_FIRST;
    pick[np++] = RR_ATTR_LAST;
    pick[np++] = RR_ATTR_LINEAR;
    if (dm != RR_ATTR_FIRST && dm != RR_ATTR_LAST && dm != RR_ATTR_LINEAR && !is_path_model(dm)) pick[np++] = dm;
    else pick[np++] = RR_ATTR_W_SHAPED;
    if (s0->mk_ok) pick[np++] = RR_ATTR_MARKOV;
    if (s0->sh_ok) pick[np++] = RR_ATTR_SHAPLEY;
    size_t nc = n < 8 ? n : 8;
    if (nc) {
        const char **names = rr_xmalloc(nc * sizeof *names);
        double *v = rr_xmalloc(nc * sizeof *v);
        for (size_t i = 0; i < nc; i++) names[i] = rr_dict_name(&d->channels, (int32_t)rk[i].i);
        rr_chart *ch = rr_chart_new(RR_CHART_BAR, T("attr.chart.models"));
        rr_chart_set_categories(ch, nc, names);
        for (size_t q = 0; q < np; q++) {
            for (size_t i = 0; i < nc; i++) v[i] = rr_attrrep_get(s0, pick[q], RR_ATTRREP_REVENUE, rk[i].i);
            /* no accent: six models side by side need six distinguishable colours */
            rr_chart_add_series(ch, model_title(c, pick[q]), RR_SERIES_BAR, v, nc);
        }
        rr_chart_set_unit(ch, RR_UNIT_MONEY, d->base_currency);
        char *cap = rr_i18n_subst(T("attr.caption.models"), "period", pname, NULL);
        rr_doc_chart(s, ch, cap);
        free(cap); free(names); free(v);
    }

    /* the full comparison: channels x models, in two tables of six models
     * (position-based, then the rest): thirteen columns do not fit a page at
     * a readable size in every language */
    for (int part = 0; part < 2; part++) {
        enum { HALF = RR_ATTR_N_MODELS / 2 };
        const int m0 = part * HALF, m1 = part ? RR_ATTR_N_MODELS : HALF;
        const char *hdr[1 + HALF + 1];
        hdr[0] = T("col.channel");
        for (int mo = m0; mo < m1; mo++) hdr[1 + mo - m0] = model_title(c, (rr_attr_model)mo);
        char *cap = rr_i18n_subst(T(part ? "attr.table.models_2" : "attr.table.models_1"), "period", pname, NULL);
        rr_table *t = rr_doc_table(s, cap, (size_t)(1 + m1 - m0), hdr, NULL);
        free(cap);
        char cell[RR_ATTR_N_MODELS][NB];
        const char *row[1 + RR_ATTR_N_MODELS];
        double tot[RR_ATTR_N_MODELS] = {0};
        for (size_t i = 0; i < n; i++) {
            row[0] = rr_dict_name(&d->channels, (int32_t)rk[i].i);
            for (int mo = m0; mo < m1; mo++) {
                double v = rr_attrrep_get(s0, (rr_attr_model)mo, RR_ATTRREP_REVENUE, rk[i].i);
                if (isfinite(v)) { rr_fmt_money_compact(c->fmt, v, cell[mo], NB); tot[mo] += v; }
                else snprintf(cell[mo], NB, "%s", DASH);
                row[1 + mo - m0] = cell[mo];
            }
            rr_table_row(t, RR_ROW_NORMAL, row);
        }
        row[0] = T("col.total");
        for (int mo = m0; mo < m1; mo++) {
            int ok = mo == RR_ATTR_MARKOV ? s0->mk_ok : mo == RR_ATTR_SHAPLEY ? s0->sh_ok : 1;
            if (ok) rr_fmt_money_compact(c->fmt, tot[mo], cell[mo], NB);
            else snprintf(cell[mo], NB, "%s", DASH);
            row[1 + mo - m0] = cell[mo];
        }
        rr_table_row(t, RR_ROW_TOTAL, row);
    }
    rr_doc_note(s, T("note.rounding"));
    /* notes: models that could not be computed */
    {
        const char *w[2];
        char *own[2] = {NULL, NULL};
        size_t nw = 0;
        if (!s0->mk_ok) {
            char *why = why_text(c, &s0->mk_why, s0->mk_msg);
            own[nw] = rr_i18n_subst(T("attr.markov_undefined"), "why", why, NULL);
            free(why);
            w[nw] = own[nw]; nw++;
        }
        if (!s0->sh_ok) {
            char *why = why_text(c, &s0->sh_why, s0->sh_msg);
            own[nw] = rr_i18n_subst(T("attr.shapley_undefined"), "why", why, NULL);
            free(why);
            w[nw] = own[nw]; nw++;
        }
        if (nw) rr_doc_list(s, RR_BLOCK_WARN, nw, w);
        free(own[0]); free(own[1]);
    }
    free(rk);

    /* campaigns: top 15 by the default model's revenue (Markov and Shapley over campaign
     * states; linear, said in the caption, where the default is undefined per campaign) */
    {
        rr_attr_model cm = campaign_model(a, 0);
        const char *cmt = model_title(c, cm);
#define CPV(what, cp) rr_attrrep_get_campaign(a, 0, cm, (what), (cp))
        rank_t *cr = rr_xmalloc((a->ncp + 1) * sizeof *cr);
        size_t ncr = 0;
        for (size_t cp = 0; cp < a->ncp; cp++) {
            if (CPV(RR_ATTRREP_REVENUE, cp) == 0 && CPV(RR_ATTRREP_PIPELINE, cp) == 0 && s0->spend_cp[cp] == 0) continue;
            cr[ncr++] = (rank_t){cp, CPV(RR_ATTRREP_REVENUE, cp) + 1e-9 * CPV(RR_ATTRREP_PIPELINE, cp)};
        }
        qsort(cr, ncr, sizeof *cr, rank_cmp);
        if (ncr) {
            char h_rev[128], h_pipe[128];
            char *t1 = rr_i18n_subst(T("attr.col.revenue_model"), "model", cmt, NULL);
            char *t2 = rr_i18n_subst(T("attr.col.pipeline_model"), "model", cmt, NULL);
            snprintf(h_rev, sizeof h_rev, "%s", t1);
            snprintf(h_pipe, sizeof h_pipe, "%s", t2);
            free(t1); free(t2);
            const char *hdr[] = {T("attr.col.campaign"), T("col.channel"), T("col.spend"), h_rev, h_pipe,
                                 T("col.roi"), T("col.roas"), T("attr.col.cpl"), T("attr.col.cpo")};
            size_t ncol = has_spend ? (has_leads ? 9 : 7) : 5;
            const char *hdr_ns[] = {hdr[0], hdr[1], hdr[3], hdr[4], hdr[8]};
            char *cap;
            if (cm == dm)
                cap = rr_i18n_subst(T("attr.table.campaigns"), "model", cmt, "period", pname, NULL);
            else {
                char *why = dm == RR_ATTR_MARKOV ? why_text(c, &s0->mk_cp_why, s0->mk_cp_msg)
                                                 : why_text(c, &s0->sh_cp_why, s0->sh_cp_msg);
                cap = rr_i18n_subst(T("attr.table.campaigns_fallback"), "model", cmt, "period", pname,
                                    "wanted", model_title(c, dm), "why", why, NULL);
                free(why);
            }
            /* campaign and channel are text: the channel wraps, and leaves room for the name */
            static const rr_align al[] = {RR_ALIGN_LEFT, RR_ALIGN_LEFT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT,
                                          RR_ALIGN_RIGHT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT};
            rr_table *t = rr_doc_table(s, cap, ncol, has_spend ? hdr : hdr_ns, al);
            free(cap);
            size_t lim = ncr < 15 ? ncr : 15;
            for (size_t i = 0; i < lim; i++) {
                size_t cp = cr[i].i;
                char sp[NB], rev[NB], pipe[NB], roi[NB], roas[NB], cpl[NB], cpo[NB];
                double spd = s0->spend_cp[cp], r = CPV(RR_ATTRREP_REVENUE, cp);
                rr_fmt_money_d(c->fmt, spd, 0, sp, sizeof sp);
                rr_fmt_money_d(c->fmt, r, 0, rev, sizeof rev);
                rr_fmt_money_d(c->fmt, CPV(RR_ATTRREP_PIPELINE, cp), 0, pipe, sizeof pipe);
                fmt_ratio_or_dash(c, ratio_or_nan(r - spd, spd), roi, sizeof roi);
                fmt_ratio_or_dash(c, ratio_or_nan(r, spd), roas, sizeof roas);
                fmt_money_or_dash(c, spd ? ratio_or_nan(spd, (double)s0->leads_cp[cp]) : NAN, cpl, sizeof cpl);
                fmt_money_or_dash(c, spd ? ratio_or_nan(spd, (double)s0->opps_cp[cp]) : NAN, cpo, sizeof cpo);
                int32_t chn = (size_t)cp < d->ncampaign_meta ? d->campaign_channel[cp] : -1;
                const char *chname = chn >= 0 ? rr_dict_name(&d->channels, chn) : DASH;
                const char *row[] = {rr_data_campaign_name(d, (int32_t)cp), chname, sp, rev, pipe, roi, roas, cpl, cpo};
                const char *row_ns[] = {row[0], row[1], rev, pipe, DASH};
                rr_table_row(t, RR_ROW_NORMAL, has_spend ? row : row_ns);
            }
        }
        free(cr);
#undef CPV
    }

    /* sourced vs influenced, by scope */
    {
        const char *def = T(a->o.sourced_by == RR_SOURCED_LEAD_SOURCE ? "attr.sourced.lead_source"
                                                                        : "attr.sourced.first_touch");
        rr_doc_para(s, def);
        char *wc = rr_i18n_subst(T("attr.col.won_covered"), "types", rr_attrrep_types_text(c, a), NULL);
        const char *hdr[] = {T("attr.col.scope"), wc, T("attr.col.influenced"),
                             T("attr.col.sourced"), T("attr.col.sales_sourced"), T("attr.col.no_touch"),
                             T("attr.col.influenced_share")};
        rr_table *t = rr_doc_table(s, T("attr.table.sourced"), 7, hdr, NULL);
        free(wc);
        for (size_t k = 0; k < a->nscope; k++) {
            const rr_attrrep_scope *sk = &a->scope[k];
            char sn[NB], w[NB], inf[NB], src[NB], ss[NB], nt[NB], sh[NB];
            scope_name(c, a, k, sn, sizeof sn);
            rr_fmt_money_d(c->fmt, sk->won, 0, w, sizeof w);
            rr_fmt_money_d(c->fmt, sk->influenced, 0, inf, sizeof inf);
            rr_fmt_money_d(c->fmt, sk->sourced, 0, src, sizeof src);
            rr_fmt_money_d(c->fmt, sk->sales_sourced, 0, ss, sizeof ss);
            rr_fmt_money_d(c->fmt, sk->no_touch, 0, nt, sizeof nt);
            if (sk->won != 0) rr_fmt_pct(c->fmt, sk->influenced / sk->won, 1, sh, sizeof sh);
            else snprintf(sh, sizeof sh, "%s", DASH);
            const char *row[] = {sn, w, inf, src, ss, nt, sh};
            rr_table_row(t, k == 0 ? RR_ROW_TOTAL : RR_ROW_NORMAL, row);
        }
    }

    /* paths.csv */
    if (a->file_paths) {
        if (a->file_paths_status != RR_OK) {
            char *msg = rr_i18n_subst(T("attr.paths_error"), "why", a->file_paths_msg, NULL);
            const char *w[] = {msg};
            rr_doc_list(s, RR_BLOCK_WARN, 1, w);
            free(msg);
        } else {
            rr_doc_para(s, T("attr.paths_intro"));
            const char *hdr[] = {T("col.channel"), model_title(c, RR_ATTR_FIRST), model_title(c, RR_ATTR_LAST),
                                 model_title(c, RR_ATTR_LINEAR), model_title(c, RR_ATTR_MARKOV),
                                 model_title(c, RR_ATTR_SHAPLEY)};
            rr_table *t = rr_doc_table(s, T("attr.table.paths"), 6, hdr, NULL);
            size_t nch = rr_paths_n_channels(a->file_paths);
            for (size_t ch = 0; ch < nch; ch++) {
                const char *name = rr_paths_name(a->file_paths, (int)ch);
                if (!name) continue;
                char v[5][NB];
                double x[5] = {a->fp_first[0][ch], a->fp_last[0][ch], a->fp_linear[0][ch],
                               a->fp_markov_ok ? a->fp_markov[0][ch] : NAN,
                               a->fp_shapley_ok ? a->fp_shapley[0][ch] : NAN};
                for (int q = 0; q < 5; q++) {
                    if (isfinite(x[q])) rr_fmt_number(c->fmt, x[q], 1, v[q], NB);
                    else snprintf(v[q], NB, "%s", DASH);
                }
                const char *row[] = {name, v[0], v[1], v[2], v[3], v[4]};
                rr_table_row(t, RR_ROW_NORMAL, row);
            }
        }
    }
}

rr_attrrep *rr_attrrep_compute_ctx(const rr_build_ctx *c)
{
    rr_attrrep_opts o;
    rr_attrrep_opts_from_config(c->cfg, c->lookback_days, &o);
    return rr_attrrep_compute(c->data, c->m, c->period, &o);
}

void rr_attrrep_sections_from(const rr_build_ctx *c, rr_doc *doc, rr_attrrep *a)
{
    rr_attrrep_figures(a, c->figs);
    roi_section(c, doc, a);
    if (c->data->files[RR_IN_TOUCH].present) attribution_section(c, doc, a);
    rr_attrrep_free(a);
}

void rr_attrrep_sections(const rr_build_ctx *c, rr_doc *doc)
{
    rr_attrrep_sections_from(c, doc, rr_attrrep_compute_ctx(c));
}
