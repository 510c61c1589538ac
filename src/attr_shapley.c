/* attr_shapley.c: exact Shapley value over channels, with the "simplified"
 * characteristic function of Zhao et al. 2018 (Google Ads Data Hub):
 *   v(S) = conversions (value) of the paths whose set of channels is a subset of S.
 * v is a sum of unanimity games (one per converting path, on its channel set
 * T, worth its conversions), and the Shapley value of a unanimity game splits
 * its worth equally over T; so phi_i = sum over converting paths containing i
 * of conv / |T|: rr_attr_shapley, linear in the paths, at any number of
 * channels.  rr_attr_shapley_enum tabulates v over all 2^n coalitions
 * (bitmasks, subset-sum transform) and applies the Shapley formula
 * phi_i = sum_S |S|!(n-|S|-1)!/n! (v(S+i) - v(S)): the test oracle.
 *
 *   double conv[N], value[N];
 *   rr_attr_shapley(paths, conv, value, &err);   // RR_OK
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/attr.h"
#include "revreport/xalloc.h"

rr_status rr_attr_shapley(const rr_paths *paths, double *out_conv, double *out_value,
                          rr_error *err)
{
    (void)err;
    size_t nch = rr_paths_n_channels(paths), np = rr_paths_count(paths);
    memset(out_conv, 0, nch * sizeof *out_conv);
    memset(out_value, 0, nch * sizeof *out_value);
    unsigned char *seen = rr_xcalloc(nch ? nch : 1, 1);
    for (size_t i = 0; i < np; i++) {
        const rr_path *p = rr_paths_get(paths, i);
        if (!(p->conv > 0) && p->value == 0) continue;   /* null paths play no part */
        size_t k = 0;
        for (size_t q = 0; q < p->len; q++)
            if (!seen[p->seq[q]]) { seen[p->seq[q]] = 1; k++; }
        for (size_t q = 0; q < p->len; q++) {
            int c = p->seq[q];
            if (!seen[c]) continue;
            seen[c] = 0;
            out_conv[c] += p->conv / (double)k;
            out_value[c] += p->value / (double)k;
        }
    }
    free(seen);
    return RR_OK;
}

rr_status rr_attr_shapley_enum(const rr_paths *paths, double *out_conv, double *out_value,
                               rr_error *err)
{
    rr_status st = RR_OK;
    size_t nch = rr_paths_n_channels(paths), np = rr_paths_count(paths);
    int *pos = NULL, *chan = NULL;             /* channel id <-> coalition bit */
    double *vc = NULL, *vv = NULL, *wt = NULL;
    size_t n = 0;

    memset(out_conv, 0, nch * sizeof *out_conv);
    memset(out_value, 0, nch * sizeof *out_value);
    pos = rr_xmalloc((nch ? nch : 1) * sizeof *pos);
    chan = rr_xmalloc((nch ? nch : 1) * sizeof *chan);
    for (size_t c = 0; c < nch; c++) pos[c] = -1;
    for (size_t i = 0; i < np; i++) {
        const rr_path *p = rr_paths_get(paths, i);
        if (!(p->conv > 0) && p->value == 0) continue;
        for (size_t k = 0; k < p->len; k++)
            if (pos[p->seq[k]] < 0) {
                chan[n] = p->seq[k];
                pos[p->seq[k]] = (int)n++;
            }
    }
    if (n > RR_ATTR_SHAPLEY_MAX) {
        st = rr_error_set(err, RR_ERR_LIMIT, NULL, 0, 0, NULL,
                          "Shapley attribution: %zu channels appear on converting journeys; "
                          "the exact computation is limited to %d (2^n coalitions). Group "
                          "channels (e.g. by channel instead of campaign) or use the Markov model",
                          n, RR_ATTR_SHAPLEY_MAX);
        goto out;
    }
    if (n == 0) goto out;
    size_t full = (size_t)1 << n;
    vc = rr_xcalloc(full, sizeof *vc);
    vv = rr_xcalloc(full, sizeof *vv);
    /* R(T): conversions whose channel set is exactly T */
    for (size_t i = 0; i < np; i++) {
        const rr_path *p = rr_paths_get(paths, i);
        if (!(p->conv > 0) && p->value == 0) continue;
        size_t t = 0;
        for (size_t k = 0; k < p->len; k++) t |= (size_t)1 << pos[p->seq[k]];
        vc[t] += p->conv;
        vv[t] += p->value;
    }
    /* v(S) = sum over T subset of S of R(T) (zeta transform) */
    for (size_t b = 0; b < n; b++)
        for (size_t s = 0; s < full; s++)
            if (s & ((size_t)1 << b)) {
                vc[s] += vc[s ^ ((size_t)1 << b)];
                vv[s] += vv[s ^ ((size_t)1 << b)];
            }
    /* wt[k] = k!(n-k-1)!/n! */
    wt = rr_xmalloc(n * sizeof *wt);
    for (size_t k = 0; k < n; k++) {
        double w = 1.0 / (double)n;                 /* 1 / (n * C(n-1, k)) */
        for (size_t q = 1; q <= k; q++) w *= (double)q / (double)(n - q);
        wt[k] = w;
    }
    for (size_t s = 0; s < full; s++) {
        size_t k = (size_t)__builtin_popcountll((unsigned long long)s);
        if (k == n) continue;
        for (size_t i = 0; i < n; i++) {
            size_t bit = (size_t)1 << i;
            if (s & bit) continue;
            out_conv[chan[i]] += wt[k] * (vc[s | bit] - vc[s]);
            out_value[chan[i]] += wt[k] * (vv[s | bit] - vv[s]);
        }
    }
out:
    free(pos);
    free(chan);
    free(vc);
    free(vv);
    free(wt);
    return st;
}
