/* num.h: the one place numbers are parsed (never by the process locale).
 *
 *   rr_money m;  rr_numfmt nf = RR_NUMFMT_CANONICAL;
 *   if (rr_num_money("1234.56", 7, &nf, &m) == RR_OK)  // m == 12345600 (1/10000 units)
 *
 * Money is exact: an int64 count of 1/10000 of a currency unit, summed as
 * integers.  Parsing is byte-exact decimal (no strtod), so "0.1" is exactly
 * 1000 units.  Group and decimal separators are explicit options. */
#ifndef RR_NUM_H
#define RR_NUM_H
#include <stddef.h>
#include <stdint.h>
#include "revreport/status.h"

typedef int64_t rr_money;
#define RR_MONEY_SCALE 10000

typedef struct {
    char decimal;          /* '.' or ','; 0 = decide per value (see rr_num_money) */
    const char *groups;    /* bytes accepted as group separators, e.g. "," or ". " ; NULL = none */
    int allow_nbsp;        /* accept U+00A0 / U+202F as group separators */
    int allow_symbols;     /* strip currency symbols/codes ($, €, ¥, ₽, £, USD...) and a trailing % */
    int allow_parens;      /* (123) means -123 */
} rr_numfmt;

#define RR_NUMFMT_CANONICAL ((rr_numfmt){'.', NULL, 0, 0, 0})

/* Parse a decimal amount into 1/10000 units; more than 4 decimals round half
 * away from zero.  With nf->decimal == 0 the separators are read from the
 * value: "1,234.56", "1.234,56", "1 234,56" (space, NBSP, U+202F, ') all work;
 * when both '.' and ',' occur the last one is the decimal mark; one mark
 * followed by exactly three digits ("1,234", "1.234") is a group separator,
 * otherwise ("12,5", "0.75") a decimal mark.  Errors: RR_ERR_INPUT on anything that is not a number or
 * overflows (|v| > 9e14).  s need not be NUL-terminated. */
rr_status rr_num_money(const char *s, size_t len, const rr_numfmt *nf, rr_money *out);
/* What one written amount says of the decimal mark: '.' or ',' when only
 * that mark can be the decimal one ("1,234.5", "9225.225" (four digits
 * before a mark cannot be a group), "0.225", "12,5", "1.234.567" -> ','),
 * 0 when it says nothing ("1,234", "12.500", "42").  A column's mark is
 * decided from all its values (see datadir.c), never from one. */
int rr_num_decimal_hint(const char *s, size_t len);
/* Parse a decimal number into a double (same syntax). */
rr_status rr_num_double(const char *s, size_t len, const rr_numfmt *nf, double *out);
/* Parse a plain integer (optional sign, digits only). */
rr_status rr_num_int(const char *s, size_t len, long long *out);
/* Parse a boolean: true/false, 1/0, yes/no, y/n (case-insensitive). */
rr_status rr_num_bool(const char *s, size_t len, int *out);

/* An exchange rate exactly as written: mant / 10^scale ("1.0650" is
 * {10650, 4}, "0.0072" is {72, 4}).  scale 0..18. */
typedef struct { int64_t mant; int scale; } rr_rate;
/* Parse a positive or negative decimal rate exactly (same syntax as
 * rr_num_double, no percent): at most 18 digits after the decimal mark and a
 * mantissa below 9.2e18.  RR_ERR_INPUT otherwise. */
rr_status rr_num_rate(const char *s, size_t len, const rr_numfmt *nf, rr_rate *out);
double rr_rate_to_double(rr_rate r);

/* Exact conversions */
double rr_money_to_double(rr_money m);
/* m * rate rounded half away from zero to a unit (floating point: for
 * fractions that are not money; exchange rates use rr_money_convert) */
rr_money rr_money_scale(rr_money m, double rate);
/* m x r.mant / 10^r.scale computed exactly (a 128-bit product, one integer
 * division) and rounded half away from zero to 1/10000:
 * 27870.37 EUR x 1.0650 = 29681.94405 -> 29681.9441.  RR_ERR_INPUT when the
 * result does not fit an rr_money. */
rr_status rr_money_convert(rr_money m, rr_rate r, rr_money *out);
/* Write m as a plain decimal with exactly `decimals` places (0..4), rounded
 * half away from zero: "-1234.50".  Returns the length. */
size_t rr_money_str(rr_money m, int decimals, char *out, size_t cap);

#endif
