/* fmt.c: number, money, percent and month formatting (see fmt.h).
 *
 *   rr_fmt f;  rr_fmt_init(&f, cat_ru, "RUB");
 *   rr_fmt_money_d(&f, 1234567.89, 2, b, sizeof b);   // "1 234 567,89 ₽" (NBSPs)
 *
 * Everything that differs between languages is read from the catalogue:
 * fmt.group, fmt.decimal, fmt.symbol_position, fmt.month_year ({month},
 * {m} = month number, {year}), fmt.compact ("myriad" = 万/億 units from
 * fmt.ten_thousand and fmt.hundred_million, else K/M/B from fmt.thousand,
 * fmt.million, fmt.billion) and currency.<CODE> (a symbol that replaces
 * the table's, e.g. zh: currency.CNY = ¥ where others write CN¥). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/fmt.h"
#include "revreport/xalloc.h"
#include "revreport/i18n.h"

static const struct { const char *code, *symbol; int decimals; } currencies[] = {
    {"USD", "$", 2}, {"EUR", "\xe2\x82\xac", 2}, {"GBP", "\xc2\xa3", 2}, {"JPY", "\xc2\xa5", 0},
    {"CNY", "CN\xc2\xa5", 2}, {"RUB", "\xe2\x82\xbd", 2}, {"CAD", "CA$", 2}, {"AUD", "A$", 2},
    {"CHF", "CHF\xc2\xa0", 2}, {"KRW", "\xe2\x82\xa9", 0}, {"INR", "\xe2\x82\xb9", 2}, {"BRL", "R$", 2}};

static void copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

/* The catalogue's value for key, or NULL when no language defines it. */
static const char *opt(const rr_i18n *cat, const char *key)
{
    const char *v = rr_tr(cat, key);
    return v && strcmp(v, key) != 0 ? v : NULL;
}

void rr_fmt_init(rr_fmt *f, const rr_i18n *cat, const char *currency)
{
    memset(f, 0, sizeof *f);
    f->cat = cat;
    copy(f->currency, sizeof f->currency, currency ? currency : "USD");
    f->decimals = 2;
    for (size_t i = 0; i < sizeof currencies / sizeof currencies[0]; i++)
        if (strcmp(currencies[i].code, f->currency) == 0) {
            copy(f->symbol, sizeof f->symbol, currencies[i].symbol);
            f->decimals = currencies[i].decimals;
        }
    char key[32];
    snprintf(key, sizeof key, "currency.%s", f->currency);
    if (opt(cat, key)) copy(f->symbol, sizeof f->symbol, opt(cat, key));
    const char *g = rr_tr(cat, "fmt.group"), *d = rr_tr(cat, "fmt.decimal");
    /* the catalogue spells separators by name, so whitespace survives */
    copy(f->group, sizeof f->group, strcmp(g, "nbsp") == 0 ? "\xc2\xa0" : strcmp(g, "comma") == 0 ? "," :
                                    strcmp(g, "dot") == 0 ? "." : strcmp(g, "none") == 0 ? "" : ",");
    copy(f->decimal, sizeof f->decimal, strcmp(d, "comma") == 0 ? "," : ".");
    f->symbol_after = strcmp(rr_tr(cat, "fmt.symbol_position"), "after") == 0;
    f->myriad = opt(cat, "fmt.compact") && strcmp(opt(cat, "fmt.compact"), "myriad") == 0;
    snprintf(key, sizeof key, "currency_word.%s", f->currency);
    copy(f->word, sizeof f->word, opt(cat, key));
}

/* The unit for a compact number: 1e3/1e6/1e9 (K, M, B), or with myriad
 * grouping 1e4/1e8 (万, 億); 0 when |v| is below the smallest unit. */
static double compact_unit(const rr_fmt *f, double a, double min_div, const char **key)
{
    static const struct { double div; const char *key; } western[] = {
        {1e9, "fmt.billion"}, {1e6, "fmt.million"}, {1e3, "fmt.thousand"}},
        myriad[] = {{1e8, "fmt.hundred_million"}, {1e4, "fmt.ten_thousand"}};
    const size_t n = f->myriad ? 2 : 3;
    for (size_t i = 0; i < n; i++) {
        double div = f->myriad ? myriad[i].div : western[i].div;
        if (div < min_div || a < div * 0.9995) continue;
        *key = f->myriad ? myriad[i].key : western[i].key;
        return div;
    }
    return 0;
}

/* digits of |v| rounded to `decimals`, grouped */
static void grouped(const rr_fmt *f, double v, int decimals, char *out, size_t cap)
{
    char raw[64];
    if (decimals < 0) decimals = 0;
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t w = 0, gl = strlen(f->group);
    for (size_t i = 0; i < ilen && w + gl + 2 < cap; i++) {
        if (i && (ilen - i) % 3 == 0) { memcpy(out + w, f->group, gl); w += gl; }
        out[w++] = raw[i];
    }
    if (dot && w + strlen(f->decimal) + strlen(dot + 1) + 1 < cap) {
        memcpy(out + w, f->decimal, strlen(f->decimal)); w += strlen(f->decimal);
        memcpy(out + w, dot + 1, strlen(dot + 1)); w += strlen(dot + 1);
    }
    out[w < cap ? w : cap - 1] = 0;
}

static int is_neg(double v, int decimals)
{
    double scale = pow(10, decimals < 0 ? 0 : decimals);
    return v < 0 && round(fabs(v) * scale) != 0;
}

void rr_fmt_number(const rr_fmt *f, double v, int decimals, char *out, size_t cap)
{
    char g[64];
    grouped(f, v, decimals, g, sizeof g);
    snprintf(out, cap, "%s%s", is_neg(v, decimals) ? "\xe2\x88\x92" : "", g);
}

void rr_fmt_count(const rr_fmt *f, long long v, char *out, size_t cap)
{
    rr_fmt_number(f, (double)v, 0, out, cap);
}

static void with_symbol(const rr_fmt *f, int neg, const char *digits, char *out, size_t cap)
{
    const char *minus = neg ? "\xe2\x88\x92" : "";
    if (!f->symbol[0]) snprintf(out, cap, "%s%s\xc2\xa0%s", minus, digits, f->currency);
    else if (f->symbol_after) snprintf(out, cap, "%s%s\xc2\xa0%s", minus, digits, f->symbol);
    else snprintf(out, cap, "%s%s%s", minus, f->symbol, digits);
}

/* A compact amount ("3.23M", "86.3万") with its currency: the currency's word
 * after the number where the language has one (ja "86.3万ドル", zh
 * "86.3万美元": currency_word.<CODE>), else the symbol as in full amounts
 * ("$3.23M", ru "3,23 млн $"). */
static void with_currency_compact(const rr_fmt *f, int neg, const char *digits, char *out, size_t cap)
{
    if (f->word[0]) snprintf(out, cap, "%s%s%s", neg ? "\xe2\x88\x92" : "", digits, f->word);
    else with_symbol(f, neg, digits, out, cap);
}

/* x (>= 0) to three significant digits: 3.232 -> "3.23", 8.096 -> "8.10"
 * (beside "9.63" in a range), 86.27 -> "86.3", 863.4 -> "863"; a whole
 * number stays whole: 3.0 -> "3". */
static void sig3(const rr_fmt *f, double x, char *out, size_t cap)
{
    int dec = x >= 99.95 ? 0 : x >= 9.995 ? 1 : 2;
    if (fabs(x - round(x)) < 0.5 * pow(10, -dec)) dec = 0;
    rr_fmt_number(f, x, dec, out, cap);
}

void rr_fmt_money_d(const rr_fmt *f, double v, int decimals, char *out, size_t cap)
{
    char g[64];
    if (decimals < 0) decimals = fabs(v) >= 1000 ? 0 : f->decimals;
    if (decimals > f->decimals) decimals = f->decimals;
    grouped(f, v, decimals, g, sizeof g);
    with_symbol(f, is_neg(v, decimals), g, out, cap);
}

void rr_fmt_money(const rr_fmt *f, rr_money v, int decimals, char *out, size_t cap)
{
    rr_fmt_money_d(f, rr_money_to_double(v), decimals, out, cap);
}

void rr_fmt_money_compact(const rr_fmt *f, double v, char *out, size_t cap)
{
    const char *key = NULL;
    double a = fabs(v), div = compact_unit(f, a, 0, &key);
    char num[48], g[64];
    if (div > 0) {
        sig3(f, a / div, num, sizeof num);
        snprintf(g, sizeof g, "%s%s", num, rr_tr(f->cat, key));
    } else {
        grouped(f, a, 0, g, sizeof g);
    }
    with_currency_compact(f, div > 0 ? v < 0 : is_neg(v, 0), g, out, cap);
}

void rr_fmt_pct(const rr_fmt *f, double frac, int decimals, char *out, size_t cap)
{
    char g[64];
    if (!isfinite(frac)) { snprintf(out, cap, "\xe2\x80\x94"); return; }
    rr_fmt_number(f, frac * 100.0, decimals, g, sizeof g);
    snprintf(out, cap, "%s%%", g);
}

void rr_fmt_delta_pct(const rr_fmt *f, double frac, int decimals, char *out, size_t cap)
{
    char g[64];
    if (!isfinite(frac)) { snprintf(out, cap, "\xe2\x80\x94"); return; }
    grouped(f, frac * 100.0, decimals, g, sizeof g);
    double r = round(fabs(frac) * 100.0 * pow(10, decimals));
    snprintf(out, cap, "%s%s%%", r == 0 ? "\xc2\xb1" : frac > 0 ? "+" : "\xe2\x88\x92", g);
}

/* v as a multiple with the language's mark, to `decimals`. */
static void ratio_d(const rr_fmt *f, double v, int decimals, char *out, size_t cap)
{
    if (!isfinite(v)) { snprintf(out, cap, "\xe2\x80\x94"); return; }
    char n[64];
    rr_fmt_number(f, v, decimals, n, sizeof n);
    char *s = rr_i18n_subst(rr_tr(f->cat, "fmt.ratio"), "x", n, NULL);
    snprintf(out, cap, "%s", s);
    free(s);
}

/* ROI and ROAS are multiples of spend: "4.84×" (ja/zh "4.84倍") */
void rr_fmt_ratio(const rr_fmt *f, double v, char *out, size_t cap)
{
    ratio_d(f, v, 2, out, cap);
}

void rr_fmt_month(const rr_fmt *f, int month, char *out, size_t cap)
{
    char key[32], year[16], m[8];
    snprintf(key, sizeof key, "month.%d", month % 12 + 1);
    snprintf(year, sizeof year, "%d", month / 12);
    snprintf(m, sizeof m, "%d", month % 12 + 1);
    char *s = rr_i18n_subst(rr_tr(f->cat, "fmt.month_year"), "month", rr_tr(f->cat, key), "year", year,
                            "m", m, NULL);
    snprintf(out, cap, "%s", s);
    free(s);
}

void rr_fmt_month_short(const rr_fmt *f, int month, char *out, size_t cap)
{
    char key[32], year[16], m[8];
    snprintf(key, sizeof key, "month.short.%d", month % 12 + 1);
    snprintf(year, sizeof year, "%02d", (month / 12) % 100);
    snprintf(m, sizeof m, "%d", month % 12 + 1);
    char *s = rr_i18n_subst(rr_tr(f->cat, "fmt.month_year_short"), "month", rr_tr(f->cat, key), "year", year,
                            "m", m, NULL);
    snprintf(out, cap, "%s", s);
    free(s);
}

static void chart_format(void *ud, double v, rr_unit unit, const char *currency, int compact, char *out, size_t cap)
{
    const rr_fmt *f = ud;
    (void)currency;
    switch (unit) {
    case RR_UNIT_MONEY:
        if (compact) rr_fmt_money_compact(f, v, out, cap);
        else rr_fmt_money_d(f, v, 0, out, cap);
        return;
    case RR_UNIT_PERCENT: rr_fmt_pct(f, v, fabs(v) < 0.1 && v != 0 ? 1 : 0, out, cap); return;
    case RR_UNIT_RATIO:   /* bar labels "4.8×", "19.0×": one decimal, the tables' mark */
        ratio_d(f, v, compact ? 1 : 2, out, cap);
        return;
    case RR_UNIT_NUMBER: {
        const char *k = NULL;
        double div = compact && fabs(v) >= 10000 ? compact_unit(f, fabs(v), 1e3, &k) : 0;
        if (div > 0) {
            char g[48];
            rr_fmt_number(f, v / div, fabs(v / div) >= 100 ? 0 : 1, g, sizeof g);
            snprintf(out, cap, "%s%s", g, rr_tr(f->cat, k));
        } else {
            rr_fmt_number(f, v, fabs(v) < 10 && v != floor(v) ? 1 : 0, out, cap);
        }
        return;
    }
    }
    rr_fmt_number(f, v, 0, out, cap);
}

void rr_fmt_axis(const rr_fmt *f, const double *v, size_t n, rr_unit unit, char *const *out, size_t cap)
{
    static const double WEST[] = {1e9, 1e6, 1e3, 1}, MYRIAD[] = {1e8, 1e4, 1}, ONE[] = {1};
    static const char *const WEST_K[] = {"fmt.billion", "fmt.million", "fmt.thousand", NULL};
    static const char *const MYRIAD_K[] = {"fmt.hundred_million", "fmt.ten_thousand", NULL};
    int amount = unit == RR_UNIT_MONEY || unit == RR_UNIT_NUMBER;
    const double *divs = !amount ? ONE : f->myriad ? MYRIAD : WEST;
    const char *const *keys = f->myriad ? MYRIAD_K : WEST_K;
    size_t ndiv = !amount ? 1 : f->myriad ? 3 : 4, u;
    int d;
    double mul = unit == RR_UNIT_PERCENT ? 100 : 1;
    double *w = rr_xcalloc(n + 1, sizeof *w);
    for (size_t i = 0; i < n; i++) w[i] = v[i] * mul;
    rr_chart_axis_scale(w, n, divs, ndiv, 2, &u, &d);
    if (unit == RR_UNIT_MONEY && d > f->decimals && divs[u] == 1) d = f->decimals;
    for (size_t i = 0; i < n; i++) {
        int dd = v[i] == 0 ? 0 : d;   /* zero is plain: "$0", "0%" */
        switch (unit) {
        case RR_UNIT_PERCENT: rr_fmt_pct(f, v[i], dd, out[i], cap); break;
        case RR_UNIT_RATIO: ratio_d(f, v[i], dd, out[i], cap); break;
        case RR_UNIT_MONEY:
        case RR_UNIT_NUMBER: {
            char g[64], h[96];
            if (!isfinite(v[i])) { snprintf(out[i], cap, "\xe2\x80\x94"); break; }
            grouped(f, v[i] / divs[u], dd, g, sizeof g);
            snprintf(h, sizeof h, "%s%s", g, v[i] != 0 && keys[u] ? rr_tr(f->cat, keys[u]) : "");
            if (unit == RR_UNIT_MONEY) with_currency_compact(f, is_neg(v[i] / divs[u], dd), h, out[i], cap);
            else snprintf(out[i], cap, "%s%s", is_neg(v[i] / divs[u], dd) ? "\xe2\x88\x92" : "", h);
            break;
        }
        }
    }
    free(w);
}

static void chart_axis(void *ud, const double *v, size_t n, rr_unit unit, const char *currency, char *const *out,
                       size_t cap)
{
    (void)currency;
    rr_fmt_axis(ud, v, n, unit, out, cap);
}

rr_chart_env rr_fmt_chart_env(const rr_fmt *f)
{
    rr_chart_env env = rr_chart_env_default();
    env.format = chart_format;
    env.format_ud = (void *)f;
    env.format_axis = chart_axis;
    /* a family list: each label takes the first face that has all its
     * characters (kana, hanzi, Cyrillic), measured and painted alike */
    if (opt(f->cat, "font.family")) {
        env.font_family = opt(f->cat, "font.family");
        env.text_ud = (void *)env.font_family;
    }
    static const struct { rr_chart_str id; const char *key; } words[] = {
        {RR_CHART_STR_NO_DATA, "chart.no_data"}, {RR_CHART_STR_TOTAL, "chart.total"},
        {RR_CHART_STR_OTHER, "chart.other"}, {RR_CHART_STR_OF_TARGET, "kpi.of_target"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        env.strings[words[i].id] = opt(f->cat, words[i].key);
    return env;
}
