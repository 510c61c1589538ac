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
#include <hpdf_font.h>      /* glyph_closure: libharu 2.3 font internals */
#include <hpdf_catalog.h>
#include <hpdf_doc.h>
#include <hpdf_namedict.h>
#include <hpdf_pdfa.h>
#include "revreport/csvin.h"
#include "revreport/pdf.h"
#include "revreport/chart.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

#ifndef RR_FONTDIR
#define RR_FONTDIR "/usr/share/fonts/truetype/dejavu"
#endif

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

/* ---- fonts: a face is DejaVu for Latin, Greek and Cyrillic plus, when the
 * document has CJK text, one TrueType CJK font (libharu shows one font per
 * text run, so text is split into runs by script; see text_w, draw_n).  The
 * CJK fonts have no bold: bold CJK runs are filled and stroked. ---- */
typedef struct {
    HPDF_Font latin, cjk;          /* cjk NULL: the document has no CJK text */
    int bold;
} face;
typedef const face *pfont;

/* ---- the writer's state for one run ---- */
typedef struct {
    HPDF_Doc pdf;
    face freg, fbold;
    char font_path[3][1024];       /* files of freg.latin, fbold.latin, the CJK font */
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

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *ud)
{
    pdfw *w = ud;
    if (w->herr == 0) { w->herr = code; w->hdetail = detail; }
}

static int failed(const pdfw *w) { return w->herr != 0 || w->detail[0] != 0; }

/* libharu 2.3 gives a TrueType font in the UTF-8 encoding a /ToUnicode stream
 * that is its code -> CID CMap (begincidrange), which is not a ToUnicode CMap:
 * poppler warns "Invalid 'begincidrange' operator in ToUnicode CMap" and
 * text extraction, search and PDF/A validators rely on a guess.  The codes
 * are the characters' UTF-16 units (CID = Unicode, CIDToGIDMap does the
 * rest), so the right map is the identity: one bfrange per high byte (the
 * PDF spec keeps a bfrange inside one last byte's range), surrogates left
 * out, at most 100 per block. */
static int fix_tounicode(HPDF_Font font)
{
    HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
    HPDF_Dict cm = attr ? attr->cmap_stream : NULL;
    if (!cm || !cm->stream) return 0;
    rr_strbuf b;
    memset(&b, 0, sizeof b);
    rr_strbuf_printf(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                       "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                       "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int hi[256], n = 0;
    for (int h = 0; h < 256; h++)
        if (h < 0xD8 || h > 0xDF) hi[n++] = h;
    for (int i = 0; i < n; i += 100) {
        int k = n - i < 100 ? n - i : 100;
        rr_strbuf_printf(&b, "%d beginbfrange\n", k);
        for (int j = i; j < i + k; j++) rr_strbuf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi[j], hi[j], hi[j]);
        rr_strbuf_printf(&b, "endbfrange\n");
    }
    rr_strbuf_printf(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_MemStream_FreeData(cm->stream);
    HPDF_STATUS st = HPDF_Stream_Write(cm->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    rr_strbuf_free(&b);
    HPDF_Dict info = HPDF_Dict_New(cm->mmgr);
    if (st != HPDF_OK || !info) return -1;
    st = HPDF_Dict_Add(info, "Registry", HPDF_String_New(cm->mmgr, "Adobe", NULL));
    st += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(cm->mmgr, "UCS", NULL));
    st += HPDF_Dict_AddNumber(info, "Supplement", 0);
    st += HPDF_Dict_Add(cm, "CIDSystemInfo", info);
    st += HPDF_Dict_AddName(cm, "CMapName", "Adobe-Identity-UCS");
    HPDF_Dict_RemoveElement(cm, "WMode");
    return st == HPDF_OK ? 0 : -1;
}

static void doing(pdfw *w, const char *what, const char *name)
{
    snprintf(w->what, sizeof w->what, "%s%s%s%s", what, name ? " '" : "", name ? name : "",
             name ? "'" : "");
}

static const char *S(const char *s) { return s ? s : ""; }

/* A catalogue string, with the English default when the catalogue lacks it. */
static const char *tr(const rr_doc *d, const char *key, const char *dflt)
{
    const char *s = rr_doc_tr(d, key);
    return (!s || !*s || strcmp(s, key) == 0) ? dflt : s;
}

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s (1..3 bytes: libharu's UTF-8
 * encoder handles the BMP), or 0 when it is invalid or outside the BMP. */
static size_t u8len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) return (n >= 2 && (s[1] & 0xc0) == 0x80) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80) return 0;
        if (c == 0xe0 && s[1] < 0xa0) return 0;           /* overlong */
        if (c == 0xed && s[1] >= 0xa0) return 0;          /* surrogates */
        return 3;
    }
    return 0;
}

/* Copy s into a fresh string that is safe to hand to libharu: invalid or
 * non-BMP sequences become U+FFFD, tabs and CR become spaces, other control
 * characters are dropped; '\n' is kept only when keep_nl. */
static char *clean_utf8(const char *s, int keep_nl)
{
    rr_strbuf b = {0};
    size_t n = strlen(S(s));
    const unsigned char *p = (const unsigned char *)S(s);
    rr_strbuf_add(&b, "", 0);
    for (size_t i = 0; i < n;) {
        size_t k = u8len(p + i, n - i);
        if (k == 0) {
            rr_strbuf_add(&b, "\xef\xbf\xbd", 3);
            i++;
            while (i < n && (p[i] & 0xc0) == 0x80) i++;     /* rest of a bad sequence */
            continue;
        }
        if (k == 1 && p[i] < 0x20) {
            if (p[i] == '\n' && keep_nl) rr_strbuf_add(&b, "\n", 1);
            else if (p[i] == '\t' || p[i] == '\r' || p[i] == '\n') rr_strbuf_add(&b, " ", 1);
        } else {
            rr_strbuf_add(&b, p + i, k);
        }
        i += k;
    }
    return rr_strbuf_steal(&b);
}

/* ---- text measurement and drawing ---- */

/* Does the (valid, BMP) UTF-8 character at s belong to the CJK font: CJK
 * punctuation, kana, Hangul, ideographs, full- and half-width forms. */
static int is_cjk(const unsigned char *s, size_t k)
{
    if (k != 3) return 0;
    unsigned cp = ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
    return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
           (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
           (cp >= 0xff00 && cp <= 0xffef);
}

/* The code point of the (valid, BMP) UTF-8 character at s of length k. */
static unsigned cp_at(const unsigned char *s, size_t k)
{
    if (k == 2) return ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
    if (k == 3) return ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
    return s[0];
}

static int cp_cjk(unsigned cp)
{
    return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
           (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
           (cp >= 0xff00 && cp <= 0xffef);
}

/* Katakana (with the long vowel mark and the middle dot) and half-width
 * katakana: a run of them is one word ("マーケティング"). */
static int cp_katakana(unsigned cp)
{
    return (cp >= 0x30a0 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) ||
           (cp >= 0xff65 && cp <= 0xff9f);
}

/* Kinsoku: characters that must not start a line (closing brackets and
 * punctuation, small kana, the long vowel and iteration marks). */
static int cp_no_break_before(unsigned cp)
{
    static const unsigned P[] = {
        0x3001, 0x3002, 0xff0c, 0xff0e, 0xff1a, 0xff1b, 0xff01, 0xff1f, 0xff09, 0xff3d, 0xff5d,
        0x300d, 0x300f, 0x3011, 0x3009, 0x300b, 0x3015, 0x3017, 0x3019, 0x301f, 0x30fc, 0x3005,
        0x309d, 0x309e, 0x30fd, 0x30fe, 0x30fb, 0x301c, 0xff5e, 0xff64, 0xff61, 0xff63, 0xff70,
        0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x308e, 0x3095,
        0x3096, 0x30a1, 0x30a3, 0x30a5, 0x30a7, 0x30a9, 0x30c3, 0x30e3, 0x30e5, 0x30e7, 0x30ee,
        0x30f5, 0x30f6, ')', ']', '}', ',', '.', ':', ';', '!', '?', '%', 0xbb, 0x201d, 0x2019,
        0x2026, 0x00a0, 0x202f, 0x2009};
    if (cp >= 0x31f0 && cp <= 0x31ff) return 1;                 /* small katakana extension */
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++)
        if (P[i] == cp) return 1;
    return 0;
}

/* ... and characters that must not end a line (opening brackets). */
static int cp_no_break_after(unsigned cp)
{
    static const unsigned P[] = {0x300c, 0x300e, 0x3010, 0x3008, 0x300a, 0x3014, 0x3016, 0x3018,
                                 0x301d, 0xff08, 0xff3b, 0xff5b, 0xff62, '(', '[', '{', 0xab,
                                 0x201c, 0x2018, 0x00a0, 0x202f, 0x2009};
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++)
        if (P[i] == cp) return 1;
    return 0;
}

int rr_pdf_break_between(unsigned a, unsigned b)
{
    if (a == ' ' || a == '\n') return 1;                         /* after a space */
    if (b == ' ' || b == '\n') return 0;                         /* the space is the break */
    if (cp_no_break_after(a) || cp_no_break_before(b)) return 0;
    if (!cp_cjk(a) && !cp_cjk(b)) return 0;                      /* inside a word; NBSP glues */
    if (cp_katakana(a) && cp_katakana(b)) return 0;              /* one katakana word */
    /* a number stays with the CJK text around it: "第4四半期", "10月" */
    if ((a >= '0' && a <= '9') || a == '.' || a == ',' || (b >= '0' && b <= '9')) return 0;
    return 1;                                                    /* between CJK characters */
}

/* Length of the run at s drawn with one font, and that font. */
static size_t font_run(pfont f, const char *s, size_t n, HPDF_Font *font)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    int cjk = -1;
    while (i < n) {
        size_t k = u8len(u + i, n - i);
        if (k == 0) k = 1;
        int c = f->cjk && is_cjk(u + i, k);
        if (cjk >= 0 && c != cjk) break;
        cjk = c;
        i += k;
    }
    *font = cjk > 0 ? f->cjk : f->latin;
    return i;
}

static float text_w(pfont f, float size, const char *s, size_t n)
{
    float w = 0;
    for (size_t i = 0; i < n;) {
        HPDF_Font font;
        size_t k = font_run(f, s + i, n - i, &font);
        HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s + i, (HPDF_UINT)k);
        w += (float)tw.width * size / 1000.0f;
        i += k;
    }
    return w;
}

static void fill_rgb(HPDF_Page p, rgb c) { HPDF_Page_SetRGBFill(p, c.r, c.g, c.b); }
static void stroke_rgb(HPDF_Page p, rgb c) { HPDF_Page_SetRGBStroke(p, c.r, c.g, c.b); }

/* Draw n bytes of already clean UTF-8 text with its baseline at (x, y). */
static void draw_n(pdfw *w, HPDF_Page p, pfont f, float size, rgb c, float x, float y,
                   const char *s, size_t n)
{
    if (n == 0) return;
    int fake_bold = 0;
    for (size_t i = 0; i < n;) {
        HPDF_Font font;
        size_t k = font_run(f, s + i, n - i, &font);
        if (f->bold && font == f->cjk) fake_bold = 1;
        i += k;
    }
    if (fake_bold) {                       /* bold CJK: fill + a thin stroke */
        HPDF_Page_GSave(p);
        HPDF_Page_SetLineWidth(p, size * 0.035f);
        stroke_rgb(p, c);
    }
    HPDF_Page_BeginText(p);
    fill_rgb(p, c);
    for (size_t i = 0; i < n;) {
        HPDF_Font font;
        size_t k = font_run(f, s + i, n - i, &font);
        rr_strbuf_reset(&w->tmp);
        rr_strbuf_add(&w->tmp, s + i, k);
        HPDF_Page_SetFontAndSize(p, font, size);
        HPDF_Page_SetTextRenderingMode(p, f->bold && font == f->cjk ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
        HPDF_Page_TextOut(p, x, y, w->tmp.data);
        x += text_w(f, size, s + i, k);
        i += k;
    }
    HPDF_Page_EndText(p);
    if (fake_bold) HPDF_Page_GRestore(p);
}

enum { AL_LEFT, AL_RIGHT, AL_CENTER };

/* Draw one line of raw doc text, cut with "…" to maxw, aligned within
 * [x, x + maxw]. */
static void draw_line(pdfw *w, HPDF_Page p, pfont f, float size, rgb c, float x, float y,
                      float maxw, int align, const char *raw)
{
    char *s = clean_utf8(raw, 0);
    size_t n = strlen(s);
    float tw = text_w(f, size, s, n);
    char *cut = NULL;
    if (tw > maxw) {
        const char *ell = "\xe2\x80\xa6";
        float ew = text_w(f, size, ell, 3);
        size_t k = 0;
        while (k < n) {
            size_t l = u8len((const unsigned char *)s + k, n - k);
            if (text_w(f, size, s, k + l) + ew > maxw) break;
            k += l;
        }
        cut = rr_xmalloc(k + 4);
        memcpy(cut, s, k);
        memcpy(cut + k, ell, 4);
        n = k + 3;
        tw = text_w(f, size, cut, n);
    }
    float tx = align == AL_RIGHT ? x + maxw - tw : align == AL_CENTER ? x + (maxw - tw) / 2 : x;
    draw_n(w, p, f, size, c, tx, y, cut ? cut : s, n);
    free(cut);
    free(s);
}

/* ---- word wrapping at spaces, and inside over-long words at UTF-8
 * character boundaries ---- */
typedef struct { size_t off, len; } span;
typedef struct {
    char *text;                    /* cleaned copy of the input */
    span *lines;
    size_t n, cap;
} wrapped;

static void wrap_push(wrapped *o, size_t off, size_t len)
{
    o->lines = rr_xgrow(o->lines, &o->cap, o->n + 1, sizeof *o->lines);
    o->lines[o->n].off = off;
    o->lines[o->n].len = len;
    o->n++;
}

/* End of the unbreakable piece of text that starts at the non-space
 * character t[i] (line breaks only where rr_pdf_break_between allows). */
static size_t seg_end(const char *t, size_t i, size_t n)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t l = u8len(u + i, n - i);
    if (l == 0) l = 1;
    unsigned prev = cp_at(u + i, l);
    i += l;
    while (i < n) {
        l = u8len(u + i, n - i);
        if (l == 0) l = 1;
        unsigned c = cp_at(u + i, l);
        if (rr_pdf_break_between(prev, c) || c == ' ' || c == '\n') break;
        prev = c;
        i += l;
    }
    return i;
}

static void wrap(wrapped *o, pfont f, float size, const char *raw, float maxw)
{
    memset(o, 0, sizeof *o);
    o->text = clean_utf8(raw, 1);
    const char *t = o->text;
    size_t n = strlen(t), i = 0;
    while (i <= n) {
        size_t pend = i;                          /* end of this hard line */
        while (pend < n && t[pend] != '\n') pend++;
        size_t ls = i;
        while (ls < pend && t[ls] == ' ') ls++;
        if (ls == pend) wrap_push(o, ls, 0);      /* empty line */
        while (ls < pend) {
            size_t le = ls;                       /* end of the text that fits */
            for (size_t j = ls; j < pend;) {
                size_t we = seg_end(t, j, pend);  /* a word, a number with its unit, one CJK character */
                if (text_w(f, size, t + ls, we - ls) > maxw) break;
                le = j = we;
                while (j < pend && t[j] == ' ') j++;
            }
            if (le == ls) {                       /* one piece wider than the line: the last resort */
                size_t we = seg_end(t, ls, pend), k = ls;
                while (k < we) {
                    size_t l = u8len((const unsigned char *)t + k, pend - k);
                    if (l == 0) l = 1;
                    if (k > ls && text_w(f, size, t + ls, k + l - ls) > maxw) break;
                    k += l;
                }
                le = k;
            }
            wrap_push(o, ls, le - ls);
            ls = le;
            while (ls < pend && t[ls] == ' ') ls++;
        }
        i = pend + 1;
    }
}

/* Width of the widest unbreakable piece of s (the narrowest it can wrap to). */
static float longest_word(pfont f, float size, const char *s)
{
    float m = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        while (i < n && (s[i] == ' ' || s[i] == '\n')) i++;
        if (i >= n) break;
        size_t j = seg_end(s, i, n);
        float x = text_w(f, size, s + i, j - i);
        if (x > m) m = x;
        i = j;
    }
    return m;
}

static void wrap_free(wrapped *o)
{
    free(o->text);
    free(o->lines);
    memset(o, 0, sizeof *o);
}

/* ---- pages ---- */

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
            float tw = text_w(f, size, o->text + l->off, l->len);
            tx = align == AL_RIGHT ? x + wd - tw : x + (wd - tw) / 2;
        }
        draw_n(w, w->page, f, size, c, tx, baseline(top - lh * (float)(i - from), size, lead),
               o->text + l->off, l->len);
    }
    return lh * (float)(to - from);
}

/* Flowing text: wrapped lines, page breaks between lines. */
static int flow_text(pdfw *w, const char *text, pfont f, float size, rgb c, float x, float wd)
{
    wrapped o;
    float lh = size * LEAD;
    wrap(&o, f, size, text, wd);
    for (size_t i = 0; i < o.n; i++) {
        /* keep the last two lines of a paragraph together (no widow) */
        float need = (o.n >= 3 && i == o.n - 2) ? 2 * lh : lh;
        if (ensure(w, need) < 0) break;
        w->y -= draw_wrapped(w, &o, i, i + 1, f, size, LEAD, c, x, w->y, wd, AL_LEFT);
    }
    wrap_free(&o);
    return failed(w) ? -1 : 0;
}

/* ---- cover ---- */

static int draw_cover(pdfw *w)
{
    const rr_doc *d = w->doc;
    if (new_page(w) < 0) return -1;
    HPDF_Page p = w->page;
    float cw = w->right - w->left;
    rect(p, C_ACCENT, 0, 0, 14, w->ph);                     /* accent band */
    float y = w->ph - 72;
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
        float s = iw > 0 && ih > 0 ? 150 / iw : 1;
        if (ih * s > 54) s = 54 / ih;
        HPDF_Page_DrawImage(p, img, w->left, y - ih * s, iw * s, ih * s);
    }
    doing(w, "drawing the cover", NULL);
    y = w->ph * 0.62f;
    draw_line(w, p, w->bold, SZ_H2, C_MUTED, w->left, y, cw, AL_LEFT, d->company);
    y -= 18;
    rect(p, C_ACCENT, w->left, y, 48, 3);
    y -= 14;
    wrapped o;
    wrap(&o, w->bold, SZ_COVER, S(d->title), cw);
    size_t nl = o.n > 3 ? 3 : o.n;
    y -= draw_wrapped(w, &o, 0, nl, w->bold, SZ_COVER, 1.2f, C_INK, w->left, y, cw, AL_LEFT);
    wrap_free(&o);
    y -= 10;
    draw_line(w, p, w->reg, 16, C_ACCENT, w->left, y - 16, cw, AL_LEFT, d->period_label);
    float by = w->bottom + 10;
    hline(p, C_RULE, 0.5f, w->left, w->right, by + 34);
    draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left, by + 16, cw, AL_LEFT, d->generated);
    draw_line(w, p, w->bold, SZ_SMALL, C_MUTED, w->left, by, cw, AL_LEFT, d->confidentiality);
    return failed(w) ? -1 : 0;
}

/* ---- blocks ---- */

static int block_list(pdfw *w, const rr_block *b)
{
    float ind = 16, lh = SZ_BODY * LEAD;
    for (size_t i = 0; i < b->nitems; i++) {
        wrapped o;
        wrap(&o, w->reg, SZ_BODY, b->items[i], w->right - w->left - ind);
        if (o.n <= KEEP_LINES && ensure(w, (float)o.n * lh) < 0) { wrap_free(&o); return -1; }
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
        wrap_free(&o);
        if (i + 1 < b->nitems) w->y -= 3;
        if (failed(w)) return -1;
    }
    return 0;
}

static int block_warn(pdfw *w, const rr_block *b)
{
    float pad = 9, ind = 30, lh = SZ_BODY * LEAD;
    float wd = w->right - w->left;
    for (size_t i = 0; i < b->nitems; i++) {
        wrapped o;
        wrap(&o, w->reg, SZ_BODY, b->items[i], wd - ind - pad);
        float top_pad = (i == 0) ? pad : 3, bot_pad = (i + 1 == b->nitems) ? pad : 3;
        /* a callout of a few lines is never split over pages */
        if (o.n <= KEEP_LINES && ensure(w, (float)o.n * lh + top_pad + bot_pad) < 0) { wrap_free(&o); return -1; }
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
                float ew = text_w(w->bold, SZ_SMALL, "!", 1);
                draw_n(w, p, w->bold, SZ_SMALL, C_WHITE, w->left + 16 - ew / 2,
                       cy - SZ_SMALL * 0.36f, "!", 1);
            }
            draw_wrapped(w, &o, l, l + 1, w->reg, SZ_BODY, LEAD, C_INK, w->left + ind, top, 0,
                         AL_LEFT);
            w->y -= h;
        }
        wrap_free(&o);
        if (failed(w)) return -1;
    }
    return 0;
}

/* KPI tiles: a grid of boxes, one row never split over pages.  A tile shows
 * all of its text: label, value, change and note wrap (never cut), and a
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
    size_t cols = (size_t)((cw + g) / (150 + g));
    if (cols < 1) cols = 1;
    if (cols > n) cols = n;
    size_t rows = (n + cols - 1) / cols;
    cols = (n + rows - 1) / rows;                             /* balance: 4 -> 2x2 */
    float tw = (cw - g * (float)(cols - 1)) / (float)cols, inner = tw - 24 - 3;
    tile_fit *tf = rr_xcalloc(n, sizeof *tf);
    for (size_t i = 0; i < n; i++) {
        const rr_kpi *k = &b->kpis[i];
        wrap(&tf[i].label, w->reg, SZ_SMALL, S(k->label), inner);
        if (!k->label || !*k->label) tf[i].label.n = 0;
        wrap(&tf[i].note, w->reg, SZ_SMALL, S(k->note), inner);
        if (!k->note || !*k->note) tf[i].note.n = 0;
        char *dtxt = rr_xasprintf("%s%s", k->trend > 0 ? "\xe2\x96\xb2 " : k->trend < 0 ? "\xe2\x96\xbc " : "",
                                  S(k->delta));
        wrap(&tf[i].delta, w->bold, SZ_SMALL, dtxt, inner);
        if (!k->delta || !*k->delta) tf[i].delta.n = 0;
        free(dtxt);
        char *v = clean_utf8(S(k->value), 0);
        float vs = SZ_KPI, vw = text_w(w->bold, vs, v, strlen(v));
        if (vw > inner) vs = vs * inner / vw * 0.98f;      /* shrink to fit */
        if (vs < SZ_H2) vs = SZ_H2;
        tf[i].value_size = vs;
        wrap(&tf[i].value, w->bold, vs, v, inner);         /* one line unless it is still too wide */
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
        wrap_free(&tf[i].label); wrap_free(&tf[i].value); wrap_free(&tf[i].delta); wrap_free(&tf[i].note);
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
            char *s = clean_utf8(raw, 0);
            float x = text_w(f, SZ_SMALL, s, strlen(s));
            float m = longest_word(f, SZ_SMALL, s);
            if (r == t->nrows) {
                /* a header of several words may take two lines ("Revenue /
                 * (Linear)"), so the room goes to the columns with long text */
                tc.hmax[c] = x / 2 + 2 > m ? (x / 2 + 2 < x ? x / 2 + 2 : x) : m;
                /* a short header without spaces stays whole: CJK may break
                 * between any two characters, but "商/談" on two lines is not
                 * a header a reader expects */
                tc.hmin[c] = !strchr(s, ' ') && x <= 4.5f * SZ_SMALL ? x : m;
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

static void draw_row(pdfw *w, const rr_table *t, const float *wd, wrapped *cells, float h,
                     pfont f, float sz, rgb c)
{
    float x = w->left;
    for (size_t k = 0; k < t->ncols; k++) {
        int al = t->align[k] == RR_ALIGN_RIGHT ? AL_RIGHT : t->align[k] == RR_ALIGN_CENTER ? AL_CENTER : AL_LEFT;
        draw_wrapped(w, &cells[k], 0, cells[k].n, f, sz, LEAD_TIGHT, c, x + w->tpadx,
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
        if (*p == '.' && p[1] == ' ' && !(p[2] >= 'a' && p[2] <= 'z')) return (size_t)(p - s) + 1;
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
    if (*cap) wrap(&c->t, w->bold, SZ_H2, c->title, cw);
    if (*rest) wrap(&c->note, w->reg, SZ_SMALL, rest, cw);
    c->h = (float)c->t.n * SZ_H2 * LEAD + (float)c->note.n * SZ_SMALL * LEAD + (*cap ? 2 : 0);
}

static void cap_free(capwrap *c)
{
    free(c->title);
    if (c->t.text) wrap_free(&c->t);
    if (c->note.text) wrap_free(&c->note);
}

static void table_head(pdfw *w, const rr_table *t, const float *wd, wrapped *head, float hh,
                       const capwrap *cap, int continued)
{
    float cw = w->right - w->left;
    if (continued) {
        char *txt = rr_xasprintf("%s (%s)", cap->title, tr(w->doc, "pdf.continued", "continued"));
        draw_line(w, w->page, w->reg, SZ_SMALL, C_MUTED, w->left, baseline(w->y, SZ_SMALL, LEAD), cw, AL_LEFT, txt);
        free(txt);
        w->y -= SZ_SMALL * LEAD + 2;
    } else if (cap->t.n) {
        w->y -= draw_wrapped(w, &cap->t, 0, cap->t.n, w->bold, SZ_H2, LEAD, C_INK, w->left, w->y, cw, AL_LEFT);
        w->y -= draw_wrapped(w, &cap->note, 0, cap->note.n, w->reg, SZ_SMALL, LEAD, C_MUTED, w->left, w->y, cw,
                             AL_LEFT);
        w->y -= 2;
    }
    draw_row(w, t, wd, head, hh, w->bold, w->hsz, C_INK);
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
    for (size_t c = 0; c < nc; c++) wrap(&head[c], w->bold, w->hsz, t->headers[c], wd[c] - 2 * w->tpadx);
    float hh = row_height(head, nc, 3, w->hsz);
    capwrap cap;
    cap_wrap(w, t->caption, cw, &cap);
    float caph = cap.h;
    trow *rows = rr_xcalloc(nr ? nr : 1, sizeof *rows);
    for (size_t r = 0; r < nr; r++) {
        rows[r].cells = rr_xcalloc(nc, sizeof *rows[r].cells);
        pfont f = t->row_kind[r] == RR_ROW_TOTAL ? w->bold : w->reg;
        for (size_t c = 0; c < nc; c++)
            wrap(&rows[r].cells[c], f, w->tsz, t->cells[r * nc + c], wd[c] - 2 * w->tpadx);
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
                 kind == RR_ROW_MUTED ? C_MUTED : kind == RR_ROW_TOTAL ? C_INK : C_TEXT);
    }
    hline(w->page, C_RULE, 0.5f, w->left, w->right, w->y);
out:
    for (size_t r = 0; r < nr; r++) {
        for (size_t c = 0; c < nc; c++) wrap_free(&rows[r].cells[c]);
        free(rows[r].cells);
    }
    free(rows);
    for (size_t c = 0; c < nc; c++) wrap_free(&head[c]);
    free(head);
    free(wd);
    cap_free(&cap);
    return failed(w) ? -1 : 0;
}

/* Chart height: about 1:2 on portrait pages; on landscape pages low enough
 * that two charts with their captions share a page. */
static float chart_height(const pdfw *w)
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
    float h = chart_height(w);
    wrapped cap;
    wrap(&cap, w->reg, SZ_SMALL, S(b->text), cw);
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
    wrap_free(&cap);
    free(pix);
    return failed(w) ? -1 : 0;
}

/* Lines of text wrapped at the body size in width wd. */
static size_t body_lines(const pdfw *w, const char *text, float wd)
{
    wrapped o;
    wrap(&o, w->reg, SZ_BODY, S(text), wd);
    size_t n = o.n;
    wrap_free(&o);
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
    case RR_BLOCK_TABLE: {
        capwrap cap;
        cap_wrap(w, b->table ? b->table->caption : "", cw, &cap);
        float h = cap.h + (2 + (float)KEEP_ROWS) * (SZ_SMALL * LEAD_TIGHT + 2 * T_PADY);
        cap_free(&cap);
        return h;
    }
    case RR_BLOCK_CHART: {
        wrapped cap;
        wrap(&cap, w->reg, SZ_SMALL, S(b->text), cw);
        float h = chart_height(w) + (b->text && *b->text ? 6 + (float)cap.n * SZ_SMALL * LEAD : 0);
        wrap_free(&cap);
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
    wrap(&head, w->bold, SZ_H1, S(s->title), w->right - w->left);
    size_t hl = head.n ? head.n : 1;
    float hh = SZ_H1 * 1.3f * (float)hl + 14;
    float first = s->nblocks ? keep_height(w, s, 0) : 0;
    gap(w, SECTION_GAP);
    if (ensure(w, hh + first) < 0) { wrap_free(&head); return -1; }
    HPDF_Page p = w->page;
    HPDF_Destination dst = HPDF_Page_CreateDestination(p);
    HPDF_Destination_SetFitH(dst, w->y + 12);
    HPDF_Outline ol = HPDF_CreateOutline(w->pdf, NULL, S(s->title), enc);
    HPDF_Outline_SetDestination(ol, dst);
    w->y -= draw_wrapped(w, &head, 0, head.n, w->bold, SZ_H1, 1.3f, C_ACCENT, w->left, w->y, w->right - w->left,
                         AL_LEFT);
    wrap_free(&head);
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
        draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left, hy, cw * 0.62f, AL_LEFT, d->title);
        draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left + cw * 0.64f, hy, cw * 0.36f, AL_RIGHT,
                  d->period_label);
        hline(p, C_RULE, 0.5f, w->left, w->right, hy - 7);
        float fy = w->bottom - 30;
        char num[160];
        page_number(page_of, i + 1, w->npages, num, sizeof num);
        draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left, fy, cw * 0.7f, AL_LEFT,
                  d->confidentiality);
        draw_line(w, p, w->reg, SZ_SMALL, C_MUTED, w->left + cw * 0.7f, fy, cw * 0.3f, AL_RIGHT, num);
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
    FILE *icc = fopen("/usr/share/color/icc/sRGB.icc", "rb");
    if (icc) {
        fclose(icc);
        HPDF_OutputIntent oi = HPDF_LoadIccProfileFromFile(w->pdf, "/usr/share/color/icc/sRGB.icc", 3);
        if (oi) HPDF_PDFA_AppendOutputIntents(w->pdf, "sRGB IEC61966-2.1", oi);
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
    rr_pdf_opts o = { RR_PDF_A4, 0, NULL, (long long)time(NULL), 0, NULL };
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

/* What scripts the text of the document needs: 1 = CJK, 2 = kana (so a
 * Japanese font suits it better than a Chinese one). */
static int scan_text(const char *s)
{
    int r = 0;
    const unsigned char *u = (const unsigned char *)S(s);
    for (size_t n = strlen(S(s)), i = 0; i < n;) {
        size_t k = u8len(u + i, n - i);
        if (k == 0) k = 1;
        if (is_cjk(u + i, k)) {
            unsigned cp = ((u[i] & 0x0fu) << 12) | ((u[i + 1] & 0x3fu) << 6) | (u[i + 2] & 0x3fu);
            r |= 1 | (cp >= 0x3040 && cp <= 0x30ff ? 2 : 0);
        }
        i += k;
    }
    return r;
}

static int scan_doc(const rr_doc *d)
{
    int r = scan_text(d->title) | scan_text(d->period_label) | scan_text(d->company) |
            scan_text(d->generated) | scan_text(d->confidentiality) |
            scan_text(tr(d, "pdf.page", "Page")) | scan_text(tr(d, "pdf.continued", "continued"));
    for (size_t i = 0; i < d->nsections; i++) {
        const rr_doc_section *sec = &d->sections[i];
        r |= scan_text(sec->title);
        for (size_t j = 0; j < sec->nblocks; j++) {
            const rr_block *b = &sec->blocks[j];
            r |= scan_text(b->text);
            for (size_t k = 0; k < b->nitems; k++) r |= scan_text(b->items[k]);
            for (size_t k = 0; k < b->nkpis; k++)
                r |= scan_text(b->kpis[k].label) | scan_text(b->kpis[k].value) |
                     scan_text(b->kpis[k].delta) | scan_text(b->kpis[k].note);
            const rr_table *t = b->table;
            if (!t) continue;
            r |= scan_text(t->caption);
            for (size_t k = 0; k < t->ncols; k++) r |= scan_text(t->headers[k]);
            for (size_t k = 0; k < t->nrows * t->ncols; k++) r |= scan_text(t->cells[k]);
        }
    }
    return r;
}

/* TrueType CJK fonts libharu can embed (Noto CJK is CFF: it cannot), by
 * preference: Japanese reports (or kana in the data) IPAGothic first,
 * others WenQuanYi Micro Hei first.  REVREPORT_CJK_FONT=path[:index]
 * names another one. */
static const struct { const char *path; int index; } CJK_FONTS[] = {
    {"/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf", -1},       /* fonts-ipafont-gothic */
    {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0},           /* fonts-wqy-microhei */
    {"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", -1} /* fonts-droid-fallback */
};

static int load_cjk(pdfw *w, int japanese)
{
    static const int ORDER[2][3] = {{1, 2, 0}, {0, 1, 2}};
    char path[1024];
    int index = -1;
    const char *env = getenv("REVREPORT_CJK_FONT");
    for (int i = -1; i < 3; i++) {
        if (i < 0) {
            if (!env || !*env) continue;
            snprintf(path, sizeof path, "%s", env);
            char *colon = strrchr(path, ':'), *end;
            index = -1;
            if (colon && colon[1]) {
                long v = strtol(colon + 1, &end, 10);
                if (*end == 0 && v >= 0) { *colon = 0; index = (int)v; }
            }
        } else {
            int k = ORDER[japanese][i];
            snprintf(path, sizeof path, "%s", CJK_FONTS[k].path);
            index = CJK_FONTS[k].index;
        }
        FILE *fp = fopen(path, "rb");
        if (!fp) continue;
        fclose(fp);
        doing(w, "loading font", path);
        const char *name = index >= 0 ? HPDF_LoadTTFontFromFile2(w->pdf, path, (HPDF_UINT)index, HPDF_TRUE)
                                      : HPDF_LoadTTFontFromFile(w->pdf, path, HPDF_TRUE);
        if (!name || failed(w)) return -1;
        w->freg.cjk = w->fbold.cjk = HPDF_GetFont(w->pdf, name, "UTF-8");
        if (w->freg.cjk && fix_tounicode(w->freg.cjk)) return -1;
        memcpy(w->font_path[2], path, sizeof w->font_path[2]);
        return w->freg.cjk && !failed(w) ? 0 : -1;
    }
    snprintf(w->detail, sizeof w->detail,
             "the report has Chinese/Japanese text but no TrueType CJK font was found: "
             "apt-get install fonts-ipafont-gothic or fonts-wqy-microhei (or set REVREPORT_CJK_FONT)");
    return -1;
}

/* libharu 2.3.0 embeds only the glyphs it marked as used, and follows
 * composite glyphs one level only (libharu issues #54, #79): a glyph built
 * from components that are themselves composite loses its outline (Cyrillic
 * е/ё in DejaVu Bold, most hanzi in WenQuanYi and Droid Sans Fallback).
 * Before saving, mark the whole composite closure of every used glyph,
 * reading the glyf table of the font file through libharu's own offsets. */
static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }

static void glyph_closure(HPDF_Font font, const char *path)
{
#if HPDF_MAJOR_VERSION == 2 && HPDF_MINOR_VERSION == 3
    if (!font || !path[0]) return;
    HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
    if (!fa || !fa->fontdef || fa->fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE) return;
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)fa->fontdef->attr;
    if (!a || !a->embedding || !a->glyph_tbl.flgs || !a->glyph_tbl.offsets) return;
    FILE *f = fopen(path, "rb");
    if (!f) return;
    rr_strbuf file = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) rr_strbuf_add(&file, buf, n);
    fclose(f);
    const unsigned char *d = (const unsigned char *)file.data;
    size_t len = file.len, ng = a->num_glyphs, top = 0;
    uint16_t *stack = rr_xmalloc((ng + 1) * sizeof *stack);
    for (size_t g = 0; g < ng; g++)
        if (a->glyph_tbl.flgs[g]) stack[top++] = (uint16_t)g;
    while (top) {
        size_t g = stack[--top];
        size_t off = (size_t)a->glyph_tbl.base_offset + a->glyph_tbl.offsets[g];
        size_t end = (size_t)a->glyph_tbl.base_offset + a->glyph_tbl.offsets[g + 1];
        if (end > len || end < off + 10 || !(d[off] & 0x80)) continue;   /* empty or simple glyph */
        size_t p = off + 10;
        for (;;) {
            if (p + 4 > end) break;
            uint32_t flags = be16(d + p), comp = be16(d + p + 2);
            p += 4 + ((flags & 0x0001) ? 4 : 2);
            if (flags & 0x0008) p += 2;
            else if (flags & 0x0040) p += 4;
            else if (flags & 0x0080) p += 8;
            if (comp < ng && !a->glyph_tbl.flgs[comp]) {
                a->glyph_tbl.flgs[comp] = 1;
                stack[top++] = (uint16_t)comp;
            }
            if (!(flags & 0x0020)) break;
        }
    }
    free(stack);
    rr_strbuf_free(&file);
#else
    (void)font; (void)path;
#endif
}

static int load_fonts(pdfw *w, const char *dir)
{
    const char *names[2] = { "DejaVuSans.ttf", "DejaVuSans-Bold.ttf" };
    HPDF_Font *slot[2] = { &w->freg.latin, &w->fbold.latin };
    w->fbold.bold = 1;
    w->reg = &w->freg;
    w->bold = &w->fbold;
    for (int i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        doing(w, "loading font", path);
        FILE *fp = fopen(path, "rb");
        if (!fp) {
            snprintf(w->detail, sizeof w->detail,
                     "font '%s' not found (%s): install fonts-dejavu-core or set the font directory",
                     path, strerror(errno));
            return -1;
        }
        fclose(fp);
        const char *name = HPDF_LoadTTFontFromFile(w->pdf, path, HPDF_TRUE);
        if (!name || failed(w)) return -1;
        *slot[i] = HPDF_GetFont(w->pdf, name, "UTF-8");
        if (!*slot[i] || failed(w) || fix_tounicode(*slot[i])) return -1;
        memcpy(w->font_path[i], path, sizeof w->font_path[i]);
    }
    /* the CJK font only when there is CJK text: embedding it costs ~250 KB */
    int need = scan_doc(w->doc);
    if (need) return load_cjk(w, strcmp(S(w->doc->lang), "ja") == 0 ||
                                 (strcmp(S(w->doc->lang), "zh") != 0 && (need & 2)));
    return 0;
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
    if (failed(&w) || load_fonts(&w, font_dir) < 0) goto out;
    HPDF_Encoder enc = HPDF_GetEncoder(w.pdf, "UTF-8");
    doing(&w, "writing metadata", NULL);
    set_meta(&w, o.epoch);
    if (o.pdfa || o.attach_dir) archival(&w, &o);
    if (failed(&w)) goto out;

    /* cover, then the sections, then header/footer on every page */
    if (draw_cover(&w) < 0) goto out;
    if (doc->nsections && new_page(&w) < 0) goto out;
    for (size_t i = 0; i < doc->nsections; i++)
        if (draw_section(&w, &doc->sections[i], enc) < 0) goto out;
    doing(&w, "drawing page headers and footers", NULL);
    draw_furniture(&w);
    if (failed(&w)) goto out;

    /* write the file */
    doing(&w, "writing", path);
    glyph_closure(w.freg.latin, w.font_path[0]);
    glyph_closure(w.fbold.latin, w.font_path[1]);
    glyph_closure(w.freg.cjk, w.font_path[2]);
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
    rr_strbuf_free(&w.tmp);
    return st;
}
