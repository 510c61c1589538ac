/* profile.c: export profiles (see profile.h and docs/exports.md).
 *
 *   # profiles/google_ads.profile
 *   name = google_ads
 *   table = spend
 *   detect = Campaign | Cost
 *   column.amount = Cost | Spend
 *   const.channel = Google Ads
 *
 * A profile is a list of rules per canonical column; rr_profile_bind turns
 * them into header patterns for csvin and a prepare hook that fills
 * constants, captured header parts, value tables and the channel map. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include "revreport/fsafe.h"
#include "revreport/profile.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

enum { R_ALIAS, R_CONST, R_FROM, R_MAP, R_CAPTURE, R_DEFAULT };

typedef struct {
    int kind;
    char *col;        /* canonical column */
    char *key;        /* map: source value ("*" = any other) */
    char *val;        /* alias list, constant, source column, mapped value */
} rule;

struct rr_profile {
    char name[64], label[128], table[32], encoding[32];
    char sheet[128];           /* an .xlsx: the sheet to read ("" = the first) */
    int decimal;
    rr_date_order dord;
    int preamble;
    char delimiter;
    char range_start[64];   /* the header from which the date column is a range's start (date_end its end) */
    int title_range;        /* no date column: the range in the title lines ("1 February 2026 - 28 February 2026") */
    char *detect[16]; size_t ndetect;
    /* detect.LANG: the same export with the tool's headers in another
     * language; a profile matches when one whole set occurs in a record */
    struct { char *h[16]; size_t n; } alt[8]; size_t nalt;
    char *footers[17]; size_t nfooters;
    char *empty;
    rule *rules; size_t nrules, caprules;
};

typedef struct { char *key, *channel; } chmap;

struct rr_profiles {
    rr_profile **p; size_t n, cap;
    chmap *map; size_t nmap, capmap;
    size_t *mslot, nmslot;   /* hash index over map keys: entry + 1 (the latest entry of a key), 0 = empty */
};

rr_profiles *rr_profiles_new(void) { return rr_xcalloc(1, sizeof(rr_profiles)); }

static void profile_free(rr_profile *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->ndetect; i++) free(p->detect[i]);
    for (size_t a = 0; a < p->nalt; a++)
        for (size_t i = 0; i < p->alt[a].n; i++) free(p->alt[a].h[i]);
    for (size_t i = 0; i < p->nfooters; i++) free(p->footers[i]);
    for (size_t i = 0; i < p->nrules; i++) { free(p->rules[i].col); free(p->rules[i].key); free(p->rules[i].val); }
    free(p->rules);
    free(p->empty);
    free(p);
}

void rr_profiles_free(rr_profiles *ps)
{
    if (!ps) return;
    for (size_t i = 0; i < ps->n; i++) profile_free(ps->p[i]);
    for (size_t i = 0; i < ps->nmap; i++) { free(ps->map[i].key); free(ps->map[i].channel); }
    free(ps->p);
    free(ps->map);
    free(ps->mslot);
    free(ps);
}

const char *rr_profile_name(const rr_profile *p) { return p->name; }
const char *rr_profile_label(const rr_profile *p) { return p->label[0] ? p->label : p->name; }
const char *rr_profile_table(const rr_profile *p) { return p->table; }
int rr_profile_decimal(const rr_profile *p) { return p->decimal; }
rr_date_order rr_profile_date_order(const rr_profile *p) { return p->dord; }
const char *rr_profile_encoding(const rr_profile *p) { return p->encoding[0] ? p->encoding : NULL; }

static char *trimdup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) { s++; n--; }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    return rr_xstrndup(s, n);
}

/* "a | b | c" -> list of trimmed strings */
static size_t split_list(const char *v, char **out, size_t max)
{
    size_t n = 0;
    while (*v && n < max) {
        const char *bar = strchr(v, '|');
        size_t len = bar ? (size_t)(bar - v) : strlen(v);
        char *s = trimdup(v, len);
        if (*s) out[n++] = s; else free(s);
        if (!bar) break;
        v = bar + 1;
    }
    return n;
}

static int col_index(const rr_csv_col *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(cols[i].name, name)) return (int)i;
    return -1;
}

static rr_status check_profile(rr_profile *p, const char *path, rr_error *err)
{
    const rr_csv_col *cols;
    size_t n;
    int idx;
    if (!p->name[0]) return rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, NULL, "profile has no \"name = ...\" line");
    if (!p->table[0] || rr_data_table_cols(p->table, &cols, &n, &idx) != 0)
        return rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, NULL,
                            "profile %s: \"table = %s\" is not one of opportunities, touchpoints, leads, spend, "
                            "campaigns, targets, forecasts, fx", p->name, p->table);
    if (!p->ndetect)
        return rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, NULL,
                            "profile %s: no \"detect = Column | Column\" line (header cells that identify the export)",
                            p->name);
    for (size_t r = 0; r < p->nrules; r++) {
        rule *ru = &p->rules[r];
        if (col_index(cols, n, ru->col) < 0)
            return rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, ru->col,
                                "profile %s: table %s has no column \"%s\"", p->name, p->table, ru->col);
        if ((ru->kind == R_FROM || ru->kind == R_CAPTURE) && col_index(cols, n, ru->val) < 0)
            return rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, ru->col,
                                "profile %s: \"%s\" refers to unknown column \"%s\"", p->name, ru->col, ru->val);
    }
    for (size_t i = 0; i < n; i++) {
        if (!cols[i].required) continue;
        int have = 0;
        for (size_t r = 0; r < p->nrules; r++)
            if (!strcmp(p->rules[r].col, cols[i].name) && p->rules[r].kind != R_MAP) have = 1;
        if (!have)
            return rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, cols[i].name,
                                "profile %s: table %s needs column %s: add \"column.%s = <header>\", "
                                "\"const.%s = <value>\" or \"from.%s = <column>\"", p->name, p->table,
                                cols[i].name, cols[i].name, cols[i].name, cols[i].name);
    }
    return RR_OK;
}

static void add_rule(rr_profile *p, int kind, const char *col, size_t coln, const char *key, const char *val)
{
    p->rules = rr_xgrow(p->rules, &p->caprules, p->nrules + 1, sizeof *p->rules);
    rule *r = &p->rules[p->nrules++];
    r->kind = kind;
    r->col = trimdup(col, coln);
    r->key = key ? trimdup(key, strlen(key)) : NULL;
    r->val = rr_xstrdup(val);
}

rr_status rr_profile_load(rr_profiles *ps, const char *path, rr_error *err)
{
    return rr_profile_load_get(ps, path, NULL, err);
}

rr_status rr_profile_load_get(rr_profiles *ps, const char *path, const rr_profile **loaded, rr_error *err)
{
    FILE *f = rr_fsafe_fopen_input(path, err);   /* regular files only: not a FIFO, not /dev/zero */
    char line[2048];
    long ln = 0, bytes = 0;
    rr_status st = RR_OK;
    rr_profile *p = NULL;
    if (!f) return err && strstr(err->msg, "regular") ? RR_ERR_CONFIG : RR_ERR_IO;
    p = rr_xcalloc(1, sizeof *p);
    p->dord = RR_DORD_AUTO;
    p->preamble = 20;
    while (fgets(line, sizeof line, f)) {
        ln++;
        bytes += (long)strlen(line);
        if (bytes > (1L << 20)) {                /* a profile is a few lines */
            st = rr_error_set(err, RR_ERR_LIMIT, path, ln, 0, NULL, "profile larger than 1 MB: refused");
            goto out;
        }
        char *s = line;
        if (ln == 1 && !strncmp(s, "\xEF\xBB\xBF", 3)) s += 3;
        size_t n = strlen(s);
        while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = 0;
        while (*s == ' ' || *s == '\t') s++;
        if (!*s || *s == '#') continue;
        char *eq = strchr(s, '=');
        if (!eq) { st = rr_error_set(err, RR_ERR_CONFIG, path, ln, 0, NULL, "expected \"key = value\": %.80s", s); goto out; }
        char *key = trimdup(s, (size_t)(eq - s));
        char *val = trimdup(eq + 1, strlen(eq + 1));
        if (!strcmp(key, "name")) snprintf(p->name, sizeof p->name, "%s", val);
        else if (!strcmp(key, "label")) snprintf(p->label, sizeof p->label, "%s", val);
        else if (!strcmp(key, "table")) snprintf(p->table, sizeof p->table, "%s", val);
        else if (!strcmp(key, "encoding")) snprintf(p->encoding, sizeof p->encoding, "%s", val);
        else if (!strcmp(key, "range_start")) snprintf(p->range_start, sizeof p->range_start, "%s", val);
        else if (!strcmp(key, "title_range")) p->title_range = !strcasecmp(val, "yes") || !strcasecmp(val, "true");
        else if (!strcmp(key, "sheet")) snprintf(p->sheet, sizeof p->sheet, "%s", val);
        else if (!strcmp(key, "detect")) p->ndetect += split_list(val, p->detect + p->ndetect, 16 - p->ndetect);
        else if (!strncmp(key, "detect.", 7)) {
            if (p->nalt >= sizeof p->alt / sizeof p->alt[0])
                st = rr_error_set(err, RR_ERR_CONFIG, path, ln, 0, NULL, "at most 8 detect.LANG lines");
            else if ((p->alt[p->nalt].n = split_list(val, p->alt[p->nalt].h, 16)) > 0) p->nalt++;
        }
        else if (!strcmp(key, "footer")) { if (p->nfooters < 16) p->footers[p->nfooters++] = rr_xstrdup(val); }
        else if (!strcmp(key, "empty")) { free(p->empty); p->empty = rr_xstrdup(val); }
        else if (!strcmp(key, "preamble")) p->preamble = (int)strtol(val, NULL, 10);
        else if (!strcmp(key, "delimiter"))
            p->delimiter = !strcasecmp(val, "tab") ? '\t' : !strcasecmp(val, "auto") ? 0 : val[0];
        else if (!strcmp(key, "decimal")) {
            if (!strcmp(val, ".") || !strcasecmp(val, "dot")) p->decimal = '.';
            else if (!strcmp(val, ",") || !strcasecmp(val, "comma")) p->decimal = ',';
            else if (!strcasecmp(val, "auto")) p->decimal = 0;
            else st = rr_error_set(err, RR_ERR_CONFIG, path, ln, 0, NULL, "decimal: expected auto, dot or comma");
        } else if (!strcmp(key, "date_order")) {
            int o = rr_date_order_parse(val);
            if (o < 0) st = rr_error_set(err, RR_ERR_CONFIG, path, ln, 0, NULL, "date_order: expected auto, mdy, dmy or ymd");
            else p->dord = (rr_date_order)o;
        } else {
            static const struct { const char *pre; int kind; } kinds[] = {
                {"column.", R_ALIAS}, {"const.", R_CONST}, {"from.", R_FROM}, {"map.", R_MAP},
                {"capture.", R_CAPTURE}, {"default.", R_DEFAULT}};
            int done = 0;
            for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !done; k++) {
                size_t pl = strlen(kinds[k].pre);
                if (strncmp(key, kinds[k].pre, pl)) continue;
                const char *col = key + pl;
                if (kinds[k].kind == R_MAP) {
                    const char *dot = strchr(col, '.');
                    if (!dot) break;
                    add_rule(p, R_MAP, col, (size_t)(dot - col), dot + 1, val);
                } else {
                    add_rule(p, kinds[k].kind, col, strlen(col), NULL, val);
                }
                done = 1;
            }
            if (!done)
                st = rr_error_set(err, RR_ERR_CONFIG, path, ln, 0, NULL,
                                  "unknown key \"%.60s\" (expected name, label, table, detect, detect.LANG, column.X, const.X, "
                                  "from.X, map.X.VALUE, capture.X, default.X, footer, empty, decimal, date_order, "
                                  "encoding, delimiter, preamble, sheet)", key);
        }
        free(key);
        free(val);
        if (st) goto out;
    }
    if ((st = check_profile(p, path, err))) goto out;
    for (size_t i = 0; i < ps->n; i++)
        if (!strcmp(ps->p[i]->name, p->name)) {
            profile_free(ps->p[i]);
            ps->p[i] = p;
            if (loaded) *loaded = p;
            p = NULL;
            goto out;
        }
    ps->p = rr_xgrow(ps->p, &ps->cap, ps->n + 1, sizeof *ps->p);
    ps->p[ps->n++] = p;
    if (loaded) *loaded = p;
    p = NULL;
out:
    profile_free(p);
    fclose(f);
    return st;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

rr_status rr_profiles_load_dir(rr_profiles *ps, const char *dir, rr_error *err)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    rr_status st = RR_OK;
    if (!d) return rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "cannot open profile folder: %s", strerror(errno));
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 8 && !strcmp(e->d_name + l - 8, ".profile")) {
            names = rr_xgrow(names, &cap, n + 1, sizeof *names);
            names[n++] = rr_xstrdup(e->d_name);
        }
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmpstr);
    char path[2048];
    for (size_t i = 0; i < n && st == RR_OK; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        st = rr_profile_load(ps, path, err);
    }
    snprintf(path, sizeof path, "%s/channels.csv", dir);
    FILE *f = st == RR_OK ? fopen(path, "r") : NULL;
    if (f) { fclose(f); st = rr_channel_map_load(ps, path, err); }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return st;
}

static char *norm_key(const char *s, size_t n)
{
    char *o = rr_xmalloc(n + 1);
    size_t w = 0;
    while (n && isspace((unsigned char)*s)) { s++; n--; }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '_' || c == '-' || c == ' ') { if (w && o[w - 1] != ' ') o[w++] = ' '; continue; }
        o[w++] = (char)tolower((unsigned char)c);
    }
    o[w] = 0;
    return o;
}

static const rr_csv_col map_cols[] = {{"source", 1}, {"channel", 1}};

static size_t key_hash(const char *k)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *k; k++) h = (h ^ (unsigned char)*k) * 0x100000001b3ULL;
    return (size_t)(h ^ (h >> 29));
}

/* the index slot of key k: where it is, or the empty slot where it goes */
static size_t map_slot(const rr_profiles *ps, const char *k)
{
    size_t mask = ps->nmslot - 1, i = key_hash(k) & mask;
    while (ps->mslot[i] && strcmp(ps->map[ps->mslot[i] - 1].key, k)) i = (i + 1) & mask;
    return i;
}

/* index entry e; a later entry of the same key replaces the earlier one */
static void map_index(rr_profiles *ps, size_t e)
{
    if ((ps->nmap + 1) * 2 > ps->nmslot) {
        free(ps->mslot);
        ps->nmslot = ps->nmslot ? ps->nmslot * 2 : 64;
        while ((ps->nmap + 1) * 2 > ps->nmslot) ps->nmslot *= 2;
        ps->mslot = rr_xcalloc(ps->nmslot, sizeof *ps->mslot);
        for (size_t i = 0; i < e; i++) ps->mslot[map_slot(ps, ps->map[i].key)] = i + 1;
    }
    ps->mslot[map_slot(ps, ps->map[e].key)] = e + 1;
}

static rr_status map_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_profiles *ps = ud;
    size_t n, m;
    const char *s = rr_csv_get(row, 0, &n), *c = rr_csv_get(row, 1, &m);
    if (!n || !m) return rr_csv_fail(row, n ? 1 : 0, err, "empty value in the channel map");
    ps->map = rr_xgrow(ps->map, &ps->capmap, ps->nmap + 1, sizeof *ps->map);
    ps->map[ps->nmap].key = norm_key(s, n);
    ps->map[ps->nmap].channel = trimdup(c, m);
    map_index(ps, ps->nmap);
    ps->nmap++;
    return RR_OK;
}

rr_status rr_channel_map_load(rr_profiles *ps, const char *path, rr_error *err)
{
    return rr_csv_read(path, map_cols, 2, map_row, ps, NULL, err);
}

/* a hashed lookup (a map may have tens of thousands of entries, looked up
 * for every row of an export) */
const char *rr_channel_map_find(const rr_profiles *ps, const char *s, size_t len)
{
    if (!ps || !ps->nmap || !len) return NULL;
    char *k = norm_key(s, len);
    size_t e = ps->mslot[map_slot(ps, k)];
    free(k);
    return e ? ps->map[e - 1].channel : NULL;
}

const rr_profile *rr_profiles_find(const rr_profiles *ps, const char *name)
{
    for (size_t i = 0; ps && i < ps->n; i++)
        if (!strcasecmp(ps->p[i]->name, name)) return ps->p[i];
    return NULL;
}

static int record_has(const char *rec, const char *end, const char *name)
{
    size_t nl = strlen(name);
    for (const char *f = rec; f < end; f += strlen(f) + 1) {
        const char *h = f;
        size_t n = strlen(f);
        if (!strncmp(h, "\xEF\xBB\xBF", 3)) { h += 3; n -= 3; }
        while (n && isspace((unsigned char)*h)) { h++; n--; }
        while (n && isspace((unsigned char)h[n - 1])) n--;
        if (n == nl && !strncasecmp(h, name, n)) return 1;
        const char *star = strchr(name, '*');   /* "Amount spent (*)" */
        if (star) {
            size_t pre = (size_t)(star - name), post = nl - pre - 1;
            if (n >= pre + post && !strncasecmp(h, name, pre) && !strncasecmp(h + n - post, star + 1, post)) return 1;
        }
    }
    return 0;
}

const rr_profile *rr_profiles_detect(const rr_profiles *ps, const char *sniffed)
{
    const rr_profile *best = NULL;
    size_t score = 0;   /* headers of the set that matched */
    for (const char *rec = sniffed; rec && *rec != '\x1f';) {
        const char *end = rec;
        while (*end != '\x1e' && *end != '\x1f') end++;
        if (*end != '\x1e') break;
        for (size_t i = 0; i < ps->n; i++) {
            const rr_profile *p = ps->p[i];
            size_t k = 0;
            while (k < p->ndetect && record_has(rec, end, p->detect[k])) k++;
            if (k == p->ndetect && (!best || p->ndetect > score)) { best = p; score = p->ndetect; }
            for (size_t a = 0; a < p->nalt; a++) {   /* the tool's headers in another language */
                k = 0;
                while (k < p->alt[a].n && record_has(rec, end, p->alt[a].h[k])) k++;
                if (k == p->alt[a].n && (!best || k > score)) { best = p; score = k; }
            }
        }
        rec = end + 1;
    }
    return best;
}

static const char *const no_alias[] = {NULL};

/* ---- binding: the prepare hook ---- */
static int eq_ci(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    while (an && isspace((unsigned char)*a)) { a++; an--; }
    while (an && isspace((unsigned char)a[an - 1])) an--;
    return an == bn && !strncasecmp(a, b, an);
}

/* value a[0..an) (trimmed) against a pattern with '*' for any run of
 * characters, case-insensitive ASCII: "Closed won*" takes HubSpot's
 * "Closed won (Renewals Pipeline)" */
static int glob_ci(const char *a, size_t an, const char *pat)
{
    while (an && isspace((unsigned char)*a)) { a++; an--; }
    while (an && isspace((unsigned char)a[an - 1])) an--;
    size_t i = 0, star_a = 0;
    const char *p = pat, *star_p = NULL;   /* backtrack point: after the last '*' */
    while (i < an) {
        if (*p == '*') { star_p = ++p; star_a = i; continue; }
        if (*p && tolower((unsigned char)*p) == tolower((unsigned char)a[i])) { p++; i++; continue; }
        if (!star_p) return 0;
        p = star_p;        /* let the '*' take one more character */
        i = ++star_a;
    }
    while (*p == '*') p++;
    return *p == 0;
}

/* The map entry for a value: the exact one (case-insensitive), else the
 * first pattern with '*' in profile order, else the catch-all "*" */
static const char *map_lookup_any(const rr_profile *p, const char *col, const char *v, size_t n, int *any);
static const char *map_lookup(const rr_profile *p, const char *col, const char *v, size_t n)
{
    int any;
    return map_lookup_any(p, col, v, n, &any);
}

/* ---- stages: what a stage the profile does not name means ----
 * A stage value with no entry of its own (only the catch-all "*") is read
 * by its words: a lost word (lost, abandoned, 失注, 输单, проиграна, "не
 * реализовано"...) makes it closed and lost, a won word (won, 受注, 赢单,
 * выиграна, "успешно реализовано"...) closed and won, a closed word alone
 * (closed, クローズ, 关闭, закрыта) closed and lost.  Words are whole ASCII
 * words ("Closed: won", "closedwon") or, in other scripts, contained. */
static int has_word(const char *v, size_t n, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= n; i++) {
        if (strncasecmp(v + i, w, wl)) continue;
        if ((unsigned char)w[0] >= 0x80) return 1;
        int before = i == 0 || !isalnum((unsigned char)v[i - 1]);
        int after = i + wl == n || !isalnum((unsigned char)v[i + wl]);
        if (before && after) return 1;
    }
    return 0;
}

int rr_profile_stage_words(const char *v, size_t n)
{
    static const char *const lost[] = {"lost", "closedlost", "closed-lost", "abandoned", "cancelled", "canceled",
        "disqualified", "失注", "失注済", "不成立", "输单", "丢单", "失败", "已流失", "проиграна", "проигран",
        "не реализовано", "не реализована", "отказ", "потеряна", "отменена", NULL};
    static const char *const won[] = {"won", "closedwon", "closed-won", "受注", "成約", "赢单", "成交", "已赢单",
        "выиграна", "выигран", "успешно", "реализовано", "оплачено", NULL};
    static const char *const closed[] = {"closed", "クローズ", "已关闭", "关闭", "结单", "закрыта", "закрыто",
        "закрыт", NULL};
    for (size_t i = 0; lost[i]; i++) if (has_word(v, n, lost[i])) return RR_STAGE_LOST;
    for (size_t i = 0; won[i]; i++) if (has_word(v, n, won[i])) return RR_STAGE_WON;
    for (size_t i = 0; closed[i]; i++) if (has_word(v, n, closed[i])) return RR_STAGE_LOST;
    return RR_STAGE_UNKNOWN;
}

/* the user's own line (--stage "Closed: abandoned=lost;Signed=won"): the
 * meaning of v, or RR_STAGE_UNKNOWN */
static int user_stage(const char *list, const char *v, size_t n)
{
    while (n && isspace((unsigned char)*v)) { v++; n--; }
    while (n && isspace((unsigned char)v[n - 1])) n--;
    for (const char *s = list; s && *s;) {
        const char *semi = strchr(s, ';'), *end = semi ? semi : s + strlen(s);
        const char *eq = NULL;
        for (const char *q = end; q > s; q--) if (q[-1] == '=') { eq = q - 1; break; }
        if (eq && (size_t)(eq - s) == n && !strncasecmp(s, v, n)) {
            size_t m = (size_t)(end - eq - 1);
            if (m == 3 && !strncasecmp(eq + 1, "won", 3)) return RR_STAGE_WON;
            if (m == 4 && !strncasecmp(eq + 1, "lost", 4)) return RR_STAGE_LOST;
            if (m == 4 && !strncasecmp(eq + 1, "open", 4)) return RR_STAGE_OPEN;
        }
        s = semi ? semi + 1 : end;
    }
    return RR_STAGE_UNKNOWN;
}

static void stage_tally(rr_profile_binding *b, const char *v, size_t n)
{
    b->unknown_stages++;
    if (n > 46) n = 46;
    for (int i = 0; i < b->nstage_values; i++)
        if (strlen(b->stage_values[i]) == n && !memcmp(b->stage_values[i], v, n)) { b->stage_counts[i]++; return; }
    if (b->nstage_values >= RR_PROFILE_STAGES) return;
    snprintf(b->stage_values[b->nstage_values], sizeof b->stage_values[0], "%.*s", (int)n, v);
    b->stage_counts[b->nstage_values++] = 1;
}

static const char *map_lookup_any(const rr_profile *p, const char *col, const char *v, size_t n, int *any)
{
    *any = 0;
    for (size_t q = 0; q < p->nrules; q++)
        if (p->rules[q].kind == R_MAP && !strcmp(p->rules[q].col, col) && eq_ci(v, n, p->rules[q].key))
            return p->rules[q].val;
    for (size_t q = 0; q < p->nrules; q++)
        if (p->rules[q].kind == R_MAP && !strcmp(p->rules[q].col, col) && strcmp(p->rules[q].key, "*") &&
            strchr(p->rules[q].key, '*') && glob_ci(v, n, p->rules[q].key))
            return p->rules[q].val;
    for (size_t q = 0; q < p->nrules; q++)
        if (p->rules[q].kind == R_MAP && !strcmp(p->rules[q].col, col) && !strcmp(p->rules[q].key, "*")) {
            *any = 1;
            return p->rules[q].val;
        }
    return NULL;
}

/* One side of a title's range: "1 February 2026", "February 1, 2026",
 * "Feb 1, 2026" into ISO (out, 11 bytes); a numeric date is kept as written
 * (the file's date order reads it).  0 when it is not a date. */
static int title_date(const char *s, size_t n, char *out, size_t cap)
{
    static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    int day = 0, year = 0, month = 0, alpha = 0;
    while (n && isspace((unsigned char)*s)) { s++; n--; }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    for (size_t i = 0; i < n;) {
        if (isdigit((unsigned char)s[i])) {
            int v = 0; size_t k = 0;
            while (i < n && isdigit((unsigned char)s[i])) { v = v * 10 + (s[i] - '0'); i++; k++; if (k > 4) return 0; }
            if (k == 4) year = v; else if (k <= 2 && !day) day = v; else return 0;
        } else if (isalpha((unsigned char)s[i])) {
            size_t k = i;
            while (k < n && isalpha((unsigned char)s[k])) k++;
            alpha = 1;
            for (int m = 0; m < 12 && k - i >= 3; m++)
                if (!strncasecmp(s + i, mon[m], 3)) month = m + 1;
            i = k;
        } else i++;
    }
    if (!alpha) {   /* 2026-02-01, 01/02/2026 */
        if (!n || n >= cap) return 0;
        snprintf(out, cap, "%.*s", (int)n, s);
        return 1;
    }
    if (!day || !year || !month || day > 31) return 0;
    snprintf(out, cap, "%04d-%02d-%02d", year, month, day);
    return 1;
}

/* The date range of an export's title lines into a..b; 1 = found, -1 = "All
 * time" (no range that could be spread), 0 = none */
static int title_range(const rr_csv_row *row, char *a, char *b, size_t cap)
{
    for (int k = 0; rr_csv_preamble(row, k); k++) {
        const char *t = rr_csv_preamble(row, k);
        if (!strncasecmp(t, "All time", 8)) return -1;
        const char *dash = strstr(t, " - ");
        size_t dl = 3;
        if (!dash) { dash = strstr(t, " \xe2\x80\x93 "); dl = 5; }   /* an en dash */
        if (!dash) continue;
        if (title_date(t, (size_t)(dash - t), a, cap) && title_date(dash + dl, strlen(dash + dl), b, cap)) return 1;
    }
    return 0;
}

static rr_status prepare(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_profile_binding *b = ud;
    const rr_profile *p = b->p;
    int di = col_index(b->cols, b->ncols, "date"), de = col_index(b->cols, b->ncols, "date_end");
    if (di >= 0 && de >= 0 && p->title_range && !rr_csv_has(row, (size_t)di)) {
        char a[40], e[40];
        int r = title_range(row, a, e, sizeof a);
        /* the whole file is in doubt, not a row: an error (RR_ERR_MISSING stops a lenient read too) */
        if (r < 0) {
            rr_csv_fail(row, (size_t)di, err, "the report is for \"All time\" and has no Day column: its spend "
                        "cannot be put in months; download it with a Day column (Google Ads: Segment > Time > "
                        "Day) or for one month");
            return RR_ERR_MISSING;
        }
        if (!r) {
            rr_csv_fail(row, (size_t)di, err, "no Day column and no date range in the title lines (such as \"1 "
                        "February 2026 - 28 February 2026\"): download the report with Segment > Time > Day");
            return RR_ERR_MISSING;
        }
        rr_csv_set(row, (size_t)di, a, strlen(a));
        rr_csv_set(row, (size_t)de, e, strlen(e));
    } else if (di >= 0 && de >= 0 && p->range_start[0] && !eq_ci(rr_csv_header(row, (size_t)di),
                                                                  strlen(rr_csv_header(row, (size_t)di)), p->range_start))
        rr_csv_set(row, (size_t)de, "", 0);   /* a Day column: each row is its day, not the report's range */
    for (size_t i = 0; i < b->ncols; i++) {
        const char *col = b->cols[i].name;
        size_t n;
        const char *v;
        for (size_t r = 0; r < p->nrules; r++) {
            const rule *ru = &p->rules[r];
            if (strcmp(ru->col, col)) continue;
            if (ru->kind == R_CONST && !rr_csv_has(row, i)) rr_csv_set(row, i, ru->val, strlen(ru->val));
            else if (ru->kind == R_CAPTURE && !rr_csv_has(row, i)) {
                int src = col_index(b->cols, b->ncols, ru->val);
                const char *cap = rr_csv_capture(row, (size_t)src);
                if (*cap) rr_csv_set(row, i, cap, strlen(cap));
            } else if (ru->kind == R_FROM) {
                int src = col_index(b->cols, b->ncols, ru->val);
                v = rr_csv_get(row, (size_t)src, &n);
                int any = 0;
                const char *hit = map_lookup_any(p, col, v, n, &any);
                int flag = !strcmp(col, "is_closed") ? 1 : !strcmp(col, "is_won") ? 2 : 0;
                if (flag && !strcmp(ru->val, "stage")) {   /* a stage: the user's line, else its words */
                    int m = user_stage(b->stages, v, n);
                    if (m == RR_STAGE_UNKNOWN && (any || !hit)) {
                        m = rr_profile_stage_words(v, n);
                        if (m == RR_STAGE_UNKNOWN && n && flag == 1) stage_tally(b, v, n);
                    }
                    if (m != RR_STAGE_UNKNOWN)
                        hit = (flag == 1 ? m != RR_STAGE_OPEN : m == RR_STAGE_WON) ? "true" : "false";
                }
                if (hit) rr_csv_set(row, i, hit, strlen(hit));
                else
                    return rr_csv_fail(row, (size_t)src, err, "value \"%.*s\" has no entry map.%s.<value> in profile "
                                       "%s (needed for %s)", (int)(n > 60 ? 60 : n), v, col, p->name, col);
            }
        }
        /* value tables on the column itself (no from.) */
        int has_from = 0;
        for (size_t r = 0; r < p->nrules; r++)
            if (p->rules[r].kind == R_FROM && !strcmp(p->rules[r].col, col)) has_from = 1;
        if (!has_from) {
            v = rr_csv_get(row, i, &n);
            const char *hit = map_lookup(p, col, v, n);
            if (hit) rr_csv_set(row, i, hit, strlen(hit));
        }
        if (!strcmp(col, "channel") || !strcmp(col, "lead_source")) {
            v = rr_csv_get(row, i, &n);
            const char *ch = rr_channel_map_find(b->ps, v, n);
            if (ch) rr_csv_set(row, i, ch, strlen(ch));
            else if (n && b->ps && b->ps->nmap) {
                if (!b->unmapped_channels++)
                    snprintf(b->unmapped_example, sizeof b->unmapped_example, "%.*s", (int)(n > 60 ? 60 : n), v);
            }
        }
        v = rr_csv_get(row, i, &n);
        if (!n)
            for (size_t r = 0; r < p->nrules; r++)
                if (p->rules[r].kind == R_DEFAULT && !strcmp(p->rules[r].col, col))
                    rr_csv_set(row, i, p->rules[r].val, strlen(p->rules[r].val));
    }
    return RR_OK;
}

void rr_profile_bind(const rr_profile *p, const rr_profiles *ps, const rr_csv_col *cols, size_t ncols,
                     rr_profile_binding *b)
{
    memset(b, 0, sizeof *b);
    b->p = p; b->ps = ps; b->cols = cols; b->ncols = ncols;
    b->aliases = rr_xcalloc(ncols, sizeof *b->aliases);
    b->provided = rr_xcalloc(ncols, 1);
    for (size_t i = 0; i < ncols; i++) {
        b->aliases[i] = (const char **)no_alias;
        for (size_t r = 0; r < p->nrules; r++) {
            const rule *ru = &p->rules[r];
            if (strcmp(ru->col, cols[i].name)) continue;
            if (ru->kind == R_ALIAS) {   /* several column.X lines add up, in file order */
                char *tmp[32];
                size_t k = split_list(ru->val, tmp, 31), had = 0;
                const char **al = b->aliases[i] == (const char **)no_alias ? NULL : b->aliases[i];
                while (al && al[had]) had++;
                al = rr_xrealloc(al, (had + k + 1) * sizeof *al);
                for (size_t j = 0; j < k; j++) al[had + j] = tmp[j];
                al[had + k] = NULL;
                b->aliases[i] = al;
            } else if (ru->kind != R_MAP) b->provided[i] = 1;
        }
        if (p->title_range && (!strcmp(cols[i].name, "date") || !strcmp(cols[i].name, "date_end"))) b->provided[i] = 1;
    }
    b->opts.encoding = p->encoding[0] ? p->encoding : "auto";
    b->opts.delimiter = p->delimiter;
    b->opts.aliases = (const char *const *const *)b->aliases;
    b->opts.provided = b->provided;
    b->opts.max_preamble = p->preamble;
    b->opts.footers = (const char *const *)p->footers;
    b->opts.empty = p->empty;
    b->opts.prepare = prepare;
    b->opts.prepare_ud = b;
    b->opts.lenient = 1;
    b->opts.sheet = p->sheet[0] ? p->sheet : NULL;
}

void rr_profile_unbind(rr_profile_binding *b)
{
    if (!b->aliases) return;
    for (size_t i = 0; i < b->ncols; i++) {
        const char **al = b->aliases[i];
        if (!al || al == (const char **)no_alias) continue;
        for (size_t j = 0; al[j]; j++) free((char *)al[j]);
        free(al);
    }
    free(b->aliases);
    free(b->provided);
    b->aliases = NULL;
}
