/* csvin.c: streaming CSV on libcsv with header mapping and error locations.
 *
 * libcsv is a push parser that knows no positions.  We feed it one physical
 * line at a time, so when it calls us back we know the line being parsed; a
 * record's first line is its last line minus the newlines inside its quoted
 * fields.  Fields of the current record are kept in one growing buffer. */
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "revreport/csvin.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

#define CHUNK (64 * 1024)
#define MAX_RECORD (16 * 1024 * 1024)

struct rr_csv_row {
    const char *path;
    const rr_csv_col *cols;
    size_t ncols;
    long *map;             /* cols[i] -> field index in file, or -1 */
    rr_strbuf data;        /* fields of the current record, NUL-separated */
    size_t *off;           /* start offset of each field in data */
    size_t nfields, capfields;
    size_t header_fields;
    long newlines;         /* newlines inside this record's fields */
    long cur_line;         /* physical line being fed to libcsv */
    long rec_line;         /* line the current record started on */
    long last_end;         /* line the previous record ended on */
    int have_header;
    int skipped;
    rr_status st;          /* first error seen in a callback */
    rr_error *err;
    rr_csv_row_fn fn;
    void *ud;
    rr_csv_stats *stats;
};

const char *rr_csv_path(const rr_csv_row *row) { return row->path; }
long rr_csv_line(const rr_csv_row *row) { return row->rec_line; }
void rr_csv_skip(const rr_csv_row *row) { ((rr_csv_row *)row)->skipped = 1; }

int rr_csv_has(const rr_csv_row *row, size_t i)
{
    return i < row->ncols && row->map[i] >= 0;
}

static const char *field_at(const rr_csv_row *r, size_t f, size_t *len)
{
    size_t start = r->off[f];
    size_t end = f + 1 < r->nfields ? r->off[f + 1] - 1 : r->data.len;
    *len = end - start;
    return r->data.data + start;
}

const char *rr_csv_get(const rr_csv_row *row, size_t i, size_t *len)
{
    if (i >= row->ncols || row->map[i] < 0 || (size_t)row->map[i] >= row->nfields) {
        if (len) *len = 0;
        return "";
    }
    size_t n;
    const char *p = field_at(row, (size_t)row->map[i], &n);
    if (len) *len = n;
    return p;
}

static void record_text(const rr_csv_row *r, char *out, size_t cap)
{
    size_t w = 0;
    for (size_t f = 0; f < r->nfields && w + 4 < cap; f++) {
        size_t n;
        const char *p = field_at(r, f, &n);
        if (f) out[w++] = ',';
        for (size_t k = 0; k < n && w + 4 < cap; k++) out[w++] = (p[k] == '\n' || p[k] == '\r') ? ' ' : p[k];
    }
    if (w + 4 >= cap && cap > 4) { out[cap - 4] = '.'; out[cap - 3] = '.'; out[cap - 2] = '.'; w = cap - 1; }
    /* never end inside a UTF-8 sequence */
    while (w > 0 && ((unsigned char)out[w - 1] & 0xC0) == 0x80) w--;
    if (w > 0 && ((unsigned char)out[w - 1] & 0xC0) == 0xC0) w--;
    out[w] = 0;
}

rr_status rr_csv_fail(const rr_csv_row *row, size_t i, rr_error *err, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long col = (i < row->ncols && row->map[i] >= 0) ? row->map[i] + 1 : 0;
    rr_error_set(err, RR_ERR_INPUT, row->path, row->rec_line, col, i < row->ncols ? row->cols[i].name : NULL,
                 "%s", msg);
    if (err) record_text(row, err->record, sizeof err->record);
    return RR_ERR_INPUT;
}

/* Strict UTF-8 validation (no overlongs, no surrogates, <= U+10FFFF). */
static size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t k;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
        else return i;
        if (i + k >= n) return i;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += k + 1;
    }
    return (size_t)-1;
}

static void on_field(void *s, size_t len, void *data)
{
    rr_csv_row *r = data;
    if (r->st != RR_OK) return;
    if (r->data.len + len > MAX_RECORD) {
        r->st = rr_error_set(r->err, RR_ERR_INPUT, r->path, r->cur_line, (long)r->nfields + 1, NULL,
                             "record longer than %d MiB", MAX_RECORD / (1024 * 1024));
        return;
    }
    if (r->nfields > 0) rr_strbuf_add(&r->data, "", 1);   /* NUL between fields */
    r->off = rr_xgrow(r->off, &r->capfields, r->nfields + 1, sizeof *r->off);
    r->off[r->nfields++] = r->data.len;
    const char *p = s ? s : "";
    for (size_t i = 0; i < len; i++)
        if (p[i] == '\n') r->newlines++;
    rr_strbuf_add(&r->data, p, len);
}

static rr_status take_header(rr_csv_row *r)
{
    r->header_fields = r->nfields;
    r->map = rr_xcalloc(r->ncols ? r->ncols : 1, sizeof *r->map);
    for (size_t i = 0; i < r->ncols; i++) r->map[i] = -1;
    for (size_t f = 0; f < r->nfields; f++) {
        size_t n;
        const char *h = field_at(r, f, &n);
        if (f == 0 && n >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) { h += 3; n -= 3; }
        while (n && (*h == ' ' || *h == '\t')) { h++; n--; }
        while (n && (h[n - 1] == ' ' || h[n - 1] == '\t')) n--;
        for (size_t i = 0; i < r->ncols; i++)
            if (r->map[i] < 0 && strlen(r->cols[i].name) == n && strncasecmp(h, r->cols[i].name, n) == 0)
                r->map[i] = (long)f;
    }
    for (size_t i = 0; i < r->ncols; i++) {
        if (r->map[i] >= 0 || !r->cols[i].required) continue;
        char found[400];
        size_t w = 0;
        for (size_t f = 0; f < r->nfields && w + 40 < sizeof found; f++) {
            size_t n;
            const char *h = field_at(r, f, &n);
            int k = snprintf(found + w, sizeof found - w, "%s%.*s", f ? ", " : "", (int)(n > 30 ? 30 : n), h);
            if (k > 0) w += (size_t)k;
        }
        found[w] = 0;
        rr_error_set(r->err, RR_ERR_MISSING, r->path, r->rec_line, 0, r->cols[i].name,
                     "required column missing from the header (found: %s)", found);
        return RR_ERR_MISSING;
    }
    r->have_header = 1;
    return RR_OK;
}

static void on_record(int c, void *data)
{
    rr_csv_row *r = data;
    (void)c;
    if (r->st != RR_OK) goto reset;
    r->rec_line = r->cur_line - r->newlines;
    r->last_end = r->cur_line;
    if (!r->have_header) {
        r->st = take_header(r);
        goto reset;
    }
    if (r->nfields == 1 && r->data.len == 0) goto reset;   /* a line holding only spaces */
    if (r->stats) r->stats->rows++;
    if (r->nfields < r->header_fields) {
        rr_error_set(r->err, RR_ERR_INPUT, r->path, r->rec_line, (long)r->nfields + 1, NULL,
                     "expected %zu fields as in the header, found %zu", r->header_fields, r->nfields);
        record_text(r, r->err->record, sizeof r->err->record);
        r->st = RR_ERR_INPUT;
        goto reset;
    }
    for (size_t i = 0; i < r->ncols; i++) {
        if (r->map[i] < 0) continue;
        size_t n;
        const char *p = field_at(r, (size_t)r->map[i], &n);
        size_t bad = utf8_invalid_at((const unsigned char *)p, n);
        if (bad != (size_t)-1) {
            r->st = rr_csv_fail(r, i, r->err, "invalid UTF-8 at byte %zu of the field (byte 0x%02X); "
                                "save the file as UTF-8 or name its encoding", bad + 1,
                                (unsigned)(unsigned char)p[bad]);
            goto reset;
        }
    }
    r->skipped = 0;
    r->st = r->fn(r, r->ud, r->err);
    if (r->st == RR_OK && r->stats) {
        if (r->skipped) r->stats->rows_skipped++;
        else r->stats->rows_used++;
    }
reset:
    r->nfields = 0;
    r->newlines = 0;
    rr_strbuf_reset(&r->data);
}

rr_status rr_csv_read(const char *path, const rr_csv_col *cols, size_t ncols, rr_csv_row_fn fn,
                      void *ud, rr_csv_stats *stats, rr_error *err)
{
    struct csv_parser p;
    rr_csv_row r;
    rr_csv_stats local;
    rr_sha256 sha;
    rr_status st = RR_OK;
    FILE *f = NULL;
    char *buf = NULL;
    int parser_ready = 0;

    memset(&r, 0, sizeof r);
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    r.path = path; r.cols = cols; r.ncols = ncols; r.fn = fn; r.ud = ud; r.err = err; r.stats = stats;
    r.cur_line = 1;
    rr_sha256_init(&sha);

    f = fopen(path, "rb");
    if (!f) {
        st = rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        goto out;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        st = rr_error_set(err, RR_ERR_INTERNAL, path, 0, 0, NULL, "csv_init failed");
        goto out;
    }
    parser_ready = 1;
    buf = rr_xmalloc(CHUNK);
    size_t n;
    int first = 1;
    while ((n = fread(buf, 1, CHUNK, f)) > 0) {
        rr_sha256_update(&sha, buf, n);
        stats->bytes += (long long)n;
        size_t pos = 0;
        if (first) {
            first = 0;
            if (n >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
                           ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF))) {
                st = rr_error_set(err, RR_ERR_INPUT, path, 1, 1, NULL,
                                  "file is UTF-16; canonical inputs are UTF-8 (save as \"CSV UTF-8\")");
                goto out;
            }
        }
        while (pos < n) {
            const char *nl = memchr(buf + pos, '\n', n - pos);
            size_t seg = nl ? (size_t)(nl - (buf + pos)) + 1 : n - pos;
            if (memchr(buf + pos, 0, seg)) {
                st = rr_error_set(err, RR_ERR_INPUT, path, r.cur_line, (long)r.nfields + 1, NULL,
                                  "NUL byte in the file: not a text CSV file");
                goto out;
            }
            size_t done = csv_parse(&p, buf + pos, seg, on_field, on_record, &r);
            if (r.st != RR_OK) { st = r.st; goto out; }
            if (done != seg) {
                st = rr_error_set(err, RR_ERR_INPUT, path, r.cur_line, (long)r.nfields + 1, NULL,
                                  "malformed CSV: %s (a quote inside an unquoted field, or text after "
                                  "a closing quote)", csv_strerror(csv_error(&p)));
                goto out;
            }
            if (nl) r.cur_line++;
            pos += seg;
        }
    }
    if (ferror(f)) {
        st = rr_error_set(err, RR_ERR_IO, path, r.cur_line, 0, NULL, "read error: %s", strerror(errno));
        goto out;
    }
    if (csv_fini(&p, on_field, on_record, &r) != 0) {
        st = rr_error_set(err, RR_ERR_INPUT, path, r.last_end + 1, (long)r.nfields + 1, NULL,
                          "malformed CSV: the record starting on this line opens a quoted field that is "
                          "never closed (the file ends on line %ld)", r.cur_line);
        goto out;
    }
    if (r.st != RR_OK) { st = r.st; goto out; }
    if (!r.have_header) {
        st = rr_error_set(err, RR_ERR_INPUT, path, 1, 0, NULL, "empty file: no header row");
        goto out;
    }
    rr_sha256_final(&sha, stats->sha256);
out:
    if (parser_ready) csv_free(&p);
    if (f) fclose(f);
    free(buf);
    free(r.map);
    free(r.off);
    rr_strbuf_free(&r.data);
    return st;
}

/* ---- SHA-256 (FIPS 180-4) ---- */
static const unsigned int K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(rr_sha256 *s, const unsigned char *b)
{
    unsigned int w[64], a, bb, c, d, e, f, g, h;
    for (int i = 0; i < 16; i++)
        w[i] = (unsigned int)b[4 * i] << 24 | (unsigned int)b[4 * i + 1] << 16 | (unsigned int)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        unsigned int s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        unsigned int s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = s->h[0]; bb = s->h[1]; c = s->h[2]; d = s->h[3]; e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
    for (int i = 0; i < 64; i++) {
        unsigned int t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        unsigned int t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
        h = g; g = f; f = e; e = d + t1; d = c; c = bb; bb = a; a = t1 + t2;
    }
    s->h[0] += a; s->h[1] += bb; s->h[2] += c; s->h[3] += d; s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

void rr_sha256_init(rr_sha256 *s)
{
    static const unsigned int h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, h0, sizeof h0);
    s->n = 0;
    s->fill = 0;
}

void rr_sha256_update(rr_sha256 *s, const void *p, size_t n)
{
    const unsigned char *b = p;
    s->n += n;
    if (s->fill) {
        size_t k = 64 - s->fill < n ? 64 - s->fill : n;
        memcpy(s->buf + s->fill, b, k);
        s->fill += k; b += k; n -= k;
        if (s->fill < 64) return;
        sha_block(s, s->buf);
        s->fill = 0;
    }
    while (n >= 64) { sha_block(s, b); b += 64; n -= 64; }
    memcpy(s->buf, b, n);
    s->fill = n;
}

void rr_sha256_final(rr_sha256 *s, unsigned char out[32])
{
    unsigned long long bits = s->n * 8;
    unsigned char pad = 0x80, zero = 0, len[8];
    rr_sha256_update(s, &pad, 1);
    while (s->fill != 56) rr_sha256_update(s, &zero, 1);
    for (int i = 0; i < 8; i++) len[i] = (unsigned char)(bits >> (56 - 8 * i));
    rr_sha256_update(s, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24); out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8); out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

void rr_sha256_hex(const unsigned char d[32], char out[65])
{
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) { out[2 * i] = hx[d[i] >> 4]; out[2 * i + 1] = hx[d[i] & 15]; }
    out[64] = 0;
}
