/* bench_markov.c: times rr_attr_markov on generated path sets whose chains
 * have about 100, 400 and 1500 states at order 1 (and 1600: over the limit) (one state per channel, as
 * per-campaign Markov), and on order 2 and 3 chains; a quarter of the extra
 * channel ids are named but absent from the paths (campaigns of another
 * scope).
 *
 *   make tools/bench_markov && ./tools/bench_markov [dump-file [order channels journeys]]
 *   RR_MARKOV_NAIVE=1 ./tools/bench_markov    (the per-channel solves)
 *   ./tools/bench_markov - 1 1499 400000      (one case: order 1, 1500 states)
 *
 * Prints one line per case: states, channels, seconds.  With a dump file,
 * writes every removal effect (%.17g) to compare two builds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "revreport/attr.h"
#include "revreport/paths.h"

#include "bench_util.h"

/* nj journeys of 1..12 touches over m channels (skewed: u^2), 30% won;
 * `absent` more channel ids named but never on a path */
static rr_paths *gen(int m, int absent, long nj)
{
    rr_paths *ps = rr_paths_new();
    int seq[12];
    rng = 88172645463325252ull ^ (uint64_t)m;
    for (long i = 0; i < nj; i++) {
        size_t n = 1 + next() % 12;
        for (size_t k = 0; k < n; k++) {
            double u = (double)(next() >> 11) / 9007199254740992.0;
            seq[k] = (int)(u * u * m);
        }
        int won = next() % 10 < 3;
        rr_paths_add(ps, seq, n, won, won ? 1000.0 + (double)(next() % 99000) : 0, !won);
    }
    char name[32];
    for (int c = 0; c < m + absent; c++) {
        int len = snprintf(name, sizeof name, "c%d", c);
        rr_paths_intern(ps, name, (size_t)len);
    }
    return ps;
}

int main(int argc, char **argv)
{
    static struct { int order, m; long nj; } cases[] = {
        {1, 99, 200000}, {1, 399, 200000}, {1, 1499, 400000}, {1, 1599, 400000},
        {2, 20, 200000}, {2, 40, 400000}, {3, 10, 400000},
    };
    size_t ncases = sizeof cases / sizeof cases[0];
    FILE *dump = argc > 1 && strcmp(argv[1], "-") != 0 ? fopen(argv[1], "w") : NULL;
    if (argc > 4) {
        cases[0].order = (int)strtol(argv[2], NULL, 10);
        cases[0].m = (int)strtol(argv[3], NULL, 10);
        cases[0].nj = strtol(argv[4], NULL, 10);
        ncases = 1;
    }
    for (size_t i = 0; i < ncases; i++) {
        int absent = cases[i].order == 1 ? cases[i].m / 4 : 0;
        rr_paths *ps = gen(cases[i].m, absent, cases[i].nj);
        rr_attr_markov_result r;
        rr_error err;
        double a = now();
        rr_status st = rr_attr_markov(ps, cases[i].order, &r, &err);
        double s = now() - a;
        if (st != RR_OK) {
            printf("order %d, %d channels: %s\n", cases[i].order, cases[i].m, err.msg);
            rr_paths_free(ps);
            continue;
        }
        printf("order %d  %5zu states  %4zu channels (%d absent)  %8.3f s\n", cases[i].order,
               r.n_states, r.n_channels, absent, s);
        fflush(stdout);
        if (dump)
            for (size_t c = 0; c < r.n_channels; c++)
                fprintf(dump, "%zu %d %zu %.17g %.17g\n", i, cases[i].order, c, r.re_conv[c],
                        r.re_value[c]);
        rr_attr_markov_result_free(&r);
        rr_paths_free(ps);
    }
    if (dump) fclose(dump);
    return 0;
}
