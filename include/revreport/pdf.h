/* pdf.h: revreport's PDF writer: renders a rr_doc (doc.h) to a paged PDF
 * with libharu (embedded DejaVu Sans, UTF-8 text, outline, running header
 * and "Page n / N" footer, charts as PNG at 216 dpi).
 *
 *   rr_pdf_opts o = rr_pdf_opts_default();   // A4 portrait, RR_FONTDIR, SOURCE_DATE_EPOCH or now
 *   o.paper = RR_PDF_LETTER; o.landscape = 1;
 *   rr_error err = {0};
 *   if (rr_pdf_write(doc, &o, "out/report.pdf.tmp", &err) != RR_OK)
 *       rr_error_print(&err, "revreport");
 *
 * Ownership: the writer only reads the doc and the options; it owns nothing
 * after it returns.  The same doc and options (same epoch) give the same
 * bytes: libharu writes no /ID and no clock-based field.
 *
 * Strings the writer takes from the doc's catalogue (rr_doc_tr), with the
 * English text used when the catalogue has no entry:
 *   "pdf.page"      "Page"        footer: "Page 3 / 12"
 *   "pdf.continued" "continued"   caption of a table continued on a new page */
#ifndef RR_PDF_H
#define RR_PDF_H
#include "revreport/doc.h"
#include "revreport/status.h"

enum { RR_PDF_A4 = 0, RR_PDF_LETTER = 1 };

typedef struct {
    int paper;              /* RR_PDF_A4, RR_PDF_LETTER */
    int landscape;          /* 0 portrait, 1 landscape */
    const char *font_dir;   /* holds DejaVuSans.ttf and DejaVuSans-Bold.ttf; NULL = RR_FONTDIR */
    long long epoch;        /* creation date (seconds since 1970, UTC) */
    int pdfa;               /* 1 = archival copy: PDF/A-1b identification (XMP metadata), sRGB
                             * output intent, /ID from the content instead of the clock */
    const char *attach_dir; /* embed every *.csv of this folder (sorted) as an attached file; NULL = none */
    const char *icc_path;   /* pdfa: the sRGB ICC profile of the output intent (NULL = Debian's
                               /usr/share/color/icc/sRGB.icc); without it no PDF/A claim is made */
} rr_pdf_opts;

/* Defaults: A4 portrait, font_dir NULL (the configured RR_FONTDIR), epoch
 * from SOURCE_DATE_EPOCH when it is set and valid, else the current time. */
rr_pdf_opts rr_pdf_opts_default(void);

/* Write doc as a PDF at path (the whole file; the caller renames it into
 * place).  opts may be NULL (defaults).  Returns RR_OK, or RR_ERR_RENDER
 * with err->msg saying what failed (missing font, unreadable logo, chart
 * that could not be rendered, file that could not be written, libharu
 * error code); err->file is set to the path concerned.  On failure the
 * file at path may be missing or partial.  err may be NULL. */
rr_status rr_pdf_write(const rr_doc *doc, const rr_pdf_opts *opts, const char *path,
                       rr_error *err);

/* ---- layout arithmetic the writer uses, exported for tests (no fonts,
 * no libharu) ---- */

/* May a line break between the adjacent characters a and b (code points)?
 * A space (U+0020) is a break; NBSP U+00A0, U+202F and U+2009 never are,
 * so a number stays with its unit ("68,3\u00a0тыс.\u00a0$").  Between CJK
 * characters a line may break except before closing punctuation, small
 * kana, the long vowel mark ー and iteration marks, after opening brackets,
 * inside a run of katakana, and next to a digit ("第4四半期") (kinsoku). */
int rr_pdf_break_between(unsigned a, unsigned b);

/* Share the width cw among n columns from their content widths: minw (the
 * widest unbreakable piece) and maxw (the widest line unwrapped).  When
 * the maxima fit, each column gets its maximum and a share of the spare in
 * proportion to it; otherwise its minimum and a share of cw - sum(minw) in
 * proportion to maxw - minw (so a column that is already whole takes
 * nothing more).  Writes n widths summing to cw into wd.  Returns 0, or -1
 * when even the minima do not fit (wd is then minw scaled down to cw). */
int rr_pdf_fit_columns(size_t n, const float *minw, const float *maxw, float cw, float *wd);

#endif
