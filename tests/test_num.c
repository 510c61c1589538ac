/* test_num.c: exact amount parsing, booleans, formatting of money. */
#include <string.h>
#include "revreport/num.h"
#include "revreport/tap.h"

static rr_money money(const char *s, const rr_numfmt *nf, int *ok)
{
    rr_money m = 0;
    *ok = rr_num_money(s, strlen(s), nf, &m) == RR_OK;
    return m;
}

int main(void)
{
    rr_numfmt c = RR_NUMFMT_CANONICAL;
    int ok;
    struct { const char *in; rr_money want; } good[] = {
        {"1234.56", 12345600}, {"0.1", 1000}, {"-5", -50000}, {"+7.5", 75000}, {"  42 ", 420000},
        {"0.00005", 1}, {"0.00004", 0}, {"-0.00005", -1}, {"900000000000000", 9000000000000000000LL},
        {"12.", 120000}, {".5", 5000}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        rr_money m = money(good[i].in, &c, &ok);
        rr_tap_ok(ok && m == good[i].want, "money \"%s\" = %lld (got %lld)", good[i].in, (long long)good[i].want,
                  (long long)m);
    }
    const char *bad[] = {"", "abc", "12,5x", "1,234.56", "1.2.3", "--5", "12 34", "900000000000001", "1e5", "$5", "5%"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        money(bad[i], &c, &ok);
        rr_tap_ok(!ok, "canonical rejects \"%s\"", bad[i]);
    }
    /* export formats: grouping, decimal comma, symbols, parentheses */
    rr_numfmt us = {'.', ",", 1, 1, 1}, de = {',', ". ", 1, 1, 1};
    rr_tap_ok(money("1,234.56", &us, &ok) == 12345600 && ok, "1,234.56 with US grouping");
    rr_tap_ok(money("$1,234,567", &us, &ok) == 12345670000LL && ok, "$1,234,567");
    rr_tap_ok(money("(1,234.50)", &us, &ok) == -12345000 && ok, "(1,234.50) is negative");
    rr_tap_ok(money("1.234,56", &de, &ok) == 12345600 && ok, "1.234,56 with decimal comma");
    rr_tap_ok(money("1 234,56", &de, &ok) == 12345600 && ok, "1 234,56 with a space");
    rr_tap_ok(money("1\xc2\xa0" "234,56 \xe2\x82\xac", &de, &ok) == 12345600 && ok, "1 234,56 € with NBSP");
    rr_tap_ok(money("USD 99.90", &us, &ok) == 999000 && ok, "currency code before");
    money("1,,234", &us, &ok);
    rr_tap_ok(!ok, "double group separator rejected");
    double d;
    rr_tap_ok(rr_num_double("12.5%", 5, &us, &d) == RR_OK && d == 0.125, "12.5%% is 0.125");
    long long ll;
    rr_tap_ok(rr_num_int("-42", 3, &ll) == RR_OK && ll == -42, "int -42");
    rr_tap_ok(rr_num_int("4x", 2, &ll) != RR_OK, "int 4x rejected");
    int b;
    const char *t[] = {"true", "TRUE", "1", "yes", "Y"}, *f[] = {"false", "0", "no", "N"};
    for (size_t i = 0; i < 5; i++) rr_tap_ok(rr_num_bool(t[i], strlen(t[i]), &b) == RR_OK && b == 1, "bool %s", t[i]);
    for (size_t i = 0; i < 4; i++) rr_tap_ok(rr_num_bool(f[i], strlen(f[i]), &b) == RR_OK && b == 0, "bool %s", f[i]);
    rr_tap_ok(rr_num_bool("maybe", 5, &b) != RR_OK, "bool maybe rejected");
    /* exact sums: 0.1 ten million times is exactly 1,000,000 */
    rr_money sum = 0, tenth;
    rr_num_money("0.1", 3, &c, &tenth);
    for (int i = 0; i < 10000000; i++) sum += tenth;
    rr_tap_int(sum, 1000000LL * RR_MONEY_SCALE, "0.1 summed 10^7 times is exact");
    char buf[64];
    rr_money_str(12345678, 2, buf, sizeof buf);
    rr_tap_str(buf, "1234.57", "money_str rounds half away from zero");
    rr_money_str(-12345, 2, buf, sizeof buf);
    rr_tap_str(buf, "-1.23", "negative");
    rr_money_str(-49, 2, buf, sizeof buf);
    rr_tap_str(buf, "0.00", "no negative zero");
    rr_money_str(55000000, 4, buf, sizeof buf);
    rr_tap_str(buf, "5500.0000", "4 decimals");
    rr_tap_int(rr_money_scale(50000000, 1.1), 55000000, "5000 x 1.1 = 5500 exactly after rounding");
    /* exchange rates exactly as written, products in 128 bits (issue 17) */
    rr_rate r;
    rr_tap_ok(rr_num_rate("1.0650", 6, &c, &r) == RR_OK && r.mant == 1065 && r.scale == 3, "rate 1.0650 = 1065/10^3");
    rr_tap_ok(rr_num_rate("0.000000000000000001", 20, &c, &r) == RR_OK && r.mant == 1 && r.scale == 18, "rate 1e-18");
    rr_tap_ok(rr_num_rate("0.0000000000000000001", 21, &c, &r) != RR_OK, "rate with 19 decimals rejected");
    rr_tap_ok(rr_num_rate("5%", 2, &c, &r) != RR_OK, "rate 5%% rejected");
    rr_money mo = 0;
    rr_num_rate("1.0650", 6, &c, &r);
    rr_tap_ok(rr_money_convert(278703700, r, &mo) == RR_OK && mo == 296819441, "27870.37 x 1.0650 = 29681.9441");
    rr_tap_ok(rr_money_convert(5, (rr_rate){1, 1}, &mo) == RR_OK && mo == 1, "0.0005 x 0.1 = 0.00005 -> 0.0001");
    rr_tap_ok(rr_money_convert(-5, (rr_rate){1, 1}, &mo) == RR_OK && mo == -1, "-0.00005 -> -0.0001");
    rr_tap_ok(rr_money_convert(4, (rr_rate){1, 1}, &mo) == RR_OK && mo == 0, "0.00004 -> 0");
    rr_tap_ok(rr_money_convert(9000000000000000000LL, (rr_rate){3, 0}, &mo) != RR_OK, "overflow rejected");
    rr_tap_ok(rr_money_convert(9000000000000000000LL, (rr_rate){999999999999999999LL, 18}, &mo) == RR_OK &&
              mo == 9000000000000000000LL - 9, "128-bit product: 9e14 x 0.999999999999999999");
    return rr_tap_done();
}
