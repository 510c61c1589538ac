/* i18n.c: key = value catalogues with English fallback (see i18n.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <unistd.h>
#include "revreport/i18n.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

typedef struct { char *key, *val; } entry;
typedef struct { entry *e; size_t n, cap; } table;

struct rr_i18n {
    char lang[16];
    table t, en;
};

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static const char *find(const table *t, const char *key)
{
    entry k = {(char *)key, NULL};
    entry *e = t->n ? bsearch(&k, t->e, t->n, sizeof *t->e, cmp_entry) : NULL;
    return e ? e->val : NULL;
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n; i++) { free(t->e[i].key); free(t->e[i].val); }
    free(t->e);
}

static char *unescape(const char *s, size_t n)
{
    rr_strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'n') { rr_strbuf_add(&b, "\n", 1); i++; }
        else rr_strbuf_add(&b, s + i, 1);
    }
    return rr_strbuf_steal(&b);
}

static rr_status load_file(const char *path, table *t, rr_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) return rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, NULL, "cannot open catalogue: %s", strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    rr_status st = RR_OK;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        char *s = line;
        if (lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) { s += 3; len -= 3; }
        while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r')) s[--len] = 0;
        char *p = s;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#') continue;
        char *eq = strchr(p, '=');
        if (!eq) {
            st = rr_error_set(err, RR_ERR_CONFIG, path, lineno, 0, NULL, "expected \"key = value\"");
            goto out;
        }
        char *ke = eq;
        while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t')) ke--;
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t') v++;
        if (ke == p) {
            st = rr_error_set(err, RR_ERR_CONFIG, path, lineno, 0, NULL, "empty key");
            goto out;
        }
        t->e = rr_xgrow(t->e, &t->cap, t->n + 1, sizeof *t->e);
        t->e[t->n].key = rr_xstrndup(p, (size_t)(ke - p));
        t->e[t->n].val = unescape(v, strlen(v));
        t->n++;
    }
out:
    free(line);
    fclose(f);
    return st;
}

static void inflect_values(table *t);
static void plural_values(table *t, const char *lang);

/* A language's catalogue is <lang>.txt plus any <lang>-<module>.txt beside
 * it (one file per module, so modules add keys without editing one file). */
static rr_status load_lang(const char *datadir, const char *lang, table *t, rr_error *err)
{
    char path[2048];
    rr_status st;
    snprintf(path, sizeof path, "%s/i18n/%s.txt", datadir, lang);
    if ((st = load_file(path, t, err)) != RR_OK) return st;
    snprintf(path, sizeof path, "%s/i18n/%s-*.txt", datadir, lang);
    glob_t g;
    if (glob(path, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && st == RR_OK; i++) st = load_file(g.gl_pathv[i], t, err);
        globfree(&g);
    }
    if (st != RR_OK) return st;
    if (t->n) qsort(t->e, t->n, sizeof *t->e, cmp_entry);
    for (size_t i = 1; i < t->n; i++)
        if (strcmp(t->e[i - 1].key, t->e[i].key) == 0)
            return rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, NULL, "key '%s' defined twice in the %s catalogue",
                                t->e[i].key, lang);
    plural_values(t, lang);
    inflect_values(t);
    return RR_OK;
}

/* Plural forms in a pattern: "{n|one:# строка|few:# строки|many:# строк|other:# строки}"
 * is the form of the CLDR plural category of n's value in the catalogue's
 * language, '#' standing for the value.  At load each such placeholder is
 * tagged with its language, "{n|@ru|one:...}", which rr_i18n_subst reads. */
static void plural_values(table *t, const char *lang)
{
    for (size_t i = 0; i < t->n; i++) {
        char *v = t->e[i].val;
        if (!strchr(v, '|')) continue;
        rr_strbuf b = {0};
        int changed = 0;
        for (const char *p = v; *p;) {
            const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
            size_t nl = open && close ? strcspn(open + 1, ":|}") : 0;
            const char *rule = open && close && open[1 + nl] == '|' ? open + 2 + nl : NULL;
            if (!rule || rule[strcspn(rule, ":=|}")] != ':') {
                size_t n = close ? (size_t)(close - p + 1) : strlen(p);
                rr_strbuf_add(&b, p, n);
                p += n;
                continue;
            }
            changed = 1;
            rr_strbuf_add(&b, p, (size_t)(rule - p));
            rr_strbuf_adds(&b, "@");
            rr_strbuf_adds(&b, lang);
            rr_strbuf_adds(&b, "|");
            rr_strbuf_add(&b, rule, (size_t)(close - rule + 1));
            p = close + 1;
        }
        if (changed) {
            free(t->e[i].val);
            t->e[i].val = rr_strbuf_steal(&b);
        } else {
            rr_strbuf_free(&b);
        }
    }
}

const char *rr_i18n_plural_category(const char *lang, long long n, int fraction)
{
    long long i = n < 0 ? -n : n;
    if (lang && (strcmp(lang, "ja") == 0 || strcmp(lang, "zh") == 0)) return "other";
    if (lang && strcmp(lang, "ru") == 0) {
        if (fraction) return "other";
        if (i % 10 == 1 && i % 100 != 11) return "one";
        if (i % 10 >= 2 && i % 10 <= 4 && (i % 100 < 12 || i % 100 > 14)) return "few";
        return "many";
    }
    return i == 1 && !fraction ? "one" : "other";          /* en and the CLDR default */
}

/* The integer part of a formatted number ("19 256", "1,234", "−5", "2,5 млн")
 * and whether it has a fraction: ',' or '.' followed by exactly three
 * digits groups, any other is a decimal point; NBSP, U+202F, spaces and '
 * group too.  -1 when the value has no digit. */
static long long number_of(const char *v, int *fraction)
{
    long long n = -1;
    *fraction = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            n = (n < 0 ? 0 : n) * 10 + (*p - '0');
            if (n > 1000000000000LL) n = 1000000000000LL + n % 1000;
            continue;
        }
        if (n < 0) continue;                              /* sign, currency before the digits */
        if (*p == ' ' || *p == '\'') continue;
        if (p[0] == 0xC2 && p[1] == 0xA0) { p++; continue; }
        if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAF) { p += 2; continue; }
        if (*p == ',' || *p == '.') {
            int k = 0;
            while (k < 4 && p[1 + k] >= '0' && p[1 + k] <= '9') k++;
            if (k == 3) continue;
            *fraction = k > 0;                             /* "1,0" too: CLDR counts visible decimals */
        }
        break;
    }
    return n;
}

/* Grammatical case in a pattern: "{prevperiod:dat}" means the value of
 * prevperiod with its month name in the dative (Russian "к сентябрю 2026").
 * The case forms are catalogue data: month.<case>.N beside month.N.  At
 * load, each such placeholder is rewritten to carry its own table,
 * "{prevperiod|сентябрь=сентябрю|...}", which rr_i18n_subst applies to the
 * value (the first month name found is replaced); a language whose forms
 * equal the nominative gets "{prevperiod}". */
static void inflect_values(table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        char *v = t->e[i].val;
        if (!strchr(v, '{') || !strchr(v, ':')) continue;
        rr_strbuf b = {0};
        int changed = 0;
        const char *p = v;
        while (*p) {
            const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
            const char *colon = open && close ? memchr(open, ':', (size_t)(close - open)) : NULL;
            const char *bar = open && close ? memchr(open, '|', (size_t)(close - open)) : NULL;
            if (bar && colon && bar < colon) colon = NULL;      /* a plural "{n|one:...}" */
            if (!colon) {
                size_t n = close ? (size_t)(close - p + 1) : strlen(p);
                rr_strbuf_add(&b, p, n);
                p += n;
                continue;
            }
            changed = 1;
            rr_strbuf_add(&b, p, (size_t)(colon - p));
            char kcase[32];
            snprintf(kcase, sizeof kcase, "%.*s", (int)(close - colon - 1), colon + 1);
            for (int m = 1; m <= 12; m++) {
                char k0[48], k1[48];
                snprintf(k0, sizeof k0, "month.%d", m);
                snprintf(k1, sizeof k1, "month.%s.%d", kcase, m);
                const char *from = find(t, k0), *to = find(t, k1);
                if (!from || !to || !*from || !strcmp(from, to) || strpbrk(from, "|=}") || strpbrk(to, "|=}")) continue;
                rr_strbuf_adds(&b, "|");
                rr_strbuf_adds(&b, from);
                rr_strbuf_adds(&b, "=");
                rr_strbuf_adds(&b, to);
            }
            rr_strbuf_adds(&b, "}");
            p = close + 1;
        }
        if (changed) {
            free(t->e[i].val);
            t->e[i].val = rr_strbuf_steal(&b);
        } else {
            rr_strbuf_free(&b);
        }
    }
}

rr_status rr_i18n_load(const char *datadir, const char *lang, rr_i18n **out, rr_error *err)
{
    rr_i18n *c = rr_xcalloc(1, sizeof *c);
    char path[2048];
    rr_status st;
    *out = NULL;
    if (!lang || !*lang) lang = "en";
    for (const char *p = lang; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_' || *p == '-') || p - lang > 10) {
            rr_i18n_free(c);
            return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL, "--lang '%s': expected en, ja, zh or ru", lang);
        }
    snprintf(c->lang, sizeof c->lang, "%s", lang);
    if ((st = load_lang(datadir, "en", &c->en, err)) != RR_OK) { rr_i18n_free(c); return st; }
    if (strcmp(lang, "en") != 0) {
        snprintf(path, sizeof path, "%s/i18n/%s.txt", datadir, lang);
        if (access(path, R_OK) != 0) {
            rr_i18n_free(c);
            return rr_error_set(err, RR_ERR_USAGE, path, 0, 0, NULL,
                                "--lang '%s': no catalogue for this language", lang);
        }
        if ((st = load_lang(datadir, lang, &c->t, err)) != RR_OK) { rr_i18n_free(c); return st; }
    }
    *out = c;
    return RR_OK;
}

void rr_i18n_free(rr_i18n *c)
{
    if (!c) return;
    table_free(&c->t);
    table_free(&c->en);
    free(c);
}

const char *rr_tr(const rr_i18n *c, const char *key)
{
    if (!c) return key;
    const char *v = find(&c->t, key);
    if (!v) v = find(&c->en, key);
    return v ? v : key;
}

const char *rr_i18n_lookup(const void *cat, const char *key)
{
    return rr_tr(cat, key);
}

const char *rr_i18n_lang(const rr_i18n *c)
{
    return c ? c->lang : "en";
}

size_t rr_i18n_missing(const rr_i18n *c, const char **keys, size_t max)
{
    size_t n = 0;
    if (!c || strcmp(c->lang, "en") == 0) return 0;
    for (size_t i = 0; i < c->en.n; i++)
        if (!find(&c->t, c->en.e[i].key)) {
            if (keys && n < max) keys[n] = c->en.e[i].key;
            n++;
        }
    return n;
}

char *rr_i18n_subst(const char *pattern, ...)
{
    const char *pairs[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, pattern);
    for (const char *x; n + 1 < sizeof pairs / sizeof pairs[0] && (x = va_arg(ap, const char *));) pairs[n++] = x;
    va_end(ap);
    pairs[n] = NULL;
    return rr_i18n_subst_v(pattern, pairs);
}

char *rr_i18n_subst_v(const char *pattern, const char *const *pairs)
{
    rr_strbuf b = {0};
    const char *p = pattern;
    while (*p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) { rr_strbuf_adds(&b, p); break; }
        rr_strbuf_add(&b, p, (size_t)(open - p));
        /* "{name}", "{name:case}" (not inflected), "{name|from=to|...}" (inflected at load) */
        size_t nl = strcspn(open + 1, ":|}");
        const char *rules = open[1 + nl] == '|' ? open + 1 + nl : NULL;
        const char *val = NULL;
        for (size_t i = 0; pairs && pairs[i] && pairs[i + 1]; i += 2)
            if (strlen(pairs[i]) == nl && strncmp(pairs[i], open + 1, nl) == 0) { val = pairs[i + 1]; break; }
        if (val && rules && rules[1] == '@') {               /* plural forms "|@ru|one:...|other:..." */
            const char *lp = rules + 2, *le = memchr(lp, '|', (size_t)(close - lp));
            char lang[16];
            snprintf(lang, sizeof lang, "%.*s", le ? (int)(le - lp) : 0, lp);
            int frac;
            long long num = number_of(val, &frac);
            const char *cat = num < 0 ? "other" : rr_i18n_plural_category(lang, num, frac);
            const char *form = NULL, *fend = NULL, *other = NULL, *oend = NULL;
            for (const char *r = le; r && r < close; r = memchr(r + 1, '|', (size_t)(close - r - 1))) {
                const char *c = r + 1, *end = memchr(c, '|', (size_t)(close - c));
                if (!end) end = close;
                size_t cl = strcspn(c, ":|}");
                if (c + cl >= end || c[cl] != ':') continue;
                if (cl == strlen(cat) && strncmp(c, cat, cl) == 0) { form = c + cl + 1; fend = end; }
                if (cl == 5 && strncmp(c, "other", 5) == 0) { other = c + cl + 1; oend = end; }
            }
            if (!form) { form = other; fend = oend; }
            for (const char *q = form; q && q < fend; q++) {
                if (*q == '#') rr_strbuf_adds(&b, val);
                else rr_strbuf_add(&b, q, 1);
            }
            if (!form) rr_strbuf_adds(&b, val);
            p = close + 1;
            continue;
        }
        const char *hit = NULL, *from = NULL, *to = NULL;
        size_t fl = 0, tl = 0;
        for (const char *r = rules; val && r && r < close && !hit; r = memchr(r + 1, '|', (size_t)(close - r - 1))) {
            from = r + 1;
            const char *eq = memchr(from, '=', (size_t)(close - from));
            if (!eq) break;
            const char *end = memchr(eq, '|', (size_t)(close - eq));
            if (!end) end = close;
            fl = (size_t)(eq - from);
            to = eq + 1;
            tl = (size_t)(end - to);
            for (const char *q = val; fl && *q && !hit; q++)
                if (strncmp(q, from, fl) == 0) hit = q;
        }
        if (hit) {
            rr_strbuf_add(&b, val, (size_t)(hit - val));
            rr_strbuf_add(&b, to, tl);
            rr_strbuf_adds(&b, hit + fl);
        } else if (val) {
            rr_strbuf_adds(&b, val);
        } else {
            rr_strbuf_add(&b, open, (size_t)(close - open + 1));
        }
        p = close + 1;
    }
    return rr_strbuf_steal(&b);
}

char *rr_i18n_fiscal(const rr_i18n *c, int fy, int q, int fy_start)
{
    int calendar = fy_start <= 1 || fy_start > 12;
    char key[32], year[16], start[16], endmonth[8], qn[32] = "";
    snprintf(key, sizeof key, "fy.%s%s", q ? "quarter" : "year", calendar ? ".calendar" : "");
    snprintf(year, sizeof year, "%d", fy);
    snprintf(start, sizeof start, "%d", calendar ? fy : fy - 1);
    snprintf(endmonth, sizeof endmonth, "%d", calendar ? 12 : fy_start - 1);
    /* the q-th comma-separated word of fy.quarter_numerals, else the digit */
    const char *w = rr_tr(c, "fy.quarter_numerals");
    for (int i = 1; q >= 1 && q <= 4 && w && strcmp(w, "fy.quarter_numerals") != 0; i++) {
        size_t n = strcspn(w, ",");
        if (i == q) { snprintf(qn, sizeof qn, "%.*s", (int)n, w); break; }
        if (!w[n]) break;
        w += n + 1;
        while (*w == ' ') w++;
    }
    if (!*qn) snprintf(qn, sizeof qn, "%d", q);
    return rr_i18n_subst(rr_tr(c, key), "year", year, "endyear", year, "startyear", start, "endmonth", endmonth,
                         "quarter", qn, NULL);
}
