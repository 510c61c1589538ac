/* attr_sqlcheck.c: checks that tests/data/attr/paths.sql (run by
 * tests/attr_sql.sh through sqlite3) gives the same paths, Markov and heuristic
 * figures as journeys built in C from the same fixture.  Alone (make check) it skips.
 *
 *   ./tests/attr_sqlcheck tests/data/attr paths-from-sql.csv     (TAP)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "revreport/attr.h"
#include "revreport/paths.h"
#include "revreport/tap.h"

#define MAXR 256

typedef struct { char f[8][48]; int n; } row;

/* unquoted comma-separated fixture; returns rows read (header skipped) */
static int load(const char *dir, const char *name, row *rows)
{
    char path[1024], line[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    int n = -1;
    if (!fp) return -1;
    while (fgets(line, sizeof line, fp) && n < MAXR) {
        line[strcspn(line, "\r\n")] = 0;
        if (n >= 0) {
            row *r = &rows[n];
            char *p = line;
            r->n = 0;
            for (;;) {
                char *e = strchr(p, ',');
                size_t l = e ? (size_t)(e - p) : strlen(p);
                if (l >= sizeof r->f[0]) l = sizeof r->f[0] - 1;
                memcpy(r->f[r->n], p, l);
                r->f[r->n++][l] = 0;
                if (!e || r->n == 8) break;
                p = e + 1;
            }
        }
        n++;
    }
    fclose(fp);
    return n < 0 ? 0 : n;
}

static int64_t parse_ts(const char *s)
{
    struct tm tm = {0};
    int h = 0, mi = 0, se = 0;
    if (sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &h, &mi, &se) < 3)
        return RR_ATTR_NO_TIME;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    return (int64_t)timegm(&tm);
}

int main(int argc, char **argv)
{
    static row tp[MAXR], op[MAXR];
    rr_error err;
    if (argc != 3) {                    /* run alone by make check: attr_sql.sh runs it */
        printf("1..0 # SKIP run by tests/attr_sql.sh with the paths from sqlite3\n");
        return 0;
    }
    int ntp = load(argv[1], "touchpoints.csv", tp), nop = load(argv[1], "opportunities.csv", op);
    if (ntp <= 0 || nop <= 0) {
        rr_tap_ok(0, "fixture loaded");
        return rr_tap_done();
    }
    rr_paths *sql = rr_paths_new(), *direct = rr_paths_new();
    rr_tap_int(rr_paths_read_csv(sql, argv[2], ',', " > ", &err), RR_OK, "paths from SQL read");
    /* journeys in C: same window and order as paths.sql (the fixture is in id order) */
    rr_attr_params prm;
    rr_attr_params_default(&prm);
    rr_attr_totals *tot = rr_attr_totals_new(16, 16);
    long no_touch = 0;
    for (int o = 0; o < nop; o++) {
        rr_attr_touch t[64];
        int seq[64];
        size_t n = 0;
        int64_t created = parse_ts(op[o].f[4]), close = parse_ts(op[o].f[5]);
        for (int i = 0; i < ntp; i++) {
            if (strcmp(tp[i].f[6], op[o].f[0]) != 0) continue;
            int64_t ts = parse_ts(tp[i].f[1]);
            if (ts < created - 365 * 86400LL) continue;
            if (close != RR_ATTR_NO_TIME && ts >= close + 86400) continue;
            memset(&t[n], 0, sizeof t[n]);
            t[n].channel = rr_paths_intern(direct, tp[i].f[2], strlen(tp[i].f[2]));
            t[n].campaign = -1;
            t[n].ts = ts;
            if (strcmp(tp[i].f[7], "lead_created") == 0) t[n].flags = RR_ATTR_FLAG_LEAD_CREATED;
            if (strcmp(tp[i].f[7], "opportunity_created") == 0) t[n].flags = RR_ATTR_FLAG_OPP_CREATED;
            if (strcmp(tp[i].f[7], "closed_won") == 0) t[n].flags = RR_ATTR_FLAG_CLOSED_WON;
            seq[n] = t[n].channel;
            n++;
        }
        /* stable sort by time (ties keep touchpoint_id order) */
        for (size_t a = 1; a < n; a++)
            for (size_t b = a; b > 0 && t[b].ts < t[b - 1].ts; b--) {
                rr_attr_touch x = t[b]; t[b] = t[b - 1]; t[b - 1] = x;
                int y = seq[b]; seq[b] = seq[b - 1]; seq[b - 1] = y;
            }
        int won = strcmp(op[o].f[1], "1") == 0, closed = strcmp(op[o].f[2], "1") == 0;
        double amount = strtod(op[o].f[3], NULL);
        if (n == 0) { no_touch++; continue; }
        rr_paths_add(direct, seq, n, won, won ? amount : 0, closed && !won);
        rr_attr_assign_roles(t, n, RR_ATTR_NO_TIME, created, close);
        rr_attr_journey j = {amount, won ? RR_ATTR_WON : closed ? RR_ATTR_LOST : RR_ATTR_OPEN,
                             close, t, n};
        rr_attr_totals_add(tot, RR_ATTR_LINEAR, &prm, &j);
    }
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
