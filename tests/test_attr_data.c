/* test_attr_data.c: revreport's attribution against ChannelAttribution 2.2.4 on
 * its PathData set (read in place from $SHARED_DATA, never copied: GPL data):
 * heuristic models and first-order transition matrices to printed precision,
 * exact Markov conversions within 0.5% of the 1e8-simulation reference
 * (channels with more than 100 conversions), value within 0.5% or, where the
 * reference's own Monte-Carlo noise is larger, within 4 of its standard
 * deviations (measured here by an independent simulation of the same
 * estimator, whose mean our exact figures must equal), and the exact
 * absorbing-chain helper file to 1e-9.
 *
 *   SHARED_DATA=/work/shared/data ./tests/test_attr_data     (TAP; skips without data)
 */
#include <math.h>
#include <stdint.h>
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

/* ---------------------------------------------------------------------------
 * ChannelAttribution's estimator, re-implemented here from its published
 * description (not from its code), to measure its Monte-Carlo noise: walks
 * start at (start) and follow the first-order chain of collapsed paths until
 * (conversion) or (null), at most max-path-length + 1 steps; every channel a
 * converting walk visited gets 1 conversion and the walk's value, drawn from
 * the conversion values (per conversion, weighted by conversions) of paths
 * ending in the walk's last channel; credit = share of those sums x totals.
 * Its expectation is our exact absorbing-chain figure; the reference files are
 * one fold of 1e7 walks (nsim 1e8 over 10 folds), so small channels' value
 * carries about 1% noise (the conversions less: one draw per walk fewer).
 * ------------------------------------------------------------------------- */
#define SIM_MAXC 16
typedef struct {
    int nch, maxlen;
    double cum[SIM_MAXC + 3][SIM_MAXC + 3];  /* cumulative transition probabilities */
    double *vcum[SIM_MAXC + 3], *vval[SIM_MAXC + 3];
    size_t nv[SIM_MAXC + 3];
    double tot_conv, tot_value;
} sim_chain;

static uint64_t sim_s[4];
static uint64_t sim_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t sim_next(void) /* xoshiro256** */
{
    uint64_t r = sim_rotl(sim_s[1] * 5, 7) * 9, t = sim_s[1] << 17;
    sim_s[2] ^= sim_s[0];
    sim_s[3] ^= sim_s[1];
    sim_s[1] ^= sim_s[2];
    sim_s[0] ^= sim_s[3];
    sim_s[2] ^= t;
    sim_s[3] = sim_rotl(sim_s[3], 45);
    return r;
}
static double sim_unif(void) { return (double)(sim_next() >> 11) * 0x1.0p-53; }
static void sim_seed(uint64_t seed)
{
    for (int i = 0; i < 4; i++) { /* splitmix64 */
        uint64_t z = (seed += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        sim_s[i] = z ^ (z >> 31);
    }
}

/* states: 0 start, 1..nch channels (id + 1), nch+1 conversion, nch+2 null */
static int sim_build(const rr_paths *ps, int with_null, sim_chain *c)
{
    memset(c, 0, sizeof *c);
    c->nch = (int)rr_paths_n_channels(ps);
    if (c->nch > SIM_MAXC) return 0;
    int S = c->nch + 3, CONV = c->nch + 1, NUL = c->nch + 2;
    double cnt[SIM_MAXC + 3][SIM_MAXC + 3] = {{0}};
    for (size_t i = 0; i < rr_paths_count(ps); i++) {
        const rr_path *p = rr_paths_get(ps, i);
        double nulls = with_null ? p->nulls : 0, all = p->conv + nulls;
        c->tot_conv += p->conv;
        c->tot_value += p->value;
        if (!(all > 0)) continue;
        int prev = 0, len = 0;
        for (size_t j = 0; j < p->len; j++) {
            int s = p->seq[j] + 1;
            if (s == prev) continue;
            cnt[prev][s] += all;
            prev = s;
            len++;
        }
        if (len > c->maxlen) c->maxlen = len;
        cnt[prev][NUL] += nulls;
        if (p->conv > 0) {
            cnt[prev][CONV] += p->conv;
            c->vval[prev] = realloc(c->vval[prev], (c->nv[prev] + 1) * sizeof(double));
            c->vcum[prev] = realloc(c->vcum[prev], (c->nv[prev] + 1) * sizeof(double));
            c->vval[prev][c->nv[prev]] = p->value / p->conv;
            c->vcum[prev][c->nv[prev]] = (c->nv[prev] ? c->vcum[prev][c->nv[prev] - 1] : 0) + p->conv;
            c->nv[prev]++;
        }
    }
    for (int s = 0; s < S; s++) {
        double t = 0;
        for (int k = 0; k < S; k++) c->cum[s][k] = t += cnt[s][k];
        for (int k = 0; k < S; k++) c->cum[s][k] = t > 0 ? c->cum[s][k] / t : 0;
        for (size_t k = 0; k < c->nv[s]; k++) c->vcum[s][k] /= c->vcum[s][c->nv[s] - 1];
    }
    return 1;
}

static void sim_free(sim_chain *c)
{
    for (int s = 0; s < SIM_MAXC + 3; s++) {
        free(c->vcum[s]);
        free(c->vval[s]);
    }
}

/* nfold folds of nwalk walks; per channel the mean and standard deviation
 * over folds of the conversion credit and of the value credit */
static void sim_run(const sim_chain *c, long nwalk, int nfold, double *cm, double *csd, double *vm,
                    double *vsd)
{
    int n = c->nch, CONV = n + 1, NUL = n + 2;
    double fc[64][SIM_MAXC], fv[64][SIM_MAXC];
    for (int f = 0; f < nfold; f++) {
        double T[SIM_MAXC + 3] = {0}, V[SIM_MAXC + 3] = {0}, st = 0, sv = 0;
        sim_seed(1000 + (uint64_t)f);
        for (long w = 0; w < nwalk; w++) {
            int s = 0, last = 0, steps = 0;
            unsigned vis = 0;
            while (steps <= c->maxlen) {
                double u = sim_unif();
                int k = 0;
                while (k < NUL && c->cum[s][k] < u) k++;
                s = k;
                if (s == CONV || s == NUL) break;
                vis |= 1u << s;
                last = s;
                steps++;
            }
            if (s != CONV || !c->nv[last]) continue;
            double u = sim_unif();
            size_t k = 0;
            while (k + 1 < c->nv[last] && c->vcum[last][k] < u) k++;
            double v = c->vval[last][k];
            for (int ch = 1; ch <= n; ch++)
                if (vis >> ch & 1) {
                    T[ch] += 1;
                    V[ch] += v;
                }
        }
        for (int ch = 1; ch <= n; ch++) {
            st += T[ch];
            sv += V[ch];
        }
        for (int ch = 1; ch <= n; ch++) {
            fc[f][ch - 1] = st > 0 ? T[ch] / st * c->tot_conv : 0;
            fv[f][ch - 1] = sv > 0 ? V[ch] / sv * c->tot_value : 0;
        }
    }
    for (int ch = 0; ch < n; ch++) {
        double a = 0, b = 0, qa = 0, qb = 0;
        for (int f = 0; f < nfold; f++) {
            a += fc[f][ch];
            b += fv[f][ch];
        }
        a /= nfold;
        b /= nfold;
        for (int f = 0; f < nfold; f++) {
            qa += (fc[f][ch] - a) * (fc[f][ch] - a);
            qb += (fv[f][ch] - b) * (fv[f][ch] - b);
        }
        cm[ch] = a;
        vm[ch] = b;
        csd[ch] = sqrt(qa / (nfold - 1));
        vsd[ch] = sqrt(qb / (nfold - 1));
    }
}

/* walks per fold and folds of the noise estimate; the reference's fold size */
#define SIM_WALKS 500000L
#define SIM_FOLDS 16
#define REF_WALKS 1e7

typedef struct {
    double cm[SIM_MAXC], csd[SIM_MAXC], vm[SIM_MAXC], vsd[SIM_MAXC];
} sim_noise;

/* our exact Markov credits against the simulation's mean (same estimator,
 * independent code): within 4 standard errors on every channel with > 100
 * conversions; then fills the noise of a reference-size fold */
static void sim_check(const rr_paths *ps, int with_null, const rr_attr_markov_result *r, sim_noise *nz)
{
    sim_chain c;
    const char *tag = with_null ? "with null" : "no null";
    if (!sim_build(ps, with_null, &c)) {
        rr_tap_ok(0, "simulation (%s): too many channels", tag);
        return;
    }
    sim_run(&c, SIM_WALKS, SIM_FOLDS, nz->cm, nz->csd, nz->vm, nz->vsd);
    int badc = 0, badv = 0;
    double worst = 0;
    for (int ch = 0; ch < c.nch; ch++) {
        if (r->conv[ch] <= 100) continue;
        double sec = nz->csd[ch] / sqrt(SIM_FOLDS), sev = nz->vsd[ch] / sqrt(SIM_FOLDS);
        double zc = fabs(r->conv[ch] - nz->cm[ch]) / sec, zv = fabs(r->value[ch] - nz->vm[ch]) / sev;
        badc += zc > 4;
        badv += zv > 4;
        if (zc > worst) worst = zc;
        if (zv > worst) worst = zv;
        if (zc > 4 || zv > 4)
            rr_tap_diag("%s: exact conv %.2f value %.2f, simulated %.2f +- %.2f, %.2f +- %.2f",
                        rr_paths_name(ps, ch), r->conv[ch], r->value[ch], nz->cm[ch], sec, nz->vm[ch], sev);
    }
    rr_tap_ok(badc == 0 && badv == 0, "markov %s: exact conversions and value = mean of %d x %ld simulated "
              "walks within 4 standard errors on every channel with > 100 conversions (worst %.1f)",
              tag, SIM_FOLDS, SIM_WALKS, worst);
    /* standard deviation of one fold of REF_WALKS walks */
    for (int ch = 0; ch < c.nch; ch++) {
        nz->csd[ch] *= sqrt(SIM_WALKS / REF_WALKS);
        nz->vsd[ch] *= sqrt(SIM_WALKS / REF_WALKS);
    }
    sim_free(&c);
}

/* a figure against the 1e8-simulation reference: within 0.5%, or, where one
 * fold's own Monte-Carlo noise is larger, within 4 of its standard deviations
 * (48 comparisons: a 4-sigma band keeps the chance of a false alarm < 0.5%) */
static void ref_check(double got, double want, double sd, const char *what)
{
    double d = fabs(got - want), tol = fmax(0.005 * fabs(want), 4 * sd);
    rr_tap_ok(d <= tol, "%s (off %.2f%%, reference noise sd %.2f%%)", what, 100 * d / fabs(want),
              100 * sd / fabs(want));
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
        sim_noise nz;
        sim_check(ps, 1, &r, &nz);
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
                ref_check(r.value[id], t.v[i][2], nz.vsd[id], what);
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
        sim_noise nz;
        sim_check(pn, 0, &r, &nz);
        for (int i = 0; i < t.n; i++) {
            int id = rr_paths_lookup(ps, t.name[i][0]);
            char what[160];
            if (t.v[i][1] <= 100) continue;
            snprintf(what, sizeof what, "markov no null vs 1e8 simulation: %s conversions %.2f vs %.2f",
                     t.name[i][0], r.conv[id], t.v[i][1]);
            rr_tap_rel(r.conv[id], t.v[i][1], 0.005, what);
            snprintf(what, sizeof what, "markov no null vs 1e8 simulation: %s value %.2f vs %.2f",
                     t.name[i][0], r.value[id], t.v[i][2]);
            ref_check(r.value[id], t.v[i][2], nz.vsd[id], what);
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
