/* forecast.h: statistical forecast of a monthly series (Holt-Winters, damped
 * Holt, simple exponential smoothing) and forecast-accuracy measures.
 *
 *   rr_fc_result r;
 *   rr_fc_auto(won, n_months, 12, 3, &r);        // never fails, never NaN
 *   printf("%s: %s\n", rr_fc_method_name(r.method), r.reason);
 *   for (int k = 0; k < r.h; k++)
 *       printf("%g [%g, %g]\n", r.mean[k], r.lo95[k], r.hi95[k]);
 *   rr_fc_result_free(&r);
 *
 * Ownership: the functions read the caller's series and never keep it; they
 * fill an rr_fc_result whose arrays they allocate (rr_xmalloc) and which the
 * caller releases once with rr_fc_result_free().  No function here keeps
 * state between calls.  Details of the methods: docs/forecast.md. */
#ifndef RR_FORECAST_H
#define RR_FORECAST_H
#include <stddef.h>
#include "revreport/status.h"

typedef enum {
    RR_FC_METHOD_NONE = 0,          /* no history at all: zeros, no interval */
    RR_FC_HW_ADDITIVE,       /* Holt-Winters, additive seasonality */
    RR_FC_HW_MULTIPLICATIVE, /* Holt-Winters, multiplicative seasonality */
    RR_FC_HOLT_DAMPED,       /* Holt's linear trend, damped (phi < 1) */
    RR_FC_HOLT,              /* Holt's linear trend */
    RR_FC_SES,               /* simple exponential smoothing */
    RR_FC_NAIVE              /* mean of the (1-3) available values */
} rr_fc_method;

/* Everything a fit and its forecast produce.  Arrays are owned by the struct.
 *
 * Fitted rows follow R's HoltWinters()$fitted: row i (0 <= i < n_fit) is the
 * one-step forecast of y[start + i]; level[i], trend[i], season[i] are the
 * states it was made from (level[0], trend[0], season[0..period-1] are the
 * initial states).  After the last observation: level[n_fit], trend[n_fit]
 * and season[n_fit .. n_fit+period-1] are R's coefficients a, b, s1..s_f.
 * Arrays that do not apply are NULL (season for non-seasonal methods). */
typedef struct {
    rr_fc_method method;
    int period;              /* seasonal period used (1 = none) */
    double alpha, beta, gamma, phi; /* unused ones are 0 (phi: 1 = undamped) */
    int gamma_kept;          /* 1: gamma was asked to be fitted but the fit cannot
                                tell it (n = 2 periods: no updated seasonal index
                                reaches a one-step error), so it stays at R's
                                starting value 0.1, as R's optim leaves it */
    double sse;              /* sum of squared one-step errors over the fit */
    size_t n_sse;            /* number of errors in sse */
    double sigma2;           /* residual variance used by the intervals */
    size_t n;                /* observations given */
    size_t start;            /* index in y of the first fitted observation */
    size_t n_fit;            /* n - start (0 when nothing was fitted) */
    double *fitted;          /* [n_fit]  one-step-ahead forecasts (xhat) */
    double *level;           /* [n_fit + 1] */
    double *trend;           /* [n_fit + 1] */
    double *season;          /* [n_fit + period] or NULL */
    int h;                   /* forecast horizon */
    double *mean;            /* [h] point forecasts for n+1 .. n+h */
    double *lo80, *hi80;     /* [h] 80% prediction interval */
    double *lo95, *hi95;     /* [h] 95% prediction interval */
    int has_interval;        /* 0: lo = hi = mean (not enough data for one) */
    char reason[256];        /* one plain-English sentence: why this method */
} rr_fc_result;

/* Short lowercase method name ("holt-winters multiplicative"). Never NULL. */
const char *rr_fc_method_name(rr_fc_method m);

/* Release the arrays of r and zero it.  Accepts NULL and a zeroed struct. */
void rr_fc_result_free(rr_fc_result *r);

/* Choose, fit and forecast.  y[0..n-1] is the monthly series (oldest first,
 * finite values; y may be NULL when n == 0), period the seasonal period (12
 * for months; <2 means no seasonality), h >= 0 the horizon.
 *   n >= 2*period           Holt-Winters; additive and (if all y > 0)
 *                           multiplicative are both fitted, the lower SSE wins
 *   4 <= n < 2*period       damped Holt vs SES, the lower AIC wins
 *   1 <= n <= 3             naive: mean of the values
 *   n == 0                  RR_FC_METHOD_NONE, zeros
 * Fills *out (which it first overwrites, not frees).  Every number in *out
 * is finite.  Returns RR_OK, or RR_ERR_USAGE for out == NULL, h < 0, a NULL
 * y with n > 0 or a non-finite y value (then *out is RR_FC_METHOD_NONE with h
 * zeros, still safe to print and to free). */
rr_status rr_fc_auto(const double *y, size_t n, int period, int h, rr_fc_result *out);

/* Holt-Winters with R's stats::HoltWinters initialisation (start.periods 2:
 * decompose() of the first two seasons, l/b from a regression on the trend).
 * multiplicative != 0 selects multiplicative seasonality.  Parameters in
 * [0,1]; pass a negative value to have that parameter fitted (any subset;
 * the free ones are fitted together by minimising the SSE with a bounded
 * quasi-Newton search from R's start values 0.3/0.1/0.1, plus grid and
 * Nelder-Mead restarts).  Needs n >= 2*period, period >= 2, and y > 0 for
 * multiplicative.  Intervals: R's predict.HoltWinters additive formula (also
 * used for multiplicative, see docs/forecast.md).  Returns RR_OK or
 * RR_ERR_USAGE (then *out is zeroed). */
rr_status rr_fc_hw(const double *y, size_t n, int period, int multiplicative,
                   double alpha, double beta, double gamma, int h, rr_fc_result *out);

/* Initialisation styles for the non-seasonal methods. */
typedef enum {
    RR_FC_INIT_SIMPLE,  /* forecast::ses/holt(initial="simple"): l0 = y1,
                           b0 = y2 - y1, errors from the first observation */
    RR_FC_INIT_R        /* stats::HoltWinters(gamma=FALSE): SES l0 = y1 from
                           y2; Holt l0 = y2, b0 = y2 - y1, errors from y3 */
} rr_fc_init;

/* SES (trend == 0), Holt (trend != 0, phi == 1) or damped Holt (phi < 1).
 * alpha, beta in [0,1] and phi in [0.8,0.98] or 1; a negative value asks for
 * that parameter to be fitted by SSE minimisation (beta* in [0,1], phi in
 * [0.8,0.98] as in forecast::holt).  Needs n >= 1 (SES) or n >= 2 (Holt;
 * RR_FC_INIT_R: n >= 3).  Intervals: ETS(A,N,N), (A,A,N), (A,Ad,N) variance
 * formulas (Hyndman & Athanasopoulos, fpp2 table 7.8) with
 * sigma2 = SSE / (n_sse - fitted parameters) (SSE / n_sse when that is < 1).
 * Returns RR_OK or RR_ERR_USAGE (then *out is zeroed). */
rr_status rr_fc_holt(const double *y, size_t n, int trend, double alpha, double beta,
                     double phi, rr_fc_init init, int h, rr_fc_result *out);

/* Total of the first k forecasts (e.g. the rest of the quarter) with its
 * 80% and 95% intervals: the variance of the sum of the k forecast errors,
 * sigma2 * sum_{i=1}^{k} (1 + sum_{j=1}^{k-i} psi_j)^2 with the psi_j of
 * the method (the same weights as the per-month intervals; naive mean:
 * sigma2 (k + k^2/n) with Student t).  0 <= k <= r->h.  Without an interval
 * (has_interval == 0) the bounds equal the total.  Returns RR_OK or
 * RR_ERR_USAGE (NULL pointer, k out of range). */
rr_status rr_fc_total(const rr_fc_result *r, int k, double *mean, double *lo80, double *hi80,
                      double *lo95, double *hi95);

/* ---- forecast accuracy of submitted forecasts ---- */

/* Accuracy 1 - |A - F| / A.  Returns 1 and sets *acc when A != 0 (and both
 * finite); returns 0 and sets *acc = 0 otherwise.  acc may not be NULL.
 * Can be negative when the miss exceeds the actual. */
int rr_fc_accuracy(double actual, double forecast, double *acc);

/* Signed variance A - F (positive = beat the forecast). */
double rr_fc_variance(double actual, double forecast);

/* MAPE in percent: mean over periods of |A - F| / |A| x 100, over the last
 * `window` periods of a[0..n-1], f[0..n-1] (window 0 or > n: all; the report
 * uses 12).  Periods with A == 0, or a non-finite A or F (no forecast
 * submitted) are skipped; *used (may be NULL) gets the number of periods
 * used.  Returns 0 when none was used. */
double rr_fc_mape(const double *a, const double *f, size_t n, size_t window, size_t *used);

/* Bias sum(F - A) / sum(A) over the same window and the same periods as
 * rr_fc_mape (A == 0 and missing A or F skipped), so *used equals
 * rr_fc_mape's: one "Months" figure for both.
 * Positive = over-forecast (over-commit), negative = sandbagging.  Returns 1
 * and sets *bias when sum(A) != 0; else 0 and *bias = 0.  *used may be NULL. */
int rr_fc_bias(const double *a, const double *f, size_t n, size_t window,
               double *bias, size_t *used);

#endif
