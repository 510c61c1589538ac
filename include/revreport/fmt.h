/* fmt.h: the one formatter for numbers, money, percentages and months,
 * per report language and base currency (never the process locale).
 *
 *   rr_fmt f;  rr_fmt_init(&f, cat, "USD");
 *   char b[64];
 *   rr_fmt_money(&f, amount, 0, b, sizeof b);        // "$1,234,567"
 *   rr_fmt_money_compact(&f, 3232261.0, b, sizeof b); // "$3.23M" (3 significant digits)
 *   rr_fmt_pct(&f, 0.253, 1, b, sizeof b);           // "25.3%"
 *   rr_fmt_month(&f, month, b, sizeof b);            // "October 2026"
 *
 * Separators, month names and patterns come from the catalogue (keys
 * fmt.*, month.*, currency.<CODE>), so a language is a data file, not code:
 *   ja  ¥1,234,567   1.23億円  86.3万ドル  2026年10月  (JPY has no minor unit)
 *   zh  ¥1,234,567.89  3,450万元  86.3万美元  2026年10月  (CNY is "CN¥" outside zh)
 *   ru  1 234 567,89 ₽  1,23 млн ₽  863 тыс. $  октябрь 2026  (NBSP groups, symbol after)
 * A compact amount has three significant digits and takes the currency's
 * word after it where the catalogue has one (currency_word.<CODE>). */
#ifndef RR_FMT_H
#define RR_FMT_H
#include <stddef.h>
#include "revreport/chart.h"
#include "revreport/i18n.h"
#include "revreport/num.h"

typedef struct {
    const rr_i18n *cat;
    char currency[8];
    char symbol[16];       /* "$", "€", "¥", or "" to write the code */
    int decimals;          /* the currency's minor digits: 2, or 0 for JPY */
    int symbol_after;      /* "1 234 ₽" */
    char group[8];         /* "," or NBSP */
    char decimal[8];       /* "." or "," */
    int myriad;            /* compact amounts in 万/億 (fmt.compact = myriad) */
    char word[32];         /* the currency's word after a compact amount (ja ドル, zh 美元), or "" */
} rr_fmt;

void rr_fmt_init(rr_fmt *f, const rr_i18n *cat, const char *currency);
void rr_fmt_number(const rr_fmt *f, double v, int decimals, char *out, size_t cap);
void rr_fmt_count(const rr_fmt *f, long long v, char *out, size_t cap);
/* decimals < 0: whole units for |v| >= 1000, else the currency's decimals */
void rr_fmt_money(const rr_fmt *f, rr_money v, int decimals, char *out, size_t cap);
void rr_fmt_money_d(const rr_fmt *f, double major, int decimals, char *out, size_t cap);
/* Where a reader scans (tiles, chart labels, summary tables): "$3.23M",
 * "$863K", "$950"; ja "86.3万ドル", zh "86.3万美元", ru "863 тыс. $". */
void rr_fmt_money_compact(const rr_fmt *f, double major, char *out, size_t cap);
void rr_fmt_pct(const rr_fmt *f, double frac, int decimals, char *out, size_t cap);
/* "+12.3%" / "−4.0%" (U+2212 minus) */
void rr_fmt_delta_pct(const rr_fmt *f, double frac, int decimals, char *out, size_t cap);
void rr_fmt_ratio(const rr_fmt *f, double v, char *out, size_t cap);   /* "1.42" */
void rr_fmt_month(const rr_fmt *f, int month, char *out, size_t cap);  /* "October 2026" */
void rr_fmt_month_short(const rr_fmt *f, int month, char *out, size_t cap); /* "Oct 26" */
/* The tick labels v[0..n) of one chart axis in one format: one unit (K/M/B,
 * or 万/億 with fmt.compact = myriad) and one number of decimals, the fewest
 * that show every tick exactly (rr_chart_axis_scale); 0 is written plainly.
 * ja: "$0", "$10万", "$20万" rather than "$10.0万" beside "$100万". */
void rr_fmt_axis(const rr_fmt *f, const double *v, size_t n, rr_unit unit, char *const *out, size_t cap);
/* A chart environment whose numbers are formatted by f (f must outlive it). */
rr_chart_env rr_fmt_chart_env(const rr_fmt *f);

#endif
