/* csvin.h: streaming CSV input on libcsv, with header mapping and locations.
 *
 *   static const rr_csv_col cols[] = {{"opportunity_id", 1}, {"amount", 1}, {"owner", 0}};
 *   rr_status on_row(const rr_csv_row *row, void *ud, rr_error *err) {
 *       size_t n; const char *amt = rr_csv_get(row, 1, &n);
 *       if (bad) return rr_csv_fail(row, 1, err, "not a number: \"%.*s\"", (int)n, amt);
 *       return RR_OK;
 *   }
 *   rr_csv_stats st;
 *   rr_status s = rr_csv_read("in/opportunities.csv", cols, 3, on_row, ud, &st, &err);
 *
 * The file is streamed in 256 KiB chunks: memory is one record, whatever the
 * file size.  Lines without quotes are split by a fast path that gives what
 * libcsv gives; libcsv (the reference) parses the others, one physical line
 * per call: every row knows the line it started on, and errors name file,
 * line, column (1-based field number in the file) and field name.
 * RR_CSV_LIBCSV=1 sends every line to libcsv; RR_CSV_CHUNK=n reads n bytes
 * at a time (tests).
 * Header names match case-insensitively, ignoring surrounding spaces and a
 * UTF-8 BOM; extra columns are ignored; column order is free.  Rows with
 * fewer fields than the header are an error; blank lines are skipped.
 * An .xlsx workbook (told by its bytes, whatever its name) is read the same
 * way, its rows through xlsxin.h: a row's line is its row number, a field's
 * column its column (A = 1), and errors name "file: sheet 'S' cell C14". */
#ifndef RR_CSVIN_H
#define RR_CSVIN_H
#include <stddef.h>
#include "revreport/status.h"
#include "revreport/csvdigest.h"

typedef struct {
    const char *name;      /* canonical column name */
    int required;
} rr_csv_col;

typedef struct rr_csv_row rr_csv_row;

/* Called once per data record.  Return RR_OK to go on; any other status
 * stops the read and is returned by rr_csv_read (fill err first, e.g. with
 * rr_csv_fail). */
typedef rr_status (*rr_csv_row_fn)(const rr_csv_row *row, void *ud, rr_error *err);

#define RR_CSV_REJECTS 5   /* rejected rows whose reason is kept (all are counted) */
#define RR_CSV_FOOTERS 8   /* footer rows whose amount cell is kept */

typedef struct {
    long rows;             /* data records read (header, preamble and footer rows excluded) */
    long rows_used;        /* rows the callback accepted (it returns RR_OK and did not skip) */
    long rows_skipped;     /* rows the callback skipped with rr_csv_skip() */
    long rows_rejected;    /* lenient reads: rows the callback or the reader rejected */
    long rows_footer;      /* summary/footer rows recognised and skipped (Total:, Grand Totals...) */
    long rows_preamble;    /* lines before the header (report titles, date ranges) */
    long long bytes;
    unsigned char sha256[32];   /* read it with rr_csv_stats_sha256: a split read may still be computing it */
    rr_csv_digest *pending;     /* that computation (NULL when done); rr_csv_stats_release frees it */
    char encoding[24];     /* "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "CP932", ... */
    char delimiter;        /* ',' ';' or '\t' */
    int nrejects;          /* reasons kept below (<= RR_CSV_REJECTS) */
    char rejects[RR_CSV_REJECTS][320];   /* "line 7, column 4 (amount): not an amount: ..." */
    int nfooter_amounts;   /* footer rows with a cell in the column named "amount" (<= RR_CSV_FOOTERS) */
    char footer_amounts[RR_CSV_FOOTERS][48];   /* that cell as written ("2,583.82"): the file's own total */
    long footer_lines[RR_CSV_FOOTERS];
    long nul_dropped;      /* NUL bytes dropped from text lines (rich-text fields of CRM exports) */
} rr_csv_stats;

/* How to read a file that is not canonical (rr_csv_read_opts). */
typedef struct {
    const char *encoding;  /* for files without BOM that are not UTF-8: an iconv name ("CP932"),
                              "auto" (detect CP932 / GB18030 / CP1251 / CP1252) or NULL (error) */
    char delimiter;        /* 0 = detect among , ; TAB */
    const char *const *const *aliases;   /* per column: NULL-terminated header patterns, matched
                              case-insensitively; one '*' matches anything and is captured
                              ("Amount spent (*)"); NULL or a NULL entry = the column's name */
    const unsigned char *provided;  /* per column: 1 when `prepare` supplies it (not required in the header) */
    int max_preamble;      /* records before the header that may be skipped */
    const char *const *footers;     /* NULL-terminated prefixes of rows to skip and count */
    const char *empty;     /* a value that means empty ("--"), or NULL */
    rr_csv_row_fn prepare; /* called before fn on every data row; may rr_csv_set() values */
    void *prepare_ud;
    int lenient;           /* rows that fn rejects with RR_ERR_INPUT, and short rows, are counted
                              in rows_rejected (reasons of the first few kept) instead of stopping */
    const char *sheet;     /* an .xlsx workbook: the sheet to read (NULL = the first visible one) */
} rr_csv_opts;


/* Read path, mapping its header onto cols.  Errors: RR_ERR_IO (cannot
 * open/read), RR_ERR_MISSING (a required column is absent), RR_ERR_INPUT
 * (malformed CSV, short row, invalid UTF-8 in a mapped field), or what the
 * callback returned.  stats may be NULL. */
rr_status rr_csv_read(const char *path, const rr_csv_col *cols, size_t ncols, rr_csv_row_fn fn,
                      void *ud, rr_csv_stats *stats, rr_error *err);

/* The same with options (opts may be NULL = canonical: UTF-8 or UTF-16 with
 * BOM, delimiter detected, header on the first record).  Line numbers in
 * errors are those of the original file, whatever its encoding.  Errors as
 * rr_csv_read, plus RR_ERR_CONFIG for an unknown encoding name. */
rr_status rr_csv_read_opts(const char *path, const rr_csv_col *cols, size_t ncols, const rr_csv_opts *opts,
                           rr_csv_row_fn fn, void *ud, rr_csv_stats *stats, rr_error *err);

/* Reading one big file in parts on several threads (rr_csv_read_split): the
 * rows of each part after the first go to a callback state of its own made
 * by fork(ud), on its own thread; after all parts, join(ud, part, err)
 * appends a part's rows to ud (it is called on the main thread, in file
 * order, so ids and order are those of a sequential read) and frees part;
 * drop(part) frees a part whose rows are not wanted (an error).  join
 * returns RR_OK or an error status (err filled). */
typedef struct {
    void *(*fork)(void *ud);
    rr_status (*join)(void *ud, void *part, rr_error *err);
    void (*drop)(void *part);
} rr_csv_split;

/* rr_csv_read, in parts on one thread per core (RR_CSV_THREADS=n sets the
 * number) when the file is UTF-8 and at least 8 MiB (RR_CSV_SPLIT_MIN=bytes
 * changes the threshold): the splits are newlines outside quotes near k/n of
 * the file, and rows, stats, checksum and errors (the first one in file
 * order) are those of rr_csv_read.  fn must touch only its ud (the parts'
 * callbacks run on other threads). */
rr_status rr_csv_read_split(const char *path, const rr_csv_col *cols, size_t ncols, const rr_csv_split *split,
                            rr_csv_row_fn fn, void *ud, rr_csv_stats *stats, rr_error *err);

/* The file's SHA-256 into out.  rr_csv_read_split returns before the sum
 * of the file is known: a thread of its own reads the file again at the
 * lowest priority (nice 19: it runs on what the rest leaves of the cores),
 * and this finishes the sum where that thread got to.  RR_ERR_IO with err set (file = path) when the file could not be read
 * again or its size changed while it was read (out is then zeros).
 * RR_CSV_HASH_WAIT=1 makes rr_csv_read_split wait for the sum itself. */
rr_status rr_csv_stats_sha256(const rr_csv_stats *s, const char *path, unsigned char out[32], rr_error *err);
/* Waits for the checksums of v[0..n) (NULL entries allowed) still being
 * computed, each on a thread of its own (then rr_csv_stats_sha256 has them). */
void rr_csv_stats_settle(const rr_csv_stats *const *v, size_t n);
/* Stops and frees a checksum still being computed (s->pending); stats that
 * a read filled must be released before they are dropped or read into again. */
void rr_csv_stats_release(rr_csv_stats *s);

/* Sniff the start of a file: encoding (as in rr_csv_read_opts, legacy = the
 * opts encoding), delimiter, and the first max_lines records (fields as
 * NUL-terminated strings, each record ended by 0x1E, the whole by 0x1F, in *out, owned by the
 * caller, free()).  Returns RR_OK or RR_ERR_IO/RR_ERR_INPUT. */
rr_status rr_csv_sniff(const char *path, const char *legacy, int max_lines, char **out, char *delim,
                       char *encoding, size_t enccap, rr_error *err);

/* Set (override) the value of column i for the current row; used by a
 * prepare hook.  The bytes are copied. */
void rr_csv_set(const rr_csv_row *row, size_t i, const char *s, size_t len);
/* What the '*' of column i's header pattern matched ("EUR"), "" when none. */
const char *rr_csv_capture(const rr_csv_row *row, size_t i);
/* The header cell column i was mapped from, "" when absent. */
const char *rr_csv_header(const rr_csv_row *row, size_t i);
/* Number of columns (cols) of the read */
size_t rr_csv_ncols(const rr_csv_row *row);
/* Canonical name of column i */
const char *rr_csv_colname(const rr_csv_row *row, size_t i);

/* Field i (index into cols) of a row: pointer to its bytes (NUL-terminated)
 * and length; "" with len 0 when the column is absent from the file. */
const char *rr_csv_get(const rr_csv_row *row, size_t i, size_t *len);
/* 1 when column i exists in the file's header */
int rr_csv_has(const rr_csv_row *row, size_t i);
/* Line the record started on (1-based, header is line 1 or later). */
long rr_csv_line(const rr_csv_row *row);
/* Fill err with "file:line:column: field 'name': msg" and the record; returns RR_ERR_INPUT. */
rr_status rr_csv_fail(const rr_csv_row *row, size_t i, rr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Mark the current row as skipped (counted in stats.rows_skipped). */
void rr_csv_skip(const rr_csv_row *row);
/* 1 when columns a and b are read from the same field of the file (a profile
 * that falls back to one header for both, e.g. Opportunity Name as the id) */
int rr_csv_same_source(const rr_csv_row *row, size_t a, size_t b);
/* Line k (0-based, up to 4) of the lines before the header (a report's
 * title, its date range), cells joined by spaces; NULL when there is none. */
const char *rr_csv_preamble(const rr_csv_row *row, int k);
/* The file path being read */
const char *rr_csv_path(const rr_csv_row *row);


#endif
