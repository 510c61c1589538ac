/* attr_markov.c: exact Markov-chain removal effects (first or k-th order) over
 * aggregated paths: an absorbing chain START -> states -> {CONV, NULL}, solved
 * as a linear system (dense LU for small chains, Gauss-Seidel to machine
 * precision for large ones), never by simulation.
 *
 *   rr_attr_markov_result res;
 *   rr_error err;
 *   if (rr_attr_markov(paths, 1, &res, &err) == RR_OK) {
 *       ... res.conv[c], res.value[c], res.re_conv[c] ...
 *       rr_attr_markov_result_free(&res);
 *   }
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/attr.h"
#include "revreport/xalloc.h"

#define TO_CONV (-1)
#define TO_NULL (-2)
#define DENSE_MAX 400

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

/* collapse consecutive repeats of p into buf; returns the new length */
static size_t collapse(const rr_path *p, int *buf)
{
    size_t m = 0;
    for (size_t i = 0; i < p->len; i++)
        if (m == 0 || buf[m - 1] != p->seq[i]) buf[m++] = p->seq[i];
    return m;
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

static rr_status build_chain(const rr_paths *ps, int order, chain *ch, rr_error *err)
{
    rr_status st = RR_OK;
    state_map sm = {0};
    edge *e = NULL;
    edge_set es = {0};
    size_t ne = 0, maxlen = 0;
    int *buf = NULL, *key = NULL;
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
    key = rr_xmalloc((size_t)order * sizeof *key);
    /* conversion value per transition into CONV is stored as a separate edge list */
    for (size_t i = 0; i < np; i++) {
        const rr_path *p = rr_paths_get(ps, i);
        double w = p->conv + p->nulls;
        if (!(w > 0)) continue;
        size_t m = collapse(p, buf);
        int prev = 0;
        for (size_t k = 0; k < m; k++) {
            size_t lo = k + 1 >= (size_t)order ? k + 1 - (size_t)order : 0;
            size_t kl = k + 1 - lo;
            for (int q = 0; q < order; q++) key[q] = -1;
            memcpy(key, buf + lo, kl * sizeof *key);
            size_t s = sm_intern(&sm, key);
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
        size_t m = collapse(p, buf);
        size_t lo = m >= (size_t)order ? m - (size_t)order : 0;
        for (int q = 0; q < order; q++) key[q] = -1;
        memcpy(key, buf + lo, (m - lo) * sizeof *key);
        size_t s = sm_intern(&sm, key);
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
    free(key);
    free(out_w);
    free(conv_w);
    free(val_w);
    return st;
}

/* Solve x = r + Q x with x[s] = 0 for removed states (rm[s] != 0), for two
 * right-hand sides at once; returns x[START] for each. */
static rr_status solve(const chain *ch, const unsigned char *rm, double *p_conv, double *p_value,
                       rr_error *err)
{
    size_t n = ch->n;
    rr_status st = RR_OK;
    if (n <= DENSE_MAX) {
        /* dense Gaussian elimination with partial pivoting on (I - Q) [x y] = [r rv] */
        size_t w = n + 2;
        double *a = rr_xcalloc(n * w, sizeof *a);
        for (size_t s = 0; s < n; s++) {
            double *row = a + s * w;
            row[s] = 1.0;
            if (rm[s]) continue;
            for (size_t q = ch->off[s]; q < ch->off[s + 1]; q++) row[ch->to[q]] -= ch->p[q];
            row[n] = ch->r_conv[s];
            row[n + 1] = ch->r_value[s];
        }
        for (size_t c = 0; c < n; c++) {
            size_t piv = c;
            for (size_t r = c + 1; r < n; r++)
                if (fabs(a[r * w + c]) > fabs(a[piv * w + c])) piv = r;
            if (a[piv * w + c] == 0) {
                free(a);
                return rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL,
                                    "Markov chain: singular system (state %zu)", c);
            }
            if (piv != c)
                for (size_t k = 0; k < w; k++) {
                    double t = a[c * w + k];
                    a[c * w + k] = a[piv * w + k];
                    a[piv * w + k] = t;
                }
            for (size_t r = c + 1; r < n; r++) {
                double f = a[r * w + c] / a[c * w + c];
                if (f == 0) continue;
                for (size_t k = c; k < w; k++) a[r * w + k] -= f * a[c * w + k];
            }
        }
        double *x = rr_xcalloc(2 * n, sizeof *x);
        for (size_t c = n; c-- > 0;) {
            double s0 = a[c * w + n], s1 = a[c * w + n + 1];
            for (size_t k = c + 1; k < n; k++) {
                s0 -= a[c * w + k] * x[k];
                s1 -= a[c * w + k] * x[n + k];
            }
            x[c] = s0 / a[c * w + c];
            x[n + c] = s1 / a[c * w + c];
        }
        *p_conv = x[0];
        *p_value = x[n];
        free(x);
        free(a);
        return RR_OK;
    }
    /* Gauss-Seidel: Q is substochastic and every state reaches an absorbing
     * state, so the iteration converges; run until nothing changes. */
    double *x = rr_xcalloc(n, sizeof *x), *y = rr_xcalloc(n, sizeof *y);
    long it;
    for (it = 0; it < 1000000; it++) {
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
    if (it == 1000000)
        st = rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL,
                          "Markov chain: iterative solve did not converge");
    *p_conv = x[0];
    *p_value = y[0];
    free(x);
    free(y);
    return st;
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

rr_status rr_attr_markov(const rr_paths *paths, int order, rr_attr_markov_result *out,
                         rr_error *err)
{
    rr_status st = RR_OK;
    chain ch = {0};
    unsigned char *rm = NULL;
    size_t nch = rr_paths_n_channels(paths), np = rr_paths_count(paths);
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
    st = build_chain(paths, order, &ch, err);
    if (st != RR_OK) goto out;
    out->n_states = ch.n;
    rm = rr_xcalloc(ch.n, 1);
    double pc, pv;
    st = solve(&ch, rm, &pc, &pv, err);
    if (st != RR_OK) goto out;
    out->p_conv = pc;
    double sum_c = 0, sum_v = 0;
    for (size_t c = 0; c < nch; c++) {
        for (size_t s = 0; s < ch.n; s++) rm[s] = ch.has[s * ch.n_channels + c];
        double qc, qv;
        st = solve(&ch, rm, &qc, &qv, err);
        if (st != RR_OK) goto out;
        out->re_conv[c] = pc > 0 ? 1.0 - qc / pc : 0;
        out->re_value[c] = pv > 0 ? 1.0 - qv / pv : 0;
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
    if (st != RR_OK) rr_attr_markov_result_free(out);
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
