/* bench_attr.c: times every attribution model on 1,000,000 journeys /
 * ~10,000,000 touchpoints generated deterministically in memory.
 *
 *   make tools/bench_attr && ./tools/bench_attr [journeys]
 *
 * Prints one line per model: seconds and touches per second. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "revreport/attr.h"
#include "revreport/paths.h"
#include "revreport/xalloc.h"

#define N_CHANNELS 10
#define N_CAMPAIGNS 300

#include "bench_util.h"

int main(int argc, char **argv)
{
    long nj = 1000000;
    if (argc > 1) {
        char *end;
        nj = strtol(argv[1], &end, 10);
        if (*end || nj <= 0) {
            fprintf(stderr, "usage: %s [journeys]\n", argv[0]);
            return 2;
        }
    }
    double t0 = now();
    rr_attr_journey *j = rr_xmalloc((size_t)nj * sizeof *j);
    size_t *start = rr_xmalloc((size_t)nj * sizeof *start), nt = 0, cap = 0;
    rr_attr_touch *t = NULL;
    for (long i = 0; i < nj; i++) {
        size_t n = 1 + next() % 19;                     /* 1..19 touches, mean 10 */
        int64_t close = 1700000000 + (int64_t)(next() % 31536000);
        int64_t ts = close - (int64_t)(next() % (200 * 86400));
        t = rr_xgrow(t, &cap, nt + n, sizeof *t);
        start[i] = nt;
        for (size_t k = 0; k < n; k++) {
            rr_attr_touch *u = &t[nt + k];
            uint64_t r = next();
            u->channel = (int)(r % 100 < 30 ? r % 3 : r % N_CHANNELS);   /* skewed mix */
            u->campaign = (int)((r >> 20) % (N_CAMPAIGNS + 1)) - 1;
            u->ts = ts;
            u->flags = 0;
            ts += (int64_t)((close - ts) / (int64_t)(n - k + 1));
        }
        int64_t created = t[nt + n / 2].ts;
        rr_attr_assign_roles(&t[nt], n, t[nt + n / 3].ts, created, close);
        uint64_t o = next() % 10;
        j[i].outcome = o < 3 ? RR_ATTR_WON : o < 5 ? RR_ATTR_OPEN : RR_ATTR_LOST;
        j[i].value = 1000.0 + (double)(next() % 99000);
        j[i].conv_ts = close;
        j[i].n = n;
        nt += n;
    }
    for (long i = 0; i < nj; i++) j[i].touches = t + start[i];
    printf("generated %ld journeys, %zu touches in %.2f s\n", nj, nt, now() - t0);

    rr_attr_params p;
    rr_attr_params_default(&p);
    for (int m = 0; m < RR_ATTR_MARKOV; m++) {
        rr_attr_totals *tot = rr_attr_totals_new(N_CHANNELS, N_CAMPAIGNS);
        double a = now();
        for (long i = 0; i < nj; i++) rr_attr_totals_add(tot, (rr_attr_model)m, &p, &j[i]);
        double s = now() - a;
        printf("%-11s %7.3f s  %6.1f M touches/s  (won revenue ch0 %.0f)\n",
               rr_attr_model_name((rr_attr_model)m), s, (double)nt / s / 1e6, tot->won.ch_value[0]);
        rr_attr_totals_free(tot);
    }
    double a = now();
    rr_paths *ps = rr_paths_new();
    for (long i = 0; i < nj; i++) {
        int seq[32];
        for (size_t k = 0; k < j[i].n; k++) seq[k] = j[i].touches[k].channel;
        rr_paths_add(ps, seq, j[i].n, j[i].outcome == RR_ATTR_WON, j[i].outcome == RR_ATTR_WON ? j[i].value : 0,
                     j[i].outcome == RR_ATTR_LOST);
    }
    double s = now() - a;
    printf("%-11s %7.3f s  %6.1f M touches/s  (%zu distinct paths)\n", "paths", s, (double)nt / s / 1e6,
           rr_paths_count(ps));
    for (int order = 1; order <= 3; order++) {
        rr_attr_markov_result r;
        rr_error err;
        a = now();
        rr_status st = rr_attr_markov(ps, order, &r, &err);
        s = now() - a;
        printf("markov k=%d  %7.3f s  %6.1f M touches/s  (%s, %zu states)\n", order, s,
               (double)nt / s / 1e6, st == RR_OK ? "ok" : err.msg, st == RR_OK ? r.n_states : 0);
        if (st == RR_OK) rr_attr_markov_result_free(&r);
    }
    double sc[N_CHANNELS], sv[N_CHANNELS];
    rr_error err;
    a = now();
    rr_status st = rr_attr_shapley(ps, sc, sv, &err);
    s = now() - a;
    printf("%-11s %7.3f s  %6.1f M touches/s  (%s)\n", "shapley", s, (double)nt / s / 1e6,
           st == RR_OK ? "ok" : err.msg);
    rr_paths_free(ps);
    free(t);
    free(j);
    free(start);
    return 0;
}
