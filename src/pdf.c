/* pdf.c: the PDF writer (see pdf.h): lays out a rr_doc on A4/Letter pages
 * with libharu and writes the file.
 *
 *   rr_pdf_opts o = rr_pdf_opts_default();
 *   rr_status st = rr_pdf_write(doc, &o, "report.pdf", &err);
 *
 * One pass: blocks are laid out top to bottom on the current page and a new
 * page is started when the next unit (a text line, a table row, a KPI row, a
 * whole chart) does not fit.  Page handles are kept, and the running header
 * and "Page n / N" footer are drawn on every page once the count is known.
 *
 *   +--------------------------------------------+
 *   | title                          period      |  header (pages 2..N)
 *   |--------------------------------------------|
 *   | Section heading                            |
 *   | ------------------------------------------ |
 *   | paragraph / list / KPI tiles / table /     |  content box
 *   | chart + caption / warnings                 |
 *   |                                            |
 *   | confidentiality               Page n / N   |  footer (pages 2..N)
 *   +--------------------------------------------+
 *
 * libharu's error handler only records the first error code (no longjmp);
 * after an error libharu refuses further calls on the document, so checking
 * after each block is enough.  HPDF_Free runs on every path. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <hpdf.h>
#include <hpdf_catalog.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_namedict.h>
#include <hpdf_pdfa.h>
#include "revreport/csvin.h"
#include "revreport/pdf.h"
#include "revreport/xmp.h"
#include "revreport/pdf_int.h"
#include "revreport/chart.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

#ifndef RR_FONTDIR
#define RR_FONTDIR "/usr/share/fonts/truetype/dejavu"
#endif


static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *ud)
{
    pdfw *w = ud;
    if (w->herr == 0) { w->herr = code; w->hdetail = detail; }
}


static int new_page(pdfw *w)
{
    HPDF_Page p = HPDF_AddPage(w->pdf);
    if (!p) return -1;
    HPDF_Page_SetSize(p, w->size, w->dir);
    w->pages = rr_xgrow(w->pages, &w->cap, w->npages + 1, sizeof *w->pages);
    w->pages[w->npages++] = p;
    w->page = p;
    w->y = w->top;
    return failed(w) ? -1 : 0;
}

static int at_top(const pdfw *w) { return w->y >= w->top - 0.01f; }

/* Make room for h points: start a new page unless they fit (or the page is
 * still empty, where nothing would fit better). */
static int ensure(pdfw *w, float h)
{
    if (w->y - h < w->bottom && !at_top(w)) return new_page(w);
    return 0;
}

static void gap(pdfw *w, float h)
{
    if (!at_top(w)) w->y -= h;
}

static void rect(HPDF_Page p, rgb c, float x, float y, float wd, float h)
{
    fill_rgb(p, c);
    HPDF_Page_Rectangle(p, x, y, wd, h);
    HPDF_Page_Fill(p);
}

static void hline(HPDF_Page p, rgb c, float width, float x0, float x1, float y)
{
    HPDF_Page_SetLineWidth(p, width);
    stroke_rgb(p, c);
    HPDF_Page_MoveTo(p, x0, y);
    HPDF_Page_LineTo(p, x1, y);
    HPDF_Page_Stroke(p);
}

/* Baseline of a text line whose line box starts at top. */
static float baseline(float top, float size, float lead) { return top - (lead - 1) * size / 2 - 0.8f * size; }

/* Draw wrapped lines [from, to) starting at top; returns the height used. */
static float draw_wrapped(pdfw *w, const wrapped *o, size_t from, size_t to, pfont f,
                          float size, float lead, rgb c, float x, float top, float wd, int align)
{
    float lh = size * lead;
    for (size_t i = from; i < to; i++) {
        const span *l = &o->lines[i];
        float tx = x;
        if (align != AL_LEFT) {
            float tw = pdf_text_w(f, size, o->text + l->off, l->len);
            tx = align == AL_RIGHT ? x + wd - tw : x + (wd - tw) / 2;
        }
        pdf_draw_n(w, w->page, f, size, c, tx, baseline(top - lh * (float)(i - from), size, lead),
               o->text + l->off, l->len);
    }
    return lh * (float)(to - from);
}

/* Flowing text: wrapped lines, page breaks between lines. */
static int flow_text(pdfw *w, const char *text, pfont f, float size, rgb c, float x, float wd)
{
    wrapped o;
    float lh = size * LEAD;
    pdf_wrap(&o, f, size, text, wd);
    for (size_t i = 0; i < o.n; i++) {
        /* keep the last two lines of a paragraph together (no widow) */
        float need = (o.n >= 3 && i == o.n - 2) ? 2 * lh : lh;
        if (ensure(w, need) < 0) break;
        w->y -= draw_wrapped(w, &o, i, i + 1, f, size, LEAD, c, x, w->y, wd, AL_LEFT);
    }
    pdf_wrap_free(&o);
    return failed(w) ? -1 : 0;
}

/* ---- masthead: page 1 opens with the report's name and period in a band
 * and goes straight on with the executive summary (no cover page) ---- */

static int draw_cover(pdfw *w)
{
    const rr_doc *d = w->doc;
    if (new_page(w) < 0) return -1;
    HPDF_Page p = w->page;
    float cw = w->right - w->left;
    rect(p, C_ACCENT, 0, 0, 14, w->ph);                     /* accent band */
    float y = w->ph - 46, logo_w = 0;
    if (d->logo_path && *d->logo_path) {
        doing(w, "loading the logo", d->logo_path);
        FILE *fp = fopen(d->logo_path, "rb");
        if (!fp) {
            snprintf(w->detail, sizeof w->detail, "cannot open logo '%s': %s", d->logo_path,
                     strerror(errno));
            return -1;
        }
        fclose(fp);
        HPDF_Image img = HPDF_LoadPngImageFromFile(w->pdf, d->logo_path);
        if (!img || failed(w)) return -1;
        float iw = (float)HPDF_Image_GetWidth(img), ih = (float)HPDF_Image_GetHeight(img);
        float s = iw > 0 && ih > 0 ? 110 / iw : 1;
        if (ih * s > 40) s = 40 / ih;
        logo_w = iw * s + 12;
        HPDF_Page_DrawImage(p, img, w->right - iw * s, y - ih * s + 10, iw * s, ih * s);
    }
    doing(w, "drawing the masthead", NULL);
    float tw = cw - logo_w;
    if (d->company && *d->company) {
        pdf_draw_line(w, p, w->bold, SZ_SMALL, C_MUTED, w->left, y, tw, AL_LEFT, d->company);
        y -= 8;
    }
    wrapped o;
    pdf_wrap(&o, w->bold, 20, S(d->title), tw);
    size_t nl = o.n > 2 ? 2 : o.n;
    y -= draw_wrapped(w, &o, 0, nl, w->bold, 20, 1.2f, C_INK, w->left, y, tw, AL_LEFT);
    pdf_wrap_free(&o);
    pdf_draw_line(w, p, w->bold, 13, C_ACCENT, w->left, y - 14, cw * 0.5f, AL_LEFT, d->period_label);
    pdf_draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left + cw * 0.5f, y - 13, cw * 0.5f, AL_RIGHT,
                  d->generated);
    y -= 24;
    hline(p, C_RULE, 0.6f, w->left, w->right, y);
    y -= 8;
    if (d->banner && *d->banner) {              /* stale inputs: a callout under the masthead */
        float pad = 8, ind = 12, lh = SZ_BODY * LEAD;
        pdf_wrap(&o, w->reg, SZ_BODY, d->banner, cw - ind - pad);
        size_t bl = o.n > 8 ? 8 : o.n;
        float h = (float)bl * lh + 2 * pad, top = y - 6;
        rect(p, C_WARN_BG, w->left, top - h, cw, h);
        rect(p, C_WARN, w->left, top - h, 3, h);
        draw_wrapped(w, &o, 0, bl, w->reg, SZ_BODY, LEAD, C_INK, w->left + ind, top - pad, 0, AL_LEFT);
        pdf_wrap_free(&o);
        y = top - h - 6;
    }
    pdf_draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left, w->bottom - 30, cw, AL_LEFT, d->confidentiality);
    /* the summary starts right here (draw_section adds SECTION_GAP) */
    w->y = y + SECTION_GAP - 14;
    return failed(w) ? -1 : 0;
}

/* ---- blocks ---- */

static int block_list(pdfw *w, const rr_block *b)
{
    float ind = 16, lh = SZ_BODY * LEAD;
    for (size_t i = 0; i < b->nitems; i++) {
        wrapped o;
        pdf_wrap(&o, w->reg, SZ_BODY, b->items[i], w->right - w->left - ind);
        if (o.n <= KEEP_LINES && ensure(w, (float)o.n * lh) < 0) { pdf_wrap_free(&o); return -1; }
        for (size_t l = 0; l < o.n; l++) {
            if (ensure(w, lh) < 0) break;
            if (l == 0) {
                float cy = baseline(w->y, SZ_BODY, LEAD) + SZ_BODY * 0.33f;
                fill_rgb(w->page, C_ACCENT);
                HPDF_Page_Circle(w->page, w->left + 4, cy, 2.0f);
                HPDF_Page_Fill(w->page);
            }
            w->y -= draw_wrapped(w, &o, l, l + 1, w->reg, SZ_BODY, LEAD, C_TEXT, w->left + ind,
                                 w->y, 0, AL_LEFT);
        }
        pdf_wrap_free(&o);
        if (i + 1 < b->nitems) w->y -= 3;
        if (failed(w)) return -1;
    }
    return 0;
}

/* The quarter's status: a tinted box, the status word in bold in its colour
 * and the sentence beside it (colour and words say the same). */
static int block_status(pdfw *w, const rr_block *b)
{
    static const rgb BG_GOOD = { 0xea / 255.f, 0xf6 / 255.f, 0xef / 255.f };
    static const rgb BG_BAD = { 0xfd / 255.f, 0xec / 255.f, 0xea / 255.f };
    rgb ink = b->status == 1 ? C_GOOD : b->status == 2 ? C_WARN : C_BAD;
    rgb bg = b->status == 1 ? BG_GOOD : b->status == 2 ? C_WARN_BG : BG_BAD;
    const char *word = b->nitems ? b->items[0] : "";
    float pad = 9, cw = w->right - w->left, lh = SZ_BODY * LEAD;
    char *cw_word = pdf_clean_utf8(word, 0);
    float ww = pdf_text_w(w->bold, SZ_H2, cw_word, strlen(cw_word)) + 14;
    free(cw_word);
    if (ww > cw * 0.35f) ww = cw * 0.35f;
    wrapped o;
    pdf_wrap(&o, w->reg, SZ_BODY, S(b->text), cw - ww - 2 * pad - 6);
    float h = (float)(o.n ? o.n : 1) * lh + 2 * pad;
    if (ensure(w, h) < 0) { pdf_wrap_free(&o); return -1; }
    HPDF_Page p = w->page;
    rect(p, bg, w->left, w->y - h, cw, h);
    rect(p, ink, w->left, w->y - h, 5, h);
    pdf_draw_line(w, p, w->bold, SZ_H2, ink, w->left + pad + 6, baseline(w->y - pad, SZ_BODY, LEAD), ww - 8,
                  AL_LEFT, word);
    draw_wrapped(w, &o, 0, o.n, w->reg, SZ_BODY, LEAD, C_INK, w->left + pad + 6 + ww, w->y - pad, 0, AL_LEFT);
    w->y -= h;
    pdf_wrap_free(&o);
    return failed(w) ? -1 : 0;
}

#define SZ_SUBHEAD 12.0f

static int block_subhead(pdfw *w, const rr_block *b)
{
    float cw = w->right - w->left;
    if (ensure(w, SZ_SUBHEAD * LEAD) < 0) return -1;
    pdf_draw_line(w, w->page, w->bold, SZ_SUBHEAD, C_ACCENT, w->left, baseline(w->y, SZ_SUBHEAD, LEAD), cw, AL_LEFT,
                  b->text);
    w->y -= SZ_SUBHEAD * LEAD;
    return failed(w) ? -1 : 0;
}

static int block_warn(pdfw *w, const rr_block *b)
{
    float pad = 9, ind = 30, lh = SZ_BODY * LEAD;
    float wd = w->right - w->left;
    for (size_t i = 0; i < b->nitems; i++) {
        wrapped o;
        pdf_wrap(&o, w->reg, SZ_BODY, b->items[i], wd - ind - pad);
        float top_pad = (i == 0) ? pad : 3, bot_pad = (i + 1 == b->nitems) ? pad : 3;
        /* a callout of a few lines is never split over pages */
        if (o.n <= KEEP_LINES && ensure(w, (float)o.n * lh + top_pad + bot_pad) < 0) { pdf_wrap_free(&o); return -1; }
        for (size_t l = 0; l < o.n; l++) {
            float h = lh + (l == 0 ? top_pad : 0) + (l + 1 == o.n ? bot_pad : 0);
            if (ensure(w, h) < 0) break;
            HPDF_Page p = w->page;
            rect(p, C_WARN_BG, w->left, w->y - h, wd, h);
            rect(p, C_WARN, w->left, w->y - h, 3, h);
            float top = w->y - (l == 0 ? top_pad : 0);
            if (l == 0) {                                 /* marker: "!" in a disc */
                float cy = baseline(top, SZ_BODY, LEAD) + SZ_BODY * 0.35f;
                fill_rgb(p, C_WARN);
                HPDF_Page_Circle(p, w->left + 16, cy, 6.0f);
                HPDF_Page_Fill(p);
                float ew = pdf_text_w(w->bold, SZ_SMALL, "!", 1);
                pdf_draw_n(w, p, w->bold, SZ_SMALL, C_WHITE, w->left + 16 - ew / 2,
                       cy - SZ_SMALL * 0.36f, "!", 1);
            }
            draw_wrapped(w, &o, l, l + 1, w->reg, SZ_BODY, LEAD, C_INK, w->left + ind, top, 0,
                         AL_LEFT);
            w->y -= h;
        }
        pdf_wrap_free(&o);
        if (failed(w)) return -1;
    }
    return 0;
}

/* KPI tiles: a grid of boxes, one row never split over pages.  A tile shows
 * all of its text: label, value, change and note pdf_wrap (never cut), and a
 * row of tiles is as tall as its fullest tile.  A value too wide for the
 * tile gets smaller, down to SZ_H2, and then wraps. */
typedef struct {
    wrapped label, value, delta, note;
    float value_size;
    float h;
} tile_fit;

static float tile_value_h(const tile_fit *t)
{
    float h = (float)t->value.n * t->value_size * 1.2f;
    return h > SZ_KPI * 1.2f ? h : SZ_KPI * 1.2f;
}

static float tile_height(const tile_fit *t, const rr_kpi *k)
{
    float h = 12;                                             /* top pad */
    h += (float)t->label.n * SZ_SMALL * LEAD_TIGHT + 4;
    h += tile_value_h(t) + 2;
    h += (float)t->delta.n * SZ_SMALL * LEAD_TIGHT;
    h += (float)t->note.n * SZ_SMALL * LEAD_TIGHT;
    if (k->spark && k->nspark >= 2) h += 20;
    return h + 12;                                            /* bottom pad */
}

static void draw_spark(HPDF_Page p, const rr_kpi *k, float x, float y, float wd, float h)
{
    double lo = 0, hi = 0;
    size_t first = 1;
    for (size_t i = 0; i < k->nspark; i++) {
        double v = k->spark[i];
        if (v != v) continue;
        if (first) { lo = hi = v; first = 0; }
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    if (first) return;
    double span_v = hi > lo ? hi - lo : 1;
    HPDF_Page_SetLineWidth(p, 1.2f);
    stroke_rgb(p, C_ACCENT);
    HPDF_Page_SetLineJoin(p, HPDF_ROUND_JOIN);
    int pen = 0;
    float lx = 0, ly = 0;
    for (size_t i = 0; i < k->nspark; i++) {
        double v = k->spark[i];
        if (v != v) { pen = 0; continue; }
        lx = x + wd * (float)i / (float)(k->nspark - 1);
        ly = y + h * (float)((v - lo) / span_v);
        if (!pen) HPDF_Page_MoveTo(p, lx, ly);
        else HPDF_Page_LineTo(p, lx, ly);
        pen = 1;
    }
    HPDF_Page_Stroke(p);
    fill_rgb(p, C_ACCENT);
    HPDF_Page_Circle(p, lx, ly, 1.8f);
    HPDF_Page_Fill(p);
}

static int block_kpis(pdfw *w, const rr_block *b)
{
    float cw = w->right - w->left, g = 12;
    size_t n = b->nkpis;
    if (n == 0) return 0;
    size_t cols = (size_t)((cw + g) / (110 + g));   /* four across on A4 portrait */
    if (cols < 1) cols = 1;
    if (cols > n) cols = n;
    size_t rows = (n + cols - 1) / cols;
    cols = (n + rows - 1) / rows;                             /* balance: 4 -> 2x2 */
    float tw = (cw - g * (float)(cols - 1)) / (float)cols, inner = tw - 24 - 3;
    tile_fit *tf = rr_xcalloc(n, sizeof *tf);
    for (size_t i = 0; i < n; i++) {
        const rr_kpi *k = &b->kpis[i];
        pdf_wrap(&tf[i].label, w->reg, SZ_SMALL, S(k->label), inner);
        if (!k->label || !*k->label) tf[i].label.n = 0;
        pdf_wrap(&tf[i].note, w->reg, SZ_SMALL, S(k->note), inner);
        if (!k->note || !*k->note) tf[i].note.n = 0;
        char *dtxt = rr_xasprintf("%s%s", k->trend > 0 ? "\xe2\x96\xb2 " : k->trend < 0 ? "\xe2\x96\xbc " : "",
                                  S(k->delta));
        pdf_wrap(&tf[i].delta, w->bold, SZ_SMALL, dtxt, inner);
        if (!k->delta || !*k->delta) tf[i].delta.n = 0;
        free(dtxt);
        char *v = pdf_clean_utf8(S(k->value), 0);
        float vs = SZ_KPI, vw = pdf_text_w(w->bold, vs, v, strlen(v));
        if (vw > inner) vs = vs * inner / vw * 0.98f;      /* shrink to fit */
        if (vs < SZ_H2) vs = SZ_H2;
        tf[i].value_size = vs;
        pdf_wrap(&tf[i].value, w->bold, vs, v, inner);         /* one line unless it is still too wide */
        free(v);
        tf[i].h = tile_height(&tf[i], k);
    }
    for (size_t r = 0; r < rows && !failed(w); r++) {
        float rh = 0;
        for (size_t c = 0; c < cols && r * cols + c < n; c++)
            if (tf[r * cols + c].h > rh) rh = tf[r * cols + c].h;
        if (r > 0) w->y -= g;
        if (ensure(w, rh) < 0) break;
        HPDF_Page p = w->page;
        /* backgrounds first, then each tile's text in reading order (label,
         * value, change, note), tile after tile */
        for (size_t c = 0; c < cols && r * cols + c < n; c++) {
            float x = w->left + (float)c * (tw + g);
            rect(p, C_ZEBRA, x, w->y - rh, tw, rh);
            rect(p, C_ACCENT, x, w->y - rh, 3, rh);
        }
        for (size_t c = 0; c < cols && r * cols + c < n; c++) {
            size_t i = r * cols + c;
            const rr_kpi *k = &b->kpis[i];
            const tile_fit *t = &tf[i];
            float x = w->left + (float)c * (tw + g), top = w->y, ix = x + 15;
            float y = top - 12;
            y -= draw_wrapped(w, &t->label, 0, t->label.n, w->reg, SZ_SMALL, LEAD_TIGHT,
                              C_MUTED, ix, y, inner, AL_LEFT) + 4;
            float vh = tile_value_h(t), vl = t->value_size * 1.2f;
            float vtop = t->value.n == 1 ? y - (SZ_KPI * 1.2f - vl) / 2 - 1 - 0.05f * t->value_size : y;
            draw_wrapped(w, &t->value, 0, t->value.n, w->bold, t->value_size, 1.2f, C_INK, ix, vtop,
                         inner, AL_LEFT);
            y -= vh + 2;
            rgb dc = k->good > 0 ? C_GOOD : k->good < 0 ? C_BAD : C_MUTED;
            y -= draw_wrapped(w, &t->delta, 0, t->delta.n, w->bold, SZ_SMALL, LEAD_TIGHT, dc, ix, y,
                              inner, AL_LEFT);
            y -= draw_wrapped(w, &t->note, 0, t->note.n, w->reg, SZ_SMALL, LEAD_TIGHT,
                              C_MUTED, ix, y, inner, AL_LEFT);
            if (k->spark && k->nspark >= 2) draw_spark(p, k, ix, top - rh + 12, inner, 14);
        }
        w->y -= rh;
    }
    for (size_t i = 0; i < n; i++) {
        pdf_wrap_free(&tf[i].label); pdf_wrap_free(&tf[i].value); pdf_wrap_free(&tf[i].delta); pdf_wrap_free(&tf[i].note);
    }
    free(tf);
    return failed(w) ? -1 : 0;
}

/* Tables: column widths from the content, header repeated on every page the
 * table continues on, a row never split. */
#define T_PADX 6.0f
#define T_PADY 4.5f

int rr_pdf_fit_columns(size_t n, const float *minw, const float *maxw, float cw, float *wd)
{
    float smin = 0, smax = 0;
    for (size_t c = 0; c < n; c++) {
        smin += minw[c];
        smax += maxw[c] > minw[c] ? maxw[c] : minw[c];
    }
    if (n == 0) return 0;
    if (smin > cw) {                                  /* does not fit: scale the minima */
        for (size_t c = 0; c < n; c++) wd[c] = smin > 0 ? minw[c] * cw / smin : cw / (float)n;
        return -1;
    }
    if (smax <= cw) {                                 /* everything on one line: share the spare */
        for (size_t c = 0; c < n; c++) {
            float mx = maxw[c] > minw[c] ? maxw[c] : minw[c];
            wd[c] = smax > 0 ? mx + (cw - smax) * mx / smax : cw / (float)n;
        }
        return 0;
    }
    /* between: each column gets its minimum and a share of the rest in
     * proportion to how much wider its content wants to be */
    float want = smax - smin, room = cw - smin;
    for (size_t c = 0; c < n; c++) {
        float mx = maxw[c] > minw[c] ? maxw[c] : minw[c];
        wd[c] = minw[c] + (want > 0 ? room * (mx - minw[c]) / want : room / (float)n);
    }
    return 0;
}

/* A table's content widths at SZ_SMALL, per column: the body's and the
 * header's widest unbreakable piece and widest line. */
typedef struct {
    float *bmin, *bmax, *hmin, *hmax;
} tcontent;

/* Widths at body size tsz, header size hsz and padding tpadx; returns the
 * most lines a column's widest cell wraps into, or 1e9 when the
 * unbreakable pieces do not fit. */
static float widths_at(const tcontent *tc, size_t nc, float cw, float tsz, float hsz, float tpadx,
                       float *wd)
{
    float *nat = rr_xcalloc(nc, sizeof *nat), *minw = rr_xcalloc(nc, sizeof *minw);
    float kb = tsz / SZ_SMALL, kh = hsz / SZ_SMALL, pad = 2 * tpadx + 1;
    for (size_t c = 0; c < nc; c++) {
        float bm = tc->bmin[c] * kb, hm = tc->hmin[c] * kh, bx = tc->bmax[c] * kb, hx = tc->hmax[c] * kh;
        minw[c] = (bm > hm ? bm : hm) + pad;
        nat[c] = (bx > hx ? bx : hx) + pad;
    }
    float lines = 1;
    if (rr_pdf_fit_columns(nc, minw, nat, cw, wd) < 0) lines = 1e9f;
    for (size_t c = 0; c < nc && lines < 1e9f; c++)
        if (wd[c] > pad) {
            float l = (nat[c] - pad) / (wd[c] - pad);
            if (l > lines) lines = l;
        }
    free(nat); free(minw);
    return lines;
}

/* Column widths (sum = cw), the table's body and header font sizes and its
 * cell padding, from the content: a column's minimum is its widest
 * unbreakable piece (a word, a number with its unit: NBSPs do not break),
 * its natural width its widest line (a header may take two lines), and
 * rr_pdf_fit_columns shares the width.  When the unbreakable pieces do not
 * fit, the padding gets tighter and the header, then the body, smaller
 * (body down to 5.5 pt: 14 money columns on A4 portrait; header down to
 * 80% of the body): a header word is never split unless nothing else fits.
 * When a column would wrap into more than three lines, the font steps
 * down to 7 pt. */
static void table_widths(pdfw *w, const rr_table *t, float cw, float *wd)
{
    size_t nc = t->ncols;
    tcontent tc;
    tc.bmin = rr_xcalloc(nc, sizeof *tc.bmin); tc.bmax = rr_xcalloc(nc, sizeof *tc.bmax);
    tc.hmin = rr_xcalloc(nc, sizeof *tc.hmin); tc.hmax = rr_xcalloc(nc, sizeof *tc.hmax);
    for (size_t c = 0; c < nc; c++) {
        for (size_t r = 0; r <= t->nrows; r++) {          /* r == nrows: the header */
            const char *raw = r < t->nrows ? t->cells[r * nc + c] : t->headers[c];
            pfont f = (r == t->nrows || t->row_kind[r] == RR_ROW_TOTAL) ? w->bold : w->reg;
            char *s = pdf_clean_utf8(raw, 0);
            float x = pdf_text_w(f, SZ_SMALL, s, strlen(s));
            float m = pdf_longest_word(f, SZ_SMALL, s);
            if (r == t->nrows) {
                /* a header of several words may take two lines ("Revenue /
                 * (Linear)"), so the room goes to the columns with long text */
                tc.hmax[c] = x / 2 + 2 > m ? (x / 2 + 2 < x ? x / 2 + 2 : x) : m;
                /* a short header without spaces stays whole: CJK may break
                 * between any two characters, but "商/談" on two lines is not
                 * a header a reader expects (up to six CJK characters: 商談獲得単価) */
                tc.hmin[c] = !strchr(s, ' ') && x <= 6.0f * SZ_SMALL ? x : m;
            } else {
                if (x > tc.bmax[c]) tc.bmax[c] = x;
                if (m > tc.bmin[c]) tc.bmin[c] = m;
            }
            free(s);
        }
    }
    static const float PADS[] = {T_PADX, 3.5f, 2.5f, 1.5f};
    int done = 0;
    for (float tsz = SZ_SMALL; !done && tsz > 5.5f - 1e-3f; tsz -= 0.25f)
        for (float hsz = tsz; !done && hsz > 0.8f * tsz - 1e-3f; hsz -= 0.25f)
            for (size_t pi = 0; !done && pi < 4; pi++)
                if (widths_at(&tc, nc, cw, tsz, hsz, PADS[pi], wd) < 1e9f) {
                    w->tsz = tsz; w->hsz = hsz; w->tpadx = PADS[pi]; done = 1;
                }
    if (!done) {                                       /* last resort: words break */
        w->tsz = 5.5f; w->hsz = 0.8f * 5.5f; w->tpadx = 1.5f;
    }
    while (widths_at(&tc, nc, cw, w->tsz, w->hsz, w->tpadx, wd) > 3.0f && w->tsz > 7.0f + 1e-3f) {
        float k = (w->tsz - 0.5f < 7.0f ? 7.0f : w->tsz - 0.5f) / w->tsz;
        w->tsz *= k; w->hsz *= k;
        if (w->tpadx > 4.5f) w->tpadx = 4.5f;
    }
    free(tc.bmin); free(tc.bmax); free(tc.hmin); free(tc.hmax);
}

typedef struct {
    wrapped *cells;                /* ncols */
    float h;
} trow;

static float row_height(wrapped *cells, size_t nc, size_t maxlines, float sz)
{
    size_t m = 1;
    for (size_t c = 0; c < nc; c++) {
        if (cells[c].n > maxlines) cells[c].n = maxlines;      /* a cell taller than a page */
        if (cells[c].n > m) m = cells[c].n;
    }
    return (float)m * sz * LEAD_TIGHT + 2 * T_PADY;
}


/* row: the body row drawn (its cells' tones), or (size_t)-1 for the head */
static void draw_row(pdfw *w, const rr_table *t, const float *wd, wrapped *cells, float h,
                     pfont f, float sz, rgb c, size_t row)
{
    float x = w->left;
    for (size_t k = 0; k < t->ncols; k++) {
        int al = t->align[k] == RR_ALIGN_RIGHT ? AL_RIGHT : t->align[k] == RR_ALIGN_CENTER ? AL_CENTER : AL_LEFT;
        rr_tone tn = row == (size_t)-1 ? RR_TONE_NONE : rr_table_cell_tone(t, row, k);
        rgb cc = tn == RR_TONE_GOOD ? C_GOOD : tn == RR_TONE_WARN ? C_WARN : tn == RR_TONE_BAD ? C_BAD : c;
        draw_wrapped(w, &cells[k], 0, cells[k].n, f, sz, LEAD_TIGHT, cc, x + w->tpadx,
                     w->y - T_PADY, wd[k] - 2 * w->tpadx, al);
        x += wd[k];
    }
    w->y -= h;
}

/* A table's caption: its first sentence is the title (bold, wrapped), the
 * rest (e.g. which model the table falls back to, and why) a note below it
 * in small type; nothing of it is cut off. */
typedef struct {
    char *title;
    wrapped t, note;
    float h;
} capwrap;

/* length of the first sentence of s, its full stop included ("。" or ". "),
 * or all of s */
static size_t first_sentence(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (!strncmp(p, "\xe3\x80\x82", 3)) return (size_t)(p - s) + 3;
        /* "opp. and CAC": an abbreviation, not the end of a sentence */
        /* nor is "4 кв. 2026 ф. г." (a number or a Cyrillic lower-case letter follows) */
        if (*p != '.' || p[1] != ' ') continue;
        const unsigned char *q = (const unsigned char *)p + 2;
        int lower = (q[0] >= 'a' && q[0] <= 'z') || (q[0] >= '0' && q[0] <= '9') ||
                    (q[0] == 0xD0 && q[1] >= 0xB0 && q[1] <= 0xBF) || (q[0] == 0xD1 && q[1] >= 0x80 && q[1] <= 0x9F);
        if (!lower) return (size_t)(p - s) + 1;
    }
    return strlen(s);
}

static void cap_wrap(const pdfw *w, const char *caption, float cw, capwrap *c)
{
    memset(c, 0, sizeof *c);
    const char *cap = caption ? caption : "";
    size_t k = first_sentence(cap);
    const char *rest = cap + k;
    while (*rest == ' ') rest++;
    /* a title with a note below it goes without its full stop */
    size_t tk = k;
    if (*rest && tk >= 3 && !strncmp(cap + tk - 3, "\xe3\x80\x82", 3)) tk -= 3;
    else if (*rest && tk >= 1 && cap[tk - 1] == '.') tk -= 1;
    c->title = rr_xstrndup(cap, tk);
    if (*cap) pdf_wrap(&c->t, w->bold, SZ_H2, c->title, cw);
    if (*rest) pdf_wrap(&c->note, w->reg, SZ_SMALL, rest, cw);
    c->h = (float)c->t.n * SZ_H2 * LEAD + (float)c->note.n * SZ_SMALL * LEAD + (*cap ? 2 : 0);
}

static void cap_free(capwrap *c)
{
    free(c->title);
    if (c->t.text) pdf_wrap_free(&c->t);
    if (c->note.text) pdf_wrap_free(&c->note);
}

static void table_head(pdfw *w, const rr_table *t, const float *wd, wrapped *head, float hh,
                       const capwrap *cap, int continued)
{
    float cw = w->right - w->left;
    if (continued) {
        char *txt = rr_xasprintf("%s (%s)", cap->title, tr(w->doc, "pdf.continued", "continued"));
        pdf_draw_line(w, w->page, w->reg, SZ_SMALL, C_MUTED, w->left, baseline(w->y, SZ_SMALL, LEAD), cw, AL_LEFT, txt);
        free(txt);
        w->y -= SZ_SMALL * LEAD + 2;
    } else if (cap->t.n) {
        w->y -= draw_wrapped(w, &cap->t, 0, cap->t.n, w->bold, SZ_H2, LEAD, C_INK, w->left, w->y, cw, AL_LEFT);
        w->y -= draw_wrapped(w, &cap->note, 0, cap->note.n, w->reg, SZ_SMALL, LEAD, C_MUTED, w->left, w->y, cw,
                             AL_LEFT);
        w->y -= 2;
    }
    draw_row(w, t, wd, head, hh, w->bold, w->hsz, C_INK, (size_t)-1);
    hline(w->page, C_ACCENT, 1.0f, w->left, w->right, w->y);
}

static int block_table(pdfw *w, const rr_table *t)
{
    size_t nc = t->ncols, nr = t->nrows;
    if (nc == 0) return 0;
    float cw = w->right - w->left;
    float *wd = rr_xcalloc(nc, sizeof *wd);
    table_widths(w, t, cw, wd);
    size_t maxlines = (size_t)((w->top - w->bottom - 80) / (w->tsz * LEAD_TIGHT));
    wrapped *head = rr_xcalloc(nc, sizeof *head);
    for (size_t c = 0; c < nc; c++) pdf_wrap(&head[c], w->bold, w->hsz, t->headers[c], wd[c] - 2 * w->tpadx);
    float hh = row_height(head, nc, 3, w->hsz);
    capwrap cap;
    cap_wrap(w, t->caption, cw, &cap);
    float caph = cap.h;
    trow *rows = rr_xcalloc(nr ? nr : 1, sizeof *rows);
    for (size_t r = 0; r < nr; r++) {
        rows[r].cells = rr_xcalloc(nc, sizeof *rows[r].cells);
        pfont f = t->row_kind[r] == RR_ROW_TOTAL ? w->bold : w->reg;
        for (size_t c = 0; c < nc; c++)
            pdf_wrap(&rows[r].cells[c], f, w->tsz, t->cells[r * nc + c], wd[c] - 2 * w->tpadx);
        rows[r].h = row_height(rows[r].cells, nc, maxlines, w->tsz);
    }
    /* a table of up to half a page stays on one page; a longer one starts
     * with its caption, header and at least KEEP_ROWS rows together (all of
     * them when fewer than two would be left for the next page) */
    float total = caph + hh;
    for (size_t r = 0; r < nr; r++) total += rows[r].h;
    float keep = caph + hh;
    for (size_t r = 0; r < nr && (r < KEEP_ROWS || nr - KEEP_ROWS < 2); r++) keep += rows[r].h;
    if (total <= (w->top - w->bottom) / 2) keep = total;
    if (ensure(w, keep) < 0) goto out;
    table_head(w, t, wd, head, hh, &cap, 0);
    size_t stripe = 0;
    for (size_t r = 0; r < nr && !failed(w); r++) {
        if (w->y - rows[r].h < w->bottom) {
            hline(w->page, C_RULE, 0.5f, w->left, w->right, w->y);
            if (new_page(w) < 0) break;
            table_head(w, t, wd, head, hh, &cap, 1);
            stripe = 0;
        }
        rr_row_kind kind = t->row_kind[r];
        if (kind == RR_ROW_TOTAL) {
            hline(w->page, C_INK, 0.8f, w->left, w->right, w->y);
        } else if (stripe++ % 2 == 1) {
            rect(w->page, C_ZEBRA, w->left, w->y - rows[r].h, cw, rows[r].h);
        }
        draw_row(w, t, wd, rows[r].cells, rows[r].h,
                 kind == RR_ROW_TOTAL ? w->bold : w->reg, w->tsz,
                 kind == RR_ROW_MUTED ? C_MUTED : kind == RR_ROW_TOTAL ? C_INK : C_TEXT, r);
    }
    hline(w->page, C_RULE, 0.5f, w->left, w->right, w->y);
out:
    for (size_t r = 0; r < nr; r++) {
        for (size_t c = 0; c < nc; c++) pdf_wrap_free(&rows[r].cells[c]);
        free(rows[r].cells);
    }
    free(rows);
    for (size_t c = 0; c < nc; c++) pdf_wrap_free(&head[c]);
    free(head);
    free(wd);
    cap_free(&cap);
    return failed(w) ? -1 : 0;
}

/* Chart height: about 1:2 on portrait pages; on landscape pages low enough
 * that two charts with their captions share a page. */
static float chart_height_default(const pdfw *w);

/* A chart sized to its data: bars across (HBAR) and a funnel need a row per
 * category, not a fixed share of the page (six channels do not fill half a
 * page); other kinds keep the page's chart height. */
static float chart_height(const pdfw *w, const rr_chart *ch)
{
    float h = chart_height_default(w);
    if (ch && (ch->kind == RR_CHART_HBAR || ch->kind == RR_CHART_FUNNEL) && ch->ncat > 0) {
        float rows = (float)ch->ncat * (ch->kind == RR_CHART_HBAR && ch->nseries > 1 ? (float)ch->nseries : 1);
        float need = (70 + 30 * rows) * CHART_PX;   /* title, axis, a 30 px row per bar */
        if (need < h) h = need < 150 ? 150 : need;
    }
    return h;
}

static float chart_height_default(const pdfw *w)
{
    float cw = w->right - w->left, avail = w->top - w->bottom;
    if (w->pw <= w->ph) return cw * 0.52f;
    float h = (avail - 2 * (6 + 2 * SZ_SMALL * LEAD) - BLOCK_GAP) / 2;
    return h < cw * 0.40f ? h : cw * 0.40f;
}

/* Charts: a PNG at 216 dpi laid out in CSS px (so its text has the size it
 * has in the HTML), never split; the caption below it. */
static int block_chart(pdfw *w, const rr_block *b)
{
    float cw = w->right - w->left, avail = w->top - w->bottom;
    float h = chart_height(w, b->chart);
    wrapped cap;
    pdf_wrap(&cap, w->reg, SZ_SMALL, S(b->text), cw);
    if (!b->text || !*b->text) cap.n = 0;
    float caph = cap.n ? 6 + (float)cap.n * SZ_SMALL * LEAD : 0;
    if (h + caph > avail) h = avail - caph;
    unsigned char *pix = NULL;
    int pw = 0, ph = 0;
    rr_status st = rr_chart_render_rgb(b->chart, cw / CHART_PX, h / CHART_PX, CHART_SCALE,
                                       &w->doc->chart_env, &pix, &pw, &ph);
    if (st != RR_OK) {
        snprintf(w->detail, sizeof w->detail, "chart '%s' could not be rendered (%s)",
                 b->chart && b->chart->title ? b->chart->title : S(b->text), rr_status_str(st));
        goto out;
    }
    HPDF_Image img = HPDF_LoadRawImageFromMem(w->pdf, pix, (HPDF_UINT)pw, (HPDF_UINT)ph, HPDF_CS_DEVICE_RGB, 8);
    if (!img || failed(w)) goto out;
    if (ensure(w, h + caph) < 0) goto out;
    HPDF_Page_DrawImage(w->page, img, w->left, w->y - h, cw, h);
    w->y -= h;
    if (cap.n) {
        w->y -= 6;
        w->y -= draw_wrapped(w, &cap, 0, cap.n, w->reg, SZ_SMALL, LEAD, C_MUTED, w->left, w->y, cw,
                             AL_LEFT);
    }
out:
    pdf_wrap_free(&cap);
    free(pix);
    return failed(w) ? -1 : 0;
}

/* Lines of text wrapped at the body size in width wd. */
static size_t body_lines(const pdfw *w, const char *text, float wd)
{
    wrapped o;
    pdf_wrap(&o, w->reg, SZ_BODY, S(text), wd);
    size_t n = o.n;
    pdf_wrap_free(&o);
    return n;
}

/* A short text block (an intro paragraph, a short list) that belongs with
 * the block after it. */
static int is_intro(const pdfw *w, const rr_block *b)
{
    if (b->kind == RR_BLOCK_PARA && !b->note) return body_lines(w, b->text, w->right - w->left) <= INTRO_LINES;
    return 0;
}

/* Height of the start of a block that must stay on the page of what comes
 * before it (its heading, its intro): a short paragraph whole, the first
 * bullet or callout, the first row of tiles, a table's caption, header and
 * first rows, a whole chart with its caption. */
static float block_lead_height(const pdfw *w, const rr_block *b)
{
    float cw = w->right - w->left, lh = SZ_BODY * LEAD;
    size_t n;
    switch (b->kind) {
    case RR_BLOCK_PARA:
        n = body_lines(w, b->text, cw);
        return (float)(n <= INTRO_LINES ? n : 3) * lh;
    case RR_BLOCK_LIST: case RR_BLOCK_WARN:
        n = b->nitems ? body_lines(w, b->items[0], cw - 30) : 1;
        return (float)(n <= KEEP_LINES ? n : 3) * lh + (b->kind == RR_BLOCK_WARN ? 18 : 0);
    case RR_BLOCK_KPIS: return 110;
    case RR_BLOCK_STATUS: return (float)body_lines(w, b->text, cw * 0.65f) * lh + 18;
    case RR_BLOCK_SUBHEAD: return SZ_SUBHEAD * LEAD;
    case RR_BLOCK_TABLE: {
        capwrap cap;
        cap_wrap(w, b->table ? b->table->caption : "", cw, &cap);
        float h = cap.h + (2 + (float)KEEP_ROWS) * (SZ_SMALL * LEAD_TIGHT + 2 * T_PADY);
        cap_free(&cap);
        return h;
    }
    case RR_BLOCK_CHART: {
        wrapped cap;
        pdf_wrap(&cap, w->reg, SZ_SMALL, S(b->text), cw);
        float h = chart_height(w, b->chart) + (b->text && *b->text ? 6 + (float)cap.n * SZ_SMALL * LEAD : 0);
        pdf_wrap_free(&cap);
        return h;
    }
    }
    return 0;
}

/* What must fit below a point before blocks[i] is drawn: its lead and,
 * when it is a short intro, the lead of the block it introduces. */
/* The run of short paragraphs from blocks[i] up to a block that is not a
 * paragraph (an intro and its reconciling note before a chart): the index of
 * that block, or 0 when the run is not all intros or ends the section. */
static size_t intro_run_end(const pdfw *w, const rr_doc_section *s, size_t i)
{
    size_t j = i;
    while (j < s->nblocks && s->blocks[j].kind == RR_BLOCK_PARA && j - i < 3 && is_intro(w, &s->blocks[j])) j++;
    return j > i && j < s->nblocks && s->blocks[j].kind != RR_BLOCK_PARA ? j : 0;
}

static float keep_height(const pdfw *w, const rr_doc_section *s, size_t i)
{
    float h = block_lead_height(w, &s->blocks[i]);
    size_t end = intro_run_end(w, s, i);
    for (size_t j = i + 1; end && j <= end; j++) h += BLOCK_GAP + block_lead_height(w, &s->blocks[j]);
    float avail = w->top - w->bottom;
    return h < avail ? h : avail;
}

static int draw_section(pdfw *w, const rr_doc_section *s, HPDF_Encoder enc)
{
    doing(w, "laying out section", s->title);
    /* a long heading wraps (never cut: it is also the outline entry's text) */
    wrapped head;
    pdf_wrap(&head, w->bold, SZ_H1, S(s->title), w->right - w->left);
    size_t hl = head.n ? head.n : 1;
    float hh = SZ_H1 * 1.3f * (float)hl + 14;
    float first = s->nblocks ? keep_height(w, s, 0) : 0;
    gap(w, SECTION_GAP);
    if (ensure(w, hh + first) < 0) { pdf_wrap_free(&head); return -1; }
    HPDF_Page p = w->page;
    HPDF_Destination dst = HPDF_Page_CreateDestination(p);
    HPDF_Destination_SetFitH(dst, w->y + 12);
    HPDF_Outline ol = HPDF_CreateOutline(w->pdf, NULL, S(s->title), enc);
    HPDF_Outline_SetDestination(ol, dst);
    w->y -= draw_wrapped(w, &head, 0, head.n, w->bold, SZ_H1, 1.3f, C_ACCENT, w->left, w->y, w->right - w->left,
                         AL_LEFT);
    pdf_wrap_free(&head);
    w->y -= 4;
    hline(p, C_RULE, 0.6f, w->left, w->right, w->y);
    w->y -= 14;
    for (size_t i = 0; i < s->nblocks && !failed(w); i++) {
        const rr_block *b = &s->blocks[i];
        if (i > 0) {
            gap(w, BLOCK_GAP);
            /* an intro paragraph goes to the next page with what it introduces */
            if (intro_run_end(w, s, i) && ensure(w, keep_height(w, s, i)) < 0) break;
        }
        switch (b->kind) {
        case RR_BLOCK_PARA:
            flow_text(w, b->text, w->reg, b->note ? SZ_SMALL : SZ_BODY, b->note ? C_MUTED : C_TEXT, w->left,
                      w->right - w->left);
            break;
        case RR_BLOCK_LIST: block_list(w, b); break;
        case RR_BLOCK_KPIS: block_kpis(w, b); break;
        case RR_BLOCK_TABLE: if (b->table) block_table(w, b->table); break;
        case RR_BLOCK_CHART: if (b->chart) block_chart(w, b); break;
        case RR_BLOCK_WARN: block_warn(w, b); break;
        case RR_BLOCK_STATUS: block_status(w, b); break;
        case RR_BLOCK_SUBHEAD:   /* never last on a page: with the start of what it heads */
            if (i + 1 < s->nblocks &&
                ensure(w, SZ_SUBHEAD * LEAD + BLOCK_GAP / 2 + block_lead_height(w, &s->blocks[i + 1])) < 0)
                break;
            block_subhead(w, b);
            break;
        }
    }
    return failed(w) ? -1 : 0;
}

/* Running header and footer on pages 2..N. */

/* "Page {page} / {pages}" with the numbers put in (the catalogue orders them) */
static void page_number(const char *tmpl, size_t page, size_t pages, char *out, size_t cap)
{
    size_t w = 0;
    for (const char *t = tmpl; *t && w + 1 < cap;) {
        size_t v = 0;
        int k = !strncmp(t, "{page}", 6) ? 6 : !strncmp(t, "{pages}", 7) ? 7 : 0;
        if (k) {
            v = k == 6 ? page : pages;
            int n = snprintf(out + w, cap - w, "%zu", v);
            w += n > 0 && (size_t)n < cap - w ? (size_t)n : 0;
            t += k;
        } else {
            out[w++] = *t++;
        }
    }
    out[w] = 0;
}

static void draw_furniture(pdfw *w)
{
    const rr_doc *d = w->doc;
    float cw = w->right - w->left;
    const char *page_of = tr(d, "pdf.page_of", "Page {page} / {pages}");   /* zh: 第 {page} 页 / 共 {pages} 页 */
    for (size_t i = 1; i < w->npages && !failed(w); i++) {
        HPDF_Page p = w->pages[i];
        float hy = w->top + 22;
        pdf_draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left, hy, cw * 0.62f, AL_LEFT, d->title);
        pdf_draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left + cw * 0.64f, hy, cw * 0.36f, AL_RIGHT,
                  d->period_label);
        hline(p, C_RULE, 0.5f, w->left, w->right, hy - 7);
        float fy = w->bottom - 30;
        char num[160];
        page_number(page_of, i + 1, w->npages, num, sizeof num);
        pdf_draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left, fy, cw * 0.7f, AL_LEFT,
                  d->confidentiality);
        pdf_draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left + cw * 0.7f, fy, cw * 0.3f, AL_RIGHT, num);
    }
}

static void set_meta(pdfw *w, long long epoch)
{
    const rr_doc *d = w->doc;
    HPDF_SetInfoAttr(w->pdf, HPDF_INFO_CREATOR, "revreport");
    if (d->title && *d->title) HPDF_SetInfoAttr(w->pdf, HPDF_INFO_TITLE, d->title);
    if (d->author && *d->author) HPDF_SetInfoAttr(w->pdf, HPDF_INFO_AUTHOR, d->author);
    if (d->subject && *d->subject) HPDF_SetInfoAttr(w->pdf, HPDF_INFO_SUBJECT, d->subject);
    if (d->keywords && *d->keywords) HPDF_SetInfoAttr(w->pdf, HPDF_INFO_KEYWORDS, d->keywords);
    time_t t = (time_t)epoch;
    struct tm tm;
    if (gmtime_r(&t, &tm)) {
        HPDF_Date dt = {0};
        dt.year = tm.tm_year + 1900; dt.month = tm.tm_mon + 1; dt.day = tm.tm_mday;
        dt.hour = tm.tm_hour; dt.minutes = tm.tm_min; dt.seconds = tm.tm_sec;
        dt.ind = 'Z';
        HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, dt);
        HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, dt);
    }
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ISO 19005-1 6.3.5: the font descriptor of a subset CIDFont holds a
 * /CIDSet stream, one bit per CID (the high bit of byte 0 is CID 0), set for
 * every CID whose glyph is in the embedded font program.  libharu 2.3 writes
 * Identity-H TrueType CIDFonts whose CIDs are the BMP code points (its
 * CIDToGIDMap maps them to glyph ids) and keeps only the glyphs flagged used
 * (pdf_glyph_closure adds the parts of composite glyphs), so those flags
 * decide.  The descriptor is made by the font's before-write function, which
 * is run here (all text is drawn by now) so that the stream can be added. */
static void add_cidset(pdfw *w, HPDF_Font font)
{
#if HPDF_MAJOR_VERSION == 2 && HPDF_MINOR_VERSION == 3
    if (!font) return;
    HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
    if (!fa || !fa->fontdef || fa->fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE || !fa->descendant_font) return;
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)fa->fontdef->attr;
    if (!a || !a->embedding || !a->glyph_tbl.flgs) return;
    if (!fa->fontdef->descriptor && font->before_write_fn && font->before_write_fn(font) != HPDF_OK) return;
    HPDF_Dict desc = fa->fontdef->descriptor;
    if (!desc || HPDF_Dict_GetItem(desc, "CIDSet", HPDF_OCLASS_DICT)) return;
    unsigned char *bits = rr_xcalloc(8192, 1);
    size_t top = 0;
    bits[0] = 0x80;                               /* CID 0 (.notdef) is always there */
    for (unsigned cid = 1; cid < 65536; cid++) {
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(fa->fontdef, (HPDF_UINT16)cid);
        if (!gid || gid >= a->num_glyphs || !a->glyph_tbl.flgs[gid]) continue;
        bits[cid >> 3] |= (unsigned char)(0x80u >> (cid & 7));
        top = cid;
    }
    HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    if (s) {
        s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        HPDF_Stream_Write(s->stream, bits, (HPDF_UINT)(top / 8 + 1));
        HPDF_Dict_Add(desc, "CIDSet", s);
    }
    free(bits);
#else
    (void)w; (void)font;
#endif
}

/* The archival copy: input CSVs attached (named by their file name only, so
 * the bytes do not depend on where the inputs were); PDF/A-1b: libharu
 * writes the XMP metadata from the info dictionary set above and an /ID from
 * the clock, which is replaced by one from the document's identity; the
 * output intent is Debian's sRGB profile (icc-profiles-free) when present. */
static void archival(pdfw *w, const rr_pdf_opts *o)
{
    char **names = NULL;
    size_t n = 0;
    DIR *dir = o->attach_dir ? opendir(o->attach_dir) : NULL;
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || e->d_name[0] == '.' || strcmp(e->d_name + l - 4, ".csv") != 0) continue;
        names = rr_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = rr_xstrdup(e->d_name);
    }
    if (dir) closedir(dir);
    if (n) qsort(names, n, sizeof *names, cmp_name);
    /* libharu 2.3.0 files attachments under their full path in a name tree
     * whose /Names array it gets wrong past one entry: rebuild that array,
     * sorted, with the file names only */
    HPDF_Array tree = n ? HPDF_Array_New(w->pdf->mmgr) : NULL;
    for (size_t i = 0; i < n; i++) {
        char *path = rr_xasprintf("%s/%s", o->attach_dir, names[i]);
        HPDF_EmbeddedFile ef = HPDF_AttachFile(w->pdf, path);
        if (ef && tree) {
            HPDF_Dict_Add((HPDF_Dict)ef, "F", HPDF_String_New(w->pdf->mmgr, names[i], NULL));
            HPDF_Array_Add(tree, HPDF_String_New(w->pdf->mmgr, names[i], NULL));
            HPDF_Array_Add(tree, ef);
        }
        free(path);
        free(names[i]);
    }
    free(names);
    HPDF_NameDict nd = tree ? HPDF_Catalog_GetNames(w->pdf->catalog) : NULL;
    HPDF_NameTree nt = nd ? HPDF_NameDict_GetNameTree(nd, HPDF_NAME_EMBEDDED_FILES) : NULL;
    if (nt) HPDF_Dict_Add(nt, "Names", tree);
    /* PDF/A-1 forbids embedded files: with attachments no conformance is claimed */
    if (!o->pdfa || n) return;
    /* ISO 19005-1 6.2.2: device-dependent colour (our DeviceRGB) needs a
     * PDF/A output intent; without the profile, no claim at all */
    const char *iccp = o->icc_path ? o->icc_path : "/usr/share/color/icc/sRGB.icc";
    FILE *icc = fopen(iccp, "rb");
    if (!icc) return;
    fclose(icc);
    HPDF_OutputIntent oi = HPDF_LoadIccProfileFromFile(w->pdf, iccp, 3);
    if (!oi || HPDF_PDFA_AppendOutputIntents(w->pdf, "sRGB IEC61966-2.1", oi) != HPDF_OK) {
        HPDF_ResetError(w->pdf);
        w->herr = 0;
        return;
    }

    /* libharu 2.3.0 cannot turn a 'Z' date into XMP (HPDF_INVALID_PARAMETER): say +00'00' */
    time_t et = (time_t)o->epoch;
    struct tm tm;
    if (gmtime_r(&et, &tm)) {
        HPDF_Date dt = {0};
        dt.year = tm.tm_year + 1900; dt.month = tm.tm_mon + 1; dt.day = tm.tm_mday;
        dt.hour = tm.tm_hour; dt.minutes = tm.tm_min; dt.seconds = tm.tm_sec;
        dt.ind = '+';
        HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, dt);
        HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, dt);
    }
    HPDF_PDFA_SetPDFAConformance(w->pdf, HPDF_PDFA_1B);
    /* ... and names the metadata stream's /Subtype "/SubType" */
    HPDF_Dict meta = HPDF_Dict_GetItem(w->pdf->catalog, "Metadata", HPDF_OCLASS_DICT);
    if (meta) {
        HPDF_Dict_RemoveElement(meta, "SubType");
        HPDF_Dict_AddName(meta, "Subtype", "XML");
        /* ... and pastes the info strings into the XMP unescaped ("Procter &
         * Gamble" broke it): the packet is rewritten by libxml2 (xmp.c) */
        char date[40] = "";
        if (gmtime_r(&et, &tm)) strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
        const rr_doc *d = w->doc;
        rr_xmp x = {
            .title = d->title && *d->title ? d->title : NULL,
            .creator = d->author && *d->author ? d->author : NULL,
            .description = d->subject && *d->subject ? d->subject : NULL,
            .keywords = d->keywords && *d->keywords ? d->keywords : NULL,
            .creator_tool = "revreport",
            .producer = HPDF_GetInfoAttr(w->pdf, HPDF_INFO_PRODUCER),
            .date = *date ? date : NULL,
            .pdfa_part = 1,
            .pdfa_conformance = "B",
        };
        char *packet = rr_xmp_packet(&x);
        if (meta->stream) {
            HPDF_MemStream_FreeData(meta->stream);
            HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)packet, (HPDF_UINT)strlen(packet));
        }
        free(packet);
    }
    rr_sha256 s;
    unsigned char id[32];
    const char *t = w->doc->title ? w->doc->title : "", *p = w->doc->period_label ? w->doc->period_label : "";
    rr_sha256_init(&s);
    rr_sha256_update(&s, t, strlen(t) + 1);
    rr_sha256_update(&s, p, strlen(p) + 1);
    rr_sha256_update(&s, &o->epoch, sizeof o->epoch);
    rr_sha256_final(&s, id);
    HPDF_Array arr = HPDF_Array_New(w->pdf->mmgr);
    if (arr) {
        HPDF_Array_Add(arr, HPDF_Binary_New(w->pdf->mmgr, id, 16));
        HPDF_Array_Add(arr, HPDF_Binary_New(w->pdf->mmgr, id, 16));
        HPDF_Dict_Add(w->pdf->trailer, "ID", arr);
    }
}

rr_pdf_opts rr_pdf_opts_default(void)
{
    rr_pdf_opts o = { RR_PDF_A4, 0, NULL, (long long)time(NULL), 0, NULL, NULL };
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        errno = 0;
        long long v = strtoll(e, &end, 10);
        if (errno == 0 && *end == 0 && v >= 0) o.epoch = v;
    }
    return o;
}

static const char *hpdf_err_text(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_FILE_OPEN_ERROR: return "cannot open file";
    case HPDF_FILE_IO_ERROR: return "file i/o error";
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_INVALID_PNG_IMAGE: return "invalid PNG image";
    case HPDF_UNSUPPORTED_FUNC: return "unsupported (libharu built without libpng?)";
    case HPDF_TTF_INVALID_FOMAT: return "invalid TrueType font";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "font does not allow embedding";
    case HPDF_INVALID_ENCODER: return "invalid encoder";
    case HPDF_INVALID_PARAMETER: return "invalid parameter";
    default: return "libharu error";
    }
}


rr_status rr_pdf_write(const rr_doc *doc, const rr_pdf_opts *opts, const char *path,
                       rr_error *err)
{
    pdfw w;
    memset(&w, 0, sizeof w);
    rr_status st = RR_ERR_RENDER;
    rr_pdf_opts o = opts ? *opts : rr_pdf_opts_default();
    const char *font_dir = o.font_dir && *o.font_dir ? o.font_dir : RR_FONTDIR;
    w.doc = doc;
    doing(&w, "starting libharu", NULL);
    w.pdf = HPDF_New(on_hpdf_error, &w);
    if (!w.pdf) { snprintf(w.detail, sizeof w.detail, "libharu could not start"); goto out; }
    w.size = o.paper == RR_PDF_LETTER ? HPDF_PAGE_SIZE_LETTER : HPDF_PAGE_SIZE_A4;
    w.dir = o.landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT;
    float a = o.paper == RR_PDF_LETTER ? 612.0f : 595.276f;
    float b = o.paper == RR_PDF_LETTER ? 792.0f : 841.89f;
    w.pw = o.landscape ? b : a;
    w.ph = o.landscape ? a : b;
    w.left = 56; w.right = w.pw - 56;
    w.top = w.ph - 70; w.bottom = 62;

    /* set up: compression, UTF-8, fonts, metadata */
    HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(w.pdf);
    HPDF_SetCurrentEncoder(w.pdf, "UTF-8");
    HPDF_SetPageMode(w.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    if (failed(&w) || pdf_load_fonts(&w, font_dir) < 0) goto out;
    HPDF_Encoder enc = HPDF_GetEncoder(w.pdf, "UTF-8");
    doing(&w, "writing metadata", NULL);
    set_meta(&w, o.epoch);
    if (o.pdfa || o.attach_dir) archival(&w, &o);
    if (failed(&w)) goto out;

    /* cover, then the sections, then header/footer on every page */
    if (draw_cover(&w) < 0) goto out;
    for (size_t i = 0; i < doc->nsections; i++)
        if (draw_section(&w, &doc->sections[i], enc) < 0) goto out;
    doing(&w, "drawing page headers and footers", NULL);
    draw_furniture(&w);
    if (failed(&w)) goto out;

    /* write the file */
    doing(&w, "writing", path);
    pdf_fonts_finish(&w);
    /* PDF/A claimed (archival() found the output intent): 6.3.5, every embedded
     * subset CIDFont lists its CIDs, now that every glyph is known */
    if (o.pdfa && HPDF_Dict_GetItem(w.pdf->catalog, "OutputIntents", HPDF_OCLASS_ARRAY)) {
        add_cidset(&w, w.freg.latin);
        add_cidset(&w, w.fbold.latin);
        for (size_t i = 1; w.fb && i < rr_fontset_count(w.fs); i++) add_cidset(&w, w.fb[i]);
    }
    if (HPDF_SaveToFile(w.pdf, path) != HPDF_OK || failed(&w)) goto out;
    st = RR_OK;
out:
    if (st != RR_OK) {
        if (w.detail[0])
            rr_error_set(err, st, path, 0, 0, NULL, "pdf: %s", w.detail);
        else
            rr_error_set(err, st, path, 0, 0, NULL, "pdf: %s: %s (libharu error 0x%04X, detail %u)",
                         w.what, hpdf_err_text(w.herr), (unsigned)w.herr, (unsigned)w.hdetail);
    }
    if (w.pdf) HPDF_Free(w.pdf);
    free(w.pages);
    free(w.fb);
    rr_fontset_free(w.fs);
    rr_strbuf_free(&w.tmp);
    return st;
}
