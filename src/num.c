/* num.c: exact decimal parsing of amounts, numbers, integers and booleans.
 *
 * The parser accepts: optional sign, optional currency symbol/code (when
 * allowed), digits with optional group separators, an optional decimal part,
 * optional trailing % (allowed symbols), parentheses for negatives (allowed). */
#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include "revreport/num.h"

/* an ASCII digit (isdigit looks the locale's table up through a call per character) */
static inline int is_digit(int c) { return (unsigned)(c - '0') <= 9u; }

static const char *const currency_tokens[] = {
    "US$", "$", "\xe2\x82\xac" /* € */, "\xc2\xa5" /* ¥ */, "\xef\xbf\xa5" /* ￥ */,
    "\xe2\x82\xbd" /* ₽ */, "\xc2\xa3" /* £ */, "\xe5\x86\x86" /* 円 */,
    "\xe5\x85\x83" /* 元 */, "\xd1\x80\xd1\x83\xd0\xb1." /* руб. */, "\xd1\x80." /* р. */,
    "USD", "EUR", "JPY", "CNY", "RUB", "GBP", "RMB", NULL
};

static int skip_token(const char **p, const char *end, const char *tok)
{
    size_t n = strlen(tok);
    if ((size_t)(end - *p) >= n && strncasecmp(*p, tok, n) == 0) {
        *p += n;
        return 1;
    }
    return 0;
}

static void skip_spaces(const char **p, const char *end)
{
    for (;;) {
        if (*p < end && (**p == ' ' || **p == '\t')) { (*p)++; continue; }
        if (end - *p >= 2 && (unsigned char)(*p)[0] == 0xc2 && (unsigned char)(*p)[1] == 0xa0) { *p += 2; continue; }
        if (end - *p >= 3 && (unsigned char)(*p)[0] == 0xe2 && (unsigned char)(*p)[1] == 0x80 &&
            (unsigned char)(*p)[2] == 0xaf) { *p += 3; continue; }
        break;
    }
}

static void skip_currency(const char **p, const char *end)
{
    for (int i = 0; currency_tokens[i]; i++)
        if (skip_token(p, end, currency_tokens[i])) { skip_spaces(p, end); return; }
}

/* Core: parse into sign, integer digits (as int64 with overflow check) and up
 * to 18 fractional digits kept as a digit string. */
typedef struct {
    int neg;
    uint64_t ipart;
    char frac[20];
    int nfrac;
    int percent;
} parsed;

static rr_status parse(const char *s, size_t len, const rr_numfmt *nf, parsed *out)
{
    const char *p = s, *end = s + len;
    int paren = 0, digits = 0;
    memset(out, 0, sizeof *out);
    skip_spaces(&p, end);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t')) end--;
    if (nf->allow_parens && p < end && *p == '(' && end[-1] == ')') { paren = 1; p++; end--; }
    if (nf->allow_symbols) skip_currency(&p, end);
    if (p < end && (*p == '-' || *p == '+')) { out->neg = *p == '-'; p++; }
    if (nf->allow_symbols) skip_currency(&p, end);
    if (p < end && (*p == '-' || *p == '+') && !out->neg) { out->neg = *p == '-'; p++; }
    int last_group = 0;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (is_digit(c)) {
            if (out->ipart > (UINT64_MAX - 9) / 10) return RR_ERR_INPUT;
            out->ipart = out->ipart * 10 + (uint64_t)(c - '0');
            digits++; p++; last_group = 0;
            continue;
        }
        if (digits && c != (unsigned char)nf->decimal) {
            int g = 0;
            if (nf->groups && memchr(nf->groups, c, strlen(nf->groups))) g = 1;
            else if (nf->allow_nbsp && end - p >= 2 && c == 0xc2 && (unsigned char)p[1] == 0xa0) g = 2;
            else if (nf->allow_nbsp && end - p >= 3 && c == 0xe2 && (unsigned char)p[1] == 0x80 &&
                     (unsigned char)p[2] == 0xaf) g = 3;
            if (g && !last_group && p + g < end && is_digit(p[g])) { p += g; last_group = 1; continue; }
        }
        break;
    }
    if (p < end && *p == nf->decimal) {
        p++;
        while (p < end && is_digit(*p)) {
            if (out->nfrac < (int)sizeof out->frac - 1) out->frac[out->nfrac++] = *p;
            digits++; p++;
        }
    }
    if (!digits) return RR_ERR_INPUT;
    skip_spaces(&p, end);
    if (nf->allow_symbols) {
        if (p < end && *p == '%') { out->percent = 1; p++; }
        skip_spaces(&p, end);
        skip_currency(&p, end);
    }
    if (p != end) return RR_ERR_INPUT;
    if (paren) out->neg = !out->neg;
    return RR_OK;
}

/* nf->decimal == 0: pick the decimal mark from the value itself. */
static rr_numfmt resolve(const char *s, size_t len, const rr_numfmt *nf)
{
    rr_numfmt r = *nf;
    if (nf->decimal) return r;
    const char *lastdot = NULL, *lastcomma = NULL;
    int ndot = 0, ncomma = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') { ndot++; lastdot = s + i; }
        else if (s[i] == ',') { ncomma++; lastcomma = s + i; }
    }
    r.allow_nbsp = 1;
    if (ndot && ncomma) r.decimal = lastdot > lastcomma ? '.' : ',';
    else if (ndot + ncomma == 0) r.decimal = '.';
    else {
        char c = ndot ? '.' : ',';
        const char *at = ndot ? lastdot : lastcomma;
        size_t after = 0;
        while (at + 1 + after < s + len && is_digit(at[1 + after])) after++;
        int before = at > s && is_digit(at[-1]);
        if (ndot + ncomma > 1 || (after == 3 && before)) r.decimal = c == '.' ? ',' : '.';   /* c groups */
        else r.decimal = c;
    }
    r.groups = r.decimal == '.' ? ", '" : ". '";
    return r;
}

int rr_num_decimal_hint(const char *s, size_t len)
{
    const char *lastdot = NULL, *lastcomma = NULL;
    int ndot = 0, ncomma = 0, spaced = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') { ndot++; lastdot = s + i; }
        else if (s[i] == ',') { ncomma++; lastcomma = s + i; }
        else if ((s[i] == ' ' || s[i] == '\'' || (unsigned char)s[i] == 0xA0) && i && is_digit(s[i - 1]) &&
                 i + 1 < len && is_digit(s[i + 1]))
            spaced = 1;   /* "1 234": spaces (NBSP, ') group, so a mark after them is the decimal one */
    }
    if (ndot && ncomma) return lastdot > lastcomma ? '.' : ',';
    if (ndot + ncomma == 0) return 0;
    char c = ndot ? '.' : ',';
    if (ndot + ncomma > 1) return c == '.' ? ',' : '.';   /* "1.234.567": c groups */
    const char *at = ndot ? lastdot : lastcomma;
    size_t after = 0, before = 0;
    while (at + 1 + after < s + len && is_digit(at[1 + after])) after++;
    while (at - before > s && is_digit(at[-1 - (long)before])) before++;
    if (after != 3 || spaced) return c;
    if (before > 3 || (before == 1 && at[-1] == '0') || before == 0) return c;   /* "9225.225", "0.225", ".225" */
    return 0;   /* "1,234", "12.500": either */
}

rr_status rr_num_money(const char *s, size_t len, const rr_numfmt *nf0, rr_money *out)
{
    parsed v;
    rr_numfmt nfr = resolve(s, len, nf0);
    const rr_numfmt *nf = &nfr;
    if (parse(s, len, nf, &v) != RR_OK || v.percent) return RR_ERR_INPUT;
    if (v.ipart > 900000000000000ULL) return RR_ERR_INPUT;
    int64_t units = (int64_t)v.ipart * RR_MONEY_SCALE;
    int64_t frac = 0, mul = RR_MONEY_SCALE / 10;
    for (int i = 0; i < v.nfrac && i < 4; i++, mul /= 10) frac += (v.frac[i] - '0') * mul;
    if (v.nfrac > 4 && v.frac[4] >= '5') frac += 1;
    units += frac;
    *out = v.neg ? -units : units;
    return RR_OK;
}

rr_status rr_num_double(const char *s, size_t len, const rr_numfmt *nf0, double *out)
{
    parsed v;
    rr_numfmt nfr = resolve(s, len, nf0);
    const rr_numfmt *nf = &nfr;
    if (parse(s, len, nf, &v) != RR_OK) return RR_ERR_INPUT;
    double d = (double)v.ipart, scale = 0.1;
    for (int i = 0; i < v.nfrac; i++, scale /= 10) d += (v.frac[i] - '0') * scale;
    if (v.percent) d /= 100.0;
    *out = v.neg ? -d : d;
    return RR_OK;
}

rr_status rr_num_rate(const char *s, size_t len, const rr_numfmt *nf0, rr_rate *out)
{
    parsed v;
    rr_numfmt nfr = resolve(s, len, nf0);
    if (parse(s, len, &nfr, &v) != RR_OK || v.percent) return RR_ERR_INPUT;
    int nfrac = v.nfrac;
    if (nfrac >= (int)sizeof v.frac - 1) return RR_ERR_INPUT;   /* digits may have been dropped */
    while (nfrac > 0 && v.frac[nfrac - 1] == '0') nfrac--;      /* "1.0650" = 1.065 */
    if (nfrac > 18) return RR_ERR_INPUT;
    unsigned __int128 mant = v.ipart;
    for (int i = 0; i < nfrac; i++) {
        mant = mant * 10 + (unsigned)(v.frac[i] - '0');
        if (mant > (unsigned __int128)INT64_MAX) return RR_ERR_INPUT;
    }
    if (mant > (unsigned __int128)INT64_MAX) return RR_ERR_INPUT;
    out->mant = v.neg ? -(int64_t)mant : (int64_t)mant;
    out->scale = nfrac;
    return RR_OK;
}

double rr_rate_to_double(rr_rate r)
{
    double d = (double)r.mant;
    for (int i = 0; i < r.scale; i++) d /= 10;
    return d;
}

rr_status rr_num_int(const char *s, size_t len, long long *out)
{
    size_t i = 0;
    int neg = 0;
    long long v = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    if (i < len && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i == len) return RR_ERR_INPUT;
    for (; i < len; i++) {
        if (!is_digit(s[i])) return RR_ERR_INPUT;
        if (v > (INT64_MAX - 9) / 10) return RR_ERR_INPUT;
        v = v * 10 + (s[i] - '0');
    }
    *out = neg ? -v : v;
    return RR_OK;
}

rr_status rr_num_bool(const char *s, size_t len, int *out)
{
    static const struct { const char *w; int v; } words[] = {
        {"true", 1}, {"false", 0}, {"1", 1}, {"0", 0}, {"yes", 1}, {"no", 0},
        {"y", 1}, {"n", 0}, {"t", 1}, {"f", 0}
    };
    while (len && (s[0] == ' ' || s[0] == '\t')) { s++; len--; }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].w) == len && strncasecmp(s, words[i].w, len) == 0) {
            *out = words[i].v;
            return RR_OK;
        }
    return RR_ERR_INPUT;
}

double rr_money_to_double(rr_money m)
{
    return (double)m / RR_MONEY_SCALE;
}

rr_money rr_money_scale(rr_money m, double rate)
{
    long double v = (long double)m * (long double)rate;
    return (rr_money)(v < 0 ? v - 0.5L : v + 0.5L);
}

rr_status rr_money_convert(rr_money m, rr_rate r, rr_money *out)
{
    if (r.scale < 0 || r.scale > 18) return RR_ERR_INPUT;
    __int128 p = (__int128)m * r.mant;
    int neg = p < 0;
    unsigned __int128 a = neg ? (unsigned __int128)(-(p + 1)) + 1 : (unsigned __int128)p;
    unsigned __int128 d = 1;
    for (int i = 0; i < r.scale; i++) d *= 10;
    unsigned __int128 q = (a + d / 2) / d;   /* half away from zero */
    if (q > (unsigned __int128)INT64_MAX) return RR_ERR_INPUT;
    *out = neg ? -(rr_money)q : (rr_money)q;
    return RR_OK;
}

size_t rr_money_str(rr_money m, int decimals, char *out, size_t cap)
{
    static const int64_t div[] = {10000, 1000, 100, 10, 1};
    if (decimals < 0) decimals = 0;
    if (decimals > 4) decimals = 4;
    int neg = m < 0;
    uint64_t a = neg ? (uint64_t)(-(m + 1)) + 1 : (uint64_t)m;
    uint64_t d = (uint64_t)div[decimals];
    uint64_t q = (a + d / 2) / d;           /* in 10^-decimals units */
    uint64_t pow10 = 1;
    for (int i = 0; i < decimals; i++) pow10 *= 10;
    uint64_t ip = q / pow10, fp = q % pow10;
    int n;
    if (decimals)
        n = snprintf(out, cap, "%s%llu.%0*llu", neg && q ? "-" : "", (unsigned long long)ip, decimals,
                     (unsigned long long)fp);
    else
        n = snprintf(out, cap, "%s%llu", neg && q ? "-" : "", (unsigned long long)ip);
    return n < 0 ? 0 : (size_t)n;
}
