/* fuzz_csv.c: libFuzzer target for the CSV ingest of every canonical table.
 * The first byte picks the file name (low 3 bits) and, with its top bit, the
 * parallel read of big files forced on this small one with a small read size
 * (bits 3-5), in two parts or, with bit 6, five, so the splits, the part
 * threads, the hashing thread and the joins are fuzzed too; the rest is written as that file into a fresh folder,
 * which rr_data_load_dir reads (errors are expected, crashes, hangs and
 * sanitizer reports are not).  Build and run: make fuzz. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "revreport/data.h"

static const char *const names[] = {"opportunities.csv", "touchpoints.csv", "leads.csv", "spend.csv",
                                    "campaigns.csv", "targets.csv", "forecasts.csv", "fx.csv"};

static void put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (n) fwrite(p, 1, n, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/rr-fuzz-csv-XXXXXX";
    if (!size || !mkdtemp(dir)) return 0;
    const char *name = names[data[0] % 8];
    /* opportunities.csv is required: give a minimal valid one unless it is the target */
    static const char opps[] = "opportunity_id,account_id,is_closed,is_won,amount,created_date,close_date\n"
                               "O1,A1,true,true,10,2026-01-01,2026-02-01\n";
    if (strcmp(name, "opportunities.csv") != 0) put(dir, "opportunities.csv", (const uint8_t *)opps, sizeof opps - 1);
    put(dir, name, data + 1, size - 1);
    if (data[0] & 0x80) {
        char chunk[16];
        snprintf(chunk, sizeof chunk, "%d", 5 + 11 * ((data[0] >> 3) & 7));
        setenv("RR_CSV_SPLIT_MIN", "1", 1);
        setenv("RR_CSV_CHUNK", chunk, 1);
        setenv("RR_CSV_THREADS", data[0] & 0x40 ? "5" : "2", 1);
    }
    rr_data *d = rr_data_new("USD");
    rr_error err;
    rr_data_load_dir(d, dir, &err);
    rr_data_free(d);
    unsetenv("RR_CSV_SPLIT_MIN");
    unsetenv("RR_CSV_CHUNK");
    unsetenv("RR_CSV_THREADS");
    for (size_t i = 0; i < 8; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}
