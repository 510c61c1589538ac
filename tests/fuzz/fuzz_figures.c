/* fuzz_figures.c: libFuzzer target for report.xml: whatever text (company,
 * channel, campaign, warnings: any bytes, C0 controls, broken UTF-8) and
 * whatever values the data yields, the file written must be well-formed and
 * valid against docs/figures.xsd (REVREPORT_XSD makes rr_figs_write_xml
 * check it; a failure aborts).  make fuzz. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "revreport/figures.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    setenv("REVREPORT_XSD", RR_SRCDIR "/docs/figures.xsd", 1);
    return 0;
}

/* the next NUL- or end-terminated piece of data, copied */
static char *piece(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *s = *p, *e = s;
    while (e < end && *e) e++;
    char *r = malloc((size_t)(e - s) + 1);
    memcpy(r, s, (size_t)(e - s));
    r[e - s] = 0;
    *p = e < end ? e + 1 : e;
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    char *company = piece(&p, end), *channel = piece(&p, end), *campaign = piece(&p, end),
         *warning = piece(&p, end), *cur = piece(&p, end);
    char code[4];
    rr_figs f;
    rr_figs_init(&f, rr_currency_normalise(cur, code) == 0 ? code : "USD");
    for (int i = 0; p + sizeof(double) <= end && i < 64; i++) {
        double v;
        memcpy(&v, p, sizeof v);
        p += sizeof v;
        rr_figs_value(&f, (rr_fig_unit)(i % 6 == 0 ? 2 : i % 6), "roi", "2026-10", i % 2 ? "channel" : "campaign",
                      i % 2 ? channel : campaign, v, 1, warning);
    }
    rr_figs_count(&f, "leads", "2026-10", "channel", channel, (long long)size);
    char dir[] = "/tmp/rr-fuzz-fig-XXXXXX", path[512];
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/report.xml", dir);
    const char *warnings[] = {warning};
    rr_figs_meta m = {.period = "2026-10", .period_kind = "month", .company = company, .version = "fuzz",
                      .nwarnings = 1, .warnings = warnings};
    rr_error err;
    rr_status st = rr_figs_write_xml(&f, &m, path, &err);
    if (st == RR_ERR_INTERNAL) {
        fprintf(stderr, "%s\n", err.msg);
        abort();                                  /* not valid against the schema */
    }
    unlink(path);
    rmdir(dir);
    rr_figs_free(&f);
    free(company); free(channel); free(campaign); free(warning); free(cur);
    return 0;
}
