/* pdf_int.h: what the two halves of the PDF writer share (not public).
 * pdf.c lays out pages and blocks; pdf_font.c owns fonts, scripts, line
 * breaking and text drawing.  The writer state pdfw is owned by
 * rr_pdf_write() for one run. */
#ifndef RR_PDF_INT_H
#define RR_PDF_INT_H
#include <stdio.h>
#include <string.h>
#include <hpdf.h>
#include "revreport/doc.h"
#include "revreport/fontset.h"
#include "revreport/strbuf.h"

/* ---- design: one accent colour, neutral greys, one type scale ---- */
typedef struct { float r, g, b; } rgb;
static const rgb C_ACCENT = { 0x1f / 255.f, 0x4e / 255.f, 0x79 / 255.f };  /* #1f4e79 */
static const rgb C_INK = { 0x1a / 255.f, 0x20 / 255.f, 0x2c / 255.f };     /* headings, values */
static const rgb C_TEXT = { 0x33 / 255.f, 0x3a / 255.f, 0x45 / 255.f };    /* body */
static const rgb C_MUTED = { 0x6b / 255.f, 0x72 / 255.f, 0x80 / 255.f };   /* labels, notes */
static const rgb C_RULE = { 0xd5 / 255.f, 0xda / 255.f, 0xe1 / 255.f };    /* hairlines */
static const rgb C_ZEBRA = { 0xf4 / 255.f, 0xf6 / 255.f, 0xf9 / 255.f };   /* table stripes, tiles */
static const rgb C_GOOD = { 0x1e / 255.f, 0x7b / 255.f, 0x4a / 255.f };
static const rgb C_BAD = { 0xb4 / 255.f, 0x23 / 255.f, 0x18 / 255.f };
static const rgb C_WARN = { 0xb7 / 255.f, 0x79 / 255.f, 0x1f / 255.f };
static const rgb C_WARN_BG = { 0xfd / 255.f, 0xf6 / 255.f, 0xe7 / 255.f };
static const rgb C_WHITE = { 1, 1, 1 };

enum { SZ_COVER = 30 };            /* cover title */
#define SZ_H1 18.0f                /* section heading */
#define SZ_H2 11.0f                /* table caption, cover period, tile value base */
#define SZ_BODY 10.0f              /* paragraphs, lists, warnings */
#define SZ_SMALL 8.5f              /* tables, captions, header, footer, tile labels */
#define SZ_KPI 18.0f               /* big KPI value */
#define LEAD 1.45f                 /* line height / font size for running text */
#define LEAD_TIGHT 1.3f            /* tables, tiles */
#define BLOCK_GAP 16.0f            /* space between blocks */
#define SECTION_GAP 30.0f          /* extra space before a section heading */
#define CHART_PX 0.75f             /* a chart layout px is a CSS px: 0.75 pt, as in the HTML */
#define CHART_SCALE 2.25f
#define KEEP_LINES 6               /* a bullet, callout or intro of up to this many lines is never split */
#define INTRO_LINES 12             /* a paragraph up to this long goes with the chart/table it introduces */
#define KEEP_ROWS 4                /* a table starts with at least its header and this many rows */          /* device px per layout px: 2.25 / 0.75 = 3 px/pt = 216 dpi */

/* ---- fonts: a face is DejaVu Sans (Bold) plus, for every run of text it
 * lacks, the installed TrueType font that has the run's characters
 * (fontset.h: fontconfig coverage; Han in the report language's font
 * first).  libharu shows one font per text run, so text is split into runs
 * (see pdf_text_w, pdf_draw_n).  Fallback fonts have no bold: bold runs in
 * them are filled and stroked. ---- */
typedef struct {
    HPDF_Font latin;               /* DejaVu Sans or DejaVu Sans Bold */
    HPDF_Font *fb;                 /* per fontset face: the loaded font, NULL when not needed (shared) */
    const rr_fontset *fs;          /* NULL before the fonts are loaded */
    int bold;
} face;
typedef const face *pfont;

/* ---- the writer's state for one run ---- */
typedef struct {
    HPDF_Doc pdf;
    face freg, fbold;
    char font_path[2][1024];       /* files of freg.latin, fbold.latin */
    rr_fontset *fs;                /* which font draws which run */
    HPDF_Font *fb;                 /* per fontset face (fs), loaded when the document needs it */
    pfont reg, bold;
    const rr_doc *doc;
    HPDF_PageSizes size;
    HPDF_PageDirection dir;
    float pw, ph;                  /* page size */
    float left, right, top, bottom;/* content box */
    HPDF_Page page;                /* current page */
    float y;                       /* top of the free space on the current page */
    HPDF_Page *pages;
    size_t npages, cap;
    HPDF_STATUS herr, hdetail;     /* first libharu error */
    char what[1200];               /* what we were doing (for the message) */
    char detail[2048];             /* our own error text, if not libharu's */
    rr_strbuf tmp;                 /* scratch for NUL-terminated text */
    float tsz, hsz, tpadx;         /* body and header font sizes and cell padding of the current table */
} pdfw;

static inline int failed(const pdfw *w) { return w->herr != 0 || w->detail[0] != 0; }

static inline void doing(pdfw *w, const char *what, const char *name)
{
    snprintf(w->what, sizeof w->what, "%s%s%s%s", what, name ? " '" : "", name ? name : "",
             name ? "'" : "");
}

static inline const char *S(const char *s) { return s ? s : ""; }

/* A catalogue string, with the English default when the catalogue lacks it. */
static inline const char *tr(const rr_doc *d, const char *key, const char *dflt)
{
    const char *s = rr_doc_tr(d, key);
    return (!s || !*s || strcmp(s, key) == 0) ? dflt : s;
}

static inline void fill_rgb(HPDF_Page p, rgb c) { HPDF_Page_SetRGBFill(p, c.r, c.g, c.b); }
static inline void stroke_rgb(HPDF_Page p, rgb c) { HPDF_Page_SetRGBStroke(p, c.r, c.g, c.b); }

enum { AL_LEFT, AL_RIGHT, AL_CENTER };

/* ---- word wrapping at spaces, and inside over-long words at UTF-8
 * character boundaries ---- */
typedef struct { size_t off, len; } span;
typedef struct {
    char *text;                    /* cleaned copy of the input */
    span *lines;
    size_t n, cap;
} wrapped;

/* ---- pdf_font.c ---- */
/* A fresh copy of s safe for libharu (invalid UTF-8 -> U+FFFD; '\n' kept
 * only when keep_nl); the caller frees it. */
char *pdf_clean_utf8(const char *s, int keep_nl);
/* Width in points of n bytes of clean UTF-8 at size. */
float pdf_text_w(pfont f, float size, const char *s, size_t n);
/* Draw n bytes of clean UTF-8 with the baseline at (x, y). */
void pdf_draw_n(pdfw *w, HPDF_Page p, pfont f, float size, rgb c, float x, float y,
                const char *s, size_t n);
/* Draw one line of raw doc text, cut with an ellipsis to maxw, aligned (AL_*). */
void pdf_draw_line(pdfw *w, HPDF_Page p, pfont f, float size, rgb c, float x, float y,
                   float maxw, int align, const char *raw);
/* Wrap raw text to maxw into o (free with pdf_wrap_free). */
void pdf_wrap(wrapped *o, pfont f, float size, const char *raw, float maxw);
void pdf_wrap_free(wrapped *o);
/* Width of the widest unbreakable piece of s. */
float pdf_longest_word(pfont f, float size, const char *s);
/* Load DejaVu and every fallback font the document's text needs; -1 with
 * w->detail or the libharu error set. */
int pdf_load_fonts(pdfw *w, const char *dir);
/* Before saving: mark the composite-glyph closure of the used glyphs. */
void pdf_glyph_closure(HPDF_Font font, const char *path);
/* Before saving: the same for every font the writer loaded; then free its fontset. */
void pdf_fonts_finish(pdfw *w);

#endif
