/* fontset.c: the installed font for each run of text, by fontconfig
 * coverage (see fontset.h).
 *
 *   rr_fontset *fs = rr_fontset_new("en", dejavu_path, "IPAGothic,WenQuanYi Micro Hei", 1);
 *   for (size_t i = 0; i < n;) { int f; size_t k = rr_fontset_run(fs, s + i, n - i, &f); ...; i += k; }
 */
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/fontset.h"
#include "revreport/xalloc.h"

typedef struct {
    char *path, *family;
    int index;             /* -1 unless a collection (.ttc) */
    FcCharSet *cs;         /* owned reference */
    int ja, zh;            /* fontconfig says it writes Japanese / simplified Chinese */
} fs_face;

struct rr_fontset {
    fs_face *f;
    size_t n, cap;
    int japanese;          /* the report's language is Japanese */
};

/* ---- UTF-8 and scripts ---- */
static size_t u8dec(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (k > n) { *cp = 0xFFFD; return 1; }
    *cp = k == 1 ? c : k == 2 ? c & 0x1F : k == 3 ? c & 0x0F : c & 0x07;
    for (size_t i = 1; i < k; i++) *cp = (*cp << 6) | (s[i] & 0x3F);
    return k;
}

static int is_kana(unsigned cp) { return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF); }
static int is_han(unsigned cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

int rr_fontset_rtl(unsigned cp)
{
    return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
}

const char *rr_fontset_package(unsigned cp)
{
    if (is_han(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF)) return "fonts-wqy-microhei";
    if (is_kana(cp)) return "fonts-ipafont-gothic";
    if (cp >= 0xAC00 && cp <= 0xD7AF) return "fonts-unfonts-core";          /* Hangul, TrueType */
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return "fonts-symbola";              /* emoji, pictographs */
    if (cp < 0x0600) return "fonts-dejavu-core";
    return "fonts-noto-core";      /* Arabic, Hebrew, Indic, Thai, Ethiopic, ... (TrueType glyf) */
}

/* ---- building the list ---- */
static void add_face(rr_fontset *fs, FcPattern *p)
{
    FcChar8 *file = NULL, *fam = NULL;
    FcCharSet *cs = NULL;
    int index = 0;
    if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch || !file) return;
    if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch || !cs) return;
    FcPatternGetString(p, FC_FAMILY, 0, &fam);
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].path, (const char *)file) == 0 && fs->f[i].index == (index ? index : -1)) return;
    fs->f = rr_xgrow(fs->f, &fs->cap, fs->n + 1, sizeof *fs->f);
    fs_face *f = &fs->f[fs->n++];
    f->path = rr_xstrdup((const char *)file);
    f->family = rr_xstrdup(fam ? (const char *)fam : "");
    size_t len = strlen(f->path);
    f->index = len > 4 && strcmp(f->path + len - 4, ".ttc") == 0 ? index : -1;
    f->cs = FcCharSetCopy(cs);
    FcLangSet *ls = NULL;
    f->ja = FcPatternGetLangSet(p, FC_LANG, 0, &ls) == FcResultMatch && FcLangSetHasLang(ls, (const FcChar8 *)"ja") == FcLangEqual;
    f->zh = ls && FcLangSetHasLang(ls, (const FcChar8 *)"zh-cn") == FcLangEqual;
}

/* regular, upright, normal width first; then "Noto Sans" families; then by family, file */
static int style_rank(FcPattern *p)
{
    int w = FC_WEIGHT_REGULAR, sl = FC_SLANT_ROMAN, wd = FC_WIDTH_NORMAL;
    FcPatternGetInteger(p, FC_WEIGHT, 0, &w);
    FcPatternGetInteger(p, FC_SLANT, 0, &sl);
    FcPatternGetInteger(p, FC_WIDTH, 0, &wd);
    return abs(w - FC_WEIGHT_REGULAR) + (sl != FC_SLANT_ROMAN) * 1000 + abs(wd - FC_WIDTH_NORMAL) * 10;
}

static int cmp_pattern(const void *a, const void *b)
{
    FcPattern *pa = *(FcPattern *const *)a, *pb = *(FcPattern *const *)b;
    FcChar8 *fa = NULL, *fb = NULL, *xa = NULL, *xb = NULL;
    FcPatternGetString(pa, FC_FAMILY, 0, &fa);
    FcPatternGetString(pb, FC_FAMILY, 0, &fb);
    const char *sa = fa ? (const char *)fa : "", *sb = fb ? (const char *)fb : "";
    int na = strncmp(sa, "Noto Sans", 9) != 0, nb = strncmp(sb, "Noto Sans", 9) != 0;
    if (na != nb) return na - nb;
    int c = strcmp(sa, sb);
    if (c) return c;
    int ra = style_rank(pa), rb = style_rank(pb);
    if (ra != rb) return ra < rb ? -1 : 1;
    FcPatternGetString(pa, FC_FILE, 0, &xa);
    FcPatternGetString(pb, FC_FILE, 0, &xb);
    return strcmp(xa ? (const char *)xa : "", xb ? (const char *)xb : "");
}

rr_fontset *rr_fontset_new(const char *lang, const char *primary_path, const char *families, int truetype_only)
{
    rr_fontset *fs = rr_xcalloc(1, sizeof *fs);
    fs->japanese = lang && strcmp(lang, "ja") == 0;
    FcPattern *pat = NULL;
    FcObjectSet *os = NULL;
    FcFontSet *all = NULL;
    FcPattern **sorted = NULL;
    if (!FcInit()) goto out;
    pat = FcPatternCreate();
    if (truetype_only) FcPatternAddString(pat, FC_FONTFORMAT, (const FcChar8 *)"TrueType");
    os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_FAMILY, FC_CHARSET, FC_LANG, FC_WEIGHT, FC_SLANT, FC_WIDTH,
                          FC_FONTFORMAT, (char *)0);
    all = FcFontList(NULL, pat, os);
    if (!all) goto out;
    sorted = rr_xmalloc((size_t)(all->nfont + 1) * sizeof *sorted);
    size_t ns = 0;
    for (int i = 0; i < all->nfont; i++) {
        FcChar8 *file = NULL;
        FcBool scalable = FcTrue;
        FcPatternGetBool(all->fonts[i], FC_SCALABLE, 0, &scalable);
        if (FcPatternGetString(all->fonts[i], FC_FILE, 0, &file) != FcResultMatch || !scalable) continue;
        sorted[ns++] = all->fonts[i];
    }
    if (ns) qsort(sorted, ns, sizeof *sorted, cmp_pattern);
    /* 1. the primary font, by its file */
    for (size_t i = 0; primary_path && i < ns; i++) {
        FcChar8 *file = NULL;
        FcPatternGetString(sorted[i], FC_FILE, 0, &file);
        if (strcmp((const char *)file, primary_path) == 0) { add_face(fs, sorted[i]); break; }
    }
    if (fs->n == 0) {                        /* no fontconfig entry for it: an empty face 0 */
        fs->f = rr_xgrow(fs->f, &fs->cap, 1, sizeof *fs->f);
        fs->f[0] = (fs_face){ rr_xstrdup(primary_path ? primary_path : ""), rr_xstrdup(""), -1,
                              FcCharSetCreate(), 0, 0 };
        fs->n = 1;
    }
    /* 2. the language's families, in order (the first, most regular, face of each) */
    for (const char *p = families; p && *p;) {
        size_t k = strcspn(p, ",");
        while (k && p[k - 1] == ' ') k--;
        for (size_t i = 0; i < ns && *p == '/'; i++) {      /* a font file named by its path */
            FcChar8 *file = NULL;
            FcPatternGetString(sorted[i], FC_FILE, 0, &file);
            if (strlen((const char *)file) == k && strncmp((const char *)file, p, k) == 0) { add_face(fs, sorted[i]); break; }
        }
        for (size_t i = 0; i < ns && *p != '/'; i++) {
            FcChar8 *fam = NULL;
            for (int j = 0; FcPatternGetString(sorted[i], FC_FAMILY, j, &fam) == FcResultMatch; j++)
                if (strlen((const char *)fam) == k && strncmp((const char *)fam, p, k) == 0) break;
            if (fam && strlen((const char *)fam) == k && strncmp((const char *)fam, p, k) == 0) {
                add_face(fs, sorted[i]);
                break;
            }
        }
        p += strcspn(p, ",");
        while (*p == ',' || *p == ' ') p++;
    }
    /* 3. every other font: the most regular face of each family */
    for (size_t i = 0; i < ns; i++) {
        FcChar8 *fam = NULL, *prev = NULL;
        FcPatternGetString(sorted[i], FC_FAMILY, 0, &fam);
        if (i > 0) FcPatternGetString(sorted[i - 1], FC_FAMILY, 0, &prev);
        if (i > 0 && fam && prev && strcmp((const char *)fam, (const char *)prev) == 0) continue;
        add_face(fs, sorted[i]);
    }
out:
    free(sorted);
    if (all) FcFontSetDestroy(all);
    if (os) FcObjectSetDestroy(os);
    if (pat) FcPatternDestroy(pat);
    if (fs->n == 0) {
        fs->f = rr_xgrow(fs->f, &fs->cap, 1, sizeof *fs->f);
        fs->f[0] = (fs_face){ rr_xstrdup(primary_path ? primary_path : ""), rr_xstrdup(""), -1, FcCharSetCreate(), 0, 0 };
        fs->n = 1;
    }
    return fs;
}

void rr_fontset_free(rr_fontset *fs)
{
    if (!fs) return;
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->f[i].path);
        free(fs->f[i].family);
        if (fs->f[i].cs) FcCharSetDestroy(fs->f[i].cs);
    }
    free(fs->f);
    free(fs);
}

size_t rr_fontset_count(const rr_fontset *fs) { return fs ? fs->n : 0; }

const char *rr_fontset_file(const rr_fontset *fs, int face, int *index, const char **family)
{
    if (!fs || face < 0 || (size_t)face >= fs->n) { if (index) *index = -1; if (family) *family = ""; return ""; }
    if (index) *index = fs->f[face].index;
    if (family) *family = fs->f[face].family;
    return fs->f[face].path;
}

static int has(const fs_face *f, unsigned cp) { return FcCharSetHasChar(f->cs, cp); }

/* characters any font may draw: spaces, joiners, marks of layout */
static int is_common(unsigned cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0x202F || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF;
}

size_t rr_fontset_run(const rr_fontset *fs, const char *s, size_t n, int *face)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned cp;
    size_t k = u8dec(u, n, &cp), i = k;
    *face = 0;
    if (n == 0) return 0;
    if (has(&fs->f[0], cp) || is_common(cp)) {           /* the primary font's run */
        while (i < n) {
            unsigned c;
            size_t kk = u8dec(u + i, n - i, &c);
            if (!has(&fs->f[0], c) && !is_common(c)) break;
            i += kk;
        }
        return i;
    }
    /* the run of characters the primary lacks (spaces inside it stay with it) */
    int kana = is_kana(cp), han = is_han(cp);
    size_t end = k;
    while (end < n) {
        unsigned c;
        size_t kk = u8dec(u + end, n - end, &c);
        if (has(&fs->f[0], c) && !is_common(c)) break;
        kana |= is_kana(c);
        han |= is_han(c);
        end += kk;
    }
    while (end > k && (u[end - 1] == ' ')) end--;
    /* Han: a Japanese font first in a Japanese report or next to kana, a Chinese one otherwise */
    int want = han || kana ? (kana || fs->japanese ? 1 : 2) : 0;
    int best = -1;
    size_t best_len = 0;
    for (int pass = want ? 0 : 1; pass < 2 && best_len < end; pass++)
        for (size_t f = 1; f < fs->n && best_len < end; f++) {
            const fs_face *x = &fs->f[f];
            if (pass == 0 && !(want == 1 ? x->ja && !x->zh : x->zh)) continue;
            size_t j = 0;
            while (j < end) {
                unsigned c;
                size_t kk = u8dec(u + j, end - j, &c);
                if (!has(x, c) && !is_common(c)) break;
                j += kk;
            }
            if (j > best_len) { best = (int)f; best_len = j; }
        }
    if (best < 0) { *face = -1; return k; }
    *face = best;
    return best_len;
}

unsigned rr_fontset_missing(const rr_fontset *fs, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int face;
        size_t k = rr_fontset_run(fs, s + i, n - i, &face);
        if (face < 0) {
            unsigned cp;
            u8dec((const unsigned char *)s + i, n - i, &cp);
            return cp;
        }
        i += k ? k : 1;
    }
    return 0;
}
