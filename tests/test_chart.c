/* test_chart.c: TAP tests of the chart module: nice ticks, the default
 * formatter, UTF-8 shortening, layouts of every kind on awkward data
 * (empty, all-NAN, single point, negatives, 30 long multilingual names)
 * with no overlapping or cut-off text, golden layout dumps, SVG and PNG.
 *
 *   top_srcdir=. tests/test_chart                 # golden files from $top_srcdir/tests/data/chart
 *   RR_UPDATE_GOLDEN=1 top_srcdir=. tests/test_chart   # rewrite them
 *   RR_CHART_SAMPLES=/tmp/charts tests/test_chart      # also write a PNG of each kind there */
#include <cairo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "revreport/chart.h"
#include "revreport/strbuf.h"
#include "revreport/tap.h"

#ifndef RR_SRCDIR
#define RR_SRCDIR "."
#endif

/* ---------------------------------------------------------- helpers */

static size_t utf8_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The deterministic measurement of the golden tests: 0.6 em per character. */
static double fake_width(void *ud, const char *s, double size)
{
    (void)ud;
    return 0.6 * size * (double)utf8_count(s);
}

/* A harsher one: CJK (and other wide) characters take a full em. */
static double wide_width(void *ud, const char *s, double size)
{
    (void)ud;
    double w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = *p;
        int len = cp < 0x80 ? 1 : (cp >> 5) == 6 ? 2 : (cp >> 4) == 14 ? 3 : 4;
        if (len == 2) cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        if (len == 3) cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        if (len == 4) cp = 0x10000;
        w += cp >= 0x1100 ? size : 0.62 * size;
        p += len;
    }
    return w;
}

static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int len = *p < 0x80 ? 1 : (*p >= 0xC2 && *p <= 0xDF) ? 2 : (*p & 0xF0) == 0xE0 ? 3
                : (*p >= 0xF0 && *p <= 0xF4) ? 4 : 0;
        if (!len) return 0;
        for (int i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80) return 0;
        p += len;
    }
    return 1;
}

static rr_chart_env env_fake(void)
{
    rr_chart_env e = rr_chart_env_default();
    e.text_width = fake_width;
    return e;
}

static rr_chart_env env_wide(void)
{
    rr_chart_env e = rr_chart_env_default();
    e.text_width = wide_width;
    return e;
}

/* ---------------------------------------------------------- datasets */

enum { D_NORMAL, D_EMPTY, D_ALLNAN, D_SINGLE, D_NEGATIVE, D_LONG, D_COUNT };
static const char *const DNAME[] = {"normal", "empty", "all-NAN", "single", "negative", "long-30"};
static const char *const KNAME[] = {"bar", "hbar", "stacked", "line", "combo", "funnel", "waterfall",
                                    "heatmap", "donut", "sparkline", "bullet"};

static const char *const MONTHS[] = {"Nov 25", "Dec 25", "Jan 26", "Feb 26", "Mar 26", "Apr 26",
                                     "May 26", "Jun 26", "Jul 26", "Aug 26", "Sep 26", "Oct 26"};

/* 40-character campaign names in three scripts. */
static const char *const LONG_STEM[] = {
    "春季プロモーション・デジタル広告キャンペーン東日本エリア第一四半期版",
    "Весенняя кампания контекстной рекламы для",
    "Q1 Enterprise ABM Retargeting - LinkedIn",
};

typedef struct {
    size_t n;
    char *labels[40];
} labelset;

static void labels_make(int data, labelset *ls)
{
    memset(ls, 0, sizeof *ls);
    if (data == D_EMPTY) return;
    if (data == D_SINGLE) { ls->n = 1; ls->labels[0] = strdup("Oct 26"); return; }
    if (data == D_LONG) {
        ls->n = 30;
        for (size_t i = 0; i < 30; i++) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s %02zu", LONG_STEM[i % 3], i + 1);
            ls->labels[i] = strdup(buf);
        }
        return;
    }
    ls->n = 12;
    for (size_t i = 0; i < 12; i++) ls->labels[i] = strdup(MONTHS[i]);
}

static void labels_free(labelset *ls)
{
    for (size_t i = 0; i < ls->n; i++) free(ls->labels[i]);
}

/* A value for series s, category i of dataset data. */
static double val(int data, size_t s, size_t i, double scale)
{
    if (data == D_ALLNAN) return NAN;
    double base = scale * (1.0 + 0.35 * sin((double)i * 0.9 + (double)s) + 0.1 * (double)s);
    if (data == D_NEGATIVE && (i % 3 == 1)) base = -0.6 * base;
    return base;
}

static rr_chart *make_chart(rr_chart_kind kind, int data, int with_titles)
{
    labelset ls;
    labels_make(data, &ls);
    rr_chart *c = rr_chart_new(kind, "Won revenue vs target, trailing twelve months");
    rr_chart_set_categories(c, ls.n, (const char *const *)ls.labels);
    rr_chart_set_unit(c, RR_UNIT_MONEY, "USD");
    if (with_titles) rr_chart_set_axis_titles(c, "Month", "Revenue (USD)");
    size_t n = ls.n;
    double v[40], lo[40], hi[40];
    switch (kind) {
    case RR_CHART_BAR:
    case RR_CHART_HBAR:
        for (size_t i = 0; i < n; i++) v[i] = val(data, 0, i, 1.1e6);
        rr_chart_add_series(c, "Won revenue", RR_SERIES_BAR, v, n);
        break;
    case RR_CHART_STACKED_BAR:
        for (size_t s = 0; s < 3; s++) {
            static const char *const NAMES[] = {"New business", "Expansion", "Renewal"};
            for (size_t i = 0; i < n; i++) v[i] = val(data, s, i, 4e5);
            rr_chart_add_series(c, NAMES[s], RR_SERIES_BAR, v, n);
        }
        break;
    case RR_CHART_LINE:
        for (size_t i = 0; i < n; i++) v[i] = val(data, 0, i, 9e5);
        rr_chart_add_series(c, "Pipeline created", RR_SERIES_LINE, v, n);
        for (size_t i = 0; i < n; i++) v[i] = val(data, 1, i, 6e5);
        rr_chart_add_series(c, "Won revenue", RR_SERIES_LINE, v, n);
        rr_chart_set_accent(c, 1);
        break;
    case RR_CHART_COMBO:
        for (size_t i = 0; i < n; i++) v[i] = val(data, 0, i, 1.1e6);
        rr_chart_add_series(c, "Won revenue", RR_SERIES_BAR, v, n);
        for (size_t i = 0; i < n; i++) v[i] = data == D_ALLNAN ? NAN : 1.2e6;
        rr_chart_add_series(c, "Target", RR_SERIES_TARGET, v, n);
        for (size_t i = 0; i < n; i++) {
            int future = n > 2 && i + 3 >= n;
            v[i] = future ? val(data, 0, i, 1.15e6) : NAN;
            lo[i] = future ? v[i] * 0.85 : NAN;
            hi[i] = future ? v[i] * 1.15 : NAN;
        }
        if (n <= 2) for (size_t i = 0; i < n; i++) { v[i] = val(data, 0, i, 1.15e6); lo[i] = v[i] * 0.85; hi[i] = v[i] * 1.15; }
        {
            size_t b = rr_chart_add_series(c, "Forecast (80% interval)", RR_SERIES_BAND, v, n);
            rr_chart_set_band(c, b, lo, hi);
        }
        break;
    case RR_CHART_FUNNEL:
        for (size_t i = 0; i < n; i++) v[i] = data == D_ALLNAN ? NAN : 12000.0 * pow(0.72, (double)i);
        if (data == D_NEGATIVE && n > 3) v[3] = -20;
        rr_chart_set_unit(c, RR_UNIT_NUMBER, NULL);
        rr_chart_add_series(c, "Leads", RR_SERIES_BAR, v, n);
        break;
    case RR_CHART_WATERFALL:
        for (size_t i = 0; i < n; i++) v[i] = val(data, 0, i, 2e5) * (i % 4 == 2 ? -1 : 1);
        if (n > 1 && data != D_ALLNAN) {
            v[0] = 3.2e6;
            double level = v[0];
            for (size_t i = 1; i + 1 < n; i++) level += v[i];
            v[n - 1] = level;
        }
        rr_chart_add_series(c, "ARR bridge", RR_SERIES_BAR, v, n);
        break;
    case RR_CHART_HEATMAP:
        for (size_t s = 0; s < 5; s++) {
            static const char *const CH[] = {"Paid search", "Paid social", "Email", "Events", "Organic"};
            for (size_t i = 0; i < n; i++) v[i] = val(data, s, i, 3e4 * (double)(s + 1));
            rr_chart_add_series(c, data == D_LONG ? LONG_STEM[s % 3] : CH[s], RR_SERIES_BAR, v, n);
        }
        break;
    case RR_CHART_DONUT:
        for (size_t i = 0; i < n; i++) v[i] = val(data, 0, i, 1e5);
        rr_chart_add_series(c, "Revenue by channel", RR_SERIES_BAR, v, n);
        break;
    case RR_CHART_SPARKLINE:
        for (size_t i = 0; i < n; i++) { v[i] = val(data, 0, i, 1e5); lo[i] = v[i] * 0.9; hi[i] = v[i] * 1.1; }
        rr_chart_add_series(c, "Revenue", RR_SERIES_LINE, v, n);
        break;
    case RR_CHART_BULLET:
        for (size_t i = 0; i < n; i++) v[i] = val(data, 0, i, 1.1e6);
        rr_chart_add_series(c, "Actual", RR_SERIES_BAR, v, n);
        for (size_t i = 0; i < n; i++) v[i] = data == D_ALLNAN ? NAN : 1.3e6;
        rr_chart_add_series(c, "Target", RR_SERIES_TARGET, v, n);
        break;
    }
    labels_free(&ls);
    return c;
}

/* Every primitive inside the canvas (1 px slack for line widths). */
static int inside(const rr_chart_layout *l, double w, double h)
{
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        double x0, y0, x1, y1;
        switch (p->kind) {
        case RR_PRIM_RECT: x0 = p->x; y0 = p->y; x1 = p->x + p->w; y1 = p->y + p->h; break;
        case RR_PRIM_TEXT: x0 = p->box.x; y0 = p->box.y; x1 = x0 + p->box.w; y1 = y0 + p->box.h; break;
        case RR_PRIM_ARC: x0 = p->cx - p->r_outer; y0 = p->cy - p->r_outer; x1 = p->cx + p->r_outer; y1 = p->cy + p->r_outer; break;
        default:
            x0 = y0 = INFINITY; x1 = y1 = -INFINITY;
            for (size_t k = 0; k < p->npts; k++) {
                x0 = fmin(x0, p->pts[2 * k]); x1 = fmax(x1, p->pts[2 * k]);
                y0 = fmin(y0, p->pts[2 * k + 1]); y1 = fmax(y1, p->pts[2 * k + 1]);
            }
        }
        if (!(x0 >= -1.01 && y0 >= -1.01 && x1 <= w + 1.01 && y1 <= h + 1.01)) {
            rr_tap_diag("  primitive %zu (kind %d) at %.1f,%.1f..%.1f,%.1f leaves %.0fx%.0f", i, (int)p->kind,
                        x0, y0, x1, y1, w, h);
            return 0;
        }
        if (p->kind == RR_PRIM_TEXT && !valid_utf8(p->text)) {
            rr_tap_diag("  text %zu is not valid UTF-8", i);
            return 0;
        }
    }
    return 1;
}

static size_t count_texts(const rr_chart_layout *l, int priority, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        if (p->kind != RR_PRIM_TEXT) continue;
        if (priority >= 0 && p->priority != priority) continue;
        if (needle && !strstr(p->text, needle)) continue;
        n++;
    }
    return n;
}

/* ---------------------------------------------------------- the tests */

static void test_ticks(void)
{
    double t[32];
    size_t n = rr_chart_nice_ticks(0, 937, 6, t, 32);
    int ok = n == 6;
    for (size_t i = 0; ok && i < n; i++) ok = t[i] == 200.0 * (double)i;
    rr_tap_ok(ok, "ticks 0..937 -> 0,200,...,1000");

    n = rr_chart_nice_ticks(0, 1, 6, t, 32);
    ok = n == 6 && t[0] == 0 && t[5] == 1 && t[1] == 0.2 && t[3] == 0.6;
    rr_tap_ok(ok, "ticks 0..1 (percent) -> 0,0.2,...,1");

    n = rr_chart_nice_ticks(0, 0.173, 6, t, 32);
    ok = n == 5 && t[1] == 0.05 && t[4] == 0.2;
    rr_tap_ok(ok, "ticks 0..0.173 -> 0,0.05,...,0.2 (got %zu, step %g)", n, n > 1 ? t[1] : 0);

    n = rr_chart_nice_ticks(-350, 1200, 6, t, 32);
    ok = n == 5 && t[0] == -500 && t[1] == 0 && t[4] == 1500;
    rr_tap_ok(ok, "ticks -350..1200 -> -500,0,...,1500 (zero on a tick)");

    n = rr_chart_nice_ticks(-1e6, -2e5, 6, t, 32);
    ok = n == 5 && t[0] == -1e6 && t[4] == -2e5;
    rr_tap_ok(ok, "ticks all negative -1M..-200K");

    n = rr_chart_nice_ticks(0, 2.5e6, 6, t, 32);
    ok = n == 6 && t[1] == 5e5 && t[5] == 2.5e6;
    rr_tap_ok(ok, "ticks 0..2.5M step 500K");

    n = rr_chart_nice_ticks(0, 1.2e6, 4, t, 32);
    ok = n == 4 && t[1] == 5e5 && t[3] == 1.5e6;
    rr_tap_ok(ok, "ticks 0..1.2M with at most 4 -> step 500K");

    n = rr_chart_nice_ticks(0, 0, 6, t, 32);
    ok = n >= 2 && t[0] == 0 && t[n - 1] == 1;
    rr_tap_ok(ok, "ticks 0..0 widened to 0..1");

    n = rr_chart_nice_ticks(500, 500, 6, t, 32);
    ok = n >= 2 && t[0] == 0 && t[n - 1] >= 500;
    rr_tap_ok(ok, "ticks 500..500 widened from zero");

    n = rr_chart_nice_ticks(NAN, 3, 6, t, 32);
    rr_tap_ok(n >= 2 && t[0] == 0 && t[n - 1] == 1, "ticks non-finite -> 0..1");

    n = rr_chart_nice_ticks(0, 250, 6, t, 32);
    ok = n == 6 && t[1] == 50;
    rr_tap_ok(ok, "ticks 0..250 -> step 50");

    n = rr_chart_nice_ticks(0, 0.75, 4, t, 32);
    rr_tap_ok(n == 4 && t[1] == 0.25, "ticks 0..0.75 -> step 0.25 (table has 2.5)");

    n = rr_chart_nice_ticks(-841000, 1.47e6, 2, t, 32);
    ok = n == 3 && t[0] == -2e6 && t[1] == 0 && t[2] == 2e6;
    rr_tap_ok(ok, "ticks across zero with at most 2 -> -2M, 0, 2M (got %zu, %g..%g)", n, t[0], t[n - 1]);

    /* properties on many ranges: cover [lo, hi], respect the limit, steps from the table */
    int bad = 0;
    unsigned seed = 12345;
    for (int i = 0; i < 2000 && !bad; i++) {
        seed = seed * 1103515245u + 12345u;
        double a = ((double)(seed >> 8 & 0xFFFF) - 20000) * pow(10, (int)(seed % 13) - 6);
        seed = seed * 1103515245u + 12345u;
        double b = a + (double)(seed >> 8 & 0xFFFF) * pow(10, (int)(seed % 13) - 6);
        size_t maxt = 2 + seed % 7;
        if (b - a < 1e-6 * fabs(a)) continue;   /* spans below double precision: not charts */
        n = rr_chart_nice_ticks(a, b, maxt, t, 32);
        double step = t[1] - t[0], mant = step / pow(10, floor(log10(step)));
        int table = fabs(mant - 1) < 1e-4 || fabs(mant - 2) < 1e-4 || fabs(mant - 2.5) < 1e-4 ||
                    fabs(mant - 5) < 1e-4 || fabs(mant - 10) < 1e-4;
        double lo = fmin(a, 0), hi = b;   /* a == b widens from zero */
        if (a != b) lo = a;
        double tol = 1e-9 * step + 1e-15 * fmax(fabs(a), fabs(b));   /* rounding only */
        if (n < 2 || n > (maxt < 3 && a < 0 && b > 0 ? 3 : maxt) || t[0] > lo + tol || t[n - 1] < hi - tol || !table) {
            bad = 1;
            rr_tap_diag("  range %g..%g max %zu: %zu ticks %g..%g step %g", a, b, maxt, n, t[0], t[n - 1], step);
        }
    }
    rr_tap_ok(!bad, "2000 random ranges: ticks cover the data, within the limit, steps from the table");
}

static void test_format(void)
{
    char b[64];
    struct { double v; rr_unit u; const char *cur; int compact; const char *want; } T[] = {
        {1234567, RR_UNIT_MONEY, "USD", 0, "$1,234,567"},
        {1234567.4, RR_UNIT_MONEY, "EUR", 0, "\xE2\x82\xAC" "1,234,567"},
        {1234567, RR_UNIT_MONEY, "GBP", 0, "\xC2\xA3" "1,234,567"},
        {1234567, RR_UNIT_MONEY, "JPY", 0, "\xC2\xA5" "1,234,567"},
        {1234, RR_UNIT_MONEY, "XYZ", 0, "1,234 XYZ"},
        {1234567, RR_UNIT_MONEY, "USD", 1, "$1.2M"},
        {350000, RR_UNIT_MONEY, "USD", 1, "$350K"},
        {1250000, RR_UNIT_MONEY, "USD", 1, "$1.25M"},
        {999999, RR_UNIT_MONEY, "USD", 1, "$1M"},
        {2.5e9, RR_UNIT_MONEY, "USD", 1, "$2.5B"},
        {-45000, RR_UNIT_MONEY, "USD", 1, "\xE2\x88\x92$45K"},
        {45.5, RR_UNIT_MONEY, "USD", 0, "$45.50"},
        {0, RR_UNIT_MONEY, "USD", 1, "$0"},
        {1200, RR_UNIT_MONEY, "CHF", 1, "1.2K CHF"},
        {0.25, RR_UNIT_PERCENT, "", 0, "25%"},
        {0.253, RR_UNIT_PERCENT, "", 0, "25.3%"},
        {0.025, RR_UNIT_PERCENT, "", 1, "2.5%"},
        {-0.1, RR_UNIT_PERCENT, "", 0, "\xE2\x88\x92" "10%"},
        {1.4, RR_UNIT_RATIO, "", 0, "1.4\xC3\x97"},
        {2, RR_UNIT_RATIO, "", 0, "2.0\xC3\x97"},
        {1234567, RR_UNIT_NUMBER, "", 0, "1,234,567"},
        {12345, RR_UNIT_NUMBER, "", 1, "12.3K"},
        {2.5, RR_UNIT_NUMBER, "", 0, "2.5"},
        {-0.0001, RR_UNIT_NUMBER, "", 0, "0"},
        {NAN, RR_UNIT_MONEY, "USD", 0, "\xE2\x80\x93"},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        rr_chart_format_default(NULL, T[i].v, T[i].u, T[i].cur, T[i].compact, b, sizeof b);
        char what[96];
        snprintf(what, sizeof what, "format %g -> %s", T[i].v, T[i].want);
        rr_tap_str(b, T[i].want, what);
    }
    rr_chart_env e = rr_chart_env_default();
    e.format(e.format_ud, 1234567, RR_UNIT_MONEY, "USD", 0, b, 8);
    rr_tap_ok(strlen(b) < 8, "formatter respects cap");
}

static void test_shorten(void)
{
    char *s = rr_chart_shorten("Кампания по продвижению", 10);
    rr_tap_str(s, "Кампания…", "Cyrillic shortened to 10 characters (trailing space dropped)");
    rr_tap_int((long long)utf8_count(s), 9, "Cyrillic: 8 letters + ellipsis");
    free(s);
    s = rr_chart_shorten("春のキャンペーン2026年度版", 8);
    rr_tap_str(s, "春のキャンペー…", "Japanese shortened by characters, not bytes");
    rr_tap_ok(valid_utf8(s), "Japanese result is valid UTF-8");
    free(s);
    s = rr_chart_shorten("Q1 Enterprise ABM", 40);
    rr_tap_str(s, "Q1 Enterprise ABM", "short text unchanged");
    free(s);
    s = rr_chart_shorten("abcdef", 1);
    rr_tap_str(s, "…", "one character = the ellipsis");
    free(s);
    s = rr_chart_shorten("ab\xE3\x81", 2);   /* truncated multibyte sequence at the end */
    rr_tap_ok(s && strlen(s) <= 4 && strncmp(s, "a", 1) == 0, "broken sequence never split further");
    free(s);
    /* a chart keeps its strings valid even when given broken UTF-8 */
    rr_chart *c = rr_chart_new(RR_CHART_BAR, "bad \xFF title \xE3\x81");
    rr_tap_ok(valid_utf8(c->title), "invalid UTF-8 in a title is repaired");
    rr_chart_free(c);
}

static void test_layouts(void)
{
    static const double SIZES[][2] = {{720, 320}, {480, 260}, {360, 220}, {240, 140}};
    rr_chart_env envs[3] = {env_fake(), env_wide(), rr_chart_env_default()};
    static const char *const ENAME[] = {"fake", "wide", "cairo"};
    for (int k = RR_CHART_BAR; k <= RR_CHART_BULLET; k++) {
        for (int d = 0; d < D_COUNT; d++) {
            size_t bad = 0, drops = 0, outside = 0;
            char where[160] = "";
            for (int e = 0; e < 3; e++) {
                for (size_t z = 0; z < 4; z++) {
                    double w = SIZES[z][0], h = SIZES[z][1];
                    if (k == RR_CHART_SPARKLINE) { w = 60 + 60 * (double)z; h = 24 + 4 * (double)z; }
                    if (k == RR_CHART_BULLET && d != D_LONG && d != D_NORMAL) { w = 200 + 60 * (double)z; h = 80 + 10 * (double)z; }
                    for (int titles = 0; titles < 2; titles++) {
                        rr_chart *c = make_chart((rr_chart_kind)k, d, titles);
                        rr_chart_layout *l = rr_chart_layout_make(c, w, h, &envs[e]);
                        size_t o = rr_chart_layout_overlaps(l);
                        if (o && !bad) snprintf(where, sizeof where, "%s %.0fx%.0f titles=%d", ENAME[e], w, h, titles);
                        bad += o;
                        if (!inside(l, w, h)) outside++;
                        /* the safety net may only be needed on 30 long names */
                        if (d != D_LONG && rr_chart_layout_dropped(l)) {
                            if (!drops) rr_tap_diag("  %s/%s: %zu dropped (%s %.0fx%.0f titles=%d)", KNAME[k],
                                                    DNAME[d], rr_chart_layout_dropped(l), ENAME[e], w, h, titles);
                            drops += rr_chart_layout_dropped(l);
                        }
                        rr_chart_layout_free(l);
                        rr_chart_free(c);
                    }
                }
            }
            rr_tap_ok(bad == 0, "%s / %s: no overlapping or off-canvas text%s%s", KNAME[k], DNAME[d],
                      bad ? " at " : "", where);
            rr_tap_ok(outside == 0, "%s / %s: every primitive inside the canvas", KNAME[k], DNAME[d]);
            rr_tap_ok(drops == 0, "%s / %s: nothing dropped by the safety pass", KNAME[k], DNAME[d]);
        }
    }
}

/* Digits after the decimal point, and what follows the number ("K", "%"). */
static void label_shape(const char *s, int *dec, char *unit, size_t cap)
{
    const char *p = s;
    while (*p && !(*p >= '0' && *p <= '9')) p++;
    while (*p && ((*p >= '0' && *p <= '9') || *p == ',')) p++;
    *dec = 0;
    if (*p == '.') for (p++; *p >= '0' && *p <= '9'; p++) (*dec)++;
    snprintf(unit, cap, "%s", p);
}

/* The tick labels (priority 80) of a layout share one unit and one number
 * of decimals; a plain zero is the one exception.  Returns how many differ. */
static size_t axis_mismatches(const rr_chart_layout *l, char *first, size_t cap)
{
    int dec0 = -1;
    char unit0[32] = "";
    size_t bad = 0;
    first[0] = 0;
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        if (p->kind != RR_PRIM_TEXT || p->priority != 80) continue;
        if (!strcmp(p->text, "0") || !strcmp(p->text, "$0") || !strcmp(p->text, "0%") ||
            !strcmp(p->text, "0\xC3\x97"))
            continue;
        int dec;
        char unit[32];
        label_shape(p->text, &dec, unit, sizeof unit);
        if (dec0 < 0) { dec0 = dec; snprintf(unit0, sizeof unit0, "%s", unit); }
        else if (dec != dec0 || strcmp(unit, unit0)) {
            if (!bad) snprintf(first, cap, "%s", p->text);
            bad++;
        }
    }
    return bad;
}

/* Every tick label of an axis in one format; bar totals shown in every
 * bar (turned a quarter when too wide across), never some bars only. */
static void test_axis_format(void)
{
    static const double DIV[] = {1e9, 1e6, 1e3, 1};
    size_t u;
    int d;
    rr_chart_axis_scale((const double[]){0, 250e3, 500e3, 750e3, 1e6}, 5, DIV, 4, 2, &u, &d);
    rr_tap_ok(u == 2 && d == 0, "0..1M by 250K: in K, no decimals (not 0.25M)");
    rr_chart_axis_scale((const double[]){0, 500e3, 1e6, 1.5e6}, 4, DIV, 4, 2, &u, &d);
    rr_tap_ok(u == 1 && d == 1, "0..1.5M by 500K: in M, one decimal for all");
    rr_chart_axis_scale((const double[]){0, 2000, 4000, 6000}, 4, DIV, 4, 2, &u, &d);
    rr_tap_ok(u == 3 && d == 0, "below 10,000: plain numbers");
    rr_chart_axis_scale((const double[]){0, 2.5, 5, 7.5}, 4, DIV, 4, 2, &u, &d);
    rr_tap_ok(u == 3 && d == 1, "0..7.5 by 2.5: one decimal");

    rr_chart_env e = env_fake();
    static const struct { rr_unit unit; double max; } A[] = {
        {RR_UNIT_MONEY, 73e3}, {RR_UNIT_MONEY, 240e3}, {RR_UNIT_MONEY, 760e3}, {RR_UNIT_MONEY, 1.3e6},
        {RR_UNIT_MONEY, 2.2e6}, {RR_UNIT_MONEY, 9.9e6}, {RR_UNIT_MONEY, 420}, {RR_UNIT_NUMBER, 36e3},
        {RR_UNIT_PERCENT, 0.37}, {RR_UNIT_PERCENT, 0.062}, {RR_UNIT_RATIO, 4.2}, {RR_UNIT_RATIO, 19.3},
        {RR_UNIT_RATIO, 192}};
    static const char *const CAT[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun"};
    for (size_t k = 0; k < sizeof A / sizeof A[0]; k++) {
        for (int h = 0; h < 2; h++) {
            double v[6];
            for (size_t i = 0; i < 6; i++) v[i] = A[k].max * (0.35 + 0.13 * (double)i);
            rr_chart *c = rr_chart_new(RR_CHART_LINE, "Axis");
            rr_chart_set_categories(c, 6, CAT);
            rr_chart_add_series(c, "S", RR_SERIES_LINE, v, 6);
            rr_chart_set_unit(c, A[k].unit, "USD");
            rr_chart_layout *l = rr_chart_layout_make(c, 640, h ? 180 : 360, &e);
            char first[64];
            size_t bad = axis_mismatches(l, first, sizeof first);
            rr_tap_ok(bad == 0, "unit %d up to %g, %s: all tick labels share unit and decimals%s%s",
                      (int)A[k].unit, A[k].max, h ? "short" : "tall", bad ? "; differs: " : "", first);
            rr_chart_layout_free(l);
            rr_chart_free(c);
        }
    }

    /* ratio bar labels carry the mark and one decimal, like the tables */
    rr_chart *c = rr_chart_new(RR_CHART_BAR, "ROI");
    rr_chart_set_categories(c, 3, CAT);
    rr_chart_add_series(c, "ROI", RR_SERIES_BAR, (const double[]){4.84, 19, 192.2}, 3);
    rr_chart_set_unit(c, RR_UNIT_RATIO, NULL);
    rr_chart_layout *l = rr_chart_layout_make(c, 640, 300, &e);
    rr_tap_int((long long)count_texts(l, 50, "4.8\xC3\x97"), 1, "ROI label 4.8×");
    rr_tap_int((long long)count_texts(l, 50, "19.0\xC3\x97"), 1, "ROI label 19.0× (not 19)");
    rr_chart_layout_free(l);
    rr_chart_free(c);

    /* stacked totals: 13 or 15 months of wide totals on a report-sized
     * canvas: every bar keeps its total (turned a quarter), none overlap */
    static const char *const M15[] = {"Jul 25", "Aug 25", "Sep 25", "Oct 25", "Nov 25", "Dec 25", "Jan 26",
                                      "Feb 26", "Mar 26", "Apr 26", "May 26", "Jun 26", "Jul 26", "Aug 26",
                                      "Sep 26"};
    for (size_t n = 13; n <= 15; n += 2) {
        for (int wide = 0; wide < 2; wide++) {
            double a[15], b[15];
            for (size_t i = 0; i < n; i++) { a[i] = 90e3 + 11e3 * (double)(i % 5); b[i] = 40e3 + 53e3 * (double)(i % 3); }
            c = rr_chart_new(RR_CHART_STACKED_BAR, "Spend by channel and month");
            rr_chart_set_categories(c, n, M15);
            rr_chart_add_series(c, "Paid", RR_SERIES_BAR, a, n);
            rr_chart_add_series(c, "Events", RR_SERIES_BAR, b, n);
            rr_chart_set_unit(c, RR_UNIT_MONEY, wide ? "CHF" : "USD");
            l = rr_chart_layout_make(c, 720, 300, &e);
            size_t vert = 0;
            for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
                const rr_chart_prim *p = rr_chart_layout_prim(l, i);
                vert += p->kind == RR_PRIM_TEXT && p->priority == 50 && p->vertical;
            }
            rr_tap_ok(count_texts(l, 50, NULL) == n, "%zu stacked bars (%s totals): every total shown (%zu)",
                      n, wide ? "wide" : "short", count_texts(l, 50, NULL));
            rr_tap_ok(vert == 0 || vert == n, "%zu stacked bars: totals all across or all turned (%zu turned)", n, vert);
            rr_tap_ok(rr_chart_layout_overlaps(l) == 0 && rr_chart_layout_dropped(l) == 0,
                      "%zu stacked bars: no overlaps, nothing dropped", n);
            rr_chart_layout_free(l);
            rr_chart_free(c);
        }
    }
}

static void test_behaviour(void)
{
    rr_chart_env e = env_fake();
    /* empty data: a tidy "No data" */
    rr_chart *c = make_chart(RR_CHART_BAR, D_EMPTY, 0);
    rr_chart_layout *l = rr_chart_layout_make(c, 720, 320, &e);
    rr_tap_int((long long)count_texts(l, -1, "No data"), 1, "empty chart says No data");
    rr_chart_layout_free(l);
    rr_chart_free(c);
    c = make_chart(RR_CHART_COMBO, D_ALLNAN, 0);
    l = rr_chart_layout_make(c, 720, 320, &e);
    rr_tap_int((long long)count_texts(l, -1, "No data"), 1, "all-NAN chart says No data");
    rr_chart_layout_free(l);
    rr_chart_free(c);

    /* long names: bars turn horizontal, labels shortened with an ellipsis */
    c = make_chart(RR_CHART_BAR, D_LONG, 0);
    l = rr_chart_layout_make(c, 720, 900, &e);
    size_t ends = 0, ell = 0;
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        if (p->kind == RR_PRIM_TEXT && p->priority == 70) {
            ends += p->anchor == RR_ANCHOR_END;
            ell += strstr(p->text, "\xE2\x80\xA6") != NULL;
        }
    }
    rr_tap_int((long long)ends, 30, "30 long names: horizontal bars, one right-aligned label per row");
    rr_tap_ok(ell > 0, "long names shortened with an ellipsis (%zu)", ell);
    rr_tap_int((long long)count_texts(l, 50, NULL), 30, "one value label per bar when rows are tall enough");
    rr_chart_layout_free(l);
    rr_chart_free(c);

    /* 30 month labels on a line chart: thinned, not overlapping */
    {
        char *m[30];
        double v[30];
        for (size_t i = 0; i < 30; i++) {
            char b[16];
            snprintf(b, sizeof b, "%04zu-%02zu", 2024 + i / 12, i % 12 + 1);
            m[i] = strdup(b);
            v[i] = 1000 + 37.0 * (double)i;
        }
        c = rr_chart_new(RR_CHART_LINE, "Leads per month");
        rr_chart_set_categories(c, 30, (const char *const *)m);
        rr_chart_add_series(c, "Leads", RR_SERIES_LINE, v, 30);
        l = rr_chart_layout_make(c, 480, 260, &e);
        size_t shown = count_texts(l, 70, NULL);
        rr_tap_ok(shown >= 3 && shown < 30, "30 month labels thinned to every k-th (%zu shown)", shown);
        rr_tap_int((long long)rr_chart_layout_overlaps(l), 0, "thinned labels do not overlap");
        rr_chart_layout_free(l);
        rr_chart_free(c);
        /* a bar chart of the same months keeps them vertical (time-like labels) */
        c = rr_chart_new(RR_CHART_BAR, "Leads per month");
        rr_chart_set_categories(c, 30, (const char *const *)m);
        rr_chart_add_series(c, "Leads", RR_SERIES_BAR, v, 30);
        l = rr_chart_layout_make(c, 480, 260, &e);
        size_t mids = 0;
        for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
            const rr_chart_prim *p = rr_chart_layout_prim(l, i);
            mids += p->kind == RR_PRIM_TEXT && p->priority == 70 && p->anchor == RR_ANCHOR_MIDDLE;
        }
        rr_tap_ok(mids >= 3 && mids < 30, "bar chart of 30 months stays vertical, thinned (%zu)", mids);
        rr_chart_layout_free(l);
        rr_chart_free(c);
        for (size_t i = 0; i < 30; i++) free(m[i]);
    }

    /* negatives: bars hang below a zero line */
    c = make_chart(RR_CHART_BAR, D_NEGATIVE, 0);
    l = rr_chart_layout_make(c, 720, 320, &e);
    double zero = NAN;
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        if (p->kind == RR_PRIM_LINE && p->stroke == 0x9A9A9A && p->npts == 2 && p->pts[1] == p->pts[3]) zero = p->pts[1];
    }
    size_t below = 0, above = 0;
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        if (p->kind != RR_PRIM_RECT || p->fill != 0x0072B2) continue;
        if (fabs(p->y - zero) < 1.01) below++;
        else if (fabs(p->y + p->h - zero) < 1.01) above++;
    }
    rr_tap_ok(isfinite(zero), "negative data: a zero line is drawn");
    rr_tap_ok(below == 4 && above == 8, "4 bars hang below zero, 8 stand on it (got %zu / %zu)", below, above);
    rr_tap_ok(count_texts(l, 50, "\xE2\x88\x92$") == 4, "negative value labels read \"−$…\"");
    rr_chart_layout_free(l);
    rr_chart_free(c);

    /* single point: one bar of sensible width, value label compact money */
    c = make_chart(RR_CHART_BAR, D_SINGLE, 0);
    l = rr_chart_layout_make(c, 720, 320, &e);
    size_t bars = 0;
    double bw = 0;
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        if (p->kind == RR_PRIM_RECT && p->fill == 0x0072B2) { bars++; bw = p->w; }
    }
    rr_tap_ok(bars == 1 && bw <= 64, "single point: one bar, at most 64 px wide (%.1f)", bw);
    rr_tap_ok(count_texts(l, 50, "$") == 1, "single point: its value label");
    rr_chart_layout_free(l);
    rr_chart_free(c);

    /* legends stay above the plot: every legend text ends above every tick label */
    c = make_chart(RR_CHART_COMBO, D_NORMAL, 1);
    l = rr_chart_layout_make(c, 480, 260, &e);
    double legend_bottom = 0, data_top = 1e9;
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        if (p->kind == RR_PRIM_TEXT && p->priority == 85) legend_bottom = fmax(legend_bottom, p->box.y + p->box.h);
        if (p->kind == RR_PRIM_RECT && p->fill == 0x0072B2 && p->fill_alpha == 1 && p->w > 10)   /* not a swatch */
            data_top = fmin(data_top, p->y);
        if (p->kind == RR_PRIM_POLYGON) for (size_t k = 0; k < p->npts; k++) data_top = fmin(data_top, p->pts[2 * k + 1]);
    }
    rr_tap_ok(legend_bottom > 0 && legend_bottom < data_top, "legend (bottom %.1f) above all data (top %.1f)",
              legend_bottom, data_top);
    rr_tap_ok(count_texts(l, 85, NULL) == 3, "combo legend: bars, target, band");
    rr_chart_layout_free(l);
    rr_chart_free(c);

    /* words come from the environment */
    rr_chart_env fr = env_fake();
    fr.strings[RR_CHART_STR_NO_DATA] = "Aucune donnée";
    c = make_chart(RR_CHART_DONUT, D_EMPTY, 0);
    l = rr_chart_layout_make(c, 480, 260, &fr);
    rr_tap_int((long long)count_texts(l, -1, "Aucune donnée"), 1, "No data text from env->strings");
    rr_chart_layout_free(l);
    rr_chart_free(c);

    /* donut: at most 7 slices (6 + Other) */
    c = make_chart(RR_CHART_DONUT, D_NORMAL, 0);
    l = rr_chart_layout_make(c, 480, 260, &e);
    size_t arcs = 0;
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) arcs += rr_chart_layout_prim(l, i)->kind == RR_PRIM_ARC;
    rr_tap_int((long long)arcs, 7, "donut of 12 categories: 6 slices + Other");
    rr_tap_int((long long)count_texts(l, -1, "Other"), 1, "donut legend names Other");
    rr_chart_layout_free(l);
    rr_chart_free(c);

    /* the KPI tile says how far from target */
    c = make_chart(RR_CHART_BULLET, D_SINGLE, 0);
    l = rr_chart_layout_make(c, 260, 100, &e);
    rr_tap_int((long long)count_texts(l, -1, "of $1.3M target"), 1, "KPI tile: \"…% of $1.3M target\"");
    rr_chart_layout_free(l);
    rr_chart_free(c);
}

/* The two golden charts: a combo (bars, target, band, axis titles) and a
 * horizontal bar chart of campaigns with negative values. */
static rr_chart *golden_chart(int which)
{
    if (which == 0) return make_chart(RR_CHART_COMBO, D_NORMAL, 1);
    static const char *const CAMP[] = {"Spring webinar series", "LinkedIn ABM retargeting - enterprise tier",
                                       "Trade show: SaaStr", "Partner co-marketing", "Black Friday email"};
    const double roi[] = {2.4, 1.1, -0.35, 0.8, 3.05};
    rr_chart *c = rr_chart_new(RR_CHART_HBAR, "Campaign ROI");
    rr_chart_set_categories(c, 5, CAMP);
    rr_chart_add_series(c, "ROI", RR_SERIES_BAR, roi, 5);
    rr_chart_set_unit(c, RR_UNIT_RATIO, NULL);
    return c;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    rr_strbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) rr_strbuf_add(&b, buf, n);
    fclose(f);
    *len = b.len;
    return rr_strbuf_steal(&b);
}

static void test_golden(void)
{
    static const char *const NAMES[] = {"combo", "hbar"};
    const char *top = getenv("top_srcdir");
    if (!top || !*top) top = RR_SRCDIR;
    rr_chart_env e = env_fake();
    for (int g = 0; g < 2; g++) {
        rr_chart *c = golden_chart(g);
        rr_chart_layout *l = rr_chart_layout_make(c, 640, 300, &e);
        char *got = NULL;
        size_t glen = 0;
        FILE *m = open_memstream(&got, &glen);
        rr_chart_layout_dump(l, m);
        fclose(m);
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/data/chart/%s.golden", top, NAMES[g]);
        if (getenv("RR_UPDATE_GOLDEN")) {
            FILE *f = fopen(path, "wb");
            if (f) { fwrite(got, 1, glen, f); fclose(f); }
        }
        size_t wlen = 0;
        char *want = slurp(path, &wlen);
        int same = want && wlen == glen && !memcmp(want, got, glen);
        rr_tap_ok(same, "golden layout dump %s", path);
        if (!same && want) {   /* show the first differing line */
            size_t i = 0, line = 1, start = 0;
            while (i < glen && i < wlen && got[i] == want[i]) { if (got[i] == '\n') { line++; start = i + 1; } i++; }
            rr_tap_diag("  first difference on line %zu:", line);
            rr_tap_diag("  got:  %.*s", (int)strcspn(got + start, "\n"), got + start);
            rr_tap_diag("  want: %.*s", (int)strcspn(want + (start < wlen ? start : wlen), "\n"), want + (start < wlen ? start : wlen));
        } else if (!want) {
            rr_tap_diag("  cannot read %s (RR_UPDATE_GOLDEN=1 writes it)", path);
        }
        free(want);
        free(got);
        rr_chart_layout_free(l);
        rr_chart_free(c);
    }
}

static void test_svg_png(void)
{
    rr_chart_env e = rr_chart_env_default();
    rr_chart *c = make_chart(RR_CHART_COMBO, D_NORMAL, 1);
    rr_chart *c2 = make_chart(RR_CHART_HBAR, D_LONG, 0);
    rr_strbuf svg = {0}, svg2 = {0};
    rr_tap_int(rr_chart_render_svg(c, 720, 320, &e, &svg), RR_OK, "render SVG");
    rr_tap_int(rr_chart_render_svg(c2, 720, 600, &e, &svg2), RR_OK, "render SVG with CJK and Cyrillic text");
    xmlDocPtr doc = svg.len ? xmlReadMemory(svg.data, (int)svg.len, "chart.svg", NULL, XML_PARSE_NONET) : NULL;
    rr_tap_ok(doc != NULL, "SVG parses with libxml2");
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    rr_tap_ok(root && !xmlStrcmp(root->name, (const xmlChar *)"svg"), "SVG root element is <svg>");
    const char *attrs[] = {"width", "height", "viewBox"};
    for (int i = 0; i < 3; i++) {
        xmlChar *a = root ? xmlGetProp(root, (const xmlChar *)attrs[i]) : NULL;
        rr_tap_ok(a != NULL, "SVG root has %s (%s)", attrs[i], a ? (const char *)a : "-");
        if (i == 2) rr_tap_str((const char *)a, "0 0 720 320", "viewBox matches the layout size");
        xmlFree(a);
    }
    xmlFreeDoc(doc);
    doc = svg2.len ? xmlReadMemory(svg2.data, (int)svg2.len, "chart2.svg", NULL, XML_PARSE_NONET) : NULL;
    rr_tap_ok(doc != NULL, "second SVG parses");
    xmlFreeDoc(doc);
    rr_tap_ok(!strstr(svg.data, "id=\"glyph") && strstr(svg.data, "id=\"rrc"), "SVG ids carry the chart prefix");
    char p1[16] = "", p2[16] = "";
    const char *a1 = strstr(svg.data, "id=\"rrc"), *a2 = strstr(svg2.data, "id=\"rrc");
    if (a1) memcpy(p1, a1 + 4, 12);
    if (a2) memcpy(p2, a2 + 4, 12);
    rr_tap_ok(a1 && a2 && strcmp(p1, p2) != 0, "two charts get different id prefixes (%s, %s)", p1, p2);
    rr_strbuf again = {0};
    rr_chart_render_svg(c, 720, 320, &e, &again);
    rr_tap_ok(again.len == svg.len && !memcmp(again.data, svg.data, svg.len), "SVG output is reproducible");
    rr_strbuf_free(&again);

    rr_strbuf png = {0};
    rr_tap_int(rr_chart_render_png(c, 720, 320, 2.0, &e, &png), RR_OK, "render PNG at 2x");
    rr_tap_ok(png.len > 24 && !memcmp(png.data, "\x89PNG\r\n\x1a\n", 8), "PNG signature");
    if (png.len > 24) {
        const unsigned char *u = (const unsigned char *)png.data;
        unsigned long w = (unsigned long)u[16] << 24 | (unsigned long)u[17] << 16 | u[18] << 8 | u[19];
        unsigned long h = (unsigned long)u[20] << 24 | (unsigned long)u[21] << 16 | u[22] << 8 | u[23];
        rr_tap_ok(w == 1440 && h == 640, "PNG is 1440x640 (got %lux%lu)", w, h);
    }
    rr_strbuf_free(&png);
    rr_tap_int(rr_chart_render_png(c, 333.3, 100.2, 3.0, &e, &png), RR_OK, "render PNG at a fractional size");
    if (png.len > 24) {
        const unsigned char *u = (const unsigned char *)png.data;
        unsigned long w = (unsigned long)u[18] << 8 | u[19], h = (unsigned long)u[22] << 8 | u[23];
        rr_tap_ok(w == 1000 && h == 301, "PNG size is ceil(w*scale) x ceil(h*scale) (got %lux%lu)", w, h);
    }
    rr_strbuf_free(&png);
    rr_strbuf_free(&svg);
    rr_strbuf_free(&svg2);
    rr_chart_free(c);
    rr_chart_free(c2);
}

/* RR_CHART_SAMPLES=DIR: a PNG of each kind, for a person to look at. */
static void write_samples(const char *dir)
{
    rr_chart_env e = rr_chart_env_default();
    mkdir(dir, 0777);
    for (int k = RR_CHART_BAR; k <= RR_CHART_BULLET; k++) {
        for (int d = 0; d < D_COUNT; d++) {
            if (d == D_ALLNAN) continue;
            double w = 720, h = 320;
            if (k == RR_CHART_SPARKLINE) { w = 160; h = 36; }
            if (k == RR_CHART_BULLET && d != D_NORMAL && d != D_LONG) { w = 260; h = 100; }
            if (d == D_LONG && (k == RR_CHART_BAR || k == RR_CHART_HBAR || k == RR_CHART_FUNNEL || k == RR_CHART_BULLET)) h = 760;
            rr_chart *c = make_chart((rr_chart_kind)k, d, d == D_NORMAL);
            rr_strbuf png = {0};
            if (rr_chart_render_png(c, w, h, 2.0, &e, &png) == RR_OK) {
                char path[1024];
                snprintf(path, sizeof path, "%s/%02d-%s-%s.png", dir, k, KNAME[k], DNAME[d]);
                FILE *f = fopen(path, "wb");
                if (f) { fwrite(png.data, 1, png.len, f); fclose(f); }
            }
            rr_strbuf_free(&png);
            rr_chart_free(c);
        }
    }
    /* the golden hbar, and monthly targets that change (a dashed segment per month) */
    for (int g = 0; g < 2; g++) {
        rr_chart *c = golden_chart(1);
        if (g == 1) {
            rr_chart_free(c);
            c = rr_chart_new(RR_CHART_COMBO, "Won revenue vs target by month");
            rr_chart_set_categories(c, 12, MONTHS);
            double won[12], tgt[12];
            for (size_t i = 0; i < 12; i++) { won[i] = val(D_NORMAL, 0, i, 2e6); tgt[i] = 1.4e6 + 1e5 * (double)(i % 4); }
            rr_chart_set_accent(c, rr_chart_add_series(c, "Won revenue", RR_SERIES_BAR, won, 12));
            rr_chart_add_series(c, "Target", RR_SERIES_TARGET, tgt, 12);
            rr_chart_set_unit(c, RR_UNIT_MONEY, "EUR");
        }
        rr_strbuf png = {0};
        rr_chart_render_png(c, g ? 960 : 640, g ? 380 : 300, 2.0, &e, &png);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.png", dir, g ? "combo-targets" : "golden-hbar");
        FILE *f = fopen(path, "wb");
        if (f) { fwrite(png.data, 1, png.len, f); fclose(f); }
        rr_strbuf_free(&png);
        rr_chart_free(c);
    }
}

int main(void)
{
    test_ticks();
    test_format();
    test_axis_format();
    test_shorten();
    test_layouts();
    test_behaviour();
    test_golden();
    test_svg_png();
    const char *dir = getenv("RR_CHART_SAMPLES");
    if (dir && *dir) write_samples(dir);
    rr_chart_env_release();
    cairo_debug_reset_static_data();   /* so a valgrind run sees only our own leaks */
    xmlCleanupParser();
    return rr_tap_done();
}
