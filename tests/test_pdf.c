/* test_pdf.c: the PDF writer, checked from the outside with poppler-utils.
 *
 *   tests/test_pdf            (TAP; SKIPs the poppler checks without pdfinfo)
 *
 * Builds a rr_doc with every block kind (KPI tiles, a Latin+Cyrillic
 * paragraph, bullets, a 120-row campaign table with Russian names and a
 * "<script>" cell, six charts, warnings), writes it A4 portrait and Letter
 * landscape, and checks page size, metadata, embedded fonts, reading order,
 * the table header repeated on every continuation page, "Page n / N"
 * footers, the outline, that no word leaves the page box, byte-identical
 * output for the same epoch, the file size, and the error paths.
 *
 * Compiled with -DRR_PDF_TEST_STUB_CHART it carries a tiny cairo stand-in
 * for the chart module (for building pdf.c before chart.c exists). */
#include <cairo.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "revreport/doc.h"
#include "revreport/pdf.h"
#include "revreport/strbuf.h"
#include "revreport/tap.h"
#include "revreport/xalloc.h"

#ifndef RR_FONTDIR
#define RR_FONTDIR "/usr/share/fonts/truetype/dejavu"
#endif

#define EPOCH 1793512800LL         /* 2026-11-01T06:00:00Z */

#ifdef RR_PDF_TEST_STUB_CHART
/* ---- stand-in for chart.c: just enough to draw bars into a PNG ---- */
rr_chart *rr_chart_new(rr_chart_kind kind, const char *title)
{
    rr_chart *c = rr_xcalloc(1, sizeof *c);
    c->kind = kind;
    c->title = rr_xstrdup(title ? title : "");
    return c;
}
void rr_chart_free(rr_chart *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->ncat; i++) free(c->categories[i]);
    free(c->categories);
    for (size_t i = 0; i < c->nseries; i++) { free(c->series[i].name); free(c->series[i].values); }
    free(c->series);
    free(c->title);
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
    s->values = rr_xcalloc(n, sizeof *s->values);
    memcpy(s->values, values, n * sizeof *values);
    return c->nseries++;
}
void rr_chart_set_unit(rr_chart *c, rr_unit unit, const char *currency)
{
    c->unit = unit;
    snprintf(c->currency, sizeof c->currency, "%s", currency ? currency : "");
}
rr_chart_env rr_chart_env_default(void)
{
    rr_chart_env e;
    memset(&e, 0, sizeof e);
    e.font_family = "DejaVu Sans";
    return e;
}
static cairo_status_t stub_png_write(void *ud, const unsigned char *data, unsigned int len)
{
    rr_strbuf_add(ud, data, len);
    return CAIRO_STATUS_SUCCESS;
}
rr_status rr_chart_render_png(const rr_chart *c, double w, double h, double scale,
                              const rr_chart_env *env, rr_strbuf *out)
{
    (void)env;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(w * scale),
                                                    (int)(h * scale));
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 11);
    cairo_set_source_rgb(cr, 0.1, 0.12, 0.17);
    cairo_move_to(cr, 8, 18);
    cairo_show_text(cr, c->title);
    double max = 1;
    for (size_t i = 0; i < c->ncat; i++)
        if (c->nseries && c->series[0].values[i] > max) max = c->series[0].values[i];
    double bw = (w - 60) / (double)(c->ncat ? c->ncat : 1);
    cairo_set_font_size(cr, 8);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (size_t i = 0; i < c->ncat; i++) {
        double v = c->nseries ? c->series[0].values[i] : 0, bh = (h - 60) * v / max;
        cairo_set_source_rgb(cr, 0x1f / 255.0, 0x4e / 255.0, 0x79 / 255.0);
        cairo_rectangle(cr, 40 + bw * (double)i + bw * 0.15, h - 28 - bh, bw * 0.7, bh);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.4, 0.42, 0.45);
        cairo_move_to(cr, 40 + bw * (double)i + bw * 0.2, h - 14);
        cairo_show_text(cr, c->categories[i]);
    }
    cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, 40, h - 28);
    cairo_line_to(cr, w - 20, h - 28);
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png_stream(s, stub_png_write, out);
    cairo_surface_destroy(s);
    return st == CAIRO_STATUS_SUCCESS ? RR_OK : RR_ERR_RENDER;
}
#endif

/* ---- helpers ---- */

static char *run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    rr_strbuf b = {0};
    char buf[4096];
    size_t n;
    rr_strbuf_add(&b, "", 0);
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) rr_strbuf_add(&b, buf, n);
    pclose(p);
    return rr_strbuf_steal(&b);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += k) n++;
    return n;
}

static long field_long(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    if (!p) return -1;
    p += strlen(key);
    while (*p == ' ') p++;
    char *end;
    long v = strtol(p, &end, 10);
    return end == p ? -1 : v;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    rr_strbuf b = {0};
    char buf[65536];
    size_t n;
    rr_strbuf_add(&b, "", 0);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) rr_strbuf_add(&b, buf, n);
    fclose(f);
    *len = b.len;
    return rr_strbuf_steal(&b);
}

static const char *tr_en(const void *cat, const char *key)
{
    (void)cat;
    if (strcmp(key, "pdf.page") == 0) return "Page";
    if (strcmp(key, "pdf.continued") == 0) return "continued";
    return key;
}

static void make_logo(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 360, 90);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0x1f / 255.0, 0x4e / 255.0, 0x79 / 255.0);
    cairo_arc(cr, 45, 45, 36, 0, 6.2832);
    cairo_fill(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 40);
    cairo_move_to(cr, 95, 60);
    cairo_show_text(cr, "Northwind");
    cairo_destroy(cr);
    cairo_surface_write_to_png(s, path);
    cairo_surface_destroy(s);
}

static const char *HEAD[] = { "Campaign name", "Channel", "Spend", "Won revenue", "ROI" };
static const char *SECTIONS[] = { "Executive summary", "Revenue and pipeline", "Campaigns",
                                  "Data quality" };
#define LONG_WORD_N 150            /* Ж repeated: a word wider than the line */

static void add_chart(rr_doc_section *s, int i)
{
    static const char *months[] = { "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct" };
    double v[12];
    for (int k = 0; k < 12; k++) v[k] = 400000 + 35000.0 * k + 60000.0 * ((k * 7 + i) % 5);
    char title[64];
    snprintf(title, sizeof title, "Won revenue by month (%d)", i + 1);
    rr_chart *c = rr_chart_new(i % 2 ? RR_CHART_LINE : RR_CHART_BAR, title);
    rr_chart_set_categories(c, 12, months);
    rr_chart_add_series(c, "Won revenue", RR_SERIES_BAR, v, 12);
    rr_chart_set_unit(c, RR_UNIT_MONEY, "USD");
    char cap[160];
    snprintf(cap, sizeof cap, "Figure %d. Won revenue by month, November 2025 to October 2026, "
             "in US dollars; closed-won opportunities by close date.", i + 1);
    rr_doc_chart(s, c, cap);
}

static rr_doc *make_doc(int ncharts, const char *logo)
{
    rr_doc *d = rr_doc_new("en");
    rr_doc_set(&d->title, "Revenue marketing report");
    rr_doc_set(&d->period_label, "October 2026");
    rr_doc_set(&d->company, "Northwind Analytics GmbH");
    rr_doc_set(&d->generated, "Generated 2026-11-01 06:00 UTC from 7 input files");
    rr_doc_set(&d->confidentiality, "Confidential: for internal use");
    rr_doc_set(&d->author, "Marketing Operations");
    rr_doc_set(&d->subject, "Monthly revenue-marketing report");
    rr_doc_set(&d->keywords, "revenue, marketing, attribution, forecast");
    if (logo) rr_doc_set(&d->logo_path, logo);
    d->tr = tr_en;
    d->chart_env = rr_chart_env_default();
    int charts_left = ncharts;

    rr_doc_section *s = rr_doc_section_add(d, "summary", SECTIONS[0]);
    rr_kpi *k = rr_doc_kpis(s, 6);
    static const char *lab[] = { "Revenue won", "Pipeline created", "Marketing-sourced share",
                                 "Cost per MQL", "ROI (blended)", "Forecast vs target" };
    static const char *val[] = { "$4,812,330", "$12,930,000", "38.4%", "$212", "3.4x", "97%" };
    static const char *del[] = { "+12.4% vs Sep", "-3.1% vs Sep", "+2.0 pts", "+$18 vs Sep",
                                 "+0.3x", "-1 pt" };
    static const int good[] = { 1, -1, 1, -1, 1, 0 }, trend[] = { 1, -1, 1, 1, 1, -1 };
    for (int i = 0; i < 6; i++) {
        rr_doc_set(&k[i].label, lab[i]);
        rr_doc_set(&k[i].value, val[i]);
        rr_doc_set(&k[i].delta, del[i]);
        k[i].good = good[i];
        k[i].trend = trend[i];
        if (i % 2 == 0) rr_doc_set(&k[i].note, "98% of the monthly target");
        if (i < 3) {
            k[i].nspark = 12;
            k[i].spark = rr_xcalloc(12, sizeof(double));
            for (int j = 0; j < 12; j++) k[i].spark[j] = 10 + j + 3 * ((j * (i + 3)) % 4);
        }
    }
    rr_doc_para(s, "Revenue won reached $4.8M in October, 12% above September and 97% of target. "
                   "Выручка за октябрь составила 4,8 млн долларов: это на 12% больше, чем в "
                   "сентябре, и 97% от плана. Органический поиск и партнёрские вебинары дали "
                   "основной прирост, а платная реклама в социальных сетях подорожала. "
                   "The pipeline created fell 3%, mostly in the enterprise segment, while cost per "
                   "MQL rose by $18; кампании «Весенний запуск» и «Партнёрская неделя» остаются "
                   "самыми рентабельными. Forecast accuracy over the last six months was 94%.");
    const char *items[] = { "Paid social: spend up 21%, ROI down to 1.8x — review the creative "
                            "rotation before the Q4 push.",
                            "Вебинары: три мероприятия дали 41% новых MQL.",
                            "Events: the October trade fair booked $610k of pipeline." };
    rr_doc_list(s, RR_BLOCK_LIST, 3, items);
    if (charts_left-- > 0) add_chart(s, 0);

    s = rr_doc_section_add(d, "revenue", SECTIONS[1]);
    rr_doc_para(s, "Monthly revenue against target, and the pipeline by stage.");
    for (int i = 1; i < 4 && charts_left > 0; i++, charts_left--) add_chart(s, i);
    const char *h2[] = { "Month", "Won revenue", "Target", "Attainment" };
    rr_table *t = rr_doc_table(s, "Won revenue by month", 4, h2, NULL);
    for (int m = 0; m < 12; m++) {
        char a[32], b[32], c[32], e[32];
        snprintf(a, sizeof a, "2026-%02d", m < 2 ? m + 11 : m - 1);
        snprintf(b, sizeof b, "$%d,%03d,%03d", 3 + m % 3, (m * 137) % 1000, (m * 71) % 1000);
        snprintf(c, sizeof c, "$4,%03d,000", 100 + m * 50);
        snprintf(e, sizeof e, "%d%%", 80 + (m * 7) % 30);
        const char *row[] = { a, b, c, e };
        rr_table_row(t, RR_ROW_NORMAL, row);
    }
    const char *tot[] = { "Total", "$52,114,880", "$55,200,000", "94%" };
    rr_table_row(t, RR_ROW_TOTAL, tot);
    /* a wide table: channel x 12 months + total */
    const char *hw[14] = { "Channel", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                           "Jul", "Aug", "Sep", "Oct", "Total" };
    t = rr_doc_table(s, "Won revenue by channel and month", 14, hw, NULL);
    static const char *chn[] = { "Paid search", "Organic search", "Партнёрские вебинары",
                                 "Paid social", "Email" };
    for (int r = 0; r < 5; r++) {
        char cell[14][64];
        const char *row[14];
        snprintf(cell[0], sizeof cell[0], "%s", chn[r]);
        for (int c = 1; c < 14; c++)
            snprintf(cell[c], sizeof cell[c], "$%dk", 100 + (r * 37 + c * 91) % 800);
        for (int c = 0; c < 14; c++) row[c] = cell[c];
        rr_table_row(t, RR_ROW_NORMAL, row);
    }

    s = rr_doc_section_add(d, "campaigns", SECTIONS[2]);
    rr_align al[] = { RR_ALIGN_LEFT, RR_ALIGN_LEFT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT, RR_ALIGN_RIGHT };
    t = rr_doc_table(s, "Campaigns by won revenue", 5, HEAD, al);
    static const char *ru[] = { "Весенний запуск", "Партнёрская неделя", "Вебинар: аналитика продаж",
                                "Ретаргетинг — корзина", "Осенняя распродажа" };
    static const char *ch[] = { "Paid search", "Webinar", "Paid social", "Email", "Events" };
    for (int r = 0; r < 120; r++) {
        char name[256], sp[32], rev[32], roi[32];
        if (r == 7) snprintf(name, sizeof name, "<script>alert(1)</script>");
        else if (r == 11)
            snprintf(name, sizeof name, "Кампания %03d: %s, региональная версия для Сибири и "
                     "Дальнего Востока", r + 1, ru[r % 5]);
        else snprintf(name, sizeof name, "Кампания %03d: %s", r + 1, ru[r % 5]);
        snprintf(sp, sizeof sp, "$%d,%03d", 5 + r % 40, (r * 331) % 1000);
        snprintf(rev, sizeof rev, "$%d,%03d", 20 + (r * 13) % 300, (r * 577) % 1000);
        snprintf(roi, sizeof roi, "%d.%dx", 1 + r % 5, r % 10);
        const char *row[] = { name, ch[r % 5], sp, rev, roi };
        rr_table_row(t, r % 17 == 16 ? RR_ROW_MUTED : RR_ROW_NORMAL, row);
    }
    const char *tot2[] = { "Total (120 campaigns)", "", "$2,861,400", "$19,655,120", "6.9x" };
    rr_table_row(t, RR_ROW_TOTAL, tot2);
    for (int i = 4; i < 6 && charts_left > 0; i++, charts_left--) add_chart(s, i);

    s = rr_doc_section_add(d, "quality", SECTIONS[3]);
    const char *w[] = { "14 opportunities have no campaign touch and were left out of attribution.",
                        "Файл linkedin_ads.csv: 3 строки с пустой датой пропущены (строки 18, 44, 97).",
                        "The forecast section is left out: fewer than 6 months of history." };
    rr_doc_list(s, RR_BLOCK_WARN, 3, w);
    rr_strbuf lw = {0};
    rr_strbuf_adds(&lw, "A word wider than the line must break between characters: ");
    for (int i = 0; i < LONG_WORD_N; i++) rr_strbuf_adds(&lw, "Ж");
    rr_strbuf_adds(&lw, " and the text goes on after it.");
    rr_doc_para(s, lw.data);
    rr_strbuf_free(&lw);
    return d;
}

/* Every word box inside [m, W - m] x [m_y, H - m_y] on every page. */
static void check_bbox(const char *pdf, double margin, const char *what)
{
    char *x = run("pdftotext -bbox '%s' - 2>/dev/null", pdf);
    size_t bad = 0, words = 0;
    double pw = 0, ph = 0;
    char first_bad[256] = "";
    for (const char *p = x; p && *p;) {
        const char *pg = strstr(p, "<page width=\""), *wd = strstr(p, "<word xMin=\"");
        if (!wd && !pg) break;
        if (pg && (!wd || pg < wd)) {
            char *e;
            pw = strtod(pg + 13, &e);
            const char *hp = strstr(e, "height=\"");
            ph = hp ? strtod(hp + 8, NULL) : 0;
            p = pg + 13;
            continue;
        }
        char *e;
        double x0 = strtod(wd + 12, &e);
        const char *q = strstr(e, "yMin=\"");
        double y0 = q ? strtod(q + 6, &e) : 0;
        q = strstr(e, "xMax=\"");
        double x1 = q ? strtod(q + 6, &e) : 0;
        q = strstr(e, "yMax=\"");
        double y1 = q ? strtod(q + 6, &e) : 0;
        words++;
        if (x0 < margin - 1 || x1 > pw - margin + 1 || y0 < 20 || y1 > ph - 20) {
            if (!bad++) snprintf(first_bad, sizeof first_bad, "%.1f %.1f %.1f %.1f on %.0fx%.0f",
                                 x0, y0, x1, y1, pw, ph);
        }
        p = e;
    }
    rr_tap_ok(words > 500 && bad == 0, "%s: all %zu words inside the page box", what, words);
    if (bad) rr_tap_diag("%zu words outside, first: %s", bad, first_bad);
    free(x);
}

static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        if (!n) return 0;
        for (int i = 1; i < n; i++) if ((p[i] & 0xc0) != 0x80) return 0;
        p += n;
    }
    return 1;
}

static void check_a4(const char *pdf, size_t nsec)
{
    char *info = run("pdfinfo -isodates '%s' 2>/dev/null", pdf);
    long pages = field_long(info, "Pages:");
    rr_tap_ok(pages >= 6, "A4: %ld pages", pages);
    rr_tap_ok(strstr(info, "Page size:       595.276 x 841.89 pts (A4)") != NULL, "A4: page size");
    rr_tap_ok(strstr(info, "Title:           Revenue marketing report\n") != NULL, "A4: title");
    rr_tap_ok(strstr(info, "Author:          Marketing Operations\n") != NULL, "A4: author");
    rr_tap_ok(strstr(info, "Creator:         revreport\n") != NULL, "A4: creator");
    rr_tap_ok(strstr(info, "Keywords:        revenue, marketing") != NULL, "A4: keywords");
    rr_tap_ok(strstr(info, "CreationDate:    2026-11-01T06:00:00Z") != NULL,
              "A4: creation date from the epoch");
    free(info);

    char *fonts = run("pdffonts '%s' 2>/dev/null", pdf);
    size_t nf = 0, emb = 0;
    const char *l = fonts ? strstr(fonts, "-----\n") : NULL;
    if (l) l = strchr(l, '\n') + 1;
    for (; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (*l == '\n') continue;
        nf++;
        if (strstr(l, "Identity-H       yes")) emb++;
    }
    rr_tap_ok(nf == 2 && emb == 2, "A4: %zu fonts, %zu embedded", nf, emb);
    rr_tap_ok(fonts && strstr(fonts, "DejaVuSans,Book") && strstr(fonts, "DejaVuSans-Bold"),
              "A4: DejaVu Sans regular and bold");
    free(fonts);

    char *all = run("pdftotext -enc UTF-8 '%s' - 2>/dev/null", pdf);
    const char *prev = all;
    int order = 1;
    for (size_t i = 0; i < nsec; i++) {
        const char *p = prev ? strstr(prev, SECTIONS[i]) : NULL;
        if (!p) { order = 0; rr_tap_diag("heading '%s' missing or out of order", SECTIONS[i]); break; }
        prev = p + 1;
    }
    rr_tap_ok(order, "A4: section headings in reading order");
    rr_tap_ok(all && strstr(all, "<script>alert(1)</script>") != NULL, "A4: script cell shown as text");
    rr_tap_ok(all && strstr(all, "Выручка за") && strstr(all, "составила 4,8 млн") && strstr(all, "Весенний запуск"),
              "A4: Cyrillic paragraph and Russian campaign names extracted");
    rr_tap_ok(all && valid_utf8(all) && !strstr(all, "\xef\xbf\xbd"),
              "A4: text is valid UTF-8, no replacement characters");
    rr_tap_int((long long)count(all ? all : "", "Ж"), LONG_WORD_N,
               "A4: over-long Cyrillic word broken only between characters");
    rr_tap_ok(all && strstr(all, "Northwind Analytics GmbH") && strstr(all, "Confidential"),
              "A4: cover text");
    free(all);

    /* per page: footer, and the table header on every page with campaign rows */
    int footers = 1, headers = 1;
    long table_pages = 0;
    for (long pg = 1; pg <= pages; pg++) {
        char *t = run("pdftotext -enc UTF-8 -f %ld -l %ld '%s' - 2>/dev/null", pg, pg, pdf);
        char want[64];
        snprintf(want, sizeof want, "Page %ld / %ld", pg, pages);
        if (pg > 1 && (!t || !strstr(t, want))) {
            footers = 0;
            rr_tap_diag("page %ld: no footer '%s'", pg, want);
        }
        if (t && strstr(t, "Кампания 0")) {
            table_pages++;
            /* a number column's header may wrap ("Won / revenue"): lines joined */
            for (char *q = t; *q; q++) if (*q == '\n') *q = ' ';
            for (size_t h = 0; h < 5; h++)
                if (!strstr(t, HEAD[h])) {
                    headers = 0;
                    rr_tap_diag("page %ld: table header '%s' missing", pg, HEAD[h]);
                }
        }
        free(t);
    }
    rr_tap_ok(footers, "A4: 'Page n / N' footer on pages 2..%ld", pages);
    rr_tap_ok(table_pages >= 3, "A4: 120-row table spans %ld pages", table_pages);
    rr_tap_ok(headers, "A4: table header repeated on every continuation page");

    size_t len = 0;
    char *raw = slurp(pdf, &len);
    size_t dests = 0;
    for (size_t i = 0; raw && i + 6 < len; i++)
        if (memcmp(raw + i, "/Dest ", 6) == 0 || memcmp(raw + i, "/Dest[", 6) == 0) dests++;
    rr_tap_ok(raw && memmem(raw, len, "/Outlines", 9) != NULL && dests == nsec,
              "A4: outline with %zu entries (one per section)", dests);
    rr_tap_ok(raw && memmem(raw, len, "/ID", 3) == NULL, "A4: no /ID in the trailer");
    free(raw);
    check_bbox(pdf, 56, "A4");
}

/* The layout arithmetic: line-break rules and column widths (no fonts). */
static void check_layout_rules(void)
{
    /* NBSP, U+202F and U+2009 never break: "68,3 тыс. $" stays whole */
    rr_tap_ok(!rr_pdf_break_between('3', 0x00a0) && !rr_pdf_break_between(0x00a0, 0x0442) &&
              !rr_pdf_break_between('.', 0x202f) && !rr_pdf_break_between(0x202f, '$'),
              "layout: NBSP / U+202F are not break points");
    rr_tap_ok(rr_pdf_break_between(' ', 'a') && !rr_pdf_break_between('a', 'b'),
              "layout: Latin breaks after a space only");
    rr_tap_ok(rr_pdf_break_between(0x52a0, 0x91cd) == 1, "layout: 加|重 may break between ideographs");
    rr_tap_ok(!rr_pdf_break_between(0x30e2, 0x30c7) && !rr_pdf_break_between(0x30c7, 0x30eb),
              "layout: a katakana word (モデル) is not split");
    rr_tap_ok(!rr_pdf_break_between(0x5831, 0x30fc) && !rr_pdf_break_between(0x3042, 0x3063) &&
              !rr_pdf_break_between(0x53d7, 0x3002) && !rr_pdf_break_between(0x53d7, 0xff09) &&
              !rr_pdf_break_between(0xff08, 0x53d7),
              "layout: kinsoku: no break before ー, っ, 。, ） or after （");
    rr_tap_ok(!rr_pdf_break_between(0x7b2c, '4') && !rr_pdf_break_between('0', 0x6708),
              "layout: a number stays with the CJK text around it");
    /* widths: a squeezed text column gets room in proportion to its want */
    float minw[3] = {60, 45, 80}, maxw[3] = {170, 45, 400}, wd[3];
    int r = rr_pdf_fit_columns(3, minw, maxw, 480, wd);
    rr_tap_ok(r == 0 && wd[1] >= 45 - 1e-3f && wd[0] > 120 && wd[2] > 250 &&
              fabsf(wd[0] + wd[1] + wd[2] - 480) < 0.01f,
              "layout: columns from content: %.0f %.0f %.0f", wd[0], wd[1], wd[2]);
    float mx2[3] = {100, 45, 100};
    r = rr_pdf_fit_columns(3, minw, mx2, 490, wd);
    rr_tap_ok(r == 0 && wd[0] >= 100 && wd[1] >= 45 && wd[2] >= 100 && fabsf(wd[0] + wd[1] + wd[2] - 490) < 0.01f,
              "layout: when everything fits, every column gets at least its widest line");
    float big[2] = {300, 300}, wd2[2];
    r = rr_pdf_fit_columns(2, big, big, 480, wd2);
    rr_tap_ok(r == -1 && fabsf(wd2[0] + wd2[1] - 480) < 0.01f, "layout: minima that do not fit are reported");
    for (int i = 0; i < 3; i++) wd[i] = 0;
    rr_tap_ok(rr_pdf_fit_columns(0, minw, maxw, 480, wd) == 0, "layout: no columns");
}

int main(void)
{
    check_layout_rules();
    char fontpath[1024];
    snprintf(fontpath, sizeof fontpath, "%s/DejaVuSans.ttf", RR_FONTDIR);
    if (access(fontpath, R_OK) != 0) {
        rr_tap_skip("DejaVu fonts not installed (apt-get install fonts-dejavu-core)");
        return rr_tap_done();
    }
    char dir[] = "/tmp/rr-test-pdf-XXXXXX";
    if (!mkdtemp(dir)) { rr_tap_ok(0, "mkdtemp"); return rr_tap_done(); }
    char a4[256], a4b[256], let[256], logo[256], bad[256];
    snprintf(a4, sizeof a4, "%s/a4.pdf", dir);
    snprintf(a4b, sizeof a4b, "%s/a4-again.pdf", dir);
    snprintf(let, sizeof let, "%s/letter.pdf", dir);
    snprintf(logo, sizeof logo, "%s/logo.png", dir);
    snprintf(bad, sizeof bad, "%s/no/such/dir/x.pdf", dir);
    make_logo(logo);

    rr_doc *d = make_doc(6, logo);
    rr_pdf_opts o = { RR_PDF_A4, 0, RR_FONTDIR, EPOCH };
    rr_error err;
    memset(&err, 0, sizeof err);
    rr_status st = rr_pdf_write(d, &o, a4, &err);
    if (!rr_tap_int(st, RR_OK, "A4 portrait written")) rr_tap_diag("%s", err.msg);
    sleep(1);   /* a clock-based field would now differ */
    st = rr_pdf_write(d, &o, a4b, &err);
    rr_tap_int(st, RR_OK, "A4 written again");
    size_t la = 0, lb = 0;
    char *ba = slurp(a4, &la), *bb = slurp(a4b, &lb);
    rr_tap_ok(ba && bb && la == lb && memcmp(ba, bb, la) == 0,
              "same doc and epoch give identical bytes (%zu)", la);
    rr_tap_ok(la > 0 && la < 2 * 1024 * 1024, "6 charts: %zu bytes < 2 MB", la);
    free(ba);
    free(bb);

    o.paper = RR_PDF_LETTER;
    o.landscape = 1;
    st = rr_pdf_write(d, &o, let, &err);
    if (!rr_tap_int(st, RR_OK, "Letter landscape written")) rr_tap_diag("%s", err.msg);

    /* error paths */
    o.font_dir = "/nonexistent-fonts";
    memset(&err, 0, sizeof err);
    st = rr_pdf_write(d, &o, bad, &err);
    rr_tap_ok(st == RR_ERR_RENDER && strstr(err.msg, "DejaVuSans.ttf"), "missing font: %s", err.msg);
    o.font_dir = RR_FONTDIR;
    memset(&err, 0, sizeof err);
    st = rr_pdf_write(d, &o, bad, &err);
    rr_tap_ok(st == RR_ERR_RENDER && strstr(err.msg, "cannot open file") && access(bad, F_OK) != 0,
              "unwritable path: %s", err.msg);
    char nologo[300];
    snprintf(nologo, sizeof nologo, "%s/missing-logo.png", dir);
    rr_doc_set(&d->logo_path, nologo);
    memset(&err, 0, sizeof err);
    st = rr_pdf_write(d, &o, let, &err);
    rr_tap_ok(st == RR_ERR_RENDER && strstr(err.msg, "logo"), "missing logo: %s", err.msg);
    rr_doc_free(d);

    /* hostile text: invalid UTF-8, a non-BMP emoji, control characters */
    rr_doc *h = rr_doc_new("en");
    rr_doc_set(&h->title, "Bad \xff bytes \xf0\x9f\x93\x88 and\ttabs");
    rr_doc_section *s = rr_doc_section_add(h, "x", "Broken \xe2\x82 input");
    rr_doc_para(s, "caf\xc3 \x01\x02 ok \xf0\x9f\x98\x80 end");
    char hp[256];
    snprintf(hp, sizeof hp, "%s/hostile.pdf", dir);
    o.paper = RR_PDF_A4;
    o.landscape = 0;
    memset(&err, 0, sizeof err);
    st = rr_pdf_write(h, &o, hp, &err);
    if (!rr_tap_int(st, RR_OK, "invalid UTF-8 and emoji are replaced, not fatal"))
        rr_tap_diag("%s", err.msg);
    rr_doc_free(h);

    char *have = run("command -v pdfinfo && command -v pdffonts && command -v pdftotext 2>/dev/null");
    if (!have || count(have, "\n") < 3) {
        rr_tap_skip("poppler-utils not installed (apt-get install poppler-utils)");
    } else {
        check_a4(a4, 4);
        char *info = run("pdfinfo '%s' 2>/dev/null", let);
        rr_tap_ok(strstr(info, "Page size:       792 x 612 pts (letter)") != NULL,
                  "Letter landscape: page size");
        rr_tap_ok(field_long(info, "Pages:") >= 4, "Letter landscape: %ld pages",
                  field_long(info, "Pages:"));
        free(info);
        check_bbox(let, 56, "Letter landscape");
        char *t = run("pdftotext -enc UTF-8 '%s' - 2>/dev/null", hp);
        rr_tap_ok(t && strstr(t, "ok") && strstr(t, "\xef\xbf\xbd") && valid_utf8(t),
                  "hostile text extracted with U+FFFD");
        free(t);
    }
    free(have);
    if (!getenv("RR_KEEP_PDF") && rr_tap_failed == 0) {
        char *rm = run("rm -rf '%s'", dir);
        free(rm);
    } else {
        rr_tap_diag("outputs kept in %s", dir);
    }
    return rr_tap_done();
}
