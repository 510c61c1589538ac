/* chart.c: revreport's chart module: chart specs, layout by pure arithmetic
 * into a display list, and a cairo painter that only paints that list.
 *
 *   rr_chart *c = rr_chart_new(RR_CHART_BAR, "Won revenue by month");
 *   rr_chart_set_categories(c, 3, (const char *const[]){"Aug", "Sep", "Oct"});
 *   rr_chart_add_series(c, "Won", RR_SERIES_BAR, (const double[]){1.2e6, 0.9e6, 1.4e6}, 3);
 *   rr_chart_set_unit(c, RR_UNIT_MONEY, "USD");
 *   rr_chart_env env = rr_chart_env_default();
 *   rr_chart_layout *l = rr_chart_layout_make(c, 720, 320, &env);  // arithmetic only
 *   rr_chart_draw(cr, l);                                           // painting only
 *   rr_chart_layout_free(l); rr_chart_free(c);
 *
 * Every chart kind is laid out through the same builder (title, legend,
 * value axis with nice ticks, category labels that fit, value labels) into
 * rects, lines, polygons, arcs and texts; a last pass drops any text that
 * would still overlap another or leave the canvas, so a layout never shows
 * colliding labels.  Text is measured with env->text_width only.
 * chart_cairo.c paints a layout and measures text with cairo. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/chart.h"
#include "revreport/xalloc.h"

/* ------------------------------------------------------------------ look */

#define FONT_DEFAULT "DejaVu Sans"
#define FS_TITLE 15.0      /* chart title, bold */
#define FS_TEXT 11.0       /* ticks, categories, legend, value labels */
#define FS_NODATA 13.0
#define ASC 0.82           /* text box above the baseline, in em */
#define DESC 0.22          /* text box below the baseline, in em */
#define MID 0.30           /* baseline = visual centre + MID em */
#define BOLD_WIDTH 1.15    /* bold / regular width (DejaVu Sans) */
#define LABEL_GAP 8.0      /* min gap between neighbouring labels */

enum {
    C_TITLE = 0x1A1A1A, C_TEXT = 0x333333, C_MUTED = 0x6B6B6B, C_GRID = 0xE6E6E6,
    C_AXIS = 0x9A9A9A, C_TARGET = 0x3D3D3D, C_TRACK = 0xEDEFF2, C_EMPTY = 0xF4F5F7,
    C_CONNECT = 0xE4E9EF, C_ACCENT = 0x0072B2, C_UP = 0x009E73, C_DOWN = 0xD55E00,
    C_OTHER = 0xB4BAC1, C_WHITE = 0xFFFFFF
};

/* Okabe-Ito, ordered so that the first colours are the most distinct on
 * white; yellow last (weak on white). */
static const unsigned PALETTE[] = {0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7,
                                   0x56B4E9, 0xD55E00, 0x7F7F7F, 0xF0E442};
#define NPALETTE (sizeof PALETTE / sizeof PALETTE[0])
/* Non-accent series when one series carries the accent. */
static const unsigned MUTED[] = {0xB3BBC3, 0x5B6670, 0xD3D8DD, 0x86919B};
#define NMUTED (sizeof MUTED / sizeof MUTED[0])

static const char *const STR_DEFAULT[RR_CHART_STR_COUNT] = {
    "No data", "Total", "Other", "{pct} of {target} target"};

/* ------------------------------------------------------------ the spec */

/* A copy of s with invalid UTF-8 replaced by U+FFFD (cairo refuses invalid text). */
static char *u8_clean(const char *s)
{
    if (!s) s = "";
    size_t n = strlen(s);
    char *out = rr_xmalloc(n * 3 + 1), *o = out;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c & 0xF0) == 0xE0 ? 3
                   : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
        size_t i = 1;
        while (i < len && (p[i] & 0xC0) == 0x80) i++;
        if (len == 0 || i < len) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            p += len == 0 ? 1 : i;
            continue;
        }
        memcpy(o, p, len);
        o += len;
        p += len;
    }
    *o = 0;
    return out;
}

rr_chart *rr_chart_new(rr_chart_kind kind, const char *title)
{
    rr_chart *c = rr_xcalloc(1, sizeof *c);
    c->kind = kind;
    c->title = u8_clean(title);
    c->unit = RR_UNIT_NUMBER;
    return c;
}

void rr_chart_free(rr_chart *c)
{
    if (!c) return;
    free(c->title);
    free(c->x_title);
    free(c->y_title);
    for (size_t i = 0; i < c->ncat; i++) free(c->categories[i]);
    free(c->categories);
    for (size_t i = 0; i < c->nseries; i++) {
        free(c->series[i].name);
        free(c->series[i].values);
        free(c->series[i].lo);
        free(c->series[i].hi);
    }
    free(c->series);
    free(c);
}

/* A fresh array of n values: the first m copied from v (may be NULL), the rest NAN. */
static double *values_copy(const double *v, size_t m, size_t n)
{
    double *a = rr_xmalloc((n ? n : 1) * sizeof *a);
    for (size_t i = 0; i < n; i++) a[i] = v && i < m ? v[i] : NAN;
    return a;
}

void rr_chart_set_categories(rr_chart *c, size_t n, const char *const *labels)
{
    for (size_t i = 0; i < c->ncat; i++) free(c->categories[i]);
    free(c->categories);
    c->categories = rr_xcalloc(n ? n : 1, sizeof *c->categories);
    for (size_t i = 0; i < n; i++) c->categories[i] = u8_clean(labels ? labels[i] : "");
    /* series added before keep their values, cut or padded with NAN */
    for (size_t s = 0; s < c->nseries; s++) {
        rr_series *se = &c->series[s];
        double *v = values_copy(se->values, c->ncat, n);
        free(se->values);
        se->values = v;
        if (se->lo) { v = values_copy(se->lo, c->ncat, n); free(se->lo); se->lo = v; }
        if (se->hi) { v = values_copy(se->hi, c->ncat, n); free(se->hi); se->hi = v; }
    }
    c->ncat = n;
}

size_t rr_chart_add_series(rr_chart *c, const char *name, rr_series_kind kind,
                           const double *values, size_t n)
{
    c->series = rr_xrealloc(c->series, (c->nseries + 1) * sizeof *c->series);
    rr_series *s = &c->series[c->nseries];
    memset(s, 0, sizeof *s);
    s->name = u8_clean(name);
    s->kind = kind;
    s->values = values_copy(values, n, c->ncat);
    return c->nseries++;
}

void rr_chart_set_band(rr_chart *c, size_t series, const double *lo, const double *hi)
{
    if (series >= c->nseries) return;
    rr_series *s = &c->series[series];
    free(s->lo);
    free(s->hi);
    s->lo = values_copy(lo, c->ncat, c->ncat);
    s->hi = values_copy(hi, c->ncat, c->ncat);
}

void rr_chart_set_unit(rr_chart *c, rr_unit unit, const char *currency)
{
    c->unit = unit;
    memset(c->currency, 0, sizeof c->currency);
    if (currency) {
        size_t n = strlen(currency);
        if (n > sizeof c->currency - 1) n = sizeof c->currency - 1;
        memcpy(c->currency, currency, n);
    }
}

void rr_chart_set_axis_titles(rr_chart *c, const char *x_title, const char *y_title)
{
    free(c->x_title);
    free(c->y_title);
    c->x_title = x_title && *x_title ? u8_clean(x_title) : NULL;
    c->y_title = y_title && *y_title ? u8_clean(y_title) : NULL;
}

void rr_chart_set_accent(rr_chart *c, size_t series)
{
    for (size_t i = 0; i < c->nseries; i++) c->series[i].accent = i == series;
}

/* ------------------------------------------------------------ UTF-8 */

/* Bytes in the character at s: its lead byte's length, cut short at a
 * missing continuation byte, so a walk never leaves the string. */
static size_t u8_step(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = p[0] < 0x80 ? 1 : (p[0] >> 5) == 6 ? 2 : (p[0] >> 4) == 14 ? 3 : (p[0] >> 3) == 30 ? 4 : 1;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return i;
    return n;
}

static size_t u8_chars(const char *s)
{
    size_t n = 0;
    while (*s) { s += u8_step(s); n++; }
    return n;
}

/* Bytes taken by the first nchars characters of s. */
static size_t u8_prefix(const char *s, size_t nchars)
{
    const char *p = s;
    while (*p && nchars--) p += u8_step(p);
    return (size_t)(p - s);
}

char *rr_chart_shorten(const char *utf8, size_t max_chars)
{
    if (!utf8) utf8 = "";
    if (u8_chars(utf8) <= max_chars) return rr_xstrdup(utf8);
    if (max_chars == 0) return rr_xstrdup("");
    size_t keep = u8_prefix(utf8, max_chars - 1);
    while (keep > 0 && (utf8[keep - 1] == ' ' || utf8[keep - 1] == '\t')) keep--;
    char *out = rr_xmalloc(keep + 4);
    memcpy(out, utf8, keep);
    memcpy(out + keep, "\xE2\x80\xA6", 4);   /* "…" and the NUL */
    return out;
}

/* ------------------------------------------------------- number format */

static int near_int(double v) { return fabs(v - nearbyint(v)) < 1e-6; }

/* "1234567.89" -> "1,234,567.89" into out. */
static void group_digits(const char *num, char *out, size_t cap)
{
    const char *dot = strchr(num, '.');
    size_t ilen = dot ? (size_t)(dot - num) : strlen(num), o = 0;
    for (size_t i = 0; i < ilen && o + 2 < cap; i++) {
        out[o++] = num[i];
        size_t left = ilen - i - 1;
        if (left && left % 3 == 0) out[o++] = ',';
    }
    for (const char *p = dot; p && *p && o + 1 < cap; p++) out[o++] = *p;
    out[o] = 0;
}

/* Drop trailing zeros (and the dot) of a decimal string in place. */
static void trim_zeros(char *s)
{
    if (!strchr(s, '.')) return;
    size_t n = strlen(s);
    while (n && s[n - 1] == '0') s[--n] = 0;
    if (n && s[n - 1] == '.') s[--n] = 0;
}

static const char *currency_symbol(const char *cur)
{
    if (!cur) return NULL;
    if (!strcmp(cur, "USD")) return "$";
    if (!strcmp(cur, "EUR")) return "\xE2\x82\xAC";
    if (!strcmp(cur, "GBP")) return "\xC2\xA3";
    if (!strcmp(cur, "JPY")) return "\xC2\xA5";
    return NULL;
}

void rr_chart_format_default(void *ud, double v, rr_unit unit, const char *currency,
                             int compact, char *out, size_t cap)
{
    char num[64], body[96];
    const char *unit_suffix = "";
    (void)ud;
    if (!cap) return;
    if (!isfinite(v)) { snprintf(out, cap, "\xE2\x80\x93"); return; }
    double a = fabs(v);
    int d;
    switch (unit) {
    case RR_UNIT_PERCENT:
        a *= 100;
        d = near_int(a) ? 0 : a < 0.1 ? 2 : 1;
        snprintf(num, sizeof num, "%.*f", d, a);
        unit_suffix = "%";
        break;
    case RR_UNIT_RATIO:   /* one decimal, like "4.8×" and "19.0×" */
        snprintf(num, sizeof num, "%.1f", a);
        unit_suffix = "\xC3\x97";
        break;
    case RR_UNIT_NUMBER:
    case RR_UNIT_MONEY:
        if (compact && a >= 999.5) {
            static const char *const SUFFIX[] = {"", "K", "M", "B", "T"};
            int k = 0;
            while (a >= 999.5 && k < 4) { a /= 1000; k++; }
            d = a >= 100 || near_int(a) ? 0 : near_int(a * 10) ? 1 : near_int(a * 100) ? 2 : 1;
            snprintf(num, sizeof num, "%.*f", d, a);
            trim_zeros(num);
            unit_suffix = SUFFIX[k];
        } else if (compact && (a >= 99.5 || unit == RR_UNIT_NUMBER)) {
            /* at most 3 significant digits: "867", "12.3", "2.5" */
            d = a >= 99.5 ? 0 : a >= 9.95 ? 1 : 2;
            snprintf(num, sizeof num, "%.*f", d, a);
            trim_zeros(num);
        } else {
            int jpy = currency && !strcmp(currency, "JPY");
            double a2 = round(a * 100) / 100;   /* what 2 decimals would show */
            if (unit == RR_UNIT_MONEY)
                d = jpy || a >= 1000 || near_int(a2) ? 0 : 2;
            else
                d = a >= 1000 || near_int(a2) ? 0 : near_int(a2 * 10) ? 1 : 2;
            snprintf(num, sizeof num, "%.*f", d, a);
        }
        break;
    default:
        snprintf(num, sizeof num, "%g", a);
        break;
    }
    int neg = v < 0 && strtod(num, NULL) != 0;
    group_digits(num, body, sizeof body);
    const char *minus = neg ? "\xE2\x88\x92" : "";
    if (unit == RR_UNIT_MONEY && currency && *currency) {
        const char *sym = currency_symbol(currency);
        if (sym) snprintf(out, cap, "%s%s%s%s", minus, sym, body, unit_suffix);
        else snprintf(out, cap, "%s%s%s %s", minus, body, unit_suffix, currency);
    } else {
        snprintf(out, cap, "%s%s%s", minus, body, unit_suffix);
    }
}

/* Fewest decimals (<= max_dec) that show x exactly; max_dec + 1 when none does. */
static int exact_decimals(double x, int max_dec)
{
    double a = fabs(x);
    for (int d = 0; d <= max_dec; d++) {
        double s = a * pow(10, d);
        if (fabs(s - nearbyint(s)) <= 1e-6 * fmax(1, s)) return d;
    }
    return max_dec + 1;
}

void rr_chart_axis_scale(const double *v, size_t n, const double *divs, size_t ndiv, int max_dec,
                         size_t *unit, int *decimals)
{
    double maxabs = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) maxabs = fmax(maxabs, fabs(v[i]));
    *unit = ndiv ? ndiv - 1 : 0;
    *decimals = 0;
    for (size_t u = 0; u < ndiv; u++) {
        double div = divs[u];
        int last = u + 1 == ndiv, cap = last ? max_dec : 1, d = 0;
        /* a unit only from 10,000 on ("9,000", not "9K"), and not above the largest tick */
        if (!last && (maxabs < div * 0.9995 || maxabs < 9999.5)) continue;
        for (size_t i = 0; i < n && d <= cap; i++)
            if (isfinite(v[i])) {
                int k = exact_decimals(v[i] / div, cap);
                if (k > d) d = k;
            }
        if (d <= cap || last) {
            *unit = u;
            *decimals = d > max_dec ? max_dec : d;
            return;
        }
    }
}

/* The default formatter's axis: K/M/B/T, "$" etc., one format per axis. */
static void axis_default(const double *v, size_t n, rr_unit unit, const char *currency, char *const *out,
                         size_t cap)
{
    static const double DIV[] = {1e12, 1e9, 1e6, 1e3, 1};
    static const char *const SUF[] = {"T", "B", "M", "K", ""};
    static const double ONE[] = {1};
    double *w = rr_xmalloc((n + 1) * sizeof *w);
    double mul = unit == RR_UNIT_PERCENT ? 100 : 1;
    for (size_t i = 0; i < n; i++) w[i] = v[i] * mul;
    int compact = unit == RR_UNIT_MONEY || unit == RR_UNIT_NUMBER;
    size_t u;
    int d;
    rr_chart_axis_scale(w, n, compact ? DIV : ONE, compact ? 5 : 1, 2, &u, &d);
    double div = compact ? DIV[u] : 1;
    for (size_t i = 0; i < n; i++) {
        char num[64], body[96];
        if (!isfinite(w[i])) { snprintf(out[i], cap, "\xE2\x80\x93"); continue; }
        int zero = w[i] == 0;
        snprintf(num, sizeof num, "%.*f", zero ? 0 : d, fabs(w[i]) / div);
        group_digits(num, body, sizeof body);
        const char *minus = w[i] < 0 ? "\xE2\x88\x92" : "";
        const char *suf = zero ? "" : compact ? SUF[u] : unit == RR_UNIT_PERCENT ? "%" : "\xC3\x97";
        if (zero && unit == RR_UNIT_PERCENT) suf = "%";
        if (zero && unit == RR_UNIT_RATIO) suf = "\xC3\x97";
        const char *sym = unit == RR_UNIT_MONEY ? currency_symbol(currency) : NULL;
        if (unit == RR_UNIT_MONEY && currency && *currency && !sym)
            snprintf(out[i], cap, "%s%.40s%s %.7s", minus, body, suf, currency);
        else
            snprintf(out[i], cap, "%s%s%.40s%s", minus, sym ? sym : "", body, suf);
    }
    free(w);
}

/* ------------------------------------------------------------ ticks */

size_t rr_chart_nice_ticks(double lo, double hi, size_t max_ticks, double *out, size_t cap)
{
    static const double MULT[] = {1, 2, 2.5, 5};
    if (!isfinite(lo) || !isfinite(hi)) { lo = 0; hi = 1; }
    if (lo > hi) { double t = lo; lo = hi; hi = t; }
    if (hi == lo) {
        if (lo == 0) hi = 1;
        else if (lo > 0) lo = 0;
        else hi = 0;
    }
    if (max_ticks < 2) max_ticks = 2;
    if (lo < 0 && hi > 0 && max_ticks < 3) max_ticks = 3;   /* below, 0 and above */
    double raw = (hi - lo) / (double)(max_ticks - 1);
    int k = (int)floor(log10(raw)) - 1;
    for (int tries = 0; tries < 64; tries++, k++) {
        for (size_t m = 0; m < 4; m++) {
            double step = MULT[m] * pow(10, k), q0 = lo / step, q1 = hi / step;
            /* tolerate rounding (0.3 / 0.1 = 2.9999999999999996), nothing more */
            double j0 = floor(q0 + 1e-14 * fmax(1, fabs(q0))), j1 = ceil(q1 - 1e-14 * fmax(1, fabs(q1)));
            size_t n = (size_t)(j1 - j0) + 1;
            if (n > max_ticks) continue;
            for (size_t i = 0; i < n && i < cap; i++) {
                double jm = (j0 + (double)i) * MULT[m];     /* exact */
                double t = k >= 0 ? jm * pow(10, k) : jm / pow(10, -k);
                out[i] = t == 0 ? 0 : t;                    /* no -0 */
            }
            return n;
        }
    }
    if (cap > 0) out[0] = lo;   /* not reached for finite input */
    if (cap > 1) out[1] = hi;
    return 2;
}

/* ------------------------------------------------------- the layout */

struct rr_chart_layout {
    double width, height;
    char *font_family;
    rr_chart_prim *prims;
    size_t n, cap;
    size_t dropped;
};

/* What one layout run needs: the spec, the environment, the list. */
typedef struct {
    const rr_chart *c;
    const rr_chart_env *env;
    rr_chart_layout *l;
    double W, H, pad;
    double top;          /* first free y below the title and the legend */
    const char *x_title, *y_title;   /* axis titles shown (NULL: none, or no room) */
} lctx;

static rr_chart_prim *prim_new(lctx *x, rr_chart_prim_kind kind)
{
    rr_chart_layout *l = x->l;
    l->prims = rr_xgrow(l->prims, &l->cap, l->n + 1, sizeof *l->prims);
    rr_chart_prim *p = &l->prims[l->n++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    return p;
}

static void add_rect(lctx *x, double rx, double ry, double rw, double rh, unsigned fill, double alpha)
{
    if (rw <= 0 || rh <= 0) return;
    rr_chart_prim *p = prim_new(x, RR_PRIM_RECT);
    p->x = rx; p->y = ry; p->w = rw; p->h = rh;
    p->fill = fill; p->fill_alpha = alpha;
}

static rr_chart_prim *add_path(lctx *x, rr_chart_prim_kind kind, const double *pts, size_t npts)
{
    rr_chart_prim *p = prim_new(x, kind);
    p->pts = rr_xmalloc(npts * 2 * sizeof *p->pts);
    memcpy(p->pts, pts, npts * 2 * sizeof *p->pts);
    p->npts = npts;
    return p;
}

static void add_polyline(lctx *x, const double *pts, size_t npts, unsigned color, double lw, int dashed)
{
    if (npts < 2) return;
    rr_chart_prim *p = add_path(x, RR_PRIM_LINE, pts, npts);
    p->stroke = color; p->stroke_alpha = 1; p->line_width = lw; p->dashed = dashed;
}

static void add_seg(lctx *x, double x0, double y0, double x1, double y1, unsigned color, double lw, int dashed)
{
    double pts[4] = {x0, y0, x1, y1};
    add_polyline(x, pts, 2, color, lw, dashed);
}

static void add_polygon(lctx *x, const double *pts, size_t npts, unsigned fill, double alpha)
{
    if (npts < 3) return;
    rr_chart_prim *p = add_path(x, RR_PRIM_POLYGON, pts, npts);
    p->fill = fill; p->fill_alpha = alpha;
}

static rr_chart_prim *add_arc(lctx *x, double cx, double cy, double r_in, double r_out,
                              double a0, double a1, unsigned fill)
{
    rr_chart_prim *p = prim_new(x, RR_PRIM_ARC);
    p->cx = cx; p->cy = cy; p->r_inner = r_in; p->r_outer = r_out; p->a0 = a0; p->a1 = a1;
    p->fill = fill; p->fill_alpha = 1;
    return p;
}

/* A dot with a white ring, so it reads on top of lines and bars. */
static void add_dot(lctx *x, double cx, double cy, double r, unsigned fill)
{
    rr_chart_prim *p = add_arc(x, cx, cy, 0, r, 0, 2 * M_PI, fill);
    p->stroke = C_WHITE; p->stroke_alpha = 1; p->line_width = 1.5;
}

static double text_w(const lctx *x, const char *s, double size, int bold)
{
    if (!s || !*s) return 0;
    double w = x->env->text_width ? x->env->text_width(x->env->text_ud, s, size)
                                  : 0.6 * size * (double)u8_chars(s);
    return bold ? w * BOLD_WIDTH : w;
}

/* A text whose anchor (x, y) is on the baseline. */
static rr_chart_prim *add_text(lctx *x, const char *s, double tx, double ty, double size, int bold,
                               rr_chart_anchor anchor, unsigned color, int priority)
{
    if (!s || !*s) return NULL;
    rr_chart_prim *p = prim_new(x, RR_PRIM_TEXT);
    double w = text_w(x, s, size, bold);
    p->text = rr_xstrdup(s);
    p->x = tx; p->y = ty; p->size = size; p->bold = bold; p->anchor = anchor;
    p->fill = color; p->fill_alpha = 1;
    p->priority = priority;
    p->box.x = anchor == RR_ANCHOR_START ? tx : anchor == RR_ANCHOR_MIDDLE ? tx - w / 2 : tx - w;
    p->box.y = ty - ASC * size;
    p->box.w = w;
    p->box.h = (ASC + DESC) * size;
    return p;
}

/* A text turned a quarter counter-clockwise (reading bottom to top),
 * centred across on cx; anchor START: it runs up from y, END: it ends at y. */
static rr_chart_prim *add_text_up(lctx *x, const char *s, double cx, double y, double size,
                                  rr_chart_anchor anchor, unsigned color, int priority)
{
    rr_chart_prim *p = add_text(x, s, cx + MID * size, y, size, 0, anchor, color, priority);
    if (!p) return NULL;
    double w = p->box.w;
    p->vertical = 1;
    p->box.x = p->x - ASC * size;
    p->box.w = (ASC + DESC) * size;
    p->box.y = anchor == RR_ANCHOR_START ? y - w : anchor == RR_ANCHOR_MIDDLE ? y - w / 2 : y;
    p->box.h = w;
    return p;
}

/* A text centred on cx, moved sideways as little as needed to stay
 * within the padding. */
static void add_text_mid(lctx *x, const char *s, double cx, double ty, double size, unsigned color,
                         int priority)
{
    double w = text_w(x, s, size, 0);
    cx = fmax(x->pad + w / 2, fmin(cx, x->W - x->pad - w / 2));
    add_text(x, s, cx, ty, size, 0, RR_ANCHOR_MIDDLE, color, priority);
}

/* A text vertically centred on yc. */
static rr_chart_prim *add_text_c(lctx *x, const char *s, double tx, double yc, double size, int bold,
                                 rr_chart_anchor anchor, unsigned color, int priority)
{
    return add_text(x, s, tx, yc + MID * size, size, bold, anchor, color, priority);
}

static void fmt(const lctx *x, double v, rr_unit unit, int compact, char *out, size_t cap)
{
    if (x->env->format)
        x->env->format(x->env->format_ud, v, unit, x->c->currency, compact, out, cap);
    else
        rr_chart_format_default(NULL, v, unit, x->c->currency, compact, out, cap);
}

static const char *word(const lctx *x, rr_chart_str id)
{
    return x->env->strings[id] ? x->env->strings[id] : STR_DEFAULT[id];
}

/* s shortened with "…" until it fits max_w; NULL when not even one
 * character and the ellipsis fit.  Caller frees. */
static char *fit_width(const lctx *x, const char *s, double size, int bold, double max_w)
{
    if (text_w(x, s, size, bold) <= max_w) return rr_xstrdup(s);
    size_t n = u8_chars(s), lo = 0, hi = n - 1;   /* keep lo chars: fits; hi+1: does not */
    if (n == 0) return rr_xstrdup(s);
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        char *t = rr_chart_shorten(s, mid + 1);
        int ok = text_w(x, t, size, bold) <= max_w;
        free(t);
        if (ok) lo = mid; else hi = mid - 1;
    }
    return lo ? rr_chart_shorten(s, lo + 1) : NULL;
}

/* s broken at spaces into at most two lines, each at most max_w wide.
 * Returns the number of lines (1 or 2), or 0 when s only fits shortened;
 * with shorten, the last line is then shortened with "…" instead (and the
 * result is 1 or 2, or 0 when nothing fits).  *l2 is NULL for one line. */
static int wrap2(const lctx *x, const char *s, double size, double max_w, int shorten,
                 char **l1, char **l2)
{
    *l1 = *l2 = NULL;
    if (text_w(x, s, size, 0) <= max_w) { *l1 = rr_xstrdup(s); return 1; }
    size_t best = 0;
    for (const char *p = strchr(s, ' '); p; p = strchr(p + 1, ' ')) {
        char *head = rr_xstrndup(s, (size_t)(p - s));
        int ok = text_w(x, head, size, 0) <= max_w;
        free(head);
        if (!ok) break;
        best = (size_t)(p - s);
    }
    if (best) {
        const char *rest = s + best;
        while (*rest == ' ') rest++;
        if (text_w(x, rest, size, 0) <= max_w) {
            *l1 = rr_xstrndup(s, best);
            *l2 = rr_xstrdup(rest);
            return 2;
        }
        if (!shorten) return 0;
        char *t = fit_width(x, rest, size, 0, max_w);
        if (t) { *l1 = rr_xstrndup(s, best); *l2 = t; return 2; }
    }
    if (!shorten) return 0;
    *l1 = fit_width(x, s, size, 0, max_w);
    return *l1 ? 1 : 0;
}

/* ------------------------------------------------- shared chart parts */

static double line_h(double size) { return (ASC + DESC) * size; }

/* Title: bold, top-left; moves x->top below it. */
static void emit_title(lctx *x)
{
    x->top = x->pad;
    if (!x->c || !x->c->title || !*x->c->title) return;
    double size = x->W < 360 ? 13 : FS_TITLE;
    char *s = fit_width(x, x->c->title, size, 1, x->W - 2 * x->pad);
    if (s && x->H >= line_h(size) + 2 * x->pad) {
        add_text(x, s, x->pad, x->pad + ASC * size, size, 1, RR_ANCHOR_START, C_TITLE, 100);
        x->top = x->pad + line_h(size) + 10;
    }
    free(s);
}

/* "No data" centred in what is left below the title. */
static void layout_nodata(lctx *x)
{
    if (x->c && x->c->kind != RR_CHART_SPARKLINE) emit_title(x);
    else x->top = x->pad;
    double y0 = x->top, y1 = x->H - x->pad;
    double size = fmin(FS_NODATA, (y1 - y0) / (ASC + DESC));
    if (size < 7) { y0 = 0; y1 = x->H; size = fmin(FS_NODATA, x->H / (ASC + DESC) - 0.5); }
    if (size < 5) return;
    char *s = fit_width(x, word(x, RR_CHART_STR_NO_DATA), size, 0, x->W - 2 * x->pad);
    double yc = (y0 + y1) / 2 - (ASC + DESC) * size / 2 + ASC * size - MID * size;
    if (s) add_text_c(x, s, x->W / 2, yc, size, 0, RR_ANCHOR_MIDDLE, C_MUTED, 90);
    free(s);
}

/* Legend entries: swatch shape + colour + name. */
typedef enum { SW_RECT, SW_LINE, SW_DASH, SW_BAND } swatch;
typedef struct {
    const char *name;
    unsigned color;
    swatch sw;
} legend_item;

static void emit_swatch(lctx *x, swatch sw, unsigned color, double sx, double yc)
{
    switch (sw) {
    case SW_RECT: add_rect(x, sx + 2, yc - 5, 10, 10, color, 1); break;
    case SW_LINE: add_seg(x, sx, yc, sx + 14, yc, color, 2.5, 0); break;
    case SW_DASH: add_seg(x, sx, yc, sx + 14, yc, color, 1.5, 1); break;
    case SW_BAND:
        add_rect(x, sx, yc - 5, 14, 10, color, 0.18);
        add_seg(x, sx, yc, sx + 14, yc, color, 2, 0);
        break;
    }
}

/* A legend that flows left to right under the title, wrapping into rows;
 * it sits outside the plot area (moves x->top below it). */
static void emit_legend_top(lctx *x, const legend_item *it, size_t n)
{
    const double size = FS_TEXT, sw = 14, gap = 6, spacing = 18, rowh = line_h(size) + 7;
    double maxw = x->W - 2 * x->pad, cx = x->pad, y = x->top;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        char *s = fit_width(x, it[i].name, size, 0, fmax(10, fmin(maxw - sw - gap, maxw * 0.6)));
        if (!s) continue;
        double iw = sw + gap + text_w(x, s, size, 0);
        if (cx > x->pad && cx + iw > x->W - x->pad) { cx = x->pad; y += rowh; }
        double yc = y + line_h(size) / 2;
        emit_swatch(x, it[i].sw, it[i].color, cx, yc);
        add_text_c(x, s, cx + sw + gap, yc, size, 0, RR_ANCHOR_START, C_TEXT, 85);
        cx += iw + spacing;
        any = 1;
        free(s);
    }
    if (any) x->top = y + rowh + 4;
}

/* How a series is marked on a cartesian chart: the series kind decides,
 * except that a LINE chart draws its bar series as lines. */
typedef enum { M_BAR, M_LINE, M_TARGET, M_BAND } mark;

static mark series_mark(const rr_chart *c, size_t i)
{
    switch (c->series[i].kind) {
    case RR_SERIES_TARGET: return M_TARGET;
    case RR_SERIES_BAND: return M_BAND;
    case RR_SERIES_LINE: return M_LINE;
    case RR_SERIES_BAR: break;
    }
    return c->kind == RR_CHART_LINE || c->kind == RR_CHART_SPARKLINE ? M_LINE : M_BAR;
}

/* Series colours: Okabe-Ito in order; when one series carries the accent
 * it gets the accent blue and the others muted greys; targets dark grey. */
static unsigned series_color(const rr_chart *c, size_t i)
{
    if (c->series[i].kind == RR_SERIES_TARGET) return C_TARGET;
    int accent = 0;
    for (size_t j = 0; j < c->nseries; j++) accent |= c->series[j].accent;
    size_t k = 0;
    for (size_t j = 0; j < i; j++)
        if (c->series[j].kind != RR_SERIES_TARGET && !(accent && c->series[j].accent)) k++;
    if (accent) return c->series[i].accent ? C_ACCENT : MUTED[k % NMUTED];
    return PALETTE[k % NPALETTE];
}

static int finite_any(const double *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (isfinite(v[i])) return 1;
    return 0;
}

/* Row labels (hbar, funnel, bullet rows, heatmap rows): the font size that
 * fits rows of height rh, and every step-th label shown when even 9 px
 * does not fit. */
static double fit_rows(double rh, size_t *step)
{
    double size = FS_TEXT;
    if (rh < size * 1.2) size = fmax(9, rh / 1.2);
    *step = rh >= size * 1.2 ? 1 : (size_t)ceil(size * 1.2 / rh);
    return size;
}

/* Category labels under vertical slots. */
typedef struct {
    size_t n, step;      /* every step-th label shown */
    int lines;           /* 1 or 2 */
    char **l1, **l2;     /* per category (NULL = not shown) */
    double size;
} catlabels;

static void catlabels_free(catlabels *cl)
{
    for (size_t i = 0; i < cl->n; i++) {
        if (cl->l1) free(cl->l1[i]);
        if (cl->l2) free(cl->l2[i]);
    }
    free(cl->l1);
    free(cl->l2);
    memset(cl, 0, sizeof *cl);
}

/* Fits the n labels under slots of width slot starting at x0.  Time-like
 * labels (names = 0) are thinned to every k-th; names are wrapped onto two
 * lines; names that still do not fit return 1 when may_fail (the caller
 * turns the chart horizontal), else they are shortened with "…" and, when
 * even that does not fit, thinned. */
static int fit_columns(const lctx *x, char *const *labels, size_t n, double x0, double slot,
                       int names, int may_fail, catlabels *cl)
{
    memset(cl, 0, sizeof *cl);
    cl->n = n;
    cl->step = 1;
    cl->lines = 1;
    cl->size = FS_TEXT;
    cl->l1 = rr_xcalloc(n, sizeof *cl->l1);
    cl->l2 = rr_xcalloc(n, sizeof *cl->l2);
    double avail = slot - LABEL_GAP, size = cl->size;
    int all_fit = 1;
    for (size_t i = 0; i < n && all_fit; i++) all_fit = text_w(x, labels[i], size, 0) <= avail;
    if (all_fit) {
        for (size_t i = 0; i < n; i++) cl->l1[i] = rr_xstrdup(labels[i]);
        return 0;
    }
    if (names) {
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) {
            int k = wrap2(x, labels[i], size, avail, 0, &cl->l1[i], &cl->l2[i]);
            if (k == 2) cl->lines = 2;
            ok = k > 0;
        }
        if (ok) return 0;
        if (may_fail) return 1;
        if (avail >= text_w(x, "Mm\xE2\x80\xA6", size, 0)) {
            cl->lines = 1;
            for (size_t i = 0; i < n; i++) {
                free(cl->l1[i]); free(cl->l2[i]);
                int k = wrap2(x, labels[i], size, avail, 1, &cl->l1[i], &cl->l2[i]);
                if (k == 2) cl->lines = 2;
            }
            return 0;
        }
        for (size_t i = 0; i < n; i++) { free(cl->l1[i]); free(cl->l2[i]); cl->l1[i] = cl->l2[i] = NULL; }
        cl->lines = 1;
    }
    /* thinning: labels shortened to a third of the axis, then every k-th */
    double maxw = fmax(avail, fmin(slot * (double)n / 3, 200));
    double *w = rr_xmalloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++) {
        cl->l1[i] = fit_width(x, labels[i], size, 0, maxw);
        w[i] = cl->l1[i] ? text_w(x, cl->l1[i], size, 0) : 0;
    }
    size_t k = 1;
    for (; k < n; k++) {
        double prev_right = -INFINITY;
        int ok = 1;
        for (size_t i = 0; i < n && ok; i += k) {
            double cx = x0 + ((double)i + 0.5) * slot;
            double l = fmax(x->pad, fmin(cx - w[i] / 2, x->W - x->pad - w[i]));
            ok = l >= prev_right + LABEL_GAP;
            prev_right = l + w[i];
        }
        if (ok) break;
    }
    cl->step = k;
    for (size_t i = 0; i < n; i++)
        if (i % k) { free(cl->l1[i]); cl->l1[i] = NULL; }
    free(w);
    return 0;
}

/* Emits category labels: centred under slot i, kept inside the canvas. */
static void emit_columns(lctx *x, const catlabels *cl, double x0, double slot, double ytop)
{
    for (size_t i = 0; i < cl->n; i++) {
        for (int ln = 0; ln < 2; ln++) {
            const char *s = ln ? cl->l2[i] : cl->l1[i];
            if (!s) continue;
            double w = text_w(x, s, cl->size, 0);
            double cx = x0 + ((double)i + 0.5) * slot;
            double l = fmax(x->pad, fmin(cx - w / 2, x->W - x->pad - w));
            double base = ytop + ASC * cl->size + ln * line_h(cl->size) * 1.15;
            add_text(x, s, l + w / 2, base, cl->size, 0, RR_ANCHOR_MIDDLE, C_TEXT, 70);
        }
    }
}

/* Tick labels for ticks t[0..n): one format for the whole axis (one unit,
 * one number of decimals) through env->format_axis, or the default
 * formatter's; a custom env->format alone is asked per tick (compact,
 * plain when two would read the same). */
static char **tick_labels(const lctx *x, const double *t, size_t n, double *maxw)
{
    char **s = rr_xcalloc(n, sizeof *s);
    int custom = x->env->format && x->env->format != rr_chart_format_default;
    if (x->env->format_axis || !custom) {
        for (size_t i = 0; i < n; i++) s[i] = rr_xcalloc(1, 64);
        if (x->env->format_axis)
            x->env->format_axis(x->env->format_ud, t, n, x->c->unit, x->c->currency, s, 64);
        else
            axis_default(t, n, x->c->unit, x->c->currency, s, 64);
    }
    for (int compact = 1; n && !s[0] && compact >= 0; compact--) {
        int dup = 0;
        for (size_t i = 0; i < n; i++) {
            char buf[64];
            fmt(x, t[i], x->c->unit, compact, buf, sizeof buf);
            free(s[i]);
            s[i] = rr_xstrdup(buf);
            if (i && !strcmp(s[i], s[i - 1])) dup = 1;
        }
        if (!dup) break;
        if (compact) for (size_t i = 0; i < n; i++) { free(s[i]); s[i] = NULL; }
    }
    *maxw = 0;
    for (size_t i = 0; i < n; i++) *maxw = fmax(*maxw, text_w(x, s[i], FS_TEXT, 0));
    return s;
}

static void strv_free(char **s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) free(s[i]);
    free(s);
}

/* ------------------------------------------------- cartesian charts */

/*  The regions of a cartesian chart (vertical orientation):
 *
 *  +--------------------------------------------------------------+
 *  | Title (bold, top-left)                                       |
 *  | [■ Series A  ■ Series B  - - Target]   legend, wraps, above  |
 *  | y-axis title (value axis, small, top-left)                   |
 *  |           +----------------------------------------------+ <- headroom for
 *  |    1.2M - |- - - - - - - - - - - - - - - - - - - - - - - |    value labels
 *  |           |        $1.1M                                 |   |
 *  |    600K - |- - -  +----+ - - - - - - - - - - - - - - - - |   |
 *  |  tick     |       |    |      plot area                  |   |
 *  |  labels   |       |    |                                 |   |
 *  |       0 --+=======+====+=================================+ <- zero line
 *  |           |  (negative bars hang below, footroom)        |   |
 *  |           +----------------------------------------------+   |
 *  |              Jan      Feb   ...  category labels (1-2 lines, |
 *  |                                  or every k-th)              |
 *  |                        x-axis title (centred)                |
 *  +--------------------------------------------------------------+
 *
 *  Horizontal (HBAR, or BAR / STACKED_BAR whose names do not fit):
 *
 *  | Title / legend / x-axis title (category axis, over the labels)  |
 *  |  Long campaign name…  |██████████████ $1.2M                     |
 *  |  Another campaign     |████████ $640K                           |
 *  |                       0       500K      1M   tick labels        |
 *  |                              y-axis title (value axis)          |
 *
 *  Layout is a few passes of arithmetic: the plot height fixes the ticks,
 *  the tick label widths fix the left margin, the slot width decides
 *  whether category and value labels fit (and on how many lines), which
 *  in turn fixes the plot height; three or four rounds settle it. */

#define MAXTICKS 16

typedef struct {
    int horiz;
    double px, py, pw, ph;     /* plot area */
    double va, vb;             /* px of t[0] and t[nt-1] along the value axis */
    double t[MAXTICKS];
    size_t nt;
    double c0, slot;           /* category axis: start, slot size */
    double label_y;            /* vertical: top of category labels; horizontal: of tick labels */
} frame;

static double vpos(const frame *f, double v)
{
    double span = f->t[f->nt - 1] - f->t[0];
    return f->va + (v - f->t[0]) / (span > 0 ? span : 1) * (f->vb - f->va);
}

static double cpos(const frame *f, size_t i) { return f->c0 + ((double)i + 0.5) * f->slot; }

/* A bar across the category axis centred at cc, thick, from v0 to v1. */
static void frame_bar(lctx *x, const frame *f, double cc, double thick, double v0, double v1,
                      unsigned color, double alpha)
{
    double a = vpos(f, v0), b = vpos(f, v1), lo = fmin(a, b), len = fabs(b - a);
    if (len < 1 && v0 != v1) { len = 1; if (b < a) lo = a - 1; }
    if (f->horiz) add_rect(x, lo, cc - thick / 2, len, thick, color, alpha);
    else add_rect(x, cc - thick / 2, lo, thick, len, color, alpha);
}

static void frame_pt(const frame *f, double cc, double v, double *px, double *py)
{
    if (f->horiz) { *px = vpos(f, v); *py = cc; }
    else { *px = cc; *py = vpos(f, v); }
}

typedef struct {
    size_t n, ns;
    mark *mk;
    size_t *bars, nbar;        /* bar series, in order */
    int others;                /* any line, target or band series */
    int stacked, water;
    double lo, hi;             /* value domain before ticks */
    /* value labels: per (category, bar) for grouped bars, per category otherwise */
    size_t nvl, per_cat;
    char **vl;
    double *vl_at, *vl_w;      /* value where the label attaches; width */
    int *vl_dir;               /* +1: beyond the bar end upwards/right; -1: downwards/left */
    int want_labels, labels_on, lab_pos, lab_neg;
    int labels_vertical;       /* labels turned a quarter (they did not fit across the bar) */
    double maxw_pos, maxw_neg;
    /* waterfall bars */
    double *wa, *wb;
    unsigned *wcol;
} cdata;

static void cdata_free(cdata *d)
{
    free(d->mk);
    free(d->bars);
    strv_free(d->vl, d->nvl);
    free(d->vl_at);
    free(d->vl_w);
    free(d->vl_dir);
    free(d->wa);
    free(d->wb);
    free(d->wcol);
}

static void minmax(double *lo, double *hi, double v)
{
    if (!isfinite(v)) return;
    if (v < *lo) *lo = v;
    if (v > *hi) *hi = v;
}

static void cdata_label(lctx *x, cdata *d, size_t k, double at, double shown, int plus)
{
    char buf[64], buf2[72];
    if (!isfinite(shown) || !isfinite(at)) return;
    fmt(x, shown, x->c->unit, 1, buf, sizeof buf);
    snprintf(buf2, sizeof buf2, "%s%s", plus && shown > 0 ? "+" : "", buf);
    d->vl[k] = rr_xstrdup(buf2);
    d->vl_at[k] = at;
    d->vl_dir[k] = shown > 0 || (shown == 0 && (plus || at >= 0)) ? 1 : -1;
    d->vl_w[k] = text_w(x, d->vl[k], FS_TEXT, 0);
}

/* Classifies series, computes the value domain and the value labels;
 * 0 when there is nothing to draw. */
static int cdata_make(lctx *x, cdata *d)
{
    const rr_chart *c = x->c;
    memset(d, 0, sizeof *d);
    d->n = c->ncat;
    d->ns = c->kind == RR_CHART_WATERFALL ? (c->nseries ? 1 : 0) : c->nseries;
    d->stacked = c->kind == RR_CHART_STACKED_BAR;
    d->water = c->kind == RR_CHART_WATERFALL;
    d->mk = rr_xcalloc(d->ns + 1, sizeof *d->mk);
    d->bars = rr_xcalloc(d->ns + 1, sizeof *d->bars);
    d->lo = INFINITY;
    d->hi = -INFINITY;
    size_t n = d->n;
    if (d->water) {
        const double *v = c->series[0].values;
        d->wa = rr_xcalloc(n, sizeof *d->wa);
        d->wb = rr_xcalloc(n, sizeof *d->wb);
        d->wcol = rr_xcalloc(n, sizeof *d->wcol);
        double level = 0;
        for (size_t i = 0; i < n; i++) {
            int total = i == 0 || i == n - 1;
            if (total) {
                d->wa[i] = 0;
                d->wb[i] = v[i];
                if (isfinite(v[i])) level = v[i];
                d->wcol[i] = C_ACCENT;
            } else {
                d->wa[i] = level;
                d->wb[i] = isfinite(v[i]) ? level + v[i] : NAN;
                if (isfinite(v[i])) level += v[i];
                d->wcol[i] = v[i] < 0 ? C_DOWN : C_UP;
            }
            if (isfinite(d->wb[i])) { minmax(&d->lo, &d->hi, d->wa[i]); minmax(&d->lo, &d->hi, d->wb[i]); }
        }
    } else {
        for (size_t s = 0; s < d->ns; s++) {
            d->mk[s] = series_mark(c, s);
            if (d->mk[s] == M_BAR) d->bars[d->nbar++] = s;
            else d->others = 1;
        }
        for (size_t i = 0; i < n; i++) {
            double pos = 0, neg = 0;
            for (size_t s = 0; s < d->ns; s++) {
                const rr_series *se = &c->series[s];
                double v = se->values[i];
                if (d->mk[s] == M_BAR && d->stacked) {
                    if (v > 0) pos += v;
                    else if (v < 0) neg += v;
                    continue;
                }
                minmax(&d->lo, &d->hi, v);
                if (d->mk[s] == M_BAND && se->lo && se->hi) {
                    minmax(&d->lo, &d->hi, se->lo[i]);
                    minmax(&d->lo, &d->hi, se->hi[i]);
                }
            }
            if (d->stacked && d->nbar) { minmax(&d->lo, &d->hi, pos); minmax(&d->lo, &d->hi, neg); }
        }
    }
    if (!(d->lo <= d->hi)) return 0;
    if (d->nbar || d->water) {
        d->lo = fmin(d->lo, 0);
        d->hi = fmax(d->hi, 0);
    } else if (d->lo > 0 && d->lo <= d->hi * 0.5) {
        d->lo = 0;
    } else if (d->hi < 0 && d->hi >= d->lo * 0.5) {
        d->hi = 0;
    }
    /* value labels */
    d->want_labels = d->water || (d->nbar > 0 && !d->others);
    if (!d->want_labels) return 1;
    d->per_cat = d->water || d->stacked ? 1 : d->nbar;
    d->nvl = n * d->per_cat;
    d->vl = rr_xcalloc(d->nvl + 1, sizeof *d->vl);
    d->vl_at = rr_xcalloc(d->nvl + 1, sizeof *d->vl_at);
    d->vl_w = rr_xcalloc(d->nvl + 1, sizeof *d->vl_w);
    d->vl_dir = rr_xcalloc(d->nvl + 1, sizeof *d->vl_dir);
    for (size_t i = 0; i < n; i++) {
        if (d->water) {
            int total = i == 0 || i == n - 1;
            double shown = total ? d->wb[i] : d->wb[i] - d->wa[i];
            cdata_label(x, d, i, d->wb[i], shown, !total);   /* at the bar's far end */
        } else if (d->stacked) {
            double pos = 0, neg = 0;
            int any = 0;
            for (size_t b = 0; b < d->nbar; b++) {
                double v = c->series[d->bars[b]].values[i];
                if (!isfinite(v)) continue;
                any = 1;
                if (v > 0) pos += v; else neg += v;
            }
            if (any) {
                cdata_label(x, d, i, pos > 0 ? pos : neg, pos + neg, 0);
                d->vl_dir[i] = pos > 0 || neg == 0 ? 1 : -1;
            }
        } else {
            for (size_t b = 0; b < d->nbar; b++) {
                double v = c->series[d->bars[b]].values[i];
                cdata_label(x, d, i * d->nbar + b, v, v, 0);
            }
        }
    }
    for (size_t k = 0; k < d->nvl; k++) {
        if (!d->vl[k]) continue;
        if (d->vl_dir[k] > 0) { d->lab_pos = 1; d->maxw_pos = fmax(d->maxw_pos, d->vl_w[k]); }
        else { d->lab_neg = 1; d->maxw_neg = fmax(d->maxw_neg, d->vl_w[k]); }
    }
    return 1;
}

/* Thickness of the bar group in a category slot, and of one bar in it:
 * 72% of the slot, at most 64 px wide (28 px thick when horizontal). */
static double group_thick(const cdata *d, const frame *f, double *sub)
{
    size_t nb = d->water || d->stacked ? 1 : (d->nbar ? d->nbar : 1);
    double one = f->horiz ? 28 : 64, each = f->horiz ? 22 : 40;
    double g = fmin(f->slot * 0.72, nb == 1 ? one : (double)nb * each);
    *sub = g / (double)nb;
    return g;
}

static size_t max_chars(char *const *s, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = u8_chars(s[i]);
        if (k > m) m = k;
    }
    return m;
}

/* At most maxt ticks over the value domain. */
static void frame_ticks(const cdata *d, frame *f, size_t maxt)
{
    f->nt = rr_chart_nice_ticks(d->lo, d->hi, maxt, f->t, MAXTICKS);
    if (f->nt > MAXTICKS) f->nt = MAXTICKS;
}

/* Plans the vertical orientation; 0 when the category names do not fit
 * and the chart should be horizontal instead. */
static int plan_vertical(lctx *x, cdata *d, frame *f, catlabels *cl)
{
    const rr_chart *c = x->c;
    size_t n = d->n;
    double top = x->top, bottom = x->H - x->pad;
    if (x->y_title) top += line_h(FS_TEXT) + 6;
    if (x->x_title) bottom -= line_h(FS_TEXT) + 6;
    int bars_kind = c->kind == RR_CHART_BAR || c->kind == RR_CHART_STACKED_BAR;
    int names = d->water || (bars_kind && max_chars(c->categories, n) > 8);
    int lines = 1, labels_on = d->want_labels, need_head = 0, need_foot = 0, vert = 0;
    memset(f, 0, sizeof *f);
    memset(cl, 0, sizeof *cl);
    for (int iter = 0; iter < 10; iter++) {
        double cat_h = 8 + line_h(FS_TEXT) * (lines == 2 ? 2.15 : 1);
        double plot_bottom = bottom - cat_h;
        /* room above the top tick for value labels only when one needs it */
        double head = labels_on && need_head ? (vert ? d->maxw_pos : line_h(FS_TEXT)) + 5 : FS_TEXT * 0.6;
        double foot = labels_on && need_foot ? (vert ? d->maxw_neg : line_h(FS_TEXT)) + 5 : 0;
        f->py = top;
        f->ph = fmax(1, plot_bottom - top);
        f->vb = top + head;
        f->va = fmax(f->vb + 4, plot_bottom - foot);
        f->label_y = plot_bottom + 8;
        size_t maxt = (size_t)fmax(2, fmin(6, floor((f->va - f->vb) / 45) + 1));
        frame_ticks(d, f, maxt);
        double tw;
        strv_free(tick_labels(x, f->t, f->nt, &tw), f->nt);
        f->px = x->pad + tw + 8;
        f->pw = fmax(1, x->W - x->pad - f->px);
        f->c0 = f->px;
        f->slot = f->pw / (double)n;
        if (labels_on) {
            double sub, g = group_thick(d, f, &sub);
            double avail = d->per_cat > 1 ? sub - 1 : fmax(g, f->slot - LABEL_GAP);
            double across = d->per_cat > 1 ? sub - 1 : f->slot - 2;
            int fits = 1;
            for (size_t k = 0; k < d->nvl && fits; k++)
                if (d->vl[k] && d->vl_w[k] > avail) fits = 0;
            /* too wide across the bar: turned a quarter, when its height fits
             * across, all of them (never some turned and some not), and only
             * if the plot keeps most of its height */
            if (!fits && !vert) {
                double longest = fmax(d->maxw_pos, d->maxw_neg);
                if (across >= line_h(FS_TEXT) + 1 && longest + 5 <= 0.4 * (plot_bottom - top)) {
                    vert = 1;
                    need_head = need_foot = 0;
                    continue;
                }
            }
            if (!fits && !vert) { labels_on = 0; continue; }
            if (vert && across < line_h(FS_TEXT) + 1) { labels_on = 0; continue; }
            int grow = 0;
            for (size_t k = 0; k < d->nvl; k++) {
                if (!d->vl[k]) continue;
                double p = vpos(f, d->vl_at[k]), room = 4 + (vert ? d->vl_w[k] : line_h(FS_TEXT));
                if (d->vl_dir[k] > 0 && p - room < top - 0.01 && !need_head) need_head = grow = 1;
                if (d->vl_dir[k] < 0 && p + room > plot_bottom + 0.01 && !need_foot) need_foot = grow = 1;
            }
            if (grow) continue;
        }
        catlabels_free(cl);
        if (fit_columns(x, c->categories, n, f->c0, f->slot, names, bars_kind, cl)) {
            catlabels_free(cl);
            return 0;
        }
        if (cl->lines > lines) { lines = cl->lines; continue; }
        break;
    }
    d->labels_on = labels_on;
    d->labels_vertical = labels_on && vert;
    return 1;
}

/* Row labels of a horizontal chart (or funnel / bullet rows / heatmap rows). */
typedef struct {
    char **s;
    size_t n, step;
    double size, width;        /* font size, widest shown label */
} rowlabels;

static void rowlabels_make(const lctx *x, char *const *names, size_t n, double rh, double maxw,
                           rowlabels *rl)
{
    rl->n = n;
    rl->size = fit_rows(rh, &rl->step);
    rl->s = rr_xcalloc(n ? n : 1, sizeof *rl->s);
    rl->width = 0;
    for (size_t i = 0; i < n; i += rl->step) {
        rl->s[i] = fit_width(x, names[i], rl->size, 0, maxw);
        if (rl->s[i]) rl->width = fmax(rl->width, text_w(x, rl->s[i], rl->size, 0));
    }
}

static void rowlabels_free(rowlabels *rl) { strv_free(rl->s, rl->n); memset(rl, 0, sizeof *rl); }

static void plan_horizontal(lctx *x, cdata *d, frame *f, rowlabels *rl)
{
    const rr_chart *c = x->c;
    size_t n = d->n;
    double top = x->top, bottom = x->H - x->pad;
    if (x->x_title) top += line_h(FS_TEXT) + 6;
    if (x->y_title) bottom -= line_h(FS_TEXT) + 6;
    double plot_bottom = bottom - (8 + line_h(FS_TEXT));
    double rh = fmax(1, (plot_bottom - top) / (double)n);
    size_t nb = d->stacked || d->water || !d->nbar ? 1 : d->nbar;
    rh = fmin(rh, fmax(48, (double)nb * 22 / 0.7));
    memset(f, 0, sizeof *f);
    f->horiz = 1;
    f->py = top;
    f->ph = rh * (double)n;
    f->c0 = top;
    f->slot = rh;
    f->label_y = top + f->ph + 8;
    rowlabels_make(x, c->categories, n, rh, 0.4 * (x->W - 2 * x->pad), rl);
    f->px = x->pad + (rl->width > 0 ? rl->width + 10 : 0);
    f->pw = fmax(1, x->W - x->pad - f->px);
    double sub, g = group_thick(d, f, &sub);
    int labels_on = d->want_labels && rl->step == 1 &&
                    (d->per_cat > 1 ? sub >= line_h(FS_TEXT) + 1 : fmax(g, rh - 2) >= line_h(FS_TEXT));
    double extra_l = 0, extra_r = 0;
    for (int iter = 0; iter < 8; iter++) {
        double padl = extra_l, padr = extra_r;
        if (labels_on) {
            padr += d->lab_pos ? d->maxw_pos + 6 : 0;
            padl += d->lab_neg ? d->maxw_neg + 6 : 0;
        }
        f->va = f->px + padl;
        f->vb = f->px + f->pw - padr;
        if (f->vb - f->va < 40 && labels_on) { labels_on = 0; continue; }
        if (f->vb - f->va < 4) f->vb = f->va + 4;
        size_t maxt = (size_t)fmax(2, fmin(7, floor((f->vb - f->va) / 50) + 1));
        double tw = 0;
        for (;;) {
            frame_ticks(d, f, maxt);
            strv_free(tick_labels(x, f->t, f->nt, &tw), f->nt);
            double spacing = (f->vb - f->va) / (double)(f->nt - 1);
            if (spacing >= tw + 10 || maxt <= 2) break;
            maxt--;
        }
        /* the end tick labels are centred on their gridlines: keep them on the canvas */
        double over = f->vb + tw / 2 - (x->W - 2), under = 2 - (f->va - tw / 2);
        if (over > 0.5) extra_r += over;
        if (under > 0.5) extra_l += under;
        if (over <= 0.5 && under <= 0.5) break;
    }
    d->labels_on = labels_on;
}

/* Gridlines and tick labels. */
static void emit_value_axis(lctx *x, const frame *f)
{
    double tw;
    char **tl = tick_labels(x, f->t, f->nt, &tw);
    for (size_t i = 0; i < f->nt; i++) {
        double p = vpos(f, f->t[i]);
        if (f->horiz) {
            double gx = floor(p) + 0.5;
            if (f->t[i] != 0) add_seg(x, gx, f->py, gx, f->py + f->ph, C_GRID, 1, 0);
            add_text(x, tl[i], p, f->label_y + ASC * FS_TEXT, FS_TEXT, 0, RR_ANCHOR_MIDDLE, C_MUTED, 80);
        } else {
            double gy = floor(p) + 0.5;
            if (f->t[i] != 0) add_seg(x, f->px, gy, f->px + f->pw, gy, C_GRID, 1, 0);
            add_text_c(x, tl[i], f->px - 8, p, FS_TEXT, 0, RR_ANCHOR_END, C_MUTED, 80);
        }
    }
    strv_free(tl, f->nt);
}

static void emit_zero_line(lctx *x, const frame *f)
{
    if (!(f->t[0] <= 0 && f->t[f->nt - 1] >= 0)) return;
    double p = floor(vpos(f, 0)) + 0.5;
    if (f->horiz) add_seg(x, p, f->py, p, f->py + f->ph, C_AXIS, 1, 0);
    else add_seg(x, f->px, p, f->px + f->pw, p, C_AXIS, 1, 0);
}

static void emit_bands(lctx *x, const cdata *d, const frame *f)
{
    const rr_chart *c = x->c;
    double sub, g = group_thick(d, f, &sub);
    for (size_t s = 0; s < d->ns; s++) {
        const rr_series *se = &c->series[s];
        if (d->mk[s] != M_BAND || !se->lo || !se->hi) continue;
        unsigned col = series_color(c, s);
        double *pts = rr_xmalloc(4 * d->n * sizeof *pts);
        for (size_t i = 0; i < d->n;) {
            if (!isfinite(se->lo[i]) || !isfinite(se->hi[i])) { i++; continue; }
            size_t j = i;
            while (j < d->n && isfinite(se->lo[j]) && isfinite(se->hi[j])) j++;
            if (j - i == 1 || f->horiz) {
                for (size_t k = i; k < j; k++) {
                    double th = f->horiz ? g : fmin(f->slot * 0.5, 16);
                    frame_bar(x, f, cpos(f, k), th, se->lo[k], se->hi[k], col, 0.18);
                }
            } else {
                size_t m = 0;
                for (size_t k = i; k < j; k++, m++) frame_pt(f, cpos(f, k), se->hi[k], &pts[2 * m], &pts[2 * m + 1]);
                for (size_t k = j; k-- > i; m++) frame_pt(f, cpos(f, k), se->lo[k], &pts[2 * m], &pts[2 * m + 1]);
                add_polygon(x, pts, m, col, 0.18);
            }
            i = j;
        }
        free(pts);
    }
}

static void emit_bars(lctx *x, const cdata *d, const frame *f)
{
    const rr_chart *c = x->c;
    double sub, g = group_thick(d, f, &sub);
    if (d->water) {
        for (size_t i = 0; i < d->n; i++) {
            if (!isfinite(d->wb[i])) continue;
            frame_bar(x, f, cpos(f, i), g, d->wa[i], d->wb[i], d->wcol[i], 1);
            /* connector to the next bar at this bar's end level */
            if (i + 1 < d->n && isfinite(d->wb[i + 1])) {
                double a0, b0, a1, b1;
                frame_pt(f, cpos(f, i) + g / 2, d->wb[i], &a0, &b0);
                frame_pt(f, cpos(f, i + 1) - g / 2, d->wb[i], &a1, &b1);
                if (f->horiz) add_seg(x, floor(a0) + 0.5, b0, floor(a1) + 0.5, b1, C_AXIS, 1, 0);
                else add_seg(x, a0, floor(b0) + 0.5, a1, floor(b1) + 0.5, C_AXIS, 1, 0);
            }
        }
        return;
    }
    for (size_t i = 0; i < d->n; i++) {
        double cc = cpos(f, i), pos = 0, neg = 0;
        for (size_t b = 0; b < d->nbar; b++) {
            size_t s = d->bars[b];
            double v = c->series[s].values[i];
            if (!isfinite(v)) continue;
            unsigned col = series_color(c, s);
            if (d->stacked) {
                double base = v >= 0 ? pos : neg;
                if (v >= 0) pos += v; else neg += v;
                frame_bar(x, f, cc, g, base, base + v, col, 1);
                if (base != 0) {   /* a hairline of white between stacked segments */
                    double p = vpos(f, base);
                    if (f->horiz) add_seg(x, p, cc - g / 2, p, cc + g / 2, C_WHITE, 1, 0);
                    else add_seg(x, cc - g / 2, p, cc + g / 2, p, C_WHITE, 1, 0);
                }
            } else {
                double off = -g / 2 + ((double)b + 0.5) * sub;
                double th = d->nbar > 1 && sub > 6 ? sub - 2 : sub;
                frame_bar(x, f, cc + off, th, 0, v, col, 1);
            }
        }
    }
}

static void emit_targets(lctx *x, const cdata *d, const frame *f)
{
    const rr_chart *c = x->c;
    double sub, g = group_thick(d, f, &sub);
    for (size_t s = 0; s < d->ns; s++) {
        if (d->mk[s] != M_TARGET) continue;
        const double *v = c->series[s].values;
        if (f->horiz) {   /* a marker across each bar */
            for (size_t i = 0; i < d->n; i++) {
                if (!isfinite(v[i])) continue;
                double p = vpos(f, v[i]), cc = cpos(f, i);
                add_seg(x, p, cc - g / 2 - 3, p, cc + g / 2 + 3, C_TARGET, 2, 0);
            }
            continue;
        }
        /* each target holds across its whole slot: a dashed segment per run
         * of equal targets, without risers between them */
        for (size_t i = 0; i < d->n;) {
            if (!isfinite(v[i])) { i++; continue; }
            size_t j = i + 1;
            while (j < d->n && v[j] == v[i]) j++;
            double y = vpos(f, v[i]);
            add_seg(x, f->c0 + (double)i * f->slot, y, f->c0 + (double)j * f->slot, y, C_TARGET, 1.5, 1);
            i = j;
        }
    }
}

static void emit_lines(lctx *x, const cdata *d, const frame *f)
{
    const rr_chart *c = x->c;
    double *pts = rr_xmalloc(2 * (d->n + 1) * sizeof *pts);
    for (size_t s = 0; s < d->ns; s++) {
        if (d->mk[s] != M_LINE && d->mk[s] != M_BAND) continue;
        const rr_series *se = &c->series[s];
        unsigned col = series_color(c, s);
        double lw = se->accent ? 2.5 : 2;
        size_t last = d->n;
        for (size_t i = 0; i < d->n; i++) if (isfinite(se->values[i])) last = i;
        if (f->horiz) {   /* lines across rows make no sense: dots */
            for (size_t i = 0; i < d->n; i++) {
                if (!isfinite(se->values[i])) continue;
                double px, py;
                frame_pt(f, cpos(f, i), se->values[i], &px, &py);
                add_dot(x, px, py, 4, col);
            }
            continue;
        }
        for (size_t i = 0; i < d->n;) {
            if (!isfinite(se->values[i])) { i++; continue; }
            size_t m = 0;
            for (; i < d->n && isfinite(se->values[i]); i++, m++)
                frame_pt(f, cpos(f, i), se->values[i], &pts[2 * m], &pts[2 * m + 1]);
            if (m >= 2) add_polyline(x, pts, m, col, lw, 0);
            else add_dot(x, pts[0], pts[1], 3.5, col);
        }
        for (size_t i = 0; i < d->n; i++) {
            if (!isfinite(se->values[i]) || (d->n > 24 && i != last)) continue;
            double px, py;
            frame_pt(f, cpos(f, i), se->values[i], &px, &py);
            add_dot(x, px, py, i == last ? 3.5 : 3, col);
        }
    }
    free(pts);
}

static void emit_value_labels(lctx *x, const cdata *d, const frame *f)
{
    if (!d->labels_on) return;
    double sub, g = group_thick(d, f, &sub);
    for (size_t k = 0; k < d->nvl; k++) {
        if (!d->vl[k]) continue;
        size_t i = k / d->per_cat, b = k % d->per_cat;
        double cc = cpos(f, i) + (d->per_cat > 1 ? -g / 2 + ((double)b + 0.5) * sub : 0);
        double p = vpos(f, d->vl_at[k]);
        int dir = d->vl_dir[k];
        if (f->horiz)
            add_text_c(x, d->vl[k], p + 5 * dir, cc, FS_TEXT, 0,
                       dir > 0 ? RR_ANCHOR_START : RR_ANCHOR_END, C_TEXT, 50);
        else if (d->labels_vertical)
            add_text_up(x, d->vl[k], cc, p - 4 * dir, FS_TEXT, dir > 0 ? RR_ANCHOR_START : RR_ANCHOR_END,
                        C_TEXT, 50);
        else if (dir > 0)
            add_text(x, d->vl[k], cc, p - 4 - DESC * FS_TEXT, FS_TEXT, 0, RR_ANCHOR_MIDDLE, C_TEXT, 50);
        else
            add_text(x, d->vl[k], cc, p + 4 + ASC * FS_TEXT, FS_TEXT, 0, RR_ANCHOR_MIDDLE, C_TEXT, 50);
    }
}

static void emit_legend_series(lctx *x, const cdata *d)
{
    const rr_chart *c = x->c;
    if (d->water) return;
    legend_item *it = rr_xcalloc(d->ns + 1, sizeof *it);
    size_t n = 0;
    for (size_t s = 0; s < d->ns; s++) {
        const rr_series *se = &c->series[s];
        int has = finite_any(se->values, c->ncat) ||
                  (d->mk[s] == M_BAND && finite_any(se->lo, c->ncat));
        if (!has || !se->name[0]) continue;
        it[n].name = se->name;
        it[n].color = series_color(c, s);
        it[n].sw = d->mk[s] == M_BAR ? SW_RECT : d->mk[s] == M_LINE ? SW_LINE
                 : d->mk[s] == M_TARGET ? SW_DASH : SW_BAND;
        n++;
    }
    if (n >= 2 || (n == 1 && it[0].sw != SW_RECT && it[0].sw != SW_LINE)) emit_legend_top(x, it, n);
    free(it);
}

static void layout_cartesian(lctx *x)
{
    const rr_chart *c = x->c;
    cdata d;
    if (!cdata_make(x, &d)) { cdata_free(&d); layout_nodata(x); return; }
    emit_title(x);
    emit_legend_series(x, &d);
    double legend_bottom = x->top;
    /* axis titles are the first thing to go when the plot would be too flat */
    double room = x->H - x->pad - x->top - 2 * (line_h(FS_TEXT) + 8);
    x->x_title = c->x_title;
    x->y_title = c->y_title;
    if (room < 80) x->x_title = x->y_title = NULL;
    frame f;
    catlabels cl;
    rowlabels rl;
    memset(&rl, 0, sizeof rl);
    int horiz = c->kind == RR_CHART_HBAR;
    if (!horiz && !plan_vertical(x, &d, &f, &cl)) horiz = 1;
    if (horiz) plan_horizontal(x, &d, &f, &rl);

    emit_value_axis(x, &f);
    emit_bands(x, &d, &f);
    emit_bars(x, &d, &f);
    emit_zero_line(x, &f);
    emit_targets(x, &d, &f);
    emit_lines(x, &d, &f);
    emit_value_labels(x, &d, &f);
    if (horiz) {
        for (size_t i = 0; i < d.n; i++)
            if (rl.s[i])
                add_text_c(x, rl.s[i], f.px - 10, cpos(&f, i), rl.size, 0, RR_ANCHOR_END, C_TEXT, 70);
    } else {
        emit_columns(x, &cl, f.c0, f.slot, f.label_y);
    }
    /* axis titles: x = the category axis, y = the value axis */
    char *s;
    const char *cat_t = x->x_title, *val_t = x->y_title;
    if (cat_t && (s = fit_width(x, cat_t, FS_TEXT, 0, x->W - 2 * x->pad))) {
        if (horiz) add_text(x, s, x->pad, legend_bottom + ASC * FS_TEXT, FS_TEXT, 0, RR_ANCHOR_START, C_MUTED, 75);
        else add_text_mid(x, s, f.px + f.pw / 2, x->H - x->pad - DESC * FS_TEXT, FS_TEXT, C_MUTED, 75);
        free(s);
    }
    if (val_t && (s = fit_width(x, val_t, FS_TEXT, 0, x->W - 2 * x->pad))) {
        if (horiz) add_text_mid(x, s, (f.va + f.vb) / 2, x->H - x->pad - DESC * FS_TEXT, FS_TEXT, C_MUTED, 75);
        else add_text(x, s, x->pad, legend_bottom + ASC * FS_TEXT, FS_TEXT, 0, RR_ANCHOR_START, C_MUTED, 75);
        free(s);
    }
    if (!horiz) catlabels_free(&cl);
    rowlabels_free(&rl);
    cdata_free(&d);
}

/* ------------------------------------------------------------ funnel */

/*  | Title                                                         |
 *  |  Stage name  [██████████████████████████]  12,345             |
 *  |  MQL            [████████████████████]      8,020   65%       |
 *  |  SQL                [████████████]          3,100   38.7%     |
 *  stage labels (right-aligned) | centred bars, light connectors |
 *  value column | conversion from the previous stage (muted) */
static void layout_funnel(lctx *x)
{
    const rr_chart *c = x->c;
    const double *v = c->series[0].values;
    size_t n = c->ncat;
    emit_title(x);
    double top = x->top, bottom = x->H - x->pad;
    double rh = fmin(fmax(1, (bottom - top) / (double)n), 44);
    rowlabels rl;
    rowlabels_make(x, c->categories, n, rh, 0.3 * (x->W - 2 * x->pad), &rl);
    char **val = rr_xcalloc(n, sizeof *val), **conv = rr_xcalloc(n, sizeof *conv);
    double vmax = 0, vw = 0, cw = 0;
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        if (isfinite(v[i]) && v[i] > vmax) vmax = v[i];
        if (i % rl.step) continue;
        fmt(x, v[i], c->unit, 1, buf, sizeof buf);
        val[i] = rr_xstrdup(buf);
        vw = fmax(vw, text_w(x, buf, rl.size, 0));
        if (i > 0 && isfinite(v[i]) && isfinite(v[i - 1]) && v[i - 1] > 0 && v[i] >= 0) {
            fmt(x, v[i] / v[i - 1], RR_UNIT_PERCENT, 0, buf, sizeof buf);
            conv[i] = rr_xstrdup(buf);
            cw = fmax(cw, text_w(x, buf, rl.size, 0));
        }
    }
    double px = x->pad + (rl.width > 0 ? rl.width + 12 : 0);
    double right = vw + (cw > 0 ? 12 + cw : 0);
    if (x->W - x->pad - right - 12 - px < 40 && cw > 0) { cw = 0; right = vw; }
    if (x->W - x->pad - right - 12 - px < 40) { vw = 0; right = 0; }
    double pr = x->W - x->pad - (right > 0 ? right + 12 : 0), pw = fmax(1, pr - px);
    double centre = px + pw / 2, thick = rh * 0.72;
    double prev_w = -1, prev_y = 0;
    for (size_t i = 0; i < n; i++) {
        double cy = top + ((double)i + 0.5) * rh;
        double bw = isfinite(v[i]) && v[i] > 0 && vmax > 0 ? fmax(2, pw * v[i] / vmax) : -1;
        if (bw > 0 && prev_w > 0) {
            double q[8] = {centre - prev_w / 2, prev_y + thick / 2, centre + prev_w / 2, prev_y + thick / 2,
                           centre + bw / 2, cy - thick / 2, centre - bw / 2, cy - thick / 2};
            add_polygon(x, q, 4, C_CONNECT, 1);
        }
        if (bw > 0) add_rect(x, centre - bw / 2, cy - thick / 2, bw, thick, C_ACCENT, 1);
        prev_w = bw;
        prev_y = cy;
        if (rl.s[i]) add_text_c(x, rl.s[i], px - 12, cy, rl.size, 0, RR_ANCHOR_END, C_TEXT, 70);
        if (vw > 0 && val[i])
            add_text_c(x, val[i], x->W - x->pad - (cw > 0 ? cw + 12 : 0), cy, rl.size, 0,
                       RR_ANCHOR_END, C_TEXT, 60);
        if (cw > 0 && conv[i])
            add_text_c(x, conv[i], x->W - x->pad, cy, rl.size, 0, RR_ANCHOR_END, C_MUTED, 55);
    }
    strv_free(val, n);
    strv_free(conv, n);
    rowlabels_free(&rl);
}

/* ----------------------------------------------------------- heatmap */

static unsigned mix(unsigned a, unsigned b, double t)
{
    t = fmax(0, fmin(1, t));
    unsigned out = 0;
    for (int sh = 16; sh >= 0; sh -= 8) {
        double ca = (a >> sh) & 0xFF, cb = (b >> sh) & 0xFF;
        out |= (unsigned)lround(ca + (cb - ca) * t) << sh;
    }
    return out;
}

/* Sequential blue for >= 0, vermillion for < 0 (diverging around 0). */
static unsigned heat_color(double v, double maxabs)
{
    double t = maxabs > 0 ? fabs(v) / maxabs : 1;
    if (v < 0) return t < 0.5 ? mix(0xFBEEE6, 0xF0A27A, t * 2) : mix(0xF0A27A, 0xB84A00, t * 2 - 1);
    return t < 0.5 ? mix(0xEEF4FA, 0x78B3DB, t * 2) : mix(0x78B3DB, 0x0B4F8A, t * 2 - 1);
}

static double luminance(unsigned c)
{
    return (0.2126 * ((c >> 16) & 0xFF) + 0.7152 * ((c >> 8) & 0xFF) + 0.0722 * (c & 0xFF)) / 255;
}

/*  | Title                          [scale: 0 ▮▮▮▮▮ 1.2M] (only when  |
 *  | y-axis title (rows)             cells are too small for values)  |
 *  |  Paid search  [ 12K ][ 15K ][ 9K ] ...                           |
 *  |  Email        [ 3K  ][ 4K  ][ 5K ] ...                           |
 *  |               Jan    Feb    Mar    column labels (every k-th)   |
 *  |                     x-axis title                                 |
 *  rows = series, columns = categories. */
static void layout_heatmap(lctx *x)
{
    const rr_chart *c = x->c;
    size_t rows = c->nseries, cols = c->ncat;
    double maxabs = 0;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            if (isfinite(c->series[i].values[j])) maxabs = fmax(maxabs, fabs(c->series[i].values[j]));
    emit_title(x);
    char **names = rr_xcalloc(rows, sizeof *names);
    for (size_t i = 0; i < rows; i++) names[i] = c->series[i].name;
    char **cell = rr_xcalloc(rows * cols, sizeof *cell);
    for (size_t k = 0; k < rows * cols; k++) {
        double v = c->series[k / cols].values[k % cols];
        char buf[64];
        fmt(x, v, c->unit, 1, buf, sizeof buf);
        cell[k] = rr_xstrdup(isfinite(v) ? buf : "");
    }
    int scale = 0, show_values = 0;
    double top0 = x->top, gx = 0, cw = 0, rh = 0, top = 0;
    rowlabels rl;
    catlabels cl;
    memset(&rl, 0, sizeof rl);
    memset(&cl, 0, sizeof cl);
    for (int pass = 0; pass < 2; pass++) {
        rowlabels_free(&rl);
        catlabels_free(&cl);
        top = top0 + (scale ? line_h(FS_TEXT) + 8 : 0) + (c->y_title ? line_h(FS_TEXT) + 6 : 0);
        double bottom = x->H - x->pad - (c->x_title ? line_h(FS_TEXT) + 6 : 0);
        double grid_bottom = bottom - (8 + line_h(FS_TEXT));
        rh = fmin(fmax(1, (grid_bottom - top) / (double)rows), 40);
        rowlabels_make(x, names, rows, rh, 0.3 * (x->W - 2 * x->pad), &rl);
        gx = x->pad + (rl.width > 0 ? rl.width + 10 : 0);
        cw = fmin(fmax(1, (x->W - x->pad - gx) / (double)cols), 120);
        fit_columns(x, c->categories, cols, gx, cw, 0, 0, &cl);
        show_values = rh >= line_h(FS_TEXT) + 4;
        for (size_t k = 0; k < rows * cols && show_values; k++)
            show_values = text_w(x, cell[k], FS_TEXT, 0) <= cw - 6;
        if (show_values || scale) break;
        scale = 1;
    }
    if (scale) {   /* colour scale, right-aligned under the title */
        int neg = 0;
        for (size_t k = 0; k < rows * cols; k++) neg |= c->series[k / cols].values[k % cols] < 0;
        double from = neg ? -maxabs : 0;
        char lo[64], hi[64];
        fmt(x, from, c->unit, 1, lo, sizeof lo);
        fmt(x, maxabs, c->unit, 1, hi, sizeof hi);
        double yc = top0 + line_h(FS_TEXT) / 2, hw = text_w(x, hi, FS_TEXT, 0);
        double xr = x->W - x->pad - hw;
        add_text_c(x, hi, x->W - x->pad, yc, FS_TEXT, 0, RR_ANCHOR_END, C_MUTED, 60);
        for (int k = 0; k < 5; k++)
            add_rect(x, xr - 6 - (5 - k) * 14, yc - 5, 13, 10, heat_color(from + (maxabs - from) * k / 4.0, maxabs), 1);
        add_text_c(x, lo, xr - 6 - 5 * 14 - 6, yc, FS_TEXT, 0, RR_ANCHOR_END, C_MUTED, 60);
    }
    for (size_t i = 0; i < rows; i++) {
        double cy = top + ((double)i + 0.5) * rh;
        for (size_t j = 0; j < cols; j++) {
            double v = c->series[i].values[j];
            unsigned col = isfinite(v) ? heat_color(v, maxabs) : C_EMPTY;
            double gap = cw > 8 && rh > 8 ? 1 : 0;
            add_rect(x, gx + (double)j * cw + gap, top + (double)i * rh + gap, cw - 2 * gap, rh - 2 * gap, col, 1);
            if (show_values && cell[i * cols + j][0])
                add_text_c(x, cell[i * cols + j], gx + ((double)j + 0.5) * cw, cy, FS_TEXT, 0, RR_ANCHOR_MIDDLE,
                           luminance(col) < 0.55 ? C_WHITE : C_TITLE, 40);
        }
        if (rl.s[i]) add_text_c(x, rl.s[i], gx - 10, cy, rl.size, 0, RR_ANCHOR_END, C_TEXT, 70);
    }
    emit_columns(x, &cl, gx, cw, top + rh * (double)rows + 8);
    char *s;
    if (c->y_title && (s = fit_width(x, c->y_title, FS_TEXT, 0, x->W - 2 * x->pad))) {
        add_text(x, s, x->pad, top0 + (scale ? line_h(FS_TEXT) + 8 : 0) + ASC * FS_TEXT, FS_TEXT, 0,
                 RR_ANCHOR_START, C_MUTED, 75);
        free(s);
    }
    if (c->x_title && (s = fit_width(x, c->x_title, FS_TEXT, 0, x->W - 2 * x->pad))) {
        double base = top + rh * (double)rows + 8 + line_h(FS_TEXT) + 6 + ASC * FS_TEXT;
        add_text_mid(x, s, gx + cw * (double)cols / 2, base, FS_TEXT, C_MUTED, 75);
        free(s);
    }
    strv_free(cell, rows * cols);
    free(names);
    rowlabels_free(&rl);
    catlabels_free(&cl);
}

/* ------------------------------------------------------------- donut */

/*  | Title                                              |
 *  |     .-"""-.        ■ Paid search     $1.2M   34%   |
 *  |   /  $3.5M  \      ■ Email           $800K   23%   |
 *  |   \   Total /      ■ Events          ...           |
 *  |     '-...-'        ■ Other                         |
 *  slices clockwise from 12 o'clock; at most 7 (6 largest + "Other");
 *  values that are not positive are left out. */
static void layout_donut(lctx *x)
{
    const rr_chart *c = x->c;
    const double *v = c->series[0].values;
    size_t n = c->ncat, ns = 0;
    size_t *idx = rr_xcalloc(n + 1, sizeof *idx);
    double total = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && v[i] > 0) { idx[ns++] = i; total += v[i]; }
    if (ns == 0) { free(idx); layout_nodata(x); return; }
    /* keep the 6 largest in input order, the rest becomes "Other" */
    size_t keep = ns > 7 ? 6 : ns;
    int *kept = rr_xcalloc(n + 1, sizeof *kept);
    for (size_t k = 0; k < keep; k++) {
        size_t best = n;
        for (size_t j = 0; j < ns; j++)
            if (!kept[idx[j]] && (best == n || v[idx[j]] > v[best])) best = idx[j];
        kept[best] = 1;
    }
    size_t nsl = 0;
    double other = 0;
    size_t *sl = rr_xcalloc(8, sizeof *sl);   /* category index, or n for "Other" */
    for (size_t j = 0; j < ns; j++) {
        if (kept[idx[j]]) sl[nsl++] = idx[j];
        else other += v[idx[j]];
    }
    if (other > 0) sl[nsl++] = n;
    emit_title(x);
    double top = x->top, bottom = x->H - x->pad, ah = fmax(1, bottom - top);
    double R = fmax(4, fmin(ah / 2, (x->W - 2 * x->pad) * 0.24));
    double cx = x->pad + R, cy = top + ah / 2;
    /* legend rows */
    double lx = cx + R + 28, lw = x->W - x->pad - lx;
    double rowh = fmin(22, ah / (double)nsl);
    size_t step;
    double size = fit_rows(rowh, &step);
    char val[8][64], pct[8][64];
    double vw = 0, pw = 0;
    for (size_t k = 0; k < nsl; k++) {
        double sv = sl[k] == n ? other : v[sl[k]];
        fmt(x, sv, c->unit, 1, val[k], sizeof val[k]);
        fmt(x, sv / total, RR_UNIT_PERCENT, 0, pct[k], sizeof pct[k]);
        vw = fmax(vw, text_w(x, val[k], size, 0));
        pw = fmax(pw, text_w(x, pct[k], size, 0));
    }
    double namew = lw - 18 - (vw + 16) - (pw + 12);
    if (namew < 60) { namew += vw + 16; vw = 0; }
    if (namew < 40) { namew += pw + 12; pw = 0; }
    char *names[8] = {0};
    double nw = 0;
    for (size_t k = 0; k < nsl; k += step) {
        names[k] = namew > 10 ? fit_width(x, sl[k] == n ? word(x, RR_CHART_STR_OTHER) : c->categories[sl[k]], size, 0, namew) : NULL;
        if (names[k]) nw = fmax(nw, text_w(x, names[k], size, 0));
    }
    double vx = lx + 18 + nw + 16 + vw, pct_right = vx + (vw > 0 ? 12 : 0) + pw;   /* right edges */
    double ly = cy - rowh * (double)nsl / 2;
    for (size_t k = 0; k < nsl; k++) {
        unsigned col = sl[k] == n ? C_OTHER : PALETTE[k % NPALETTE];
        double yc = ly + ((double)k + 0.5) * rowh;
        if (k % step) continue;
        add_rect(x, lx, yc - 5, 10, 10, col, 1);
        if (names[k]) add_text_c(x, names[k], lx + 18, yc, size, 0, RR_ANCHOR_START, C_TEXT, 70);
        if (vw > 0) add_text_c(x, val[k], vx, yc, size, 0, RR_ANCHOR_END, C_TEXT, 60);
        if (pw > 0) add_text_c(x, pct[k], pct_right, yc, size, 0, RR_ANCHOR_END, C_MUTED, 60);
        free(names[k]);
    }
    /* the ring */
    double a = -M_PI / 2, r_in = R * 0.62;
    for (size_t k = 0; k < nsl; k++) {
        double sv = sl[k] == n ? other : v[sl[k]];
        double sweep = 2 * M_PI * sv / total;
        rr_chart_prim *p = add_arc(x, cx, cy, r_in, R, a, a + sweep, sl[k] == n ? C_OTHER : PALETTE[k % NPALETTE]);
        if (nsl > 1) { p->stroke = C_WHITE; p->stroke_alpha = 1; p->line_width = 1.5; }
        a += sweep;
    }
    /* the total in the hole */
    char tot[64];
    fmt(x, total, c->unit, 1, tot, sizeof tot);
    double ts = fmin(18, r_in * 0.5);
    while (ts > 9 && text_w(x, tot, ts, 1) > r_in * 1.6) ts -= 1;
    if (ts > 9 && text_w(x, tot, ts, 1) <= r_in * 1.6) {
        const char *lab = word(x, RR_CHART_STR_TOTAL);
        int two = r_in * 2 > line_h(ts) + line_h(FS_TEXT) + 8 && text_w(x, lab, FS_TEXT, 0) <= r_in * 1.6;
        double yc = two ? cy - line_h(FS_TEXT) / 2 - 1 : cy;
        add_text_c(x, tot, cx, yc, ts, 1, RR_ANCHOR_MIDDLE, C_TITLE, 90);
        if (two) add_text_c(x, lab, cx, yc + line_h(ts) / 2 + 3 + line_h(FS_TEXT) / 2, FS_TEXT, 0,
                            RR_ANCHOR_MIDDLE, C_MUTED, 89);
    }
    free(sl);
    free(kept);
    free(idx);
}

/* --------------------------------------------------------- sparkline */

/* A line (and band) filling the canvas, no text, no axes; the last point
 * gets a dot.  Meant for table cells and KPI tiles. */
static void layout_sparkline(lctx *x)
{
    const rr_chart *c = x->c;
    size_t n = c->ncat;
    double lo = INFINITY, hi = -INFINITY, pad = 3.5;
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < n; i++) {
            minmax(&lo, &hi, c->series[s].values[i]);
            if (c->series[s].kind == RR_SERIES_BAND && c->series[s].lo) {
                minmax(&lo, &hi, c->series[s].lo[i]);
                minmax(&lo, &hi, c->series[s].hi[i]);
            }
        }
    if (lo == hi) { double d = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1; lo -= d; hi += d; }
    double w = fmax(0, x->W - 2 * pad), h = fmax(0, x->H - 2 * pad);
    double *pts = rr_xmalloc(4 * (n + 1) * sizeof *pts);
#define SX(i) (n == 1 ? x->W / 2 : pad + w * (double)(i) / (double)(n - 1))
#define SY(v) (pad + h - ((v) - lo) / (hi - lo) * h)
    for (size_t s = 0; s < c->nseries; s++) {
        const rr_series *se = &c->series[s];
        if (se->kind != RR_SERIES_BAND || !se->lo || !se->hi) continue;
        for (size_t i = 0; i < n;) {
            if (!isfinite(se->lo[i]) || !isfinite(se->hi[i])) { i++; continue; }
            size_t j = i, m = 0;
            while (j < n && isfinite(se->lo[j]) && isfinite(se->hi[j])) j++;
            for (size_t k = i; k < j; k++, m++) { pts[2 * m] = SX(k); pts[2 * m + 1] = SY(se->hi[k]); }
            for (size_t k = j; k-- > i; m++) { pts[2 * m] = SX(k); pts[2 * m + 1] = SY(se->lo[k]); }
            if (m >= 4) add_polygon(x, pts, m, series_color(c, s), 0.18);
            i = j;
        }
    }
    for (size_t s = 0; s < c->nseries; s++) {
        const rr_series *se = &c->series[s];
        unsigned col = series_color(c, s);
        int target = se->kind == RR_SERIES_TARGET;
        size_t last = n;
        for (size_t i = 0; i < n;) {
            if (!isfinite(se->values[i])) { i++; continue; }
            size_t m = 0;
            for (; i < n && isfinite(se->values[i]); i++, m++) {
                pts[2 * m] = SX(i);
                pts[2 * m + 1] = SY(se->values[i]);
                last = i;
            }
            if (m >= 2) add_polyline(x, pts, m, col, target ? 1 : 1.5, target);
            else if (!target) add_dot(x, pts[0], pts[1], 2.5, col);
        }
        if (last < n && !target && s == 0) add_dot(x, SX(last), SY(se->values[last]), 2.5, col);
    }
#undef SX
#undef SY
    free(pts);
}

/* ------------------------------------------------------------ bullet */

/* Replaces "{pct}" and "{target}" in tmpl. Caller frees. */
static char *fill_template(const char *tmpl, const char *pct, const char *target)
{
    size_t cap = strlen(tmpl) + strlen(pct) * 4 + strlen(target) * 4 + 1, o = 0;
    char *out = rr_xmalloc(cap);
    for (const char *p = tmpl; *p;) {
        const char *rep = NULL;
        size_t skip = 0;
        if (!strncmp(p, "{pct}", 5)) { rep = pct; skip = 5; }
        else if (!strncmp(p, "{target}", 8)) { rep = target; skip = 8; }
        if (rep) {
            size_t k = strlen(rep);
            if (o + k + 1 > cap) break;
            memcpy(out + o, rep, k);
            o += k;
            p += skip;
        } else {
            if (o + 2 > cap) break;
            out[o++] = *p++;
        }
    }
    out[o] = 0;
    return out;
}

/* Bullet track from 0 (or the lowest value) to just past the largest
 * actual or target: actual as a bar, target as a dark marker. */
static void emit_bullet(lctx *x, double x0, double x1, double yc, double th, double a, double t,
                        double dmin, double dmax)
{
    double span = dmax - dmin > 0 ? dmax - dmin : 1;
#define BX(v) (x0 + ((v) - dmin) / span * (x1 - x0))
    add_rect(x, x0, yc - th / 2, x1 - x0, th, C_TRACK, 1);
    if (isfinite(a)) {
        double p0 = BX(0), p1 = BX(a);
        add_rect(x, fmin(p0, p1), yc - th * 0.35, fmax(1, fabs(p1 - p0)), th * 0.7, C_ACCENT, 1);
    }
    if (isfinite(t)) add_seg(x, BX(t), yc - th / 2 - 3, BX(t), yc + th / 2 + 3, C_TARGET, 2, 0);
#undef BX
}

/*  KPI tile (one category):          Rows (several categories):
 *  | Bookings                 |      | North  [████████░░|░]  $1.2M  92%  |
 *  | $1.24M        (big, bold)|      | South  [█████░░░░|░░]  $640K  71%  |
 *  | 92% of $1.35M target     |
 *  | [██████████████░░░░|░░░] |      track = 0..max(actual, target)
 */
static void layout_bullet(lctx *x)
{
    const rr_chart *c = x->c;
    size_t n = c->ncat;
    const double *act = c->series[0].values;
    const double *tgt = c->nseries > 1 ? c->series[1].values : NULL;
    double dmin = 0, dmax = 0;
    for (size_t i = 0; i < n; i++) {
        minmax(&dmin, &dmax, act[i]);
        if (tgt) minmax(&dmin, &dmax, tgt[i]);
    }
    if (dmax > 0) dmax *= 1.08;
    if (dmin < 0) dmin *= 1.08;
    emit_title(x);
    char buf[64], tbuf[64];
    if (n == 1) {
        double a = act[0], t = tgt ? tgt[0] : NAN;
        double top = x->top, avail = x->H - x->pad - top, th = fmin(12, fmax(4, avail * 0.2));
        char *sub = NULL;
        if (isfinite(a) && isfinite(t) && t > 0) {
            fmt(x, a / t, RR_UNIT_PERCENT, 0, buf, sizeof buf);
            fmt(x, t, c->unit, 1, tbuf, sizeof tbuf);
            sub = fill_template(word(x, RR_CHART_STR_OF_TARGET), buf, tbuf);
        }
        fmt(x, a, c->unit, 1, buf, sizeof buf);
        double vs = 28;
        double need_sub = sub ? line_h(FS_TEXT) + 6 : 0;
        while (vs > 12 && (line_h(vs) + 8 + need_sub + th + 6 > avail || text_w(x, buf, vs, 1) > x->W - 2 * x->pad)) {
            vs -= 1;
            if (vs < 18 && need_sub > 0) { need_sub = 0; vs = 28; }
        }
        double y = top;
        if (line_h(vs) + th + 8 <= avail + 0.01) {
            add_text(x, buf, x->pad, y + ASC * vs, vs, 1, RR_ANCHOR_START, C_TITLE, 95);
            y += line_h(vs) + 6;
        }
        if (need_sub > 0) {
            char *s = fit_width(x, sub, FS_TEXT, 0, x->W - 2 * x->pad);
            if (s) add_text(x, s, x->pad, y + ASC * FS_TEXT, FS_TEXT, 0, RR_ANCHOR_START, C_MUTED, 80);
            free(s);
        }
        free(sub);
        double by = x->H - x->pad - th / 2 - 3;
        emit_bullet(x, x->pad, x->W - x->pad, by, th, a, t, dmin, dmax);
        return;
    }
    double top = x->top, bottom = x->H - x->pad;
    double rh = fmin(fmax(1, (bottom - top) / (double)n), 36);
    rowlabels rl;
    rowlabels_make(x, c->categories, n, rh, 0.3 * (x->W - 2 * x->pad), &rl);
    char **val = rr_xcalloc(n, sizeof *val), **pct = rr_xcalloc(n, sizeof *pct);
    double vw = 0, pw = 0;
    for (size_t i = 0; i < n; i += rl.step) {
        fmt(x, act[i], c->unit, 1, buf, sizeof buf);
        val[i] = rr_xstrdup(buf);
        vw = fmax(vw, text_w(x, buf, rl.size, 0));
        if (tgt && isfinite(act[i]) && isfinite(tgt[i]) && tgt[i] > 0) {
            fmt(x, act[i] / tgt[i], RR_UNIT_PERCENT, 0, buf, sizeof buf);
            pct[i] = rr_xstrdup(buf);
            pw = fmax(pw, text_w(x, buf, rl.size, 0));
        }
    }
    double px = x->pad + (rl.width > 0 ? rl.width + 12 : 0);
    if (x->W - x->pad - (vw + pw + 24) - px < 40) pw = 0;
    if (x->W - x->pad - (vw + 12) - px < 40) vw = 0;
    double pr = x->W - x->pad - (vw > 0 ? vw + 12 : 0) - (pw > 0 ? pw + 12 : 0);
    double th = fmin(12, rh * 0.45);
    for (size_t i = 0; i < n; i++) {
        double cy = top + ((double)i + 0.5) * rh;
        emit_bullet(x, px, fmax(px + 1, pr), cy, th, act[i], tgt ? tgt[i] : NAN, dmin, dmax);
        if (rl.s[i]) add_text_c(x, rl.s[i], px - 12, cy, rl.size, 0, RR_ANCHOR_END, C_TEXT, 70);
        if (vw > 0 && val[i])
            add_text_c(x, val[i], x->W - x->pad - (pw > 0 ? pw + 12 : 0), cy, rl.size, 0, RR_ANCHOR_END, C_TEXT, 60);
        if (pw > 0 && pct[i]) add_text_c(x, pct[i], x->W - x->pad, cy, rl.size, 0, RR_ANCHOR_END, C_MUTED, 55);
    }
    strv_free(val, n);
    strv_free(pct, n);
    rowlabels_free(&rl);
}

/* ------------------------------------------------ make, check, dump */

static int has_data(const rr_chart *c)
{
    if (!c || c->ncat == 0 || c->nseries == 0) return 0;
    size_t ns = c->kind == RR_CHART_FUNNEL || c->kind == RR_CHART_DONUT || c->kind == RR_CHART_BULLET ||
                c->kind == RR_CHART_WATERFALL ? 1 : c->nseries;
    for (size_t s = 0; s < ns; s++) {
        if (finite_any(c->series[s].values, c->ncat)) return 1;
        if (c->series[s].kind == RR_SERIES_BAND && finite_any(c->series[s].lo, c->ncat)) return 1;
    }
    return 0;
}

static int box_overlap(const rr_chart_box *a, const rr_chart_box *b)
{
    double ix = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
    double iy = fmin(a->y + a->h, b->y + b->h) - fmax(a->y, b->y);
    return ix > 0.01 && iy > 0.01;
}

static int box_outside(const rr_chart_box *b, double w, double h)
{
    return b->x < -0.01 || b->y < -0.01 || b->x + b->w > w + 0.01 || b->y + b->h > h + 0.01;
}

static void prim_clear(rr_chart_prim *p)
{
    free(p->pts);
    free(p->text);
}

/* The safety net: texts in priority order; one that would overlap a text
 * already kept, or leave the canvas, is dropped (and counted). */
static void cull_texts(rr_chart_layout *l)
{
    size_t nt = 0;
    size_t *order = rr_xmalloc((l->n + 1) * sizeof *order);
    for (size_t i = 0; i < l->n; i++)
        if (l->prims[i].kind == RR_PRIM_TEXT) order[nt++] = i;
    for (size_t i = 1; i < nt; i++) {   /* stable insertion sort, priority descending */
        size_t k = order[i], j = i;
        while (j > 0 && l->prims[order[j - 1]].priority < l->prims[k].priority) { order[j] = order[j - 1]; j--; }
        order[j] = k;
    }
    unsigned char *drop = rr_xcalloc(l->n + 1, 1);
    size_t *kept = rr_xmalloc((nt + 1) * sizeof *kept), nk = 0;
    for (size_t i = 0; i < nt; i++) {
        const rr_chart_box *b = &l->prims[order[i]].box;
        int bad = box_outside(b, l->width, l->height);
        for (size_t j = 0; j < nk && !bad; j++) bad = box_overlap(b, &l->prims[kept[j]].box);
        if (bad) { drop[order[i]] = 1; l->dropped++; }
        else kept[nk++] = order[i];
    }
    size_t j = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (drop[i]) prim_clear(&l->prims[i]);
        else l->prims[j++] = l->prims[i];
    }
    l->n = j;
    free(kept);
    free(drop);
    free(order);
}

rr_chart_layout *rr_chart_layout_make(const rr_chart *c, double width, double height,
                                      const rr_chart_env *env)
{
    rr_chart_env def;
    if (!env) { def = rr_chart_env_default(); env = &def; }
    rr_chart_layout *l = rr_xcalloc(1, sizeof *l);
    l->width = width > 1 ? width : 1;
    l->height = height > 1 ? height : 1;
    l->font_family = rr_xstrdup(env->font_family ? env->font_family : FONT_DEFAULT);
    lctx x = {.c = c, .env = env, .l = l, .W = l->width, .H = l->height};
    x.pad = fmax(2, fmin(12, fmin(l->width, l->height) * 0.04));
    if (c && c->kind == RR_CHART_BULLET) x.pad = fmin(x.pad, 10);
    if (!has_data(c)) {
        layout_nodata(&x);
    } else {
        switch (c->kind) {
        case RR_CHART_BAR:
        case RR_CHART_HBAR:
        case RR_CHART_STACKED_BAR:
        case RR_CHART_LINE:
        case RR_CHART_COMBO:
        case RR_CHART_WATERFALL: layout_cartesian(&x); break;
        case RR_CHART_FUNNEL: layout_funnel(&x); break;
        case RR_CHART_HEATMAP: layout_heatmap(&x); break;
        case RR_CHART_DONUT: layout_donut(&x); break;
        case RR_CHART_SPARKLINE: layout_sparkline(&x); break;
        case RR_CHART_BULLET: layout_bullet(&x); break;
        }
    }
    cull_texts(l);
    return l;
}

void rr_chart_layout_free(rr_chart_layout *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n; i++) prim_clear(&l->prims[i]);
    free(l->prims);
    free(l->font_family);
    free(l);
}

size_t rr_chart_layout_overlaps(const rr_chart_layout *l)
{
    size_t bad = 0;
    if (!l) return 0;
    for (size_t i = 0; i < l->n; i++) {
        const rr_chart_prim *a = &l->prims[i];
        if (a->kind != RR_PRIM_TEXT) continue;
        if (box_outside(&a->box, l->width, l->height)) bad++;
        for (size_t j = i + 1; j < l->n; j++)
            if (l->prims[j].kind == RR_PRIM_TEXT && box_overlap(&a->box, &l->prims[j].box)) bad++;
    }
    return bad;
}

size_t rr_chart_layout_count(const rr_chart_layout *l) { return l ? l->n : 0; }

const rr_chart_prim *rr_chart_layout_prim(const rr_chart_layout *l, size_t i)
{
    return l && i < l->n ? &l->prims[i] : NULL;
}

size_t rr_chart_layout_dropped(const rr_chart_layout *l) { return l ? l->dropped : 0; }

/* v rounded to 0.1, without "-0.0". */
static double r1(double v)
{
    double r = round(v * 10) / 10;
    return fabs(r) < 0.05 ? 0 : r;
}

static void dump_paint(FILE *out, const char *what, unsigned c, double a)
{
    if (a <= 0) return;
    if (a >= 1) fprintf(out, " %s=#%06X", what, c);
    else fprintf(out, " %s=#%06X/%.2f", what, c, a);
}

void rr_chart_layout_dump(const rr_chart_layout *l, FILE *out)
{
    static const char *const ANCHOR[] = {"start", "middle", "end"};
    if (!l) return;
    fprintf(out, "canvas %.1f %.1f\n", r1(l->width), r1(l->height));
    for (size_t i = 0; i < l->n; i++) {
        const rr_chart_prim *p = &l->prims[i];
        switch (p->kind) {
        case RR_PRIM_RECT:
            fprintf(out, "rect %.1f %.1f %.1f %.1f", r1(p->x), r1(p->y), r1(p->w), r1(p->h));
            break;
        case RR_PRIM_LINE:
        case RR_PRIM_POLYGON:
            fputs(p->kind == RR_PRIM_LINE ? "line" : "poly", out);
            for (size_t k = 0; k < p->npts; k++) fprintf(out, " %.1f,%.1f", r1(p->pts[2 * k]), r1(p->pts[2 * k + 1]));
            break;
        case RR_PRIM_ARC:
            fprintf(out, "arc %.1f,%.1f r=%.1f..%.1f deg=%.1f..%.1f", r1(p->cx), r1(p->cy), r1(p->r_inner),
                    r1(p->r_outer), r1(p->a0 * 180 / M_PI), r1(p->a1 * 180 / M_PI));
            break;
        case RR_PRIM_TEXT:
            fprintf(out, "text %.1f %.1f %s %.1f%s box=%.1f,%.1f,%.1f,%.1f \"", r1(p->x), r1(p->y),
                    ANCHOR[p->anchor], r1(p->size), p->bold ? " bold" : "", r1(p->box.x), r1(p->box.y),
                    r1(p->box.w), r1(p->box.h));
            for (const char *s = p->text; *s; s++) {
                if (*s == '"' || *s == '\\') fputc('\\', out);
                fputc(*s == '\n' ? ' ' : *s, out);
            }
            fputc('"', out);
            break;
        }
        dump_paint(out, "fill", p->fill, p->fill_alpha);
        dump_paint(out, "stroke", p->stroke, p->stroke_alpha);
        if (p->stroke_alpha > 0) fprintf(out, " w=%.1f", r1(p->line_width));
        if (p->dashed) fputs(" dashed", out);
        if (p->vertical) fputs(" vertical", out);
        fputc('\n', out);
    }
}

double rr_chart_layout_width(const rr_chart_layout *l) { return l ? l->width : 0; }
double rr_chart_layout_height(const rr_chart_layout *l) { return l ? l->height : 0; }
const char *rr_chart_layout_font(const rr_chart_layout *l) { return l ? l->font_family : NULL; }
