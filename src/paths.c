/* paths.c: distinct channel paths with conversions, value and nulls; the
 * ChannelAttribution paths CSV reader (libcsv, one line fed at a time so that
 * errors carry a line number).
 *
 *   rr_paths *ps = rr_paths_new();
 *   rr_error err;
 *   if (rr_paths_read_csv(ps, "Data.csv", ';', ">", &err) != RR_OK)
 *       rr_error_print(&err, "revreport");
 *   rr_paths_free(ps);
 */
#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/csvdigest.h"
#include "revreport/paths.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

#define EMPTY SIZE_MAX

struct rr_paths {
    rr_path *paths;
    size_t n, cap;
    size_t *slots;        /* open addressing: index into paths, EMPTY */
    size_t nslots;        /* power of two */
    size_t n_channels;
    char **names;         /* [n_names] */
    size_t n_names, names_cap;
    int *name_slots;      /* open addressing: id, -1 */
    size_t n_name_slots;
};

static uint64_t hash_seq(const int *seq, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint64_t)(unsigned)seq[i];
        h *= 1099511628211ull;
        h ^= h >> 29;
    }
    return h ^ (uint64_t)len;
}

static uint64_t hash_str(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

rr_paths *rr_paths_new(void)
{
    rr_paths *ps = rr_xcalloc(1, sizeof *ps);
    ps->nslots = 1024;
    ps->slots = rr_xmalloc(ps->nslots * sizeof *ps->slots);
    for (size_t i = 0; i < ps->nslots; i++) ps->slots[i] = EMPTY;
    ps->n_name_slots = 64;
    ps->name_slots = rr_xmalloc(ps->n_name_slots * sizeof *ps->name_slots);
    for (size_t i = 0; i < ps->n_name_slots; i++) ps->name_slots[i] = -1;
    return ps;
}

void rr_paths_free(rr_paths *ps)
{
    if (!ps) return;
    for (size_t i = 0; i < ps->n; i++) free(ps->paths[i].seq);
    for (size_t i = 0; i < ps->n_names; i++) free(ps->names[i]);
    free(ps->paths);
    free(ps->slots);
    free(ps->names);
    free(ps->name_slots);
    free(ps);
}

static void rehash(rr_paths *ps)
{
    size_t ns = ps->nslots * 2;
    size_t *s = rr_xmalloc(ns * sizeof *s);
    for (size_t i = 0; i < ns; i++) s[i] = EMPTY;
    for (size_t i = 0; i < ps->n; i++) {
        size_t h = (size_t)hash_seq(ps->paths[i].seq, ps->paths[i].len) & (ns - 1);
        while (s[h] != EMPTY) h = (h + 1) & (ns - 1);
        s[h] = i;
    }
    free(ps->slots);
    ps->slots = s;
    ps->nslots = ns;
}

void rr_paths_add(rr_paths *ps, const int *seq, size_t len, double conv, double value,
                  double nulls)
{
    if (!ps || len == 0) return;
    size_t h = (size_t)hash_seq(seq, len) & (ps->nslots - 1);
    while (ps->slots[h] != EMPTY) {
        rr_path *p = &ps->paths[ps->slots[h]];
        if (p->len == len && memcmp(p->seq, seq, len * sizeof *seq) == 0) {
            p->conv += conv;
            p->value += value;
            p->nulls += nulls;
            return;
        }
        h = (h + 1) & (ps->nslots - 1);
    }
    ps->paths = rr_xgrow(ps->paths, &ps->cap, ps->n + 1, sizeof *ps->paths);
    rr_path *p = &ps->paths[ps->n];
    p->seq = rr_xmalloc(len * sizeof *seq);
    memcpy(p->seq, seq, len * sizeof *seq);
    p->len = len;
    p->conv = conv;
    p->value = value;
    p->nulls = nulls;
    for (size_t i = 0; i < len; i++)
        if ((size_t)seq[i] + 1 > ps->n_channels) ps->n_channels = (size_t)seq[i] + 1;
    ps->slots[h] = ps->n++;
    if (ps->n * 2 > ps->nslots) rehash(ps);
}

size_t rr_paths_count(const rr_paths *ps) { return ps ? ps->n : 0; }

const rr_path *rr_paths_get(const rr_paths *ps, size_t i)
{
    return ps && i < ps->n ? &ps->paths[i] : NULL;
}

size_t rr_paths_n_channels(const rr_paths *ps) { return ps ? ps->n_channels : 0; }

static int name_find(const rr_paths *ps, const char *name, size_t len, size_t *slot)
{
    size_t m = ps->n_name_slots - 1, h = (size_t)hash_str(name, len) & m;
    while (ps->name_slots[h] >= 0) {
        const char *s = ps->names[ps->name_slots[h]];
        if (strlen(s) == len && memcmp(s, name, len) == 0) {
            *slot = h;
            return ps->name_slots[h];
        }
        h = (h + 1) & m;
    }
    *slot = h;
    return -1;
}

int rr_paths_intern(rr_paths *ps, const char *name, size_t len)
{
    size_t slot;
    int id = name_find(ps, name, len, &slot);
    if (id >= 0) return id;
    ps->names = rr_xgrow(ps->names, &ps->names_cap, ps->n_names + 1, sizeof *ps->names);
    id = (int)ps->n_names;
    ps->names[ps->n_names++] = rr_xstrndup(name, len);
    ps->name_slots[slot] = id;
    if ((size_t)id + 1 > ps->n_channels) ps->n_channels = (size_t)id + 1;
    if (ps->n_names * 2 > ps->n_name_slots) {
        free(ps->name_slots);
        ps->n_name_slots *= 2;
        ps->name_slots = rr_xmalloc(ps->n_name_slots * sizeof *ps->name_slots);
        for (size_t i = 0; i < ps->n_name_slots; i++) ps->name_slots[i] = -1;
        for (size_t i = 0; i < ps->n_names; i++) {
            size_t s;
            (void)name_find(ps, ps->names[i], strlen(ps->names[i]), &s);
            ps->name_slots[s] = (int)i;
        }
    }
    return id;
}

int rr_paths_lookup(const rr_paths *ps, const char *name)
{
    size_t slot;
    return ps && name ? name_find(ps, name, strlen(name), &slot) : -1;
}

const char *rr_paths_name(const rr_paths *ps, int id)
{
    return ps && id >= 0 && (size_t)id < ps->n_names ? ps->names[id] : NULL;
}

/* ---- the CSV reader ---- */

enum { COL_PATH, COL_CONV, COL_VALUE, COL_NULL, N_COLS };
static const char *const col_names[N_COLS] = {
    "path", "total_conversions", "total_conversion_value", "total_null"
};

typedef struct {
    rr_paths *ps;
    const char *file, *sep;
    rr_error *err;
    rr_status st;
    long line, rec;
    int col[N_COLS];          /* column index of each, -1 */
    size_t nfield;
    rr_strbuf f[N_COLS];      /* this record's fields */
    int have[N_COLS];
    int *seq;
    size_t seq_cap;
} reader;

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    size_t k = r->nfield++;
    if (r->st != RR_OK) return;
    if (r->rec == 0) {                     /* header */
        for (int c = 0; c < N_COLS; c++) {
            const char *nm = col_names[c];
            if (strlen(nm) == len && memcmp(nm, s, len) == 0) r->col[c] = (int)k;
        }
        return;
    }
    for (int c = 0; c < N_COLS; c++)
        if (r->col[c] == (int)k) {
            rr_strbuf_reset(&r->f[c]);
            rr_strbuf_add(&r->f[c], s, len);
            rr_strbuf_add(&r->f[c], "", 0);
            r->have[c] = 1;
        }
}

static int parse_num(reader *r, int c, double *out)
{
    if (r->col[c] < 0) { *out = 0; return 1; }
    const char *s = r->have[c] && r->f[c].data ? r->f[c].data : "";
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\r') end++;
    if (end == s || *end || errno || !isfinite(v) || v < 0) {
        r->st = rr_error_set(r->err, RR_ERR_INPUT, r->file, r->line, r->col[c] + 1,
                             col_names[c], "not a non-negative number: \"%s\"", s);
        return 0;
    }
    *out = v;
    return 1;
}

static void on_record(int ch, void *data)
{
    reader *r = data;
    (void)ch;
    if (r->st != RR_OK) goto out;
    if (r->rec == 0) {
        if (r->col[COL_PATH] < 0 || r->col[COL_CONV] < 0) {
            int c = r->col[COL_PATH] < 0 ? COL_PATH : COL_CONV;
            r->st = rr_error_set(r->err, RR_ERR_MISSING, r->file, r->line, 0, col_names[c],
                                 "required column missing from the header");
        }
        goto out;
    }
    if (r->nfield == 1 && (!r->have[COL_PATH] || r->f[COL_PATH].len == 0) && r->col[COL_PATH] == 0)
        goto out;                                  /* blank line */
    double conv, value, nulls;
    if (!parse_num(r, COL_CONV, &conv) || !parse_num(r, COL_VALUE, &value) ||
        !parse_num(r, COL_NULL, &nulls))
        goto out;
    const char *p = r->have[COL_PATH] && r->f[COL_PATH].data ? r->f[COL_PATH].data : "";
    size_t n = 0, seplen = strlen(r->sep);
    for (;;) {
        const char *e = strstr(p, r->sep);
        const char *stop = e ? e : p + strlen(p);
        const char *a = p, *b = stop;
        while (a < b && (*a == ' ' || *a == '\t')) a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r')) b--;
        if (a == b) {
            r->st = rr_error_set(r->err, RR_ERR_INPUT, r->file, r->line, r->col[COL_PATH] + 1,
                                 "path", "empty channel name in path \"%s\"",
                                 r->f[COL_PATH].data ? r->f[COL_PATH].data : "");
            goto out;
        }
        r->seq = rr_xgrow(r->seq, &r->seq_cap, n + 1, sizeof *r->seq);
        r->seq[n++] = rr_paths_intern(r->ps, a, (size_t)(b - a));
        if (!e) break;
        p = e + seplen;
    }
    rr_paths_add(r->ps, r->seq, n, conv, value, nulls);
out:
    r->rec++;
    r->nfield = 0;
    for (int c = 0; c < N_COLS; c++) r->have[c] = 0;
}

rr_status rr_paths_read_csv(rr_paths *ps, const char *file, char delim, const char *sep,
                            rr_error *err)
{
    rr_status st = RR_OK;
    struct csv_parser cp;
    int cp_ok = 0;
    char *line = NULL;
    size_t cap = 0;
    reader r;
    memset(&r, 0, sizeof r);
    FILE *fp = fopen(file, "r");
    if (!fp) {
        st = rr_error_set(err, RR_ERR_IO, file, 0, 0, NULL, "cannot open: %s", strerror(errno));
        goto out;
    }
    if (!sep || !*sep) {
        st = rr_error_set(err, RR_ERR_USAGE, file, 0, 0, NULL, "empty path separator");
        goto out;
    }
    if (csv_init(&cp, CSV_APPEND_NULL) != 0) {
        st = rr_error_set(err, RR_ERR_INTERNAL, file, 0, 0, NULL, "csv_init failed");
        goto out;
    }
    cp_ok = 1;
    csv_set_delim(&cp, (unsigned char)delim);
    r.ps = ps;
    r.file = file;
    r.sep = sep;
    r.err = err;
    for (int c = 0; c < N_COLS; c++) r.col[c] = -1;
    ssize_t got;
    while (r.st == RR_OK && (got = getline(&line, &cap, fp)) > 0) {
        r.line++;
        size_t off = 0;
        if (r.line == 1 && got >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) off = 3;
        if (csv_parse(&cp, line + off, (size_t)got - off, on_field, on_record, &r) !=
            (size_t)got - off) {
            st = rr_error_set(err, RR_ERR_INPUT, file, r.line, 0, NULL, "malformed CSV: %s",
                              csv_strerror(csv_error(&cp)));
            goto out;
        }
    }
    if (ferror(fp)) {
        st = rr_error_set(err, RR_ERR_IO, file, r.line, 0, NULL, "read error");
        goto out;
    }
    if (r.st == RR_OK) csv_fini(&cp, on_field, on_record, &r);
    st = r.st;
    if (st == RR_OK && r.rec == 0)
        st = rr_error_set(err, RR_ERR_INPUT, file, 0, 0, NULL, "empty file (no header)");
out:
    if (cp_ok) csv_free(&cp);
    if (fp) fclose(fp);
    free(line);
    free(r.seq);
    for (int c = 0; c < N_COLS; c++) rr_strbuf_free(&r.f[c]);
    return st;
}

rr_status rr_paths_file_stats(const char *file, long *rows, long long *bytes, unsigned char sha256[32])
{
    FILE *f = fopen(file, "rb");
    if (!f) return RR_ERR_IO;
    rr_sha256 h;
    rr_sha256_init(&h);
    unsigned char buf[65536];
    size_t n;
    long lines = 0;
    long long total = 0;
    int content = 0;   /* the current line has a non-blank byte */
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        rr_sha256_update(&h, buf, n);
        total += (long long)n;
        for (size_t i = 0; i < n; i++) {
            if (buf[i] == '\n') { lines += content; content = 0; }
            else if (buf[i] != '\r' && buf[i] != ' ' && buf[i] != '\t') content = 1;
        }
    }
    lines += content;
    int bad = ferror(f);
    fclose(f);
    if (bad) return RR_ERR_IO;
    rr_sha256_final(&h, sha256);
    *rows = lines > 0 ? lines - 1 : 0;   /* the header is not a record */
    *bytes = total;
    return RR_OK;
}
