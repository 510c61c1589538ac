/* status.h: the one status enum of revreport, and the exit codes.
 *
 *   rr_status st = rr_csv_open(...);
 *   if (st != RR_OK) fprintf(stderr, "%s\n", rr_status_str(st));
 *
 * The enum is append-only: never renumber, never reuse.  rr_status_str() is
 * a switch with no default, so the compiler flags a missing case. */
#ifndef RR_STATUS_H
#define RR_STATUS_H

typedef enum {
    RR_OK = 0,
    RR_ERR_USAGE,        /* bad command line or option value */
    RR_ERR_IO,           /* a file could not be opened, read or written */
    RR_ERR_INPUT,        /* an input file is malformed (message has a location) */
    RR_ERR_MISSING,      /* a required input file or column is missing */
    RR_ERR_CONFIG,       /* a configuration, template or catalogue is wrong */
    RR_ERR_RENDER,       /* a chart, HTML or PDF could not be produced */
    RR_ERR_LIMIT,        /* a size limit was exceeded (e.g. too many channels) */
    RR_ERR_INTERNAL,     /* a bug: please report it */
    RR_ERR_STALE         /* the inputs do not reach the end of the period (fresh.h) */
} rr_status;

/* Exit codes of the revreport binary (documented in README.md). */
enum {
    RR_EXIT_OK = 0,
    RR_EXIT_INTERNAL = 1,
    RR_EXIT_USAGE = 2,
    RR_EXIT_INPUT = 3,   /* RR_ERR_INPUT, RR_ERR_MISSING */
    RR_EXIT_IO = 4,      /* RR_ERR_IO */
    RR_EXIT_CONFIG = 5,  /* RR_ERR_CONFIG, RR_ERR_LIMIT */
    RR_EXIT_RENDER = 6,  /* RR_ERR_RENDER */
    RR_EXIT_STALE = 7    /* RR_ERR_STALE: send/archive refused stale inputs */
};

/* Short lowercase text for a status ("input error"). Never NULL. */
const char *rr_status_str(rr_status st);
/* The process exit code for a status. */
int rr_status_exit(rr_status st);

/* An error report with a location: who fills it sets every field it knows.
 * file may be NULL; line/column are 1-based, 0 when unknown. */
typedef struct {
    char file[1024];
    long line;
    long column;
    char field[128];
    char msg[1024];
    char record[512];     /* the offending record, shortened; may be empty */
} rr_error;

/* Record an error: formats msg with printf-style args; returns st. */
rr_status rr_error_set(rr_error *err, rr_status st, const char *file, long line,
                       long column, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Print "file:line:column: field 'f': msg" (+ record) to stderr; terminal
 * control characters (ESC, other C0 and C1 controls, DEL) from the data are
 * shown as \xNN, never sent to the terminal. */
void rr_error_print(const rr_error *err, const char *prog);
/* fputs with the same escaping (newlines kept): for notes that quote data. */
#include <stdio.h>
void rr_fputs_safe(const char *s, FILE *f);

/* REVREPORT_TIMINGS=1 in the environment: print the wall time since the
 * previous call, labelled step, on stderr; rr_timing(NULL) starts the clock.
 * For profiling (docs/performance.md); silent otherwise. */
void rr_timing(const char *step);

#endif
