/* csvin.c: streaming CSV on libcsv with header mapping and error locations.
 *
 *   rr_csv_opts o = {.encoding = "auto", .max_preamble = 20, .lenient = 1};
 *   rr_csv_read_opts("export.csv", cols, ncols, &o, on_row, ud, &stats, &err);
 *
 * libcsv is a push parser that knows no positions.  We feed it one physical
 * line at a time, so when it calls us back we know the line being parsed; a
 * record's first line is its last line minus the newlines inside its quoted
 * fields.  Most lines hold no quote: fast_line splits those itself (same
 * fields as libcsv, about 10x faster); rr_csv_read_split reads a big file in
 * parts on one thread per core (see "parallel reading" below).  Fields of
 * the current record are kept in one growing buffer.
 * Files that are not UTF-8 are converted with iconv chunk by chunk (an
 * incomplete multibyte sequence at the end of a chunk waits for the next);
 * every supported encoding keeps LF as one LF, so line numbers stay those of
 * the original file. */
#include <csv.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "revreport/csvdigest.h"
#include "revreport/csvin.h"
#include "revreport/fsafe.h"
#include "revreport/num.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"
#include "revreport/xlsxin.h"

#define CHUNK (256 * 1024)
#define MAX_RECORD (16 * 1024 * 1024)
#define MAX_FIELD 4096            /* a channel name (shown in charts and tables) */
#define SNIFF_BYTES (64 * 1024)   /* the start of a file its delimiter is told from */

struct rr_csv_row {
    const char *path;
    const rr_csv_col *cols;
    size_t ncols;
    const rr_csv_opts *opts;
    long *map;             /* cols[i] -> field index in file, or -1 */
    long *dup;             /* cols[i] -> a second header cell with the same name, or -1 */
    char **capture;        /* cols[i] -> what '*' matched in its header (owned) */
    char **hdr;            /* cols[i] -> header text (owned) */
    rr_strbuf data;        /* fields of the current record, NUL-separated */
    size_t *off;           /* start offset of each field in data */
    size_t *flen;          /* length of each field */
    size_t nfields, capfields, capflen;
    size_t header_fields;
    rr_strbuf ovr;         /* override values of the current row */
    size_t *ovr_off, *ovr_len;
    unsigned char *ovr_set;
    long newlines;         /* newlines inside this record's fields */
    long cur_line;         /* physical line being fed to libcsv */
    long rec_line;         /* line the current record started on */
    long last_end;         /* line the previous record ended on */
    long preamble;         /* records seen before the header */
    char pre[4][160];      /* the first of them (report titles, date ranges), their cells joined by spaces */
    int have_header;
    int skipped;
    rr_status st;          /* first error seen in a callback */
    rr_error *err;
    rr_csv_row_fn fn;
    void *ud;
    rr_csv_stats *stats;
    rr_strbuf *raw;        /* sniff mode: records appended here */
    int raw_max;
    int ascii;             /* the current record is all ASCII (fast_line): no UTF-8 check */
    unsigned char cls[256];/* fast_line's byte classes for cls_delim */
    int cls_delim;         /* delimiter cls is built for (0: not built) */
    const char *sheet;     /* an .xlsx: the sheet read (locations are its cells), else NULL */
};

const char *rr_csv_path(const rr_csv_row *row) { return row->path; }
const char *rr_csv_preamble(const rr_csv_row *row, int k)
{
    return k >= 0 && k < 4 && k < row->preamble ? row->pre[k] : NULL;
}
long rr_csv_line(const rr_csv_row *row) { return row->rec_line; }
void rr_csv_skip(const rr_csv_row *row) { ((rr_csv_row *)row)->skipped = 1; }
size_t rr_csv_ncols(const rr_csv_row *row) { return row->ncols; }
const char *rr_csv_colname(const rr_csv_row *row, size_t i) { return i < row->ncols ? row->cols[i].name : ""; }

int rr_csv_same_source(const rr_csv_row *row, size_t a, size_t b)
{
    return a < row->ncols && b < row->ncols && row->map[a] >= 0 && row->map[a] == row->map[b] &&
           !row->ovr_set[a] && !row->ovr_set[b];
}

int rr_csv_has(const rr_csv_row *row, size_t i)
{
    return i < row->ncols && (row->map[i] >= 0 || row->ovr_set[i]);
}

const char *rr_csv_capture(const rr_csv_row *row, size_t i)
{
    return i < row->ncols && row->capture[i] ? row->capture[i] : "";
}

const char *rr_csv_header(const rr_csv_row *row, size_t i)
{
    return i < row->ncols && row->hdr[i] ? row->hdr[i] : "";
}

static const char *field_at(const rr_csv_row *r, size_t f, size_t *len)
{
    *len = r->flen[f];
    return r->data.data + r->off[f];
}

void rr_csv_set(const rr_csv_row *row, size_t i, const char *s, size_t len)
{
    rr_csv_row *r = (rr_csv_row *)row;
    if (i >= r->ncols) return;
    r->ovr_off[i] = r->ovr.len;
    r->ovr_len[i] = len;
    rr_strbuf_add(&r->ovr, s, len);
    rr_strbuf_add(&r->ovr, "", 1);
    r->ovr_set[i] = 1;
}

const char *rr_csv_get(const rr_csv_row *row, size_t i, size_t *len)
{
    if (i < row->ncols && row->ovr_set[i]) {
        if (len) *len = row->ovr_len[i];
        return row->ovr.data + row->ovr_off[i];
    }
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
    char sep = r->stats && r->stats->delimiter ? r->stats->delimiter : ',';
    if (sep == '\t') sep = ' ';
    int cut = 0;
    /* whole characters only; a byte that is not UTF-8 is shown as \xNN, not
     * sent to the terminal as it is */
    for (size_t f = 0; f < r->nfields && !cut; f++) {
        size_t n;
        const char *p = field_at(r, f, &n);
        if (f) { if (w + 5 >= cap) { cut = 1; break; } out[w++] = sep; }
        for (size_t k = 0; k < n;) {
            size_t q = rr_utf8_seq((const unsigned char *)p + k, n - k);
            if (w + (q ? q : 4) + 4 >= cap) { cut = 1; break; }
            if (!q) { snprintf(out + w, 5, "\\x%02X", (unsigned)(unsigned char)p[k]); w += 4; k++; continue; }
            if (q == 1 && (p[k] == '\n' || p[k] == '\r')) out[w++] = ' ';
            else { memcpy(out + w, p + k, q); w += q; }
            k += q;
        }
    }
    if (cut) { memcpy(out + w, "...", 3); w += 3; }
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

/* Strict UTF-8 validation (no overlongs, no surrogates, <= U+10FFFF).
 * With partial_ok, a sequence cut by the end of the buffer is accepted. */
static size_t utf8_invalid_at2(const unsigned char *s, size_t n, int partial_ok)
{
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {   /* ASCII runs eight bytes at a time */
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL)) { i += 8; continue; }
        }
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t k;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
        else return i;
        if (i + k >= n) {
            if (!partial_ok) return i;
            for (size_t j = i + 1; j < n; j++)
                if ((s[j] & 0xC0) != 0x80) return i;
            return (size_t)-1;
        }
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

static size_t utf8_invalid_at(const unsigned char *s, size_t n) { return utf8_invalid_at2(s, n, 0); }

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
    r->flen = rr_xgrow(r->flen, &r->capflen, r->nfields + 1, sizeof *r->flen);
    r->flen[r->nfields] = len;
    r->off[r->nfields++] = r->data.len;
    const char *p = s ? s : "";
    if (len && memchr(p, '\n', len))
        for (size_t i = 0; i < len; i++)
            if (p[i] == '\n') r->newlines++;
    rr_strbuf_add(&r->data, p, len);
}

/* Case-insensitive (ASCII) match of h against pattern pat with at most one
 * '*'; the part matched by '*' goes to cap. */
static int pattern_match(const char *pat, const char *h, size_t n, char *cap, size_t capcap)
{
    const char *star = strchr(pat, '*');
    if (!star) return strlen(pat) == n && strncasecmp(h, pat, n) == 0;
    size_t pre = (size_t)(star - pat), post = strlen(star + 1);
    if (n < pre + post || strncasecmp(h, pat, pre) != 0 || strncasecmp(h + n - post, star + 1, post) != 0) return 0;
    snprintf(cap, capcap, "%.*s", (int)(n - pre - post), h + pre);
    return 1;
}

static void clear_header(rr_csv_row *r)
{
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->capture[i]); r->capture[i] = NULL;
        free(r->hdr[i]); r->hdr[i] = NULL;
        r->map[i] = -1;
        r->dup[i] = -1;
    }
}

static rr_status take_header(rr_csv_row *r)
{
    const rr_csv_opts *o = r->opts;
    r->header_fields = r->nfields;
    /* a column takes the header matching its earliest pattern ("Day" before
     * "Reporting starts"), wherever that header stands */
    size_t *rank = rr_xmalloc((r->ncols ? r->ncols : 1) * sizeof *rank);
    for (size_t i = 0; i < r->ncols; i++) rank[i] = (size_t)-1;
    for (size_t f = 0; f < r->nfields; f++) {
        size_t n;
        const char *h = field_at(r, f, &n);
        if (f == 0 && n >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) { h += 3; n -= 3; }
        while (n && (*h == ' ' || *h == '\t')) { h++; n--; }
        while (n && (h[n - 1] == ' ' || h[n - 1] == '\t')) n--;
        for (size_t i = 0; i < r->ncols; i++) {
            const char *const *al = o && o->aliases ? o->aliases[i] : NULL;
            char cap[64] = "";
            int hit = 0;
            size_t k = 0;
            if (!al) hit = pattern_match(r->cols[i].name, h, n, cap, sizeof cap);
            else
                for (; al[k] && k <= rank[i]; k++)
                    if ((hit = pattern_match(al[k], h, n, cap, sizeof cap))) break;
            if (hit && k == rank[i] && r->map[i] >= 0) {   /* the same header twice ("Currency code") */
                if (r->dup[i] < 0) r->dup[i] = (long)f;
                continue;
            }
            if (!hit || k > rank[i]) continue;
            r->dup[i] = -1;
            free(r->capture[i]);
            free(r->hdr[i]);
            rank[i] = k;
            r->map[i] = (long)f;
            r->capture[i] = rr_xstrdup(cap);
            r->hdr[i] = rr_xstrndup(h, n);
        }
    }
    free(rank);
    for (size_t i = 0; i < r->ncols; i++) {
        if (r->map[i] >= 0 || !r->cols[i].required || (o && o->provided && o->provided[i])) continue;
        if (o && r->preamble < o->max_preamble) {   /* a title line: try the next record */
            if (r->preamble < 4) {
                char *t = r->pre[r->preamble];
                size_t w = 0;
                for (size_t f = 0; f < r->nfields && w + 2 < sizeof r->pre[0]; f++) {
                    size_t n;
                    const char *h = field_at(r, f, &n);
                    if (!n) continue;
                    int k = snprintf(t + w, sizeof r->pre[0] - w, "%s%.*s", w ? " " : "", (int)n, h);
                    if (k > 0) w += (size_t)k;
                }
                if (w >= sizeof r->pre[0]) w = sizeof r->pre[0] - 1;
                t[w] = 0;
            }
            r->preamble++;
            clear_header(r);
            return RR_OK;
        }
        /* the header's names, but only those that look like column names: a
         * file that is no CSV export (a password file behind a link) is not
         * echoed */
        char found[400];
        size_t w = 0;
        for (size_t f = 0; f < r->nfields && w + 40 < sizeof found; f++) {
            size_t n;
            const char *h = field_at(r, f, &n);
            int plain = n > 0 && n <= 40;
            for (size_t k = 0; k < n && plain; k++) {
                unsigned char c = (unsigned char)h[k];
                plain = c >= 0x80 || isalnum(c) || strchr(" _-.#%()&/", c);
            }
            int k = plain ? snprintf(found + w, sizeof found - w, "%s%.*s", f ? ", " : "", (int)n, h)
                          : snprintf(found + w, sizeof found - w, "%s[column %zu not shown]", f ? ", " : "", f + 1);
            if (k > 0) w += (size_t)k;
        }
        found[w] = 0;
        rr_error_set(r->err, RR_ERR_MISSING, r->path, r->rec_line, 0, r->cols[i].name,
                     "required column missing from the header (found: %s)", found);
        return RR_ERR_MISSING;
    }
    if (r->stats) r->stats->rows_preamble = r->preamble;
    r->have_header = 1;
    return RR_OK;
}

/* A footer word w at the start of cell c[0..n): the cell is the word (an
 * optional ':' after it), or the word then ':' or " (" or " -" ("Total:
 * Account", "Grand Totals (12 records)", "Confidential Information - Do Not
 * Distribute"), or, for a word that is not a letter ("©"), anything after it.
 * "TotalEnergies SE" and "Total Home Care" are no footers of "Total". */
static int footer_word(const char *c, size_t n, const char *w)
{
    size_t wl = strlen(w);
    if (n < wl || strncasecmp(c, w, wl) != 0) return 0;
    const char *t = c + wl;
    size_t tn = n - wl;
    if (!tn || (tn == 1 && *t == ':') || w[wl - 1] == ':') return 1;
    if (!((unsigned char)w[0] < 0x80 && ((w[0] | 0x20) >= 'a' && (w[0] | 0x20) <= 'z'))) return 1;
    if (*t == ':') return 1;
    return tn >= 2 && *t == ' ' && (t[1] == '(' || t[1] == '-');
}

/* Summary rows at the end of exports, told by their shape: every cell empty,
 * or a first cell in the tool's own wording (the profile's footers, as
 * footer_word reads them) with no other text cell that is not a number,
 * empty or the profile's empty value ("--", a currency code) beside it. */
static int is_footer(rr_csv_row *r)
{
    const rr_csv_opts *o = r->opts;
    size_t n, nonempty = 0;
    const char *first = NULL;
    size_t firstn = 0, firstf = 0;
    for (size_t f = 0; f < r->nfields; f++) {
        const char *p = field_at(r, f, &n);
        while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
        if (n) { if (!first) { first = p; firstn = n; firstf = f; } nonempty++; }
    }
    if (!nonempty) return 1;                       /* ",,,," */
    if (!o || !o->footers) return 0;
    int word = 0;
    while (firstn && (first[firstn - 1] == ' ' || first[firstn - 1] == '\t')) firstn--;
    for (size_t k = 0; o->footers[k] && !word; k++) word = footer_word(first, firstn, o->footers[k]);
    if (!word) return 0;
    /* the tool's exact wording with ':' or a record count is a footer whatever
     * else the row holds; a bare "Total" only when the rest looks like sums */
    int exact_form = memchr(first, ':', firstn) || memchr(first, '(', firstn);
    for (size_t f = firstf + 1; f < r->nfields && !exact_form; f++) {
        const char *p = field_at(r, f, &n);
        int digit = 0;
        rr_money m;
        rr_numfmt nf = {0, ", '.", 1, 1, 1};
        for (size_t k = 0; k < n; k++) digit |= p[k] >= '0' && p[k] <= '9';
        if (!n || rr_num_money(p, n, &nf, &m) == RR_OK) continue;   /* a sum */
        if (n > 1 && p[n - 1] == '%' && rr_num_money(p, n - 1, &nf, &m) == RR_OK) continue;   /* a rate (CTR 3.66%) */
        if (o->empty && n == strlen(o->empty) && !memcmp(p, o->empty, n)) continue;
        if (n == 3 && !digit) continue;            /* a currency code (USD) */
        /* a date, a name: a data row whose first cell happens to be the word */
        if (digit || n > 3) return 0;
    }
    if (r->stats && r->stats->nfooter_amounts < RR_CSV_FOOTERS)
        for (size_t i = 0; i < r->ncols; i++)
            if (r->map[i] >= 0 && (size_t)r->map[i] < r->nfields && !strcmp(r->cols[i].name, "amount")) {
                const char *p = field_at(r, (size_t)r->map[i], &n);
                rr_csv_stats *st = r->stats;
                snprintf(st->footer_amounts[st->nfooter_amounts], sizeof st->footer_amounts[0], "%.*s",
                         (int)(n > 46 ? 46 : n), p);
                st->footer_lines[st->nfooter_amounts++] = r->rec_line;
            }
    return 1;
}

static void reject(rr_csv_row *r, const rr_error *e)
{
    rr_csv_stats *s = r->stats;
    s->rows_rejected++;
    if (s->nrejects >= RR_CSV_REJECTS) return;
    char *out = s->rejects[s->nrejects++];
    if (r->sheet) {   /* a workbook: its cell, as Excel names it */
        char ref[32];
        rr_xlsx_cellref(e->column, e->line, ref, sizeof ref);
        snprintf(out, sizeof s->rejects[0], "sheet '%.40s' %s%s%s%.50s%s: %.160s", r->sheet, e->column > 0 ? "cell " : "",
                 ref, e->field[0] ? " (" : "", e->field, e->field[0] ? ")" : "", e->msg);
    } else if (e->field[0])
        snprintf(out, sizeof s->rejects[0], "line %ld, column %ld (%.60s): %.200s", e->line, e->column, e->field, e->msg);
    else
        snprintf(out, sizeof s->rejects[0], "line %ld: %.280s", e->line, e->msg);
}

static void on_record(int c, void *data)
{
    rr_csv_row *r = data;
    (void)c;
    if (r->st != RR_OK) goto reset;
    r->rec_line = r->cur_line - r->newlines;
    r->last_end = r->cur_line;
    if (r->raw) {
        for (size_t f = 0; f < r->nfields; f++) {
            size_t n;
            const char *p = field_at(r, f, &n);
            rr_strbuf_add(r->raw, p, n);
            rr_strbuf_add(r->raw, "", 1);
        }
        rr_strbuf_add(r->raw, "\x1e", 1);
        if (--r->raw_max <= 0) r->st = RR_ERR_LIMIT;
        goto reset;
    }
    if (!r->have_header) {
        r->st = take_header(r);
        goto reset;
    }
    if (r->nfields == 1 && r->data.len == 0) goto reset;   /* a line holding only spaces */
    {   /* a row of only delimiters (",,,,": Excel's formatted empty rows) is a blank line too */
        size_t f = 0, fl = 0;
        while (f < r->nfields && (field_at(r, f, &fl), fl == 0)) f++;
        if (f == r->nfields) goto reset;
    }
    if (r->opts && is_footer(r)) { r->stats->rows_footer++; goto reset; }
    r->stats->rows++;
    rr_error scratch;
    rr_error *e = r->opts && r->opts->lenient ? &scratch : r->err;
    rr_status st = RR_OK;
    if (r->nfields < r->header_fields) {
        rr_error_set(e, RR_ERR_INPUT, r->path, r->rec_line, (long)r->nfields + 1, NULL,
                     "expected %zu fields as in the header, found %zu", r->header_fields, r->nfields);
        record_text(r, e->record, sizeof e->record);
        st = RR_ERR_INPUT;
        goto done;
    }
    for (size_t f = r->header_fields; f < r->nfields; f++) {   /* more fields than the header: not empty ones */
        size_t n;
        field_at(r, f, &n);
        if (!n) continue;
        rr_error_set(e, RR_ERR_INPUT, r->path, r->rec_line, (long)f + 1, NULL,
                     "%zu fields where the header has %zu: a delimiter inside a value that is not quoted? (the "
                     "columns after it would be shifted; quote the value)", r->nfields, r->header_fields);
        record_text(r, e->record, sizeof e->record);
        st = RR_ERR_INPUT;
        goto done;
    }
    for (size_t i = 0; i < r->ncols; i++) {   /* a header twice: both cells must agree */
        if (r->dup[i] < 0 || (size_t)r->dup[i] >= r->nfields || r->map[i] < 0) continue;
        size_t an, bn;
        const char *a = field_at(r, (size_t)r->map[i], &an), *b = field_at(r, (size_t)r->dup[i], &bn);
        if (an == bn && !memcmp(a, b, an)) continue;
        rr_error_set(r->err, RR_ERR_INPUT, r->path, r->rec_line, r->dup[i] + 1, r->cols[i].name,
                     "the header has \"%s\" twice (columns %ld and %ld) and this row has different values in "
                     "them (\"%.*s\", \"%.*s\"): which one is %s cannot be told; rename or remove one",
                     r->hdr[i] ? r->hdr[i] : r->cols[i].name, r->map[i] + 1, r->dup[i] + 1, (int)(an > 40 ? 40 : an),
                     a, (int)(bn > 40 ? 40 : bn), b, r->cols[i].name);
        if (r->err) record_text(r, r->err->record, sizeof r->err->record);
        r->st = RR_ERR_INPUT;
        goto reset;
    }
    for (size_t i = 0; i < r->ncols; i++) {   /* a channel name (charts, tables): never 4 KiB */
        if (r->map[i] < 0 || (size_t)r->map[i] >= r->nfields || r->flen[r->map[i]] <= MAX_FIELD) continue;
        if (strcmp(r->cols[i].name, "channel") != 0) continue;
        rr_error_set(r->err, RR_ERR_INPUT, r->path, r->rec_line, r->map[i] + 1, r->cols[i].name,
                     "value of %zu bytes, longer than %d: refused (a column shifted, or not this file's column?)",
                     r->flen[r->map[i]], MAX_FIELD);
        r->st = RR_ERR_INPUT;
        goto reset;
    }
    for (size_t i = 0; i < r->ncols && !r->ascii; i++) {
        if (r->map[i] < 0) continue;
        size_t n;
        const char *p = field_at(r, (size_t)r->map[i], &n);
        size_t bad = utf8_invalid_at((const unsigned char *)p, n);
        if (bad != (size_t)-1) {
            const char *base = strrchr(r->path, '/');
            st = rr_csv_fail(r, i, e, "invalid UTF-8 at byte %zu of the field (byte 0x%02X); "
                             "save the file as UTF-8 or name its encoding, e.g. --encoding=%s=CP1252", bad + 1,
                             (unsigned)(unsigned char)p[bad], base ? base + 1 : r->path);
            goto done;
        }
    }
    r->skipped = 0;
    if (r->opts) {
        memset(r->ovr_set, 0, r->ncols);
        rr_strbuf_reset(&r->ovr);
        if (r->opts->empty) {
            size_t el = strlen(r->opts->empty);
            for (size_t i = 0; i < r->ncols; i++) {
                size_t n;
                const char *p = rr_csv_get(r, i, &n);
                if (n == el && memcmp(p, r->opts->empty, el) == 0) rr_csv_set(r, i, "", 0);
            }
        }
        if (r->opts->prepare) st = r->opts->prepare(r, r->opts->prepare_ud, e);
    }
    if (st == RR_OK) st = r->fn(r, r->ud, e);
done:
    if (st == RR_OK) {
        if (r->skipped) r->stats->rows_skipped++;
        else r->stats->rows_used++;
    } else if (st == RR_ERR_INPUT && e == &scratch) {
        reject(r, &scratch);
    } else {
        if (e == &scratch && r->err) *r->err = scratch;
        r->st = st;
    }
reset:
    r->nfields = 0;
    r->newlines = 0;
    rr_strbuf_reset(&r->data);
}

/* The fast path for a complete physical line s[0..n) (its '\n' excluded)
 * while libcsv holds no partial record: a line without quotes, CRs (but a
 * final one) and NULs is split here exactly as libcsv would split it (fields
 * at the delimiter, spaces and tabs around unquoted fields dropped, a line of
 * blanks is no record) and handed to on_record.  Returns 0 when the line
 * needs libcsv. */
/* Byte classes of fast_line: the delimiter, bytes that send the line to
 * libcsv (quote, CR, NUL), bytes >= 0x80 (UTF-8 to check). */
enum { FL_DELIM = 1, FL_BAIL = 2, FL_HIGH = 4 };

static void fast_classes(rr_csv_row *r, char delim)
{
    memset(r->cls, 0, sizeof r->cls);
    for (int c = 0x80; c < 0x100; c++) r->cls[c] = FL_HIGH;
    r->cls['"'] = r->cls['\r'] = r->cls[0] = FL_BAIL;
    r->cls[(unsigned char)delim] |= FL_DELIM;
    r->cls_delim = (unsigned char)delim;
}

/* A line's delimiters (their places, up to 64; 65 = more, found again on
 * the way) and whether it holds bytes >= 0x80. */
typedef struct {
    size_t cut[65], ncut;
    unsigned acc;
} line_scan;

/* Splits the line s[0..n) (its '\n' and a final CR excluded) at the
 * delimiters found by a scan, and hands the record to on_record. */
static int fast_emit(rr_csv_row *r, const char *s, size_t n, char delim, const line_scan *sc)
{
    if (r->st != RR_OK) return 1;
    if (r->data.cap < n + 1) {
        r->data.cap = n + 64;
        r->data.data = rr_xrealloc(r->data.data, r->data.cap);
    }
    char *d = r->data.data;
    memcpy(d, s, n);
    d[n] = 0;
    r->data.len = n;
    r->ascii = !(sc->acc & FL_HIGH);
    size_t nf = 0, pos = 0, ncut = sc->ncut;
    int blank_ok = ncut == 0;
    for (size_t c = 0;; c++) {
        char *e = ncut <= 64 ? (c < ncut ? d + sc->cut[c] : NULL) : memchr(d + pos, delim, n - pos);
        size_t end = e ? (size_t)(e - d) : n, b = pos;
        while (b < end && (d[b] == ' ' || (d[b] == '\t' && delim != '\t'))) b++;
        size_t z = end;
        while (z > b && (d[z - 1] == ' ' || (d[z - 1] == '\t' && delim != '\t'))) z--;
        if (nf >= r->capfields) r->off = rr_xgrow(r->off, &r->capfields, nf + 1, sizeof *r->off);
        if (nf >= r->capflen) r->flen = rr_xgrow(r->flen, &r->capflen, nf + 1, sizeof *r->flen);
        r->off[nf] = b;
        r->flen[nf] = z - b;
        d[z] = 0;
        nf++;
        if (!e) break;
        pos = end + 1;
    }
    if (blank_ok && r->flen[0] == 0) { r->data.len = 0; return 1; }   /* blank line: no record */
    r->nfields = nf;
    r->newlines = 0;
    on_record('\n', r);
    r->ascii = 0;
    return 1;
}

static int fast_line(rr_csv_row *r, const char *s, size_t n, char delim)
{
    if (n && s[n - 1] == '\r') n--;
    if (n > MAX_RECORD / 2) return 0;
    if (r->cls_delim != (unsigned char)delim) fast_classes(r, delim);
    /* one pass: the delimiters' places, and whether libcsv must take the line */
    line_scan sc;
    size_t i = 0;
    sc.ncut = 0;
    sc.acc = 0;
    const unsigned char *u = (const unsigned char *)s, *cls = r->cls;
#ifdef __SSE2__
    /* sixteen bytes at a time: quote / CR / NUL send the line to libcsv,
     * the delimiters' bits give their places, the top bits non-ASCII */
    const __m128i vd = _mm_set1_epi8(delim), vq = _mm_set1_epi8('"'), vr = _mm_set1_epi8('\r');
    const __m128i vz = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vq), _mm_cmpeq_epi8(x, vr)), _mm_cmpeq_epi8(x, vz));
        if (_mm_movemask_epi8(bad)) return 0;
        if (_mm_movemask_epi8(x)) sc.acc |= FL_HIGH;
        unsigned dm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd));
        while (dm) {
            if (sc.ncut < 64) sc.cut[sc.ncut++] = i + (size_t)__builtin_ctz(dm);
            else sc.ncut = 65;
            dm &= dm - 1;
        }
    }
#endif
    for (; i < n; i++) {
        unsigned k = cls[u[i]];
        if (!k) continue;
        sc.acc |= k;
        if (k & FL_BAIL) return 0;
        if ((k & FL_DELIM) && sc.ncut < 64) sc.cut[sc.ncut++] = i;
        else if (k & FL_DELIM) sc.ncut = 65;   /* more fields than kept here: count again below */
    }
    return fast_emit(r, s, n, delim, &sc);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_SCAN_AVX2 1
#include <immintrin.h>
/* The next line of s[0..avail) in one pass, 32 bytes at a time: its length
 * before the '\n' (SIZE_MAX: no '\n' in s), its delimiters, and *fast = 0
 * when libcsv must take it (a quote, a NUL or a CR other than a final one,
 * or too long); the same answers as memchr and fast_line's scan. */
__attribute__((target("avx2,bmi")))
static size_t scan_line_avx2(rr_csv_row *r, const char *s, size_t avail, char delim, line_scan *sc, int *fast)
{
    const unsigned char *u = (const unsigned char *)s;
    const __m256i vn = _mm256_set1_epi8('\n'), vd = _mm256_set1_epi8(delim), vq = _mm256_set1_epi8('"'),
                  vr = _mm256_set1_epi8('\r'), vz = _mm256_setzero_si256();
    size_t i = 0, nl = SIZE_MAX, nbad = 0, badat = 0;
    sc->ncut = 0;
    sc->acc = 0;
    for (; i + 32 <= avail; i += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(u + i));
        unsigned nm = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, vn));
        unsigned lim = nm ? (1u << __builtin_ctz(nm)) - 1 : 0xffffffffu;   /* the bytes before the '\n' */
        unsigned bad = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(
                           _mm256_or_si256(_mm256_cmpeq_epi8(x, vq), _mm256_cmpeq_epi8(x, vr)),
                           _mm256_cmpeq_epi8(x, vz))) & lim;
        if (bad) {
            if (!nbad) badat = i + (size_t)__builtin_ctz(bad);
            nbad += (size_t)__builtin_popcount(bad);
        }
        if ((unsigned)_mm256_movemask_epi8(x) & lim) sc->acc |= FL_HIGH;
        unsigned dm = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, vd)) & lim;
        while (dm) {
            if (sc->ncut < 64) sc->cut[sc->ncut++] = i + (size_t)__builtin_ctz(dm);
            else sc->ncut = 65;
            dm &= dm - 1;
        }
        if (nm) { nl = i + (size_t)__builtin_ctz(nm); break; }
    }
    if (nl == SIZE_MAX) {   /* the last bytes, one at a time */
        if (r->cls_delim != (unsigned char)delim) fast_classes(r, delim);
        for (; i < avail; i++) {
            if (u[i] == '\n') { nl = i; break; }
            unsigned k = r->cls[u[i]];
            if (!k) continue;
            sc->acc |= k;
            if (k & FL_BAIL) { if (!nbad) badat = i; nbad++; }
            if ((k & FL_DELIM) && sc->ncut < 64) sc->cut[sc->ncut++] = i;
            else if (k & FL_DELIM) sc->ncut = 65;
        }
        if (nl == SIZE_MAX) return SIZE_MAX;
    }
    /* a final CR is no field's: the line ends before it */
    int final_cr = nbad == 1 && badat + 1 == nl && u[badat] == '\r';
    *fast = (nbad == 0 || final_cr) && nl - (size_t)final_cr <= MAX_RECORD / 2;
    return nl;
}
#endif

/* ---- encodings ---- */
typedef struct {
    iconv_t cd;
    int active;
    char carry[16];
    size_t ncarry;
    char *out;
    size_t outcap;
} conv;

static int has_kana(const char *s, size_t n, long *cjk)
{
    int kana = 0;
    for (size_t i = 0; i + 2 < n; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)s[i + 1];
        if (a == 0xE3 && (b == 0x81 || b == 0x82 || b == 0x83)) kana++;
        if (a >= 0xE4 && a <= 0xE9) (*cjk)++;
    }
    return kana;
}

/* Decode a sample with one code page; returns the UTF-8 length, or 0 when invalid. */
static size_t try_decode(const char *enc, const char *s, size_t n, char *out, size_t cap)
{
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1) return 0;
    char *in = (char *)s, *o = out;
    size_t inl = n, outl = cap;
    size_t rc = iconv(cd, &in, &inl, &o, &outl);
    int ok = rc != (size_t)-1 || errno == EINVAL;   /* a cut sequence at the end is fine */
    iconv_close(cd);
    return ok ? (size_t)(o - out) : 0;
}

/* Which legacy code page a sample (not UTF-8, no BOM) is in. */
static const char *detect_legacy(const char *s, size_t n)
{
    size_t cap = n * 4 + 16;
    char *out = rr_xmalloc(cap);
    const char *pick = "CP1252";
    long cjk = 0;
    size_t k = try_decode("CP932", s, n, out, cap);
    if (k && has_kana(out, k, &cjk) > 0) { pick = "CP932"; goto out; }
    long hi = 0, lo = 0, low_case = 0, gb_pairs_bad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xC0) { hi++; if (c >= 0xE0) low_case++; }
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') lo++;
    }
    for (size_t i = 0; i < n; i++)   /* GB2312 text: lead 0xA1-0xF7, trail 0xA1-0xFE */
        if ((unsigned char)s[i] >= 0x81) {
            if (i + 1 < n && ((unsigned char)s[i + 1] < 0xA1 || (unsigned char)s[i] < 0xA1)) gb_pairs_bad++;
            i++;
        }
    /* Russian text in CP1251 is mostly lower-case letters 0xE0-0xFF; GBK lead bytes are spread */
    if (hi > 0 && hi * 4 > lo && low_case * 10 > hi * 6) { pick = "CP1251"; goto out; }
    cjk = 0;
    k = gb_pairs_bad ? 0 : try_decode("GB18030", s, n, out, cap);
    if (k) { has_kana(out, k, &cjk); if (cjk > 0) { pick = "GB18030"; goto out; } }
    if (hi > 0 && hi * 4 > lo) pick = "CP1251";
out:
    free(out);
    return pick;
}

/* Convert in (plus the carried bytes) into c->out; *outn = bytes produced. */
static rr_status conv_run(conv *c, const char *in, size_t n, size_t *outn, const char *path, long line,
                          const char *enc, rr_error *err)
{
    size_t total = c->ncarry + n;
    char *src = rr_xmalloc(total ? total : 1);
    memcpy(src, c->carry, c->ncarry);
    memcpy(src + c->ncarry, in, n);
    if (c->outcap < total * 4 + 16) { c->outcap = total * 4 + 16; c->out = rr_xrealloc(c->out, c->outcap); }
    char *ip = src, *op = c->out;
    size_t il = total, ol = c->outcap;
    rr_status st = RR_OK;
    c->ncarry = 0;
    while (il) {
        if (iconv(c->cd, &ip, &il, &op, &ol) != (size_t)-1) continue;
        if (errno == EINVAL && il < sizeof c->carry) { memcpy(c->carry, ip, il); c->ncarry = il; break; }
        long l = line;
        for (char *q = c->out; q < op; q++) if (*q == '\n') l++;
        st = rr_error_set(err, RR_ERR_INPUT, path, l, 0, NULL,
                          "byte 0x%02X is not valid %s text; name the file's encoding with --encoding",
                          (unsigned)(unsigned char)*ip, enc);
        break;
    }
    *outn = (size_t)(op - c->out);
    free(src);
    return st;
}

/* The delimiter of a sample's first lines (up to 30, quoted text left
 * out): the candidate whose count per line is the most consistent, i.e.
 * whose most common non-zero count is shared by the most lines; ties go to
 * the higher count, then to , ; TAB in that order.  (The largest count on
 * any line, the rule before, took a comma file for tab-separated when one
 * data line held three stray tabs.)  A title line before the header counts
 * for nothing; a semicolon file with decimal commas keeps its semicolons,
 * which its header has too. */
#define SNIFF_LINES 30
static char detect_delim(const char *s, size_t n)
{
    static const char cand[] = {',', ';', '\t'};
    int cnt[SNIFF_LINES + 1][3], cur[3] = {0, 0, 0};
    int lines = 0, q = 0;
    for (size_t i = 0; i < n && lines < SNIFF_LINES; i++) {
        char c = s[i];
        if (c == '"') q = !q;
        else if (c == '\n' && !q) {
            for (int k = 0; k < 3; k++) { cnt[lines][k] = cur[k]; cur[k] = 0; }
            lines++;
        } else if (!q)
            for (int k = 0; k < 3; k++) cur[k] += c == cand[k];
    }
    if (lines == 0) {   /* one line, cut by the end of the sample */
        for (int k = 0; k < 3; k++) cnt[0][k] = cur[k];
        lines = 1;
    }
    int pick = 0, best_lines = 0, best_count = 0;
    for (int k = 0; k < 3; k++) {
        int mode = 0, support = 0;
        for (int j = 0; j < lines; j++) {
            int v = cnt[j][k], same = 0;
            if (v == 0) continue;
            for (int m = 0; m < lines; m++) same += cnt[m][k] == v;
            if (same > support || (same == support && v > mode)) { support = same; mode = v; }
        }
        if (support > best_lines || (support == best_lines && mode > best_count)) {
            pick = k;
            best_lines = support;
            best_count = mode;
        }
    }
    return cand[pick];
}

/* The line feeder: complete lines go through fast_line while libcsv holds
 * no partial record; other lines (quotes, CRs, NULs) and every line of a
 * record libcsv has begun go to libcsv, one physical line per call, so
 * cur_line is always the line being parsed.  A line cut by the end of a
 * chunk waits in pend. */
typedef struct {
    struct csv_parser *p;
    rr_csv_row *r;
    char delim;
    int in_lib;            /* libcsv holds a partial record (odd quotes, or a line cut short) */
    int quotes;            /* parity of quotes libcsv saw in the current record */
    int eof;
    int fast;              /* the fast path is allowed (RR_CSV_LIBCSV=1 turns it off) */
    rr_strbuf pend;        /* start of a line cut by the end of a chunk */
} feeder;

static rr_status lib_parse(feeder *fd, const char *s, size_t n, int complete);
static rr_status lib_seg(feeder *fd, const char *s, size_t n, int complete)
{
    rr_csv_row *r = fd->r;
    char *clean = NULL;
    if (memchr(s, 0, n)) {
        /* NULs inside a quoted field of an export (CRM rich-text fields) are data to drop, noted; any
         * other NUL means a binary file or UTF-16 without a BOM */
        int q = fd->quotes, ok = r->opts != NULL;
        for (size_t i = 0; i < n && ok; i++) {
            if (s[i] == '"') q ^= 1;
            else if (!s[i] && !q) ok = 0;
        }
        if (!ok)
            return rr_error_set(r->err, RR_ERR_INPUT, r->path, r->cur_line, (long)r->nfields + 1, NULL,
                                "NUL byte in the file: not a text CSV file (or UTF-16 without a BOM)");
        clean = rr_xmalloc(n);
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            if (s[i]) clean[w++] = s[i];
            else if (r->stats) r->stats->nul_dropped++;
        s = clean;
        n = w;
    }
    rr_status st = lib_parse(fd, s, n, complete);
    free(clean);
    return st;
}

/* libcsv on one segment without NULs */
static rr_status lib_parse(feeder *fd, const char *s, size_t n, int complete)
{
    rr_csv_row *r = fd->r;
    size_t done = csv_parse(fd->p, s, n, on_field, on_record, r);
    if (r->st != RR_OK) return r->st;
    if (done != n) {
        /* the field libcsv was in: its column, its name when the header named it,
         * and the line its record starts on (a stray '"' opens a quoted field
         * that swallows the lines after it, and the error shows lines later) */
        long start = r->last_end + 1, col = (long)r->nfields + 1;
        const char *name = NULL;
        for (size_t i = 0; i < r->ncols && r->have_header; i++)
            if (r->map[i] == (long)r->nfields) name = r->cols[i].name;
        if (r->cur_line > start)
            return rr_error_set(r->err, RR_ERR_INPUT, r->path, start, col, name,
                                "malformed CSV: a quoted field opened on this line runs to line %ld and has text "
                                "after its closing quote: a stray '\"' in a value? (inside a quoted field write "
                                "a quote as \"\")", r->cur_line);
        return rr_error_set(r->err, RR_ERR_INPUT, r->path, r->cur_line, col, name,
                            "malformed CSV: a quote inside an unquoted field, or text after a closing quote "
                            "(quote the whole field and write a quote inside it as \"\")");
    }
    for (const char *q = s; (q = memchr(q, '"', (size_t)(s + n - q))) != NULL; q++) fd->quotes ^= 1;
    fd->in_lib = !complete || fd->quotes;
    if (!fd->in_lib) fd->quotes = 0;
    return RR_OK;
}

/* One complete line s[0..n) ending in '\n' (or the file's last line). */
static rr_status feed_line(feeder *fd, const char *s, size_t n, int complete)
{
    rr_status st;
    if (!fd->in_lib && complete && fd->fast && fast_line(fd->r, s, n - 1, fd->delim)) {
        if (fd->r->st != RR_OK) return fd->r->st;
    } else if ((st = lib_seg(fd, s, n, complete)) != RR_OK) {
        return st;
    }
    if (complete) fd->r->cur_line++;
    return RR_OK;
}

#ifdef HAVE_SCAN_AVX2
/* the CPU has AVX2 (and RR_CSV_AVX2=0 does not turn the scanner off) */
static int scan_avx2_ok(void)
{
    static atomic_int ok = -1;   /* every thread that gets here first computes the same value */
    int v = atomic_load_explicit(&ok, memory_order_relaxed);
    if (v < 0) {
        const char *e = getenv("RR_CSV_AVX2");
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") && !(e && !strcmp(e, "0"));
        atomic_store_explicit(&ok, v, memory_order_relaxed);
    }
    return v;
}
#endif

static rr_status feed_text(feeder *fd, const char *text, size_t tn)
{
    rr_status st;
    size_t pos = 0;
    if (fd->pend.len) {   /* finish the line the previous chunk cut */
        const char *nl = memchr(text, '\n', tn);
        size_t k = nl ? (size_t)(nl - text) + 1 : tn;
        rr_strbuf_add(&fd->pend, text, k);
        pos = k;
        if (nl || fd->eof) {
            st = feed_line(fd, fd->pend.data, fd->pend.len, nl != NULL);
            rr_strbuf_reset(&fd->pend);
            if (st) return st;
        } else if (fd->pend.len > CHUNK) {   /* a very long line: libcsv streams it */
            st = lib_seg(fd, fd->pend.data, fd->pend.len, 0);
            rr_strbuf_reset(&fd->pend);
            if (st) return st;
        }
    }
#ifdef HAVE_SCAN_AVX2
    while (pos < tn && !fd->in_lib && fd->fast && scan_avx2_ok()) {
        line_scan sc;
        int fast = 0;
        size_t n = scan_line_avx2(fd->r, text + pos, tn - pos, fd->delim, &sc, &fast);
        if (n == SIZE_MAX) break;   /* the rest of the chunk: no '\n' */
        if (fast) {
            size_t m = n && text[pos + n - 1] == '\r' ? n - 1 : n;
            fast_emit(fd->r, text + pos, m, fd->delim, &sc);
            if (fd->r->st != RR_OK) return fd->r->st;
        } else if ((st = lib_seg(fd, text + pos, n + 1, 1)) != RR_OK) {
            return st;
        }
        fd->r->cur_line++;
        pos += n + 1;
    }
#endif
    while (pos < tn) {
        const char *nl = memchr(text + pos, '\n', tn - pos);
        if (!nl) {
            if (fd->in_lib) {
                if ((st = lib_seg(fd, text + pos, tn - pos, 0))) return st;
            } else {
                rr_strbuf_add(&fd->pend, text + pos, tn - pos);
            }
            break;
        }
        size_t seg = (size_t)(nl - (text + pos)) + 1;
        if ((st = feed_line(fd, text + pos, seg, 1))) return st;
        pos += seg;
    }
    return RR_OK;
}

/* ---- parallel reading: a big file in n parts on n threads ----
 * n = the online cores (RR_CSV_THREADS overrides; at most MAX_PARTS).  The
 * main thread reads the header, then sets up parts 1..n-1 and starts their
 * threads.  Part k counts quotes from the file's start to k/n of it, takes
 * the first newline after that with an even count (outside any quoted field)
 * as its start S_k, and publishes it; part k parses [S_k, S_k+1) (the last
 * one to the end) with its own libcsv parser, a copy of the header mapping,
 * its own line count (newlines before S_k) and a fresh callback state from
 * split->fork, and the main thread parses [0, S_1).  A part learns where it
 * stops from the next part's S when it reads past that part's k/n mark.  The
 * parts are joined in file order (split->join), so rows, ids and errors are
 * those of a sequential read: the first part's error in file order wins; the
 * parts after it are dropped.  On a malformed file a quote count can be
 * wrong past the first error, but the part holding that error stops there,
 * before the next split.  A third role, the hasher, reads the whole file
 * again from the page cache for its SHA-256. */
typedef struct part {
    pthread_t th;
    int started;
    const rr_csv_split *split;
    rr_csv_row r;          /* the part's row state (header mapping shared read-only with the main) */
    rr_csv_stats stats;
    rr_error err;
    rr_status st;
    void *ud;              /* split->fork(main ud) */
    long long size, mid;
    size_t chunk;
    int fast;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int have_s;
    long long s;           /* split offset (valid with have_s) */
    long start_line;       /* line S starts on */
    atomic_int stop;       /* an earlier part failed: stop early */
    struct part *next;     /* the part after this one: its S is where this one ends (NULL: EOF) */
} part;

#define MAX_PARTS 16

static rr_status finish_feed(feeder *fd, struct csv_parser *p, rr_csv_row *r)
{
    rr_status st;
    if (fd->pend.len) {   /* a last line without a newline */
        fd->eof = 1;
        if ((st = feed_text(fd, "", 0))) return st;
    }
    if (csv_fini(p, on_field, on_record, r) != 0)
        return rr_error_set(r->err, RR_ERR_INPUT, r->path, r->last_end + 1, (long)r->nfields + 1, NULL,
                            "malformed CSV: the record starting on this line opens a quoted field that is "
                            "never closed (the file ends on line %ld)", r->cur_line);
    return r->st;
}

static void part_publish(part *pt, long long s, long line)
{
    pthread_mutex_lock(&pt->mu);
    pt->s = s;
    pt->start_line = line;
    pt->have_s = 1;
    pthread_cond_signal(&pt->cv);
    pthread_mutex_unlock(&pt->mu);
}

static long long part_split(part *pt);

static void *part_main(void *arg)
{
    part *pt = arg;
    rr_csv_row *r = &pt->r;
    struct csv_parser p;
    int parser_ready = 0;
    feeder fd;
    memset(&fd, 0, sizeof fd);
    char *buf = rr_xmalloc(pt->chunk);
    FILE *f = fopen(r->path, "rb");
    long long pos = 0, s = pt->size;
    long lines = 0;
    int q = 0;
    if (!f) { part_publish(pt, pt->size, 1); goto out; }
    /* find S: quotes and newlines counted from the start */
    size_t n;
    int found = 0;
    while (!found && (n = fread(buf, 1, pt->chunk, f)) > 0) {
        size_t i = 0;
        if (pos + (long long)n <= pt->mid) {   /* before the middle: counts only */
            for (const char *c = buf; (c = memchr(c, '"', (size_t)(buf + n - c))) != NULL; c++) q ^= 1;
            for (const char *c = buf; (c = memchr(c, '\n', (size_t)(buf + n - c))) != NULL; c++) lines++;
            pos += (long long)n;
            continue;
        }
        for (; i < n; i++) {
            char c = buf[i];
            if (c == '"') q ^= 1;
            else if (c == '\n') {
                lines++;
                if (!q && pos + (long long)i >= pt->mid) { s = pos + (long long)i + 1; found = 1; break; }
            }
        }
        pos += (long long)n;
    }
    part_publish(pt, s, lines + 1);
    if (!found || s >= pt->size) goto out;
    if (fseeko(f, (off_t)s, SEEK_SET) != 0) {
        pt->st = rr_error_set(&pt->err, RR_ERR_IO, r->path, lines + 1, 0, NULL, "cannot seek: %s", strerror(errno));
        goto out;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        pt->st = rr_error_set(&pt->err, RR_ERR_INTERNAL, r->path, 0, 0, NULL, "csv_init failed");
        goto out;
    }
    parser_ready = 1;
    csv_set_delim(&p, (unsigned char)pt->stats.delimiter);
    fd.p = &p;
    fd.r = r;
    fd.delim = pt->stats.delimiter;
    fd.fast = pt->fast;
    r->cur_line = lines + 1;
    r->last_end = lines;
    long long at = s, end_at = -1;   /* file offset of buf; the next part's S once known */
    int last = 0;
    while (!last && (n = fread(buf, 1, pt->chunk, f)) > 0) {
        if (atomic_load(&pt->stop)) goto out;
        pt->stats.bytes += (long long)n;
        long long to = at + (long long)n;
        if (pt->next && end_at < 0 && to > pt->next->mid) end_at = part_split(pt->next);
        if (end_at >= 0 && to > end_at) {   /* feed up to the next part's S only */
            n = end_at > at ? (size_t)(end_at - at) : 0;
            last = 1;
        }
        at = to;
        if ((pt->st = feed_text(&fd, buf, n))) goto out;
    }
    if (ferror(f)) {
        pt->st = rr_error_set(&pt->err, RR_ERR_IO, r->path, r->cur_line, 0, NULL, "read error: %s", strerror(errno));
        goto out;
    }
    pt->st = finish_feed(&fd, &p, r);
out:
    if (pt->st != RR_OK)   /* the parts after this one are dropped: let them stop */
        for (part *later = pt->next; later; later = later->next) atomic_store(&later->stop, 1);
    if (parser_ready) csv_free(&p);
    if (f) fclose(f);
    free(buf);
    rr_strbuf_free(&fd.pend);
    return NULL;
}

/* How many parts a big file is read in: RR_CSV_THREADS (tests: more parts
 * than cores), else one per online core, at most MAX_PARTS. */
static int parts_wanted(void)
{
    const char *env = getenv("RR_CSV_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    return n > MAX_PARTS ? MAX_PARTS : (int)n;
}

/* Set up part k of n (k >= 1; part 0 is the main thread) once the main
 * thread has the header (r). */
static void part_init(part *pt, const rr_csv_row *r, long long size, int k, int n, size_t chunk, int fast)
{
    part *next = pt->next;
    memset(pt, 0, sizeof *pt);
    pt->next = next;
    rr_csv_row *q = &pt->r;
    q->path = r->path; q->cols = r->cols; q->ncols = r->ncols; q->opts = r->opts;
    q->fn = r->fn; q->err = &pt->err; q->stats = &pt->stats;
    size_t nc = r->ncols ? r->ncols : 1;
    q->map = rr_xmalloc(nc * sizeof *q->map);
    memcpy(q->map, r->map, nc * sizeof *q->map);
    q->dup = r->dup;   /* shared, read-only */
    q->capture = r->capture;   /* shared, read-only; the main frees them */
    q->hdr = r->hdr;
    q->header_fields = r->header_fields;
    q->have_header = 1;
    q->ovr_off = rr_xcalloc(nc, sizeof *q->ovr_off);
    q->ovr_len = rr_xcalloc(nc, sizeof *q->ovr_len);
    q->ovr_set = rr_xcalloc(nc, 1);
    memset(&pt->stats, 0, sizeof pt->stats);
    pt->stats.delimiter = r->stats->delimiter;
    memset(&pt->err, 0, sizeof pt->err);
    pt->st = RR_OK;
    pt->size = size;
    pt->mid = size / n * k + size % n * k / n;   /* k/n of the file, without overflow */
    pt->chunk = chunk < 64 ? 64 : chunk;
    pt->fast = fast;
    pt->have_s = 0;
    atomic_init(&pt->stop, 0);
    pthread_mutex_init(&pt->mu, NULL);
    pthread_cond_init(&pt->cv, NULL);
}

static void part_free_row(part *pt)
{
    rr_csv_row *q = &pt->r;
    pthread_mutex_destroy(&pt->mu);
    pthread_cond_destroy(&pt->cv);
    free(q->map); free(q->ovr_off); free(q->ovr_len); free(q->ovr_set); free(q->off); free(q->flen);
    rr_strbuf_free(&q->data);
    rr_strbuf_free(&q->ovr);
}

/* Start parts 1..n-1 of a big file in pts[0..n-2] (pts[0]'s S is where the
 * main thread stops), or none; returns how many parts were set up (each
 * needs parts_end).  Every part is set up before any thread starts: a part
 * waits on the next one's S. */
static int parts_start(part *pts, const rr_csv_split *split, const rr_csv_row *r, long long size, long long done,
                       size_t chunk, int fast)
{
    const char *env = getenv("RR_CSV_SPLIT_MIN");   /* tests: split small files */
    long long min = 8LL * 1024 * 1024;
    if (env && *env) min = strtoll(env, NULL, 10);
    int n = parts_wanted();
    if (n < 2 || size < min || size / n <= done) return 0;
    for (int k = 1; k < n; k++) {
        part *pt = &pts[k - 1];
        pt->next = k + 1 < n ? &pts[k] : NULL;
        part_init(pt, r, size, k, n, chunk, fast);
        pt->split = split;
        pt->ud = split->fork(r->ud);
        pt->r.ud = pt->ud;
    }
    for (int k = 1; k < n; k++) {
        part *pt = &pts[k - 1];
        if (pthread_create(&pt->th, NULL, part_main, pt) != 0) {
            /* no thread: this part says it starts at the end of the file, so
             * the part before reads to EOF; the parts after it never start */
            part_publish(pt, size, 0);
            break;
        }
        pt->started = 1;
    }
    return n - 1;
}

/* The split offset (waits for the part thread to find it). */
static long long part_split(part *pt)
{
    pthread_mutex_lock(&pt->mu);
    while (!pt->have_s) pthread_cond_wait(&pt->cv, &pt->mu);
    long long s = pt->s;
    pthread_mutex_unlock(&pt->mu);
    return s;
}

/* Wait for the parts; with st == RR_OK join their rows and stats into the
 * main's in file order, up to the first part that failed (its error is the
 * one reported: the first error of the file); drop the rest. */
static rr_status parts_end(part *pts, int nparts, rr_status st, void *ud, rr_csv_stats *stats, rr_error *err)
{
    if (st != RR_OK)
        for (int k = 0; k < nparts; k++) atomic_store(&pts[k].stop, 1);
    for (int k = 0; k < nparts; k++)
        if (pts[k].started) pthread_join(pts[k].th, NULL);
    for (int k = 0; k < nparts; k++) {
        part *pt = &pts[k];
        if (!pt->started) {           /* parts that could not start (read nothing) */
            pt->split->drop(pt->ud);
            part_free_row(pt);
            continue;
        }
        if (st == RR_OK) {   /* the part's rows (up to its error, if any) follow, as in a sequential read */
            rr_csv_stats *a = &pt->stats;
            stats->rows += a->rows;
            stats->rows_used += a->rows_used;
            stats->rows_skipped += a->rows_skipped;
            stats->rows_rejected += a->rows_rejected;
            stats->rows_footer += a->rows_footer;
            for (int i = 0; i < a->nrejects && stats->nrejects < RR_CSV_REJECTS; i++)
                memcpy(stats->rejects[stats->nrejects++], a->rejects[i], sizeof a->rejects[i]);
            rr_error jerr;
            st = pt->split->join(ud, pt->ud, &jerr);
            if (pt->st != RR_OK) {
                st = pt->st;
                if (err) *err = pt->err;
            } else if (st != RR_OK && err) {
                *err = jerr;
                if (!err->file[0]) snprintf(err->file, sizeof err->file, "%s", pt->r.path);
            }
        } else {
            pt->split->drop(pt->ud);
        }
        pt->started = 0;
        part_free_row(pt);
    }
    return st;
}


/* An .xlsx workbook (rr_xlsx_kind): its sheet's rows go through on_record
 * as CSV records do (header, footers, prepare, fn), so profiles and tables
 * read it as they read CSV; a row's line is its row number and a field's
 * column its column (A = 1), and an error's location becomes
 * "path: sheet 'S' cell C14".  The checksum is that of the file's bytes. */
static rr_status read_xlsx(rr_csv_row *r, FILE *f, rr_csv_stats *stats, rr_error *err)
{
    rr_xlsx *x = NULL;
    const rr_xlsx_row *row;
    rr_sha256 sha;
    char buf[65536];
    size_t n;
    rr_status st;
    rr_sha256_init(&sha);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (!r->raw) rr_sha256_update(&sha, buf, n);
        stats->bytes += (long long)n;
    }
    snprintf(stats->encoding, sizeof stats->encoding, "XLSX");
    stats->delimiter = ',';
    if ((st = rr_xlsx_open(r->path, r->opts ? r->opts->sheet : NULL, &x, err))) goto out;
    r->sheet = rr_xlsx_sheet(x);
    while ((st = rr_xlsx_next(x, &row, err)) == RR_OK && row) {
        size_t nf = row->ncells;
        if (r->have_header && nf < r->header_fields) nf = r->header_fields;   /* empty cells at the end */
        r->cur_line = row->row;
        for (size_t c = 0; c < nf; c++)
            on_field((void *)(c < row->ncells ? row->cell[c] : ""), c < row->ncells ? row->len[c] : 0, r);
        r->newlines = 0;   /* a cell's line breaks are no lines of the file */
        on_record(0, r);
        if ((st = r->st) != RR_OK) break;
    }
    if (st == RR_OK && !r->have_header && !r->raw)
        st = r->preamble ? rr_error_set(err, RR_ERR_MISSING, r->path, 1, 0, NULL, "no header row with the expected "
                                        "columns in the sheet's first %ld rows", r->preamble)
                         : rr_error_set(err, RR_ERR_INPUT, r->path, 0, 0, NULL, "empty sheet '%s': no header row",
                                        r->sheet);
    if (st == RR_OK && !r->raw) rr_sha256_final(&sha, stats->sha256);
    if (st != RR_OK && st != RR_ERR_LIMIT && err && err->line > 0 && !strcmp(err->file, r->path)) {
        char ref[32], file[sizeof err->file];
        rr_xlsx_cellref(err->column, err->line, ref, sizeof ref);
        snprintf(file, sizeof file, "%s: sheet '%s' %s%s", r->path, r->sheet, err->column > 0 ? "cell " : "", ref);
        memcpy(err->file, file, sizeof file);
        err->line = err->column = 0;
    }
out:
    r->sheet = NULL;
    rr_xlsx_close(x);
    return st;
}

static rr_status read_file(const char *path, const rr_csv_col *cols, size_t ncols, const rr_csv_opts *opts,
                           const rr_csv_split *split, rr_csv_row_fn fn, void *ud, rr_csv_stats *stats,
                           rr_strbuf *raw, int raw_max, rr_error *err)
{
    struct csv_parser p;
    rr_csv_row r;
    rr_csv_stats local;
    rr_sha256 sha;
    rr_status st = RR_OK;
    FILE *f = NULL;
    char *buf = NULL;
    int parser_ready = 0;
    conv cv;
    const char *enc = "UTF-8";
    feeder fd;
    part *pts = NULL;      /* parts 1.. of a big file read in parallel (parts_start) */
    int nparts = 0, split_tried = 0;
    long long fsize = -1, fpos = 0, split_at = -1;
    int hashing_rest = 0;
    rr_csv_digest *hs = NULL;

    memset(&r, 0, sizeof r);
    memset(&fd, 0, sizeof fd);
    fd.p = &p;
    fd.r = &r;
    const char *lib_only = getenv("RR_CSV_LIBCSV");
    fd.fast = !(lib_only && *lib_only == '1');
    memset(&cv, 0, sizeof cv);
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    r.path = path; r.cols = cols; r.ncols = ncols; r.fn = fn; r.ud = ud; r.err = err; r.stats = stats;
    r.opts = opts; r.raw = raw; r.raw_max = raw_max;
    r.cur_line = 1;
    size_t nc = ncols ? ncols : 1;
    r.map = rr_xcalloc(nc, sizeof *r.map);
    r.dup = rr_xcalloc(nc, sizeof *r.dup);
    for (size_t i = 0; i < ncols; i++) r.map[i] = r.dup[i] = -1;
    r.capture = rr_xcalloc(nc, sizeof *r.capture);
    r.hdr = rr_xcalloc(nc, sizeof *r.hdr);
    r.ovr_off = rr_xcalloc(nc, sizeof *r.ovr_off);
    r.ovr_len = rr_xcalloc(nc, sizeof *r.ovr_len);
    r.ovr_set = rr_xcalloc(nc, 1);
    rr_sha256_init(&sha);

    /* regular files only: a FIFO would block, a device never end */
    if (!(f = rr_fsafe_fopen_input(path, err))) {
        st = err && err->msg[0] && strstr(err->msg, "regular") ? RR_ERR_INPUT : RR_ERR_IO;
        goto out;
    }
    if (rr_xlsx_kind(path)) {   /* a workbook (or a zip, or an encrypted one: the error says which) */
        st = read_xlsx(&r, f, stats, err);
        goto out;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        st = rr_error_set(err, RR_ERR_INTERNAL, path, 0, 0, NULL, "csv_init failed");
        goto out;
    }
    parser_ready = 1;
    struct stat sb;
    if (split && !raw && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) fsize = (long long)sb.st_size;
    size_t chunk = CHUNK;
    const char *cenv = getenv("RR_CSV_CHUNK");   /* tests: tiny reads put lines across chunks */
    if (cenv && *cenv) {
        unsigned long v = strtoul(cenv, NULL, 10);
        if (v >= 1 && v <= CHUNK) chunk = v;
    }
    buf = rr_xmalloc(chunk < 64 ? 64 : chunk);
    size_t n;
    int first = 1;
    snprintf(stats->encoding, sizeof stats->encoding, "UTF-8");
    stats->delimiter = ',';
    while ((n = fread(buf, 1, first && chunk < 64 ? 64 : chunk, f)) > 0) {   /* >= 64 B: BOM, delimiter */
        if (!raw && !hs) rr_sha256_update(&sha, buf, n);
        stats->bytes += (long long)n;
        long long at = fpos;
        fpos += (long long)n;
        if (hashing_rest) {   /* past the split: the part thread parses this */
            if (hs) break;   /* and the hasher hashes it */
            continue;
        }
        if (nparts && split_at < 0 && fpos > pts[0].mid) split_at = part_split(&pts[0]);
        if (split_at >= 0 && fpos > split_at) {   /* feed up to S only */
            n = split_at > at ? (size_t)(split_at - at) : 0;
            hashing_rest = 1;
        }
        const char *text = buf;
        size_t tn = n;
        if (first) {
            first = 0;
            const unsigned char *u = (const unsigned char *)buf;
            const char *from = NULL;
            size_t skip = 0;
            if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
                skip = 3;
                snprintf(stats->encoding, sizeof stats->encoding, "UTF-8 (BOM)");
            } else if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) { from = "UTF-16LE"; skip = 2; }
            else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) { from = "UTF-16BE"; skip = 2; }
            else if (opts && opts->encoding && utf8_invalid_at2(u, n, 1) != (size_t)-1) {
                from = strcasecmp(opts->encoding, "auto") == 0 ? detect_legacy(buf, n) : opts->encoding;
            }
            if (from && strcasecmp(from, "UTF-8") && strcasecmp(from, "UTF8")) {
                cv.cd = iconv_open("UTF-8", from);
                if (cv.cd == (iconv_t)-1) {
                    st = rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, NULL,
                                      "unknown encoding \"%s\" (use an iconv name such as CP932, GB18030, "
                                      "CP1251, CP1252)", from);
                    goto out;
                }
                cv.active = 1;
                enc = from;
                snprintf(stats->encoding, sizeof stats->encoding, "%s", from);
            }
            text += skip; tn -= skip;
            if (cv.active) {
                if ((st = conv_run(&cv, text, tn, &tn, path, r.cur_line, enc, err))) goto out;
                text = cv.out;
            }
            if (opts && opts->delimiter) {
                stats->delimiter = opts->delimiter;
            } else {
                /* the sample is the file's first 64 KiB whatever the read size (RR_CSV_CHUNK), when
                 * it is read as is; a converted file's is its first converted chunk */
                char *sample = NULL;
                ssize_t sn = -1;
                if (!cv.active && tn < SNIFF_BYTES && !feof(f)) {
                    sample = rr_xmalloc(SNIFF_BYTES);
                    sn = pread(fileno(f), sample, SNIFF_BYTES, (off_t)skip);
                }
                stats->delimiter = sn > (ssize_t)tn ? detect_delim(sample, (size_t)sn) : detect_delim(text, tn);
                free(sample);
            }
            csv_set_delim(&p, (unsigned char)stats->delimiter);
            fd.delim = stats->delimiter;
        } else if (cv.active) {
            if ((st = conv_run(&cv, text, tn, &tn, path, r.cur_line, enc, err))) goto out;
            text = cv.out;
        }
        if ((st = feed_text(&fd, text, tn))) goto out;
        if (split && !split_tried && !hashing_rest && r.have_header && !cv.active && fsize > 0 && r.st == RR_OK) {
            split_tried = 1;
            pts = rr_xcalloc(MAX_PARTS - 1, sizeof *pts);
            nparts = parts_start(pts, split, &r, fsize, fpos, chunk, fd.fast);
            if (nparts && !raw) hs = rr_csv_digest_start(path, chunk);
        }
    }
    if (ferror(f)) {
        st = rr_error_set(err, RR_ERR_IO, path, r.cur_line, 0, NULL, "read error: %s", strerror(errno));
        goto out;
    }
    if (cv.ncarry) {
        st = rr_error_set(err, RR_ERR_INPUT, path, r.cur_line, 0, NULL,
                          "the file ends inside a %s character (truncated file?)", enc);
        goto out;
    }
    if ((st = finish_feed(&fd, &p, &r))) goto out;
    if (!r.have_header && !raw) {
        if (r.preamble)
            st = rr_error_set(err, RR_ERR_MISSING, path, 1, 0, NULL,
                              "no header row with the expected columns in the file's first %ld lines", r.preamble);
        else
            st = rr_error_set(err, RR_ERR_INPUT, path, 1, 0, NULL, "empty file: no header row");
        goto out;
    }
    if (!hs && !raw) rr_sha256_final(&sha, stats->sha256);
out:
    st = parts_end(pts, nparts, st, ud, stats, err);
    if (hs && st == RR_OK) {   /* the parts read the whole file: its sum is kept coming */
        rr_csv_digest_expect(hs, stats->bytes = fsize);
        stats->pending = hs;
        hs = NULL;
        const char *w = getenv("RR_CSV_HASH_WAIT");
        if (w && !strcmp(w, "1")) {
            st = rr_csv_stats_sha256(stats, path, stats->sha256, err);
            rr_csv_stats_release(stats);
        }
    }
    rr_csv_digest_free(hs);
    free(pts);
    if (raw && st == RR_ERR_LIMIT) st = RR_OK;
    if (parser_ready) csv_free(&p);
    if (f) fclose(f);
    if (cv.active) iconv_close(cv.cd);
    free(cv.out);
    free(buf);
    clear_header(&r);
    free(r.map);
    free(r.dup);
    free(r.capture);
    free(r.hdr);
    free(r.ovr_off);
    free(r.ovr_len);
    free(r.ovr_set);
    free(r.off);
    free(r.flen);
    rr_strbuf_free(&r.data);
    rr_strbuf_free(&r.ovr);
    rr_strbuf_free(&fd.pend);
    return st;
}

rr_status rr_csv_read_opts(const char *path, const rr_csv_col *cols, size_t ncols, const rr_csv_opts *opts,
                           rr_csv_row_fn fn, void *ud, rr_csv_stats *stats, rr_error *err)
{
    return read_file(path, cols, ncols, opts, NULL, fn, ud, stats, NULL, 0, err);
}

rr_status rr_csv_read_split(const char *path, const rr_csv_col *cols, size_t ncols, const rr_csv_split *split,
                            rr_csv_row_fn fn, void *ud, rr_csv_stats *stats, rr_error *err)
{
    return read_file(path, cols, ncols, NULL, split, fn, ud, stats, NULL, 0, err);
}

rr_status rr_csv_read(const char *path, const rr_csv_col *cols, size_t ncols, rr_csv_row_fn fn,
                      void *ud, rr_csv_stats *stats, rr_error *err)
{
    return read_file(path, cols, ncols, NULL, NULL, fn, ud, stats, NULL, 0, err);
}

rr_status rr_csv_sniff(const char *path, const char *legacy, int max_lines, char **out, char *delim,
                       char *encoding, size_t enccap, rr_error *err)
{
    rr_strbuf sb;
    rr_csv_stats st;
    rr_csv_opts o;
    memset(&sb, 0, sizeof sb);
    memset(&o, 0, sizeof o);
    o.encoding = legacy;
    rr_status s = read_file(path, NULL, 0, &o, NULL, NULL, NULL, &st, &sb, max_lines, err);
    if (delim) *delim = st.delimiter;
    if (encoding) snprintf(encoding, enccap, "%s", st.encoding);
    rr_strbuf_add(&sb, "\x1f", 2);   /* end mark (a record never starts with 0x1F), then NUL */
    *out = sb.data;
    if (s != RR_OK) { free(sb.data); *out = NULL; }
    return s;
}
