/* test_journey.c: the one journey definition (journey.h) as the report
 * applies it, on fixtures written here (issue 17):
 * - the window [created - lookback, end of close] applies to touches tagged
 *   with the opportunity, not only to those matched by account (the May 2026
 *   journey: a two-year-old Events touch and a post-close Email touch);
 * - touches at one instant are ordered by the tie rule, not by file row;
 * - a close timestamp ends the journey and is time decay's conversion time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "revreport/attr_report.h"
#include "revreport/journey.h"
#include "revreport/tap.h"

static char dir[] = "/tmp/rr_journey_XXXXXX";

static void put(const char *name, const char *text)
{
    char p[1100];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (f) { fputs(text, f); fclose(f); }
}

static rr_data *load(void)
{
    rr_data *d = rr_data_new("USD");
    rr_error err;
    memset(&err, 0, sizeof err);
    if (rr_data_load_dir(d, dir, &err) != RR_OK) {
        rr_tap_diag("%s:%ld: %s", err.file, err.line, err.msg);
        rr_data_free(d);
        return NULL;
    }
    return d;
}

static double rev(const rr_data *d, const rr_attrrep *a, rr_attr_model m, const char *ch)
{
    int32_t id = rr_dict_find(&d->channels, ch, strlen(ch));
    return id < 0 ? 0.0 : rr_attrrep_get(&a->scope[0], m, RR_ATTRREP_REVENUE, (size_t)id);
}

typedef struct { rr_data *d; rr_metrics *m; rr_attrrep *a; rr_period p; } run;

static int compute(run *r, int lookback)
{
    memset(r, 0, sizeof *r);
    rr_error err;
    r->d = load();
    if (!r->d) return 0;
    rr_period_parse("2026-05", NULL, NULL, 1, 0, &r->p, &err);
    rr_metrics_opts mo = {lookback, 0};
    r->m = rr_metrics_compute(r->d, &r->p, &mo);
    rr_attrrep_opts o;
    rr_attrrep_opts_from_config(NULL, lookback, &o);
    r->a = rr_attrrep_compute(r->d, r->m, &r->p, &o);
    return 1;
}

static void done(run *r)
{
    rr_attrrep_free(r->a);
    rr_metrics_free(r->m);
    rr_data_free(r->d);
}

static const char *OPPS =
    "opportunity_id,account_id,is_closed,is_won,amount,created_date,close_date\n"
    "O1,A1,true,true,10000,2026-05-04,2026-05-20\n";

static void window(void)
{
    /* issue 17's example: created 2026-05-04, won 2026-05-20; tagged touches
     * 2024-03-01 Events, 2026-05-01 Paid Search, 2026-05-10 Webinar, 2026-05-28
     * Email.  Only Paid Search and Webinar are in the journey. */
    put("opportunities.csv", OPPS);
    put("touchpoints.csv",
        "touchpoint_id,timestamp,channel,campaign_id,contact_id,account_id,opportunity_id,milestone\n"
        "T1,2024-03-01,Events,,K1,A1,O1,\n"
        "T2,2026-05-01,Paid Search,,K1,A1,O1,\n"
        "T3,2026-05-10,Webinar,,K1,A1,O1,\n"
        "T4,2026-05-28,Email,,K1,A1,O1,\n");
    run r;
    if (!compute(&r, 365)) { rr_tap_ok(0, "window fixture loads"); return; }
    rr_tap_int((long long)(r.m->jstart[1] - r.m->jstart[0]), 2, "O1's journey: 2 touches (not 4)");
    rr_tap_int(r.m->touches_outside, 2, "2 tagged touches outside the window counted");
    rr_tap_near(rev(r.d, r.a, RR_ATTR_FIRST, "Paid Search"), 10000, 1e-9, "first touch: Paid Search, not the old Events");
    rr_tap_near(rev(r.d, r.a, RR_ATTR_FIRST, "Events"), 0, 1e-9, "Events (2024, before the lookback): nothing");
    rr_tap_near(rev(r.d, r.a, RR_ATTR_LINEAR, "Paid Search"), 5000, 1e-9, "linear: two ways");
    rr_tap_near(rev(r.d, r.a, RR_ATTR_LINEAR, "Webinar"), 5000, 1e-9, "linear: Webinar half");
    rr_tap_near(rev(r.d, r.a, RR_ATTR_TIME_DECAY, "Email"), 0, 1e-9, "time decay: the post-close Email gets nothing");
    rr_tap_near(rev(r.d, r.a, RR_ATTR_LAST, "Webinar"), 10000, 1e-9, "last touch: Webinar");
    done(&r);
    /* --lookback-days 2: 2026-05-02 00:00 .. ; Paid Search (05-01) leaves */
    if (!compute(&r, 2)) return;
    rr_tap_near(rev(r.d, r.a, RR_ATTR_FIRST, "Webinar"), 10000, 1e-9, "lookback 2 days: Webinar alone");
    done(&r);
    /* the account-matched touch obeys the same window: same figures */
    put("touchpoints.csv",
        "touchpoint_id,timestamp,channel,campaign_id,contact_id,account_id,opportunity_id,milestone\n"
        "T1,2024-03-01,Events,,K1,A1,,\n"
        "T2,2026-05-01,Paid Search,,K1,A1,,\n"
        "T3,2026-05-10,Webinar,,K1,A1,O1,\n"
        "T4,2026-05-28,Email,,K1,A1,,\n");
    if (!compute(&r, 365)) return;
    rr_tap_near(rev(r.d, r.a, RR_ATTR_LINEAR, "Paid Search"), 5000, 1e-9, "by account: the same journey");
    done(&r);
}

static void ties(void)
{
    /* date-only timestamps: Paid Search, Email and Webinar on one day.  The
     * order is channel name (Email < Paid Search < Webinar), whatever the rows */
    put("opportunities.csv", OPPS);
    const char *rows[2] = {
        "touchpoint_id,timestamp,channel,campaign_id,contact_id,account_id,opportunity_id,milestone\n"
        "T1,2026-05-05,Paid Search,C2,K1,A1,O1,\n"
        "T2,2026-05-05,Email,,K1,A1,O1,\n"
        "T3,2026-05-05,Webinar,,K1,A1,O1,\n"
        "T4,2026-05-05,Paid Search,C1,K1,A1,O1,\n",
        "touchpoint_id,timestamp,channel,campaign_id,contact_id,account_id,opportunity_id,milestone\n"
        "T3,2026-05-05,Webinar,,K1,A1,O1,\n"
        "T4,2026-05-05,Paid Search,C1,K1,A1,O1,\n"
        "T1,2026-05-05,Paid Search,C2,K1,A1,O1,\n"
        "T2,2026-05-05,Email,,K1,A1,O1,\n"};
    for (int k = 0; k < 2; k++) {
        put("touchpoints.csv", rows[k]);
        run r;
        if (!compute(&r, 365)) { rr_tap_ok(0, "ties fixture loads"); return; }
        char w[80];
        snprintf(w, sizeof w, "rows in order %d: first touch Email", k);
        rr_tap_near(rev(r.d, r.a, RR_ATTR_FIRST, "Email"), 10000, 1e-9, w);
        snprintf(w, sizeof w, "rows in order %d: last touch Webinar", k);
        rr_tap_near(rev(r.d, r.a, RR_ATTR_LAST, "Webinar"), 10000, 1e-9, w);
        /* the two Paid Search touches: campaign C1 before C2 */
        size_t a = r.m->jstart[0];
        const rr_touch *t1 = &r.d->touch[r.m->jt[a + 1]], *t2 = &r.d->touch[r.m->jt[a + 2]];
        snprintf(w, sizeof w, "rows in order %d: Paid Search C1 second", k);
        rr_tap_str(rr_dict_name(&r.d->campaigns, t1->campaign), "C1", w);
        snprintf(w, sizeof w, "rows in order %d: Paid Search C2 third", k);
        rr_tap_str(rr_dict_name(&r.d->campaigns, t2->campaign), "C2", w);
        done(&r);
    }
}

static void close_time(void)
{
    /* close_date with a time: 2026-05-20 12:00 UTC.  A touch at 06:00 that day
     * is 0.25 days before the conversion; one at 15:00 is after the close and
     * out of the journey.  Time decay (half-life 7): Paid Search 10 days
     * before, so weights 2^(-10.25/7)... exactly: */
    put("opportunities.csv",
        "opportunity_id,account_id,is_closed,is_won,amount,created_date,close_date\n"
        "O1,A1,true,true,10000,2026-05-04,2026-05-20T12:00:00Z\n");
    put("touchpoints.csv",
        "touchpoint_id,timestamp,channel,campaign_id,contact_id,account_id,opportunity_id,milestone\n"
        "T1,2026-05-10T06:00:00Z,Paid Search,,K1,A1,O1,\n"
        "T2,2026-05-20T06:00:00Z,Webinar,,K1,A1,O1,\n"
        "T3,2026-05-20T15:00:00Z,Email,,K1,A1,O1,\n");
    run r;
    if (!compute(&r, 365)) { rr_tap_ok(0, "close-time fixture loads"); return; }
    rr_tap_ok(r.d->opps[0].close_ts == rr_date_time(r.d->opps[0].close) + 12 * 3600, "close timestamp read");
    rr_tap_int((long long)(r.m->jstart[1] - r.m->jstart[0]), 2, "the 15:00 touch is after the close: out");
    double wp = exp2(-10.25 / 7), ww = exp2(-0.25 / 7);
    rr_tap_near(rev(r.d, r.a, RR_ATTR_TIME_DECAY, "Webinar"), 10000 * ww / (wp + ww), 1e-6,
                "time decay measures from 12:00 (Webinar 0.25 days before, not weight 1)");
    rr_tap_near(rev(r.d, r.a, RR_ATTR_LAST, "Webinar"), 10000, 1e-9, "last touch: Webinar, not the post-close Email");
    done(&r);
    /* a date alone: the journey ends at 23:59:59 and time decay measures from 00:00 (documented) */
    put("opportunities.csv", OPPS);
    if (!compute(&r, 365)) return;
    rr_tap_int((long long)(r.m->jstart[1] - r.m->jstart[0]), 3, "date-only close: the whole close day is in");
    rr_tap_ok(r.d->opps[0].close_ts == RR_NO_TIME, "date-only close: no close timestamp");
    done(&r);
}

int main(void)
{
    if (!mkdtemp(dir)) { rr_tap_ok(0, "temporary folder"); return rr_tap_done(); }
    window();
    ties();
    close_time();
    char p[1100];
    snprintf(p, sizeof p, "%s/opportunities.csv", dir); unlink(p);
    snprintf(p, sizeof p, "%s/touchpoints.csv", dir); unlink(p);
    rmdir(dir);
    return rr_tap_done();
}
