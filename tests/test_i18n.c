/* test_i18n.c: the catalogues are complete and the localized formats are
 * right (TAP).
 *
 *   tests/test_i18n            # from make check
 *
 * Completeness, for ja, zh and ru, file by file: every en*.txt has its
 * <lang>*.txt (en.txt -> ja.txt, en-attr.txt -> ja-attr.txt), every key of
 * the English file is in it, and its {placeholders} are the English ones
 * (a renamed or mistyped placeholder would print as "{name}").  The other
 * way round, a key of <lang>-<module>.txt that is not in en-<module>.txt, or
 * a <lang>-<module>.txt without an English file, is a failure too (a typo
 * in a key would otherwise fall back to English silently).  Only the
 * language settings fmt.compact, fmt.ten_thousand, fmt.hundred_million and
 * currency.<CODE> may exist in a translation alone.
 *
 * Formats: golden strings worked out by hand from the catalogues' rules
 * (the expected bytes spell NBSP and U+2212 explicitly). */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/fmt.h"
#include "revreport/i18n.h"
#include "revreport/period.h"
#include "revreport/tap.h"

#define NBSP "\xc2\xa0"

typedef struct { char **k, **v; size_t n; } keys;

/* The keys and values of one catalogue file (NULL when it does not exist). */
static keys *read_keys(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    keys *ks = calloc(1, sizeof *ks);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        char *eq = strchr(p, '=');
        if (*p == '#' || !eq) continue;
        while (eq > p && (eq[-1] == ' ' || eq[-1] == '\t')) eq--;
        char *v = strchr(eq, '=') + 1;
        while (*v == ' ' || *v == '\t') v++;
        size_t vn = strcspn(v, "\r\n");
        ks->k = realloc(ks->k, (ks->n + 1) * sizeof *ks->k);
        ks->v = realloc(ks->v, (ks->n + 1) * sizeof *ks->v);
        ks->k[ks->n] = strndup(p, (size_t)(eq - p));
        ks->v[ks->n++] = strndup(v, vn);
    }
    free(line);
    fclose(f);
    return ks;
}

/* The value of key k, or NULL. */
static const char *get(const keys *ks, const char *k)
{
    for (size_t i = 0; ks && i < ks->n; i++)
        if (strcmp(ks->k[i], k) == 0) return ks->v[i];
    return NULL;
}

static void free_keys(keys *ks)
{
    if (!ks) return;
    for (size_t i = 0; i < ks->n; i++) { free(ks->k[i]); free(ks->v[i]); }
    free(ks->k);
    free(ks->v);
    free(ks);
}

/* 1 when every {name} of a is in b (placeholders compared as whole names;
 * a grammatical case "{name:dat}" and a plural "{name|one:...}" are the same
 * placeholder as "{name}"), leaving out the names listed in skip ("{a}{b}"). */
static int placeholders_in_but(const char *a, const char *b, const char *skip)
{
    for (const char *o = strchr(a, '{'); o; o = strchr(o + 1, '{')) {
        const char *c = strchr(o, '}');
        if (!c) break;
        size_t n = strcspn(o + 1, ":|}");
        char name[64];
        snprintf(name, sizeof name, "{%.*s}", (int)n, o + 1);
        if (skip && strstr(skip, name)) continue;
        int found = 0;
        for (const char *q = strstr(b, "{"); q && !found; q = strchr(q + 1, '{'))
            found = strcspn(q + 1, ":|}") == n && strncmp(q + 1, o + 1, n) == 0;
        if (!found) return 0;
    }
    return 1;
}

static int placeholders_in(const char *a, const char *b) { return placeholders_in_but(a, b, NULL); }

/* Placeholders a translation may leave out of a key: the previous period in
 * a comparison whose word names it (ja 前月比, zh 环比, ru м/м). */
static const char *may_omit(const char *k)
{
    return strncmp(k, "kpi.vs_prev", 11) == 0 || strncmp(k, "hl.", 3) == 0 ? "{period}{prevperiod}" : NULL;
}

/* A fiscal-period pattern (fy.*) may use any placeholder rr_i18n_fiscal supplies:
 * ja names 年度 by its start year where English names FY by its end year. */
#define FY_SUPPLIED "{year}{startyear}{endyear}{endmonth}{quarter}"

/* Keys a translation may have without English: settings of its own language. */
static int language_only(const char *k)
{
    static const char *own[] = {"fmt.compact", "fmt.ten_thousand", "fmt.hundred_million"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        if (strcmp(k, own[i]) == 0) return 1;
    if (strncmp(k, "currency_word.", 14) == 0 && strlen(k) == 17 && strspn(k + 14, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3)
        return 1;   /* the word after a compact amount (ja 万ドル, zh 万美元) */
    return strncmp(k, "currency.", 9) == 0 && strlen(k) == 12 && strspn(k + 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
}

/* The English file for one translated file name: "ja-attr.txt" -> "en-attr.txt". */
static void english_of(const char *path, const char *lang, char *out, size_t cap)
{
    const char *base = strrchr(path, '/') + 1;
    snprintf(out, cap, "%.*sen%s", (int)(base - path), path, base + strlen(lang));
}

static void completeness(const char *dir, const char *lang)
{
    char pat[2048];
    snprintf(pat, sizeof pat, "%s/i18n/en*.txt", dir);
    glob_t g;
    if (glob(pat, 0, NULL, &g) != 0) { rr_tap_ok(0, "%s: no English catalogue in %s", lang, dir); return; }
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *en = g.gl_pathv[i], *base = strrchr(en, '/') + 1;   /* en.txt, en-attr.txt */
        char path[2048];
        snprintf(path, sizeof path, "%.*s%s%s", (int)(base - en), en, lang, base + 2);
        keys *ke = read_keys(en), *kl = read_keys(path);
        rr_tap_ok(kl != NULL, "%s%s exists (the translation of %s)", lang, base + 2, base);
        size_t missing = 0, badph = 0;
        for (size_t j = 0; kl && ke && j < ke->n; j++) {
            const char *v = get(kl, ke->k[j]);
            if (!v) {
                missing++;
                rr_tap_ok(0, "%s%s: key '%s' is translated", lang, base + 2, ke->k[j]);
            } else if (strncmp(ke->k[j], "fy.", 3) == 0 ? !placeholders_in(v, FY_SUPPLIED)
                       : !placeholders_in_but(ke->v[j], v, may_omit(ke->k[j])) || !placeholders_in(v, ke->v[j])) {
                badph++;
                rr_tap_ok(0, "%s%s: key '%s' has the placeholders of English (\"%s\" vs \"%s\")",
                          lang, base + 2, ke->k[j], v, ke->v[j]);
            }
        }
        if (kl) {
            rr_tap_ok(missing == 0, "%s%s has all %zu keys of %s", lang, base + 2, ke ? ke->n : 0, base);
            rr_tap_ok(badph == 0, "%s%s: every value has the {placeholders} of %s", lang, base + 2, base);
        }
        size_t extra = 0;
        for (size_t j = 0; kl && j < kl->n; j++) {
            if (get(ke, kl->k[j]) || language_only(kl->k[j])) continue;
            extra++;
            rr_tap_ok(0, "%s%s: key '%s' is not in %s (a typo?)", lang, base + 2, kl->k[j], base);
        }
        if (kl) rr_tap_ok(extra == 0, "%s%s has no key that %s lacks", lang, base + 2, base);
        free_keys(ke);
        free_keys(kl);
    }
    globfree(&g);
    /* a translated module file without its English file is a typo too */
    snprintf(pat, sizeof pat, "%s/i18n/%s*.txt", dir, lang);
    if (glob(pat, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            char en[2048];
            english_of(g.gl_pathv[i], lang, en, sizeof en);
            keys *ke = read_keys(en);
            rr_tap_ok(ke != NULL, "%s has an English file (%s)", strrchr(g.gl_pathv[i], '/') + 1, strrchr(en, '/') + 1);
            free_keys(ke);
        }
        globfree(&g);
    }
    /* and the loader agrees: nothing of the English catalogue falls back */
    rr_i18n *cat = NULL;
    rr_error err = {0};
    rr_tap_ok(rr_i18n_load(dir, lang, &cat, &err) == RR_OK, "%s: catalogue loads", lang);
    const char *first[4] = {0};
    size_t nmiss = cat ? rr_i18n_missing(cat, first, 4) : 1;
    rr_tap_ok(nmiss == 0, "%s: the loaded catalogue misses no English key (%zu missing%s%s)", lang, nmiss,
              first[0] ? ", first " : "", first[0] ? first[0] : "");
    rr_i18n_free(cat);
}

typedef struct { const char *lang, *cur; double v; int kind; const char *want; } golden;
enum { MONEY0, MONEY2, MONEYAUTO, COMPACT, PCT1, MONTH, MONTH_SHORT, COUNT, DELTA };

static void format_goldens(const char *dir)
{
    static const golden G[] = {
        /* the examples */
        {"ja", "JPY", 1234567, MONEYAUTO, "\xc2\xa5" "1,234,567"},
        {"ru", "RUB", 1234567.89, MONEY2, "1" NBSP "234" NBSP "567,89" NBSP "\xe2\x82\xbd"},
        {"ja", "JPY", 2026 * 12 + 9, MONTH, "2026\xe5\xb9\xb4" "10\xe6\x9c\x88"},           /* 2026年10月 */
        {"ru", "RUB", 2026 * 12 + 9, MONTH, "\xd0\xbe\xd0\xba\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8c 2026"},
        {"zh", "CNY", 2026 * 12 + 9, MONTH, "2026\xe5\xb9\xb4" "10\xe6\x9c\x88"},
        /* JPY has no minor unit, even when asked for 2 decimals */
        {"ja", "JPY", 999.6, MONEY2, "\xc2\xa5" "1,000"},
        {"en", "JPY", 1234567, MONEY2, "\xc2\xa5" "1,234,567"},
        /* CNY: ¥ in Chinese, CN¥ elsewhere (so it is not read as yen) */
        {"zh", "CNY", 1234567.891, MONEY2, "\xc2\xa5" "1,234,567.89"},
        {"en", "CNY", 1234567.891, MONEY2, "CN\xc2\xa5" "1,234,567.89"},
        {"ja", "CNY", 950, MONEYAUTO, "CN\xc2\xa5" "950.00"},
        /* Russian: NBSP groups, decimal comma, symbol after; U+2212 minus */
        {"ru", "RUB", -1500.5, MONEY2, "\xe2\x88\x92" "1" NBSP "500,50" NBSP "\xe2\x82\xbd"},
        {"ru", "USD", 1234567, MONEY0, "1" NBSP "234" NBSP "567" NBSP "$"},
        {"ru", "RUB", 1234567, COMPACT, "1,23" NBSP "\xd0\xbc\xd0\xbb\xd0\xbd" NBSP "\xe2\x82\xbd"},  /* 1,23 млн ₽ */
        {"ru", "USD", 862950, COMPACT, "863" NBSP "\xd1\x82\xd1\x8b\xd1\x81." NBSP "$"},              /* 863 тыс. $ */
        {"ru", "USD", 3232261, COMPACT, "3,23" NBSP "\xd0\xbc\xd0\xbb\xd0\xbd" NBSP "$"},          /* 3,23 млн $ */
        {"ru", "RUB", 0.253, PCT1, "25,3%"},
        {"ru", "RUB", 12345, COUNT, "12" NBSP "345"},
        {"ru", "RUB", 2026 * 12 + 8, MONTH_SHORT, "\xd1\x81\xd0\xb5\xd0\xbd\xd1\x82. 26"},        /* сент. 26 */
        /* Japanese and Chinese compact amounts count in 万 (1e4) and 億/亿 (1e8) */
        {"ja", "JPY", 323000000, COMPACT, "3.23\xe5\x84\x84\xe5\x86\x86"},                     /* 3.23億円 */
        {"ja", "JPY", 320000000, COMPACT, "3.20\xe5\x84\x84\xe5\x86\x86"},                     /* 3.20億円 */
        {"en", "USD", 8095810, COMPACT, "$8.10M"},
        {"ja", "JPY", 34500000, COMPACT, "3,450\xe4\xb8\x87\xe5\x86\x86"},                     /* 3,450万円 */
        {"ja", "JPY", 9000, COMPACT, "9,000\xe5\x86\x86"},                                     /* 9,000円 */
        {"ja", "USD", 862950, COMPACT, "86.3\xe4\xb8\x87\xe3\x83\x89\xe3\x83\xab"},          /* 86.3万ドル */
        {"ja", "SEK", 862950, COMPACT, "86.3\xe4\xb8\x87" "\xc2\xa0SEK"},                     /* no word, no symbol */
        {"zh", "USD", 862950, COMPACT, "86.3\xe4\xb8\x87\xe7\xbe\x8e\xe5\x85\x83"},          /* 86.3万美元 */
        {"zh", "CNY", 250000000, COMPACT, "2.50\xe4\xba\xbf\xe5\x85\x83"},                     /* 2.50亿元 */
        {"ja", "JPY", 2026 * 12 + 8, MONTH_SHORT, "26\xe5\xb9\xb4" "9\xe6\x9c\x88"},           /* 26年9月 */
        {"ja", "JPY", -0.154, DELTA, "\xe2\x88\x92" "15.4%"},
        /* English stays as it was */
        {"en", "USD", 1234567, MONEYAUTO, "$1,234,567"},
        {"en", "USD", 3232261, COMPACT, "$3.23M"},
        {"en", "USD", 3000000, COMPACT, "$3M"},
        {"en", "USD", 862950, COMPACT, "$863K"},
        {"en", "USD", 61800, COMPACT, "$61.8K"},
        {"en", "USD", 999700, COMPACT, "$1M"},
        {"en", "USD", -153871459, COMPACT, "\xe2\x88\x92$154M"},
        {"en", "USD", 950, COMPACT, "$950"},
        {"en", "USD", 2026 * 12 + 9, MONTH, "October 2026"},
        {"en", "EUR", 0.253, PCT1, "25.3%"},
    };
    for (size_t i = 0; i < sizeof G / sizeof G[0]; i++) {
        rr_i18n *cat = NULL;
        rr_error err = {0};
        if (rr_i18n_load(dir, G[i].lang, &cat, &err) != RR_OK) { rr_tap_ok(0, "load %s", G[i].lang); continue; }
        rr_fmt f;
        rr_fmt_init(&f, cat, G[i].cur);
        char out[128], what[160];
        switch (G[i].kind) {
        case MONEY0: rr_fmt_money_d(&f, G[i].v, 0, out, sizeof out); break;
        case MONEY2: rr_fmt_money_d(&f, G[i].v, 2, out, sizeof out); break;
        case MONEYAUTO: rr_fmt_money_d(&f, G[i].v, -1, out, sizeof out); break;
        case COMPACT: rr_fmt_money_compact(&f, G[i].v, out, sizeof out); break;
        case PCT1: rr_fmt_pct(&f, G[i].v, 1, out, sizeof out); break;
        case MONTH: rr_fmt_month(&f, (int)G[i].v, out, sizeof out); break;
        case MONTH_SHORT: rr_fmt_month_short(&f, (int)G[i].v, out, sizeof out); break;
        case COUNT: rr_fmt_count(&f, (long long)G[i].v, out, sizeof out); break;
        case DELTA: rr_fmt_delta_pct(&f, G[i].v, 1, out, sizeof out); break;
        }
        snprintf(what, sizeof what, "%s %s %g (kind %d) -> %s", G[i].lang, G[i].cur, G[i].v, G[i].kind, G[i].want);
        rr_tap_str(out, G[i].want, what);
        rr_i18n_free(cat);
    }
}

/* Chart axes: one unit and one number of decimals per axis, in every
 * language ("$10万" beside "$40万", not "$10.0万" beside "$100万"). */
/* "{name:dat}": the value with its month name in the dative where the
 * catalogue has month.dat.N forms (Russian), unchanged where they equal
 * the nominative. */
static void case_forms(const char *dir)
{
    static const struct { const char *lang, *key, *want; } C[] = {
        {"ru", "hl.mqls", "MQL: 5 (+1% \xd0\xba \xd1\x81\xd0\xb5\xd0\xbd\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8e 2026), SQL: 2."},
        {"en", "hl.mqls", "5 MQLs (+1% vs September 2026) and 2 SQLs."},
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        rr_i18n *cat = NULL;
        rr_error err = {0};
        if (rr_i18n_load(dir, C[i].lang, &cat, &err) != RR_OK) { rr_tap_ok(0, "load %s", C[i].lang); continue; }
        rr_fmt f;
        rr_fmt_init(&f, cat, "USD");
        char month[64], what[96];
        rr_fmt_month(&f, 2026 * 12 + 8, month, sizeof month);
        char *s = rr_i18n_subst(rr_tr(cat, C[i].key), "mqls", "5", "sqls", "2", "delta", "+1%", "prevperiod", month, NULL);
        snprintf(what, sizeof what, "%s %s: month in the case the phrase needs", C[i].lang, C[i].key);
        rr_tap_str(s, C[i].want, what);
        free(s);
        rr_i18n_free(cat);
    }
    /* the genitive: ru fc.method "начиная с октября 2025" (was «октябрь 2025» in quotes) */
    rr_i18n *ru = NULL;
    rr_error e2 = {0};
    if (rr_i18n_load(dir, "ru", &ru, &e2) == RR_OK) {
        char *m = rr_i18n_subst(rr_tr(ru, "fc.method"), "method", "m", "reason", "r", "n", "12", "from",
                                "\u043e\u043a\u0442\u044f\u0431\u0440\u044c 2025", NULL);
        rr_tap_ok(strstr(m, "\u0441 \u043e\u043a\u0442\u044f\u0431\u0440\u044f 2025") != NULL,
                  "ru fc.method declines the month: '... \u0441 \u043e\u043a\u0442\u044f\u0431\u0440\u044f 2025' (%s)", m);
        free(m);
    }
    rr_i18n_free(ru);
    /* a placeholder with a case but no forms is the plain value */
    char *s = rr_i18n_subst("x {a:dat} y {b}", "a", "1", "b", "2", NULL);
    rr_tap_str(s, "x 1 y 2", "{a:dat} without case forms is {a}");
    free(s);
}

/* Fiscal periods as each country names them: Jul-Sep 2026 (report month
 * August 2026) and its fiscal year, with the fiscal year starting in January,
 * April and October.  ja 年度 by its start year; zh 年 for a calendar fiscal
 * year, 财年 (by the end year) otherwise; ru "г." for a calendar year, ФГ
 * otherwise, with no-break spaces. */
static void fiscal_names(const char *dir)
{
    static const struct { const char *lang; int start; const char *quarter, *year; } F[] = {
        {"en", 1, "Q3 FY2026", "FY2026"},
        {"en", 4, "Q2 FY2027", "FY2027"},
        {"en", 10, "Q4 FY2026", "FY2026"},
        {"ja", 1, "2026\xe5\xb9\xb4\xe5\xba\xa6 \xe7\xac\xac" "3\xe5\x9b\x9b\xe5\x8d\x8a\xe6\x9c\x9f",
         "2026\xe5\xb9\xb4\xe5\xba\xa6"},                                      /* 2026年度 第3四半期 */
        {"ja", 4, "2026\xe5\xb9\xb4\xe5\xba\xa6 \xe7\xac\xac" "2\xe5\x9b\x9b\xe5\x8d\x8a\xe6\x9c\x9f",
         "2026\xe5\xb9\xb4\xe5\xba\xa6"},                                      /* 2026年度 第2四半期 (not 2027) */
        {"ja", 10, "2025\xe5\xb9\xb4\xe5\xba\xa6 \xe7\xac\xac" "4\xe5\x9b\x9b\xe5\x8d\x8a\xe6\x9c\x9f",
         "2025\xe5\xb9\xb4\xe5\xba\xa6"},                                      /* 2025年度 第4四半期 */
        {"zh", 1, "2026\xe5\xb9\xb4\xe7\xac\xac\xe4\xb8\x89\xe5\xad\xa3\xe5\xba\xa6",
         "2026\xe5\xb9\xb4"},                                                    /* 2026年第三季度, 2026年 */
        {"zh", 4, "2027\xe8\xb4\xa2\xe5\xb9\xb4\xe7\xac\xac\xe4\xba\x8c\xe5\xad\xa3\xe5\xba\xa6",
         "2027\xe8\xb4\xa2\xe5\xb9\xb4"},                                      /* 2027财年第二季度 */
        {"zh", 10, "2026\xe8\xb4\xa2\xe5\xb9\xb4\xe7\xac\xac\xe5\x9b\x9b\xe5\xad\xa3\xe5\xba\xa6",
         "2026\xe8\xb4\xa2\xe5\xb9\xb4"},                                      /* 2026财年第四季度 */
        {"ru", 1, "3" NBSP "\xd0\xba\xd0\xb2." NBSP "2026" NBSP "\xd0\xb3.", "2026" NBSP "\xd0\xb3."},  /* 3 кв. 2026 г. */
        {"ru", 4, "2" NBSP "\xd0\xba\xd0\xb2." NBSP "\xd0\xa4\xd0\x93" "2027", "\xd0\xa4\xd0\x93" "2027"}, /* 2 кв. ФГ2027 */
        {"ru", 10, "4" NBSP "\xd0\xba\xd0\xb2." NBSP "\xd0\xa4\xd0\x93" "2026", "\xd0\xa4\xd0\x93" "2026"},
    };
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++) {
        rr_i18n *cat = NULL;
        rr_error err = {0};
        if (rr_i18n_load(dir, F[i].lang, &cat, &err) != RR_OK) { rr_tap_ok(0, "load %s", F[i].lang); continue; }
        rr_period p;
        rr_period_month(2026 * 12 + 7, F[i].start, &p);                     /* August 2026 */
        char *q = rr_i18n_fiscal(cat, p.fiscal_year, p.quarter, p.fy_start);
        char *y = rr_i18n_fiscal(cat, p.fiscal_year, 0, p.fy_start);
        char what[128];
        snprintf(what, sizeof what, "%s, fiscal year from month %d: Jul-Sep 2026 is %s", F[i].lang, F[i].start,
                 F[i].quarter);
        rr_tap_str(q, F[i].quarter, what);
        snprintf(what, sizeof what, "%s, fiscal year from month %d: its year is %s", F[i].lang, F[i].start, F[i].year);
        rr_tap_str(y, F[i].year, what);
        free(q);
        free(y);
        rr_i18n_free(cat);
    }
}

/* One term per concept: the chosen word of each concept appears in the
 * language's catalogues and none of the words it replaced does (the terms
 * are listed in docs/i18n.md; the rejected ones are from the native review:
 * ja 成約 means won, not closed; ru выигрыш is lottery winnings, Цена a
 * contract price; zh 收入 is recognised revenue to a CFO). */
static void one_term(const char *dir)
{
    static const struct { const char *lang, *concept, *term, *rejected; } T[] = {
        {"ja", "close (won or lost)", "\u30af\u30ed\u30fc\u30ba", "\u6210\u7d04"},               /* クローズ, not 成約 */
        {"ja", "attributed revenue", "\u8ca2\u732e\u53d7\u6ce8\u984d",                       /* 貢献受注額 */
         "\u8ca2\u732e\u58f2\u4e0a|\u30a2\u30c8\u30ea\u30d3\u30e5\u30fc\u30b7\u30e7\u30f3\u53ce\u76ca|\u8ca2\u732e\u984d"},
        {"ja", "spend", "\u8cbb\u7528", "\u652f\u51fa"},                                         /* 費用, not 支出 */
        {"ja", "revenue target", "\u53d7\u6ce8\u76ee\u6a19", "\u58f2\u4e0a\u76ee\u6a19"},          /* 受注目標 */
        {"ja", "expansion", "\u30a2\u30c3\u30d7\u30bb\u30eb\u30fb\u66f4\u65b0",                  /* アップセル・更新 */
         "\u62e1\u5f35\u30fb\u66f4\u65b0|\u65e2\u5b58\u9867\u5ba2\u62e1\u5927"},
        {"ja", "cost per opportunity", "\u5546\u8ac7\u7372\u5f97\u5358\u4fa1", "\u5546\u8ac7\u5358\u4fa1"},
        {"ja", "stage conversion", "\u30b3\u30f3\u30d0\u30fc\u30b8\u30e7\u30f3\u7387", "\u8ee2\u63db\u7387"},
        {"ja", "lifetime value", "LTV", "CLV"},
        {"ja", "month on month", "\u524d\u6708\u6bd4", NULL},                                     /* 前月比 */
        {"ja", "win rate", "\u53d7\u6ce8\u7387", "\u52dd\u7387"},                                 /* 受注率, not 勝率 */
        {"zh", "won amount", "\u8d62\u5355\u91d1\u989d",                                         /* 赢单金额 */
         "\u8d62\u5355\u6536\u5165|\u8d62\u5355\u989d|\u5f52\u56e0\u6536\u5165"},
        {"zh", "lost deal", "\u8f93\u5355", "\u4e22\u5355"},                                     /* 输单, not 丢单 */
        {"zh", "expansion", "\u589e\u8d2d\u4e0e\u7eed\u7ea6", "\u6269\u5c55\u4e0e\u7eed\u7ea6"},
        {"zh", "lifetime value", "LTV", "CLV"},
        {"zh", "period on period", "\u73af\u6bd4", "\u8f83{"},                                    /* 环比, not 较{period} */
        {"zh", "pipeline created", "\u65b0\u589e\u9500\u552e\u7ba1\u9053", "\u65b0\u589e\u5546\u673a"},
        {"zh", "per customer (a company)", "\u6bcf\u4e2a", "\u6bcf\u4f4d"},                        /* 每个, not 每位 */
        {"ru", "won deal", "\u0432\u044b\u0438\u0433\u0440\u0430\u043d\u043d",               /* выигранн-, not выигрыш */
         "\u0432\u044b\u0438\u0433\u0440\u044b\u0448"},
        {"ru", "cost per lead, deal", "\u0421\u0442\u043e\u0438\u043c\u043e\u0441\u0442\u044c",  /* Стоимость, not Цена */
         "\u0426\u0435\u043d\u0430 "},
        {"ru", "sales cycle", "\u0426\u0438\u043a\u043b \u043f\u0440\u043e\u0434\u0430\u0436",
         "\u0426\u0438\u043a\u043b \u0441\u0434\u0435\u043b\u043a\u0438"},
        {"ru", "target", "\u043f\u043b\u0430\u043d", "\u0446\u0435\u043b\u044c|\u0446\u0435\u043b\u0438 "},
        {"ru", "expansion", "\u0434\u043e\u043f\u0440\u043e\u0434\u0430\u0436",               /* допродаж-, not расширени- */
         "\u0440\u0430\u0441\u0448\u0438\u0440\u0435\u043d\u0438"},
        {"ru", "Holt-Winters", "\u0425\u043e\u043b\u044c\u0442\u0430 \u2014 \u0412\u0438\u043d\u0442\u0435\u0440\u0441\u0430",
         "\u0425\u043e\u043b\u0442\u0430|\u0423\u0438\u043d\u0442\u0435\u0440\u0441\u0430"},
        {"ru", "lifetime value", "LTV", "CLV"},
        {"ru", "non-calendar fiscal year", "\u0424\u0413", "\u0444. \u0433."},                     /* ФГ, not ф. г. */
        {"ru", "month on month", "\u043c/\u043c", NULL},                                          /* м/м */
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        char pat[2048];
        snprintf(pat, sizeof pat, "%s/i18n/%s*.txt", dir, T[i].lang);
        glob_t g;
        int found = 0;
        char bad[256] = "";
        if (glob(pat, 0, NULL, &g) == 0) {
            for (size_t f = 0; f < g.gl_pathc; f++) {
                keys *ks = read_keys(g.gl_pathv[f]);
                for (size_t j = 0; ks && j < ks->n; j++) {
                    found |= strstr(ks->v[j], T[i].term) != NULL;
                    for (const char *r = T[i].rejected; r && *r && !*bad;) {
                        size_t n = strcspn(r, "|");
                        char w[64];
                        snprintf(w, sizeof w, "%.*s", (int)n, r);
                        if (strstr(ks->v[j], w)) snprintf(bad, sizeof bad, "'%s' in %s", w, ks->k[j]);
                        r += n + (r[n] == '|');
                    }
                }
                free_keys(ks);
            }
            globfree(&g);
        }
        rr_tap_ok(found, "%s %s: the catalogues say %s", T[i].lang, T[i].concept, T[i].term);
        rr_tap_ok(!*bad, "%s %s: no other word for it%s%s", T[i].lang, T[i].concept, *bad ? ": " : "", bad);
    }
}

/* Plural forms (CLDR): Russian one / few / many for 1, 2, 5, 11, 21 in a
 * catalogue message, and each plural placeholder of a catalogue has exactly
 * its language's categories (ru one few many other, en one other, ja zh
 * other: a missing "few" would print the "other" form for 2-4). */
static void plurals(const char *dir)
{
    static const struct { const char *lang, *n, *want; } P[] = {
        {"ru", "1", "1 \u0441\u0442\u0440\u043e\u043a\u0430 opportunities.csv \u043f\u043e\u0432\u0442\u043e\u0440\u044f\u0435\u0442"},
        {"ru", "2", "2 \u0441\u0442\u0440\u043e\u043a\u0438 opportunities.csv \u043f\u043e\u0432\u0442\u043e\u0440\u044f\u044e\u0442"},
        {"ru", "5", "5 \u0441\u0442\u0440\u043e\u043a opportunities.csv \u043f\u043e\u0432\u0442\u043e\u0440\u044f\u044e\u0442"},
        {"ru", "11", "11 \u0441\u0442\u0440\u043e\u043a opportunities.csv \u043f\u043e\u0432\u0442\u043e\u0440\u044f\u044e\u0442"},
        {"ru", "21", "21 \u0441\u0442\u0440\u043e\u043a\u0430 opportunities.csv \u043f\u043e\u0432\u0442\u043e\u0440\u044f\u0435\u0442"},
        {"ru", "19" NBSP "256", "19" NBSP "256 \u0441\u0442\u0440\u043e\u043a opportunities.csv"},   /* 19 256 строк */
        {"ru", "1" NBSP "022", "1" NBSP "022 \u0441\u0442\u0440\u043e\u043a\u0438 opportunities.csv"}, /* 1 022 строки */
        {"en", "1", "1 row of opportunities.csv repeats"},
        {"en", "2", "2 rows of opportunities.csv repeat"},
        {"en", "1,001", "1,001 rows of opportunities.csv repeat"},
    };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        rr_i18n *cat = NULL;
        rr_error err = {0};
        if (rr_i18n_load(dir, P[i].lang, &cat, &err) != RR_OK) { rr_tap_ok(0, "load %s", P[i].lang); continue; }
        char *s = rr_i18n_subst(rr_tr(cat, "dq.duplicate_opps"), "n", P[i].n, NULL);
        char what[160];
        snprintf(what, sizeof what, "%s dq.duplicate_opps with n = %s starts \"%s\"", P[i].lang, P[i].n, P[i].want);
        rr_tap_ok(strncmp(s, P[i].want, strlen(P[i].want)) == 0, "%s (got \"%s\")", what, s);
        free(s);
        rr_i18n_free(cat);
    }
    static const struct { const char *lang; long long n; int frac; const char *cat; } C[] = {
        {"ru", 1, 0, "one"}, {"ru", 2, 0, "few"}, {"ru", 5, 0, "many"}, {"ru", 11, 0, "many"}, {"ru", 21, 0, "one"},
        {"ru", 12, 0, "many"}, {"ru", 22, 0, "few"}, {"ru", 111, 0, "many"}, {"ru", 0, 0, "many"}, {"ru", 1, 1, "other"},
        {"en", 1, 0, "one"}, {"en", 2, 0, "other"}, {"en", 1, 1, "other"}, {"ja", 1, 0, "other"}, {"zh", 1, 0, "other"},
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        char what[96];
        snprintf(what, sizeof what, "%s plural category of %lld%s", C[i].lang, C[i].n, C[i].frac ? ".5" : "");
        rr_tap_str(rr_i18n_plural_category(C[i].lang, C[i].n, C[i].frac), C[i].cat, what);
    }
    static const struct { const char *lang, *cats; } L[] = {
        {"en", "one other"}, {"ja", "other"}, {"zh", "other"}, {"ru", "one few many other"},
    };
    for (size_t l = 0; l < sizeof L / sizeof L[0]; l++) {
        char pat[2048], bad[256] = "";
        size_t nplural = 0;
        snprintf(pat, sizeof pat, "%s/i18n/%s*.txt", dir, L[l].lang);
        glob_t g;
        if (glob(pat, 0, NULL, &g) != 0) continue;
        for (size_t f = 0; f < g.gl_pathc; f++) {
            keys *ks = read_keys(g.gl_pathv[f]);
            for (size_t j = 0; ks && j < ks->n; j++)
                for (const char *o = strchr(ks->v[j], '{'); o; o = strchr(o + 1, '{')) {
                    const char *c = strchr(o, '}'), *bar = c ? memchr(o, '|', (size_t)(c - o)) : NULL;
                    if (!bar) continue;
                    nplural++;
                    char got[128] = "";
                    size_t len = 0;
                    for (const char *r = bar; r && r < c; r = memchr(r + 1, '|', (size_t)(c - r - 1))) {
                        size_t cl = strcspn(r + 1, ":|}");
                        len += (size_t)snprintf(got + len, sizeof got - len > 0 ? sizeof got - len : 0, "%s%.*s",
                                                len ? " " : "", (int)cl, r + 1);
                        if (len >= sizeof got) break;
                    }
                    if (strcmp(got, L[l].cats) != 0 && !*bad)
                        snprintf(bad, sizeof bad, "%s has '%s'", ks->k[j], got);
                }
            free_keys(ks);
        }
        globfree(&g);
        rr_tap_ok(!*bad, "%s: every plural placeholder (%zu) has the forms %s%s%s", L[l].lang, nplural, L[l].cats,
                  *bad ? ": " : "", bad);
    }
}

static void axis_goldens(const char *dir)
{
    static const struct { const char *lang, *cur; rr_unit unit; double t[6]; size_t n; const char *want; } A[] = {
        {"ja", "USD", RR_UNIT_MONEY, {0, 1e5, 2e5, 3e5, 4e5}, 5, "0\xe3\x83\x89\xe3\x83\xab|10\xe4\xb8\x87\xe3\x83\x89\xe3\x83\xab|20\xe4\xb8\x87\xe3\x83\x89\xe3\x83\xab|30\xe4\xb8\x87\xe3\x83\x89\xe3\x83\xab|40\xe4\xb8\x87\xe3\x83\x89\xe3\x83\xab"},  /* 0ドル|10万ドル... */
        {"ja", "USD", RR_UNIT_MONEY, {0, 25e4, 5e5, 75e4, 1e6}, 5,
         "0\xe3\x83\x89\xe3\x83\xab|25\xe4\xb8\x87\xe3\x83\x89\xe3\x83\xab|50\xe4\xb8\x87\xe3\x83\x89\xe3\x83\xab|75\xe4\xb8\x87\xe3\x83\x89\xe3\x83\xab|100\xe4\xb8\x87\xe3\x83\x89\xe3\x83\xab"},
        {"ja", "JPY", RR_UNIT_MONEY, {0, 5e7, 1e8, 1.5e8}, 4,
         "0\xe5\x86\x86|0.5\xe5\x84\x84\xe5\x86\x86|1.0\xe5\x84\x84\xe5\x86\x86|1.5\xe5\x84\x84\xe5\x86\x86"},  /* 0円|0.5億円... */
        {"zh", "CNY", RR_UNIT_MONEY, {0, 5e4, 1e5, 1.5e5}, 4,
         "0\xe5\x85\x83|5\xe4\xb8\x87\xe5\x85\x83|10\xe4\xb8\x87\xe5\x85\x83|15\xe4\xb8\x87\xe5\x85\x83"},  /* 0元|5万元... */
        {"en", "USD", RR_UNIT_MONEY, {0, 25e4, 5e5, 75e4, 1e6}, 5, "$0|$250K|$500K|$750K|$1,000K"},
        {"en", "USD", RR_UNIT_MONEY, {0, 5e5, 1e6, 1.5e6}, 4, "$0|$0.5M|$1.0M|$1.5M"},
        {"ru", "RUB", RR_UNIT_MONEY, {0, 5e5, 1e6, 1.5e6}, 4,
         "0" NBSP "\xe2\x82\xbd|0,5" NBSP "\xd0\xbc\xd0\xbb\xd0\xbd" NBSP "\xe2\x82\xbd|1,0" NBSP
         "\xd0\xbc\xd0\xbb\xd0\xbd" NBSP "\xe2\x82\xbd|1,5" NBSP "\xd0\xbc\xd0\xbb\xd0\xbd" NBSP "\xe2\x82\xbd"},
        {"en", "USD", RR_UNIT_PERCENT, {0, 0.025, 0.05, 0.075}, 4, "0%|2.5%|5.0%|7.5%"},
        {"ja", "USD", RR_UNIT_RATIO, {0, 5, 10, 15}, 4, "0\xe5\x80\x8d|5\xe5\x80\x8d|10\xe5\x80\x8d|15\xe5\x80\x8d"},
        {"en", "USD", RR_UNIT_RATIO, {0, 2.5, 5, 7.5}, 4, "0\xc3\x97|2.5\xc3\x97|5.0\xc3\x97|7.5\xc3\x97"},
    };
    for (size_t i = 0; i < sizeof A / sizeof A[0]; i++) {
        rr_i18n *cat = NULL;
        rr_error err = {0};
        if (rr_i18n_load(dir, A[i].lang, &cat, &err) != RR_OK) { rr_tap_ok(0, "load %s", A[i].lang); continue; }
        rr_fmt f;
        rr_fmt_init(&f, cat, A[i].cur);
        char b[6][64], *out[6] = {b[0], b[1], b[2], b[3], b[4], b[5]}, got[400] = "", what[96];
        rr_fmt_axis(&f, A[i].t, A[i].n, A[i].unit, out, 64);
        size_t len = 0;
        for (size_t k = 0; k < A[i].n && len < sizeof got; k++)
            len += (size_t)snprintf(got + len, sizeof got - len, "%s%s", k ? "|" : "", b[k]);
        snprintf(what, sizeof what, "axis %s %s unit %d: one format", A[i].lang, A[i].cur, (int)A[i].unit);
        rr_tap_str(got, A[i].want, what);
        rr_i18n_free(cat);
    }
}

/* The chart words and the chart font list come from the catalogue. */
static void chart_env(const char *dir)
{
    rr_i18n *cat = NULL;
    rr_error err = {0};
    if (rr_i18n_load(dir, "ja", &cat, &err) != RR_OK) { rr_tap_ok(0, "load ja"); return; }
    rr_fmt f;
    rr_fmt_init(&f, cat, "JPY");
    rr_chart_env env = rr_fmt_chart_env(&f);
    rr_tap_str(env.strings[RR_CHART_STR_TOTAL], "\xe5\x90\x88\xe8\xa8\x88", "ja chart 'Total' is 合計");
    rr_tap_ok(env.font_family && strstr(env.font_family, "IPAGothic") != NULL, "ja chart fonts include IPAGothic");
    /* a Japanese label is measured with a face that has kana: IPAGothic's
     * kana are 1 em wide, DejaVu's missing-glyph boxes are not */
    double w = env.text_width(env.text_ud, "\xe3\x82\xa2\xe3\x82\xa4\xe3\x82\xa6", 10.0);    /* アイウ */
    rr_tap_near(w, 30.0, 0.5, "アイウ at 10 px measures 3 em (a CJK face)");
    /* the spend chart of the sample: 13 months of totals such as "¥2,350万"
     * keep every total in Japanese too (turned a quarter), as in English */
    static const char *const M[] = {"25年10月", "25年11月", "25年12月", "26年1月", "26年2月", "26年3月", "26年4月",
                                    "26年5月", "26年6月", "26年7月", "26年8月", "26年9月", "26年10月"};
    double a[13], b[13];
    for (size_t i = 0; i < 13; i++) { a[i] = 9.3e7 + 1.1e6 * (double)i; b[i] = 1.4e8 + 3.3e6 * (double)(i % 4); }
    rr_chart *c = rr_chart_new(RR_CHART_STACKED_BAR, "\xe8\xb2\xbb\xe7\x94\xa8");
    rr_chart_set_categories(c, 13, M);
    rr_chart_add_series(c, "Paid Search", RR_SERIES_BAR, a, 13);
    rr_chart_add_series(c, "Events", RR_SERIES_BAR, b, 13);
    rr_chart_set_unit(c, RR_UNIT_MONEY, "JPY");
    rr_chart_layout *l = rr_chart_layout_make(c, 560, 280, &env);
    size_t totals = 0;
    for (size_t i = 0; i < rr_chart_layout_count(l); i++) {
        const rr_chart_prim *p = rr_chart_layout_prim(l, i);
        totals += p->kind == RR_PRIM_TEXT && p->priority == 50;
    }
    rr_tap_ok(totals == 13, "ja spend chart: all 13 bar totals shown (%zu)", totals);
    rr_tap_ok(rr_chart_layout_overlaps(l) == 0, "ja spend chart: no overlapping labels");
    rr_chart_layout_free(l);
    rr_chart_free(c);
    rr_i18n_free(cat);
    rr_chart_env_release();
    /* no cairo_debug_reset_static_data() here: pango (chart text) loads
     * fontconfig on a thread of its own, and a font it still caches then
     * trips cairo's assertion; what stays cached is reachable, not leaked */
}

int main(void)
{
    const char *dir = RR_SRCDIR "/templates";
    const char *langs[] = {"ja", "zh", "ru"};
    for (size_t i = 0; i < 3; i++) completeness(dir, langs[i]);
    format_goldens(dir);
    axis_goldens(dir);
    case_forms(dir);
    fiscal_names(dir);
    one_term(dir);
    plurals(dir);
    chart_env(dir);
    return rr_tap_done();
}
