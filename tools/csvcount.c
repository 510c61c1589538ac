/* csvcount.c: libcsv alone on one core — the benchmark's baseline for
 * "how fast can the CSV library tokenise these files".  Counts fields and
 * records of each file given; no per-field work.
 *   tools/csvcount a.csv b.csv           ->  "records fields bytes"
 * With --sha256, the other floor of a report: the SHA-256 of each file that
 * the appendix and the archive's manifest print, on one core, with the
 * same code revreport uses (SHA extensions when the CPU has them).
 *   tools/csvcount --sha256 a.csv b.csv  ->  "HEX  a.csv" per file */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revreport/csvin.h"

static unsigned long long fields, records;
static void on_field(void *s, size_t n, void *d) { (void)s; (void)n; (void)d; fields++; }
static void on_record(int c, void *d) { (void)c; (void)d; records++; }

static char buf[1 << 20];

static int sha_files(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { perror(argv[i]); return 1; }
        rr_sha256 s;
        rr_sha256_init(&s);
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) rr_sha256_update(&s, buf, n);
        int bad = ferror(f);
        fclose(f);
        if (bad) { perror(argv[i]); return 1; }
        unsigned char d[32];
        char hex[65];
        rr_sha256_final(&s, d);
        rr_sha256_hex(d, hex);
        printf("%s  %s\n", hex, argv[i]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--sha256") == 0) return sha_files(argc - 2, argv + 2);
    unsigned long long bytes = 0;
    for (int i = 1; i < argc; i++) {
        struct csv_parser p;
        FILE *f = fopen(argv[i], "rb");
        if (!f || csv_init(&p, 0) != 0) { perror(argv[i]); return 1; }
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            bytes += n;
            if (csv_parse(&p, buf, n, on_field, on_record, NULL) != n) {
                fprintf(stderr, "%s: %s\n", argv[i], csv_strerror(csv_error(&p)));
                return 1;
            }
        }
        csv_fini(&p, on_field, on_record, NULL);
        csv_free(&p);
        fclose(f);
    }
    printf("%llu %llu %llu\n", records, fields, bytes);
    return 0;
}
