/* test_forecast.c: TAP tests of src/forecast.c against R 4.2.2 / forecast 8.20
 * reference output in $SHARED_DATA/forecasting-reference-series (skipped when
 * that folder is missing), plus hand-worked accuracy figures and the
 * never-NaN guarantee of rr_fc_auto.
 *
 *   SHARED_DATA=/work/shared/data ./tests/test_forecast
 *
 * Reference figures typed in below are copied from
 * expected/R_forecast_reference_output.txt (printed by R with 15 digits). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revreport/forecast.h"
#include "revreport/tap.h"
#include "revreport/xalloc.h"

#define REL 1e-6

/* Read column `col` (0-based) of a CSV with one header line and plain
 * numeric fields (the time column of the R files is numeric too; the month
 * column of AirPassengers.csv is skipped by asking for column 1).
 * Returns the number of values, 0 on any error; *out is malloc'd. */
static size_t read_col(const char *dir, const char *name, int col, double **out)
{
    char path[1024], line[1024];
    FILE *fp;
    size_t n = 0, cap = 0;
    double *v = NULL;

    *out = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fp = fopen(path, "r");
    if (!fp) return 0;
    if (!fgets(line, sizeof line, fp)) goto fail;
    while (fgets(line, sizeof line, fp)) {
        char *p = line, *end;
        double x;
        if (line[0] == '\n' || line[0] == '\0') continue;
        for (int c = 0; c < col; c++) {
            p = strchr(p, ',');
            if (!p) goto fail;
            p++;
        }
        errno = 0;
        x = strtod(p, &end);
        if (end == p || errno) goto fail;
        v = rr_xgrow(v, &cap, n + 1, sizeof *v);
        v[n++] = x;
    }
    fclose(fp);
    *out = v;
    return n;
fail:
    fclose(fp);
    free(v);
    return 0;
}

static double relerr(double got, double want)
{
    double s = fabs(want) > 0 ? fabs(want) : 1.0;
    return fabs(got - want) / s;
}

/* Compare a vector to R's, report the worst relative error in one line. */
static void vec_rel(const double *got, const double *want, size_t n, double tol, const char *what)
{
    double worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        double e = relerr(got[i], want[i]);
        if (!(e <= worst)) {
            worst = e;
            at = i;
        }
    }
    rr_tap_ok(worst <= tol, "%s (%zu values, worst rel err %.2e)", what, n, worst);
    if (!(worst <= tol))
        rr_tap_diag("  at %zu: got %.15g, want %.15g", at, got[at], want[at]);
}

typedef struct {
    const char *label, *csv;
    int mult;
    double sse, l0, b0, s0[12], coef[14], pred[12];
} hw_ref;

static const hw_ref fixed_refs[2] = {
    { "HW additive a=0.2 b=0.1 g=0.3", "R_HoltWinters_AirPassengers_add_a0.2_b0.1_g0.3_fitted.csv",
      0, 61308.5488737691, 124.316919191919, 1.14568764568765,
      { -14.8194444444445, -5.65277777777777, 7.51388888888889, 0.0138888888888882,
        -10.9861111111111, 11.6805555555555, 22.6388888888889, 22.1805555555556,
        9.47222222222223, -8.15277777777777, -23.5694444444444, -10.3194444444445 },
      { 496.671478374241360, 3.853739809631487, -31.218774848533236, -46.679498379576032,
        -3.662341892414544, 0.816583980780176, 8.885837712845060, 58.668948731055053,
        109.229275556687739, 95.896762487695526, 11.609766168847841, -37.422625695438178,
        -85.011416479129394, -48.615891375497199 },
      { 469.306443335340, 457.699459613928, 504.570355910721, 512.903021593547,
        524.826015135244, 578.462865963085, 632.876932598350, 623.398159338989,
        542.964902829773, 497.786250775118, 454.051199801058, 494.300464714322 } },
    { "HW multiplicative a=0.2 b=0.1 g=0.3",
      "R_HoltWinters_AirPassengers_mult_a0.2_b0.1_g0.3_fitted.csv", 1, 24724.2160967211,
      124.316919191919, 1.14568764568765,
      { 0.885377815022177, 0.956702662008391, 1.05604790005129, 0.99999180855271,
        0.919180306022048, 1.08513403180744, 1.17950860096112, 1.17526020717901,
        1.07399050289666, 0.935173924204861, 0.814655016855593, 0.918977224438701 },
      { 491.589618937445380, 3.995853456510356, 0.914833737547386, 0.871829053749302,
        0.994361308060506, 0.997333290034322, 1.014088784696071, 1.153705127601023,
        1.294139099715189, 1.270545446510614, 1.063218378779274, 0.931855897594313,
        0.802422501965338, 0.888979809327821 },
      { 453.378309984350, 435.549514587034, 500.737662725105, 506.219482698707,
        518.776270115160, 594.809683775073, 672.383678244654, 665.202259205603,
        560.903301176226, 495.326281696717, 429.732561976631, 479.640042236992 } },
};

static void test_hw_fixed(const char *dir, const char *exp, const double *ap, size_t n)
{
    for (int m = 0; m < 2; m++) {
        const hw_ref *R = &fixed_refs[m];
        rr_fc_result r;
        double *col[4] = { NULL, NULL, NULL, NULL }, coef[14], *mine[4];
        size_t rows = 0, rn[4];
        static const char *names[4] = { "xhat", "level", "trend", "season" };
        char what[160];

        if (rr_fc_hw(ap, n, 12, R->mult, 0.2, 0.1, 0.3, 12, &r) != RR_OK) {
            rr_tap_ok(0, "%s: fit", R->label);
            continue;
        }
        rr_tap_rel(r.sse, R->sse, 1e-9, "SSE");
        rr_tap_rel(r.level[0], R->l0, 1e-12, "initial level l.start");
        rr_tap_rel(r.trend[0], R->b0, 1e-12, "initial trend b.start");
        snprintf(what, sizeof what, "%s: initial seasonal s.start", R->label);
        vec_rel(r.season, R->s0, 12, 1e-12, what);

        for (int c = 0; c < 4; c++) rn[c] = read_col(exp, R->csv, c + 1, &col[c]);
        rows = rn[0];
        rr_tap_ok(rows == r.n_fit && rn[1] == rows && rn[2] == rows && rn[3] == rows,
                  "%s: %zu fitted rows in R's CSV, %zu here", R->label, rows, r.n_fit);
        mine[0] = r.fitted;
        mine[1] = r.level;
        mine[2] = r.trend;
        mine[3] = r.season;
        for (int c = 0; c < 4; c++) {
            snprintf(what, sizeof what, "%s: fitted %s, every row vs R", R->label, names[c]);
            if (rows == r.n_fit && rn[c] == rows)
                vec_rel(mine[c], col[c], rows, REL, what);
            else
                rr_tap_ok(0, "%s", what);
        }
        coef[0] = r.level[r.n_fit];
        coef[1] = r.trend[r.n_fit];
        for (int k = 0; k < 12; k++) coef[2 + k] = r.season[r.n_fit + (size_t)k];
        snprintf(what, sizeof what, "%s: coefficients a, b, s1..s12", R->label);
        vec_rel(coef, R->coef, 14, REL, what);
        snprintf(what, sizeof what, "%s: predict n.ahead=12", R->label);
        vec_rel(r.mean, R->pred, 12, REL, what);
        rr_tap_ok(r.has_interval && r.lo95[0] < r.lo80[0] && r.lo80[0] < r.mean[0] &&
                      r.mean[0] < r.hi80[0] && r.hi80[0] < r.hi95[0] &&
                      r.hi95[11] - r.lo95[11] > r.hi95[0] - r.lo95[0],
                  "%s: intervals nested and widening", R->label);
        for (int c = 0; c < 4; c++) free(col[c]);
        rr_fc_result_free(&r);
    }
    (void)dir;
}

static void test_hw_optimised(const double *ap, size_t n)
{
    static const struct {
        const char *label;
        int mult;
        double a, b, g, sse, pred1;
    } R[2] = {
        { "HW additive optimised", 0, 0.247959489735621, 0.0345337296488465, 1,
          21860.1846218501, 453.497721751322 },
        { "HW multiplicative optimised", 1, 0.27559247473635, 0.0326929527336615,
          0.870729222265009, 16570.7778669999, 447.055931344916 },
    };
    for (int m = 0; m < 2; m++) {
        rr_fc_result r;
        if (rr_fc_hw(ap, n, 12, R[m].mult, -1, -1, -1, 12, &r) != RR_OK) {
            rr_tap_ok(0, "%s: fit", R[m].label);
            continue;
        }
        rr_tap_ok(r.sse <= R[m].sse * 1.001, "%s: SSE %.6f within 0.1%% of R's %.6f (or lower)",
                  R[m].label, r.sse, R[m].sse);
        rr_tap_diag("%s: alpha %.6f beta %.6f gamma %.6f SSE %.4f", R[m].label, r.alpha, r.beta,
                    r.gamma, r.sse);
        rr_tap_diag("  R 4.2.2:  alpha %.6f beta %.6f gamma %.6f SSE %.4f", R[m].a, R[m].b, R[m].g,
                    R[m].sse);
        rr_tap_diag("  difference: alpha %+.2e beta %+.2e gamma %+.2e SSE %+.3e (%+.4f%%)",
                    r.alpha - R[m].a, r.beta - R[m].b, r.gamma - R[m].g, r.sse - R[m].sse,
                    100 * (r.sse - R[m].sse) / R[m].sse);
        rr_tap_ok(fabs(r.alpha - R[m].a) < 0.02 && fabs(r.beta - R[m].b) < 0.01 &&
                      fabs(r.gamma - R[m].g) < 0.05,
                  "%s: parameters close to R's (|d alpha| < 0.02, |d beta| < 0.01, "
                  "|d gamma| < 0.05)", R[m].label);
        rr_tap_rel(r.mean[0], R[m].pred1, 2e-3, "first prediction within 0.2% of R's");
        rr_fc_result_free(&r);
    }
}

static int result_finite_hw(const rr_fc_result *r)
{
    for (int k = 0; k < r->h; k++)
        if (!isfinite(r->mean[k]) || !isfinite(r->lo95[k]) || !isfinite(r->hi95[k])) return 0;
    return isfinite(r->sse) && isfinite(r->alpha) && isfinite(r->beta) && isfinite(r->gamma);
}

static void test_ses_holt(const char *dir)
{
    double *oil = NULL, *air = NULL;
    size_t no = read_col(dir, "oildata_annual_1996_2007.csv", 1, &oil);
    size_t na = read_col(dir, "ausair_annual_1990_2004.csv", 1, &air);
    static const double oil_levels[13] = {
        446.656522900000, 446.656522900000, 448.219879620000, 449.708498496000,
        444.493246556800, 446.848862825440, 445.596700280352, 441.543864244282,
        450.264980975425, 461.421617200340, 474.495690420272, 482.450330136218,
        484.802467968974 };
    static const double air_fc[5] = { 43.7569684906810, 45.5935233090074, 47.4300781273338,
                                      49.2666329456602, 51.1031877639866 };
    rr_fc_result r;

    rr_tap_int((long long)no, 12, "oil 1996-2007: 12 values");
    if (no == 12 && rr_fc_holt(oil, no, 0, 0.2, 0, 1, RR_FC_INIT_SIMPLE, 3, &r) == RR_OK) {
        double fc3[3] = { 484.802467968974, 484.802467968974, 484.802467968974 };
        vec_rel(r.level, oil_levels, 13, 1e-9, "ses(oil, alpha=0.2, initial=simple): levels l0..l12");
        vec_rel(r.mean, fc3, 3, 1e-9, "ses(oil): forecasts 2008-2010");
        rr_tap_ok(r.method == RR_FC_SES && r.has_interval && r.lo95[2] < r.lo95[0],
                  "ses(oil): method and widening interval");
        rr_fc_result_free(&r);
    } else {
        rr_tap_ok(0, "ses(oil) fit");
    }

    rr_tap_int((long long)na, 15, "ausair 1990-2004: 15 values");
    if (na == 15 && rr_fc_holt(air, na, 1, 0.8, 0.2, 1, RR_FC_INIT_SIMPLE, 5, &r) == RR_OK) {
        vec_rel(r.mean, air_fc, 5, 1e-9, "holt(ausair, alpha=0.8, beta=0.2, initial=simple): h=1..5");
        rr_tap_ok(r.method == RR_FC_HOLT, "holt(ausair): method holt");
        rr_fc_result_free(&r);
    } else {
        rr_tap_ok(0, "holt(ausair) fit");
    }

    /* fitted parameters: SES alpha and damped Holt on ausair stay finite and
     * inside their bounds, and the fitted SSE is no worse than the fixed one */
    if (na == 15) {
        rr_fc_result f0, f1;
        if (rr_fc_holt(air, na, 1, 0.8, 0.2, 1, RR_FC_INIT_SIMPLE, 5, &f0) == RR_OK &&
            rr_fc_holt(air, na, 1, -1, -1, 1, RR_FC_INIT_SIMPLE, 5, &f1) == RR_OK) {
            rr_tap_ok(f1.sse <= f0.sse + 1e-9, "holt(ausair) fitted SSE %.6f <= fixed SSE %.6f "
                      "(alpha %.4f beta %.4f)", f1.sse, f0.sse, f1.alpha, f1.beta);
        } else {
            rr_tap_ok(0, "holt(ausair) fitted");
        }
        rr_fc_result_free(&f0);
        rr_fc_result_free(&f1);
        if (rr_fc_holt(air, na, 1, -1, -1, -1, RR_FC_INIT_R, 3, &f1) == RR_OK) {
            rr_tap_ok(f1.method == RR_FC_HOLT_DAMPED && f1.phi >= 0.8 && f1.phi <= 0.98 &&
                          f1.alpha >= 0 && f1.alpha <= 1 && f1.beta >= 0 && f1.beta <= 1 &&
                          f1.hi95[2] - f1.lo95[2] > f1.hi95[0] - f1.lo95[0],
                      "damped holt(ausair): alpha %.4f beta %.4f phi %.4f in bounds",
                      f1.alpha, f1.beta, f1.phi);
        } else {
            rr_tap_ok(0, "damped holt(ausair) fit");
        }
        rr_fc_result_free(&f1);
    }
    {
        /* quarterly (period 4): no R HoltWinters reference here; forecast::hw
         * uses ets-style initial states fitted by likelihood, so its numbers
         * are only shown for comparison, not asserted */
        double *aust = NULL;
        size_t nq = read_col(dir, "aust_quarterly_2005_2010.csv", 1, &aust);
        static const double hw_add[4] = { 61.2650423365003, 37.0715908625260, 46.3496222476879,
                                          50.0719004541517 };
        for (int m = 0; m < 2 && nq == 24; m++) {
            if (rr_fc_hw(aust, nq, 4, m, -1, -1, -1, 8, &r) == RR_OK) {
                rr_tap_ok(result_finite_hw(&r), "aust quarterly HW %s: finite, h=8",
                          m ? "multiplicative" : "additive");
                rr_tap_diag("  alpha %.4f beta %.4f gamma %.4f SSE %.4f; 2011Q1..Q4 %.3f %.3f %.3f %.3f",
                            r.alpha, r.beta, r.gamma, r.sse, r.mean[0], r.mean[1], r.mean[2],
                            r.mean[3]);
                if (!m)
                    rr_tap_diag("  forecast::hw additive (other init): %.3f %.3f %.3f %.3f",
                                hw_add[0], hw_add[1], hw_add[2], hw_add[3]);
                rr_fc_result_free(&r);
            } else {
                rr_tap_ok(0, "aust quarterly HW fit");
            }
        }
        if (nq != 24) rr_tap_ok(0, "aust quarterly: 24 values (got %zu)", nq);
        free(aust);
    }
    free(oil);
    free(air);
}

/* Interval formulas on a hand-checkable case: SES alpha=0.5 on 1,2,3,4
 * (R init: l0 = 1, errors 1, 1.5, 1.75 -> SSE 6.3125, sigma2 = 6.3125/3),
 * var(h) = sigma2 (1 + alpha^2 (h-1)). */
static void test_intervals_by_hand(void)
{
    double y[4] = { 1, 2, 3, 4 };
    rr_fc_result r;
    if (rr_fc_holt(y, 4, 0, 0.5, 0, 1, RR_FC_INIT_R, 2, &r) != RR_OK) {
        rr_tap_ok(0, "ses by hand");
        return;
    }
    rr_tap_near(r.sse, 6.3125, 1e-12, "ses by hand: SSE 1 + 2.25 + 3.0625");
    rr_tap_near(r.mean[0], 3.125, 1e-12, "ses by hand: level 3.125");
    rr_tap_near(r.sigma2, 6.3125 / 3, 1e-12, "ses by hand: sigma2 = SSE/(3 errors - 0 fitted)");
    rr_tap_near(r.hi95[1] - r.mean[1], 1.959963984540054 * sqrt(6.3125 / 3 * 1.25), 1e-9,
                "ses by hand: 95% half-width at h=2 = z sqrt(sigma2 (1 + 0.25))");
    {
        /* total of k=2: eps1 (1 + psi_1) + eps2, psi_1 = alpha = 0.5:
         * var = sigma2 (1.5^2 + 1) = sigma2 * 3.25; k=1 equals the h=1 interval */
        double m, l8, h8, l9, h9;
        rr_tap_ok(rr_fc_total(&r, 2, &m, &l8, &h8, &l9, &h9) == RR_OK && fabs(m - 6.25) < 1e-12 &&
                      fabs((h9 - m) - 1.959963984540054 * sqrt(6.3125 / 3 * 3.25)) < 1e-9,
                  "ses by hand: total of 2 months 6.25, var sigma2 (1.5^2 + 1)");
        rr_tap_ok(rr_fc_total(&r, 1, &m, &l8, &h8, &l9, &h9) == RR_OK && fabs(m - r.mean[0]) < 1e-12 &&
                      fabs(l8 - r.lo80[0]) < 1e-9 && fabs(h9 - r.hi95[0]) < 1e-9,
                  "total of 1 month = the month's own interval");
        rr_tap_ok(rr_fc_total(&r, 3, &m, &l8, &h8, &l9, &h9) == RR_ERR_USAGE, "total beyond h refused");
    }
    rr_fc_result_free(&r);
}

static void test_accuracy(void)
{
    double acc;
    size_t used;
    double bias;
    /* A = 100, F = 90: 1 - 10/100 = 0.9; A = 80, F = 100: 1 - 20/80 = 0.75 */
    rr_tap_ok(rr_fc_accuracy(100, 90, &acc) && fabs(acc - 0.9) < 1e-15, "accuracy 100 vs 90 = 0.9");
    rr_tap_ok(rr_fc_accuracy(80, 100, &acc) && fabs(acc - 0.75) < 1e-15, "accuracy 80 vs 100 = 0.75");
    rr_tap_ok(rr_fc_accuracy(10, 35, &acc) && fabs(acc + 1.5) < 1e-15, "accuracy 10 vs 35 = -1.5");
    rr_tap_ok(!rr_fc_accuracy(0, 5, &acc) && acc == 0, "accuracy with A = 0 undefined (0 returned)");
    rr_tap_near(rr_fc_variance(100, 90), 10, 0, "variance A - F = +10");
    rr_tap_near(rr_fc_variance(80, 100), -20, 0, "variance A - F = -20");
    {
        /* A: 100 200 0 50 ; F: 110 180 20 50
         * MAPE over A != 0: (10/100 + 20/200 + 0/50)/3 * 100 = 6.6667
         * bias over the same 3 months: sum(F - A) = 10 - 20 + 0 = -10; sum A = 350 */
        double a[4] = { 100, 200, 0, 50 }, f[4] = { 110, 180, 20, 50 };
        double mape = rr_fc_mape(a, f, 4, 12, &used);
        rr_tap_near(mape, 20.0 / 3.0, 1e-12, "MAPE hand-worked = 6.6667%");
        rr_tap_int((long long)used, 3, "MAPE skips A = 0: 3 periods used");
        /* the same months as MAPE (issue 17: "Months" counted 3 while the bias used 4):
         * the A = 0 month is left out of both: (10 - 20 + 0) / 350 over 3 months */
        size_t used_m = 0;
        rr_fc_mape(a, f, 4, 12, &used_m);
        rr_tap_ok(rr_fc_bias(a, f, 4, 12, &bias, &used) && fabs(bias - -10.0 / 350.0) < 1e-15 &&
                      used == 3 && used == used_m, "bias hand-worked = -10/350 over MAPE's 3 months");
        /* trailing window of 2: periods 3, 4 -> MAPE 0 over 1 period */
        mape = rr_fc_mape(a, f, 4, 2, &used);
        rr_tap_ok(mape == 0 && used == 1, "MAPE trailing window 2: 0%% over 1 period");
        rr_tap_ok(rr_fc_bias(a, f, 4, 2, &bias, &used) && bias == 0 && used == 1,
                  "bias trailing window 2 = 0/50 over MAPE's 1 period");
    }
    {
        /* a missing forecast (NAN) is skipped */
        double a[3] = { 100, 100, 100 }, f[3] = { 90, NAN, 120 };
        double mape = rr_fc_mape(a, f, 3, 0, &used);
        rr_tap_ok(fabs(mape - 15) < 1e-12 && used == 2, "MAPE skips a missing forecast: 15%% over 2");
        rr_tap_ok(!rr_fc_bias(a, f, 0, 0, &bias, &used) && bias == 0 && used == 0,
                  "bias over no period undefined (0)");
    }
}

static int result_finite(const rr_fc_result *r)
{
    double p[6] = { r->alpha, r->beta, r->gamma, r->phi, r->sse, r->sigma2 };
    for (int i = 0; i < 6; i++)
        if (!isfinite(p[i])) return 0;
    for (int k = 0; k < r->h; k++)
        if (!isfinite(r->mean[k]) || !isfinite(r->lo80[k]) || !isfinite(r->hi80[k]) ||
            !isfinite(r->lo95[k]) || !isfinite(r->hi95[k]) || r->lo95[k] > r->lo80[k] ||
            r->lo80[k] > r->mean[k] || r->mean[k] > r->hi80[k] || r->hi80[k] > r->hi95[k])
            return 0;
    for (size_t i = 0; i < r->n_fit; i++)
        if (!isfinite(r->fitted[i])) return 0;
    return 1;
}

static void test_auto(const double *ap, size_t nap)
{
    /* a fictional monthly won-revenue series with a zero month (no
     * multiplicative fit possible) and a seasonal bump in Q4 */
    double rev[24], pos[24];
    static const struct {
        size_t n;
        rr_fc_method want;
    } cases[] = { { 24, RR_FC_HW_ADDITIVE }, { 12, RR_FC_METHOD_NONE }, { 5, RR_FC_METHOD_NONE },
                  { 2, RR_FC_NAIVE }, { 1, RR_FC_NAIVE }, { 0, RR_FC_METHOD_NONE } };
    for (int i = 0; i < 24; i++) {
        rev[i] = 100000 + 2500.0 * i + ((i % 12) >= 9 ? 40000 : 0) + ((i * 7919) % 13) * 1500.0;
        pos[i] = rev[i];
    }
    rev[4] = 0;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rr_fc_result r;
        size_t n = cases[c].n;
        rr_status st = rr_fc_auto(n ? rev : NULL, n, 12, 3, &r);
        rr_tap_ok(st == RR_OK && r.h == 3 && result_finite(&r) && r.reason[0],
                  "auto on %zu months: %s, finite, ordered intervals", n, rr_fc_method_name(r.method));
        rr_tap_diag("  %s", r.reason);
        rr_tap_diag("  mean %.1f %.1f %.1f  95%% [%.1f, %.1f]", r.mean[0], r.mean[1], r.mean[2],
                    r.lo95[0], r.hi95[0]);
        {
            double m = 0, l8 = 0, h8 = 0, l9 = 0, h9 = 0;
            rr_status ts = rr_fc_total(&r, 3, &m, &l8, &h8, &l9, &h9);
            rr_tap_ok(ts == RR_OK && isfinite(m) &&
                          isfinite(l9) && isfinite(h9) && l9 <= l8 && l8 <= m && m <= h8 && h8 <= h9,
                      "auto on %zu months: 3-month total %.1f [%.1f, %.1f] finite", n, m, l9, h9);
        }
        if (cases[c].want != RR_FC_METHOD_NONE || n == 0)
            rr_tap_ok(r.method == cases[c].want, "auto on %zu months: method %s", n,
                      rr_fc_method_name(cases[c].want));
        else
            rr_tap_ok(r.method == RR_FC_SES || r.method == RR_FC_HOLT_DAMPED,
                      "auto on %zu months: SES or damped Holt", n);
        rr_fc_result_free(&r);
    }
    {
        rr_fc_result r;
        rr_fc_auto(pos, 24, 12, 3, &r);
        rr_tap_ok((r.method == RR_FC_HW_ADDITIVE || r.method == RR_FC_HW_MULTIPLICATIVE) &&
                      result_finite(&r), "auto on 24 positive months: %s", rr_fc_method_name(r.method));
        rr_tap_diag("  %s", r.reason);
        rr_fc_result_free(&r);
    }
    {
        /* constant and all-zero series: degenerate but finite */
        double k[24], z[24];
        for (int i = 0; i < 24; i++) {
            k[i] = 5000;
            z[i] = 0;
        }
        for (int v = 0; v < 2; v++) {
            for (size_t n = 0; n <= 24; n += (n < 6 ? 1 : 6)) {
                rr_fc_result r;
                rr_status st = rr_fc_auto(v ? z : k, n, 12, 3, &r);
                if (st != RR_OK || !result_finite(&r)) {
                    rr_tap_ok(0, "auto on %s series of %zu: finite", v ? "zero" : "constant", n);
                    rr_fc_result_free(&r);
                    goto next;
                }
                rr_fc_result_free(&r);
            }
            rr_tap_ok(1, "auto on %s series of 0..24 months: always finite", v ? "zero" : "constant");
        next:;
        }
    }
    {
        rr_fc_result r;
        double bad[3] = { 1, NAN, 3 };
        rr_tap_ok(rr_fc_auto(bad, 3, 12, 3, &r) == RR_ERR_USAGE && r.method == RR_FC_METHOD_NONE &&
                      result_finite(&r), "auto rejects NaN input with a finite NONE result");
        rr_fc_result_free(&r);
    }
    if (nap == 144) {
        rr_fc_result r;
        rr_fc_auto(ap, nap, 12, 3, &r);
        rr_tap_ok(r.method == RR_FC_HW_MULTIPLICATIVE, "auto on AirPassengers: multiplicative");
        rr_tap_diag("  %s", r.reason);
        rr_fc_result_free(&r);
    }
}

/* With n = 2 periods no updated seasonal index reaches a one-step error, so
 * the SSE is the same for every gamma: the fit keeps R's starting value 0.1
 * and says so; with one observation more gamma is estimated again. */
static void test_gamma_unidentified(void)
{
    double y[25];
    unsigned x = 12345;
    for (int i = 0; i < 25; i++) {
        x = x * 1103515245u + 12345u;
        y[i] = 100 + 2 * i + 15 * sin(2 * M_PI * i / 12) + (double)(x >> 16 & 1023) / 100.0;
    }
    rr_fc_result r, r0, r1;
    if (rr_fc_hw(y, 24, 12, 0, -1, -1, -1, 3, &r) != RR_OK) { rr_tap_ok(0, "n = 2f: fit"); return; }
    rr_tap_ok(r.gamma_kept == 1 && r.gamma == 0.1, "n = 2f: gamma kept at 0.1 (got %g, kept %d)", r.gamma,
              r.gamma_kept);
    /* the reason: the SSE does not move with gamma (alpha, beta as fitted) */
    int ok = rr_fc_hw(y, 24, 12, 0, r.alpha, r.beta, 0, 3, &r0) == RR_OK &&
             rr_fc_hw(y, 24, 12, 0, r.alpha, r.beta, 1, 3, &r1) == RR_OK;
    rr_tap_ok(ok && fabs(r0.sse - r.sse) <= 1e-9 * r.sse && fabs(r1.sse - r.sse) <= 1e-9 * r.sse,
              "n = 2f: SSE is the same at gamma 0, 0.1 and 1 (%.10g %.10g %.10g)", r0.sse, r.sse, r1.sse);
    rr_tap_ok(ok && fabs(r0.mean[0] - r1.mean[0]) > 1e-6, "n = 2f: yet the forecast depends on gamma (%.6g vs %.6g)",
              r0.mean[0], r1.mean[0]);
    rr_tap_ok(!r0.gamma_kept && !r1.gamma_kept, "a gamma given is used as given, not reported as kept");
    rr_fc_result_free(&r); rr_fc_result_free(&r0); rr_fc_result_free(&r1);
    if (rr_fc_hw(y, 25, 12, 0, -1, -1, -1, 3, &r) != RR_OK) { rr_tap_ok(0, "n = 2f + 1: fit"); return; }
    ok = rr_fc_hw(y, 25, 12, 0, r.alpha, r.beta, r.gamma > 0.5 ? 0 : 1, 3, &r0) == RR_OK;
    rr_tap_ok(!r.gamma_kept && ok && r0.sse > r.sse,
              "n = 2f + 1: gamma is estimated (%g; SSE %.10g, %.10g at the far end)", r.gamma, r.sse, r0.sse);
    rr_fc_result_free(&r); rr_fc_result_free(&r0);
}

int main(void)
{
    const char *sd = getenv("SHARED_DATA");
    char dir[1024], exp[1100];
    double *ap = NULL;
    size_t n = 0;

    if (sd && *sd) {
        snprintf(dir, sizeof dir, "%s/forecasting-reference-series", sd);
        snprintf(exp, sizeof exp, "%s/expected", dir);
        n = read_col(dir, "AirPassengers.csv", 1, &ap);
    }
    if (n == 144) {
        test_hw_fixed(dir, exp, ap, n);
        test_hw_optimised(ap, n);
        test_ses_holt(dir);
    } else {
        rr_tap_skip("SHARED_DATA/forecasting-reference-series missing: R reference tests not run");
    }
    test_intervals_by_hand();
    test_gamma_unidentified();
    test_accuracy();
    test_auto(ap, n);
    free(ap);
    return rr_tap_done();
}
