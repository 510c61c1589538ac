/* bench_util.h: what the benchmark programs in tools/ share: a seeded
 * xorshift64 generator (the same data on every run) and a monotonic clock. */
#ifndef RR_BENCH_UTIL_H
#define RR_BENCH_UTIL_H
#include <stdint.h>
#include <time.h>

static uint64_t rng = 88172645463325252ull;   /* set it to reseed */

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* seconds on the monotonic clock */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
#endif
