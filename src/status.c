/* status.c: the status enum as text and exit codes; located error reports. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include "revreport/status.h"

const char *rr_status_str(rr_status st)
{
    switch (st) {
    case RR_OK: return "success";
    case RR_ERR_USAGE: return "usage error";
    case RR_ERR_IO: return "i/o error";
    case RR_ERR_INPUT: return "input error";
    case RR_ERR_MISSING: return "missing input";
    case RR_ERR_CONFIG: return "configuration error";
    case RR_ERR_RENDER: return "render error";
    case RR_ERR_LIMIT: return "limit exceeded";
    case RR_ERR_INTERNAL: return "internal error";
    case RR_ERR_STALE: return "stale inputs";
    }
    return "unknown status";
}

int rr_status_exit(rr_status st)
{
    switch (st) {
    case RR_OK: return RR_EXIT_OK;
    case RR_ERR_USAGE: return RR_EXIT_USAGE;
    case RR_ERR_IO: return RR_EXIT_IO;
    case RR_ERR_INPUT: return RR_EXIT_INPUT;
    case RR_ERR_MISSING: return RR_EXIT_INPUT;
    case RR_ERR_CONFIG: return RR_EXIT_CONFIG;
    case RR_ERR_RENDER: return RR_EXIT_RENDER;
    case RR_ERR_LIMIT: return RR_EXIT_CONFIG;
    case RR_ERR_INTERNAL: return RR_EXIT_INTERNAL;
    case RR_ERR_STALE: return RR_EXIT_STALE;
    }
    return RR_EXIT_INTERNAL;
}

static void copy_trunc(char *dst, size_t cap, const char *src)
{
    if (!src) { dst[0] = 0; return; }
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

rr_status rr_error_set(rr_error *err, rr_status st, const char *file, long line,
                       long column, const char *field, const char *fmt, ...)
{
    if (!err) return st;
    copy_trunc(err->file, sizeof err->file, file);
    err->line = line;
    err->column = column;
    copy_trunc(err->field, sizeof err->field, field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->record[0] = 0;
    return st;
}

void rr_error_print(const rr_error *err, const char *prog)
{
    fprintf(stderr, "%s: ", prog ? prog : "revreport");
    if (err->file[0]) {
        fprintf(stderr, "%s:", err->file);
        if (err->line > 0) fprintf(stderr, "%ld:", err->line);
        if (err->column > 0) fprintf(stderr, "%ld:", err->column);
        fputc(' ', stderr);
    }
    if (err->field[0]) fprintf(stderr, "field '%s': ", err->field);
    fprintf(stderr, "%s\n", err->msg);
    if (err->record[0]) fprintf(stderr, "  record: %s\n", err->record);
}

/* REVREPORT_TIMINGS=1: each step's wall time on stderr (docs/performance.md) */
void rr_timing(const char *step)
{
    /* each step's wall time and the cores it kept busy (process CPU time /
     * wall time: 2.0 = two cores all the way), so idle cores show */
    static int on = -1;
    static struct timespec last, lastcpu;
    struct timespec now, cpu;
    if (on < 0) {
        const char *e = getenv("REVREPORT_TIMINGS");
        on = e && *e && strcmp(e, "0");
        clock_gettime(CLOCK_MONOTONIC, &last);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &lastcpu);
    }
    if (!on || !step) return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    double w = (double)(now.tv_sec - last.tv_sec) + (double)(now.tv_nsec - last.tv_nsec) / 1e9,
           c = (double)(cpu.tv_sec - lastcpu.tv_sec) + (double)(cpu.tv_nsec - lastcpu.tv_nsec) / 1e9;
    fprintf(stderr, "revreport: timing: %-28s %8.3f s  %4.2f cores\n", step, w, w > 0 ? c / w : 0.0);
    last = now;
    lastcpu = cpu;
}

