/* csvcount.c: libcsv alone on one core — the benchmark's baseline for
 * "how fast can the CSV library tokenise these files".  Counts fields and
 * records of each file given; no per-field work.
 *   tools/csvcount a.csv b.csv     ->  "records fields bytes" */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long fields, records;
static void on_field(void *s, size_t n, void *d) { (void)s; (void)n; (void)d; fields++; }
static void on_record(int c, void *d) { (void)c; (void)d; records++; }

int main(int argc, char **argv)
{
    static char buf[1 << 20];
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
