/* chart_cairo.c: the cairo side of the chart module (see chart.h): text
 * measurement for layouts (rr_chart_env_default), the painter that only
 * paints a finished layout, and SVG / RGB / PNG rendering.  Layout itself is
 * pure arithmetic in chart.c; this file uses only the public layout API.
 *
 *   rr_chart_env env = rr_chart_env_default();
 *   rr_strbuf svg = {0};
 *   rr_chart_render_svg(chart, 720, 320, &env, &svg);
 */
#include <cairo.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/chart.h"
#include "revreport/xalloc.h"

#define FONT_DEFAULT "DejaVu Sans"   /* as chart.c */

/* ------------------------------------------- default text measurement */

static cairo_t *g_measure;   /* cached: one 1x1 image surface for the process */

static void set_font_options(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

/* Text goes through pango (pangocairo): HarfBuzz shapes it (Devanagari,
 * Thai, Arabic joining), the bidi algorithm puts right-to-left names in
 * their visual order, and fontconfig picks a font per run of characters,
 * trying the families of the list (rr_chart_env.font_family: the report
 * language's fonts first, so Han takes the Japanese font in a Japanese
 * report) before any other installed font. */
static PangoLayout *text_layout(cairo_t *cr, const char *list, const char *utf8, double size_px, int bold)
{
    PangoLayout *lay = pango_cairo_create_layout(cr);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pango_layout_get_context(lay), fo);
    cairo_font_options_destroy(fo);
    pango_layout_context_changed(lay);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, list && *list ? list : FONT_DEFAULT);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, size_px * PANGO_SCALE);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(lay, utf8, -1);
    return lay;
}

static double layout_width(PangoLayout *lay)
{
    PangoRectangle ink, logical;
    pango_layout_get_extents(lay, &ink, &logical);
    return (double)logical.width / PANGO_SCALE;
}

/* ud: the family list (rr_chart_env.font_family), NULL = DejaVu Sans. */
static double cairo_text_width(void *ud, const char *utf8, double size_px)
{
    if (!utf8 || !*utf8) return 0;
    if (g_measure && cairo_status(g_measure) != CAIRO_STATUS_SUCCESS) rr_chart_env_release();
    if (!g_measure) {
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
        g_measure = cairo_create(s);
        cairo_surface_destroy(s);
        set_font_options(g_measure);
    }
    PangoLayout *lay = text_layout(g_measure, ud, utf8, size_px, 0);
    double w = layout_width(lay);
    g_object_unref(lay);
    return w;
}

void rr_chart_env_release(void)
{
    if (g_measure) cairo_destroy(g_measure);
    g_measure = NULL;
    /* drop pango's fonts and the cairo faces they hold (so that
     * cairo_debug_reset_static_data finds no live font) */
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    if (PANGO_IS_FC_FONT_MAP(fm)) {
        pango_fc_font_map_cache_clear(PANGO_FC_FONT_MAP(fm));
        pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(fm));
    }
    pango_cairo_font_map_set_default(NULL);
}

rr_chart_env rr_chart_env_default(void)
{
    rr_chart_env env;
    memset(&env, 0, sizeof env);
    env.text_width = cairo_text_width;
    env.format = rr_chart_format_default;
    env.font_family = FONT_DEFAULT;
    return env;
}

/* ------------------------------------------------------------ painter */

static void set_rgba(cairo_t *cr, unsigned c, double a)
{
    cairo_set_source_rgba(cr, ((c >> 16) & 0xFF) / 255.0, ((c >> 8) & 0xFF) / 255.0, (c & 0xFF) / 255.0, a);
}

static void fill_stroke(cairo_t *cr, const rr_chart_prim *p)
{
    if (p->fill_alpha > 0) {
        set_rgba(cr, p->fill, p->fill_alpha);
        if (p->stroke_alpha > 0) cairo_fill_preserve(cr); else cairo_fill(cr);
    }
    if (p->stroke_alpha > 0) {
        set_rgba(cr, p->stroke, p->stroke_alpha);
        cairo_set_line_width(cr, p->line_width);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
}

void rr_chart_draw(void *cairo_ctx, const rr_chart_layout *l)
{
    cairo_t *cr = cairo_ctx;
    if (!cr || !l) return;
    cairo_save(cr);
    set_font_options(cr);
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        switch (p->kind) {
        case RR_PRIM_RECT:
            cairo_rectangle(cr, p->x, p->y, p->w, p->h);
            fill_stroke(cr, p);
            break;
        case RR_PRIM_POLYGON:
        case RR_PRIM_LINE:
            for (size_t k = 0; k < p->npts; k++) cairo_line_to(cr, p->pts[2 * k], p->pts[2 * k + 1]);
            if (p->kind == RR_PRIM_POLYGON) { cairo_close_path(cr); fill_stroke(cr, p); break; }
            cairo_set_line_cap(cr, p->line_width >= 1.5 && !p->dashed ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            if (p->dashed) {
                double dash[2] = {4 * p->line_width, 3 * p->line_width};
                cairo_set_dash(cr, dash, 2, 0);
            }
            set_rgba(cr, p->stroke, p->stroke_alpha);
            cairo_set_line_width(cr, p->line_width);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            break;
        case RR_PRIM_ARC:
            cairo_new_sub_path(cr);
            cairo_arc(cr, p->cx, p->cy, p->r_outer, p->a0, p->a1);
            if (p->r_inner > 0) cairo_arc_negative(cr, p->cx, p->cy, p->r_inner, p->a1, p->a0);
            else if (p->a1 - p->a0 < 2 * M_PI - 1e-9) cairo_line_to(cr, p->cx, p->cy);
            cairo_close_path(cr);
            fill_stroke(cr, p);
            break;
        case RR_PRIM_TEXT: {
            PangoLayout *lay = text_layout(cr, rr_chart_layout_font(l), p->text, p->size, p->bold);
            double adv = layout_width(lay), base = (double)pango_layout_get_baseline(lay) / PANGO_SCALE;
            double dx = p->anchor == RR_ANCHOR_START ? 0 : p->anchor == RR_ANCHOR_MIDDLE ? adv / 2 : adv;
            set_rgba(cr, p->fill, p->fill_alpha);
            cairo_save(cr);
            cairo_translate(cr, p->x, p->y);
            if (p->vertical) cairo_rotate(cr, -M_PI / 2);
            cairo_move_to(cr, -dx, -base);            /* pango draws from the top: y is the baseline */
            pango_cairo_show_layout(cr, lay);
            cairo_new_path(cr);
            cairo_restore(cr);
            g_object_unref(lay);
            break;
        }
        }
    }
    cairo_restore(cr);
}

static cairo_status_t to_strbuf(void *closure, const unsigned char *data, unsigned int len)
{
    rr_strbuf_add(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

static void paint_white(cairo_t *cr)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
}

/* Appends svg to out with every id (and every reference to one) renamed
 * "rrc<hash>-i<k>", k counting distinct ids in order of appearance: cairo
 * numbers surfaces and glyphs with process-wide counters ("surface5",
 * "glyph0-1"), which would make the same chart differ between runs, and
 * several charts inlined into one page would share ids.  The hash is of
 * the renumbered document, so the same chart gives the same bytes. */
static void svg_normalize_ids(const char *svg, size_t len, rr_strbuf *out)
{
    static const char *const KEYS[] = {"id=\"", "href=\"#", "url(#"};
    static const char ENDS[] = {'"', '"', ')'};
    char **names = NULL;
    size_t nnames = 0, cap = 0;
    rr_strbuf norm = {0};
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        for (size_t k = 0; k < 3; k++) {
            size_t kl = strlen(KEYS[k]);
            if (i + kl > len || memcmp(svg + i, KEYS[k], kl)) continue;
            const char *nm = svg + i + kl, *end = memchr(nm, ENDS[k], len - (i + kl));
            if (!end) break;
            size_t nl = (size_t)(end - nm), id = 0;
            while (id < nnames && !(strlen(names[id]) == nl && !memcmp(names[id], nm, nl))) id++;
            if (id == nnames) {
                names = rr_xgrow(names, &cap, nnames + 1, sizeof *names);
                names[nnames++] = rr_xstrndup(nm, nl);
            }
            rr_strbuf_add(&norm, svg + from, i + kl - from);
            rr_strbuf_printf(&norm, "i%zu", id);
            from = (size_t)(end - svg);
            i = from - 1;
            break;
        }
    }
    rr_strbuf_add(&norm, svg + from, len - from);
    for (size_t i = 0; i < nnames; i++) free(names[i]);
    free(names);
    /* second pass: the content hash goes in front of every renumbered id */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < norm.len; i++) h = (h ^ (unsigned char)norm.data[i]) * 16777619u;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "rrc%08x-", (unsigned)h);
    from = 0;
    for (size_t i = 0; i < norm.len; i++) {
        for (size_t k = 0; k < 3; k++) {
            size_t kl = strlen(KEYS[k]);
            if (i + kl > norm.len || memcmp(norm.data + i, KEYS[k], kl)) continue;
            rr_strbuf_add(out, norm.data + from, i + kl - from);
            rr_strbuf_adds(out, prefix);
            from = i + kl;
            i = from - 1;
            break;
        }
    }
    rr_strbuf_add(out, norm.data + from, norm.len - from);
    rr_strbuf_free(&norm);
}

rr_status rr_chart_render_svg(const rr_chart *c, double w, double h, const rr_chart_env *env,
                              rr_strbuf *out)
{
    rr_chart_layout *l = rr_chart_layout_make(c, w, h, env);
    rr_strbuf raw = {0};
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_strbuf, &raw, rr_chart_layout_width(l), rr_chart_layout_height(l));
    cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 15, 10)
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
#endif
    cairo_t *cr = cairo_create(s);
    paint_white(cr);
    rr_chart_draw(cr, l);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    rr_chart_layout_free(l);
    if (st == CAIRO_STATUS_SUCCESS && raw.len) svg_normalize_ids(raw.data, raw.len, out);
    rr_strbuf_free(&raw);
    return st == CAIRO_STATUS_SUCCESS ? RR_OK : RR_ERR_RENDER;
}

rr_status rr_chart_render_rgb(const rr_chart *c, double w, double h, double scale, const rr_chart_env *env,
                              unsigned char **rgb, int *pw, int *ph)
{
    if (!(scale > 0)) scale = 1;
    *rgb = NULL;
    rr_chart_layout *l = rr_chart_layout_make(c, w, h, env);
    int iw = (int)ceil(rr_chart_layout_width(l) * scale - 1e-9), ih = (int)ceil(rr_chart_layout_height(l) * scale - 1e-9);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, iw, ih);
    cairo_t *cr = cairo_create(s);
    paint_white(cr);
    cairo_scale(cr, scale, scale);
    rr_chart_draw(cr, l);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
    if (st == CAIRO_STATUS_SUCCESS && iw > 0 && ih > 0) {
        cairo_surface_flush(s);
        const unsigned char *px = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        unsigned char *o = rr_xmalloc((size_t)iw * (size_t)ih * 3);
        for (int y = 0; y < ih; y++) {   /* opaque (painted white first): ARGB32 is plain RGB */
            const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
            unsigned char *d = o + (size_t)y * (size_t)iw * 3;
            for (int x = 0; x < iw; x++) {
                d[3 * x] = (unsigned char)(row[x] >> 16);
                d[3 * x + 1] = (unsigned char)(row[x] >> 8);
                d[3 * x + 2] = (unsigned char)row[x];
            }
        }
        *rgb = o;
        *pw = iw;
        *ph = ih;
    }
    cairo_surface_destroy(s);
    rr_chart_layout_free(l);
    return st == CAIRO_STATUS_SUCCESS && *rgb ? RR_OK : RR_ERR_RENDER;
}

rr_status rr_chart_render_png(const rr_chart *c, double w, double h, double scale,
                              const rr_chart_env *env, rr_strbuf *out)
{
    if (!(scale > 0)) scale = 1;
    rr_chart_layout *l = rr_chart_layout_make(c, w, h, env);
    int pw = (int)ceil(rr_chart_layout_width(l) * scale - 1e-9), ph = (int)ceil(rr_chart_layout_height(l) * scale - 1e-9);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
    cairo_t *cr = cairo_create(s);
    paint_white(cr);
    cairo_scale(cr, scale, scale);
    rr_chart_draw(cr, l);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_write_to_png_stream(s, to_strbuf, out);
    cairo_surface_destroy(s);
    rr_chart_layout_free(l);
    return st == CAIRO_STATUS_SUCCESS ? RR_OK : RR_ERR_RENDER;
}
