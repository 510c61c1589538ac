/* profile.h: export profiles, data files that map a tool's CSV export
 * (Salesforce, HubSpot, Google Ads, LinkedIn, Meta...) onto a canonical table.
 *
 *   rr_profiles *ps = rr_profiles_new();
 *   rr_profiles_load_dir(ps, "profiles", &err);           // every *.profile + channels.csv
 *   const rr_profile *p = rr_profiles_detect(ps, sniffed); // from rr_csv_sniff() records
 *   rr_profile_binding b;
 *   rr_profile_bind(p, ps, cols, ncols, &b);               // b.opts for rr_csv_read_opts
 *   ...
 *   rr_profile_unbind(&b);
 *   rr_profiles_free(ps);
 *
 * The set owns its profiles; a binding owns the arrays in its opts and
 * borrows the profile.  File format: docs/exports.md. */
#ifndef RR_PROFILE_H
#define RR_PROFILE_H
#include <stddef.h>
#include "revreport/csvin.h"
#include "revreport/date.h"
#include "revreport/status.h"

typedef struct rr_profile rr_profile;
typedef struct rr_profiles rr_profiles;

/* Which canonical columns a table has (implemented by data.c).  Returns 0
 * and fills cols/n for a table name ("opportunities", "spend", ...), -1 for
 * an unknown one; *index is the RR_IN_* index. */
int rr_data_table_cols(const char *table, const rr_csv_col **cols, size_t *n, int *index);

rr_profiles *rr_profiles_new(void);
void rr_profiles_free(rr_profiles *ps);                /* accepts NULL */
/* Load one profile file; a later profile with the same name replaces the
 * earlier one (user profiles override built-in ones).  Errors: RR_ERR_IO,
 * RR_ERR_CONFIG with file:line and what is wrong. */
rr_status rr_profile_load(rr_profiles *ps, const char *path, rr_error *err);
/* The same, and *loaded = the profile just read (owned by ps). */
rr_status rr_profile_load_get(rr_profiles *ps, const char *path, const rr_profile **loaded, rr_error *err);
/* Load every *.profile of dir (sorted by name) and dir/channels.csv when present. */
rr_status rr_profiles_load_dir(rr_profiles *ps, const char *dir, rr_error *err);
/* Channel map: CSV "source,channel"; later entries win.  Keys match
 * case-insensitively with '_' '-' and spaces alike. */
rr_status rr_channel_map_load(rr_profiles *ps, const char *path, rr_error *err);
/* Channel for a source value, NULL when the map has none. */
const char *rr_channel_map_find(const rr_profiles *ps, const char *s, size_t len);

const rr_profile *rr_profiles_find(const rr_profiles *ps, const char *name);
/* The profile whose detect columns (or one of its detect.LANG sets: the
 * tool's headers in another language) all occur in one of the sniffed
 * records (rr_csv_sniff format); the largest matching set wins; NULL = none. */
const rr_profile *rr_profiles_detect(const rr_profiles *ps, const char *sniffed);

const char *rr_profile_name(const rr_profile *p);
const char *rr_profile_label(const rr_profile *p);
const char *rr_profile_table(const rr_profile *p);
int rr_profile_decimal(const rr_profile *p);           /* 0 auto, '.' or ',' */
rr_date_order rr_profile_date_order(const rr_profile *p);
const char *rr_profile_encoding(const rr_profile *p);  /* NULL = the run's setting */

#define RR_PROFILE_STAGES 8
enum { RR_STAGE_UNKNOWN = 0, RR_STAGE_OPEN, RR_STAGE_WON, RR_STAGE_LOST };
/* What the words of a stage value say (see profile.c): RR_STAGE_WON,
 * RR_STAGE_LOST (closed and not won) or RR_STAGE_UNKNOWN. */
int rr_profile_stage_words(const char *v, size_t n);

typedef struct {
    rr_csv_opts opts;
    const rr_profile *p;
    const rr_profiles *ps;
    const rr_csv_col *cols;
    size_t ncols;
    const char ***aliases;   /* owned */
    unsigned char *provided; /* owned */
    long unmapped_channels;  /* channel values the map did not know */
    char unmapped_example[64];
    const char *stages;      /* the user's stage meanings "VALUE=won|lost|open;..." (--stage), or NULL */
    long unknown_stages;     /* rows whose stage neither the profile, the user nor the words name: open */
    int nstage_values;
    char stage_values[RR_PROFILE_STAGES][48];   /* those stages (the first few distinct) */
    long stage_counts[RR_PROFILE_STAGES];
} rr_profile_binding;

/* Prepare b->opts to read table columns cols through profile p. */
void rr_profile_bind(const rr_profile *p, const rr_profiles *ps, const rr_csv_col *cols, size_t ncols,
                     rr_profile_binding *b);
void rr_profile_unbind(rr_profile_binding *b);          /* accepts a zeroed binding */

#endif
