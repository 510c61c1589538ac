/* data.c: reading the canonical input files into rr_data (see data.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>
#include <errno.h>
#include <unistd.h>
#include <pthread.h>
#include "revreport/data.h"
#include "revreport/datatab.h"
#include "revreport/i18n.h"
#include "revreport/par.h"
#include "revreport/profile.h"
#include "revreport/xalloc.h"

/* ---- dictionary ----
 * Open addressing; a slot holds the string's 32-bit hash (high half) and
 * id + 1 (low half), so a probe compares hashes without touching the names.
 * Names live in 64 KiB arena blocks (one allocation per block, not per name). */
static inline uint64_t hash64(const char *s, size_t n, uint64_t seed)
{
    uint64_t h = seed ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
        s += 8; n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdULL;
    return h;
}

static uint32_t hash_bytes(const char *s, size_t n) { return (uint32_t)(hash64(s, n, 0x9E3779B97F4A7C15ULL) >> 32); }

#define DICT_BLOCK (64 * 1024)

static void dict_rehash(rr_dict *d, size_t nslots)
{
    /* zeroed by writing, not calloc: a calloc'ed table is mapped to the zero
     * page, and the first store into each page then costs a copy-on-write
     * fault with a TLB shootdown on every core running a thread of ours.
     * (Slots of 32 bytes holding short names inline, so that a hit reads
     * one cache line, were tried: 4x the table memory, +270 MB peak and
     * 8-10 % more CPU on the enterprise year.) */
    uint64_t *ns = rr_xmalloc(nslots * sizeof *ns);
    memset(ns, 0, nslots * sizeof *ns);
    for (size_t i = 0; i < d->nslots; i++) {
        uint64_t v = d->slots[i];
        if (!v) continue;
        size_t j = (size_t)(v >> 32) & (nslots - 1);
        while (ns[j]) j = (j + 1) & (nslots - 1);
        ns[j] = v;
    }
    free(d->slots);
    d->slots = ns;
    d->nslots = nslots;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) { (*s)++; (*n)--; }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) (*n)--;
}

/* a == b for n bytes: ids are short, so two overlapping word compares
 * instead of a call to memcmp */
static inline int key_eq(const char *a, const char *b, size_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t x, y, x2, y2;
        memcpy(&x, a, 8); memcpy(&y, b, 8);
        memcpy(&x2, a + n - 8, 8); memcpy(&y2, b + n - 8, 8);
        return ((x ^ y) | (x2 ^ y2)) == 0;
    }
    if (n >= 4 && n < 8) {
        uint32_t x, y, x2, y2;
        memcpy(&x, a, 4); memcpy(&y, b, 4);
        memcpy(&x2, a + n - 4, 4); memcpy(&y2, b + n - 4, 4);
        return ((x ^ y) | (x2 ^ y2)) == 0;
    }
    return memcmp(a, b, n) == 0;
}

/* slot index of s (trimmed, non-empty) or of the empty slot where it goes */
static size_t dict_probe(const rr_dict *d, const char *s, size_t len, uint32_t h, int32_t *id)
{
    size_t i = h & (d->nslots - 1);
    uint64_t v;
    *id = -1;
    while ((v = d->slots[i]) != 0) {
        if ((uint32_t)(v >> 32) == h) {
            int32_t k = (int32_t)(uint32_t)v - 1;
            if (d->lens[k] == len && key_eq(d->names[k], s, len)) { *id = k; return i; }
        }
        i = (i + 1) & (d->nslots - 1);
    }
    return i;
}

/* s folded into buf: ASCII lower case, runs of spaces and '_' as one space */
static size_t fold_name(const char *s, size_t len, char *buf, size_t cap)
{
    size_t w = 0;
    for (size_t i = 0; i < len && w + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '_') {
            if (w && buf[w - 1] != ' ') buf[w++] = ' ';
            continue;
        }
        buf[w++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    while (w && buf[w - 1] == ' ') w--;
    return w;
}

int32_t rr_dict_find(const rr_dict *d, const char *s, size_t len)
{
    trim(&s, &len);
    if (!len || !d->nslots) return -1;
    int32_t id;
    dict_probe(d, s, len, hash_bytes(s, len), &id);
    if (id < 0 && d->fold) {   /* another spelling of a name: "paid search" */
        char buf[256];
        size_t fl = len < sizeof buf ? fold_name(s, len, buf, sizeof buf) : 0;
        if (fl) id = rr_dict_find(d->fold, buf, fl);
    }
    return id;
}

/* A key about to be interned: trimmed, hashed, and its first slot (and the
 * first slot asked for from memory, so the cache misses of a row's big
 * dictionaries (contacts, accounts, opportunity ids) overlap. */
typedef struct { const char *s; size_t len; uint32_t h; int32_t same; } dict_key;

static int dict_is_last(const rr_dict *d, const char *s, size_t len)
{
    int32_t k = d->last - 1;
    return k >= 0 && d->lens[k] == len && key_eq(d->names[k], s, len);
}

/* A direct-mapped cache of the names of up to 16 bytes of a small
 * dictionary (a few hundred names: channels, campaigns, stages), keyed by
 * their bytes: a row's channel is found with two word compares instead of a
 * hash, a probe and a name compare.  Ids never change, so entries stay good. */
#define SHORT_SLOTS 256
#define SHORT_MAX_NAMES 512
struct rr_dict_short {
    struct { uint64_t a, b; uint32_t len; int32_t id; } e[SHORT_SLOTS];
};

/* the name's first and last 8 bytes (zero-padded below 8) */
static inline void short_words(const char *s, size_t len, uint64_t *a, uint64_t *b)
{
    if (len >= 8) {
        memcpy(a, s, 8);
        memcpy(b, s + len - 8, 8);
    } else {
        *a = 0;
        memcpy(a, s, len);
        *b = 0;
    }
}

static inline size_t short_slot(uint64_t a, uint64_t b, size_t len)
{
    uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ULL) ^ len) * 0xff51afd7ed558ccdULL;
    return (size_t)(h >> 56) & (SHORT_SLOTS - 1);
}

static inline int32_t short_find(const rr_dict *d, const char *s, size_t len)
{
    if (!d->shortc || len > 16) return -1;
    uint64_t a, b;
    short_words(s, len, &a, &b);
    const struct rr_dict_short *c = d->shortc;
    size_t i = short_slot(a, b, len);
    return c->e[i].len == len && c->e[i].a == a && c->e[i].b == b ? c->e[i].id : -1;
}

/* (rr_dict_id calls it while the dictionary holds at most SHORT_MAX_NAMES names) */
static void short_put(rr_dict *d, const char *s, size_t len, int32_t id)
{
    if (len > 16 || len == 0) return;
    if (!d->shortc) d->shortc = rr_xcalloc(1, sizeof *d->shortc);   /* len 0 = empty: names are never empty */
    uint64_t a, b;
    short_words(s, len, &a, &b);
    size_t i = short_slot(a, b, len);
    d->shortc->e[i].a = a;
    d->shortc->e[i].b = b;
    d->shortc->e[i].len = (uint32_t)len;
    d->shortc->e[i].id = id;
}

static dict_key dict_prefetch(const rr_dict *d, const char *s, size_t len)
{
    dict_key k;
    trim(&s, &len);
    k.s = s; k.len = len; k.h = 0; k.same = 0;
    if (!len) return k;
    if (dict_is_last(d, s, len)) { k.same = 1; return k; }   /* no hash, no probe */
    k.h = hash_bytes(s, len);
    if (d->nslots) __builtin_prefetch(&d->slots[k.h & (d->nslots - 1)]);
    return k;
}

static int32_t dict_id_key(rr_dict *d, dict_key k);

void rr_dict_fold(rr_dict *d)
{
    if (!d->fold) d->fold = rr_xcalloc(1, sizeof *d->fold);
}

/* rr_dict_id of a folding dictionary, past the exact-bytes caches: the id of
 * the folded name when there is one, else a new name in both */
static int32_t dict_id_fold(rr_dict *d, const char *s, size_t len)
{
    char buf[256];
    size_t fl = len < sizeof buf ? fold_name(s, len, buf, sizeof buf) : 0;   /* 0: as it is */
    int32_t id = -1;
    if (d->nslots) dict_probe(d, s, len, hash_bytes(s, len), &id);   /* this exact spelling */
    if (id < 0 && fl && (id = rr_dict_find(d->fold, buf, fl)) >= 0 && !d->folded_example[0]) {
        snprintf(d->folded_example, sizeof d->folded_example, "%.*s", (int)(len > 90 ? 90 : len), s);
        d->folded_example_id = id;
    }
    if (id < 0) {   /* a new name, in both (same id: they grow together) */
        dict_key k = {s, len, hash_bytes(s, len), 0};
        id = dict_id_key(d, k);
        rr_dict_id(d->fold, fl ? buf : s, fl ? fl : len);
    }
    d->last = id + 1;
    if (d->n <= SHORT_MAX_NAMES) short_put(d, s, len, id);
    return id;
}

int32_t rr_dict_id(rr_dict *d, const char *s, size_t len)
{
    trim(&s, &len);
    if (!len) return -1;
    if (dict_is_last(d, s, len)) return d->last - 1;
    int32_t id = short_find(d, s, len);
    if (id >= 0) { d->last = id + 1; return id; }
    if (d->fold) return dict_id_fold(d, s, len);
    dict_key k = {s, len, hash_bytes(s, len), 0};
    id = dict_id_key(d, k);
    if (d->n <= SHORT_MAX_NAMES) short_put(d, s, len, id);
    return id;
}

static int32_t dict_id_key(rr_dict *d, dict_key k)
{
    const char *s = k.s;
    size_t len = k.len;
    if (!len) return -1;
    if (k.same) return d->last - 1;
    if ((d->n + 1) * 2 > d->nslots) dict_rehash(d, d->nslots ? d->nslots * 2 : 64);
    uint32_t h = k.h;
    int32_t id;
    size_t i = dict_probe(d, s, len, h, &id);
    if (id >= 0) { d->last = id + 1; return id; }
    size_t cap = d->cap;
    d->names = rr_xgrow(d->names, &cap, d->n + 1, sizeof *d->names);
    if (cap != d->cap) {
        d->lens = rr_xrealloc(d->lens, cap * sizeof *d->lens);
        d->cap = cap;
    }
    char *mem;
    if (len + 1 > DICT_BLOCK / 4) {   /* a long name: its own block */
        mem = rr_xmalloc(len + 1);
    } else {
        if (d->block_left < len + 1) {
            d->block = rr_xmalloc(DICT_BLOCK);
            d->block_left = DICT_BLOCK;
            d->blocks = rr_xgrow(d->blocks, &d->capblocks, d->nblocks + 1, sizeof *d->blocks);
            d->blocks[d->nblocks++] = d->block;
        }
        mem = d->block;
        d->block += len + 1;
        d->block_left -= len + 1;
    }
    memcpy(mem, s, len);
    mem[len] = 0;
    if (len + 1 > DICT_BLOCK / 4) {
        d->blocks = rr_xgrow(d->blocks, &d->capblocks, d->nblocks + 1, sizeof *d->blocks);
        d->blocks[d->nblocks++] = mem;
    }
    d->names[d->n] = mem;
    d->lens[d->n] = (uint32_t)len;
    d->slots[i] = (uint64_t)h << 32 | (uint32_t)(d->n + 1);
    d->last = (int32_t)d->n + 1;
    return (int32_t)d->n++;
}

const char *rr_dict_name(const rr_dict *d, int32_t id)
{
    return (id >= 0 && (size_t)id < d->n) ? d->names[id] : "";
}

void rr_dict_free(rr_dict *d)
{
    if (d->fold) { rr_dict_free(d->fold); free(d->fold); }
    free(d->shortc);
    for (size_t i = 0; i < d->nblocks; i++) free(d->blocks[i]);
    free(d->blocks);
    free(d->names);
    free(d->lens);
    free(d->slots);
    memset(d, 0, sizeof *d);
}

/* ---- lifecycle ---- */
static const char *const file_names[RR_IN_COUNT] = {
    "opportunities.csv", "touchpoints.csv", "leads.csv", "spend.csv", "campaigns.csv",
    "targets.csv", "forecasts.csv", "fx.csv"};

rr_data *rr_data_new(const char *base_currency)
{
    rr_data *d = rr_xcalloc(1, sizeof *d);
    snprintf(d->base_currency, sizeof d->base_currency, "%s", base_currency ? base_currency : "USD");
    for (int i = 0; i < RR_IN_COUNT; i++) {
        snprintf(d->files[i].name, sizeof d->files[i].name, "%s", file_names[i]);
        snprintf(d->files[i].profile, sizeof d->files[i].profile, "canonical");
        d->files[i].table = i;
    }
    d->cur_decimal = '.';
    d->cur_dord = RR_DORD_ISO;
    rr_dict_fold(&d->channels);   /* "paid search" in one export is "Paid Search" */
    return d;
}

void rr_data_free(rr_data *d)
{
    if (!d) return;
    for (int i = 0; i < RR_IN_COUNT; i++) rr_csv_stats_release(&d->files[i].stats);
    rr_dict *dicts[] = {&d->channels, &d->campaigns, &d->accounts, &d->contacts, &d->opp_ids, &d->lead_ids,
                        &d->names, &d->stages, &d->owners, &d->sources, &d->currencies};
    for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++) rr_dict_free(dicts[i]);
    free(d->lead_keys);
    free(d->opps); free(d->touch); free(d->leads); free(d->spend); free(d->targets);
    free(d->forecasts); free(d->fx); free(d->campaign_name); free(d->campaign_channel);
    free(d->spend_slots);
    free(d->overlap);
    for (size_t i = 0; i < d->ndropped; i++) free(d->dropped[i]);
    free(d->dropped);
    free(d->inputs);
    for (size_t i = 0; i < d->nwarnings; i++) {
        free(d->warnings[i]);
        free(d->warn_keys[i]);
        for (char **a = d->warn_args[i]; a && *a; a++) free(*a);
        free(d->warn_args[i]);
    }
    free(d->warnings);
    free(d->warn_keys);
    free(d->warn_args);
    free(d);
}

static void warn_push(rr_data *d, char *english, char *key, char **args)
{
    size_t cap = d->capwarnings;
    d->warnings = rr_xgrow(d->warnings, &cap, d->nwarnings + 1, sizeof *d->warnings);
    if (cap != d->capwarnkeys) {
        d->warn_keys = rr_xrealloc(d->warn_keys, cap * sizeof *d->warn_keys);
        d->warn_args = rr_xrealloc(d->warn_args, cap * sizeof *d->warn_args);
        d->capwarnkeys = cap;
    }
    d->capwarnings = cap;
    d->warn_keys[d->nwarnings] = key;
    d->warn_args[d->nwarnings] = args;
    d->warnings[d->nwarnings++] = english;
}

void rr_data_warn(rr_data *d, const char *fmt, ...)
{
    va_list ap;
    char buf[1024];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    warn_push(d, rr_xstrdup(buf), NULL, NULL);
}

void rr_data_warnk(rr_data *d, const char *key, const char *english, ...)
{
    va_list ap;
    size_t n = 0;
    va_start(ap, english);
    while (va_arg(ap, const char *)) n++;
    va_end(ap);
    char **args = rr_xcalloc(n + 1, sizeof *args);
    va_start(ap, english);
    for (size_t i = 0; i < n; i++) args[i] = rr_xstrdup(va_arg(ap, const char *));
    va_end(ap);
    warn_push(d, rr_i18n_subst_v(english, (const char *const *)args), rr_xstrdup(key), args);
}

char *rr_data_warning_text(const rr_data *d, size_t i, const char *(*lookup)(const void *, const char *),
                           const void *cat)
{
    if (i >= d->nwarnings) return rr_xstrdup("");
    if (!d->warn_keys || !d->warn_keys[i] || !lookup) return rr_xstrdup(d->warnings[i]);
    const char *pattern = lookup(cat, d->warn_keys[i]);
    if (strcmp(pattern, d->warn_keys[i]) == 0) return rr_xstrdup(d->warnings[i]);   /* no catalogue entry */
    return rr_i18n_subst_v(pattern, (const char *const *)d->warn_args[i]);
}

const char *rr_data_campaign_name(const rr_data *d, int32_t c)
{
    if (c >= 0 && (size_t)c < d->ncampaign_meta && d->campaign_name[c] >= 0)
        return rr_dict_name(&d->names, d->campaign_name[c]);
    return rr_dict_name(&d->campaigns, c);
}

/* ---- field helpers: each returns RR_OK or fills err with the location ---- */
static rr_status get_money(const rr_data *d, const rr_csv_row *row, size_t i, rr_money *out, rr_error *err)
{
    size_t n;
    const char *s = rr_csv_get(row, i, &n);
    rr_numfmt nf = RR_NUMFMT_CANONICAL;
    if (d->cur_decimal != '.' || d->cur_dord != RR_DORD_ISO) {   /* an export */
        nf.decimal = d->cur_decimal;
        nf.allow_symbols = nf.allow_parens = nf.allow_nbsp = 1;
        if (!nf.decimal) nf.groups = NULL;
        else nf.groups = nf.decimal == '.' ? ", '" : ". '";
    }
    if (rr_num_money(s, n, &nf, out) != RR_OK)
        return rr_csv_fail(row, i, err, "not an amount: \"%.*s\" (expected e.g. 1234.56)", (int)(n > 60 ? 60 : n), s);
    if (fabs(rr_money_to_double(*out)) > RR_DATA_AMOUNT_MAX)
        return rr_csv_fail(row, i, err, "amount out of range: \"%.*s\" (at most 1,000,000,000,000 in one row)",
                           (int)(n > 60 ? 60 : n), s);
    return RR_OK;
}

/* Add |amount| (base currency) to a table's running sum; past
 * RR_DATA_TOTAL_MAX the totals would no longer be exact: fail at this row. */
static const char TOO_MUCH[] = "the amounts of this file add up to more than 100,000,000,000,000 (the most "
                               "revreport adds up exactly); is a column in the wrong unit?";

static rr_status add_total(const rr_csv_row *row, size_t col, double *total, rr_money amount, rr_error *err)
{
    *total += fabs(rr_money_to_double(amount));
    if (*total > RR_DATA_TOTAL_MAX) return rr_csv_fail(row, col, err, "%s", TOO_MUCH);
    return RR_OK;
}

static rr_status loc_time(const rr_data *d, const rr_csv_row *row, size_t i, const char *s, size_t n,
                          rr_time *out, rr_error *err)
{
    int amb;
    if (rr_time_parse_loc(s, n, (rr_date_order)d->cur_dord, out, &amb) == RR_OK) return RR_OK;
    if (amb)
        return rr_csv_fail(row, i, err, "ambiguous date \"%.*s\": day/month or month/day, and no row of the file "
                           "decides; name the order (--date-order dmy or mdy, or date_order in the profile)",
                           (int)(n > 40 ? 40 : n), s);
    return rr_csv_fail(row, i, err, "not a date: \"%.*s\" (expected YYYY-MM-DD, M/D/YYYY, D.M.YYYY or YYYY/MM/DD)",
                       (int)(n > 60 ? 60 : n), s);
}

static rr_status get_date(const rr_data *d, const rr_csv_row *row, size_t i, int optional, rr_date *out, rr_error *err)
{
    size_t n;
    const char *s = rr_csv_get(row, i, &n);
    if (n == 0 && optional) { *out = INT32_MIN; return RR_OK; }
    if (d->cur_dord != RR_DORD_ISO) {
        rr_time t;
        if (loc_time(d, row, i, s, n, &t, err)) return RR_ERR_INPUT;
        *out = rr_time_date(t);
        return RR_OK;
    }
    if (rr_date_parse(s, n, out) != RR_OK)
        return rr_csv_fail(row, i, err, "not a date: \"%.*s\" (expected YYYY-MM-DD)", (int)(n > 60 ? 60 : n), s);
    return RR_OK;
}

static rr_status get_time(const rr_data *d, const rr_csv_row *row, size_t i, int optional, rr_time *out, rr_error *err)
{
    size_t n;
    const char *s = rr_csv_get(row, i, &n);
    if (n == 0 && optional) { *out = RR_NO_TIME; return RR_OK; }
    if (d->cur_dord != RR_DORD_ISO) return loc_time(d, row, i, s, n, out, err);
    if (rr_time_parse(s, n, out) != RR_OK)
        return rr_csv_fail(row, i, err, "not a timestamp: \"%.*s\" (expected ISO 8601, e.g. 2026-10-03T14:05:00Z)",
                           (int)(n > 60 ? 60 : n), s);
    return RR_OK;
}

static rr_status get_bool(const rr_csv_row *row, size_t i, int *out, rr_error *err)
{
    size_t n;
    const char *s = rr_csv_get(row, i, &n);
    if (rr_num_bool(s, n, out) != RR_OK)
        return rr_csv_fail(row, i, err, "not a boolean: \"%.*s\" (expected true/false, 1/0, yes/no)",
                           (int)(n > 60 ? 60 : n), s);
    return RR_OK;
}

static rr_status get_month(const rr_data *d, const rr_csv_row *row, size_t i, int *out, rr_error *err)
{
    size_t n;
    const char *s = rr_csv_get(row, i, &n);
    if (d->cur_dord != RR_DORD_ISO && rr_month_parse(s, n, out) != RR_OK) {
        rr_time t;
        if (loc_time(d, row, i, s, n, &t, err)) return RR_ERR_INPUT;
        *out = rr_date_month(rr_time_date(t));
        return RR_OK;
    }
    if (rr_month_parse(s, n, out) != RR_OK)
        return rr_csv_fail(row, i, err, "not a month: \"%.*s\" (expected YYYY-MM)", (int)(n > 60 ? 60 : n), s);
    return RR_OK;
}

static int32_t get_id(rr_dict *dict, const rr_csv_row *row, size_t i)
{
    size_t n;
    const char *s = rr_csv_get(row, i, &n);
    return rr_dict_id(dict, s, n);
}

static dict_key key_of(const rr_dict *dict, const rr_csv_row *row, size_t i)
{
    size_t n;
    const char *s = rr_csv_get(row, i, &n);
    return dict_prefetch(dict, s, n);
}

static int field_eq(const rr_csv_row *row, size_t i, const char *w)
{
    size_t n;
    const char *s = rr_csv_get(row, i, &n);
    while (n && (*s == ' ')) { s++; n--; }
    while (n && s[n - 1] == ' ') n--;
    return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

/* ---- fx ---- */
enum { FX_MONTH, FX_CURRENCY, FX_RATE };
static const rr_csv_col fx_cols[] = {{"month", 1}, {"currency", 1}, {"rate", 1}};

static rr_status fx_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_data *d = ud;
    rr_fx fx;
    size_t n;
    if (get_month(d, row, FX_MONTH, &fx.month, err)) return RR_ERR_INPUT;
    {
        const char *ms = rr_csv_get(row, FX_MONTH, &n);
        rr_date day;
        int y, m;
        fx.day = 0;
        if (n > 7 && rr_date_parse(ms, n, &day) == RR_OK) rr_date_to_ymd(day, &y, &m, &fx.day);
        fx.line = rr_csv_line(row);
    }
    fx.currency = get_id(&d->currencies, row, FX_CURRENCY);
    if (fx.currency < 0) return rr_csv_fail(row, FX_CURRENCY, err, "empty currency code");
    const char *s = rr_csv_get(row, FX_RATE, &n);
    rr_numfmt nf = RR_NUMFMT_CANONICAL;
    if (rr_num_rate(s, n, &nf, &fx.exact) != RR_OK || fx.exact.mant <= 0)
        return rr_csv_fail(row, FX_RATE, err, "not a positive rate with at most 18 decimals: \"%.*s\"",
                           (int)(n > 60 ? 60 : n), s);
    fx.rate = rr_rate_to_double(fx.exact);
    d->fx = rr_xgrow(d->fx, &d->capfx, d->nfx + 1, sizeof *d->fx);
    d->fx[d->nfx++] = fx;
    return RR_OK;
}

/* Sorted by (currency, month, file order) once read, so that a conversion
 * is a binary search: fx.csv may hold daily rates of many currencies over
 * years, and every opportunity and every foreign spend row is converted. */
typedef struct { rr_fx fx; size_t at; } fx_at;

static int fx_cmp(const void *x, const void *y)
{
    const fx_at *a = x, *b = y;
    if (a->fx.currency != b->fx.currency) return a->fx.currency < b->fx.currency ? -1 : 1;
    if (a->fx.month != b->fx.month) return a->fx.month < b->fx.month ? -1 : 1;
    return (a->at > b->at) - (a->at < b->at);
}

static void fx_sort(rr_data *d)
{
    if (d->nfx < 2) return;
    fx_at *v = rr_xmalloc(d->nfx * sizeof *v);
    for (size_t i = 0; i < d->nfx; i++) { v[i].fx = d->fx[i]; v[i].at = i; }
    qsort(v, d->nfx, sizeof *v, fx_cmp);
    for (size_t i = 0; i < d->nfx; i++) d->fx[i] = v[i].fx;
    free(v);
}

/* After fx_sort: two different rates for one currency on one day (or for one
 * month, on rows naming the month) leave no way to tell which one is meant
 * (a corrected rate appended below the old one, say): an error naming both
 * lines.  The same rate twice is harmless. */
static int fx_day_cmp(const void *x, const void *y)
{
    const rr_fx *a = x, *b = y;
    if (a->currency != b->currency) return a->currency < b->currency ? -1 : 1;
    if (a->month != b->month) return a->month < b->month ? -1 : 1;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

static rr_status fx_check(const rr_data *d, const char *path, rr_error *err)
{
    if (d->nfx < 2) return RR_OK;
    rr_fx *v = rr_xmalloc(d->nfx * sizeof *v);   /* by day, then line: the conversions keep fx_sort's order */
    memcpy(v, d->fx, d->nfx * sizeof *v);
    qsort(v, d->nfx, sizeof *v, fx_day_cmp);
    rr_status st = RR_OK;
    for (size_t i = 1; i < d->nfx && st == RR_OK; i++) {
        const rr_fx *a = &v[i - 1], *b = &v[i];
        if (a->currency != b->currency || a->month != b->month || a->day != b->day ||
            (a->exact.mant == b->exact.mant && a->exact.scale == b->exact.scale)) continue;
        char m[8], when[16];
        rr_month_str(a->month, m, sizeof m);
        if (a->day) snprintf(when, sizeof when, "%s-%02d", m, a->day);
        else snprintf(when, sizeof when, "%s", m);
        st = rr_error_set(err, RR_ERR_INPUT, path, b->line, 0, "rate",
                          "a second rate for %s in %s (%g; line %ld has %g): keep one row per currency and %s",
                          rr_dict_name(&d->currencies, a->currency), when, b->rate, a->line, a->rate,
                          a->day ? "day" : "month");
    }
    free(v);
    return st;
}

rr_status rr_data_load_fx(rr_data *d, const char *path, rr_error *err)
{
    rr_status st = rr_csv_read(path, fx_cols, 3, fx_row, d, &d->files[RR_IN_FX].stats, err);
    fx_sort(d);
    if (st == RR_OK) st = fx_check(d, path, err);
    return st;
}

rr_status rr_data_convert(const rr_data *d, int32_t cur, int month, rr_money amount, rr_money *out,
                          const char *what, rr_error *err)
{
    const char *code = rr_dict_name(&d->currencies, cur);
    if (cur < 0 || strcasecmp(code, d->base_currency) == 0) { *out = amount; return RR_OK; }
    /* the latest rate of cur in `month` or before (the first row of that
     * month in file order): d->fx is sorted by fx_sort */
    const rr_fx *best = NULL;
    size_t lo = 0, hi = d->nfx;   /* first row after (cur, month) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const rr_fx *f = &d->fx[mid];
        if (f->currency < cur || (f->currency == cur && f->month <= month)) lo = mid + 1;
        else hi = mid;
    }
    if (lo > 0 && d->fx[lo - 1].currency == cur) {
        best = &d->fx[lo - 1];
        while (best > d->fx && best[-1].currency == cur && best[-1].month == best->month) best--;
    }
    if (!best) {
        char m[8];
        rr_month_str(month, m, sizeof m);
        rr_error_set(err, RR_ERR_INPUT, NULL, 0, 0, NULL,
                     "no exchange rate for %s in %s or earlier (add a row \"%s,%s,<rate>\" to fx.csv: "
                     "1 %s = rate %s)%s%s", code, m, m, code, code, d->base_currency, what ? " for " : "",
                     what ? what : "");
        return RR_ERR_INPUT;
    }
    rr_money conv = 0;
    if (rr_money_convert(amount, best->exact, &conv) != RR_OK ||
        fabs(rr_money_to_double(conv)) > RR_DATA_AMOUNT_MAX) {
        rr_error_set(err, RR_ERR_INPUT, NULL, 0, 0, NULL, "amount out of range after conversion to %s at %g "
                     "(at most 1,000,000,000,000)%s%s", d->base_currency, best->rate, what ? " for " : "",
                     what ? what : "");
        return RR_ERR_INPUT;
    }
    *out = conv;   /* exact: amount x rate in 128 bits, half away from zero to 1/10000 */
    return RR_OK;
}

/* ---- opportunities ---- */

/* A deal type as the CRMs write it: canonical words, Salesforce's picklist
 * ("New Customer", "Existing Customer - Upgrade"), HubSpot's ("newbusiness",
 * "existingbusiness") and the ja/zh/ru ones, compared without case, spaces,
 * '_' or '-'.  *known = 0 for any other value (then RR_OPP_OTHER). */
static rr_opp_type opp_type_of(const char *s, size_t n, int *known)
{
    static const struct { const char *w; rr_opp_type t; } words[] = {
        {"", RR_OPP_NEW}, {"new", RR_OPP_NEW}, {"newbusiness", RR_OPP_NEW}, {"newcustomer", RR_OPP_NEW},
        {"newlogo", RR_OPP_NEW}, {"newdeal", RR_OPP_NEW}, {"newsale", RR_OPP_NEW},
        {"expansion", RR_OPP_EXPANSION}, {"upsell", RR_OPP_EXPANSION}, {"crosssell", RR_OPP_EXPANSION},
        {"addon", RR_OPP_EXPANSION}, {"upgrade", RR_OPP_EXPANSION}, {"existingbusiness", RR_OPP_EXPANSION},
        {"existingcustomer", RR_OPP_EXPANSION}, {"existingcustomerupgrade", RR_OPP_EXPANSION},
        {"renewal", RR_OPP_RENEWAL}, {"existingcustomerreplacement", RR_OPP_RENEWAL},
        {"existingcustomerdowngrade", RR_OPP_RENEWAL}, {"other", RR_OPP_OTHER},
        /* ja */ {"新規", RR_OPP_NEW}, {"新規顧客", RR_OPP_NEW}, {"新規案件", RR_OPP_NEW}, {"新規ビジネス", RR_OPP_NEW},
        {"既存", RR_OPP_EXPANSION}, {"既存顧客", RR_OPP_EXPANSION}, {"アップセル", RR_OPP_EXPANSION},
        {"クロスセル", RR_OPP_EXPANSION}, {"更新", RR_OPP_RENEWAL}, {"契約更新", RR_OPP_RENEWAL},
        /* zh */ {"新客户", RR_OPP_NEW}, {"新业务", RR_OPP_NEW}, {"新商机", RR_OPP_NEW}, {"老客户", RR_OPP_EXPANSION},
        {"增购", RR_OPP_EXPANSION}, {"追加销售", RR_OPP_EXPANSION}, {"交叉销售", RR_OPP_EXPANSION},
        {"续约", RR_OPP_RENEWAL}, {"续费", RR_OPP_RENEWAL},
        /* ru */ {"новыйклиент", RR_OPP_NEW}, {"новыйбизнес", RR_OPP_NEW}, {"новаяпродажа", RR_OPP_NEW},
        {"новая", RR_OPP_NEW}, {"новый", RR_OPP_NEW}, {"допродажа", RR_OPP_EXPANSION},
        {"расширение", RR_OPP_EXPANSION}, {"апсейл", RR_OPP_EXPANSION}, {"продление", RR_OPP_RENEWAL}};
    char k[96];
    size_t w = 0;
    for (size_t i = 0; i < n && w + 4 < sizeof k; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '_' || c == '-' || c == '\t' || c == '.') continue;
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c | 0x20);
        else if (c == 0xD0 && i + 1 < n) {   /* Cyrillic capitals А-Я (U+0410-042F) to lower case */
            unsigned char c2 = (unsigned char)s[i + 1];
            if (c2 >= 0x90 && c2 <= 0x9F) { k[w++] = (char)0xD0; k[w++] = (char)(c2 + 0x20); i++; continue; }
            if (c2 >= 0xA0 && c2 <= 0xAF) { k[w++] = (char)0xD1; k[w++] = (char)(c2 - 0x20); i++; continue; }
        }
        k[w++] = (char)c;
    }
    k[w] = 0;
    *known = 1;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(k, words[i].w)) return words[i].t;
    *known = 0;
    return RR_OPP_OTHER;
}

/* count value v of a column read with a rule (kept: the first few distinct) */
static void tally_value(rr_file_tally *t, const char *v, size_t n)
{
    t->unknown_type++;
    if (n > 46) n = 46;
    for (long i = 0; i < t->nvalues; i++)
        if (strlen(t->values[i]) == n && !memcmp(t->values[i], v, n)) { t->counts[i]++; return; }
    if (t->nvalues >= RR_TALLY_VALUES) return;
    snprintf(t->values[t->nvalues], sizeof t->values[0], "%.*s", (int)n, v);
    t->counts[t->nvalues++] = 1;
}
enum { O_ID, O_ACCOUNT, O_NAME, O_TYPE, O_STAGE, O_CLOSED, O_WON, O_AMOUNT, O_CURRENCY, O_PROB, O_FC,
       O_CREATED, O_CLOSE, O_OWNER, O_SOURCE, O_CAMPAIGN, O_NCOLS };
static const rr_csv_col opp_cols[] = {
    {"opportunity_id", 1}, {"account_id", 1}, {"name", 0}, {"type", 0}, {"stage", 0},
    {"is_closed", 1}, {"is_won", 1}, {"amount", 1}, {"currency", 0}, {"probability", 0},
    {"forecast_category", 0}, {"created_date", 1}, {"close_date", 1}, {"owner", 0},
    {"lead_source", 0}, {"campaign_id", 0}};

static rr_status opp_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_data *d = ud;
    rr_opp o;
    int b;
    size_t n;
    memset(&o, 0, sizeof o);
    o.line = rr_csv_line(row);
    const char *idtxt = rr_csv_get(row, O_ID, &n);
    if (!n) return rr_csv_fail(row, O_ID, err, "empty opportunity_id");
    char *named = NULL;
    if (rr_csv_same_source(row, O_ID, O_NAME)) {
        /* an export without an id column: the profile reads the name as the id,
         * and two accounts' "Renewal 2026" are different deals; the id is the
         * name with the account, and the notes say so once per file */
        size_t an;
        const char *acc = rr_csv_get(row, O_ACCOUNT, &an);
        if (an) {
            named = rr_xasprintf("%.*s | %.*s", (int)n, idtxt, (int)an, acc);
            idtxt = named;
            n = strlen(named);
        }
        if (d->id_from_name_file != rr_csv_path(row)) {
            d->id_from_name_file = rr_csv_path(row);
            const char *base = strrchr(rr_csv_path(row), '/');
            rr_data_warnk(d, "dq.id_from_name", "{file} has no opportunity id column: deals are told apart by their name "
                          "and account (rows with both the same are one deal)", "file",
                          base ? base + 1 : rr_csv_path(row), NULL);
        }
    }
    size_t before = d->opp_ids.n;
    o.id = rr_dict_id(&d->opp_ids, idtxt, n);
    if (d->opp_ids.n == before) {
        d->duplicate_opps++;
        if (d->duplicate_opps <= 5)
        {
            char ln[32], id[48];
            snprintf(ln, sizeof ln, "%ld", o.line);
            snprintf(id, sizeof id, "%.*s", (int)(n > 40 ? 40 : n), idtxt);
            rr_data_warnk(d, "dq.duplicate_opp", "{file}:{line}: duplicate opportunity_id \"{id}\": row ignored (first one kept)",
                          "file", rr_csv_path(row), "line", ln, "id", id, NULL);
        }
        free(named);
        rr_csv_skip(row);
        return RR_OK;
    }
    free(named);
    o.account = get_id(&d->accounts, row, O_ACCOUNT);
    o.name = get_id(&d->names, row, O_NAME);
    o.stage = get_id(&d->stages, row, O_STAGE);
    o.owner = get_id(&d->owners, row, O_OWNER);
    o.lead_source = get_id(&d->sources, row, O_SOURCE);
    o.campaign = get_id(&d->campaigns, row, O_CAMPAIGN);
    o.currency = get_id(&d->currencies, row, O_CURRENCY);
    {
        const char *tv = rr_csv_get(row, O_TYPE, &n);
        int known;
        o.type = opp_type_of(tv, n, &known);
        if (!known) tally_value(&d->tally, tv, n);
    }
    if (get_bool(row, O_CLOSED, &b, err)) return RR_ERR_INPUT;
    o.is_closed = (uint8_t)b;
    if (get_bool(row, O_WON, &b, err)) return RR_ERR_INPUT;
    o.is_won = (uint8_t)b;
    if (o.is_won && !o.is_closed)
        return rr_csv_fail(row, O_WON, err, "is_won is true but is_closed is false");
    rr_csv_get(row, O_AMOUNT, &n);
    if (!n) {   /* a deal nobody priced yet (HubSpot leaves Amount empty): 0, noted */
        o.amount_orig = 0;
        if (!d->tally.empty_amount++) d->tally.empty_amount_line = o.line;
    } else if (get_money(d, row, O_AMOUNT, &o.amount_orig, err))
        return RR_ERR_INPUT;
    if (get_date(d, row, O_CREATED, 0, &o.created, err)) return RR_ERR_INPUT;
    rr_csv_get(row, O_CLOSE, &n);
    o.close_ts = RR_NO_TIME;
    if (!n && !o.is_closed) {   /* an open deal needs no close date (amoCRM: "не закрыта") */
        o.close = RR_DATE_OPEN;
        if (!d->tally.open_no_close++) d->tally.open_no_close_line = o.line;
    } else {
        if (get_date(d, row, O_CLOSE, 0, &o.close, err)) return RR_ERR_INPUT;
        /* a close timestamp (HubSpot closedate, Salesforce CloseDate with a time): time decay and the
         * journey's end use it; a date alone ends at the close day's last second */
        const char *cs = rr_csv_get(row, O_CLOSE, &n);
        if (memchr(cs, ':', n) && get_time(d, row, O_CLOSE, 0, &o.close_ts, err)) return RR_ERR_INPUT;
    }
    if (o.close < o.created && !(d->tally.close_before_created++))   /* entered after it closed: kept */
        d->tally.close_before_line = o.line;
    const char *p = rr_csv_get(row, O_PROB, &n);
    if (n) {
        double v;
        rr_numfmt nf = RR_NUMFMT_CANONICAL;
        nf.allow_symbols = 1;
        if (rr_num_double(p, n, &nf, &v) != RR_OK || v < 0 || v > 100 + 1e-9)
            return rr_csv_fail(row, O_PROB, err, "not a probability 0-100: \"%.*s\"", (int)(n > 40 ? 40 : n), p);
        if (memchr(p, '%', n)) v *= 100;
        o.probability = (int16_t)(v + 0.5);
    } else {
        o.probability = o.is_won ? 100 : (o.is_closed ? 0 : -1);
    }
    static const struct { const char *w; rr_fc_cat c; } cats[] = {
        {"pipeline", RR_FC_PIPELINE}, {"best case", RR_FC_BEST_CASE}, {"bestcase", RR_FC_BEST_CASE},
        {"best_case", RR_FC_BEST_CASE}, {"commit", RR_FC_COMMIT}, {"forecast", RR_FC_COMMIT},
        {"closed", RR_FC_CLOSED}, {"omitted", RR_FC_OMITTED}};
    o.fc = RR_FC_UNSET;
    for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
        if (field_eq(row, O_FC, cats[i].w)) o.fc = cats[i].c;
    if (o.fc == RR_FC_UNSET && !field_eq(row, O_FC, ""))
        return rr_csv_fail(row, O_FC, err, "unknown forecast category (expected Pipeline, Best Case, Commit, "
                                          "Closed or Omitted)");
    if (o.fc == RR_FC_UNSET) o.fc = o.is_closed ? (o.is_won ? RR_FC_CLOSED : RR_FC_OMITTED) : RR_FC_PIPELINE;
    rr_error cerr;
    char what[160];
    snprintf(what, sizeof what, "opportunity %s", rr_dict_name(&d->opp_ids, o.id));
    int fxm = rr_date_month(o.close == RR_DATE_OPEN ? o.created : o.close);
    if (rr_data_convert(d, o.currency, fxm, o.amount_orig, &o.amount, what, &cerr) != RR_OK)
        return rr_csv_fail(row, O_CURRENCY, err, "%s", cerr.msg);
    if (add_total(row, O_AMOUNT, &d->abs_opps, o.amount, err)) return RR_ERR_INPUT;
    d->opps = rr_xgrow(d->opps, &d->capopps, d->nopps + 1, sizeof *d->opps);
    d->opps[d->nopps++] = o;
    return RR_OK;
}

rr_status rr_data_load_opps(rr_data *d, const char *path, rr_error *err)
{
    return rr_csv_read(path, opp_cols, O_NCOLS, opp_row, d, &d->files[RR_IN_OPPS].stats, err);
}

/* ---- touchpoints ---- */
enum { T_ID, T_TS, T_CHANNEL, T_CAMPAIGN, T_CONTACT, T_ACCOUNT, T_OPP, T_MILESTONE, T_NCOLS };
static const rr_csv_col touch_cols[] = {
    {"touchpoint_id", 0}, {"timestamp", 1}, {"channel", 1}, {"campaign_id", 0}, {"contact_id", 0},
    {"account_id", 1}, {"opportunity_id", 0}, {"milestone", 0}};

static rr_status touch_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_data *d = ud;
    rr_touch t;
    if (get_time(d, row, T_TS, 0, &t.ts, err)) return RR_ERR_INPUT;
    t.channel = get_id(&d->channels, row, T_CHANNEL);
    if (t.channel < 0) return rr_csv_fail(row, T_CHANNEL, err, "empty channel");
    dict_key kc = d->skip_contacts ? (dict_key){NULL, 0, 0, 0} : key_of(&d->contacts, row, T_CONTACT),
             ka = key_of(&d->accounts, row, T_ACCOUNT),
             ko = key_of(&d->opp_ids, row, T_OPP);
    t.campaign = get_id(&d->campaigns, row, T_CAMPAIGN);
    t.contact = dict_id_key(&d->contacts, kc);
    t.account = dict_id_key(&d->accounts, ka);
    t.opp_key = dict_id_key(&d->opp_ids, ko);
    t.opp = -1;
    if (field_eq(row, T_MILESTONE, "")) t.milestone = RR_MS_NONE;
    else if (field_eq(row, T_MILESTONE, "lead_created")) t.milestone = RR_MS_LEAD_CREATED;
    else if (field_eq(row, T_MILESTONE, "opportunity_created")) t.milestone = RR_MS_OPP_CREATED;
    else if (field_eq(row, T_MILESTONE, "closed_won")) t.milestone = RR_MS_CLOSED_WON;
    else return rr_csv_fail(row, T_MILESTONE, err, "unknown milestone (expected empty, lead_created, "
                                                 "opportunity_created or closed_won)");
    d->touch = rr_xgrow(d->touch, &d->captouch, d->ntouch + 1, sizeof *d->touch);
    d->touch[d->ntouch++] = t;
    return RR_OK;
}

/* ---- big files on two threads (rr_csv_read_split): the second half is read
 * into a part rr_data with its own dictionaries; join interns the part's
 * names in the part's id order (= order of first appearance), which gives
 * every name the id a sequential read gives it, then appends the rows. */
static void *part_fork(void *ud)
{
    const rr_data *d = ud;
    rr_data *p = rr_data_new(d->base_currency);
    p->cur_decimal = d->cur_decimal;
    p->cur_dord = d->cur_dord;
    p->skip_contacts = d->skip_contacts;
    return p;
}

static void part_drop(void *part) { rr_data_free(part); }

/* Room for n names without a rehash on the way. */
static void dict_reserve(rr_dict *d, size_t n)
{
    size_t want = d->nslots ? d->nslots : 64;
    while ((n + 1) * 2 > want) want *= 2;
    if (want != d->nslots) dict_rehash(d, want);
}

/* The global ids of a part's names, interned in the part's id order (its
 * order of first appearance); the hashes are taken from the part's slots. */
static int32_t *dict_map(rr_dict *g, const rr_dict *l)
{
    int32_t *m = rr_xmalloc((l->n + 1) * sizeof *m);
    uint32_t *h = rr_xmalloc((l->n + 1) * sizeof *h);
    for (size_t i = 0; i < l->nslots; i++)
        if (l->slots[i]) h[(uint32_t)l->slots[i] - 1] = (uint32_t)(l->slots[i] >> 32);
    dict_reserve(g, g->n + l->n);
    size_t mask = g->nslots - 1;
    for (size_t i = 0; i < l->n; i++) {
        /* the hashes are known ahead: ask for the slot 16 names on while
         * probing this one, so the cache misses overlap */
        if (i + 16 < l->n) __builtin_prefetch(&g->slots[h[i + 16] & mask]);
        dict_key k = {l->names[i], l->lens[i], h[i], 0};
        m[i] = g->fold ? rr_dict_id(g, l->names[i], l->lens[i]) : dict_id_key(g, k);
    }
    if (g->fold && l->folded_example[0] && !g->folded_example[0]) {   /* the part saw two spellings */
        memcpy(g->folded_example, l->folded_example, sizeof g->folded_example);
        g->folded_example_id = m[l->folded_example_id];
    }
    free(h);
    return m;
}

/* ---- joins on two threads: the part's big dictionary (contacts) is mapped
 * beside the others, and its rows are copied in two halves; each dictionary
 * and each half of the rows is touched by one thread only. */
typedef struct { rr_dict *g; const rr_dict *l; int32_t **m; } map_job;

static void *map_run(void *arg)
{
    for (map_job *j = arg; j->g; j++) *j->m = dict_map(j->g, j->l);
    return NULL;
}

typedef struct { void (*fn)(void *, size_t, size_t); void *arg; size_t lo, hi; } span_job;

static void *span_run(void *arg)
{
    span_job *j = arg;
    j->fn(j->arg, j->lo, j->hi);
    return NULL;
}

/* fn(arg, lo, hi) over [0, n) in two halves on two threads (small n: one) */
static void run_halves(void (*fn)(void *, size_t, size_t), void *arg, size_t n)
{
    if (n == 0) return;   /* no rows: the destination may have no array yet (fuzz_csv, UBSan) */
    if (n < 16384) { fn(arg, 0, n); return; }
    span_job a = {fn, arg, n / 2, n}, b = {fn, arg, 0, n / 2};
    rr_par2(span_run, &a, span_run, &b);
}

#define REMAP(m, v) ((v) >= 0 ? (m)[v] : -1)

static void join_warnings(rr_data *d, rr_data *p)
{
    for (size_t i = 0; i < p->nwarnings; i++) {
        d->warnings = rr_xgrow(d->warnings, &d->capwarnings, d->nwarnings + 1, sizeof *d->warnings);
        d->warnings[d->nwarnings++] = p->warnings[i];
    }
    p->nwarnings = 0;
}

typedef struct {
    rr_data *d;
    const rr_data *p;
    size_t base;           /* where the part's rows go in d */
    int32_t *ch, *cp, *ct, *ac, *op;
} join_ctx;

static void touch_copy(void *arg, size_t lo, size_t hi)
{
    join_ctx *c = arg;
    rr_touch *dst = c->d->touch + c->base;
    for (size_t i = lo; i < hi; i++) {
        rr_touch t = c->p->touch[i];
        t.channel = REMAP(c->ch, t.channel);
        t.campaign = REMAP(c->cp, t.campaign);
        t.contact = REMAP(c->ct, t.contact);
        t.account = REMAP(c->ac, t.account);
        t.opp_key = REMAP(c->op, t.opp_key);
        dst[i] = t;
    }
}

static void join_maps(rr_data *d, const rr_data *p, join_ctx *c)
{
    map_job big[] = {{&d->contacts, &p->contacts, &c->ct}, {NULL, NULL, NULL}};
    map_job rest[] = {{&d->accounts, &p->accounts, &c->ac}, {&d->opp_ids, &p->opp_ids, &c->op},
                      {&d->channels, &p->channels, &c->ch}, {&d->campaigns, &p->campaigns, &c->cp},
                      {NULL, NULL, NULL}};
    rr_par2(map_run, big, map_run, rest);
}

static void join_free(join_ctx *c)
{
    free(c->ch); free(c->cp); free(c->ct); free(c->ac); free(c->op);
}

static rr_status touch_join(void *ud, void *part, rr_error *err)
{
    rr_data *d = ud, *p = part;
    (void)err;
    join_ctx c = {d, p, d->ntouch, NULL, NULL, NULL, NULL, NULL};
    join_maps(d, p, &c);
    d->touch = rr_xgrow(d->touch, &d->captouch, d->ntouch + p->ntouch, sizeof *d->touch);
    run_halves(touch_copy, &c, p->ntouch);
    d->ntouch += p->ntouch;
    join_warnings(d, p);
    join_free(&c);
    rr_data_free(p);
    return RR_OK;
}

static const rr_csv_split touch_split = {part_fork, touch_join, part_drop};

rr_status rr_data_load_touchpoints(rr_data *d, const char *path, rr_error *err)
{
    rr_csv_stats_release(&d->files[RR_IN_TOUCH].stats);
    return rr_csv_read_split(path, touch_cols, T_NCOLS, &touch_split, touch_row, d, &d->files[RR_IN_TOUCH].stats, err);
}

/* ---- leads ---- */
enum { L_ID, L_CONTACT, L_ACCOUNT, L_CREATED, L_CHANNEL, L_CAMPAIGN, L_MQL, L_SAL, L_SQL, L_FIRST, L_OPP, L_NCOLS };
static const rr_csv_col lead_cols[] = {
    {"lead_id", 1}, {"contact_id", 0}, {"account_id", 0}, {"created_at", 1}, {"channel", 1},
    {"campaign_id", 0}, {"mql_at", 0}, {"sal_at", 0}, {"sql_at", 0}, {"first_contact_at", 0},
    {"opportunity_id", 0}};

/* Drop the rows that repeat an earlier row's lead_id (an export appended
 * twice), keeping the first, as opportunities do; one warning names the
 * first repeat's line and the line it repeats.  Idempotent. */
void rr_data_leads_dedupe(rr_data *d)
{
    if (!d->lead_keys) return;
    size_t n = d->nleads, nslots = 64;
    while (nslots < n * 2) nslots *= 2;
    /* a slot holds h1 | 1 (0 = empty) and, beside it, the lead's index: an
     * insert reads one slot (prefetched ahead); keys are read on a match only */
    uint64_t *tag = rr_xmalloc(nslots * sizeof *tag);
    uint32_t *at = rr_xmalloc(nslots * sizeof *at);
    memset(tag, 0, nslots * sizeof *tag);
    unsigned char *dup = NULL;
    long ndup = 0, ex_line = 0, ex_first = 0;
    const struct rr_lead_key *keys = d->lead_keys;
    for (size_t i = 0; i < n; i++) {
        const struct rr_lead_key *k = &keys[i];
        if (i + 16 < n) __builtin_prefetch(&tag[(size_t)keys[i + 16].h1 & (nslots - 1)]);
        uint64_t t = k->h1 | 1;
        size_t j = (size_t)k->h1 & (nslots - 1);
        for (; tag[j]; j = (j + 1) & (nslots - 1))
            if (tag[j] == t && keys[at[j]].h1 == k->h1 && keys[at[j]].h2 == k->h2) break;
        if (!tag[j]) { tag[j] = t; at[j] = (uint32_t)i; continue; }
        if (!dup) dup = rr_xcalloc(n, 1);
        dup[i] = 1;
        if (!ndup++) { ex_line = k->line; ex_first = keys[at[j]].line; }
    }
    free(tag);
    free(at);
    free(d->lead_keys);
    d->lead_keys = NULL;
    d->caplead_keys = 0;
    if (!ndup) return;
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!dup[i]) { d->leads[w] = d->leads[i]; d->leads[w].id = (int32_t)w; w++; }
    d->nleads = w;
    free(dup);
    rr_input_file *f = &d->files[RR_IN_LEADS];
    f->stats.rows_used -= ndup;
    f->stats.rows_skipped += ndup;
    rr_input_file *one = NULL;   /* the appendix's line for the file, when one file holds the leads */
    size_t nin = 0;
    for (size_t i = 0; i < d->ninputs; i++)
        if (d->inputs[i].table == RR_IN_LEADS) { one = &d->inputs[i]; nin++; }
    if (nin == 1) {
        one->stats.rows_used -= ndup;
        one->stats.rows_skipped += ndup;
    }
    char nb[32], lb[32], fb[32];
    snprintf(nb, sizeof nb, "%ld", ndup);
    snprintf(lb, sizeof lb, "%ld", ex_line);
    snprintf(fb, sizeof fb, "%ld", ex_first);
    rr_data_warnk(d, "dq.duplicate_leads", "{file}: {n} rows repeat the lead_id of an earlier row (the first at line {line}, "
                  "the lead_id of line {first}): ignored, the first row of each kept",
                  "file", f->name, "n", nb, "line", lb, "first", fb, NULL);
}

static rr_status lead_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_data *d = ud;
    rr_lead l;
    size_t idn;
    const char *idtxt = rr_csv_get(row, L_ID, &idn);
    while (idn && (*idtxt == ' ' || *idtxt == '\t')) { idtxt++; idn--; }
    if (!idn) return rr_csv_fail(row, L_ID, err, "empty lead_id");
    l.id = (int32_t)d->nleads;   /* no section looks leads up by id: not interned */
    d->lead_keys = rr_xgrow(d->lead_keys, &d->caplead_keys, d->nleads + 1, sizeof *d->lead_keys);
    /* two seeds: 128 bits tell a million ids apart (a false match: about 1 in 10^26) */
    d->lead_keys[d->nleads] = (struct rr_lead_key){hash64(idtxt, idn, 0x9E3779B97F4A7C15ULL),
                                                   hash64(idtxt, idn, 0xD6E8FEB86659FD93ULL), rr_csv_line(row)};
    dict_key kc = d->skip_contacts ? (dict_key){NULL, 0, 0, 0} : key_of(&d->contacts, row, L_CONTACT),
             ko = key_of(&d->opp_ids, row, L_OPP);
    l.contact = dict_id_key(&d->contacts, kc);
    l.account = -1;   /* a million names no section reads (rr_lead) */
    l.channel = get_id(&d->channels, row, L_CHANNEL);
    l.campaign = get_id(&d->campaigns, row, L_CAMPAIGN);
    l.opp_key = dict_id_key(&d->opp_ids, ko);
    if (get_time(d, row, L_CREATED, 0, &l.created, err) || get_time(d, row, L_MQL, 1, &l.mql, err) ||
        get_time(d, row, L_SAL, 1, &l.sal, err) || get_time(d, row, L_SQL, 1, &l.sql, err) ||
        get_time(d, row, L_FIRST, 1, &l.first_contact, err))
        return RR_ERR_INPUT;
    d->leads = rr_xgrow(d->leads, &d->capleads, d->nleads + 1, sizeof *d->leads);
    d->leads[d->nleads++] = l;
    return RR_OK;
}

static void lead_copy(void *arg, size_t lo, size_t hi)
{
    join_ctx *c = arg;
    rr_lead *dst = c->d->leads + c->base;
    for (size_t i = lo; i < hi; i++) {
        rr_lead l = c->p->leads[i];
        l.id = (int32_t)(c->base + i);
        l.contact = REMAP(c->ct, l.contact);
        l.account = REMAP(c->ac, l.account);
        l.channel = REMAP(c->ch, l.channel);
        l.campaign = REMAP(c->cp, l.campaign);
        l.opp_key = REMAP(c->op, l.opp_key);
        dst[i] = l;
    }
}

static rr_status lead_join(void *ud, void *part, rr_error *err)
{
    rr_data *d = ud, *p = part;
    (void)err;
    join_ctx c = {d, p, d->nleads, NULL, NULL, NULL, NULL, NULL};
    join_maps(d, p, &c);
    d->leads = rr_xgrow(d->leads, &d->capleads, d->nleads + p->nleads, sizeof *d->leads);
    run_halves(lead_copy, &c, p->nleads);
    if (p->nleads) {
        d->lead_keys = rr_xgrow(d->lead_keys, &d->caplead_keys, d->nleads + p->nleads, sizeof *d->lead_keys);
        memcpy(d->lead_keys + d->nleads, p->lead_keys, p->nleads * sizeof *d->lead_keys);
    }
    d->nleads += p->nleads;
    join_warnings(d, p);
    join_free(&c);
    rr_data_free(p);
    return RR_OK;
}

static const rr_csv_split lead_split = {part_fork, lead_join, part_drop};

rr_status rr_data_load_leads(rr_data *d, const char *path, rr_error *err)
{
    rr_csv_stats_release(&d->files[RR_IN_LEADS].stats);
    rr_status st = rr_csv_read_split(path, lead_cols, L_NCOLS, &lead_split, lead_row, d, &d->files[RR_IN_LEADS].stats,
                                     err);
    if (st == RR_OK) rr_data_leads_dedupe(d);
    return st;
}

/* ---- spend (aggregated while read) ---- */
enum { S_DATE, S_CHANNEL, S_CAMPAIGN, S_AMOUNT, S_CURRENCY, S_DATE_END, S_NCOLS };
static const rr_csv_col spend_cols[] = {
    {"date", 1}, {"channel", 1}, {"campaign_id", 0}, {"amount", 1}, {"currency", 0}, {"date_end", 0}};

static uint64_t spend_hash(int month, int32_t ch, int32_t cp)
{
    uint64_t h = (uint64_t)(uint32_t)month * 0x9E3779B97F4A7C15ULL;
    h ^= (uint64_t)(uint32_t)ch * 0xC2B2AE3D27D4EB4FULL;
    h ^= (uint64_t)(uint32_t)(cp + 1) * 0x165667B19E3779F9ULL;
    return h ^ (h >> 29);
}

static void spend_rehash(rr_data *d, size_t nslots)
{
    free(d->spend_slots);
    d->spend_slots = rr_xcalloc(nslots, sizeof *d->spend_slots);
    d->spend_nslots = nslots;
    for (size_t k = 0; k < d->nspend; k++) {
        const rr_spend *s = &d->spend[k];
        size_t i = spend_hash(s->month, s->channel, s->campaign) & (nslots - 1);
        while (d->spend_slots[i]) i = (i + 1) & (nslots - 1);
        d->spend_slots[i] = (int32_t)k + 1;
    }
}

static void spend_add(rr_data *d, int month, int32_t ch, int32_t cp, rr_money amount)
{
    if ((d->nspend + 1) * 2 > d->spend_nslots) spend_rehash(d, d->spend_nslots ? d->spend_nslots * 2 : 256);
    size_t i = spend_hash(month, ch, cp) & (d->spend_nslots - 1);
    while (d->spend_slots[i]) {
        rr_spend *s = &d->spend[d->spend_slots[i] - 1];
        if (s->month == month && s->channel == ch && s->campaign == cp) { s->amount += amount; return; }
        i = (i + 1) & (d->spend_nslots - 1);
    }
    d->spend = rr_xgrow(d->spend, &d->capspend, d->nspend + 1, sizeof *d->spend);
    d->spend[d->nspend] = (rr_spend){month, ch, cp, amount};
    d->spend_slots[i] = (int32_t)++d->nspend;
}

/* ---- overlapping exports: the same rows in two files of the spend table
 * (one report downloaded as UTF-16 and as UTF-8, or two date ranges that
 * share days).  A row's key is its date as written, channel, campaign,
 * amount and currency; a file's rows count as many times as its own file
 * has them, less what earlier files had: a repeat beyond that is the other
 * file's row again, skipped and noted.  Breakdown rows of one file (age,
 * gender) that share a key all count. */
struct rr_overlap { uint64_t key; int32_t file, first, prev, cur; };

static uint64_t overlap_key(const char *date, size_t dn, int32_t ch, int32_t cp, rr_money amt, int32_t cur)
{
    uint64_t h = hash64(date, dn, 0x51ED270B27E3A1F5ULL);
    h ^= ((uint64_t)(uint32_t)ch * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)(uint32_t)(cp + 1) * 0xC2B2AE3D27D4EB4FULL);
    h ^= (uint64_t)amt * 0x165667B19E3779F9ULL ^ (uint64_t)(uint32_t)(cur + 1) * 0x27D4EB2F165667C5ULL;
    return (h ^ (h >> 31)) | 1;   /* 0 = an empty slot */
}

/* 1 when this row of export d->cur_export repeats a row an earlier export gave */
static int overlap_seen(rr_data *d, uint64_t key)
{
    if ((d->noverlap + 1) * 2 > d->overlap_slots) {
        size_t ns = d->overlap_slots ? d->overlap_slots * 2 : 1024;
        struct rr_overlap *t = rr_xcalloc(ns, sizeof *t);
        for (size_t i = 0; i < d->overlap_slots; i++) {
            if (!d->overlap[i].key) continue;
            size_t j = d->overlap[i].key & (ns - 1);
            while (t[j].key) j = (j + 1) & (ns - 1);
            t[j] = d->overlap[i];
        }
        free(d->overlap);
        d->overlap = t;
        d->overlap_slots = ns;
    }
    size_t j = key & (d->overlap_slots - 1);
    while (d->overlap[j].key && d->overlap[j].key != key) j = (j + 1) & (d->overlap_slots - 1);
    struct rr_overlap *e = &d->overlap[j];
    if (!e->key) {
        *e = (struct rr_overlap){key, d->cur_export, d->cur_export, 0, 1};
        d->noverlap++;
        return 0;
    }
    if (e->file != d->cur_export) { e->prev += e->cur; e->cur = 0; e->file = d->cur_export; }
    if (e->cur < e->prev) {
        if (!d->tally.overlap) {
            const char *nm = d->inputs[e->first - 1].name;
            snprintf(d->tally.overlap_other, sizeof d->tally.overlap_other, "%s", nm);
        }
        return 1;
    }
    e->cur++;
    return 0;
}

static rr_status spend_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_data *d = ud;
    int month;
    size_t n;
    rr_money amt, base;
    if (get_month(d, row, S_DATE, &month, err)) return RR_ERR_INPUT;
    int32_t ch = get_id(&d->channels, row, S_CHANNEL);
    if (ch < 0) return rr_csv_fail(row, S_CHANNEL, err, "empty channel");
    int32_t cp = get_id(&d->campaigns, row, S_CAMPAIGN);
    if (get_money(d, row, S_AMOUNT, &amt, err)) return RR_ERR_INPUT;
    int32_t cur = get_id(&d->currencies, row, S_CURRENCY);
    rr_error cerr;
    if (rr_data_convert(d, cur, month, amt, &base, NULL, &cerr) != RR_OK)
        return rr_csv_fail(row, S_CURRENCY, err, "%s", cerr.msg);
    if (d->cur_export) {
        size_t dn;
        const char *dt = rr_csv_get(row, S_DATE, &dn);
        if (overlap_seen(d, overlap_key(dt, dn, ch, cp, amt, cur))) {
            if (!d->tally.overlap++) d->tally.overlap_line = rr_csv_line(row);
            rr_csv_skip(row);
            return RR_OK;
        }
    }
    rr_csv_get(row, S_DATE_END, &n);
    if (n) {   /* a row for a date range (Meta's Reporting starts/ends, a report's title) */
        rr_date a, b;
        if (get_date(d, row, S_DATE, 0, &a, err) || get_date(d, row, S_DATE_END, 0, &b, err)) return RR_ERR_INPUT;
        if (b < a) return rr_csv_fail(row, S_DATE_END, err, "the range ends before it starts");
        if (rr_date_month(a) != rr_date_month(b)) {   /* over its days: each month its share, exactly */
            if (!d->tally.spread++) d->tally.spread_line = rr_csv_line(row);
            long total = (long)(b - a) + 1, done = 0;
            rr_money given = 0;
            if (add_total(row, S_AMOUNT, &d->abs_spend, base, err)) return RR_ERR_INPUT;
            for (int m = rr_date_month(a); m <= rr_date_month(b); m++) {
                rr_date lo = rr_month_first_day(m), hi = lo + rr_month_days(m) - 1;
                if (lo < a) lo = a;
                if (hi > b) hi = b;
                done += (long)(hi - lo) + 1;
                rr_money upto = (rr_money)((__int128)amt * done / total), part, conv;
                part = upto - given;
                given = upto;
                if (rr_data_convert(d, cur, m, part, &conv, NULL, &cerr) != RR_OK)
                    return rr_csv_fail(row, S_CURRENCY, err, "%s", cerr.msg);
                spend_add(d, m, ch, cp, conv);
            }
            return RR_OK;
        }
    }
    if (add_total(row, S_AMOUNT, &d->abs_spend, base, err)) return RR_ERR_INPUT;
    spend_add(d, month, ch, cp, base);
    return RR_OK;
}

/* spend on two threads: the part converts with the same exchange rates (its
 * currency dictionary is a copy of the main's, so the fx rows' ids hold), and
 * its few aggregated (month, channel, campaign) sums are added in at the join */
static void *spend_fork(void *ud)
{
    const rr_data *d = ud;
    rr_data *p = part_fork(ud);
    for (size_t i = 0; i < d->currencies.n; i++) rr_dict_id(&p->currencies, d->currencies.names[i], d->currencies.lens[i]);
    p->fx = rr_xmalloc((d->nfx ? d->nfx : 1) * sizeof *p->fx);
    if (d->nfx) memcpy(p->fx, d->fx, d->nfx * sizeof *p->fx);
    p->nfx = p->capfx = d->nfx;
    return p;
}

static rr_status spend_join(void *ud, void *part, rr_error *err)
{
    rr_data *d = ud, *p = part;
    d->abs_spend += p->abs_spend;
    if (d->abs_spend > RR_DATA_TOTAL_MAX) {
        rr_data_free(p);
        return rr_error_set(err, RR_ERR_INPUT, NULL, 0, 0, "amount", "%s", TOO_MUCH);
    }
    int32_t *ch = dict_map(&d->channels, &p->channels), *cp = dict_map(&d->campaigns, &p->campaigns);
    for (size_t i = 0; i < p->nspend; i++) {
        const rr_spend *s = &p->spend[i];
        spend_add(d, s->month, REMAP(ch, s->channel), REMAP(cp, s->campaign), s->amount);
    }
    for (size_t i = 0; i < p->currencies.n; i++) rr_dict_id(&d->currencies, p->currencies.names[i], p->currencies.lens[i]);
    join_warnings(d, p);
    free(ch);
    free(cp);
    rr_data_free(p);
    return RR_OK;
}

static const rr_csv_split spend_split = {spend_fork, spend_join, part_drop};

rr_status rr_data_load_spend(rr_data *d, const char *path, rr_error *err)
{
    rr_csv_stats_release(&d->files[RR_IN_SPEND].stats);
    return rr_csv_read_split(path, spend_cols, S_NCOLS, &spend_split, spend_row, d, &d->files[RR_IN_SPEND].stats, err);
}

/* ---- campaigns ---- */
enum { C_ID, C_NAME, C_CHANNEL };
static const rr_csv_col camp_cols[] = {{"campaign_id", 1}, {"name", 0}, {"channel", 0}};

static rr_status camp_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_data *d = ud;
    int32_t id = get_id(&d->campaigns, row, C_ID);
    if (id < 0) return rr_csv_fail(row, C_ID, err, "empty campaign_id");
    if ((size_t)id >= d->ncampaign_meta) {
        size_t n = (size_t)id + 1, cap = n * 2;
        d->campaign_name = rr_xrealloc(d->campaign_name, cap * sizeof(int32_t));
        d->campaign_channel = rr_xrealloc(d->campaign_channel, cap * sizeof(int32_t));
        for (size_t i = d->ncampaign_meta; i < cap; i++) d->campaign_name[i] = d->campaign_channel[i] = -1;
        d->ncampaign_meta = cap;
    }
    d->campaign_name[id] = get_id(&d->names, row, C_NAME);
    d->campaign_channel[id] = get_id(&d->channels, row, C_CHANNEL);
    return RR_OK;
}

rr_status rr_data_load_campaigns(rr_data *d, const char *path, rr_error *err)
{
    return rr_csv_read(path, camp_cols, 3, camp_row, d, &d->files[RR_IN_CAMPAIGNS].stats, err);
}

/* ---- targets ---- */
enum { G_MONTH, G_REVENUE, G_PIPELINE, G_MQL };
static const rr_csv_col target_cols[] = {
    {"month", 1}, {"revenue_target", 1}, {"pipeline_target", 0}, {"mql_target", 0}};

static rr_status target_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_data *d = ud;
    rr_target t;
    size_t n;
    memset(&t, 0, sizeof t);
    if (get_month(d, row, G_MONTH, &t.month, err)) return RR_ERR_INPUT;
    for (size_t i = 0; i < d->ntargets; i++)
        if (d->targets[i].month == t.month)
            return rr_csv_fail(row, G_MONTH, err, "a second target row for the same month");
    rr_csv_get(row, G_REVENUE, &n);
    if (n) { if (get_money(d, row, G_REVENUE, &t.revenue, err)) return RR_ERR_INPUT; t.has_revenue = 1; }
    rr_csv_get(row, G_PIPELINE, &n);
    if (n) { if (get_money(d, row, G_PIPELINE, &t.pipeline, err)) return RR_ERR_INPUT; t.has_pipeline = 1; }
    const char *s = rr_csv_get(row, G_MQL, &n);
    if (n) {
        rr_numfmt nf = RR_NUMFMT_CANONICAL;
        if (rr_num_double(s, n, &nf, &t.mql) != RR_OK)
            return rr_csv_fail(row, G_MQL, err, "not a number: \"%.*s\"", (int)(n > 40 ? 40 : n), s);
        t.has_mql = 1;
    }
    d->targets = rr_xgrow(d->targets, &d->captargets, d->ntargets + 1, sizeof *d->targets);
    d->targets[d->ntargets++] = t;
    return RR_OK;
}

rr_status rr_data_load_targets(rr_data *d, const char *path, rr_error *err)
{
    return rr_csv_read(path, target_cols, 4, target_row, d, &d->files[RR_IN_TARGETS].stats, err);
}

/* ---- forecasts ---- */
enum { F_MONTH, F_SUBMITTED, F_CATEGORY, F_AMOUNT };
static const rr_csv_col fc_cols[] = {{"month", 1}, {"submitted_at", 1}, {"category", 1}, {"amount", 1}};

static rr_status fc_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    rr_data *d = ud;
    rr_forecast f;
    if (get_month(d, row, F_MONTH, &f.month, err)) return RR_ERR_INPUT;
    if (get_date(d, row, F_SUBMITTED, 0, &f.submitted, err)) return RR_ERR_INPUT;
    if (field_eq(row, F_CATEGORY, "commit")) f.category = 0;
    else if (field_eq(row, F_CATEGORY, "best_case") || field_eq(row, F_CATEGORY, "best case")) f.category = 1;
    else if (field_eq(row, F_CATEGORY, "pipeline")) f.category = 2;
    else return rr_csv_fail(row, F_CATEGORY, err, "unknown category (expected commit, best_case or pipeline)");
    if (get_money(d, row, F_AMOUNT, &f.amount, err)) return RR_ERR_INPUT;
    d->forecasts = rr_xgrow(d->forecasts, &d->capforecasts, d->nforecasts + 1, sizeof *d->forecasts);
    d->forecasts[d->nforecasts++] = f;
    return RR_OK;
}

rr_status rr_data_load_forecasts(rr_data *d, const char *path, rr_error *err)
{
    return rr_csv_read(path, fc_cols, 4, fc_row, d, &d->files[RR_IN_FORECASTS].stats, err);
}

/* ---- tables: canonical columns and row functions ---- */
const rr_data_table rr_data_tables[] = {
    {"fx", RR_IN_FX, fx_cols, 3, fx_row, NULL}, {"campaigns", RR_IN_CAMPAIGNS, camp_cols, 3, camp_row, NULL},
    {"opportunities", RR_IN_OPPS, opp_cols, O_NCOLS, opp_row, NULL},
    {"touchpoints", RR_IN_TOUCH, touch_cols, T_NCOLS, touch_row, &touch_split},
    {"leads", RR_IN_LEADS, lead_cols, L_NCOLS, lead_row, &lead_split},
    {"spend", RR_IN_SPEND, spend_cols, S_NCOLS, spend_row, &spend_split},
    {"targets", RR_IN_TARGETS, target_cols, 4, target_row, NULL},
    {"forecasts", RR_IN_FORECASTS, fc_cols, 4, fc_row, NULL}};
const size_t rr_data_ntables = sizeof rr_data_tables / sizeof rr_data_tables[0];

int rr_data_table_cols(const char *table, const rr_csv_col **cols, size_t *n, int *index)
{
    for (size_t i = 0; i < rr_data_ntables; i++)
        if (!strcmp(rr_data_tables[i].name, table)) {
            *cols = rr_data_tables[i].cols; *n = rr_data_tables[i].ncols; *index = rr_data_tables[i].index;
            return 0;
        }
    return -1;
}

size_t rr_data_table_pos(int index)
{
    for (size_t i = 0; i < rr_data_ntables; i++)
        if (rr_data_tables[i].index == index) return i;
    return 0;
}

/* Nothing of the inputs in the report's period (a mistyped --month, exports
 * of another year): the report would be a page of zeros; say which months
 * the inputs cover. */
static void check_period_has_data(rr_data *d, int first, int last)
{
    int lo = INT_MAX, hi = INT_MIN, any = 0;
#define SEEN(m) do { int m_ = (m); if (m_ < lo) lo = m_; if (m_ > hi) hi = m_; if (m_ >= first && m_ <= last) any = 1; } while (0)
    for (size_t i = 0; i < d->nopps; i++) {
        SEEN(rr_date_month(d->opps[i].created));
        /* an open opportunity's close date is expected, not activity */
        if (d->opps[i].is_closed) SEEN(rr_date_month(d->opps[i].close));
    }
    for (size_t i = 0; i < d->nspend; i++) SEEN(d->spend[i].month);
    for (size_t i = 0; i < d->nleads && !any; i++)
        if (d->leads[i].created != RR_NO_TIME) SEEN(rr_date_month(rr_time_date(d->leads[i].created)));
    for (size_t i = 0; i < d->ntouch && !any; i++) SEEN(rr_date_month(rr_time_date(d->touch[i].ts)));
#undef SEEN
    if (any || lo > hi) return;
    char a[8], b[8], c[8], e[8];
    rr_month_str(first, a, sizeof a);
    rr_month_str(last, b, sizeof b);
    rr_month_str(lo, c, sizeof c);
    rr_month_str(hi, e, sizeof e);
    rr_data_warnk(d, "dq.no_data_in_period", "nothing in the inputs falls in the report's period ({from} to {to}): no "
                  "opportunity created or closed, no lead, no touchpoint, no spend; the inputs cover {first} to {last} "
                  "(check --month or --quarter)", "from", a, "to", b, "first", c, "last", e, NULL);
}

void rr_data_check(rr_data *d, int first, int last)
{
    long late_opps = 0, late_spend = 0, unknown = 0;
    int32_t unknown_example = -1;
    check_period_has_data(d, first, last);
    for (size_t i = 0; i < d->nopps; i++)
        if (d->opps[i].is_closed && rr_date_month(d->opps[i].close) > last) late_opps++;
    for (size_t i = 0; i < d->nspend; i++)
        if (d->spend[i].month > last) late_spend++;
    /* touchpoints naming an opportunity id that no opportunity row has */
    unsigned char *known = rr_xcalloc(d->opp_ids.n ? d->opp_ids.n : 1, 1);
    for (size_t i = 0; i < d->nopps; i++) known[d->opps[i].id] = 1;
    for (size_t i = 0; i < d->ntouch; i++)
        if (d->touch[i].opp_key >= 0 && !known[d->touch[i].opp_key]) {
            if (!unknown++) unknown_example = d->touch[i].opp_key;
        }
    free(known);
    if (unknown)
    {
        char nu[32];
        snprintf(nu, sizeof nu, "%ld", unknown);
        rr_data_warnk(d, "dq.unknown_opp_ids", "{n} touchpoints name an opportunity_id that no opportunity has (e.g. \"{example}\")",
                      "n", nu, "example", rr_dict_name(&d->opp_ids, unknown_example), NULL);
    }
    for (size_t i = 0; i < d->ninputs; i++)
        if (!d->inputs[i].stats.rows)
            rr_data_warnk(d, "dq.header_only", "{file}: no data rows (header only)", "file", d->inputs[i].name, NULL);
    char nbuf[32];
    snprintf(nbuf, sizeof nbuf, "%ld", late_opps);
    if (late_opps)
        rr_data_warnk(d, "dq.late_opps", "{n} closed opportunities close after the period (not counted)", "n", nbuf, NULL);
    snprintf(nbuf, sizeof nbuf, "%ld", late_spend);
    if (late_spend)
        rr_data_warnk(d, "dq.late_spend", "spend recorded for {n} month/channel/campaign cells after the period", "n", nbuf,
                      NULL);
    /* spend without revenue and revenue without spend, by channel name (lead source of won deals) */
    if (!d->nspend) return;
    size_t nch = d->channels.n;
    unsigned char *has_spend = rr_xcalloc(nch ? nch : 1, 1), *has_rev = rr_xcalloc(nch ? nch : 1, 1);
    for (size_t i = 0; i < d->nspend; i++)
        if (d->spend[i].month >= first && d->spend[i].month <= last && d->spend[i].amount > 0)
            has_spend[d->spend[i].channel] = 1;
    for (size_t i = 0; i < d->nopps; i++) {
        const rr_opp *o = &d->opps[i];
        int m = rr_date_month(o->close);
        if (!o->is_won || m < first || m > last || o->lead_source < 0) continue;
        const char *src = rr_dict_name(&d->sources, o->lead_source);
        int32_t ch = rr_dict_find(&d->channels, src, strlen(src));
        if (ch >= 0) has_rev[ch] = 1;
    }
    int any_rev = 0;
    for (size_t c = 0; c < nch; c++) any_rev |= has_rev[c];
    for (size_t c = 0; any_rev && c < nch; c++) {
        if (has_spend[c] && !has_rev[c])
            rr_data_warnk(d, "dq.spend_no_revenue", "channel {channel} has spend in the period but no deal won in it names the channel as its lead "
                          "source (if the channel did source deals, spend and CRM name it differently)",
                          "channel", d->channels.names[c], NULL);
        else if (has_rev[c] && !has_spend[c])
            rr_data_warnk(d, "dq.revenue_no_spend", "deals won in the period name channel {channel} as their lead source, "
                          "but it has no spend (expected for an unpaid channel; otherwise the channel names of spend "
                          "and CRM differ)",
                          "channel", d->channels.names[c], NULL);
    }
    free(has_spend);
    free(has_rev);
}

int rr_data_is_canonical_name(const char *n)
{
    for (int i = 0; i < RR_IN_COUNT; i++)
        if (!strcmp(n, file_names[i])) return 1;
    return !strcmp(n, "channel-map.csv") || !strcmp(n, "paths.csv");   /* paths.csv: read by attribution */
}

rr_status rr_data_fx_ready(rr_data *d, const char *path, rr_error *err)
{
    fx_sort(d);
    return fx_check(d, path, err);
}
