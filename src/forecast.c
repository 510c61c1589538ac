/* forecast.c: exponential-smoothing forecasts (Holt-Winters as R's
 * stats::HoltWinters, SES, Holt, damped Holt), their prediction intervals, the
 * automatic method choice, and forecast-accuracy measures.
 *
 *   rr_fc_result r;
 *   if (rr_fc_auto(y, n, 12, 3, &r) == RR_OK)
 *       printf("%s: %.0f [%.0f, %.0f]\n", r.reason, r.mean[0], r.lo95[0], r.hi95[0]);
 *   rr_fc_result_free(&r);
 *
 * Layout of this file: result allocation; the two filters (seasonal, as R's
 * C_HoltWinters, and non-seasonal, as forecast's HoltWintersZZ with phi);
 * R's initialisation (decompose + regression); the bounded minimiser (grid,
 * Nelder-Mead, projected BFGS); the public fits; rr_fc_auto; accuracy.
 * The formulas and their sources are in docs/forecast.md. */
#include "revreport/forecast.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revreport/xalloc.h"

#define Z80 1.2815515655446004
#define Z95 1.959963984540054

/* ------------------------------------------------------------------ */
/* result                                                              */

const char *rr_fc_method_name(rr_fc_method m)
{
    switch (m) {
    case RR_FC_METHOD_NONE: return "none";
    case RR_FC_HW_ADDITIVE: return "holt-winters additive";
    case RR_FC_HW_MULTIPLICATIVE: return "holt-winters multiplicative";
    case RR_FC_HOLT_DAMPED: return "damped holt";
    case RR_FC_HOLT: return "holt";
    case RR_FC_SES: return "simple exponential smoothing";
    case RR_FC_NAIVE: return "naive mean";
    }
    return "unknown";
}

void rr_fc_result_free(rr_fc_result *r)
{
    if (!r) return;
    free(r->fitted);
    free(r->level);
    free(r->trend);
    free(r->season);
    free(r->mean);
    free(r->lo80);
    free(r->hi80);
    free(r->lo95);
    free(r->hi95);
    memset(r, 0, sizeof *r);
}

/* Zero r and allocate its arrays (zero-filled); season only when period>1. */
static void result_alloc(rr_fc_result *r, size_t n, size_t start, int period, int h)
{
    size_t nf = n > start ? n - start : 0;
    memset(r, 0, sizeof *r);
    r->n = n;
    r->start = start;
    r->n_fit = nf;
    r->period = period > 1 ? period : 1;
    r->phi = 1.0;
    r->h = h;
    r->fitted = rr_xcalloc(nf + 1, sizeof(double));
    r->level = rr_xcalloc(nf + 1, sizeof(double));
    r->trend = rr_xcalloc(nf + 1, sizeof(double));
    if (period > 1) r->season = rr_xcalloc(nf + (size_t)period, sizeof(double));
    r->mean = rr_xcalloc((size_t)h + 1, sizeof(double));
    r->lo80 = rr_xcalloc((size_t)h + 1, sizeof(double));
    r->hi80 = rr_xcalloc((size_t)h + 1, sizeof(double));
    r->lo95 = rr_xcalloc((size_t)h + 1, sizeof(double));
    r->hi95 = rr_xcalloc((size_t)h + 1, sizeof(double));
}

/* Set the intervals from mean[] and the variance multipliers v[k] (sigma2 * c_k). */
static void set_intervals(rr_fc_result *r, const double *var)
{
    for (int k = 0; k < r->h; k++) {
        double sd = var[k] > 0 ? sqrt(var[k]) : 0.0;
        r->lo80[k] = r->mean[k] - Z80 * sd;
        r->hi80[k] = r->mean[k] + Z80 * sd;
        r->lo95[k] = r->mean[k] - Z95 * sd;
        r->hi95[k] = r->mean[k] + Z95 * sd;
    }
    r->has_interval = 1;
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

/* Every number the integrator may print is finite. */
static int result_finite(const rr_fc_result *r)
{
    size_t h = (size_t)r->h;
    double p[6] = { r->alpha, r->beta, r->gamma, r->phi, r->sse, r->sigma2 };
    return all_finite(p, 6) && all_finite(r->mean, h) && all_finite(r->lo80, h) &&
           all_finite(r->hi80, h) && all_finite(r->lo95, h) && all_finite(r->hi95, h) &&
           all_finite(r->fitted, r->n_fit) && all_finite(r->level, r->n_fit + 1) &&
           all_finite(r->trend, r->n_fit + 1) &&
           (!r->season || all_finite(r->season, r->n_fit + (size_t)r->period));
}

/* ------------------------------------------------------------------ */
/* filters                                                             */

/* R's C_HoltWinters with trend and season on.  y[start..n-1] are filtered;
 * level[0], trend[0], season[0..f-1] hold the initial states; fills
 * level/trend[1..nf], season[f..nf+f-1], xhat[0..nf-1] (xhat may be NULL).
 * Returns the SSE (HUGE_VAL if it is not finite). */
static double hw_filter(const double *y, size_t n, size_t start, int f, int mult,
                        double alpha, double beta, double gamma,
                        double *level, double *trend, double *season, double *xhat)
{
    double sse = 0;
    for (size_t i = start; i < n; i++) {
        size_t i0 = i - start + 1;              /* state index after y[i] */
        size_t s0 = i0 + (size_t)f - 1;         /* season index after y[i] */
        double stmp = season[s0 - (size_t)f];
        double base = level[i0 - 1] + trend[i0 - 1];
        double fc = mult ? base * stmp : base + stmp;
        double res = y[i] - fc;
        if (xhat) xhat[i0 - 1] = fc;
        sse += res * res;
        level[i0] = mult ? alpha * (y[i] / stmp) + (1 - alpha) * base
                         : alpha * (y[i] - stmp) + (1 - alpha) * base;
        trend[i0] = beta * (level[i0] - level[i0 - 1]) + (1 - beta) * trend[i0 - 1];
        season[s0] = mult ? gamma * (y[i] / level[i0]) + (1 - gamma) * stmp
                          : gamma * (y[i] - level[i0]) + (1 - gamma) * stmp;
    }
    return isfinite(sse) ? sse : HUGE_VAL;
}

/* Non-seasonal filter (SES when !dotrend, Holt, damped Holt with phi<1):
 *   xhat = l + phi b;  l' = alpha y + (1-alpha)(l + phi b);
 *   b' = beta (l' - l) + (1-beta) phi b.
 * Same index convention as hw_filter.  Returns the SSE (HUGE_VAL if not finite). */
static double ns_filter(const double *y, size_t n, size_t start, int dotrend,
                        double alpha, double beta, double phi,
                        double *level, double *trend, double *xhat)
{
    double sse = 0;
    if (!dotrend) trend[0] = 0;
    for (size_t i = start; i < n; i++) {
        size_t i0 = i - start + 1;
        double pb = dotrend ? phi * trend[i0 - 1] : 0.0;
        double fc = level[i0 - 1] + pb;
        double res = y[i] - fc;
        if (xhat) xhat[i0 - 1] = fc;
        sse += res * res;
        level[i0] = alpha * y[i] + (1 - alpha) * fc;
        trend[i0] = dotrend ? beta * (level[i0] - level[i0 - 1]) + (1 - beta) * pb : 0.0;
    }
    return isfinite(sse) ? sse : HUGE_VAL;
}

/* ------------------------------------------------------------------ */
/* R's HoltWinters initialisation, start.periods = 2                    */

/* decompose() of y[0..2f-1] (centred moving average: weights 1/2f at the
 * ends and 1/f inside for even f, 1/f for odd f), seasonal figure
 * normalised to mean 0 (additive) or 1 (multiplicative); l0/b0 = intercept
 * and slope of the non-NA trend regressed on 1..m.  s0 gets f values. */
static void hw_init(const double *y, int f, int mult, double *l0, double *b0, double *s0)
{
    size_t w = 2 * (size_t)f, half = (size_t)f / 2;
    double *tr = rr_xcalloc(w, sizeof(double));
    int *ok = rr_xcalloc(w, sizeof(int));
    double st = 0, stt = 0, sy = 0, sty = 0, mean = 0;
    size_t m = 0;

    for (size_t i = half; i + half < w; i++) {
        double s = 0;
        if (f % 2 == 0) {
            s = 0.5 * y[i - half] + 0.5 * y[i + half];
            for (size_t j = i - half + 1; j < i + half; j++) s += y[j];
        } else {
            for (size_t j = i - half; j <= i + half; j++) s += y[j];
        }
        tr[i] = s / f;
        ok[i] = 1;
    }
    for (int k = 0; k < f; k++) {
        double sum = 0;
        int cnt = 0;
        for (size_t i = (size_t)k; i < w; i += (size_t)f) {
            if (!ok[i]) continue;
            sum += mult ? y[i] / tr[i] : y[i] - tr[i];
            cnt++;
        }
        s0[k] = cnt ? sum / cnt : (mult ? 1.0 : 0.0);
        mean += s0[k];
    }
    mean /= f;
    for (int k = 0; k < f; k++) s0[k] = mult ? s0[k] / mean : s0[k] - mean;

    for (size_t i = 0; i < w; i++) {
        if (!ok[i]) continue;
        double t = (double)++m;
        st += t;
        stt += t * t;
        sy += tr[i];
        sty += t * tr[i];
    }
    {
        double tb = st / m, yb = sy / m;
        double sxx = stt - m * tb * tb, sxy = sty - m * tb * yb;
        *b0 = sxx > 0 ? sxy / sxx : 0.0;
        *l0 = yb - *b0 * tb;
    }
    free(tr);
    free(ok);
}

/* ------------------------------------------------------------------ */
/* bounded minimiser                                                   */

typedef double (*objective)(const double *x, void *ctx);

enum { MAXDIM = 3 };

static void clampv(double *x, const double *lo, const double *hi, int d)
{
    for (int i = 0; i < d; i++) x[i] = x[i] < lo[i] ? lo[i] : x[i] > hi[i] ? hi[i] : x[i];
}

/* Finite-difference gradient inside the box (central where possible). */
static void num_grad(objective fn, void *ctx, const double *x, double fx, const double *lo,
                     const double *hi, int d, double *g)
{
    for (int i = 0; i < d; i++) {
        double xp[MAXDIM], xm[MAXDIM], e = 1e-7;
        memcpy(xp, x, sizeof(double) * (size_t)d);
        memcpy(xm, x, sizeof(double) * (size_t)d);
        if (x[i] + e <= hi[i] && x[i] - e >= lo[i]) {
            xp[i] += e;
            xm[i] -= e;
            g[i] = (fn(xp, ctx) - fn(xm, ctx)) / (2 * e);
        } else if (x[i] + e <= hi[i]) {
            xp[i] += e;
            g[i] = (fn(xp, ctx) - fx) / e;
        } else {
            xm[i] -= e;
            g[i] = (fx - fn(xm, ctx)) / e;
        }
        if (!isfinite(g[i])) g[i] = 0;
    }
}

/* Projected BFGS (active set on the bounds, inverse-Hessian update on the
 * free variables, Armijo backtracking along the projected path). */
static double pbfgs(objective fn, void *ctx, double *x, const double *lo, const double *hi, int d)
{
    double H[MAXDIM][MAXDIM], g[MAXDIM], gn[MAXDIM], xn[MAXDIM], dir[MAXDIM];
    int freev[MAXDIM], prevfree[MAXDIM], reset = 1;
    double fx;

    clampv(x, lo, hi, d);
    fx = fn(x, ctx);
    num_grad(fn, ctx, x, fx, lo, hi, d, g);
    for (int i = 0; i < d; i++) prevfree[i] = -1;
    for (int it = 0; it < 400; it++) {
        double pg = 0, gd = 0, dmax = 0, t, fn_new = fx;
        int changed = 0, accepted = 0;
        for (int i = 0; i < d; i++) {
            freev[i] = !((x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0));
            if (freev[i] != prevfree[i]) changed = 1;
            prevfree[i] = freev[i];
            if (freev[i]) pg = fmax(pg, fabs(g[i]));
        }
        if (pg <= 1e-9 * (1 + fabs(fx))) break;
        if (changed || reset) {
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) H[i][j] = i == j ? 1.0 : 0.0;
        }
        for (int i = 0; i < d; i++) {
            dir[i] = 0;
            if (!freev[i]) continue;
            for (int j = 0; j < d; j++)
                if (freev[j]) dir[i] -= H[i][j] * g[j];
            gd += dir[i] * g[i];
            dmax = fmax(dmax, fabs(dir[i]));
        }
        if (gd >= 0 || dmax == 0) {
            if (reset) break;
            reset = 1;
            continue;
        }
        t = (changed || reset) ? fmin(1.0, 0.1 / dmax) : 1.0;
        for (int ls = 0; ls < 60; ls++, t *= 0.5) {
            double dec = 0;
            for (int i = 0; i < d; i++) xn[i] = x[i] + t * dir[i];
            clampv(xn, lo, hi, d);
            for (int i = 0; i < d; i++) dec += g[i] * (xn[i] - x[i]);
            fn_new = fn(xn, ctx);
            if (fn_new <= fx + 1e-4 * dec) {
                accepted = 1;
                break;
            }
        }
        if (!accepted) {
            if (reset) break;
            reset = 1;
            continue;
        }
        reset = 0;
        num_grad(fn, ctx, xn, fn_new, lo, hi, d, gn);
        {
            double s[MAXDIM], yv[MAXDIM], sy = 0, Hy[MAXDIM], yHy = 0, smax = 0;
            for (int i = 0; i < d; i++) {
                s[i] = freev[i] ? xn[i] - x[i] : 0;
                yv[i] = freev[i] ? gn[i] - g[i] : 0;
                sy += s[i] * yv[i];
                smax = fmax(smax, fabs(s[i]));
            }
            if (sy > 1e-12) {
                for (int i = 0; i < d; i++) {
                    Hy[i] = 0;
                    for (int j = 0; j < d; j++) Hy[i] += H[i][j] * yv[j];
                    yHy += yv[i] * Hy[i];
                }
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++)
                        H[i][j] += (sy + yHy) * s[i] * s[j] / (sy * sy) -
                                   (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
            }
            memcpy(x, xn, sizeof(double) * (size_t)d);
            memcpy(g, gn, sizeof(double) * (size_t)d);
            if (fabs(fx - fn_new) <= 1e-15 * fabs(fx) && smax < 1e-12) {
                fx = fn_new;
                break;
            }
            fx = fn_new;
        }
    }
    return fx;
}

/* Nelder-Mead with every vertex clamped into the box. */
static double nelder_mead(objective fn, void *ctx, double *x, const double *lo,
                          const double *hi, int d)
{
    double v[MAXDIM + 1][MAXDIM], fv[MAXDIM + 1];
    int nv = d + 1;

    for (int k = 0; k < nv; k++) {
        memcpy(v[k], x, sizeof(double) * (size_t)d);
        if (k > 0) {
            int i = k - 1;
            double step = 0.1 * (hi[i] - lo[i]);
            v[k][i] += (v[k][i] + step <= hi[i]) ? step : -step;
        }
        clampv(v[k], lo, hi, d);
        fv[k] = fn(v[k], ctx);
    }
    for (int it = 0; it < 3000; it++) {
        int best = 0, worst = 0, second;
        double c[MAXDIM] = { 0 }, xr[MAXDIM], xe[MAXDIM], fr;
        for (int k = 1; k < nv; k++) {
            if (fv[k] < fv[best]) best = k;
            if (fv[k] > fv[worst]) worst = k;
        }
        second = best;
        for (int k = 0; k < nv; k++)
            if (k != worst && fv[k] >= fv[second]) second = k;
        if (fabs(fv[worst] - fv[best]) <= 1e-13 * (fabs(fv[best]) + 1e-300)) {
            double span = 0;
            for (int k = 0; k < nv; k++)
                for (int i = 0; i < d; i++) span = fmax(span, fabs(v[k][i] - v[best][i]));
            if (span < 1e-9) break;
        }
        for (int k = 0; k < nv; k++)
            if (k != worst)
                for (int i = 0; i < d; i++) c[i] += v[k][i] / d;
        for (int i = 0; i < d; i++) xr[i] = c[i] + (c[i] - v[worst][i]);
        clampv(xr, lo, hi, d);
        fr = fn(xr, ctx);
        if (fr < fv[best]) {
            double fe;
            for (int i = 0; i < d; i++) xe[i] = c[i] + 2 * (c[i] - v[worst][i]);
            clampv(xe, lo, hi, d);
            fe = fn(xe, ctx);
            if (fe < fr) {
                memcpy(v[worst], xe, sizeof xe);
                fv[worst] = fe;
            } else {
                memcpy(v[worst], xr, sizeof xr);
                fv[worst] = fr;
            }
        } else if (fr < fv[second]) {
            memcpy(v[worst], xr, sizeof xr);
            fv[worst] = fr;
        } else {
            double xc[MAXDIM], fc;
            int outside = fr < fv[worst];
            for (int i = 0; i < d; i++)
                xc[i] = outside ? c[i] + 0.5 * (xr[i] - c[i]) : c[i] + 0.5 * (v[worst][i] - c[i]);
            fc = fn(xc, ctx);
            if (fc < (outside ? fr : fv[worst])) {
                memcpy(v[worst], xc, sizeof xc);
                fv[worst] = fc;
            } else {
                for (int k = 0; k < nv; k++) {
                    if (k == best) continue;
                    for (int i = 0; i < d; i++) v[k][i] = v[best][i] + 0.5 * (v[k][i] - v[best][i]);
                    fv[k] = fn(v[k], ctx);
                }
            }
        }
    }
    {
        int best = 0;
        for (int k = 1; k < nv; k++)
            if (fv[k] < fv[best]) best = k;
        memcpy(x, v[best], sizeof(double) * (size_t)d);
        return fv[best];
    }
}

/* Minimise fn over the box: projected BFGS from x0 (R's starting point),
 * then Nelder-Mead + BFGS polish from x0 and from the three best points of a
 * grid (11 points per axis); the lowest value wins.  x0 in, argmin out. */
static double minimise(objective fn, void *ctx, double *x0, const double *lo,
                       const double *hi, int d)
{
    double best[MAXDIM], fbest, starts[4][MAXDIM], fstart[4];
    int nstart = 1, idx[MAXDIM] = { 0 }, done = 0;

    memcpy(best, x0, sizeof(double) * (size_t)d);
    fbest = pbfgs(fn, ctx, best, lo, hi, d);

    memcpy(starts[0], x0, sizeof(double) * (size_t)d);
    for (int k = 1; k < 4; k++) fstart[k] = HUGE_VAL;
    while (!done) {
        double p[MAXDIM], fp;
        for (int i = 0; i < d; i++) p[i] = lo[i] + (hi[i] - lo[i]) * idx[i] / 10.0;
        fp = fn(p, ctx);
        for (int k = 1; k < 4; k++) {
            if (fp < fstart[k]) {
                for (int j = 3; j > k; j--) {
                    memcpy(starts[j], starts[j - 1], sizeof starts[j]);
                    fstart[j] = fstart[j - 1];
                }
                memcpy(starts[k], p, sizeof(double) * (size_t)d);
                fstart[k] = fp;
                if (nstart < 4) nstart++;
                break;
            }
        }
        done = 1;
        for (int i = 0; i < d; i++) {
            if (++idx[i] <= 10) {
                done = 0;
                break;
            }
            idx[i] = 0;
        }
    }
    for (int k = 0; k < nstart; k++) {
        double x[MAXDIM], fx;
        if (k > 0 && !isfinite(fstart[k])) continue;
        memcpy(x, starts[k], sizeof x);
        nelder_mead(fn, ctx, x, lo, hi, d);
        fx = pbfgs(fn, ctx, x, lo, hi, d);
        if (fx < fbest) {
            fbest = fx;
            memcpy(best, x, sizeof best);
        }
    }
    memcpy(x0, best, sizeof(double) * (size_t)d);
    return fbest;
}

/* ------------------------------------------------------------------ */
/* Holt-Winters                                                        */

typedef struct {
    const double *y;
    size_t n;
    int f, mult;
    double par[3];    /* fixed values; free ones are taken from x */
    int map[3];       /* map[k] = index in x of parameter k, or -1 */
    double *level, *trend, *season;
} hw_ctx;

static double hw_objective(const double *x, void *vctx)
{
    hw_ctx *c = vctx;
    double p[3];
    for (int k = 0; k < 3; k++) p[k] = c->map[k] >= 0 ? x[c->map[k]] : c->par[k];
    return hw_filter(c->y, c->n, (size_t)c->f, c->f, c->mult, p[0], p[1], p[2], c->level,
                     c->trend, c->season, NULL);
}

rr_status rr_fc_hw(const double *y, size_t n, int period, int multiplicative,
                   double alpha, double beta, double gamma, int h, rr_fc_result *out)
{
    rr_status st = RR_ERR_USAGE;
    size_t f = (size_t)(period > 0 ? period : 0), nf;
    double par[3] = { alpha, beta, gamma }, *res = NULL, *var = NULL, mres = 0, vres = 0;
    hw_ctx c;
    int d = 0;

    if (!out) return RR_ERR_USAGE;
    memset(out, 0, sizeof *out);
    if (!y || period < 2 || n < 2 * f || h < 0) goto out;
    if (!all_finite(y, n)) goto out;
    for (int k = 0; k < 3; k++)
        if (!isfinite(par[k]) || par[k] > 1) goto out;
    if (multiplicative)
        for (size_t i = 0; i < n; i++)
            if (!(y[i] > 0)) goto out;

    result_alloc(out, n, f, period, h);
    nf = out->n_fit;
    out->method = multiplicative ? RR_FC_HW_MULTIPLICATIVE : RR_FC_HW_ADDITIVE;
    hw_init(y, period, multiplicative, &out->level[0], &out->trend[0], out->season);

    memset(&c, 0, sizeof c);
    c.y = y;
    c.n = n;
    c.f = period;
    c.mult = multiplicative;
    c.level = rr_xcalloc(nf + 1, sizeof(double));
    c.trend = rr_xcalloc(nf + 1, sizeof(double));
    c.season = rr_xcalloc(nf + f, sizeof(double));
    c.level[0] = out->level[0];
    c.trend[0] = out->trend[0];
    memcpy(c.season, out->season, f * sizeof(double));
    static const double start[3] = { 0.3, 0.1, 0.1 }; /* R's optim.start */
    /* With n = 2f the one-step errors run over the second season only, and a
     * seasonal index updated at t is first used at t + f, past the end: the
     * SSE does not depend on gamma.  Any gamma fits equally well, and the
     * forecasts do depend on it; R's optim leaves it where it starts (its
     * gradient is zero), so keep R's starting value and say so. */
    if (par[2] < 0 && n < 2 * f + 1) {
        par[2] = start[2];
        out->gamma_kept = 1;
    }
    for (int k = 0; k < 3; k++) {
        c.par[k] = par[k];
        c.map[k] = par[k] < 0 ? d++ : -1;
    }
    if (d > 0) {
        double x[MAXDIM], lo[MAXDIM], hi[MAXDIM];
        for (int k = 0; k < 3; k++) {
            if (c.map[k] < 0) continue;
            x[c.map[k]] = start[k];
            lo[c.map[k]] = 0;
            hi[c.map[k]] = 1;
        }
        minimise(hw_objective, &c, x, lo, hi, d);
        for (int k = 0; k < 3; k++)
            if (c.map[k] >= 0) par[k] = x[c.map[k]];
    }
    free(c.level);
    free(c.trend);
    free(c.season);

    out->alpha = par[0];
    out->beta = par[1];
    out->gamma = par[2];
    out->sse = hw_filter(y, n, f, period, multiplicative, par[0], par[1], par[2], out->level,
                         out->trend, out->season, out->fitted);
    out->n_sse = nf;

    /* forecasts: (a + k b) s or a + k b + s, s cycling from s1 */
    for (int k = 0; k < h; k++) {
        double base = out->level[nf] + (k + 1) * out->trend[nf];
        double s = out->season[nf + (size_t)k % f];
        out->mean[k] = multiplicative ? base * s : base + s;
    }

    /* R: var(residuals) * (1 + sum_{j=1}^{h-1} psi_j^2),
     * psi_j = alpha (1 + j beta) + [j mod f == 0] gamma (1 - alpha) */
    res = rr_xcalloc(nf + 1, sizeof(double));
    for (size_t i = 0; i < nf; i++) {
        res[i] = y[f + i] - out->fitted[i];
        mres += res[i] / nf;
    }
    for (size_t i = 0; i < nf; i++) vres += (res[i] - mres) * (res[i] - mres);
    vres = nf > 1 ? vres / (nf - 1) : 0;
    out->sigma2 = vres;
    var = rr_xcalloc((size_t)h + 1, sizeof(double));
    {
        double acc = 1;
        for (int k = 0; k < h; k++) {
            if (k > 0) {
                double psi = par[0] * (1 + k * par[1]) + ((size_t)k % f == 0) * par[2] * (1 - par[0]);
                acc += psi * psi;
            }
            var[k] = vres * acc;
        }
    }
    set_intervals(out, var);
    snprintf(out->reason, sizeof out->reason, "Holt-Winters with %s seasonality (%s).",
             multiplicative ? "multiplicative" : "additive",
             d ? "parameters fitted by least squares" : "parameters given");
    st = RR_OK;
out:
    free(res);
    free(var);
    if (st != RR_OK && out) rr_fc_result_free(out);
    return st;
}

/* ------------------------------------------------------------------ */
/* SES, Holt, damped Holt                                              */

typedef struct {
    const double *y;
    size_t n, start;
    int dotrend;
    double par[3];    /* alpha, beta, phi */
    int map[3];
    double l0, b0;
    double *level, *trend;
} ns_ctx;

static double ns_objective(const double *x, void *vctx)
{
    ns_ctx *c = vctx;
    double p[3];
    for (int k = 0; k < 3; k++) p[k] = c->map[k] >= 0 ? x[c->map[k]] : c->par[k];
    c->level[0] = c->l0;
    c->trend[0] = c->b0;
    return ns_filter(c->y, c->n, c->start, c->dotrend, p[0], p[1], p[2], c->level, c->trend, NULL);
}

rr_status rr_fc_holt(const double *y, size_t n, int trend, double alpha, double beta,
                     double phi, rr_fc_init init, int h, rr_fc_result *out)
{
    rr_status st = RR_ERR_USAGE;
    double par[3], *var = NULL;
    size_t start, nf, need;
    ns_ctx c;
    int d = 0;

    if (!out) return RR_ERR_USAGE;
    memset(out, 0, sizeof *out);
    trend = trend != 0;
    par[0] = alpha;
    par[1] = trend ? beta : 0;
    par[2] = trend ? phi : 1;
    need = init == RR_FC_INIT_R ? (size_t)(trend ? 3 : 2) : (size_t)(trend ? 2 : 1);
    if (!y || n < need || h < 0 || !all_finite(y, n) || !all_finite(par, 3)) goto out;
    if (par[0] > 1 || par[1] > 1 || (par[2] >= 0 && par[2] != 1 && (par[2] < 0.8 || par[2] > 0.98)))
        goto out;

    start = init == RR_FC_INIT_R ? (size_t)(trend ? 2 : 1) : 0;
    result_alloc(out, n, start, 1, h);
    nf = out->n_fit;
    out->level[0] = (init == RR_FC_INIT_R && trend) ? y[1] : y[0];
    out->trend[0] = trend ? y[1] - y[0] : 0;

    memset(&c, 0, sizeof c);
    c.y = y;
    c.n = n;
    c.start = start;
    c.dotrend = trend;
    c.l0 = out->level[0];
    c.b0 = out->trend[0];
    c.level = rr_xcalloc(nf + 1, sizeof(double));
    c.trend = rr_xcalloc(nf + 1, sizeof(double));
    for (int k = 0; k < 3; k++) {
        c.par[k] = par[k];
        c.map[k] = (par[k] < 0 && (k == 0 || trend)) ? d++ : -1;
    }
    if (d > 0) {
        static const double s0[3] = { 0.5, 0.1, 0.9 };
        static const double lo0[3] = { 1e-4, 0, 0.8 }, hi0[3] = { 1, 1, 0.98 };
        double x[MAXDIM], lo[MAXDIM], hi[MAXDIM];
        for (int k = 0; k < 3; k++) {
            if (c.map[k] < 0) continue;
            x[c.map[k]] = s0[k];
            lo[c.map[k]] = lo0[k];
            hi[c.map[k]] = hi0[k];
        }
        minimise(ns_objective, &c, x, lo, hi, d);
        for (int k = 0; k < 3; k++)
            if (c.map[k] >= 0) par[k] = x[c.map[k]];
    }
    free(c.level);
    free(c.trend);

    out->alpha = par[0];
    out->beta = par[1];
    out->phi = par[2];
    out->method = !trend ? RR_FC_SES : par[2] < 1 ? RR_FC_HOLT_DAMPED : RR_FC_HOLT;
    out->sse = ns_filter(y, n, start, trend, par[0], par[1], par[2], out->level, out->trend,
                         out->fitted);
    out->n_sse = nf;
    {
        /* fpp2 table 7.8, with beta = alpha * beta* (error-correction form) */
        size_t k = (size_t)d;
        double a = par[0], b = par[0] * par[1], p = par[2];
        double ln = out->level[nf], bn = out->trend[nf], cum = 0, pk = 1;
        out->sigma2 = (nf > k && nf - k >= 1) ? out->sse / (double)(nf - k)
                      : nf > 0 ? out->sse / (double)nf : 0;
        var = rr_xcalloc((size_t)h + 1, sizeof(double));
        for (int j = 0; j < h; j++) {
            double hh = j + 1, c_h;
            pk *= p;
            cum += pk;
            out->mean[j] = ln + (trend ? cum * bn : 0);
            if (!trend) {
                c_h = 1 + a * a * (hh - 1);
            } else if (p >= 1) {
                c_h = 1 + (hh - 1) * (a * a + a * b * hh + b * b * hh * (2 * hh - 1) / 6);
            } else {
                double q = 1 - p, ph = pow(p, hh);
                c_h = 1 + a * a * (hh - 1) +
                      b * p * hh / (q * q) * (2 * a * q + b * p) -
                      b * p * (1 - ph) / (q * q * (1 - p * p)) *
                          (2 * a * (1 - p * p) + b * p * (1 + 2 * p - ph));
            }
            var[j] = out->sigma2 * c_h;
        }
    }
    set_intervals(out, var);
    snprintf(out->reason, sizeof out->reason, "%s (%s).",
             !trend ? "Simple exponential smoothing" : par[2] < 1 ? "Damped Holt trend"
                                                                  : "Holt linear trend",
             d ? "parameters fitted by least squares" : "parameters given");
    st = RR_OK;
out:
    free(var);
    if (st != RR_OK && out) rr_fc_result_free(out);
    return st;
}

/* ------------------------------------------------------------------ */
/* automatic choice                                                    */

static void fill_none(rr_fc_result *r, int h, const char *why)
{
    result_alloc(r, 0, 0, 1, h > 0 ? h : 0);
    r->method = RR_FC_METHOD_NONE;
    snprintf(r->reason, sizeof r->reason, "%s", why);
}

/* Naive mean of 1..3 values; Student-t interval for a new observation. */
/* Student t quantiles (0.90 and 0.975) for 1 and 2 degrees of freedom. */
static const double t80[3] = { 0, 3.077683537175253, 1.885618083164127 };
static const double t95[3] = { 0, 12.70620473617471, 4.302652729911275 };

static void fill_naive(const double *y, size_t n, int h, rr_fc_result *r)
{
    double mean = 0, ss = 0;
    result_alloc(r, n, 0, 1, h);
    r->method = RR_FC_NAIVE;
    for (size_t i = 0; i < n; i++) mean += y[i] / n;
    for (size_t i = 0; i < n; i++) ss += (y[i] - mean) * (y[i] - mean);
    r->sigma2 = n > 1 ? ss / (n - 1) : 0;
    r->level[0] = mean;
    for (int k = 0; k < h; k++) {
        double sd = sqrt(r->sigma2 * (1 + 1.0 / n));
        r->mean[k] = mean;
        r->lo80[k] = mean - (n > 1 ? t80[n - 1] * sd : 0);
        r->hi80[k] = mean + (n > 1 ? t80[n - 1] * sd : 0);
        r->lo95[k] = mean - (n > 1 ? t95[n - 1] * sd : 0);
        r->hi95[k] = mean + (n > 1 ? t95[n - 1] * sd : 0);
    }
    r->has_interval = n > 1;
    if (n == 1)
        snprintf(r->reason, sizeof r->reason,
                 "Only 1 month of history: the forecast repeats it, with no interval.");
    else
        snprintf(r->reason, sizeof r->reason,
                 "Only %zu months of history (fewer than 4): the forecast is their mean, "
                 "with a wide Student-t interval.", n);
}

/* AIC-like score on the errors of y[2..n-1] (common to SES and Holt with R's
 * initialisation): m log(SSE/m) + 2k. */
static double aic_tail(const rr_fc_result *r, const double *y, int k)
{
    double sse = 0;
    size_t m = 0;
    for (size_t i = 0; i < r->n_fit; i++) {
        size_t t = r->start + i;
        if (t < 2) continue;
        sse += (y[t] - r->fitted[i]) * (y[t] - r->fitted[i]);
        m++;
    }
    if (m == 0) return HUGE_VAL;
    return m * log(fmax(sse / m, 1e-300)) + 2.0 * k;
}

rr_status rr_fc_auto(const double *y, size_t n, int period, int h, rr_fc_result *out)
{
    const char *unit = period == 12 ? "months" : "observations";
    rr_fc_result a, b;
    int hh = h > 0 ? h : 0;

    if (!out) return RR_ERR_USAGE;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    if (h < 0 || (n > 0 && !y) || (n > 0 && !all_finite(y, n))) {
        fill_none(out, hh, "The series is invalid (missing or non-finite values): no forecast.");
        return RR_ERR_USAGE;
    }
    if (n == 0) {
        fill_none(out, hh, "No history: no forecast.");
        return RR_OK;
    }

    if (period >= 2 && n >= 2 * (size_t)period) {
        int pos = 1, have_a, have_m = 0;
        for (size_t i = 0; i < n; i++)
            if (!(y[i] > 0)) pos = 0;
        have_a = rr_fc_hw(y, n, period, 0, -1, -1, -1, hh, &a) == RR_OK && result_finite(&a);
        if (pos)
            have_m = rr_fc_hw(y, n, period, 1, -1, -1, -1, hh, &b) == RR_OK && result_finite(&b);
        if (have_m && (!have_a || b.sse < a.sse)) {
            *out = b;
            memset(&b, 0, sizeof b);
            if (have_a)
                snprintf(out->reason, sizeof out->reason,
                         "%zu %s of history (%zu full seasons): Holt-Winters with multiplicative "
                         "seasonality, chosen over additive by lower SSE (%.6g vs %.6g).",
                         n, unit, n / (size_t)period, out->sse, a.sse);
            else
                snprintf(out->reason, sizeof out->reason,
                         "%zu %s of history (%zu full seasons): Holt-Winters with multiplicative "
                         "seasonality (the additive fit failed).", n, unit, n / (size_t)period);
            goto done;
        }
        if (have_a) {
            *out = a;
            memset(&a, 0, sizeof a);
            if (have_m)
                snprintf(out->reason, sizeof out->reason,
                         "%zu %s of history (%zu full seasons): Holt-Winters with additive "
                         "seasonality, chosen over multiplicative by lower SSE (%.6g vs %.6g).",
                         n, unit, n / (size_t)period, out->sse, b.sse);
            else
                snprintf(out->reason, sizeof out->reason,
                         "%zu %s of history (%zu full seasons): Holt-Winters with additive "
                         "seasonality (multiplicative needs every value above zero).",
                         n, unit, n / (size_t)period);
            goto done;
        }
        rr_fc_result_free(&a);
        rr_fc_result_free(&b);
        /* fall through to the non-seasonal methods */
    }

    if (n >= 4) {
        int have_s, have_d;
        char why[96];
        if (period >= 2 && n < 2 * (size_t)period)
            snprintf(why, sizeof why, "fewer than two full seasons of %d", period);
        else if (period >= 2)
            snprintf(why, sizeof why, "the seasonal fit failed");
        else
            snprintf(why, sizeof why, "no seasonality asked for");
        have_s = rr_fc_holt(y, n, 0, -1, 0, 1, RR_FC_INIT_R, hh, &a) == RR_OK && result_finite(&a);
        have_d = rr_fc_holt(y, n, 1, -1, -1, -1, RR_FC_INIT_R, hh, &b) == RR_OK &&
                 result_finite(&b);
        if (have_s || have_d) {
            double as = have_s ? aic_tail(&a, y, 1) : HUGE_VAL;
            double ad = have_d ? aic_tail(&b, y, 3) : HUGE_VAL;
            if (have_d && ad < as) {
                *out = b;
                memset(&b, 0, sizeof b);
                snprintf(out->reason, sizeof out->reason,
                         "%zu %s of history (%s): damped Holt trend, chosen over simple "
                         "exponential smoothing by lower AIC (%.4g vs %.4g).", n, unit, why, ad, as);
            } else {
                *out = a;
                memset(&a, 0, sizeof a);
                if (have_d)
                    snprintf(out->reason, sizeof out->reason,
                             "%zu %s of history (%s): simple exponential smoothing, chosen over "
                             "damped Holt by lower AIC (%.4g vs %.4g).", n, unit, why, as, ad);
                else
                    snprintf(out->reason, sizeof out->reason,
                             "%zu %s of history (%s): simple exponential smoothing.", n, unit, why);
            }
            goto done;
        }
        rr_fc_result_free(&a);
        rr_fc_result_free(&b);
    }
    if (n <= 3) {
        fill_naive(y, n, hh, out);
    } else { /* only reached when every fit failed: mean of the last three */
        fill_naive(y + n - 3, 3, hh, out);
        out->n = n;
        snprintf(out->reason, sizeof out->reason,
                 "%zu %s of history but no smoothing fit succeeded: the forecast is the mean "
                 "of the last 3, with a wide Student-t interval.", n, unit);
    }
done:
    rr_fc_result_free(&a);
    rr_fc_result_free(&b);
    if (!result_finite(out)) {
        rr_fc_result_free(out);
        fill_none(out, hh, "The fit produced non-finite numbers: no forecast.");
    }
    return RR_OK;
}

/* ------------------------------------------------------------------ */
/* total over the next k months                                        */

/* psi_j: weight of the shock j steps back in the h-step forecast error,
 * e_{n+h} = eps_{n+h} + sum_{j=1}^{h-1} psi_j eps_{n+h-j}. */
static double psi(const rr_fc_result *r, int j)
{
    double a = r->alpha, b = r->alpha * r->beta, cum = 0, pk = 1;
    switch (r->method) {
    case RR_FC_HW_ADDITIVE:
    case RR_FC_HW_MULTIPLICATIVE:
        return a * (1 + j * r->beta) + (j % r->period == 0) * r->gamma * (1 - a);
    case RR_FC_SES:
        return a;
    case RR_FC_HOLT:
        return a + j * b;
    case RR_FC_HOLT_DAMPED:
        for (int i = 0; i < j; i++) {
            pk *= r->phi;
            cum += pk;
        }
        return a + b * cum;
    case RR_FC_METHOD_NONE:
    case RR_FC_NAIVE:
        return 0;
    }
    return 0;
}

rr_status rr_fc_total(const rr_fc_result *r, int k, double *mean, double *lo80, double *hi80,
                      double *lo95, double *hi95)
{
    double m = 0, var = 0, z80 = Z80, z95 = Z95, sd;
    if (!r || !mean || !lo80 || !hi80 || !lo95 || !hi95 || k < 0 || k > r->h) return RR_ERR_USAGE;
    for (int i = 0; i < k; i++) m += r->mean[i];
    if (r->has_interval && r->method == RR_FC_NAIVE && r->n >= 2) {
        size_t nn = r->n < 3 ? r->n : 3;
        var = r->sigma2 * (k + (double)k * k / nn);
        z80 = t80[nn - 1];
        z95 = t95[nn - 1];
    } else if (r->has_interval) {
        /* sum_{h=1}^{k} e_{n+h} = sum_{i=1}^{k} eps_{n+i} (1 + sum_{j=1}^{k-i} psi_j) */
        for (int i = 1; i <= k; i++) {
            double c = 1;
            for (int j = 1; j <= k - i; j++) c += psi(r, j);
            var += c * c;
        }
        var *= r->sigma2;
    }
    sd = var > 0 && isfinite(var) ? sqrt(var) : 0;
    *mean = m;
    *lo80 = m - z80 * sd;
    *hi80 = m + z80 * sd;
    *lo95 = m - z95 * sd;
    *hi95 = m + z95 * sd;
    return RR_OK;
}

/* ------------------------------------------------------------------ */
/* accuracy of submitted forecasts                                     */

int rr_fc_accuracy(double actual, double forecast, double *acc)
{
    if (actual == 0 || !isfinite(actual) || !isfinite(forecast)) {
        *acc = 0;
        return 0;
    }
    *acc = 1 - fabs(actual - forecast) / actual;
    return 1;
}

double rr_fc_variance(double actual, double forecast)
{
    return actual - forecast;
}

double rr_fc_mape(const double *a, const double *f, size_t n, size_t window, size_t *used)
{
    size_t from = (window == 0 || window > n) ? 0 : n - window, m = 0;
    double sum = 0;
    for (size_t i = from; i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(f[i]) || a[i] == 0) continue;
        sum += fabs(a[i] - f[i]) / fabs(a[i]);
        m++;
    }
    if (used) *used = m;
    return m ? sum / m * 100.0 : 0.0;
}

int rr_fc_bias(const double *a, const double *f, size_t n, size_t window,
               double *bias, size_t *used)
{
    size_t from = (window == 0 || window > n) ? 0 : n - window, m = 0;
    double sfa = 0, sa = 0;
    for (size_t i = from; i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(f[i]) || a[i] == 0) continue;   /* MAPE's months */
        sfa += f[i] - a[i];
        sa += a[i];
        m++;
    }
    if (used) *used = m;
    if (sa == 0) {
        *bias = 0;
        return 0;
    }
    *bias = sfa / sa;
    return 1;
}
