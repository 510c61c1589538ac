/* test_html.c: the HTML writer against a doc with every block kind.
 *
 *   tests/test_html                      (TAP; reads $top_srcdir/templates and
 *                                          $top_srcdir/tests/data/html/report.golden)
 *   RR_UPDATE_GOLDEN=1 tests/test_html   rewrite the golden structure dump
 *   RR_HTML_OUT=/tmp/x/report.html tests/test_html   keep a copy of the page to look at
 *
 * The page is re-read with libxml2's HTML parser and checked with XPath:
 * one h1, sections in template order, hostile text shown as text, table
 * headers, unique ids (cairo's glyph/clip ids prefixed per chart) and every
 * in-page reference resolving, nothing external; then a golden dump of the
 * element tree (classes + trimmed text, generated date blanked).
 * Compile with -DRR_HTML_TEST_CHART_STUB to use a cairo stand-in for the
 * chart module (only while src/chart.c is not there). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cairo.h>
#include <cairo-svg.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include "revreport/doc.h"
#include "revreport/html.h"
#include "revreport/tap.h"
#include "revreport/xalloc.h"

#ifdef RR_HTML_TEST_CHART_STUB
/* ---- a stand-in for src/chart.c: real cairo SVG, with cairo's ids ---- */
rr_chart *rr_chart_new(rr_chart_kind kind, const char *title)
{
    rr_chart *c = rr_xcalloc(1, sizeof *c);
    c->kind = kind;
    c->title = rr_xstrdup(title);
    return c;
}
void rr_chart_free(rr_chart *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->ncat; i++) free(c->categories[i]);
    for (size_t i = 0; i < c->nseries; i++) {
        free(c->series[i].name); free(c->series[i].values);
        free(c->series[i].lo); free(c->series[i].hi);
    }
    free(c->categories); free(c->series); free(c->title); free(c->x_title); free(c->y_title);
    free(c);
}
void rr_chart_set_categories(rr_chart *c, size_t n, const char *const *labels)
{
    c->categories = rr_xcalloc(n, sizeof *c->categories);
    for (size_t i = 0; i < n; i++) c->categories[i] = rr_xstrdup(labels[i]);
    c->ncat = n;
}
size_t rr_chart_add_series(rr_chart *c, const char *name, rr_series_kind kind,
                           const double *values, size_t n)
{
    c->series = rr_xrealloc(c->series, (c->nseries + 1) * sizeof *c->series);
    rr_series *s = &c->series[c->nseries];
    memset(s, 0, sizeof *s);
    s->name = rr_xstrdup(name);
    s->kind = kind;
    s->values = rr_xmalloc(n * sizeof *s->values);
    memcpy(s->values, values, n * sizeof *values);
    return c->nseries++;
}
void rr_chart_set_unit(rr_chart *c, rr_unit unit, const char *currency)
{
    c->unit = unit;
    snprintf(c->currency, sizeof c->currency, "%s", currency ? currency : "");
}
static cairo_status_t svg_write(void *cl, const unsigned char *d, unsigned int n)
{
    rr_strbuf_add(cl, d, n);
    return CAIRO_STATUS_SUCCESS;
}
rr_status rr_chart_render_svg(const rr_chart *c, double w, double h, const rr_chart_env *env,
                              rr_strbuf *out)
{
    (void)env;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(svg_write, out, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_rectangle(cr, 40, 20, w - 60, h - 60);
    cairo_clip(cr);
    double max = 1;
    for (size_t i = 0; i < c->ncat; i++) if (c->series[0].values[i] > max) max = c->series[0].values[i];
    for (size_t i = 0; i < c->ncat; i++) {
        double bw = (w - 60) / (double)c->ncat, bh = (h - 80) * c->series[0].values[i] / max;
        cairo_set_source_rgb(cr, 0.12, 0.31, 0.47);
        cairo_rectangle(cr, 40 + bw * (double)i + 4, h - 40 - bh, bw - 8, bh);
        cairo_fill(cr);
    }
    cairo_reset_clip(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 13);
    for (size_t i = 0; i < c->ncat; i++) {
        cairo_move_to(cr, 44 + (w - 60) / (double)c->ncat * (double)i, h - 20);
        cairo_show_text(cr, c->categories[i]);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return RR_OK;
}
void rr_chart_env_release(void) {}
#endif

/* ---- the test doc ------------------------------------------------------ */
static double tw(void *ud, const char *s, double px) { (void)ud; return 0.55 * px * (double)strlen(s); }
static void fmt(void *ud, double v, rr_unit unit, const char *cur, int compact, char *out, size_t cap)
{
    (void)ud; (void)compact;
    if (unit == RR_UNIT_PERCENT) snprintf(out, cap, "%.1f%%", v * 100);
    else if (unit == RR_UNIT_MONEY) snprintf(out, cap, "%s %.0f", cur, v);
    else snprintf(out, cap, "%.0f", v);
}

static const char *tr_cat(const void *cat, const char *key)
{
    (void)cat;
    if (strcmp(key, "html.contents") == 0) return "Contents";
    return key;   /* the others fall back to the writer's English */
}

static const char *HOSTILE = "<script>alert(1)</script>";

static rr_chart *make_chart(const char *title, int n)
{
    static const char *const cats[] = { "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    double won[6] = { 120000, 135500, 98000, 150250, 161000, 172400 };
    double tgt[6] = { 125000, 125000, 125000, 140000, 140000, 140000 };
    rr_chart *c = rr_chart_new(RR_CHART_COMBO, title);
    rr_chart_set_categories(c, (size_t)n, cats);
    rr_chart_add_series(c, "Won revenue", RR_SERIES_BAR, won, (size_t)n);
    rr_chart_add_series(c, "Target", RR_SERIES_TARGET, tgt, (size_t)n);
    rr_chart_set_unit(c, RR_UNIT_MONEY, "USD");
    return c;
}

static rr_doc *make_doc(void)
{
    rr_doc *d = rr_doc_new("en");
    rr_doc_set(&d->title, "Revenue marketing report");
    rr_doc_set(&d->period_label, "October 2026");
    rr_doc_set(&d->company, "Northwind Analytics");
    rr_doc_set(&d->generated, "Generated 2026-11-01 06:00 UTC");
    rr_doc_set(&d->confidentiality, "Confidential: for internal use");
    d->tr = tr_cat;
    d->chart_env.text_width = tw;
    d->chart_env.format = fmt;
    d->chart_env.font_family = "DejaVu Sans";

    /* doc order: campaigns first, summary second; the template puts summary first */
    rr_doc_section *s = rr_doc_section_add(d, "campaigns", "Campaigns & channels");
    rr_doc_para(s, "Paid search led new pipeline; the campaign list below is sorted by won revenue.");
    static const char *const hdr[] = { "Campaign", "Channel", "Spend", "Won revenue", "ROI" };
    static const rr_align al[] = { RR_ALIGN_LEFT, RR_ALIGN_LEFT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT,
                                   RR_ALIGN_RIGHT };
    rr_table *t = rr_doc_table(s, "Top campaigns, October 2026", 5, hdr, al);
    const char *r1[] = { "Autumn webinar series", "Events", "$12,400", "$96,300", "7.8x" };
    const char *r2[] = { HOSTILE, "Paid search", "$30,150", "$88,000", "2.9x" };
    const char *r3[] = { "東京 展示会 2026", "Events", "$18,000", "$41,250", "2.3x" };
    const char *r4[] = { "Весенняя рассылка", "E-mail", "$2,100", "$12,900", "6.1x" };
    const char *r5[] = { "Unattributed", "", "", "$4,200", "" };
    const char *r6[] = { "Total", "", "$62,650", "$242,650", "3.9x" };
    rr_table_row(t, RR_ROW_NORMAL, r1);
    rr_table_row(t, RR_ROW_NORMAL, r2);
    rr_table_row(t, RR_ROW_NORMAL, r3);
    rr_table_row(t, RR_ROW_NORMAL, r4);
    rr_table_row(t, RR_ROW_MUTED, r5);
    rr_table_row(t, RR_ROW_TOTAL, r6);
    rr_doc_chart(s, make_chart("Won revenue by month", 6), "Won revenue vs target, last 6 months");

    s = rr_doc_section_add(d, "summary", "Executive summary");
    rr_kpi *k = rr_doc_kpis(s, 4);
    static const double sp1[] = { 98, 120, 135.5, 98, 150.25, 161 };
    static const double sp2[] = { 3.1, 3.0, 2.8, 2.9, 2.6, 2.4 };
    rr_doc_set(&k[0].label, "Revenue won");
    rr_doc_set(&k[0].value, "$1,234,567");
    rr_doc_set(&k[0].delta, "+12% vs Sep");
    rr_doc_set(&k[0].note, "98% of target");
    k[0].trend = 1; k[0].good = 1;
    k[0].spark = rr_xmalloc(sizeof sp1); memcpy(k[0].spark, sp1, sizeof sp1); k[0].nspark = 6;
    rr_doc_set(&k[1].label, "Cost per MQL");
    rr_doc_set(&k[1].value, "$84");
    rr_doc_set(&k[1].delta, "+6% vs Sep");
    rr_doc_set(&k[1].note, "Target $80");
    k[1].trend = 1; k[1].good = -1;
    k[1].spark = rr_xmalloc(sizeof sp2); memcpy(k[1].spark, sp2, sizeof sp2); k[1].nspark = 6;
    rr_doc_set(&k[2].label, "Pipeline created");
    rr_doc_set(&k[2].value, "$3.4M");
    rr_doc_set(&k[2].delta, "0% vs Sep");
    k[2].trend = 0; k[2].good = 0;
    rr_doc_set(&k[3].label, "Win rate");
    rr_doc_set(&k[3].value, "23.5%");
    k[3].trend = -1; k[3].good = -1;
    rr_doc_set(&k[3].delta, "−1.2 pt vs Sep");
    rr_doc_para(s, "October closed at $1.23M won revenue, 98% of target. Выручка выросла на 12%. "
                   "東京のイベントが好調でした。");
    const char *items[] = { "Paid search drove 41% of new pipeline.", HOSTILE,
                            "Forecast for Q4: $3.9M – $4.4M (80% interval)." };
    rr_doc_list(s, RR_BLOCK_LIST, 3, items);

    s = rr_doc_section_add(d, "forecast", "Pipeline & forecast");
    rr_doc_chart(s, make_chart("Forecast", 4), NULL);
    const char *w[] = { "3 rows in deals.csv had no close date and were left out.",
                        "The ROI section is left out: no spend file was given." };
    rr_doc_list(s, RR_BLOCK_WARN, 2, w);
    return d;
}

/* ---- checks -------------------------------------------------------------- */
static xmlXPathObjectPtr xp(xmlDocPtr d, const char *expr)
{
    xmlXPathContextPtr cx = xmlXPathNewContext(d);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, cx);
    xmlXPathFreeContext(cx);
    return o;
}

static int xcount(xmlDocPtr d, const char *expr)
{
    xmlXPathObjectPtr o = xp(d, expr);
    int n = o && o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    return n;
}

static const char *cls_of(xmlNodePtr n, char *buf, size_t cap)
{
    xmlChar *c = xmlGetProp(n, BAD_CAST "class");
    snprintf(buf, cap, "%s", c ? (const char *)c : "");
    xmlFree(c);
    for (char *p = buf; *p; p++) if (*p == ' ') *p = '.';
    return buf;
}

/* Element tree with classes and trimmed direct text; volatile bits blanked. */
static void dump(xmlNodePtr n, int depth, rr_strbuf *o)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        char cls[256], line[1024];
        const char *name = (const char *)n->name;
        cls_of(n, cls, sizeof cls);
        rr_strbuf_printf(o, "%*s%s%s%s", depth * 2, "", name, *cls ? "." : "", cls);
        static const char *const keep[] = { "id", "href", "scope", "lang", "charset", "role",
                                            "aria-labelledby", "aria-hidden", NULL };
        for (int i = 0; keep[i]; i++) {
            xmlChar *v = xmlGetProp(n, BAD_CAST keep[i]);
            if (v) rr_strbuf_printf(o, " %s=%s", keep[i], (const char *)v);
            xmlFree(v);
        }
        rr_strbuf text = {0};
        for (xmlNodePtr t = n->children; t; t = t->next)
            if (t->type == XML_TEXT_NODE && t->content) rr_strbuf_adds(&text, (const char *)t->content);
        /* collapse whitespace */
        size_t m = 0;
        int sp = 1;
        for (size_t i = 0; i < text.len && m + 1 < sizeof line; i++) {
            char ch = text.data[i];
            if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') { if (!sp) line[m++] = ' '; sp = 1; }
            else { line[m++] = ch; sp = 0; }
        }
        while (m && line[m - 1] == ' ') m--;
        line[m] = 0;
        rr_strbuf_free(&text);
        if (strcmp(name, "style") == 0) snprintf(line, sizeof line, "(css)");
        if (strstr(cls, "rr-generated")) snprintf(line, sizeof line, "(generated)");
        if (*line) rr_strbuf_printf(o, " \"%s\"", line);
        rr_strbuf_adds(o, "\n");
        if (strcmp(name, "svg") == 0 && strstr(cls, "rr-svg")) continue;   /* chart module's art */
        if (strcmp(name, "style") != 0) dump(n->children, depth + 1, o);
    }
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    rr_strbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) rr_strbuf_add(&b, buf, n);
    fclose(f);
    return rr_strbuf_steal(&b);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

/* Render doc through a one-off template; returns the status, page in *page. */
static rr_status with_template(const char *dir, const char *tpl, const char *css, rr_doc *d,
                               rr_strbuf *page, rr_error *err)
{
    char p[600];
    snprintf(p, sizeof p, "%s/report.html", dir);
    write_file(p, tpl);
    snprintf(p, sizeof p, "%s/report.css", dir);
    write_file(p, css);
    rr_strbuf_reset(page);
    return rr_html_to_buffer(d, dir, page, err);
}

static void test_main_page(const char *srcdir, const char *tmp)
{
    char tpl[600], path[600], golden[600];
    snprintf(tpl, sizeof tpl, "%s/templates", srcdir);
    snprintf(path, sizeof path, "%s/report.html", tmp);
    snprintf(golden, sizeof golden, "%s/tests/data/html/report.golden", srcdir);
    rr_doc *d = make_doc();
    rr_error err = {0};
    rr_status st = rr_html_write(d, tpl, path, &err);
    if (!rr_tap_int(st, RR_OK, "rr_html_write succeeds")) rr_tap_diag("%s", err.msg);
    const char *keep = getenv("RR_HTML_OUT");
    char *raw = read_all(path);
    if (keep && raw) write_file(keep, raw);
    rr_tap_ok(raw && strncmp(raw, "<!DOCTYPE html>", 15) == 0, "starts with <!DOCTYPE html>");
    const char *style_end = raw ? strstr(raw, "</style>") : NULL;
    rr_tap_ok(style_end && !strstr(style_end, "/>"), "no self-closed element (<x/>) anywhere");
    rr_tap_ok(raw && strstr(raw, "<meta charset=\"utf-8\">") != NULL, "meta charset utf-8");
    rr_tap_ok(raw && strstr(raw, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
              "hostile campaign name escaped in the bytes");
    rr_tap_ok(raw && strstr(raw, "東京 展示会 2026") && strstr(raw, "Весенняя рассылка"),
              "Japanese and Cyrillic text written as UTF-8");
    rr_tap_ok(raw && !strstr(raw, "http:") && !strstr(raw, "https:"), "no http: / https: in the page");

    htmlDocPtr h = htmlReadFile(path, "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                HTML_PARSE_NONET);
    rr_tap_ok(h != NULL, "page parses with libxml2's HTML parser");
    if (!h) { free(raw); rr_doc_free(d); return; }
    rr_tap_int(xcount(h, "//h1"), 1, "exactly one h1");
    rr_tap_int(xcount(h, "/html[@lang='en']"), 1, "html lang from doc->lang");
    rr_tap_int(xcount(h, "//meta[@name='viewport']"), 1, "meta viewport");
    rr_tap_int(xcount(h, "//script"), 0, "no <script> element");
    rr_tap_int(xcount(h, "//td[normalize-space()='<script>alert(1)</script>']") +
               xcount(h, "//th[normalize-space()='<script>alert(1)</script>']"), 1,
               "hostile campaign name is table text");
    rr_tap_int(xcount(h, "//li[.='<script>alert(1)</script>']"), 1, "hostile list item is text");

    /* sections: one per doc section, in template order (summary pinned first) */
    xmlXPathObjectPtr o = xp(h, "//section[contains(@class,'rr-section')]");
    int ns = o && o->nodesetval ? o->nodesetval->nodeNr : 0;
    rr_tap_int(ns, (int)d->nsections, "one <section> per doc section");
    static const char *const want[] = { "sec-summary", "sec-campaigns", "sec-forecast" };
    int order_ok = ns == 3;
    for (int i = 0; order_ok && i < ns; i++) {
        xmlChar *id = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST "id");
        order_ok = id && strcmp((const char *)id, want[i]) == 0;
        xmlFree(id);
    }
    xmlXPathFreeObject(o);
    rr_tap_ok(order_ok, "sections in template order: summary, campaigns, forecast");
    rr_tap_int(xcount(h, "//section/h2"), 3, "an h2 per section");
    rr_tap_int(xcount(h, "//nav[contains(@class,'rr-toc')]//a[starts-with(@href,'#sec-')]"), 3,
               "table of contents links every section");
    rr_tap_int(xcount(h, "//nav//li[1]/a[@href='#sec-summary']"), 1, "contents in page order");

    /* tables */
    int nt = xcount(h, "//table");
    rr_tap_int(nt, 3, "three tables (one + a data table per chart)");
    rr_tap_int(xcount(h, "//table[not(.//th[@scope='col'])]"), 0, "every table has th scope=col");
    rr_tap_int(xcount(h, "//table[not(caption)]"), 0, "every table has a caption");
    rr_tap_int(xcount(h, "//tr[contains(@class,'rr-total')]"), 1, "total row marked");
    rr_tap_int(xcount(h, "(//table)[1]//thead/tr/th[contains(@class,'rr-num')]"), 3,
               "numeric columns right-aligned");
    rr_tap_int(xcount(h, "//div[contains(@class,'rr-table-wrap')]/table"), nt,
               "every table in a scrollable wrapper");

    /* charts */
    rr_tap_int(xcount(h, "//svg[contains(@class,'rr-svg')]"), 4,
               "two inline SVGs (wide + compact) per chart");
    rr_tap_int(xcount(h, "//svg[contains(@class,'rr-svg')][@id][@role='img'][@aria-label]"), 4,
               "chart SVGs have id, role=img, aria-label");
    rr_tap_int(xcount(h, "//svg[contains(@class,'rr-svg')][@width or @height]"), 0,
               "chart SVGs have no fixed width/height");
    rr_tap_int(xcount(h, "//svg[contains(@class,'rr-svg')][not(@viewbox)]"), 0,
               "chart SVGs scale through viewBox");
    rr_tap_int(xcount(h, "//div[contains(@class,'rr-chart-block')]/figure/following-sibling::details"
                         "[summary='Data']//table"), 2, "each chart followed by its data table");
    rr_tap_int(xcount(h, "//details//td[.='USD 150250']"), 2, "data table values formatted by env");
    /* on a phone the drawing is scaled down: its title is HTML text that wraps, and the caption too */
    rr_tap_int(xcount(h, "//figure/h3[contains(@class,'rr-chart-title')][.='Won revenue by month']"), 1,
               "chart title is the figure's HTML heading");
    rr_tap_int(xcount(h, "//figure/figcaption[contains(@class,'rr-chart-caption')]"
                         "[.='Won revenue vs target, last 6 months']"), 1, "chart caption is a figcaption");
    rr_tap_int(xcount(h, "//svg[contains(@class,'rr-spark')]/polyline"), 2, "sparklines drawn");
    rr_tap_int(xcount(h, "//p[contains(@class,'rr-kpi-delta')][contains(@class,'rr-bad')]"), 2,
               "bad deltas marked");
    rr_tap_int(xcount(h, "//aside[contains(@class,'rr-warnings')]/ul/li"), 2, "warnings listed");

    /* ids unique; every in-page reference resolves */
    o = xp(h, "//@id");
    int nid = o && o->nodesetval ? o->nodesetval->nodeNr : 0, dups = 0;
    for (int i = 0; i < nid; i++)
        for (int j = 0; j < i; j++) {
            xmlChar *a = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
            xmlChar *b = xmlNodeGetContent(o->nodesetval->nodeTab[j]);
            if (xmlStrEqual(a, b)) dups++;
            xmlFree(a); xmlFree(b);
        }
    xmlXPathFreeObject(o);
    rr_tap_ok(nid > 10 && dups == 0, "no duplicate id in the page (%d ids)", nid);
    int glyph_ids = xcount(h, "//svg//@id[contains(.,'glyph') or contains(.,'clip') or "
                              "contains(.,'surface')]");
    int unprefixed = xcount(h, "//svg[contains(@class,'rr-svg')]//*/@id[not(starts-with(.,'c1-')) "
                               "and not(starts-with(.,'c2-')) and not(starts-with(.,'c1s-')) "
                               "and not(starts-with(.,'c2s-'))]");
    rr_tap_ok(unprefixed == 0, "every chart-internal id prefixed per chart (%d cairo ids)",
              glyph_ids);
    o = xp(h, "//@href[starts-with(.,'#')] | //@*[contains(.,'url(#')]");
    int nref = o && o->nodesetval ? o->nodesetval->nodeNr : 0, bad = 0;
    for (int i = 0; i < nref; i++) {
        xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
        const char *s = (const char *)v, *p = strstr(s, "url(#");
        char id[200], q[300];
        if (p) snprintf(id, sizeof id, "%s", p + 5); else snprintf(id, sizeof id, "%s", s + 1);
        id[strcspn(id, ")")] = 0;
        snprintf(q, sizeof q, "//*[@id='%s']", id);
        if (xcount(h, q) != 1) { bad++; rr_tap_diag("dangling reference %s", s); }
        xmlFree(v);
    }
    xmlXPathFreeObject(o);
    rr_tap_ok(bad == 0, "every #ref / url(#ref) resolves (%d references)", nref);
    rr_tap_int(xcount(h, "//@*[contains(.,'http:') or contains(.,'https:') or starts-with(.,'//')]"), 0,
               "no attribute referencing http:, https: or //");
    rr_tap_int(xcount(h, "//*[starts-with(name(),'on')] | //@*[starts-with(name(),'on')]"), 0,
               "no event handler attributes");
    rr_tap_int(xcount(h, "//style[contains(.,'@import') or contains(.,'url(http') or contains(.,'url(//')]"),
               0, "style sheet inlined with no external url()");
    rr_tap_int(xcount(h, "//link | //img[not(starts-with(@src,'data:'))] | //iframe | //object"), 0,
               "no external resources");

    /* golden structure dump */
    rr_strbuf got = {0};
    dump(xmlDocGetRootElement(h), 0, &got);
    if (getenv("RR_UPDATE_GOLDEN")) write_file(golden, got.data);
    char *want_dump = read_all(golden);
    int same = want_dump && strcmp(want_dump, got.data) == 0;
    rr_tap_ok(same, "structure matches tests/data/html/report.golden");
    if (!same) {
        char gp[700];
        snprintf(gp, sizeof gp, "%s/report.dump", tmp);
        write_file(gp, got.data);
        rr_tap_diag("diff -u %s %s", golden, gp);
    }
    free(want_dump);
    rr_strbuf_free(&got);
    xmlFreeDoc(h);
    free(raw);
    rr_doc_free(d);
}

static const char *const CSS_OK = ":root { --rr-accent: #006d6f; } body { color: #222; }\n";

static void test_templates(const char *tmp)
{
    rr_doc *d = make_doc();
    rr_strbuf page = {0};
    rr_error err = {0};
    rr_status st;

    /* custom order, hostile template content removed */
    st = with_template(tmp,
        "<html xmlns='http://www.w3.org/1999/xhtml' xmlns:rr='urn:revreport'><head>"
        "<title><rr:title/></title><rr:css/><script>alert(2)</script>"
        "<link rel='stylesheet' href='https://fonts.example.com/x.css'/>"
        "<meta http-equiv='refresh' content='0; url=https://evil.example/'/></head>"
        "<body onload='alert(3)'><h1><rr:title/></h1>"
        "<img src='https://tracker.example/p.gif' alt=''/>"
        "<a href='https://example.com/'>site</a><div style='background:url(https://x.example/a.png)'>x</div>"
        "<rr:section id='forecast'/><rr:sections/><rr:section id='nosuch'/></body></html>",
        CSS_OK, d, &page, &err);
    rr_tap_int(st, RR_OK, "custom template renders");
    if (st != RR_OK) rr_tap_diag("%s", err.msg);
    const char *p = page.data ? page.data : "";
    rr_tap_ok(!strstr(p, "alert(2)") && !strstr(p, "alert(3)") && !strstr(p, "<script") &&
              !strstr(p, "onload"), "template scripts and handlers dropped");
    rr_tap_ok(!strstr(p, "example"), "template links, trackers, refresh and external CSS dropped");
    const char *f = strstr(p, "id=\"sec-forecast\""), *c = strstr(p, "id=\"sec-campaigns\""),
               *s = strstr(p, "id=\"sec-summary\"");
    rr_tap_ok(f && c && s && f < c && c < s, "<rr:section id> pins, <rr:sections/> adds the rest in doc order");

    /* XXE and entity expansion are refused, never resolved */
    st = with_template(tmp,
        "<?xml version='1.0'?><!DOCTYPE html [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
        "<html xmlns:rr='urn:revreport'><body>&xxe;<rr:title/></body></html>",
        CSS_OK, d, &page, &err);
    rr_tap_ok(st == RR_ERR_CONFIG && !(page.data && strstr(page.data, "root:")),
              "external entity in template refused (%s)", err.msg);
    st = with_template(tmp,
        "<!DOCTYPE html [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;'>]>"
        "<html><body>&b;</body></html>", CSS_OK, d, &page, &err);
    rr_tap_int(st, RR_ERR_CONFIG, "internal entities in template refused");

    st = with_template(tmp, "<html><body><p>unclosed</body></html>", CSS_OK, d, &page, &err);
    rr_tap_ok(st == RR_ERR_CONFIG && err.line == 1, "malformed template: config error with line (%s)",
              err.msg);
    st = with_template(tmp, "<html xmlns:rr='urn:revreport'><body>\n<rr:chartz/></body></html>",
                       CSS_OK, d, &page, &err);
    rr_tap_ok(st == RR_ERR_CONFIG && err.line == 2 && strstr(err.msg, "rr:chartz"),
              "unknown placeholder named with its line (%s)", err.msg);
    st = with_template(tmp, "<html xmlns:rr='urn:revreport'><head><rr:css/></head></html>",
                       "@import url(https://fonts.example.com/inter.css);\n", d, &page, &err);
    rr_tap_int(st, RR_ERR_CONFIG, "external @import in CSS refused");
    st = with_template(tmp, "<html xmlns:rr='urn:revreport'><head><rr:css file='../../etc/passwd'/></head></html>",
                       CSS_OK, d, &page, &err);
    rr_tap_int(st, RR_ERR_CONFIG, "<rr:css file> cannot leave the template folder");

    /* logo inlined as a data: URI */
    char logo[600];
    snprintf(logo, sizeof logo, "%s/logo.png", tmp);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 8);
    cairo_surface_write_to_png(img, logo);
    cairo_surface_destroy(img);
    rr_doc_set(&d->logo_path, logo);
    st = with_template(tmp, "<html xmlns:rr='urn:revreport'><body><rr:logo/></body></html>",
                       CSS_OK, d, &page, &err);
    rr_tap_ok(st == RR_OK && page.data && strstr(page.data, "src=\"data:image/png;base64,iVBORw0KGgo"),
              "PNG logo inlined as data:image/png;base64");
    unlink(logo);
    st = with_template(tmp, "<html xmlns:rr='urn:revreport'><body><rr:logo/></body></html>",
                       CSS_OK, d, &page, &err);
    rr_tap_int(st, RR_ERR_IO, "missing logo file is an i/o error");

    char bad_dir[700];
    snprintf(bad_dir, sizeof bad_dir, "%s/no-such-dir", tmp);
    rr_tap_int(rr_html_to_buffer(d, bad_dir, &page, &err), RR_ERR_CONFIG,
               "missing template folder is a config error");
    rr_tap_int(rr_html_write(d, NULL, "/nonexistent-dir/x.html", &err) != RR_OK, 1,
               "unwritable path fails");

    char pth[700];
    snprintf(pth, sizeof pth, "%s/report.html", tmp); unlink(pth);
    snprintf(pth, sizeof pth, "%s/report.css", tmp); unlink(pth);
    rr_strbuf_free(&page);
    rr_doc_free(d);
}

/* doc.c keeps every text valid UTF-8: a text cut inside a character (or a
 * stray byte) gets U+FFFD in its place; valid text is copied as it is */
static void test_doc_utf8(void)
{
    rr_doc *d = rr_doc_new("ru");
    rr_doc_section *s = rr_doc_section_add(d, "x", "\xd0\x9f\xd1\x80\xd0");   /* "Пр" + a cut "о" */
    rr_doc_para(s, "caf\xc3\xa9 \xff end");
    rr_doc_para(s, "\xe6\x97\xa5\xe6\x9c\xac");   /* 日本: valid */
    rr_tap_str(s->title, "\xd0\x9f\xd1\x80\xef\xbf\xbd", "a title cut inside a character ends in U+FFFD");
    rr_tap_str(s->blocks[0].text, "caf\xc3\xa9 \xef\xbf\xbd end", "a stray byte becomes U+FFFD, the rest is kept");
    rr_tap_str(s->blocks[1].text, "\xe6\x97\xa5\xe6\x9c\xac", "valid UTF-8 is copied as it is");
    rr_doc_free(d);
}

int main(void)
{
    const char *srcdir = getenv("top_srcdir");
#ifdef RR_SRCDIR
    if (!srcdir) srcdir = RR_SRCDIR;
#endif
    if (!srcdir) srcdir = ".";
    char tmp[] = "/tmp/rr-html-XXXXXX";
    if (!mkdtemp(tmp)) { perror("mkdtemp"); return 1; }
    test_main_page(srcdir, tmp);
    test_templates(tmp);
    test_doc_utf8();
    char p[600];
    snprintf(p, sizeof p, "%s/report.html", tmp);
    unlink(p);
    snprintf(p, sizeof p, "%s/report.dump", tmp);
    if (access(p, F_OK) != 0) rmdir(tmp);
    xmlCleanupParser();
    rr_chart_env_release();
    return rr_tap_done();
}
