/* datatab.h: the tables of the input folder, as data.c reads them, for the
 * folder reader (datadir.c).  Everything here is owned by data.c and
 * read-only. */
#ifndef RR_DATATAB_H
#define RR_DATATAB_H
#include "revreport/csvin.h"
#include "revreport/data.h"

typedef struct {
    const char *name;            /* "opportunities" (a profile's table =) */
    int index;                   /* RR_IN_* */
    const rr_csv_col *cols;
    size_t ncols;
    rr_csv_row_fn fn;            /* adds a row to the rr_data passed as ud */
    const rr_csv_split *split;   /* canonical file read on two threads, or NULL */
} rr_data_table;

/* in reading order: fx first (amounts are converted while read) */
extern const rr_data_table rr_data_tables[];
extern const size_t rr_data_ntables;
/* position in rr_data_tables of the table RR_IN_* index (0 when unknown) */
size_t rr_data_table_pos(int index);
/* 1 for the name of a canonical file or channel-map.csv */
int rr_data_is_canonical_name(const char *name);
/* after the last exchange-rate row: sort them, then check them (path: for errors) */
rr_status rr_data_fx_ready(rr_data *d, const char *path, rr_error *err);
/* after the last lead row: drop repeated leads (counted, with a warning) */
void rr_data_leads_dedupe(rr_data *d);

#endif
