/* paths.h: a set of distinct channel paths with their conversions, value and
 * nulls (ChannelAttribution's input format), built from journeys or read from a
 * CSV file (path;total_conversions;total_conversion_value;total_null).
 *
 *   rr_paths *ps = rr_paths_new();
 *   int seq[] = {2, 0, 1};
 *   rr_paths_add(ps, seq, 3, 1.0, 12000.0, 0.0);   // one won journey
 *   rr_paths_add(ps, seq, 3, 0.0, 0.0, 1.0);       // one lost journey, same path
 *   ... rr_attr_markov(ps, 1, &res, &err) ...
 *   rr_paths_free(ps);
 *
 * Ownership: the set owns its paths and channel names; memory grows with the
 * number of distinct paths, not with the number of journeys. */
#ifndef RR_PATHS_H
#define RR_PATHS_H
#include <stddef.h>
#include "revreport/status.h"

typedef struct {
    int *seq;          /* channel ids in time order */
    size_t len;
    double conv;       /* conversions (won journeys) */
    double value;      /* their total value */
    double nulls;      /* journeys that did not convert (lost; optionally open / leads) */
} rr_path;

typedef struct rr_paths rr_paths;

/* A new, empty set (never NULL).  Free with rr_paths_free (NULL ok). */
rr_paths *rr_paths_new(void);
void rr_paths_free(rr_paths *ps);

/* Add conv/value/nulls to the path seq[0..len-1] (ids >= 0), creating it when
 * new.  len == 0 is ignored ("no touch" journeys are the caller's to report). */
void rr_paths_add(rr_paths *ps, const int *seq, size_t len, double conv, double value,
                  double nulls);

/* Number of distinct paths; path i (0 <= i < count), in order of first addition. */
size_t rr_paths_count(const rr_paths *ps);
const rr_path *rr_paths_get(const rr_paths *ps, size_t i);
/* 1 + the largest channel id seen (or named). */
size_t rr_paths_n_channels(const rr_paths *ps);

/* Channel names: intern a name (returns its id, creating it), look one up
 * (-1 if unknown), or get the name of an id (NULL when unnamed). */
int rr_paths_intern(rr_paths *ps, const char *name, size_t len);
int rr_paths_lookup(const rr_paths *ps, const char *name);
const char *rr_paths_name(const rr_paths *ps, int id);

/* Read a ChannelAttribution paths file into ps.  Header row required; columns
 * found by name: path, total_conversions (required), total_conversion_value,
 * total_null (optional, 0 when absent).  delim: field delimiter (',' or ';');
 * sep: channel separator inside path (e.g. ">" or " > "); blanks around channel
 * names are trimmed.  Errors (RR_ERR_IO, RR_ERR_INPUT, RR_ERR_MISSING) are
 * filled in err with file, line and field. */
rr_status rr_paths_read_csv(rr_paths *ps, const char *file, char delim, const char *sep,
                            rr_error *err);

/* What report.xml lists for a paths file read as an input of its own: its
 * data records (lines after the header that are not blank), bytes and
 * SHA-256.  RR_ERR_IO when it cannot be read. */
rr_status rr_paths_file_stats(const char *file, long *rows, long long *bytes, unsigned char sha256[32]);

#endif
