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
 * Values are doubles in display units (money in major units); NAN = missing.
 *
 * What every layout guarantees: nice ticks from {1, 2, 2.5, 5} x 10^k with
 * zero on the axis for bars; the title top-left; legends above the plot
 * (never over data); category labels that do not fit are thinned, wrapped
 * onto two lines or shortened with "…", and a bar chart whose names do not
 * fit turns horizontal; no two texts overlap and none leaves the canvas
 * (rr_chart_layout_overlaps() == 0); empty or all-NAN data gives "No data".
 * Colours: Okabe-Ito (colour-blind safe); with an accent series, that one
 * is blue and the others muted greys; targets dashed dark grey; bands a
 * translucent fill. */
#ifndef RR_CHART_H
#define RR_CHART_H
#include <stddef.h>
#include <stdio.h>
#include "revreport/status.h"
#include "revreport/strbuf.h"

/* BAR, HBAR, STACKED_BAR, LINE, COMBO and WATERFALL share one cartesian
 * layout: the series kind decides the mark (bar, line, dashed target per
 * category, band), except that a LINE chart draws bar series as lines.
 * Bars get value labels when there are no line/target/band series and the
 * labels fit. */
typedef enum {
    RR_CHART_BAR,          /* one or more series as vertical bars (grouped when several);
                            * horizontal when the names do not fit even on two lines */
    RR_CHART_HBAR,         /* horizontal bars: long category labels (campaigns) */
    RR_CHART_STACKED_BAR,  /* positives stack up, negatives down; totals labelled */
    RR_CHART_LINE,
    RR_CHART_COMBO,        /* bars + lines + target line + interval band */
    RR_CHART_FUNNEL,       /* series 0 by stage: centred bars, value, % of the previous stage */
    RR_CHART_WATERFALL,    /* series 0: first value = start, middle = deltas, last = end */
    RR_CHART_HEATMAP,      /* series = rows (e.g. channels), categories = columns (months) */
    RR_CHART_DONUT,        /* series 0 by category; values <= 0 left out; 6 largest + "Other" */
    RR_CHART_SPARKLINE,    /* lines (and bands) filling the canvas: no title, axes or text */
    RR_CHART_BULLET        /* series 0 = actual, series 1 = target: one category = a KPI
                            * tile (big value, "% of target", bullet bar); several = one
                            * bullet row per category */
} rr_chart_kind;

typedef enum {
    RR_SERIES_BAR,
    RR_SERIES_LINE,
    RR_SERIES_TARGET,      /* dashed dark grey, one segment across each category's slot
                            * (a marker across the bar when horizontal) */
    RR_SERIES_BAND         /* interval band: uses lo/hi set by rr_chart_set_band(); its
                            * values (if any) are drawn as a line on top */
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
    char *x_title, *y_title;    /* may be NULL; x = the category axis, y = the value
                                 * axis, whatever the orientation */
    rr_unit unit;
    char currency[8];
    size_t ncat;
    char **categories;
    size_t nseries;
    rr_series *series;
} rr_chart;

typedef enum {
    RR_CHART_STR_NO_DATA,      /* "No data" */
    RR_CHART_STR_TOTAL,        /* "Total" (donut centre) */
    RR_CHART_STR_OTHER,        /* "Other" (donut slices past the 6th) */
    RR_CHART_STR_OF_TARGET,    /* "{pct} of {target} target" (bullet / KPI tile) */
    RR_CHART_STR_COUNT
} rr_chart_str;

/* Text measurement and number formatting, passed in by the caller.
 * Bold text is measured as 1.15 x the regular width (DejaVu Sans Bold is
 * at most ~14% wider than Book). */
typedef struct {
    /* width in px of utf8 text at font size px */
    double (*text_width)(void *ud, const char *utf8, double size_px);
    void *text_ud;
    /* format v for an axis/label; compact = 1 for "1.2M"-style ticks.
     * Writes a NUL-terminated UTF-8 string into out. */
    void (*format)(void *ud, double v, rr_unit unit, const char *currency, int compact,
                   char *out, size_t cap);
    void *format_ud;
    /* Optional: the labels of the n ticks of one value axis into out[i]
     * (cap bytes each), all in one format: one unit for the whole axis
     * (K, M, 万, ...) and one number of decimals, as chosen by
     * rr_chart_axis_scale(); 0 is written plainly ("$0", "0%").  NULL =
     * the default formatter's K/M/B with the same rule. */
    void (*format_axis)(void *ud, const double *v, size_t n, rr_unit unit, const char *currency,
                        char *const *out, size_t cap);
    /* e.g. "DejaVu Sans", or a comma-separated list: each text takes the
     * first family whose face has all its characters; the default
     * text_width measures with the list given as text_ud (NULL = DejaVu Sans) */
    const char *font_family;
    /* The few words a chart writes itself, indexed by rr_chart_str; NULL =
     * the English default.  RR_CHART_STR_OF_TARGET is a template in which
     * "{pct}" and "{target}" are replaced (default "{pct} of {target} target"). */
    const char *strings[RR_CHART_STR_COUNT];
} rr_chart_env;

/* All strings are copied; invalid UTF-8 is replaced by U+FFFD. */
rr_chart *rr_chart_new(rr_chart_kind kind, const char *title);
void rr_chart_free(rr_chart *c);                       /* accepts NULL */
/* Set the categories first; series added before are cut or padded with NAN. */
void rr_chart_set_categories(rr_chart *c, size_t n, const char *const *labels);
/* Adds a series of n values (n should equal ncat: extra values are ignored,
 * missing ones NAN; values may be NULL = all NAN); returns its index. */
size_t rr_chart_add_series(rr_chart *c, const char *name, rr_series_kind kind,
                           const double *values, size_t n);
/* ncat lower / upper bounds of a band series (NULL = all NAN). */
void rr_chart_set_band(rr_chart *c, size_t series, const double *lo, const double *hi);
/* currency: an ISO code (at most 7 bytes kept), or NULL. */
void rr_chart_set_unit(rr_chart *c, rr_unit unit, const char *currency);
void rr_chart_set_axis_titles(rr_chart *c, const char *x_title, const char *y_title);
/* The one series drawn in the accent colour (others muted); an index past
 * the last series clears the accent. */
void rr_chart_set_accent(rr_chart *c, size_t series);

/* Default environment: cairo toy-font measurement with DejaVu Sans (one
 * cached cairo_t on a 1x1 image surface, not thread-safe) and a plain
 * formatter: money "$1,234,567" (USD $, EUR €, GBP £, JPY ¥; other codes
 * "1,234 XYZ"), compact "$1.2M" / "350K" / "1.25M", percent "25%" / "25.3%",
 * ratio "1.4x", negatives with U+2212 "−", NAN as "–".  Strings all NULL. */
rr_chart_env rr_chart_env_default(void);
/* The default formatter on its own (the env's format callback; ud unused). */
void rr_chart_format_default(void *ud, double v, rr_unit unit, const char *currency,
                             int compact, char *out, size_t cap);
/* The one format of an axis with ticks v[0..n): divs[0..ndiv) are the
 * compact units the language has, largest first, the last one 1 (e.g.
 * 1e9, 1e6, 1e3, 1; or 1e8, 1e4, 1).  Chooses the largest unit not above
 * the largest |tick| in which every tick shows exactly with at most one
 * decimal (else the next smaller unit; unit 1 takes up to max_dec), and
 * the fewest decimals that show every tick exactly (so ticks are told
 * apart).  *unit = index into divs, *decimals = 0..max_dec. */
void rr_chart_axis_scale(const double *v, size_t n, const double *divs, size_t ndiv, int max_dec,
                         size_t *unit, int *decimals);
/* Free the cached measuring context (optional, e.g. at exit or before a
 * leak check); the next measurement makes a new one. */
void rr_chart_env_release(void);

/* Nice axis ticks: steps from {1, 2, 2.5, 5} x 10^k, the smallest step
 * giving at most max_ticks (>= 2) ticks whose first <= lo and last >= hi.
 * Writes up to cap ticks to out, returns how many there are. lo == hi is
 * widened (0..1 when both are 0); non-finite input gives 0..1. */
size_t rr_chart_nice_ticks(double lo, double hi, size_t max_ticks, double *out, size_t cap);

/* utf8 shortened to at most max_chars characters (code points) with a
 * trailing "…" when cut; never splits a multibyte sequence.  Caller frees. */
char *rr_chart_shorten(const char *utf8, size_t max_chars);

/* The display list.  Coordinates are layout px, y down, origin top-left. */
typedef enum { RR_PRIM_RECT, RR_PRIM_LINE, RR_PRIM_POLYGON, RR_PRIM_ARC, RR_PRIM_TEXT } rr_chart_prim_kind;
typedef enum { RR_ANCHOR_START, RR_ANCHOR_MIDDLE, RR_ANCHOR_END } rr_chart_anchor;
typedef struct { double x, y, w, h; } rr_chart_box;
typedef struct {
    rr_chart_prim_kind kind;
    unsigned fill, stroke;           /* 0xRRGGBB */
    double fill_alpha, stroke_alpha; /* 0 = no fill / no stroke */
    double line_width;
    int dashed;
    double x, y, w, h;               /* RECT: the rectangle; TEXT: x, y = anchor on the baseline */
    double *pts;                     /* LINE (open) / POLYGON (closed): x0,y0,x1,y1,... */
    size_t npts;                     /* number of points (pairs) */
    double cx, cy, r_inner, r_outer, a0, a1; /* ARC: annular sector (r_inner 0 = pie/dot),
                                      * radians, clockwise on screen from 3 o'clock */
    char *text;                      /* TEXT: UTF-8 */
    double size;                     /* TEXT: font size px */
    int bold;
    rr_chart_anchor anchor;
    int vertical;                    /* TEXT: turned a quarter counter-clockwise about (x, y),
                                      * reading bottom to top (bar totals too wide across) */
    rr_chart_box box;                /* TEXT: bounding box used for overlap checks */
    int priority;                    /* TEXT: the higher wins when the layout must drop one */
} rr_chart_prim;

typedef struct rr_chart_layout rr_chart_layout;
/* The display list of c on a width x height canvas (layout px).  env NULL =
 * rr_chart_env_default(); c NULL or without data = a "No data" chart.
 * Never fails; the caller frees the layout. */
rr_chart_layout *rr_chart_layout_make(const rr_chart *c, double width, double height,
                                      const rr_chart_env *env);
void rr_chart_layout_free(rr_chart_layout *l);
/* A text dump of the layout (one primitive per line, numbers rounded to
 * 0.1 px) for golden tests. */
void rr_chart_layout_dump(const rr_chart_layout *l, FILE *out);
/* Number of pairs of text boxes that overlap (0 for a good layout) and of
 * text boxes that leave the canvas. */
size_t rr_chart_layout_overlaps(const rr_chart_layout *l);
/* Read access to the display list (for tests and other painters). */
size_t rr_chart_layout_count(const rr_chart_layout *l);
const rr_chart_prim *rr_chart_layout_prim(const rr_chart_layout *l, size_t i);
/* Texts the final safety pass had to drop (0 for a good layout). */
size_t rr_chart_layout_dropped(const rr_chart_layout *l);
/* The canvas size in px and the font family list the layout was measured
 * with (owned by the layout). */
double rr_chart_layout_width(const rr_chart_layout *l);
double rr_chart_layout_height(const rr_chart_layout *l);
const char *rr_chart_layout_font(const rr_chart_layout *l);

/* Paint a layout on any cairo context (declared void* to keep cairo.h out):
 * only paints the list, in order, with the layout's font family (toy font
 * API, metrics hinting off, as measured by the default env). */
void rr_chart_draw(void *cairo_ctx, const rr_chart_layout *l);

/* Render to an in-memory SVG document / PNG image, appended to out.
 * SVG: a complete, well-formed document (XML declaration, <svg> root with
 * width/height in px and a viewBox); text is drawn as glyph outlines whose
 * ids carry a prefix derived from the content, so several charts can be
 * inlined into one XHTML page without id clashes.  White background.
 * PNG: ARGB32, ceil(w*scale) x ceil(h*scale) px, white background
 * (scale = device px per layout px, e.g. 3 for print).
 * Errors: RR_ERR_RENDER when cairo fails. */
rr_status rr_chart_render_svg(const rr_chart *c, double w, double h, const rr_chart_env *env,
                              rr_strbuf *out);
rr_status rr_chart_render_png(const rr_chart *c, double w, double h, double scale,
                              const rr_chart_env *env, rr_strbuf *out);
/* The same chart as 8-bit RGB pixels, rows top to bottom without padding:
 * *rgb (caller frees) of *pw x *ph pixels.  For the PDF writer, which
 * compresses pixels itself (no PNG encoding and decoding on the way). */
rr_status rr_chart_render_rgb(const rr_chart *c, double w, double h, double scale, const rr_chart_env *env,
                              unsigned char **rgb, int *pw, int *ph);

#endif
