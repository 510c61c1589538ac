/* i18n.h: the one catalogue every user-visible string goes through.
 *
 *   rr_i18n *cat;
 *   if (rr_i18n_load(datadir, "ja", &cat, &err) != RR_OK) ...
 *   puts(rr_tr(cat, "section.summary"));          // "エグゼクティブサマリー"
 *   rr_i18n_free(cat);
 *
 * Catalogues are data files, templates/i18n/<lang>.txt plus one
 * templates/i18n/<lang>-<module>.txt per module that has its own strings: UTF-8 lines
 * "key = value", '#' comments, "\n" in a value is a line break.  A key
 * missing from a language falls back to English (en.txt); a key missing from
 * English too is returned as itself, so nothing is ever blank.  The catalogue
 * owns the strings it returns. */
#ifndef RR_I18N_H
#define RR_I18N_H
#include <stddef.h>
#include "revreport/status.h"

typedef struct rr_i18n rr_i18n;

rr_status rr_i18n_load(const char *datadir, const char *lang, rr_i18n **out, rr_error *err);
void rr_i18n_free(rr_i18n *c);                          /* accepts NULL */
const char *rr_tr(const rr_i18n *c, const char *key);
/* The same with the signature doc.h expects (cat is a const rr_i18n *). */
const char *rr_i18n_lookup(const void *cat, const char *key);
const char *rr_i18n_lang(const rr_i18n *c);
/* Keys in English missing from this language (for the completeness test);
 * returns the count and, when keys is not NULL, up to max of them. */
size_t rr_i18n_missing(const rr_i18n *c, const char **keys, size_t max);
/* Substitute {name} placeholders: args are name/value pairs, NULL-terminated.
 * "{n|one:# file|other:# files}" (in a loaded catalogue's value) is the plural
 * form of n's value in the catalogue's language, '#' the value itself. */
char *rr_i18n_subst(const char *pattern, ...);
/* The same with the name/value pairs in a NULL-terminated array. */
char *rr_i18n_subst_v(const char *pattern, const char *const *pairs);
/* The name of fiscal quarter q (1-4) of fiscal year fy, or of the fiscal year
 * itself when q is 0, in the catalogue's language.  fy is the year the fiscal
 * year ends in (period.h) and fy_start its first month (1-12).  The pattern is
 * fy.quarter / fy.year, or fy.quarter.calendar / fy.year.calendar when the
 * fiscal year is the calendar year; the code supplies {year} (= {endyear}),
 * {startyear}, {endyear}, {endmonth} (1-12) and {quarter} (the q-th word of
 * fy.quarter_numerals: zh 四).  ja 2026年度 第2四半期 (April start, Jul-Sep
 * 2026), zh 2026年第四季度, ru 4 кв. 2026 г.  The caller frees the result. */
/* The CLDR plural category of n ("one", "few", "many", "other") in lang:
 * ru one/few/many (1, 21 / 2-4, 22 / 5-20, 11), en one/other, ja and zh
 * other; fraction: the number is written with decimals (ru "other"). */
const char *rr_i18n_plural_category(const char *lang, long long n, int fraction);
char *rr_i18n_fiscal(const rr_i18n *c, int fy, int q, int fy_start);

#endif
