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

/* s with terminal control characters shown as \xNN: C0 controls (ESC
 * starts the escape sequences that move the cursor, set the title or clear
 * the screen), DEL and the C1 controls U+0080-U+009F (UTF-8 C2 80-9F). */
static void put_safe(const char *s, int newlines);

void rr_fputs_safe(const char *s, FILE *f)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            fprintf(f, "\\x%02X", *p);
        else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            fprintf(f, "\\xC2\\x%02X", p[1]);
            p++;
        } else
            fputc(*p, f);
    }
}

static void put_safe(const char *s, int newlines)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && !(newlines && *p == '\n')) || *p == 0x7f)
            fprintf(stderr, "\\x%02X", *p);
        else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            fprintf(stderr, "\\xC2\\x%02X", p[1]);
            p++;
        } else
            fputc(*p, stderr);
    }
}

void rr_error_print(const rr_error *err, const char *prog)
{
    fprintf(stderr, "%s: ", prog ? prog : "revreport");
    if (err->file[0]) {
        put_safe(err->file, 0);
        fputc(':', stderr);
        if (err->line > 0) fprintf(stderr, "%ld:", err->line);
        if (err->column > 0) fprintf(stderr, "%ld:", err->column);
        fputc(' ', stderr);
    }
    if (err->field[0]) {
        fputs("field '", stderr);
        put_safe(err->field, 0);
        fputs("': ", stderr);
    }
    put_safe(err->msg, 1);
    fputc('\n', stderr);
    if (err->record[0]) {
        fputs("  record: ", stderr);
        put_safe(err->record, 0);
        fputc('\n', stderr);
    }
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

