/* test_date.c: calendar arithmetic, ISO parsing, periods and fiscal quarters. */
#include <string.h>
#include "revreport/date.h"
#include "revreport/period.h"
#include "revreport/tap.h"

int main(void)
{
    rr_date d;
    rr_time t;
    char b[32];
    rr_tap_int(rr_date_from_ymd(1970, 1, 1), 0, "epoch");
    rr_tap_int(rr_date_from_ymd(2000, 3, 1), 11017, "2000-03-01");
    for (rr_date x = -800000; x < 800000; x += 997) {
        int y, m, dd;
        rr_date_to_ymd(x, &y, &m, &dd);
        if (rr_date_from_ymd(y, m, dd) != x) { rr_tap_ok(0, "round trip %d", x); break; }
    }
    rr_tap_ok(1, "day <-> y/m/d round trip over 4400 years");
    rr_tap_ok(rr_date_parse("2026-02-28", 10, &d) == RR_OK, "2026-02-28");
    rr_tap_ok(rr_date_parse("2026-02-29", 10, &d) != RR_OK, "2026-02-29 is not a date");
    rr_tap_ok(rr_date_parse("2024-02-29", 10, &d) == RR_OK, "2024-02-29 is");
    rr_tap_ok(rr_date_parse("2026-13-01", 10, &d) != RR_OK, "month 13");
    rr_tap_ok(rr_date_parse("2026-1-5", 8, &d) != RR_OK, "unpadded");
    rr_tap_ok(rr_date_parse("10/03/2026", 10, &d) != RR_OK, "not ISO");
    rr_tap_ok(rr_date_parse("", 0, &d) != RR_OK, "empty");
    rr_tap_ok(rr_time_parse("2026-10-03T14:05:00Z", 20, &t) == RR_OK &&
              t == rr_date_time(rr_date_from_ymd(2026, 10, 3)) + 14 * 3600 + 5 * 60, "UTC timestamp");
    rr_tap_ok(rr_time_parse("2026-10-03T14:05:00+09:00", 25, &t) == RR_OK &&
              t == rr_date_time(rr_date_from_ymd(2026, 10, 3)) + 5 * 3600 + 5 * 60, "offset +09:00 applied");
    rr_tap_ok(rr_time_parse("2026-10-03 14:05", 16, &t) == RR_OK, "space and no seconds");
    rr_tap_ok(rr_time_parse("2026-10-03T14:05:00.123Z", 24, &t) == RR_OK, "fraction");
    rr_tap_ok(rr_time_parse("2026-10-03T25:00", 16, &t) != RR_OK, "hour 25");
    rr_tap_ok(rr_time_parse("2026-10-03Tx", 12, &t) != RR_OK, "garbage after T");
    rr_tap_ok(rr_date_parse("2026-10-03T23:30:00-05:00", 25, &d) == RR_OK && d == rr_date_from_ymd(2026, 10, 3),
              "a date field keeps the written calendar date");
    int m;
    rr_tap_ok(rr_month_parse("2026-10", 7, &m) == RR_OK && m == 2026 * 12 + 9, "month key");
    rr_month_str(m, b, sizeof b);
    rr_tap_str(b, "2026-10", "month string");
    rr_tap_int(rr_month_days(2024 * 12 + 1), 29, "Feb 2024 has 29 days");

    rr_period p;
    rr_error err;
    rr_tap_ok(rr_period_parse("2026-10", NULL, NULL, 1, 0, &p, &err) == RR_OK && p.first == m && p.window_first == m - 12,
              "--month");
    rr_tap_ok(rr_period_parse(NULL, "2026Q3", NULL, 1, 0, &p, &err) == RR_OK && p.first == 2026 * 12 + 6 &&
              p.last == 2026 * 12 + 8, "2026Q3 calendar = Jul-Sep");
    rr_tap_ok(rr_period_parse(NULL, "2027Q1", NULL, 2, 0, &p, &err) == RR_OK && p.first == 2026 * 12 + 1,
              "FY from February: 2027Q1 begins Feb 2026");
    rr_tap_ok(rr_period_parse(NULL, "2026Q4", NULL, 4, 0, &p, &err) == RR_OK && p.first == 2026 * 12 + 0 &&
              p.last == 2026 * 12 + 2, "FY from April: 2026Q4 = Jan-Mar 2026");
    rr_period pm;
    rr_period_month(2026 * 12 + 9, 4, &pm);
    rr_tap_ok(pm.fiscal_year == 2027 && pm.quarter == 3, "Oct 2026 is FY2027 Q3 when the year starts in April");
    time_t now = (time_t)rr_date_time(rr_date_from_ymd(2026, 11, 23));
    rr_tap_ok(rr_period_parse(NULL, NULL, "last-month", 1, now, &p, &err) == RR_OK && p.first == m, "last-month");
    rr_tap_ok(rr_period_parse(NULL, NULL, "last-quarter", 1, now, &p, &err) == RR_OK && p.first == 2026 * 12 + 6,
              "last-quarter from November = Q3");
    now = (time_t)rr_date_time(rr_date_from_ymd(2026, 1, 5));
    rr_tap_ok(rr_period_parse(NULL, NULL, "last-quarter", 1, now, &p, &err) == RR_OK &&
              strcmp(p.label, "2025Q4") == 0, "last-quarter across a year boundary");
    rr_tap_ok(rr_period_parse(NULL, NULL, "last-month", 1, now, &p, &err) == RR_OK && strcmp(p.label, "2025-12") == 0,
              "last-month across a year boundary");
    rr_tap_ok(rr_period_parse("2026-10", "2026Q3", NULL, 1, 0, &p, &err) == RR_ERR_USAGE, "two periods refused");
    rr_tap_ok(rr_period_parse(NULL, "2026Q5", NULL, 1, 0, &p, &err) == RR_ERR_USAGE, "Q5 refused");
    rr_tap_ok(rr_period_parse("2026-1", NULL, NULL, 1, 0, &p, &err) == RR_ERR_USAGE, "bad month refused");
    rr_tap_ok(rr_period_parse(NULL, NULL, "yesterday", 1, 0, &p, &err) == RR_ERR_USAGE, "unknown relative period");
    return rr_tap_done();
}
