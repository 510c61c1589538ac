/* doc.h: the report as a document model, independent of output format.
 *
 * The builder (report.c) fills a rr_doc with already-formatted, already
 * translated text; the HTML writer (html.c) and the PDF writer (pdf.c) each
 * render the same rr_doc, so both show the same numbers.
 *
 *   rr_doc *d = rr_doc_new("en");
 *   rr_doc_section *s = rr_doc_section(d, "summary", "Executive summary");
 *   rr_doc_para(s, "Revenue won ...");
 *   rr_table *t = rr_doc_table(s, "Won revenue by month", 3, headers, aligns);
 *   rr_table_row(t, RR_ROW_NORMAL, cells);
 *   rr_doc_chart(s, chart, "Won revenue vs target");   // the doc now owns chart
 *   ...
 *   rr_doc_free(d);
 *
 * Ownership: the doc owns every string (copied in) and every chart given to
 * it.  All text is UTF-8; writers escape it through their libraries. */
#ifndef RR_DOC_H
#define RR_DOC_H
#include <stddef.h>
#include "revreport/chart.h"

typedef enum { RR_ALIGN_LEFT = 0, RR_ALIGN_RIGHT = 1, RR_ALIGN_CENTER = 2 } rr_align;
typedef enum { RR_ROW_NORMAL = 0, RR_ROW_TOTAL = 1, RR_ROW_MUTED = 2 } rr_row_kind;
/* colour of one cell's text: a plan status (on track / at risk / off track) */
typedef enum { RR_TONE_NONE = 0, RR_TONE_GOOD = 1, RR_TONE_WARN = 2, RR_TONE_BAD = 3 } rr_tone;

typedef struct {
    char *caption;
    size_t ncols;
    char **headers;        /* ncols */
    rr_align *align;       /* ncols */
    size_t nrows;
    char **cells;          /* nrows * ncols, row-major; "" for empty */
    rr_row_kind *row_kind; /* nrows */
    unsigned char *tone;   /* nrows * ncols rr_tone, or NULL when no cell has one */
    size_t cap;
} rr_table;

typedef struct {
    char *label;           /* "Revenue won" */
    char *value;           /* "$1,234,567" */
    char *delta;           /* "+12% vs Sep" (may be NULL) */
    int trend;             /* -1 down, 0 flat/unknown, +1 up */
    int good;              /* +1 the change is good, -1 bad, 0 neutral */
    char *note;            /* "98% of target" (may be NULL) */
    double *spark;         /* sparkline values (may be NULL) */
    size_t nspark;
} rr_kpi;

typedef enum {
    RR_BLOCK_PARA,         /* text */
    RR_BLOCK_LIST,         /* items (bulleted) */
    RR_BLOCK_KPIS,         /* kpis */
    RR_BLOCK_TABLE,        /* table */
    RR_BLOCK_CHART,        /* chart (+ its data table as text alternative) */
    RR_BLOCK_WARN,         /* items shown as warnings (data quality, left-out sections) */
    RR_BLOCK_STATUS,       /* a status in colour and in words: items[0] the word ("At risk"),
                              text the sentence, status 1 on track, 2 at risk, 3 off track */
    RR_BLOCK_SUBHEAD       /* text: a heading inside a section ("What to do") */
} rr_block_kind;

typedef struct {
    rr_block_kind kind;
    char *text;            /* PARA; caption for CHART */
    char **items;          /* LIST, WARN */
    size_t nitems;
    rr_kpi *kpis;          /* KPIS */
    size_t nkpis;
    rr_table *table;       /* TABLE */
    rr_chart *chart;       /* CHART */
    int note;              /* PARA: a note on the block before it (rounding, a reconciliation),
                              not an intro of the block after it: the PDF keeps it with the
                              block before, and both writers set it smaller */
    int status;            /* STATUS: 1 on track (good), 2 at risk (warn), 3 off track (bad) */
} rr_block;

typedef struct {
    char *id;              /* stable id: "summary", "forecast", "roi", ... */
    char *title;
    rr_block *blocks;
    size_t nblocks, cap;
} rr_doc_section;

typedef struct rr_doc {
    char *lang;            /* "en" */
    char *title;           /* "Revenue marketing report" */
    char *period_label;    /* "October 2026" */
    char *company;
    char *logo_path;       /* may be NULL */
    char *generated;       /* "Generated 2026-11-01 06:00 UTC" */
    char *confidentiality; /* "Confidential: for internal use" */
    char *banner;          /* a warning for page 1 (stale inputs, fresh.h), or NULL */
    char *author, *subject, *keywords;   /* PDF metadata */
    const char *(*tr)(const void *cat, const char *key);  /* catalogue lookup */
    const void *cat;
    rr_chart_env chart_env;   /* text measurement + formatting for charts */
    rr_doc_section *sections;
    size_t nsections, cap;
} rr_doc;

rr_doc *rr_doc_new(const char *lang);
void rr_doc_free(rr_doc *d);                  /* accepts NULL */
/* Set one of the string fields of the doc (copies value). */
void rr_doc_set(char **field, const char *value);
/* Translate a writer's own label ("pdf.page") through the doc's catalogue. */
const char *rr_doc_tr(const rr_doc *d, const char *key);

rr_doc_section *rr_doc_section_add(rr_doc *d, const char *id, const char *title);
void rr_doc_para(rr_doc_section *s, const char *text);
void rr_doc_note(rr_doc_section *s, const char *text);   /* a PARA with note = 1 */
void rr_doc_list(rr_doc_section *s, rr_block_kind kind, size_t n, const char *const *items);
rr_kpi *rr_doc_kpis(rr_doc_section *s, size_t n);   /* returns n zeroed tiles to fill with rr_doc_set */
rr_table *rr_doc_table(rr_doc_section *s, const char *caption, size_t ncols,
                       const char *const *headers, const rr_align *align);
void rr_table_row(rr_table *t, rr_row_kind kind, const char *const *cells);
void rr_doc_chart(rr_doc_section *s, rr_chart *chart, const char *caption);
/* A status line: status 1 on track, 2 at risk, 3 off track; word says the same. */
void rr_doc_status(rr_doc_section *s, int status, const char *word, const char *text);
void rr_doc_subhead(rr_doc_section *s, const char *text);
/* Move block from to index to (the blocks between shift by one). */
void rr_doc_move(rr_doc_section *s, size_t from, size_t to);
/* Colour cell col of the last row added (the words must say the same). */
void rr_table_tone(rr_table *t, size_t col, rr_tone tone);
/* The tone of a cell (RR_TONE_NONE when none was set). */
rr_tone rr_table_cell_tone(const rr_table *t, size_t row, size_t col);

#endif
