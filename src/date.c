/* date.c: proleptic Gregorian calendar on integers (Howard Hinnant's
 * days_from_civil / civil_from_days algorithms). */
#include <ctype.h>
#include <stdio.h>
#include "revreport/date.h"

rr_date rr_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (rr_date)(era * 146097 + (int)doe - 719468);
}

void rr_date_to_ymd(rr_date days, int *y, int *m, int *d)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int rr_date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return 0;
    return d <= mdays[m - 1] + (m == 2 && leap(y));
}

static int digits(const char *s, size_t len, size_t at, int n, int *out)
{
    int v = 0;
    if (at + (size_t)n > len) return 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[at + (size_t)i])) return 0;
        v = v * 10 + (s[at + (size_t)i] - '0');
    }
    *out = v;
    return 1;
}

static size_t trim(const char **s, size_t len)
{
    while (len && (**s == ' ' || **s == '\t')) { (*s)++; len--; }
    while (len && ((*s)[len - 1] == ' ' || (*s)[len - 1] == '\t')) len--;
    return len;
}

static int ymd(const char *s, size_t len, int *y, int *m, int *d)
{
    if (!digits(s, len, 0, 4, y) || len < 10 || s[4] != '-' || !digits(s, len, 5, 2, m) ||
        s[7] != '-' || !digits(s, len, 8, 2, d))
        return 0;
    return rr_date_valid(*y, *m, *d);
}

rr_status rr_date_parse(const char *s, size_t len, rr_date *out)
{
    rr_time t;
    if (rr_time_parse(s, len, &t) != RR_OK) return RR_ERR_INPUT;
    len = trim(&s, len);
    int y, m, d;
    ymd(s, len, &y, &m, &d);
    *out = rr_date_from_ymd(y, m, d);     /* the calendar date as written */
    return RR_OK;
}

rr_status rr_time_parse(const char *s, size_t len, rr_time *out)
{
    int y, m, d, hh = 0, mm = 0, ss = 0;
    len = trim(&s, len);
    if (!ymd(s, len, &y, &m, &d)) return RR_ERR_INPUT;
    size_t i = 10;
    long off = 0;
    if (i < len) {
        if (s[i] != 'T' && s[i] != ' ') return RR_ERR_INPUT;
        i++;
        if (!digits(s, len, i, 2, &hh) || i + 2 >= len || s[i + 2] != ':' || !digits(s, len, i + 3, 2, &mm))
            return RR_ERR_INPUT;
        i += 5;
        if (i < len && s[i] == ':') {
            if (!digits(s, len, i + 1, 2, &ss)) return RR_ERR_INPUT;
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                i++;
                while (i < len && isdigit((unsigned char)s[i])) i++;
            }
        }
        if (hh > 23 || mm > 59 || ss > 60) return RR_ERR_INPUT;
        if (i < len && (s[i] == 'Z' || s[i] == 'z')) i++;
        else if (i < len && (s[i] == '+' || s[i] == '-')) {
            int oh, om = 0, sign = s[i] == '-' ? -1 : 1;
            if (!digits(s, len, i + 1, 2, &oh)) return RR_ERR_INPUT;
            i += 3;
            if (i < len && s[i] == ':') i++;
            if (i < len) {
                if (!digits(s, len, i, 2, &om)) return RR_ERR_INPUT;
                i += 2;
            }
            if (oh > 14 || om > 59) return RR_ERR_INPUT;
            off = sign * (oh * 3600L + om * 60L);
        }
        if (i != len) return RR_ERR_INPUT;
    }
    *out = rr_date_time(rr_date_from_ymd(y, m, d)) + hh * 3600L + mm * 60L + ss - off;
    return RR_OK;
}

rr_status rr_month_parse(const char *s, size_t len, int *month)
{
    int y, m;
    len = trim(&s, len);
    if (!digits(s, len, 0, 4, &y) || len < 7 || s[4] != '-' || !digits(s, len, 5, 2, &m)) return RR_ERR_INPUT;
    if (len != 7) {
        rr_date d;
        if (rr_date_parse(s, len, &d) != RR_OK) return RR_ERR_INPUT;
    }
    if (!rr_date_valid(y, m, 1)) return RR_ERR_INPUT;
    *month = y * 12 + m - 1;
    return RR_OK;
}

int rr_date_month(rr_date d)
{
    int y, m, dd;
    rr_date_to_ymd(d, &y, &m, &dd);
    return y * 12 + m - 1;
}

rr_date rr_month_first_day(int month)
{
    return rr_date_from_ymd(month / 12, month % 12 + 1, 1);
}

int rr_month_days(int month)
{
    return rr_month_first_day(month + 1) - rr_month_first_day(month);
}

void rr_month_str(int month, char *out, size_t cap)
{
    snprintf(out, cap, "%04d-%02d", month / 12, month % 12 + 1);
}

void rr_date_str(rr_date d, char *out, size_t cap)
{
    int y, m, dd;
    rr_date_to_ymd(d, &y, &m, &dd);
    snprintf(out, cap, "%04d-%02d-%02d", y, m, dd);
}
