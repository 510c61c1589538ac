/* fuzz_config.c: libFuzzer target for the settings file and a language
 * catalogue (both "key = value" files written by users).  make fuzz. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "revreport/config.h"
#include "revreport/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/rr-fuzz-cfg-XXXXXX", path[512];
    if (!mkdtemp(dir)) return 0;
    snprintf(path, sizeof path, "%s/i18n", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/i18n/en.txt", dir);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size) fwrite(data, 1, size, f);
    fclose(f);
    rr_config *c = rr_config_new();
    rr_error err;
    if (rr_config_load(c, path, &err) == RR_OK) {
        rr_config_double(c, "attribution.half_life_days", 7);
        rr_config_int(c, "attribution.markov_order", 1);
        rr_config_bool(c, "attribution.leads_as_null", 0);
        rr_config_check(c, &err);
    }
    rr_config_free(c);
    rr_i18n *cat = NULL;
    if (rr_i18n_load(dir, "en", &cat, &err) == RR_OK) {
        char *s = rr_i18n_subst(rr_tr(cat, "kpi.vs_prev"), "delta", "+1%", "period", "Sep", NULL);
        free(s);
        rr_i18n_free(cat);
    }
    unlink(path);
    snprintf(path, sizeof path, "%s/i18n", dir);
    rmdir(path);
    rmdir(dir);
    return 0;
}
