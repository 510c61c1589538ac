/* attr_markov.c: exact Markov-chain removal effects (first or k-th order) over
 * aggregated paths: an absorbing chain START -> states -> {CONV, NULL}, solved
 * as a linear system, never by simulation.  Up to DENSE_CAP states all the
 * removal effects come from one LU factorisation of I - Q (Woodbury identity,
 * see removal_dense); above it, or when the chain is large and has few
 * channels so that iterating is cheaper, one Gauss-Seidel solve (to machine
 * precision) per channel that occurs in some state.
 *
 *   rr_attr_markov_result res;
 *   rr_error err;
 *   if (rr_attr_markov(paths, 1, &res, &err) == RR_OK) {
 *       ... res.conv[c], res.value[c], res.re_conv[c] ...
 *       rr_attr_markov_result_free(&res);
 *   }
 *
 * RR_MARKOV_NAIVE=1 in the environment (read at each call; for the tests and
 * tools/bench_markov) computes every removal effect by its own full solve, as
 * before the factorisation: dense elimination up to DENSE_MAX states,
 * Gauss-Seidel above.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/attr.h"
#include "revreport/xalloc.h"

#define TO_CONV (-1)
#define TO_NULL (-2)
#define DENSE_MAX 400        /* solve(): dense elimination up to here, Gauss-Seidel above */
#define GS_MAX_IT 1000000L
/* One factorisation for all the removal effects up to DENSE_CAP states: the
 * n x n matrix takes n^2 doubles (18 MB at 1500) and about 4/3 n^3 flops
 * (LU + two triangular inverses, measured on one core at -O2: 0.42 s at 1600
 * states, 2.6 s at 3000: too long for a step of a report run three times,
 * hence the cap at 1500); above it, per-channel Gauss-Seidel for at most
 * RR_ATTR_MARKOV_MAX_REMOVALS channels (high orders over few channels), else
 * RR_ERR_LIMIT. */
#define DENSE_CAP RR_ATTR_MARKOV_DENSE_STATES
#define NB 64                /* LU panel width; rows per block of the triangular inverses */
#define JT 256               /* column tile of the block updates (doubles) */
#define PB 128               /* rows of b per chunk of the block updates */
/* a Gauss-Seidel sweep's 4 flops per edge + 6 per state take about as long as
 * this many times as many flops of the blocked dense kernels (measured: 0.19 ns
 * vs 0.12-0.13 ns; indexed loads, no vectorisation) */
#define GS_FLOP_WEIGHT 1.5

typedef struct {
    int from, to;
    double w;
} edge;

typedef struct {
    int order;
    int *keys;            /* [n_states * order] tuples, padded with -1; state 0 = START */
    size_t n_states, cap;
    size_t *slots;        /* open addressing over state ids */
    size_t nslots;
} state_map;

static uint64_t hash_key(const int *k, int order)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < order; i++) {
        h ^= (uint64_t)(uint32_t)k[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    }
    return h * 0xff51afd7ed558ccdull;
}

static void sm_rehash(state_map *m, size_t ns)
{
    free(m->slots);
    m->slots = rr_xmalloc(ns * sizeof *m->slots);
    for (size_t i = 0; i < ns; i++) m->slots[i] = SIZE_MAX;
    m->nslots = ns;
    for (size_t s = 1; s < m->n_states; s++) {
        size_t h = (size_t)hash_key(m->keys + s * (size_t)m->order, m->order) & (ns - 1);
        while (m->slots[h] != SIZE_MAX) h = (h + 1) & (ns - 1);
        m->slots[h] = s;
    }
}

static size_t sm_intern(state_map *m, const int *key)
{
    size_t o = (size_t)m->order, h = (size_t)hash_key(key, m->order) & (m->nslots - 1);
    while (m->slots[h] != SIZE_MAX) {
        if (memcmp(m->keys + m->slots[h] * o, key, o * sizeof *key) == 0) return m->slots[h];
        h = (h + 1) & (m->nslots - 1);
    }
    m->keys = rr_xgrow(m->keys, &m->cap, (m->n_states + 1) * o, sizeof *m->keys);
    memcpy(m->keys + m->n_states * o, key, o * sizeof *key);
    m->slots[h] = m->n_states;
    size_t id = m->n_states++;
    if (m->n_states * 2 > m->nslots) sm_rehash(m, m->nslots * 2);
    return id;
}

/* distinct (from, to) edges with summed weights, in an open-addressing table */
typedef struct {
    edge *e;
    size_t n, nslots;
} edge_set;

static size_t edge_hash(int from, int to)
{
    uint64_t h = ((uint64_t)(uint32_t)from << 32 | (uint32_t)to) * 0x9e3779b97f4a7c15ull;
    return (size_t)(h ^ (h >> 31));
}

static void edge_add(edge_set *s, int from, int to, double w)
{
    if ((s->n + 1) * 2 > s->nslots) {
        size_t ns = s->nslots ? s->nslots * 2 : 4096;
        edge *ne = rr_xmalloc(ns * sizeof *ne);
        for (size_t i = 0; i < ns; i++) ne[i].from = -1;
        for (size_t i = 0; i < s->nslots; i++) {
            if (s->e[i].from < 0) continue;
            size_t h = edge_hash(s->e[i].from, s->e[i].to) & (ns - 1);
            while (ne[h].from >= 0) h = (h + 1) & (ns - 1);
            ne[h] = s->e[i];
        }
        free(s->e);
        s->e = ne;
        s->nslots = ns;
    }
    size_t h = edge_hash(from, to) & (s->nslots - 1);
    while (s->e[h].from >= 0) {
        if (s->e[h].from == from && s->e[h].to == to) {
            s->e[h].w += w;
            return;
        }
        h = (h + 1) & (s->nslots - 1);
    }
    s->e[h] = (edge){from, to, w};
    s->n++;
}

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    return 0;
}

/* The states of path p in order, as tuples of `order` channel ids padded with
 * -1, into keys[0 .. n * order); returns n.  buf: scratch of p->len ints.
 * - RR_ATTR_MARKOV_RAW (ChannelAttribution's markov_model): the windows of
 *   `order` consecutive touches of the path as given, sliding by one touch
 *   (a path shorter than the order is one state of all its touches), then
 *   runs of equal consecutive states are made one: B>A>A>C of order 2 is
 *   (B,A) (A,A) (A,C); A>A>A of order 2 is (A,A).
 * - RR_ATTR_MARKOV_COLLAPSED: consecutive repeated channels are made one
 *   first, then state i is the last `order` channels up to the i-th (shorter
 *   tuples at the start): B>A>A>C of order 2 is (B) (B,A) (A,C).
 * Order 1: both are the path with repeats collapsed. */
static size_t path_states(const rr_path *p, int order, rr_attr_markov_states how, int *buf, int *keys)
{
    size_t o = (size_t)order, n = 0;
    if (how == RR_ATTR_MARKOV_COLLAPSED) {
        size_t m = 0;
        for (size_t i = 0; i < p->len; i++)
            if (m == 0 || buf[m - 1] != p->seq[i]) buf[m++] = p->seq[i];
        for (size_t k = 0; k < m; k++) {
            size_t lo = k + 1 >= o ? k + 1 - o : 0;
            int *key = keys + n * o;
            for (size_t q = 0; q < o; q++) key[q] = -1;
            memcpy(key, buf + lo, (k + 1 - lo) * sizeof *key);
            n++;
        }
        return n;
    }
    size_t len = p->len, w = len < o ? len : o;
    if (len == 0) return 0;
    for (size_t lo = 0; lo + w <= len; lo++) {
        int *key = keys + n * o;
        for (size_t q = 0; q < o; q++) key[q] = -1;
        memcpy(key, p->seq + lo, w * sizeof *key);
        if (n > 0 && memcmp(key, key - o, o * sizeof *key) == 0) continue;   /* the same state again */
        n++;
    }
    return n;
}

/* The chain in CSR form: for transient state s, out-edges off[s]..off[s+1]
 * (to transient states, probabilities), r_conv[s] and r_value[s] the one-step
 * probability / value rate into CONV. */
typedef struct {
    size_t n;
    size_t *off;
    int *to;
    double *p;
    double *r_conv, *r_value;
    unsigned char *has;    /* [n * n_channels]: state s contains channel c */
    size_t n_channels;
} chain;

static void chain_free(chain *c)
{
    free(c->off);
    free(c->to);
    free(c->p);
    free(c->r_conv);
    free(c->r_value);
    free(c->has);
}

static rr_status build_chain(const rr_paths *ps, int order, rr_attr_markov_states how, chain *ch, rr_error *err)
{
    rr_status st = RR_OK;
    state_map sm = {0};
    edge *e = NULL;
    edge_set es = {0};
    size_t ne = 0, maxlen = 0;
    int *buf = NULL, *keys = NULL;
    double *out_w = NULL, *conv_w = NULL, *val_w = NULL;
    size_t np = rr_paths_count(ps);

    sm.order = order;
    sm.n_states = 1;                                  /* START */
    sm.keys = rr_xcalloc((size_t)order, sizeof *sm.keys);
    sm.cap = (size_t)order;
    for (int i = 0; i < order; i++) sm.keys[i] = -2;
    sm_rehash(&sm, 1024);
    for (size_t i = 0; i < np; i++)
        if (rr_paths_get(ps, i)->len > maxlen) maxlen = rr_paths_get(ps, i)->len;
    buf = rr_xmalloc((maxlen + 1) * sizeof *buf);
    keys = rr_xmalloc((maxlen + 1) * (size_t)order * sizeof *keys);
    /* conversion value per transition into CONV is stored as a separate edge list */
    for (size_t i = 0; i < np; i++) {
        const rr_path *p = rr_paths_get(ps, i);
        double w = p->conv + p->nulls;
        if (!(w > 0)) continue;
        size_t m = path_states(p, order, how, buf, keys);
        int prev = 0;
        for (size_t k = 0; k < m; k++) {
            size_t s = sm_intern(&sm, keys + k * (size_t)order);
            if (sm.n_states > RR_ATTR_MARKOV_MAX_STATES) {
                st = rr_error_set(err, RR_ERR_LIMIT, NULL, 0, 0, NULL,
                                  "Markov chain of order %d has more than %d states; "
                                  "use a lower order", order, RR_ATTR_MARKOV_MAX_STATES);
                goto out;
            }
            edge_add(&es, prev, (int)s, w);
            prev = (int)s;
        }
        if (p->conv > 0) edge_add(&es, prev, TO_CONV, p->conv);
        if (p->nulls > 0) edge_add(&es, prev, TO_NULL, p->nulls);
    }
    size_t n = sm.n_states;
    out_w = rr_xcalloc(n, sizeof *out_w);
    conv_w = rr_xcalloc(n, sizeof *conv_w);
    val_w = rr_xcalloc(n, sizeof *val_w);
    /* conversion value: second pass, value of conversions by last state */
    for (size_t i = 0; i < np; i++) {
        const rr_path *p = rr_paths_get(ps, i);
        if (!(p->conv + p->nulls > 0) || !(p->value != 0)) continue;
        size_t m = path_states(p, order, how, buf, keys);
        if (m == 0) continue;
        size_t s = sm_intern(&sm, keys + (m - 1) * (size_t)order);
        val_w[s] += p->value;
    }
    e = rr_xmalloc((es.n ? es.n : 1) * sizeof *e);
    for (size_t i = 0; i < es.nslots; i++)
        if (es.e[i].from >= 0) e[ne++] = es.e[i];
    qsort(e, ne, sizeof *e, cmp_edge);
    memset(ch, 0, sizeof *ch);
    ch->n = n;
    ch->n_channels = rr_paths_n_channels(ps);
    ch->off = rr_xcalloc(n + 1, sizeof *ch->off);
    ch->to = rr_xmalloc((ne ? ne : 1) * sizeof *ch->to);
    ch->p = rr_xmalloc((ne ? ne : 1) * sizeof *ch->p);
    ch->r_conv = rr_xcalloc(n, sizeof *ch->r_conv);
    ch->r_value = rr_xcalloc(n, sizeof *ch->r_value);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++) {
        out_w[e[i].from] += e[i].w;
        if (e[i].to == TO_CONV) conv_w[e[i].from] += e[i].w;
        if (e[i].to < 0) continue;
        if (k > 0 && ch->to[k - 1] == e[i].to && e[i - 1].from == e[i].from && e[i - 1].to >= 0) {
            ch->p[k - 1] += e[i].w;
        } else {
            ch->to[k] = e[i].to;
            ch->p[k] = e[i].w;
            k++;
        }
        ch->off[e[i].from + 1] = k;
    }
    for (size_t s = 1; s <= n; s++)
        if (ch->off[s] < ch->off[s - 1]) ch->off[s] = ch->off[s - 1];
    for (size_t s = 0; s < n; s++) {
        double tot = out_w[s];
        if (!(tot > 0)) continue;
        for (size_t q = ch->off[s]; q < ch->off[s + 1]; q++) ch->p[q] /= tot;
        ch->r_conv[s] = conv_w[s] / tot;
        ch->r_value[s] = val_w[s] / tot;
    }
    ch->has = rr_xcalloc(n * (ch->n_channels ? ch->n_channels : 1), 1);
    for (size_t s = 1; s < n; s++)
        for (int q = 0; q < order; q++) {
            int c = sm.keys[s * (size_t)order + (size_t)q];
            if (c >= 0) ch->has[s * ch->n_channels + (size_t)c] = 1;
        }
out:
    free(sm.keys);
    free(sm.slots);
    free(es.e);
    free(e);
    free(buf);
    free(keys);
    free(out_w);
    free(conv_w);
    free(val_w);
    return st;
}

/* Gauss-Seidel on x = r + Q x with x[s] = 0 for removed states, from x = 0,
 * until nothing changes (to 1e-15 relative) or max_it sweeps; Q is
 * substochastic and every state reaches an absorbing state, so it converges.
 * Returns the sweeps run (max_it when it did not converge). */
static long gauss_seidel(const chain *ch, const unsigned char *rm, double *p_conv, double *p_value,
                         long max_it)
{
    size_t n = ch->n;
    double *x = rr_xcalloc(n, sizeof *x), *y = rr_xcalloc(n, sizeof *y);
    long it;
    for (it = 0; it < max_it; it++) {
        double dmax = 0, xmax = 0;
        for (size_t s = n; s-- > 0;) {
            if (rm[s]) continue;
            double sx = ch->r_conv[s], sy = ch->r_value[s];
            for (size_t q = ch->off[s]; q < ch->off[s + 1]; q++) {
                sx += ch->p[q] * x[ch->to[q]];
                sy += ch->p[q] * y[ch->to[q]];
            }
            double d = fabs(sx - x[s]) + fabs(sy - y[s]) / (1.0 + fabs(sy));
            if (d > dmax) dmax = d;
            if (sx > xmax) xmax = sx;
            x[s] = sx;
            y[s] = sy;
        }
        if (dmax <= 1e-15 * (xmax > 1e-300 ? xmax : 1)) break;
    }
    *p_conv = x[0];
    *p_value = y[0];
    free(x);
    free(y);
    return it;
}

/* Solve the m x m system g z = rhs (two right-hand sides, rhs[2m]:
 * conversions then value) in place by partial pivoting; g is destroyed.
 * Returns 0 when g is singular or the result is not finite. */
static int small_solve(double *g, size_t m, double *rhs)
{
    for (size_t c = 0; c < m; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < m; r++)
            if (fabs(g[r * m + c]) > fabs(g[piv * m + c])) piv = r;
        if (!(fabs(g[piv * m + c]) > 0)) return 0;
        if (piv != c) {
            for (size_t k = c; k < m; k++) {
                double t = g[c * m + k];
                g[c * m + k] = g[piv * m + k];
                g[piv * m + k] = t;
            }
            for (int h = 0; h < 2; h++) {
                double t = rhs[h * m + c];
                rhs[h * m + c] = rhs[h * m + piv];
                rhs[h * m + piv] = t;
            }
        }
        for (size_t r = c + 1; r < m; r++) {
            double f = g[r * m + c] / g[c * m + c];
            if (f == 0) continue;
            for (size_t k = c + 1; k < m; k++) g[r * m + k] -= f * g[c * m + k];
            rhs[r] -= f * rhs[c];
            rhs[m + r] -= f * rhs[m + c];
        }
    }
    for (size_t c = m; c-- > 0;)
        for (int h = 0; h < 2; h++) {
            double v = rhs[h * m + c];
            for (size_t k = c + 1; k < m; k++) v -= g[c * m + k] * rhs[h * m + k];
            rhs[h * m + c] = v / g[c * m + c];
            if (!isfinite(rhs[h * m + c])) return 0;
        }
    return 1;
}

/* Solve x = r + Q x with x[s] = 0 for removed states (rm[s] != 0), for two
 * right-hand sides at once; returns x[START] for each.  One full solve: the
 * removal effects of rr_attr_markov use it per channel above DENSE_CAP states
 * (or when the iterations are cheaper than the factorisation), for a channel
 * whose N[R,R] is singular, and always under RR_MARKOV_NAIVE=1. */
static rr_status solve(const chain *ch, const unsigned char *rm, double *p_conv, double *p_value,
                       rr_error *err)
{
    size_t n = ch->n;
    if (n <= DENSE_MAX) {
        /* dense Gaussian elimination with partial pivoting on (I - Q) [x y] = [r rv] */
        double *g = rr_xcalloc(n * n, sizeof *g), *rhs = rr_xcalloc(2 * n, sizeof *rhs);
        for (size_t s = 0; s < n; s++) {
            double *row = g + s * n;
            row[s] = 1.0;
            if (rm[s]) continue;
            for (size_t q = ch->off[s]; q < ch->off[s + 1]; q++) row[ch->to[q]] -= ch->p[q];
            rhs[s] = ch->r_conv[s];
            rhs[n + s] = ch->r_value[s];
        }
        int ok = small_solve(g, n, rhs);
        *p_conv = rhs[0];
        *p_value = rhs[n];
        free(g);
        free(rhs);
        return ok ? RR_OK : rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL, "Markov chain: singular system");
    }
    if (gauss_seidel(ch, rm, p_conv, p_value, GS_MAX_IT) == GS_MAX_IT)
        return rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL,
                            "Markov chain: iterative solve did not converge");
    return RR_OK;
}

/* ---- all removal effects from one factorisation ----
 *
 * A = I - Q (n x n, START = state 0), N = A^-1, x = N r (both right-hand
 * sides).  Removing channel c makes the rows of R = {states containing c}
 * identity rows with r[R] = 0: A' = A + U V^T with U = E_R, V^T = E_R^T - A[R,:]
 * and I + V^T N U = N[R,R], so by Woodbury (the N[:,R] r[R] terms cancel)
 *
 *     x'[START] = x[START] - N[START,R] N[R,R]^-1 x[R]
 *
 * (N[START,R] N[R,R]^-1 is the distribution of the first state of R reached
 * from START; |R| = 1 gives x0 - N[0,s] x[s] / N[s,s]).  So the removal effect
 * is RE = N[0,R] (N[R,R]^-1 x[R]) / x[0], computed as that product, not as
 * 1 - x'/x.  N is needed on row 0 and on the blocks R x R only: with
 * P A = L U (partial pivoting), N = U^-1 L^-1 P, and
 * N[i,j] = sum_{k >= max(i,q)} Uinv[i,k] Linv[k,q], q = the row of L U that
 * holds A's row j.  Cost: LU 2/3 n^3 + the two triangular inverses 2/3 n^3
 * flops, blocked (a cache tile of the trailing matrix updated by NB rows at a
 * time), plus per channel |R|^2 n for its entries and 2/3 |R|^3 for N[R,R];
 * sum_c |R_c| <= order x n. */

/* c[j] -= f0 b0[j] + f1 b1[j] + f2 b2[j] + f3 b3[j], j < w (restrict
 * parameters: the pairs of j vectorise at -O2) */
static inline void upd1(double *restrict c, const double *restrict b0, const double *restrict b1,
                        const double *restrict b2, const double *restrict b3, const double *f,
                        size_t w)
{
    const double f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3];
    size_t j = 0;
    for (; j + 2 <= w; j += 2) {
        c[j] -= f0 * b0[j] + f1 * b1[j] + f2 * b2[j] + f3 * b3[j];
        c[j + 1] -= f0 * b0[j + 1] + f1 * b1[j + 1] + f2 * b2[j + 1] + f3 * b3[j + 1];
    }
    if (j < w) c[j] -= f0 * b0[j] + f1 * b1[j] + f2 * b2[j] + f3 * b3[j];
}

/* the same on two rows c0, c1 (coefficients f, g) sharing the loads of b */
static inline void upd2(double *restrict c0, double *restrict c1, const double *restrict b0,
                        const double *restrict b1, const double *restrict b2,
                        const double *restrict b3, const double *f, const double *g, size_t w)
{
    const double f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3];
    const double g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3];
    size_t j = 0;
    for (; j + 2 <= w; j += 2) {
        double x0 = b0[j], x1 = b1[j], x2 = b2[j], x3 = b3[j];
        double y0 = b0[j + 1], y1 = b1[j + 1], y2 = b2[j + 1], y3 = b3[j + 1];
        c0[j] -= f0 * x0 + f1 * x1 + f2 * x2 + f3 * x3;
        c0[j + 1] -= f0 * y0 + f1 * y1 + f2 * y2 + f3 * y3;
        c1[j] -= g0 * x0 + g1 * x1 + g2 * x2 + g3 * x3;
        c1[j + 1] -= g0 * y0 + g1 * y1 + g2 * y2 + g3 * y3;
    }
    if (j < w) {
        c0[j] -= f0 * b0[j] + f1 * b1[j] + f2 * b2[j] + f3 * b3[j];
        c1[j] -= g0 * b0[j] + g1 * b1[j] + g2 * b2[j] + g3 * b3[j];
    }
}

static inline int zero4(const double *f) { return f[0] == 0 && f[1] == 0 && f[2] == 0 && f[3] == 0; }

/* y[0..len) -= f x[0..len) */
static void axpy_sub(double *restrict y, const double *restrict x, double f, size_t len)
{
    size_t k = 0;
    for (; k + 4 <= len; k += 4) {
        y[k] -= f * x[k];
        y[k + 1] -= f * x[k + 1];
        y[k + 2] -= f * x[k + 2];
        y[k + 3] -= f * x[k + 3];
    }
    for (; k < len; k++) y[k] -= f * x[k];
}

/* c[i][j] -= sum_{p < kb} a[i][p] b[p][j], i < m, j < w (row-major, leading
 * dimensions ldc, lda, ldb): b in chunks of PB x JT (in L2), two rows of c and
 * four of b at a time (a row piece of c in L1); zero coefficients skipped (the
 * factors of a sparse chain keep many). */
static void block_sub(double *c, size_t ldc, const double *a, size_t lda, const double *b,
                      size_t ldb, size_t m, size_t w, size_t kb)
{
    for (size_t j0 = 0; j0 < w; j0 += JT) {
        size_t jw = w - j0 < JT ? w - j0 : JT;
        for (size_t p0 = 0; p0 < kb; p0 += PB) {
            size_t pe = kb - p0 < PB ? kb : p0 + PB, p4 = p0 + (pe - p0) / 4 * 4;
            for (size_t i = 0; i < m; i += 2) {
                double *c0 = c + i * ldc + j0, *c1 = c0 + ldc;
                const double *a0 = a + i * lda, *a1 = a0 + lda;
                int two = i + 1 < m;
                for (size_t p = p0; p < p4; p += 4) {
                    const double *b0 = b + p * ldb + j0;
                    int z0 = zero4(a0 + p), z1 = !two || zero4(a1 + p);
                    if (!z0 && !z1)
                        upd2(c0, c1, b0, b0 + ldb, b0 + 2 * ldb, b0 + 3 * ldb, a0 + p, a1 + p, jw);
                    else if (!z0)
                        upd1(c0, b0, b0 + ldb, b0 + 2 * ldb, b0 + 3 * ldb, a0 + p, jw);
                    else if (!z1)
                        upd1(c1, b0, b0 + ldb, b0 + 2 * ldb, b0 + 3 * ldb, a1 + p, jw);
                }
                for (size_t p = p4; p < pe; p++) {
                    if (a0[p] != 0) axpy_sub(c0, b + p * ldb + j0, a0[p], jw);
                    if (two && a1[p] != 0) axpy_sub(c1, b + p * ldb + j0, a1[p], jw);
                }
            }
        }
    }
}

/* P A = L U in place (row-major n x n, L unit lower below the diagonal, U on
 * and above), partial pivoting, panels of NB columns; perm[i] = the row of A
 * now at row i.  Returns 0, or 1 + the column of a zero pivot. */
static size_t lu_factor(double *a, size_t n, size_t *perm)
{
    for (size_t i = 0; i < n; i++) perm[i] = i;
    for (size_t k0 = 0; k0 < n; k0 += NB) {
        size_t k1 = n - k0 < NB ? n : k0 + NB;
        for (size_t c = k0; c < k1; c++) {
            size_t piv = c;
            double best = fabs(a[c * n + c]);
            for (size_t r = c + 1; r < n; r++)
                if (fabs(a[r * n + c]) > best) {
                    best = fabs(a[r * n + c]);
                    piv = r;
                }
            if (!(best > 0)) return c + 1;
            if (piv != c) {
                double *x = a + c * n, *y = a + piv * n;
                for (size_t k = 0; k < n; k++) {
                    double t = x[k];
                    x[k] = y[k];
                    y[k] = t;
                }
                size_t t = perm[c];
                perm[c] = perm[piv];
                perm[piv] = t;
            }
            const double *ac = a + c * n;
            for (size_t r = c + 1; r < n; r++) {
                double *ar = a + r * n;
                if (ar[c] == 0) continue;
                double f = ar[c] / ac[c];
                ar[c] = f;
                for (size_t k = c + 1; k < k1; k++) ar[k] -= f * ac[k];
            }
        }
        if (k1 == n) break;
        /* U12 = L11^-1 A12, then A22 -= L21 U12 */
        for (size_t p = k0 + 1; p < k1; p++)
            for (size_t q = k0; q < p; q++)
                if (a[p * n + q] != 0) axpy_sub(a + p * n + k1, a + q * n + k1, a[p * n + q], n - k1);
        block_sub(a + k1 * n + k1, n, a + k1 * n + k0, n, a + k0 * n + k1, n, n - k1, n - k1, k1 - k0);
    }
    return 0;
}

/* U (on and above the diagonal of a) -> U^-1 in place, NB rows at a time from
 * the bottom: row r of U^-1 is -(1/U[r][r]) sum_{l > r} U[r][l] U^-1[l][.].
 * t: NB x n scratch, s: n scratch. */
static void inv_upper(double *a, size_t n, double *t, double *s)
{
    for (size_t j1 = n; j1 > 0;) {
        size_t j0 = j1 > NB ? j1 - NB : 0, m = j1 - j0, w = n - j1;
        /* t[r][k - j1] = -sum_{j1 <= l <= k} U[j0 + r][l] U^-1[l][k], k >= j1 */
        memset(t, 0, m * (w ? w : 1) * sizeof *t);
        for (size_t k0 = j1; k0 < n; k0 += JT) {
            size_t k1 = n - k0 < JT ? n : k0 + JT;
            if (k0 > j1)
                block_sub(t + (k0 - j1), w, a + j0 * n + j1, n, a + j1 * n + k0, n, m, k1 - k0, k0 - j1);
            for (size_t r = 0; r < m; r++) {
                const double *ur = a + (j0 + r) * n;
                for (size_t l = k0; l < k1; l++)
                    if (ur[l] != 0) axpy_sub(t + r * w + (l - j1), a + l * n + l, ur[l], k1 - l);
            }
        }
        for (size_t r = j1; r-- > j0;) {
            double *ar = a + r * n;
            for (size_t k = r + 1; k < j1; k++) s[k] = 0;
            memcpy(s + j1, t + (r - j0) * w, w * sizeof *s);
            for (size_t l = r + 1; l < j1; l++)
                if (ar[l] != 0) axpy_sub(s + l, a + l * n + l, ar[l], n - l);
            double d = 1.0 / ar[r];
            ar[r] = d;
            for (size_t k = r + 1; k < n; k++) ar[k] = d * s[k];
        }
        j1 = j0;
    }
}

/* L (unit lower, strictly below the diagonal of a) -> L^-1 in place (its unit
 * diagonal implied), NB rows at a time from the top: for k < r,
 * L^-1[r][k] = -L[r][k] - sum_{k < l < r} L[r][l] L^-1[l][k]. */
static void inv_lower(double *a, size_t n, double *t, double *s)
{
    for (size_t i0 = 0; i0 < n; i0 += NB) {
        size_t i1 = n - i0 < NB ? n : i0 + NB, m = i1 - i0, w = i0;
        /* t[r][k] = -L[i0 + r][k] - sum_{k < l < i0} L[i0 + r][l] L^-1[l][k], k < i0 */
        for (size_t r = 0; r < m; r++)
            for (size_t k = 0; k < w; k++) t[r * w + k] = -a[(i0 + r) * n + k];
        for (size_t k0 = 0; k0 < w; k0 += JT) {
            size_t k1 = w - k0 < JT ? w : k0 + JT;
            if (k1 < i0)
                block_sub(t + k0, w, a + i0 * n + k1, n, a + k1 * n + k0, n, m, k1 - k0, i0 - k1);
            for (size_t r = 0; r < m; r++) {
                const double *lr = a + (i0 + r) * n;
                for (size_t l = k0 + 1; l < k1; l++)
                    if (lr[l] != 0) axpy_sub(t + r * w + k0, a + l * n + k0, lr[l], l - k0);
            }
        }
        for (size_t r = i0; r < i1; r++) {
            double *ar = a + r * n;
            memcpy(s, t + (r - i0) * w, w * sizeof *s);
            for (size_t k = i0; k < r; k++) s[k] = -ar[k];
            for (size_t l = i0; l < r; l++)
                if (ar[l] != 0) axpy_sub(s, a + l * n, ar[l], l);
            memcpy(ar, s, r * sizeof *s);
        }
    }
}

/* The states of each channel: st[so[c] .. so[c+1]) ascending. */
static void channel_states(const chain *ch, size_t **so_out, size_t **st_out)
{
    size_t nch = ch->n_channels, *so = rr_xcalloc(nch + 1, sizeof *so), *st;
    for (size_t s = 0; s < ch->n; s++)
        for (size_t c = 0; c < nch; c++) so[c + 1] += ch->has[s * nch + c];
    for (size_t c = 0; c < nch; c++) so[c + 1] += so[c];
    st = rr_xmalloc((so[nch] ? so[nch] : 1) * sizeof *st);
    size_t *fill = rr_xmalloc((nch ? nch : 1) * sizeof *fill);
    memcpy(fill, so, nch * sizeof *fill);
    for (size_t s = 0; s < ch->n; s++)
        for (size_t c = 0; c < nch; c++)
            if (ch->has[s * nch + c]) st[fill[c]++] = s;
    free(fill);
    *so_out = so;
    *st_out = st;
}

/* Every channel's x'[START] lost by its removal, conversions in dc[c] and value
 * in dv[c], from one factorisation; p_conv / p_value: x[START] of the full
 * chain.  Channels without a state get 0; a channel whose N[R,R] is singular
 * (not for a proper absorbing chain) gets a full solve. */
static rr_status removal_dense(const chain *ch, const size_t *so, const size_t *st, double *p_conv,
                               double *p_value, double *dc, double *dv, rr_error *err)
{
    size_t n = ch->n, nch = ch->n_channels, maxr = 0;
    rr_status ret = RR_OK;
    for (size_t c = 0; c < nch; c++)
        if (so[c + 1] - so[c] > maxr) maxr = so[c + 1] - so[c];
    double *a = rr_xcalloc(n * n, sizeof *a);
    size_t *perm = rr_xmalloc(n * sizeof *perm), *pinv = rr_xmalloc(n * sizeof *pinv);
    double *x = rr_xmalloc(2 * n * sizeof *x), *s = rr_xmalloc(n * sizeof *s);
    double *t = rr_xmalloc((size_t)NB * n * sizeof *t), *n0 = rr_xcalloc(n, sizeof *n0);
    double *g = rr_xmalloc((maxr ? maxr * maxr : 1) * sizeof *g);
    double *z = rr_xmalloc(2 * (maxr ? maxr : 1) * sizeof *z);
    unsigned char *rm = NULL;
    for (size_t i = 0; i < n; i++) {
        a[i * n + i] = 1.0;
        for (size_t q = ch->off[i]; q < ch->off[i + 1]; q++) a[i * n + (size_t)ch->to[q]] -= ch->p[q];
    }
    size_t bad = lu_factor(a, n, perm);
    if (bad) {
        ret = rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL,
                           "Markov chain: singular system (state %zu)", bad - 1);
        goto out;
    }
    for (size_t i = 0; i < n; i++) pinv[perm[i]] = i;
    /* x = U^-1 L^-1 P r, both right-hand sides */
    for (int h = 0; h < 2; h++) {
        double *xh = x + (size_t)h * n;
        const double *r = h ? ch->r_value : ch->r_conv;
        for (size_t i = 0; i < n; i++) {
            double v = r[perm[i]];
            for (size_t k = 0; k < i; k++) v -= a[i * n + k] * xh[k];
            xh[i] = v;
        }
        for (size_t i = n; i-- > 0;) {
            double v = xh[i];
            for (size_t k = i + 1; k < n; k++) v -= a[i * n + k] * xh[k];
            xh[i] = v / a[i * n + i];
        }
    }
    *p_conv = x[0];
    *p_value = x[n];
    inv_upper(a, n, t, s);
    inv_lower(a, n, t, s);
    /* row START of N: (U^-1[0,:] L^-1)[q] at column perm[q] */
    memset(s, 0, n * sizeof *s);
    for (size_t k = 0; k < n; k++) {
        double f = a[k];
        s[k] += f;
        if (f != 0) axpy_sub(s, a + k * n, -f, k);
    }
    for (size_t q = 0; q < n; q++) n0[perm[q]] = s[q];
    for (size_t c = 0; c < nch; c++) {
        size_t m = so[c + 1] - so[c];
        const size_t *R = st + so[c];
        dc[c] = dv[c] = 0;
        if (m == 0) continue;                        /* in no state: removing it changes nothing */
        /* g = N[R,R], column by column: column q of L^-1 gathered into s */
        for (size_t b = 0; b < m; b++) {
            size_t q = pinv[R[b]];
            s[q] = 1.0;
            for (size_t k = q + 1; k < n; k++) s[k] = a[k * n + q];
            for (size_t e = 0; e < m; e++) {
                size_t i = R[e], k0 = i > q ? i : q;
                const double *ui = a + i * n;
                double v = 0;
                for (size_t k = k0; k < n; k++) v += ui[k] * s[k];
                g[e * m + b] = v;
            }
        }
        for (size_t e = 0; e < m; e++) {
            z[e] = x[R[e]];
            z[m + e] = x[n + R[e]];
        }
        if (small_solve(g, m, z)) {
            double sc = 0, sv = 0;
            for (size_t e = 0; e < m; e++) {
                sc += n0[R[e]] * z[e];
                sv += n0[R[e]] * z[m + e];
            }
            dc[c] = sc;
            dv[c] = sv;
        } else {
            double qc, qv;
            if (!rm) rm = rr_xcalloc(n, 1);
            for (size_t e = 0; e < m; e++) rm[R[e]] = 1;
            ret = solve(ch, rm, &qc, &qv, err);
            for (size_t e = 0; e < m; e++) rm[R[e]] = 0;
            if (ret != RR_OK) goto out;
            dc[c] = x[0] - qc;
            dv[c] = x[n] - qv;
        }
    }
out:
    free(a);
    free(perm);
    free(pinv);
    free(x);
    free(s);
    free(t);
    free(n0);
    free(g);
    free(z);
    free(rm);
    return ret;
}

void rr_attr_markov_result_free(rr_attr_markov_result *r)
{
    if (!r) return;
    free(r->conv);
    free(r->value);
    free(r->re_conv);
    free(r->re_value);
    memset(r, 0, sizeof *r);
}

static int markov_naive(void)
{
    const char *e = getenv("RR_MARKOV_NAIVE");
    return e && e[0] == '1';
}

/* Between DENSE_MAX and DENSE_CAP states: 1 for the factorisation, 0 for one
 * Gauss-Seidel solve per present channel (then *pc, *pv hold the full chain's
 * solution).  The factorisation costs about 4/3 n^3 + sum_c (|R_c|^2 n +
 * 2/3 |R_c|^3) flops; the solves (present channels + 1) x sweeps x (4 edges +
 * 6 n) flops x GS_FLOP_WEIGHT, the sweeps counted on the full chain's solve,
 * which stops as soon as the factorisation is known to be cheaper. */
static int dense_cheaper(const chain *ch, const size_t *so, double *pc, double *pv)
{
    double n = (double)ch->n, dense = 4.0 / 3.0 * n * n * n;
    size_t present = 0;
    for (size_t c = 0; c < ch->n_channels; c++) {
        double m = (double)(so[c + 1] - so[c]);
        dense += m * m * n + 2.0 / 3.0 * m * m * m;
        present += so[c + 1] > so[c];
    }
    double sweep = (4.0 * (double)ch->off[ch->n] + 6.0 * n) * GS_FLOP_WEIGHT * (double)(present + 1);
    double budget = dense / sweep;
    if (budget < 2) return 1;                 /* a solve takes two sweeps at least */
    long max_it = budget < (double)GS_MAX_IT ? (long)budget : GS_MAX_IT;
    unsigned char *rm = rr_xcalloc(ch->n, 1);
    long it = gauss_seidel(ch, rm, pc, pv, max_it);
    free(rm);
    return it >= max_it;
}

rr_status rr_attr_markov(const rr_paths *paths, int order, rr_attr_markov_result *out,
                         rr_error *err)
{
    return rr_attr_markov_ex(paths, order, RR_ATTR_MARKOV_RAW, out, err);
}

const char *rr_attr_markov_states_name(rr_attr_markov_states how)
{
    switch (how) {
    case RR_ATTR_MARKOV_RAW: return "channelattribution";
    case RR_ATTR_MARKOV_COLLAPSED: return "collapsed";
    }
    return "channelattribution";
}

rr_status rr_attr_markov_ex(const rr_paths *paths, int order, rr_attr_markov_states how,
                            rr_attr_markov_result *out, rr_error *err)
{
    rr_status st = RR_OK;
    chain ch = {0};
    unsigned char *rm = NULL;
    size_t *so = NULL, *sts = NULL;
    double *dc = NULL, *dv = NULL;
    size_t nch = rr_paths_n_channels(paths), np = rr_paths_count(paths);
    int naive = markov_naive();
    memset(out, 0, sizeof *out);
    if (order < 1) order = 1;
    out->n_channels = nch;
    out->conv = rr_xcalloc(nch ? nch : 1, sizeof(double));
    out->value = rr_xcalloc(nch ? nch : 1, sizeof(double));
    out->re_conv = rr_xcalloc(nch ? nch : 1, sizeof(double));
    out->re_value = rr_xcalloc(nch ? nch : 1, sizeof(double));
    for (size_t i = 0; i < np; i++) {
        out->total_conv += rr_paths_get(paths, i)->conv;
        out->total_value += rr_paths_get(paths, i)->value;
    }
    if (!(out->total_conv > 0)) {
        st = rr_error_set(err, RR_ERR_INPUT, NULL, 0, 0, NULL,
                          "Markov model: no path has a conversion");
        goto out;
    }
    st = build_chain(paths, order, how, &ch, err);
    if (st != RR_OK) goto out;
    out->n_states = ch.n;
    channel_states(&ch, &so, &sts);
    for (size_t c = 0; c < nch; c++) out->n_removals += so[c + 1] > so[c];
    if (ch.n > DENSE_CAP && out->n_removals > RR_ATTR_MARKOV_MAX_REMOVALS) {
        /* one iterative solve of the whole chain per channel: minutes, not a report */
        st = rr_error_set(err, RR_ERR_LIMIT, NULL, 0, 0, NULL,
                          "Markov model: %zu states and %zu channels to remove; the exact computation "
                          "handles at most %d states, or %d channels above that", ch.n, out->n_removals,
                          RR_ATTR_MARKOV_DENSE_STATES, RR_ATTR_MARKOV_MAX_REMOVALS);
        goto out;
    }
    double pc = 0, pv = 0;
    int have_base = 0, dense = 0;
    if (!naive && ch.n <= DENSE_CAP) {
        dense = ch.n <= DENSE_MAX || dense_cheaper(&ch, so, &pc, &pv);
        have_base = !dense;
    }
    if (dense) {
        dc = rr_xmalloc((nch ? nch : 1) * sizeof *dc);
        dv = rr_xmalloc((nch ? nch : 1) * sizeof *dv);
        st = removal_dense(&ch, so, sts, &pc, &pv, dc, dv, err);
        if (st != RR_OK) goto out;
        for (size_t c = 0; c < nch; c++) {
            out->re_conv[c] = pc > 0 ? dc[c] / pc : 0;
            out->re_value[c] = pv > 0 ? dv[c] / pv : 0;
        }
    } else {
        rm = rr_xcalloc(ch.n, 1);
        if (!have_base) {
            st = solve(&ch, rm, &pc, &pv, err);
            if (st != RR_OK) goto out;
        }
        for (size_t c = 0; c < nch; c++) {
            if (!naive && so[c + 1] == so[c]) continue;   /* in no state: 0 without a solve */
            for (size_t e = so[c]; e < so[c + 1]; e++) rm[sts[e]] = 1;
            double qc, qv;
            st = solve(&ch, rm, &qc, &qv, err);
            for (size_t e = so[c]; e < so[c + 1]; e++) rm[sts[e]] = 0;
            if (st != RR_OK) goto out;
            out->re_conv[c] = pc > 0 ? 1.0 - qc / pc : 0;
            out->re_value[c] = pv > 0 ? 1.0 - qv / pv : 0;
        }
    }
    out->p_conv = pc;
    double sum_c = 0, sum_v = 0;
    for (size_t c = 0; c < nch; c++) {
        if (out->re_conv[c] < 0) out->re_conv[c] = 0;       /* rounding */
        if (out->re_value[c] < 0) out->re_value[c] = 0;
        sum_c += out->re_conv[c];
        sum_v += out->re_value[c];
    }
    for (size_t c = 0; c < nch; c++) {
        out->conv[c] = sum_c > 0 ? out->total_conv * out->re_conv[c] / sum_c : 0;
        out->value[c] = sum_v > 0 ? out->total_value * out->re_value[c] / sum_v : 0;
    }
out:
    chain_free(&ch);
    free(rm);
    free(so);
    free(sts);
    free(dc);
    free(dv);
    if (st != RR_OK) {
        size_t ns = out->n_states, nr = out->n_removals;
        rr_attr_markov_result_free(out);
        if (st == RR_ERR_LIMIT) { out->n_states = ns; out->n_removals = nr; }
    }
    return st;
}

double *rr_attr_transition_matrix(const rr_paths *paths, int self_loops, size_t *dim)
{
    size_t nch = rr_paths_n_channels(paths), d = nch + 3, np = rr_paths_count(paths);
    double *m = rr_xcalloc(d * d, sizeof *m);
    for (size_t i = 0; i < np; i++) {
        const rr_path *p = rr_paths_get(paths, i);
        double w = p->conv + p->nulls;
        if (!(w > 0)) continue;
        size_t prev = 0;
        for (size_t k = 0; k < p->len; k++) {
            size_t s = (size_t)p->seq[k] + 1;
            if (!self_loops && k > 0 && p->seq[k] == p->seq[k - 1]) continue;
            m[prev * d + s] += w;
            prev = s;
        }
        m[prev * d + nch + 1] += p->conv;
        m[prev * d + nch + 2] += p->nulls;
    }
    for (size_t r = 0; r < d; r++) {
        double tot = 0;
        for (size_t c = 0; c < d; c++) tot += m[r * d + c];
        if (tot > 0)
            for (size_t c = 0; c < d; c++) m[r * d + c] /= tot;
    }
    *dim = d;
    return m;
}
