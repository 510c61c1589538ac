/* date.c: proleptic Gregorian calendar on integers (Howard Hinnant's
 * days_from_civil / civil_from_days algorithms). */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>
#include "revreport/date.h"

/* an ASCII digit (isdigit looks the locale's table up through a call per character) */
static inline int is_digit(int c) { return (unsigned)(c - '0') <= 9u; }

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
        if (!is_digit(s[at + (size_t)i])) return 0;
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
                while (i < len && is_digit(s[i])) i++;
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

/* ---- dates as exports write them ---- */
static int num_run(const char *s, size_t len, size_t *i, int maxd, int *out)
{
    int v = 0, n = 0;
    while (*i < len && is_digit(s[*i]) && n < maxd) { v = v * 10 + (s[*i] - '0'); (*i)++; n++; }
    *out = v;
    return n;
}

/* A sep B sep C at the start of s: returns the length consumed, 0 when not. */
static size_t three_parts(const char *s, size_t len, int *a, int *na, char *sep, int *b, int *c, int *nc)
{
    size_t i = 0;
    int nb;
    *na = num_run(s, len, &i, 4, a);
    if (!*na || i >= len || (s[i] != '/' && s[i] != '.' && s[i] != '-')) return 0;
    *sep = s[i++];
    nb = num_run(s, len, &i, 2, b);
    if (!nb || i >= len || s[i] != *sep) return 0;
    i++;
    *nc = num_run(s, len, &i, 4, c);
    if (!*nc) return 0;
    return i;
}

int rr_date_order_hint(const char *s, size_t len)
{
    int a, b, c, na, nc;
    char sep;
    len = trim(&s, len);
    size_t k = three_parts(s, len, &a, &na, &sep, &b, &c, &nc);
    if (!k || na > 2 || nc != 4 || sep == '.') return -1;
    if (a > 12 && b <= 12) return 2;
    if (b > 12 && a <= 12) return 1;
    return 0;
}

int rr_date_order_parse(const char *s)
{
    if (!s || !*s || !strcasecmp(s, "auto")) return RR_DORD_AUTO;
    if (!strcasecmp(s, "mdy") || !strcasecmp(s, "us")) return RR_DORD_MDY;
    if (!strcasecmp(s, "dmy") || !strcasecmp(s, "eu")) return RR_DORD_DMY;
    if (!strcasecmp(s, "ymd") || !strcasecmp(s, "iso")) return RR_DORD_ISO;
    return -1;
}

rr_status rr_time_parse_loc(const char *s, size_t len, rr_date_order ord, rr_time *out, int *ambiguous)
{
    int a, b, c, na, nc, y, m, d;
    char sep;
    if (ambiguous) *ambiguous = 0;
    len = trim(&s, len);
    if (len >= 10 && s[4] == '-' && rr_time_parse(s, len, out) == RR_OK) return RR_OK;
    if (ord == RR_DORD_ISO) return RR_ERR_INPUT;
    size_t i = three_parts(s, len, &a, &na, &sep, &b, &c, &nc);
    if (!i) return RR_ERR_INPUT;
    if (na == 4) { y = a; m = b; d = c; if (nc > 2) return RR_ERR_INPUT; }
    else {
        if (nc != 4 || na > 2) return RR_ERR_INPUT;
        y = c;
        int dm = sep == '.' || ord == RR_DORD_DMY;
        if (sep != '.' && ord == RR_DORD_AUTO) {
            if (a > 12 && b <= 12) dm = 1;
            else if (b > 12 && a <= 12) dm = 0;
            else if (a != b) {
                if (ambiguous) *ambiguous = 1;
                return RR_ERR_INPUT;
            }
        }
        if (dm) { d = a; m = b; } else { m = a; d = b; }
    }
    if (!rr_date_valid(y, m, d)) return RR_ERR_INPUT;
    int hh = 0, mm = 0, ss = 0;
    if (i < len) {
        if (s[i] != ' ' && s[i] != 'T') return RR_ERR_INPUT;
        while (i < len && (s[i] == ' ' || s[i] == 'T')) i++;
        if (!num_run(s, len, &i, 2, &hh) || i >= len || s[i] != ':') return RR_ERR_INPUT;
        i++;
        if (num_run(s, len, &i, 2, &mm) != 2) return RR_ERR_INPUT;
        if (i < len && s[i] == ':') { i++; if (num_run(s, len, &i, 2, &ss) != 2) return RR_ERR_INPUT; }
        while (i < len && s[i] == ' ') i++;
        if (i + 2 <= len && (s[i] == 'A' || s[i] == 'a' || s[i] == 'P' || s[i] == 'p') &&
            (s[i + 1] == 'M' || s[i + 1] == 'm')) {
            if (hh < 1 || hh > 12) return RR_ERR_INPUT;
            hh = hh % 12 + ((s[i] == 'P' || s[i] == 'p') ? 12 : 0);
            i += 2;
        }
        if (i != len || hh > 23 || mm > 59 || ss > 60) return RR_ERR_INPUT;
    }
    *out = rr_date_time(rr_date_from_ymd(y, m, d)) + hh * 3600L + mm * 60L + ss;
    return RR_OK;
}
