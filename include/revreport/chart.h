/* chart.h: revreport's chart module: a chart spec (data), a layout computed
 * by pure arithmetic, and a painter that draws a layout with cairo.
 *
 *   rr_chart *c = rr_chart_new(RR_CHART_COMBO, "Revenue vs target");
 *   rr_chart_set_categories(c, 12, month_labels);
 *   rr_chart_add_series(c, "Won revenue", RR_SERIES_BAR, won, 12);
 *   rr_chart_add_series(c, "Target", RR_SERIES_TARGET, target, 12);
 *   rr_chart_set_unit(c, RR_UNIT_MONEY, "USD");
 *   rr_chart_env env = rr_chart_env_default();      // cairo text measurement, plain number format
 *   rr_strbuf svg = {0};
 *   rr_chart_render_svg(c, 720, 320, &env, &svg);   // inline SVG for HTML
 *   rr_strbuf png = {0};
 *   rr_chart_render_png(c, 720, 320, 3.0, &env, &png); // PNG at 3x for PDF / e-mail
 *   rr_chart_free(c);
 *
 * Ownership: a chart owns copies of everything given to it.  A layout is a
 * plain display list (rectangles, lines, polygons, texts, with the boxes
 * used for overlap checks) owned by the caller and freed with
 * rr_chart_layout_free().  Layout never touches cairo: text is measured
 * through env->text_width, so layout tests need no fonts.
 * Values are doubles in display units (money in major units); NAN = missing. */
#ifndef RR_CHART_H
#define RR_CHART_H
#include <stddef.h>
#include <stdio.h>
#include "revreport/status.h"
#include "revreport/strbuf.h"

typedef enum {
    RR_CHART_BAR,          /* one or more series as vertical bars (grouped when several) */
    RR_CHART_HBAR,         /* horizontal bars: long category labels (campaigns) */
    RR_CHART_STACKED_BAR,
    RR_CHART_LINE,
    RR_CHART_COMBO,        /* bars + lines + target line + interval band */
    RR_CHART_FUNNEL,
    RR_CHART_WATERFALL,    /* first value = start, middle = deltas, last = end */
    RR_CHART_HEATMAP,      /* series = rows (e.g. channels), categories = columns (months) */
    RR_CHART_DONUT,
    RR_CHART_SPARKLINE,
    RR_CHART_BULLET        /* series 0 = actual, series 1 = target (KPI tile) */
} rr_chart_kind;

typedef enum {
    RR_SERIES_BAR,
    RR_SERIES_LINE,
    RR_SERIES_TARGET,      /* drawn as a dashed step/line in the accent-free neutral colour */
    RR_SERIES_BAND         /* interval band: uses lo/hi set by rr_chart_set_band() */
} rr_series_kind;

typedef enum {
    RR_UNIT_NUMBER,
    RR_UNIT_MONEY,         /* currency code in chart->currency */
    RR_UNIT_PERCENT,       /* values are fractions: 0.25 = 25% */
    RR_UNIT_RATIO          /* e.g. ROI 1.4x */
} rr_unit;

typedef struct {
    char *name;
    rr_series_kind kind;
    double *values;        /* ncat values */
    double *lo, *hi;       /* band bounds, or NULL */
    int accent;            /* 1 = draw in the accent colour (at most one series) */
} rr_series;

typedef struct rr_chart {
    rr_chart_kind kind;
    char *title;
    char *x_title, *y_title;    /* may be NULL */
    rr_unit unit;
    char currency[8];
    size_t ncat;
    char **categories;
    size_t nseries;
    rr_series *series;
} rr_chart;

/* Text measurement and number formatting, passed in by the caller. */
typedef struct {
    /* width in px of utf8 text at font size px */
    double (*text_width)(void *ud, const char *utf8, double size_px);
    void *text_ud;
    /* format v for an axis/label; compact = 1 for "1.2M"-style ticks.
     * Writes a NUL-terminated UTF-8 string into out. */
    void (*format)(void *ud, double v, rr_unit unit, const char *currency, int compact,
                   char *out, size_t cap);
    void *format_ud;
    const char *font_family;    /* e.g. "DejaVu Sans" */
} rr_chart_env;

rr_chart *rr_chart_new(rr_chart_kind kind, const char *title);
void rr_chart_free(rr_chart *c);                       /* accepts NULL */
void rr_chart_set_categories(rr_chart *c, size_t n, const char *const *labels);
/* Adds a series of n values (n must equal ncat); returns its index. */
size_t rr_chart_add_series(rr_chart *c, const char *name, rr_series_kind kind,
                           const double *values, size_t n);
void rr_chart_set_band(rr_chart *c, size_t series, const double *lo, const double *hi);
void rr_chart_set_unit(rr_chart *c, rr_unit unit, const char *currency);
void rr_chart_set_axis_titles(rr_chart *c, const char *x_title, const char *y_title);
void rr_chart_set_accent(rr_chart *c, size_t series);

/* Default environment: cairo toy-font measurement with DejaVu Sans and a
 * plain formatter (thousands separators, compact ticks, $/€/¥ symbols). */
rr_chart_env rr_chart_env_default(void);

typedef struct rr_chart_layout rr_chart_layout;
rr_chart_layout *rr_chart_layout_make(const rr_chart *c, double width, double height,
                                      const rr_chart_env *env);
void rr_chart_layout_free(rr_chart_layout *l);
/* A text dump of the layout (one primitive per line, numbers rounded to
 * 0.1 px) for golden tests. */
void rr_chart_layout_dump(const rr_chart_layout *l, FILE *out);
/* Number of pairs of text boxes that overlap (0 for a good layout) and of
 * text boxes that leave the canvas. */
size_t rr_chart_layout_overlaps(const rr_chart_layout *l);

/* Paint a layout on any cairo context (declared void* to keep cairo.h out). */
void rr_chart_draw(void *cairo_ctx, const rr_chart_layout *l);

/* Render to an in-memory SVG document / PNG image (scale = device px per
 * layout px; 200 dpi print = 200/72*... the caller decides). */
rr_status rr_chart_render_svg(const rr_chart *c, double w, double h, const rr_chart_env *env,
                              rr_strbuf *out);
rr_status rr_chart_render_png(const rr_chart *c, double w, double h, double scale,
                              const rr_chart_env *env, rr_strbuf *out);

#endif
