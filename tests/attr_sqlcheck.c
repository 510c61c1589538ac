/* attr_sqlcheck.c: checks that tests/data/attr/paths.sql (run by
 * tests/attr_sql.sh through sqlite3) gives the same paths, Markov and heuristic
 * figures as the journeys the report builds (input layer, rr_metrics_compute:
 * journey.h's window and tie order) from the same fixture.  Alone (make check) it skips.
 *
 *   ./tests/attr_sqlcheck tests/data/attr paths-from-sql.csv     (TAP)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "revreport/attr.h"
#include "revreport/metrics.h"
#include "revreport/paths.h"
#include "revreport/tap.h"

int main(int argc, char **argv)
{
    rr_error err;
    if (argc != 3) {                    /* run alone by make check: attr_sql.sh runs it */
        printf("1..0 # SKIP run by tests/attr_sql.sh with the paths from sqlite3\n");
        return 0;
    }
    rr_paths *sql = rr_paths_new(), *direct = rr_paths_new();
    rr_tap_int(rr_paths_read_csv(sql, argv[2], ',', " > ", &err), RR_OK, "paths from SQL read");
    /* journeys in C exactly as the report builds them: the fixture read by the
     * input layer, journeys by rr_metrics_compute (window and tie order of
     * journey.h), roles by rr_attr_assign_roles */
    rr_data *d = rr_data_new("USD");
    if (!rr_tap_ok(rr_data_load_dir(d, argv[1], &err) == RR_OK, "fixture read as an input folder")) {
        rr_tap_diag("%s:%ld: %s", err.file, err.line, err.msg);
        return rr_tap_done();
    }
    rr_period per;
    rr_period_parse("2025-03", NULL, NULL, 1, 0, &per, &err);
    rr_metrics_opts mo = {365, 0};
    rr_metrics *m = rr_metrics_compute(d, &per, &mo);
    rr_attr_params prm;
    rr_attr_params_default(&prm);
    rr_attr_totals *tot = rr_attr_totals_new(16, 16);
    long no_touch = 0;
    for (size_t o = 0; o < d->nopps; o++) {
        const rr_opp *opp = &d->opps[o];
        rr_attr_touch t[64];
        int seq[64];
        size_t n = 0;
        for (size_t k = m->jstart[o]; k < m->jstart[o + 1] && n < 64; k++) {
            const rr_touch *x = &d->touch[m->jt[k]];
            const char *name = rr_dict_name(&d->channels, x->channel);
            memset(&t[n], 0, sizeof t[n]);
            t[n].channel = rr_paths_intern(direct, name, strlen(name));
            t[n].campaign = -1;
            t[n].ts = x->ts;
            t[n].flags = x->milestone == RR_MS_LEAD_CREATED ? RR_ATTR_FLAG_LEAD_CREATED
                         : x->milestone == RR_MS_OPP_CREATED ? RR_ATTR_FLAG_OPP_CREATED
                         : x->milestone == RR_MS_CLOSED_WON ? RR_ATTR_FLAG_CLOSED_WON : 0;
            seq[n] = t[n].channel;
            n++;
        }
        int won = opp->is_won, closed = opp->is_closed;
        double amount = rr_money_to_double(opp->amount);
        int64_t created = rr_date_time(opp->created), close = rr_date_time(opp->close);
        if (n == 0) { no_touch++; continue; }
        rr_paths_add(direct, seq, n, won, won ? amount : 0, closed && !won);
        rr_attr_assign_roles(t, n, RR_ATTR_NO_TIME, created, close);
        rr_attr_journey j = {amount, won ? RR_ATTR_WON : closed ? RR_ATTR_LOST : RR_ATTR_OPEN,
                             close, t, n};
        rr_attr_totals_add(tot, RR_ATTR_LINEAR, &prm, &j);
    }
    /* the fixture's window and tie cases, by name */
    {
        int o9 = -1, o4 = -1;
        for (size_t o = 0; o < d->nopps; o++) {
            const char *id = rr_dict_name(&d->opp_ids, d->opps[o].id);
            if (!strcmp(id, "O9")) o9 = (int)o;
            if (!strcmp(id, "O4")) o4 = (int)o;
        }
        if (o9 >= 0 && o4 >= 0) {
            size_t a = m->jstart[o9], b = m->jstart[o9 + 1];
            rr_tap_ok(b - a == 5 && !strcmp(rr_dict_name(&d->channels, d->touch[m->jt[b - 2]].channel), "paid_search"),
                      "O9: rows 25 (webinar) and 26 (paid_search) at one instant: paid_search first");
            rr_tap_int((long long)(m->jstart[o4 + 1] - m->jstart[o4]), 4,
                       "O4: the touch at 23:00 of the close day is in, the one at 00:00 next day out");
        }
    }
    rr_metrics_free(m);
    rr_data_free(d);
    rr_tap_int(no_touch, 1, "one opportunity with no touch in the window (reported, not dropped)");
    rr_tap_int((long long)rr_paths_count(sql), (long long)rr_paths_count(direct),
               "same number of distinct paths");
    int same = 1;
    for (size_t i = 0; i < rr_paths_count(direct); i++) {
        const rr_path *p = rr_paths_get(direct, i);
        int found = 0;
        for (size_t k = 0; k < rr_paths_count(sql); k++) {
            const rr_path *q = rr_paths_get(sql, k);
            if (q->len != p->len) continue;
            size_t s = 0;
            while (s < p->len && strcmp(rr_paths_name(sql, q->seq[s]), rr_paths_name(direct, p->seq[s])) == 0) s++;
            if (s == p->len) found = q->conv == p->conv && q->value == p->value && q->nulls == p->nulls;
        }
        if (!found) same = 0;
    }
    rr_tap_ok(same, "every journey path has the same conversions, value and nulls in SQL");
    rr_attr_markov_result a, b;
    if (rr_attr_markov(sql, 1, &a, &err) == RR_OK && rr_attr_markov(direct, 1, &b, &err) == RR_OK) {
        int eq = 1;
        for (size_t c = 0; c < b.n_channels; c++) {
            int id = rr_paths_lookup(sql, rr_paths_name(direct, (int)c));
            if (id < 0 || fabs(a.conv[id] - b.conv[c]) > 1e-12 || fabs(a.value[id] - b.value[c]) > 1e-9) eq = 0;
            rr_tap_diag("markov %-12s %.6f conversions, $%.2f", rr_paths_name(direct, (int)c), b.conv[c], b.value[c]);
        }
        rr_tap_ok(eq, "markov from SQL paths = markov from journeys");
        rr_attr_markov_result_free(&a);
        rr_attr_markov_result_free(&b);
    } else {
        rr_tap_ok(0, "markov: %s", err.msg);
    }
    double lin[16];
    rr_attr_paths_heuristic(sql, NULL, NULL, NULL, NULL, NULL, lin);
    int eq = 1;
    for (size_t c = 0; c < rr_paths_n_channels(direct); c++) {
        int id = rr_paths_lookup(sql, rr_paths_name(direct, (int)c));
        if (id < 0 || fabs(lin[id] - tot->won.ch_value[c]) > 1e-9) eq = 0;
    }
    rr_tap_ok(eq, "linear revenue from SQL paths = linear from journeys (accumulator)");
    rr_attr_totals_free(tot);
    rr_paths_free(sql);
    rr_paths_free(direct);
    return rr_tap_done();
}
