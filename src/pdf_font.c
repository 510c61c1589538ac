/* pdf_font.c: fonts and text for the PDF writer (see pdf_int.h): which
 * TrueType fonts to embed, text runs by script (DejaVu / CJK), widths,
 * line-break opportunities (UAX #14 subset for CJK), wrapping and drawing
 * one line.
 *
 *   wrapped o;
 *   pdf_wrap(&o, w->reg, 10, "Some text", 200);   // o.n lines of o.text
 *   pdf_wrap_free(&o);
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hpdf.h>
#include <hpdf_font.h>      /* glyph_closure: libharu 2.3 font internals */
#include <hpdf_fontdef.h>
#include "revreport/pdf.h"
#include "revreport/pdf_int.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

/* libharu 2.3 gives a TrueType font in the UTF-8 encoding a /ToUnicode stream
 * that is its code -> CID CMap (begincidrange), which is not a ToUnicode CMap:
 * poppler warns "Invalid 'begincidrange' operator in ToUnicode CMap" and
 * text extraction, search and PDF/A validators rely on a guess.  The codes
 * are the characters' UTF-16 units (CID = Unicode, CIDToGIDMap does the
 * rest), so the right map is the identity: one bfrange per high byte (the
 * PDF spec keeps a bfrange inside one last byte's range), surrogates left
 * out, at most 100 per block. */
static int pdf_fix_tounicode(HPDF_Font font)
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

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s (1..3 bytes: libharu's UTF-8
 * encoder handles the BMP), or 0 when it is invalid or outside the BMP. */
static size_t pdf_u8len(const unsigned char *s, size_t n)
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
char *pdf_clean_utf8(const char *s, int keep_nl)
{
    rr_strbuf b = {0};
    size_t n = strlen(S(s));
    const unsigned char *p = (const unsigned char *)S(s);
    rr_strbuf_add(&b, "", 0);
    for (size_t i = 0; i < n;) {
        size_t k = pdf_u8len(p + i, n - i);
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

/* Length of the run at s drawn with one font, and that font: DejaVu, or the
 * fallback font the fontset chose for characters DejaVu lacks (DejaVu's
 * missing-glyph box when no installed font has them: the data check warns). */
static size_t pdf_font_run(pfont f, const char *s, size_t n, HPDF_Font *font)
{
    int idx = 0;
    size_t k = f->fs ? rr_fontset_run(f->fs, s, n, &idx) : n;
    *font = idx > 0 && f->fb[idx] ? f->fb[idx] : f->latin;
    return k ? k : n;
}

float pdf_text_w(pfont f, float size, const char *s, size_t n)
{
    float w = 0;
    for (size_t i = 0; i < n;) {
        HPDF_Font font;
        size_t k = pdf_font_run(f, s + i, n - i, &font);
        HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s + i, (HPDF_UINT)k);
        w += (float)tw.width * size / 1000.0f;
        i += k;
    }
    return w;
}

/* Draw n bytes of already clean UTF-8 text with its baseline at (x, y). */
/* The visual order of one line: libharu draws left to right, so each
 * stretch from a right-to-left character (Hebrew, Arabic) to the last one
 * after it (with the spaces and punctuation between) is reversed, character
 * by character.  No shaping: Arabic letters keep their isolated forms. */
static const char *visual_order(const char *s, size_t n, rr_strbuf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    int any = 0;
    for (size_t i = 0; i < n && !any; i += pdf_u8len(u + i, n - i) ? pdf_u8len(u + i, n - i) : 1)
        any = rr_fontset_rtl(cp_at(u + i, pdf_u8len(u + i, n - i)));
    if (!any) return s;
    rr_strbuf_reset(out);
    for (size_t i = 0; i < n;) {
        size_t k = pdf_u8len(u + i, n - i);
        if (k == 0) k = 1;
        if (!rr_fontset_rtl(cp_at(u + i, k))) { rr_strbuf_add(out, s + i, k); i += k; continue; }
        /* the stretch ends after the last RTL character reached through neutrals */
        size_t end = i + k, j = end;
        while (j < n) {
            size_t kk = pdf_u8len(u + j, n - j);
            if (kk == 0) kk = 1;
            unsigned cp = cp_at(u + j, kk);
            if (rr_fontset_rtl(cp)) end = j + kk;
            else if (!(cp == ' ' || cp == 0xA0 || cp == '-' || cp == 0x2014 || cp == 0x2013 || cp == '.' || cp == ','))
                break;
            j += kk;
        }
        for (size_t e = end; e > i;) {            /* characters of [i, end) last first */
            size_t b = e - 1;
            while (b > i && (u[b] & 0xC0) == 0x80) b--;
            rr_strbuf_add(out, s + b, e - b);
            e = b;
        }
        i = end;
    }
    return out->data;
}

void pdf_draw_n(pdfw *w, HPDF_Page p, pfont f, float size, rgb c, float x, float y,
                   const char *s, size_t n)
{
    if (n == 0) return;
    rr_strbuf vis = {0};
    s = visual_order(s, n, &vis);
    int fake_bold = 0;
    for (size_t i = 0; i < n;) {
        HPDF_Font font;
        size_t k = pdf_font_run(f, s + i, n - i, &font);
        if (f->bold && font != f->latin) fake_bold = 1;
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
        size_t k = pdf_font_run(f, s + i, n - i, &font);
        rr_strbuf_reset(&w->tmp);
        rr_strbuf_add(&w->tmp, s + i, k);
        HPDF_Page_SetFontAndSize(p, font, size);
        HPDF_Page_SetTextRenderingMode(p, f->bold && font != f->latin ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
        HPDF_Page_TextOut(p, x, y, w->tmp.data);
        x += pdf_text_w(f, size, s + i, k);
        i += k;
    }
    HPDF_Page_EndText(p);
    if (fake_bold) HPDF_Page_GRestore(p);
    rr_strbuf_free(&vis);
}

/* Draw one line of raw doc text, cut with "…" to maxw, aligned within
 * [x, x + maxw]. */
void pdf_draw_line(pdfw *w, HPDF_Page p, pfont f, float size, rgb c, float x, float y,
                      float maxw, int align, const char *raw)
{
    char *s = pdf_clean_utf8(raw, 0);
    size_t n = strlen(s);
    float tw = pdf_text_w(f, size, s, n);
    char *cut = NULL;
    if (tw > maxw) {
        const char *ell = "\xe2\x80\xa6";
        float ew = pdf_text_w(f, size, ell, 3);
        size_t k = 0;
        while (k < n) {
            size_t l = pdf_u8len((const unsigned char *)s + k, n - k);
            if (pdf_text_w(f, size, s, k + l) + ew > maxw) break;
            k += l;
        }
        cut = rr_xmalloc(k + 4);
        memcpy(cut, s, k);
        memcpy(cut + k, ell, 4);
        n = k + 3;
        tw = pdf_text_w(f, size, cut, n);
    }
    float tx = align == AL_RIGHT ? x + maxw - tw : align == AL_CENTER ? x + (maxw - tw) / 2 : x;
    pdf_draw_n(w, p, f, size, c, tx, y, cut ? cut : s, n);
    free(cut);
    free(s);
}

static void wrap_push(wrapped *o, size_t off, size_t len)
{
    o->lines = rr_xgrow(o->lines, &o->cap, o->n + 1, sizeof *o->lines);
    o->lines[o->n].off = off;
    o->lines[o->n].len = len;
    o->n++;
}

/* End of the unbreakable piece of text that starts at the non-space
 * character t[i] (line breaks only where rr_pdf_break_between allows). */
static size_t pdf_seg_end(const char *t, size_t i, size_t n)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t l = pdf_u8len(u + i, n - i);
    if (l == 0) l = 1;
    unsigned prev = cp_at(u + i, l);
    i += l;
    while (i < n) {
        l = pdf_u8len(u + i, n - i);
        if (l == 0) l = 1;
        unsigned c = cp_at(u + i, l);
        if (rr_pdf_break_between(prev, c) || c == ' ' || c == '\n') break;
        prev = c;
        i += l;
    }
    return i;
}

void pdf_wrap(wrapped *o, pfont f, float size, const char *raw, float maxw)
{
    memset(o, 0, sizeof *o);
    o->text = pdf_clean_utf8(raw, 1);
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
                size_t we = pdf_seg_end(t, j, pend);  /* a word, a number with its unit, one CJK character */
                if (pdf_text_w(f, size, t + ls, we - ls) > maxw) break;
                le = j = we;
                while (j < pend && t[j] == ' ') j++;
            }
            if (le == ls) {                       /* one piece wider than the line: the last resort */
                size_t we = pdf_seg_end(t, ls, pend), k = ls;
                while (k < we) {
                    size_t l = pdf_u8len((const unsigned char *)t + k, pend - k);
                    if (l == 0) l = 1;
                    if (k > ls && pdf_text_w(f, size, t + ls, k + l - ls) > maxw) break;
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
float pdf_longest_word(pfont f, float size, const char *s)
{
    float m = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        while (i < n && (s[i] == ' ' || s[i] == '\n')) i++;
        if (i >= n) break;
        size_t j = pdf_seg_end(s, i, n);
        float x = pdf_text_w(f, size, s + i, j - i);
        if (x > m) m = x;
        i = j;
    }
    return m;
}

void pdf_wrap_free(wrapped *o)
{
    free(o->text);
    free(o->lines);
    memset(o, 0, sizeof *o);
}

/* Mark in need[] the fallback fonts a text needs. */
static void scan_text(const rr_fontset *fs, const char *s, char *need)
{
    const char *t = S(s);
    for (size_t n = strlen(t), i = 0; i < n;) {
        int idx;
        size_t k = rr_fontset_run(fs, t + i, n - i, &idx);
        if (idx > 0) need[idx] = 1;
        i += k ? k : 1;
    }
}

static void pdf_scan_doc(const rr_doc *d, const rr_fontset *fs, char *need)
{
    const char *top[] = {d->title, d->period_label, d->company, d->generated, d->confidentiality, d->banner,
                         tr(d, "pdf.page", "Page"), tr(d, "pdf.page_of", ""), tr(d, "pdf.continued", "continued")};
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++) scan_text(fs, top[i], need);
    for (size_t i = 0; i < d->nsections; i++) {
        const rr_doc_section *sec = &d->sections[i];
        scan_text(fs, sec->title, need);
        for (size_t j = 0; j < sec->nblocks; j++) {
            const rr_block *b = &sec->blocks[j];
            scan_text(fs, b->text, need);
            for (size_t k = 0; k < b->nitems; k++) scan_text(fs, b->items[k], need);
            for (size_t k = 0; k < b->nkpis; k++) {
                scan_text(fs, b->kpis[k].label, need);
                scan_text(fs, b->kpis[k].value, need);
                scan_text(fs, b->kpis[k].delta, need);
                scan_text(fs, b->kpis[k].note, need);
            }
            const rr_table *t = b->table;
            if (!t) continue;
            scan_text(fs, t->caption, need);
            for (size_t k = 0; k < t->ncols; k++) scan_text(fs, t->headers[k], need);
            for (size_t k = 0; k < t->nrows * t->ncols; k++) scan_text(fs, t->cells[k], need);
        }
    }
}

/* Load fallback font idx of the fontset; a font libharu cannot read is
 * skipped (its runs keep DejaVu), not an error of the report. */
static void load_fallback(pdfw *w, int idx)
{
    int index;
    const char *path = rr_fontset_file(w->fs, idx, &index, NULL);
    doing(w, "loading font", path);
    const char *name = index >= 0 ? HPDF_LoadTTFontFromFile2(w->pdf, path, (HPDF_UINT)index, HPDF_TRUE)
                                  : HPDF_LoadTTFontFromFile(w->pdf, path, HPDF_TRUE);
    HPDF_Font font = name && !failed(w) ? HPDF_GetFont(w->pdf, name, "UTF-8") : NULL;
    if (!font || failed(w) || pdf_fix_tounicode(font)) {
        HPDF_ResetError(w->pdf);
        w->herr = 0;
        w->hdetail = 0;
        w->detail[0] = 0;
        return;
    }
    w->fb[idx] = font;
}

/* libharu 2.3.0 embeds only the glyphs it marked as used, and follows
 * composite glyphs one level only (libharu issues #54, #79): a glyph built
 * from components that are themselves composite loses its outline (Cyrillic
 * е/ё in DejaVu Bold, most hanzi in WenQuanYi and Droid Sans Fallback).
 * Before saving, mark the whole composite closure of every used glyph,
 * reading the glyf table of the font file through libharu's own offsets. */
static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }

void pdf_glyph_closure(HPDF_Font font, const char *path)
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

int pdf_load_fonts(pdfw *w, const char *dir)
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
        if (!*slot[i] || failed(w) || pdf_fix_tounicode(*slot[i])) return -1;
        memcpy(w->font_path[i], path, sizeof w->font_path[i]);
    }
    /* a fallback font only for the runs that need it: a CJK font costs ~250 KB */
    const char *env = getenv("REVREPORT_CJK_FONT");     /* a CJK font to try first (family or file) */
    rr_strbuf fam = {0};
    if (env && *env) { rr_strbuf_adds(&fam, env); rr_strbuf_adds(&fam, ","); }
    rr_strbuf_adds(&fam, tr(w->doc, "font.family", "DejaVu Sans,IPAGothic,WenQuanYi Micro Hei,Droid Sans Fallback"));
    w->fs = rr_fontset_new(S(w->doc->lang), w->font_path[0], fam.data, 1);
    rr_strbuf_free(&fam);
    size_t nf = rr_fontset_count(w->fs);
    w->fb = rr_xcalloc(nf, sizeof *w->fb);
    w->freg.fs = w->fbold.fs = w->fs;
    w->freg.fb = w->fbold.fb = w->fb;
    char *need = rr_xcalloc(nf, 1);
    pdf_scan_doc(w->doc, w->fs, need);
    for (size_t i = 1; i < nf; i++)
        if (need[i]) load_fallback(w, (int)i);
    free(need);
    /* the report's own language must render: a Japanese or Chinese report
     * on a machine without a CJK font fails, naming the packages */
    const char *lang = S(w->doc->lang);
    if ((strcmp(lang, "ja") == 0 || strcmp(lang, "zh") == 0) &&
        rr_fontset_missing(w->fs, S(w->doc->title), strlen(S(w->doc->title)))) {
        snprintf(w->detail, sizeof w->detail,
                 "the report has Chinese/Japanese text but no TrueType CJK font was found: "
                 "apt-get install fonts-ipafont-gothic or fonts-wqy-microhei");
        return -1;
    }
    return 0;
}

void pdf_fonts_finish(pdfw *w)
{
    pdf_glyph_closure(w->freg.latin, w->font_path[0]);
    pdf_glyph_closure(w->fbold.latin, w->font_path[1]);
    for (size_t i = 1; w->fb && i < rr_fontset_count(w->fs); i++)
        if (w->fb[i]) pdf_glyph_closure(w->fb[i], rr_fontset_file(w->fs, (int)i, NULL, NULL));
}
