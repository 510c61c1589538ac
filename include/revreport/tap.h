/* tap.h: a tiny TAP producer for revreport's C tests (header-only).
 *
 *   int main(void) {
 *       rr_tap_ok(1 + 1 == 2, "arithmetic");
 *       rr_tap_near(x, 0.25, 1e-9, "share of MQLs");
 *       rr_tap_str(got, "2026-10", "month label");
 *       return rr_tap_done();        // prints the plan, returns 0/1
 *   }
 *
 * Failures print the expected and the actual value as TAP diagnostics. */
#ifndef RR_TAP_H
#define RR_TAP_H
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int rr_tap_n = 0, rr_tap_failed = 0;

static inline int rr_tap_ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline int rr_tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    rr_tap_n++;
    if (!cond) rr_tap_failed++;
    printf("%sok %d - ", cond ? "" : "not ", rr_tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    return cond;
}

static inline void rr_tap_skip(const char *why)
{
    rr_tap_n++;
    printf("ok %d # SKIP %s\n", rr_tap_n, why);
}

static inline void rr_tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void rr_tap_diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

/* |got - want| <= tol (absolute), or relative when rel != 0 */
static inline int rr_tap_near(double got, double want, double tol, const char *what)
{
    int ok = (isnan(got) && isnan(want)) || fabs(got - want) <= tol;
    rr_tap_ok(ok, "%s", what);
    if (!ok) rr_tap_diag("  got %.12g, want %.12g (tol %g)", got, want, tol);
    return ok;
}

static inline int rr_tap_rel(double got, double want, double rel, const char *what)
{
    double d = fabs(got - want), s = fabs(want) > 0 ? fabs(want) : 1.0;
    int ok = d / s <= rel;
    rr_tap_ok(ok, "%s", what);
    if (!ok) rr_tap_diag("  got %.12g, want %.12g (rel %g, off %.3g)", got, want, rel, d / s);
    return ok;
}

static inline int rr_tap_int(long long got, long long want, const char *what)
{
    int ok = got == want;
    rr_tap_ok(ok, "%s", what);
    if (!ok) rr_tap_diag("  got %lld, want %lld", got, want);
    return ok;
}

static inline int rr_tap_str(const char *got, const char *want, const char *what)
{
    int ok = got && want && strcmp(got, want) == 0;
    rr_tap_ok(ok, "%s", what);
    if (!ok) rr_tap_diag("  got \"%s\", want \"%s\"", got ? got : "(null)", want ? want : "(null)");
    return ok;
}

static inline int rr_tap_done(void)
{
    printf("1..%d\n", rr_tap_n);
    return rr_tap_failed ? 1 : 0;
}

#endif
