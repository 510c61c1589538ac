/* xlsxin.h: the rows of one sheet of an .xlsx workbook, as text cells
 * (libzip unzips, libxml2's xmlTextReader streams the sheet's XML).
 *
 *   rr_xlsx *x = NULL;
 *   if (rr_xlsx_open("spend.xlsx", NULL, &x, &err) != RR_OK) goto out;   // NULL: the first sheet
 *   const rr_xlsx_row *row;
 *   while ((st = rr_xlsx_next(x, &row, &err)) == RR_OK && row)
 *       for (size_t c = 0; c < row->ncells; c++) use(row->cell[c], row->len[c]);   // c = 0 is column A
 *   rr_xlsx_close(x);
 *
 * Cells are given as CSV would hold them: shared and inline strings as
 * their text (phonetic runs left out), numbers as plain decimals with '.'
 * (15 significant digits, as Excel shows them), booleans "true"/"false",
 * numbers in a date format (built-in 14-22, 27-36, 45-47, 50-58, or a
 * custom format with y, d or m outside quotes) as "YYYY-MM-DD" or
 * "YYYY-MM-DD HH:MM:SS", in the workbook's 1900 or 1904 date system;
 * error cells as their text ("#DIV/0!").  Everything is bounded: entries
 * of the zip, bytes unzipped per part (RR_XLSX_MAX_BYTES overrides the
 * 256 MiB default, for tests), shared strings, columns, row numbers.
 * The handle owns every string it gives; a row is valid until the next
 * call.  Errors name the file, and the sheet and cell where there is one. */
#ifndef RR_XLSXIN_H
#define RR_XLSXIN_H
#include <stddef.h>
#include "revreport/status.h"

typedef struct rr_xlsx rr_xlsx;

typedef struct {
    long row;                   /* 1-based row number in the sheet */
    size_t ncells;              /* columns A.. up to the last one written; gaps are "" */
    const char *const *cell;    /* NUL-terminated UTF-8 */
    const size_t *len;
} rr_xlsx_row;

/* What the first bytes of path say: 1 = a zip (an .xlsx workbook, or
 * another zip), 2 = an OLE2 compound file (an encrypted .xlsx or an old
 * .xls), 0 = anything else or unreadable. */
int rr_xlsx_kind(const char *path);

/* Open path and find sheet (its name, case-insensitive; NULL or "" = the
 * first sheet).  *out is owned by the caller (rr_xlsx_close).  Errors:
 * RR_ERR_IO (cannot open), RR_ERR_INPUT (not a workbook, encrypted,
 * corrupt, over a bound, no such sheet: the message says which). */
rr_status rr_xlsx_open(const char *path, const char *sheet, rr_xlsx **out, rr_error *err);
/* The next row that has at least one cell into *row (NULL at the end).
 * Errors: RR_ERR_INPUT with file "path: sheet 'S' cell C14" (malformed
 * XML, a bound exceeded). */
rr_status rr_xlsx_next(rr_xlsx *x, const rr_xlsx_row **row, rr_error *err);
/* The name of the sheet being read. */
const char *rr_xlsx_sheet(const rr_xlsx *x);
/* "C14" for column 3 (1-based), row 14; column 0 gives "row 14". */
void rr_xlsx_cellref(long column, long row, char *out, size_t cap);
void rr_xlsx_close(rr_xlsx *x);   /* accepts NULL */

#endif
