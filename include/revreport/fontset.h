/* fontset.h: which installed font draws each run of text, by the characters
 * it holds (fontconfig coverage).
 *
 *   rr_fontset *fs = rr_fontset_new("ja", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
 *                                   "IPAGothic,WenQuanYi Micro Hei", 1);
 *   int face;
 *   size_t k = rr_fontset_run(fs, s, n, &face);   // s[0..k) is drawn with one face
 *   int index;
 *   const char *path = rr_fontset_file(fs, face, &index);
 *   rr_fontset_free(fs);
 *
 * Face 0 is the primary font (DejaVu Sans); then the families named by the
 * language, in order; then every other installed font (regular style, "Noto
 * Sans" families first, then by name, so the choice is reproducible).  A run
 * of characters the primary font lacks is drawn with the first face that
 * has all of them; Han characters try a Japanese font first in a Japanese
 * report or next to kana, a Chinese font first otherwise.  truetype_only
 * keeps the fonts libharu can embed (TrueType glyf outlines: not CFF).
 * The fontset owns its strings; free it with rr_fontset_free (NULL ok). */
#ifndef RR_FONTSET_H
#define RR_FONTSET_H
#include <stddef.h>

typedef struct rr_fontset rr_fontset;

rr_fontset *rr_fontset_new(const char *lang, const char *primary_path, const char *families, int truetype_only);
void rr_fontset_free(rr_fontset *fs);
/* The length of the run at s (n bytes of valid UTF-8) drawn with one face,
 * and that face: 0 the primary, -1 when no installed font has the run's
 * first character (the run is that one character). */
size_t rr_fontset_run(const rr_fontset *fs, const char *s, size_t n, int *face);
/* The font file of a face and its index in a collection (-1: not a TTC);
 * the family in *family when family is not NULL. */
const char *rr_fontset_file(const rr_fontset *fs, int face, int *index, const char **family);
size_t rr_fontset_count(const rr_fontset *fs);
/* The first character of s that no installed font has, or 0. */
unsigned rr_fontset_missing(const rr_fontset *fs, const char *s, size_t n);
/* The Debian package whose fonts cover cp (by script), e.g. "fonts-noto-core"
 * for Thai, "fonts-wqy-microhei" for Han. */
const char *rr_fontset_package(unsigned cp);
/* 1 when cp is written right to left (Hebrew, Arabic, Syriac, Thaana, NKo). */
int rr_fontset_rtl(unsigned cp);

#endif
