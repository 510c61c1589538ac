/* test_input.c: export profiles: built-in profiles load, a wrong profile is
 * a located error, a Meta Ads export (amount in the header's currency,
 * German number format, footer row) reads into spend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "revreport/data.h"
#include "revreport/profile.h"
#include "revreport/tap.h"

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
}

/* The dictionary: ids in order of first appearance, whatever the path a
 * name takes (last name, the short-name cache of small dictionaries, the
 * hash table); names that share their first and last 8 bytes, or differ
 * only in length or by a NUL, stay apart. */
static void dict_ids(void)
{
    rr_dict d;
    memset(&d, 0, sizeof d);
    char names[700][32];
    size_t lens[700];
    for (size_t i = 0; i < 700; i++) {
        /* 1-24 bytes; every 7th has the same first and last 8 bytes as its neighbours */
        size_t len = 1 + i % 24;
        for (size_t k = 0; k < len; k++) names[i][k] = (char)('a' + (i * 7 + k * 3) % 26);
        if (i % 7 == 0 && len >= 10) names[i][len / 2] = (char)('0' + i % 10);
        if (i % 11 == 0 && len >= 3) names[i][1] = 0;   /* a NUL inside */
        lens[i] = len;
    }
    int first = 1, again = 1, found = 1;
    int32_t want = 0;
    for (size_t i = 0; i < 700; i++) {
        int32_t seen = -1;   /* an earlier name with the same bytes (the generator may repeat one) */
        for (size_t j = 0; j < i && seen < 0; j++)
            if (lens[j] == lens[i] && !memcmp(names[j], names[i], lens[i])) seen = rr_dict_find(&d, names[j], lens[j]);
        int32_t id = rr_dict_id(&d, names[i], lens[i]);
        if (id != (seen >= 0 ? seen : want)) first = 0;
        if (seen < 0) want++;
    }
    for (int pass = 0; pass < 3; pass++)   /* interleaved, so the last-name shortcut rarely helps */
        for (size_t i = 0; i < 700; i++) {
            size_t j = (i * 37 + (size_t)pass * 11) % 700;
            int32_t id = rr_dict_id(&d, names[j], lens[j]);
            if (id != rr_dict_find(&d, names[j], lens[j])) again = 0;
            const char *nm = rr_dict_name(&d, id);
            if (id < 0 || memcmp(nm, names[j], lens[j]) != 0) found = 0;
        }
    rr_tap_ok(first, "dictionary: ids in order of first appearance (700 names, 1-24 bytes, look-alikes)");
    rr_tap_ok(again && found, "dictionary: the same ids and names when asked again in another order");
    rr_tap_int((long)d.n, (long)want, "dictionary: no name interned twice");
    rr_tap_int(rr_dict_id(&d, "ab", 2) == rr_dict_id(&d, "ab\0", 3), 0, "dictionary: \"ab\" and \"ab\\0\" are two names");
    rr_dict_free(&d);
    /* campaign-like names: the same first 8 bytes, many sharing a cache slot */
    memset(&d, 0, sizeof d);
    int ok = 1;
    char nm[32];
    for (int i = 0; i < 400; i++) {
        int n = snprintf(nm, sizeof nm, i % 2 ? "campaign-%06d" : "campaign-%03d", i);
        if (rr_dict_id(&d, nm, (size_t)n) != i) ok = 0;
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 399; i >= 0; i--) {
            int n = snprintf(nm, sizeof nm, i % 2 ? "campaign-%06d" : "campaign-%03d", i);
            if (rr_dict_id(&d, nm, (size_t)n) != i || strcmp(rr_dict_name(&d, i), nm) != 0) ok = 0;
        }
    rr_tap_ok(ok && d.n == 400, "dictionary: 400 names with the same first 8 bytes keep their ids");
    rr_dict_free(&d);
}

int main(void)
{
    rr_error err;
    dict_ids();
    char dir[] = "/tmp/rr-input-XXXXXX", p[512];
    if (!mkdtemp(dir)) return 1;
    rr_profiles *ps = rr_profiles_new();
    rr_tap_int(rr_profiles_load_dir(ps, RR_SRCDIR "/profiles", &err), RR_OK, "built-in profiles load");
    const char *names[] = {"salesforce_opportunities", "hubspot_deals", "hubspot_contacts", "google_ads",
                           "linkedin_ads", "meta_ads"};
    for (size_t i = 0; i < 6; i++) rr_tap_ok(rr_profiles_find(ps, names[i]) != NULL, names[i]);
    rr_tap_str(rr_channel_map_find(ps, "PAID_SEARCH", 11), "Paid Search", "channel map: PAID_SEARCH");
    snprintf(p, sizeof p, "%s/bad.profile", dir);
    put(p, "name = x\ntable = deals\ndetect = A\n");
    rr_tap_ok(rr_profile_load(ps, p, &err) == RR_ERR_CONFIG && strstr(err.msg, "\"table = deals\""), "unknown table named");
    put(p, "name = x\ntable = spend\ndetect = A\ncolumn.date = Day\n");
    rr_tap_ok(rr_profile_load(ps, p, &err) == RR_ERR_CONFIG && strstr(err.msg, "needs column channel"),
              "missing required column named");
    put(p, "name = x\ntable = spend\nbogus = 1\n");
    rr_tap_ok(rr_profile_load(ps, p, &err) == RR_ERR_CONFIG && err.line == 3, "unknown key located");
    unlink(p);
    rr_profiles_free(ps);

    /* a folder with canonical opportunities and a Meta export */
    snprintf(p, sizeof p, "%s/opportunities.csv", dir);
    put(p, "opportunity_id,account_id,is_closed,is_won,amount,created_date,close_date\nO1,A1,true,true,100,2026-09-01,2026-10-02\n");
    snprintf(p, sizeof p, "%s/meta oct.csv", dir);
    put(p, "\xEF\xBB\xBF" "Campaign name;Day;Amount spent (EUR);Impressions\n"
           "Retargeting;2026-10-01;1.234,56;1000\nRetargeting;2026-10-02;100;10\nAwareness;2026-10-02;x;1\n"
           "Total;;1.334,56;1010\n");
    rr_data *d = rr_data_new("EUR");
    rr_status st = rr_data_load_dir(d, dir, &err);
    rr_tap_int(st, RR_OK, "folder with a Meta export loads");
    rr_money sum = 0;
    for (size_t i = 0; i < d->nspend; i++) sum += d->spend[i].amount;
    rr_tap_int(sum, 13345600, "Meta spend 1.234,56 + 100 EUR = 1334.56");
    rr_tap_ok(d->files[RR_IN_SPEND].present, "spend present from an export");
    rr_tap_str(rr_dict_name(&d->channels, d->spend[0].channel), "Paid Social", "channel Meta -> Paid Social");
    const rr_input_file *f = d->ninputs == 2 ? &d->inputs[1] : NULL;
    rr_tap_ok(f && !strcmp(f->profile, "meta_ads") && f->stats.rows == 3 && f->stats.rows_used == 2 &&
              f->stats.rows_rejected == 1 && f->stats.rows_footer == 1 && f->stats.delimiter == ';',
              "stats: 3 rows, 2 used, 1 rejected, 1 footer, ';'");
    rr_tap_ok(d->nwarnings >= 1 && strstr(d->warnings[0], "1 of 3 rows rejected; first: line 4, column 3 (amount)"),
              "rejected row counted and located in warnings");
    rr_tap_ok(f && f->stats.nrejects == 1 && strstr(f->stats.rejects[0], "line 4"), "first reason kept with its line");
    rr_data_free(d);
    unlink(p);

    /* a Meta export with both "Reporting starts" and "Day": the date comes from Day (its first pattern) */
    snprintf(p, sizeof p, "%s/meta.csv", dir);
    put(p, "Reporting starts,Campaign name,Day,Amount spent (USD)\n2026-09-01,A,2026-10-05,7\n");
    d = rr_data_new("USD");
    rr_tap_int(rr_data_load_dir(d, dir, &err), RR_OK, "Meta export with Reporting starts and Day loads");
    rr_tap_int(d->nspend == 1 ? d->spend[0].month : -1, 2026 * 12 + 9, "spend month from Day, not Reporting starts");
    /* data-quality checks: an unknown opportunity, a header-only file, a late close */
    char q[512];
    snprintf(q, sizeof q, "%s/touchpoints.csv", dir);
    put(q, "timestamp,channel,account_id,opportunity_id\n");
    rr_data_free(d);
    d = rr_data_new("USD");
    rr_tap_int(rr_data_load_dir(d, dir, &err), RR_OK, "header-only touchpoints load");
    size_t before = d->nwarnings;
    rr_data_check(d, 2026 * 12 + 8, 2026 * 12 + 8);   /* September: O1 closes in October, after it */
    int header_only = 0, late = 0;
    for (size_t i = before; i < d->nwarnings; i++) {
        header_only |= strstr(d->warnings[i], "touchpoints.csv: no data rows (header only)") != NULL;
        late |= strstr(d->warnings[i], "1 closed opportunities close after the period") != NULL;
    }
    rr_tap_ok(header_only, "header-only file warned");
    rr_tap_ok(late, "close after the period warned");
    rr_data_free(d);
    put(q, "timestamp,channel,account_id,opportunity_id\n2026-10-01T00:00:00Z,Email,A1,O1\n2026-10-01T00:00:00Z,Email,A1,O7\n");
    d = rr_data_new("USD");
    rr_tap_int(rr_data_load_dir(d, dir, &err), RR_OK, "touchpoints load");
    before = d->nwarnings;
    rr_data_check(d, 2026 * 12 + 9, 2026 * 12 + 9);
    int unknown = 0;
    for (size_t i = before; i < d->nwarnings; i++)
        unknown |= strstr(d->warnings[i], "1 touchpoints name an opportunity_id that no opportunity has (e.g. \"O7\")") != NULL;
    rr_tap_ok(unknown, "touchpoint naming an unknown opportunity warned (O1 is known, O7 is not)");
    rr_data_free(d);
    unlink(q);
    unlink(p);
    snprintf(p, sizeof p, "%s/opportunities.csv", dir);
    unlink(p);

    /* a channel map of 20,000 entries (hashed): later entries win, keys are
     * normalised (case, '_', '-', spaces), an unknown source is NULL */
    snprintf(p, sizeof p, "%s/map.csv", dir);
    FILE *mf = fopen(p, "wb");
    fputs("source,channel\n", mf);
    for (int i = 0; i < 20000; i++) fprintf(mf, "utm_src_%d,Ch %d\n", i, i);
    fputs("UTM-SRC-42,Overridden\n", mf);
    fclose(mf);
    ps = rr_profiles_new();
    rr_tap_int(rr_channel_map_load(ps, p, &err), RR_OK, "20,000-entry channel map loads");
    rr_tap_str(rr_channel_map_find(ps, "utm_src_19999", 13), "Ch 19999", "last of 20,000 entries found");
    rr_tap_str(rr_channel_map_find(ps, " Utm Src 7 ", 11), "Ch 7", "key normalised: case, spaces, '_'");
    rr_tap_str(rr_channel_map_find(ps, "utm_src_42", 10), "Overridden", "a later entry of the same key wins");
    rr_tap_ok(rr_channel_map_find(ps, "utm_src_20000", 13) == NULL, "unknown source: no channel");
    rr_profiles_free(ps);
    unlink(p);

    /* exchange rates: rows in any order, the latest month on or before the
     * amount's month wins, the first row of a month wins a tie */
    snprintf(p, sizeof p, "%s/fx.csv", dir);
    mf = fopen(p, "wb");
    fputs("month,currency,rate\n2026-03-02,EUR,1.5\n2026-01,EUR,1.25\n2026-03-20,EUR,9\n2026-02,GBP,2\n", mf);
    for (int y = 2000; y < 2020; y++)   /* 240 months of a third currency between them */
        for (int mo = 1; mo <= 12; mo++) fprintf(mf, "%04d-%02d,JPY,0.0%d\n", y, mo, 10 + mo);
    fputs("2025-12,EUR,1.1\n", mf);
    fclose(mf);
    d = rr_data_new("USD");
    rr_tap_int(rr_data_load_fx(d, p, &err), RR_OK, "fx.csv with 245 rows loads");
    int32_t eur = rr_dict_find(&d->currencies, "EUR", 3), gbp = rr_dict_find(&d->currencies, "GBP", 3),
            jpy = rr_dict_find(&d->currencies, "JPY", 3);
    rr_money out = 0;
    const rr_money eur100 = 100 * 10000;
    rr_tap_ok(rr_data_convert(d, eur, 2026 * 12 + 1, eur100, &out, NULL, &err) == RR_OK && out == 125 * 10000,
              "EUR in 2026-02: the 2026-01 rate (1.25)");
    rr_tap_ok(rr_data_convert(d, eur, 2026 * 12 + 5, eur100, &out, NULL, &err) == RR_OK && out == 150 * 10000,
              "EUR in 2026-06: 2026-03's first row (1.5, of the 2nd), not its second (9, of the 20th)");
    rr_tap_ok(rr_data_convert(d, eur, 2025 * 12 + 11, eur100, &out, NULL, &err) == RR_OK && out == 110 * 10000,
              "EUR in 2025-12: the row written last in the file (1.1)");
    rr_tap_ok(rr_data_convert(d, eur, 2025 * 12 + 10, eur100, &out, NULL, &err) == RR_ERR_INPUT &&
              strstr(err.msg, "no exchange rate for EUR in 2025-11 or earlier"), "EUR before its first rate: located error");
    rr_tap_ok(rr_data_convert(d, gbp, 2026 * 12 + 0, eur100, &out, NULL, &err) == RR_ERR_INPUT,
              "GBP in 2026-01, before its only rate (2026-02): error");
    rr_tap_ok(rr_data_convert(d, jpy, 2030 * 12 + 0, 1000 * 10000, &out, NULL, &err) == RR_OK && out == 220000,
              "JPY in 2030: its last rate (2019-12, 0.022)");
    rr_tap_ok(rr_data_convert(d, jpy, 2010 * 12 + 4, 1000 * 10000, &out, NULL, &err) == RR_OK && out == 150000,
              "JPY in 2010-05: that month's rate (0.015)");
    rr_data_free(d);
    /* exact conversion (issue 17): 27870.37 EUR x 1.0650 = 29681.94405, half
     * away from zero 29681.9441 (a rate built in floating point gave .9440) */
    mf = fopen(p, "wb");
    fputs("month,currency,rate\n2026-05,EUR,1.0650\n2026-05,GBP,1.2345678901234567\n", mf);
    fclose(mf);
    d = rr_data_new("USD");
    rr_tap_int(rr_data_load_fx(d, p, &err), RR_OK, "fx.csv with 1.0650 loads");
    eur = rr_dict_find(&d->currencies, "EUR", 3);
    gbp = rr_dict_find(&d->currencies, "GBP", 3);
    rr_tap_ok(rr_data_convert(d, eur, 2026 * 12 + 4, 278703700, &out, NULL, &err) == RR_OK && out == 296819441,
              "27870.37 EUR at 1.0650 = 29681.9441 USD (got %lld)", (long long)out);
    rr_tap_ok(rr_data_convert(d, eur, 2026 * 12 + 4, -278703700, &out, NULL, &err) == RR_OK && out == -296819441,
              "-27870.37 EUR at 1.0650 = -29681.9441 (half away from zero)");
    /* 1000 x 1.2345678901234567 = 1234.5678901234567 -> 1234.5679: 17 decimals kept exactly */
    rr_tap_ok(rr_data_convert(d, gbp, 2026 * 12 + 4, 1000 * 10000, &out, NULL, &err) == RR_OK && out == 12345679,
              "1000 GBP at a 16-decimal rate = 1234.5679");
    rr_data_free(d);
    /* two rates for one month (a corrected rate appended below the old one):
     * no way to tell which is meant; the same rate twice is harmless */
    mf = fopen(p, "wb");
    fputs("month,currency,rate\n2026-10,EUR,1.08\n2026-10-15,EUR,1.09\n2026-10-15,EUR,1.09\n2026-10,EUR,1.8\n", mf);
    fclose(mf);
    d = rr_data_new("USD");
    rr_tap_ok(rr_data_load_fx(d, p, &err) == RR_ERR_INPUT && err.line == 5 && strstr(err.msg, "line 2 has 1.08"),
              "two rates for EUR in 2026-10: error at line 5 naming line 2 (%s)", err.msg);
    rr_data_free(d);
    mf = fopen(p, "wb");
    fputs("month,currency,rate\n2026-10-03,EUR,1.08\n2026-10-03,EUR,1.07\n", mf);
    fclose(mf);
    d = rr_data_new("USD");
    rr_tap_ok(rr_data_load_fx(d, p, &err) == RR_ERR_INPUT && strstr(err.msg, "EUR in 2026-10-03"),
              "two rates for one day: error naming the day (%s)", err.msg);
    rr_data_free(d);
    unlink(p);
    rmdir(dir);
    return rr_tap_done();
}
