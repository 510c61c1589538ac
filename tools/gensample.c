/* gensample.c: deterministic generator of revreport's sample data, the
 * canonical CSV exports of a fictional B2B SaaS company, Kestrel Analytics.
 *
 *   tools/gensample --out samples                 # the committed sample (seed 42)
 *   tools/gensample --out /tmp/big --scale 250    # ~10M touchpoints, for `make bench`
 *
 * It writes opportunities.csv, touchpoints.csv, leads.csv, spend.csv,
 * campaigns.csv, targets.csv, forecasts.csv and fx.csv (the formats are in
 * samples/README.md) and prints one summary line on stderr.
 *
 * Determinism: one xoshiro256** stream seeded through splitmix64, consumed in
 * a fixed order; exp and log are computed here with + - * / only (no libm
 * transcendental functions), money is rounded to cents with integer
 * arithmetic, dates use integer civil-calendar arithmetic.  The same options
 * give the same bytes on every machine (as long as the compiler does not fuse
 * multiply-adds: build without -ffp-contract=fast on FMA targets).
 *
 * The simulation runs month by month from a 6-month warm-up before the
 * window up to the last month; each lead is followed through its whole life
 * (MQL, SAL, SQL, opportunity, close) at once and every row dated after the
 * export cut-off (end of the last month) is dropped, so the output is what a
 * CRM export taken on that day would hold.  Wins schedule renewals and
 * expansions into later months; memory stays small at any --scale. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ util */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gensample: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory (%zu bytes)", n);
    return q;
}

/* ------------------------------------------------------------------ PRNG */

typedef struct {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

/* uniform in [0,1) with 53 random bits */
static double ru(rng_t *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* uniform integer in [lo, hi] */
static int64_t ri(rng_t *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(rng_next(r) % span);
}

static double rf(rng_t *r, double lo, double hi)
{
    return lo + (hi - lo) * ru(r);
}

static int chance(rng_t *r, double p)
{
    return ru(r) < p;
}

/* exp and log with basic IEEE operations only, so every machine agrees */
static double my_exp(double x)
{
    if (x > 700)
        x = 700;
    if (x < -700)
        x = -700;
    const double ln2 = 0.6931471805599453;
    int k = (int)(x / ln2 + (x >= 0 ? 0.5 : -0.5));
    double rr = x - k * ln2, term = 1, sum = 1;
    for (int i = 1; i < 24; i++) {
        term = term * rr / i;
        sum += term;
    }
    return ldexp(sum, k);
}

static double my_log(double x)
{
    int e;
    double m = frexp(x, &e); /* x = m * 2^e, m in [0.5, 1) */
    double s = (m - 1) / (m + 1), s2 = s * s, term = s, sum = 0;
    for (int i = 1; i < 60; i += 2) {
        sum += term / i;
        term *= s2;
    }
    return 2 * sum + e * 0.6931471805599453;
}

/* standard normal, Marsaglia's polar method (log and sqrt only) */
static double rnorm(rng_t *r)
{
    double u, v, s;
    do {
        u = 2 * ru(r) - 1;
        v = 2 * ru(r) - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * sqrt(-2 * my_log(s) / s);
}

static double rlognorm(rng_t *r, double median, double sigma)
{
    return median * my_exp(sigma * rnorm(r));
}

static int64_t to_cents(double usd)
{
    return (int64_t)(usd * 100 + 0.5);
}

/* ------------------------------------------------------------- calendar */

/* days since 1970-01-01 of a civil date (H. Hinnant's algorithm) */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* months are counted as y*12 + (m-1) ("ym") */
static int64_t ym_first_day(int ym)
{
    return days_from_civil(ym / 12, ym % 12 + 1, 1);
}

static int ym_of_day(int64_t day)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    return y * 12 + m - 1;
}

static int ym_days(int ym)
{
    return (int)(ym_first_day(ym + 1) - ym_first_day(ym));
}

/* 0 = Monday .. 6 = Sunday */
static int weekday(int64_t day)
{
    int64_t w = (day + 3) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

#define DAY 86400LL
#define HOUR 3600LL

/* ---------------------------------------------------------------- output */

typedef struct {
    FILE *f;
    char *buf;
    size_t len, cap;
    uint64_t rows;
    uint64_t bytes;
    const char *name;
} out_t;

static void out_flush(out_t *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
        die("%s: write failed: %s", o->name, strerror(errno));
    o->bytes += o->len;
    o->len = 0;
}

static void out_open(out_t *o, const char *dir, const char *name, const char *header)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path)
        die("output path too long");
    o->f = fopen(path, "wb");
    if (!o->f)
        die("%s: %s", path, strerror(errno));
    o->cap = 1 << 22;
    o->buf = xmalloc(o->cap);
    o->len = 0;
    o->rows = 0;
    o->bytes = 0;
    o->name = name;
    size_t hl = strlen(header);
    memcpy(o->buf, header, hl);
    o->buf[hl] = '\n';
    o->len = hl + 1;
}

static void out_close(out_t *o)
{
    out_flush(o);
    if (fclose(o->f) != 0)
        die("%s: close failed: %s", o->name, strerror(errno));
    free(o->buf);
    o->buf = NULL;
}

static void out_reserve(out_t *o, size_t n)
{
    if (o->len + n > o->cap)
        out_flush(o);
    if (n > o->cap)
        die("internal: field too long");
}

static void w_raw(out_t *o, const char *s, size_t n)
{
    out_reserve(o, n);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void w_c(out_t *o, char c)
{
    out_reserve(o, 1);
    o->buf[o->len++] = c;
}

static void w_sep(out_t *o)
{
    w_c(o, ',');
}

static void w_eol(out_t *o)
{
    w_c(o, '\n');
    o->rows++;
}

/* a text field, RFC 4180 quoted when it holds a comma, quote or line end */
static void w_field(out_t *o, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        w_raw(o, s, strlen(s));
        return;
    }
    w_c(o, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            w_c(o, '"');
        w_c(o, *p);
    }
    w_c(o, '"');
}

static void w_uint(out_t *o, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    out_reserve(o, (size_t)n);
    while (n)
        o->buf[o->len++] = tmp[--n];
}

/* "PFX-000123" */
static void w_id(out_t *o, const char *pfx, uint64_t v, int width)
{
    w_raw(o, pfx, strlen(pfx));
    w_uint(o, v, width);
}

/* cents as "1234.50"; with trim, whole amounts print as "1234" */
static void w_money(out_t *o, int64_t cents, int trim)
{
    if (cents < 0) {
        w_c(o, '-');
        cents = -cents;
    }
    w_uint(o, (uint64_t)(cents / 100), 1);
    if (trim && cents % 100 == 0)
        return;
    w_c(o, '.');
    w_uint(o, (uint64_t)(cents % 100), 2);
}

static void w_date(out_t *o, int64_t day)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    w_uint(o, (uint64_t)y, 4);
    w_c(o, '-');
    w_uint(o, (uint64_t)m, 2);
    w_c(o, '-');
    w_uint(o, (uint64_t)d, 2);
}

static void w_ym(out_t *o, int ym)
{
    w_uint(o, (uint64_t)(ym / 12), 4);
    w_c(o, '-');
    w_uint(o, (uint64_t)(ym % 12 + 1), 2);
}

/* seconds since the epoch as "2026-10-03T14:05:00Z"; 0 writes nothing */
static void w_ts(out_t *o, int64_t t)
{
    if (!t)
        return;
    int64_t day = t / DAY, s = t % DAY;
    w_date(o, day);
    w_c(o, 'T');
    w_uint(o, (uint64_t)(s / 3600), 2);
    w_c(o, ':');
    w_uint(o, (uint64_t)(s / 60 % 60), 2);
    w_c(o, ':');
    w_uint(o, (uint64_t)(s % 60), 2);
    w_c(o, 'Z');
}

/* -------------------------------------------------------------- the model */

enum { CH_SEARCH, CH_SOCIAL, CH_EVENTS, CH_WEBINARS, CH_CONTENT, CH_EMAIL,
       CH_PARTNERS, CH_ORGANIC, CH_DIRECT, NCH };

typedef struct {
    const char *name;
    double lead_share;  /* share of inbound leads */
    double mql_rate;    /* lead -> MQL */
    double win_rate;    /* won / closed, new business */
    double deal_mult;   /* deal size vs the $25k median */
    double cycle_mult;  /* sales cycle vs the median */
    double touch_w;     /* weight as a nurture / non-converting touch */
} channel_t;

static const channel_t CH[NCH] = {
    { "Paid Search",    0.25, 0.28, 0.15, 0.75, 0.85, 0.10 },
    { "Paid Social",    0.17, 0.24, 0.18, 0.85, 0.95, 0.14 },
    { "Events",         0.07, 0.55, 0.36, 1.65, 1.20, 0.04 },
    { "Webinars",       0.10, 0.42, 0.26, 1.00, 1.00, 0.12 },
    { "Content",        0.12, 0.27, 0.22, 0.95, 1.00, 0.16 },
    { "Email",          0.06, 0.36, 0.24, 0.90, 0.95, 0.22 },
    { "Partners",       0.04, 0.60, 0.38, 1.40, 1.10, 0.02 },
    { "Organic Search", 0.12, 0.33, 0.25, 1.00, 1.00, 0.12 },
    { "Direct",         0.07, 0.45, 0.30, 1.10, 1.00, 0.08 },
};

enum { SP_NONE, SP_DAILY, SP_MONTHLY, SP_EVENT, SP_QUARTERLY };

typedef struct {
    const char *name;
    int ch;
    int from_ym, to_ym;  /* active months, absolute; 0 = unbounded */
    double weight;       /* share of the channel's leads while active */
    double cpl;          /* spend per lead, USD */
    double fixed;        /* spend per active month, USD (booths, tools) */
    int spend;           /* SP_*: how the spend export spells dates */
    int event_day;       /* SP_EVENT: day of month of the event */
    const char *currency;
} campaign_t;

#define YM(y, m) ((y) * 12 + (m) - 1)

static const campaign_t CAMP[] = {
    { "Google Ads — Brand", CH_SEARCH, 0, 0, 1.0, 120, 0, SP_DAILY, 0, "USD" },
    { "Google Ads — Competitor Terms", CH_SEARCH, 0, 0, 0.7, 260, 0, SP_DAILY, 0, "USD" },
    { "Google Ads — Revenue Analytics (Generic)", CH_SEARCH, 0, 0, 1.3, 190, 0, SP_DAILY, 0, "USD" },
    { "Bing Ads — Brand & Generic", CH_SEARCH, YM(2025, 3), 0, 0.3, 140, 0, SP_DAILY, 0, "USD" },
    { "LinkedIn ABM — Financial Services", CH_SOCIAL, 0, 0, 1.0, 310, 0, SP_DAILY, 0, "USD" },
    { "LinkedIn ABM — Healthcare & Life Sciences", CH_SOCIAL, YM(2025, 6), 0, 0.8, 290, 0, SP_DAILY, 0, "USD" },
    { "LinkedIn Lead Gen — \"Forecasting Playbook\"", CH_SOCIAL, 0, 0, 1.0, 210, 0, SP_DAILY, 0, "USD" },
    { "Meta Retargeting — Website Visitors", CH_SOCIAL, 0, 0, 0.6, 150, 0, SP_DAILY, 0, "USD" },
    { "Q1 2026 Mid-Market Expansion Push — EMEA & Nordics", CH_SOCIAL, YM(2026, 1), YM(2026, 3), 1.2, 260, 0, SP_DAILY, 0, "USD" },
    { "Executive Dinner Series", CH_EVENTS, 0, 0, 1.0, 700, 6000, SP_MONTHLY, 0, "USD" },
    { "Gartner Data & Analytics Summit 2025 (London)", CH_EVENTS, YM(2025, 5), YM(2025, 5), 3.0, 180, 48000, SP_EVENT, 13, "GBP" },
    { "Q3 2025 Data Leaders Summit", CH_EVENTS, YM(2025, 9), YM(2025, 9), 3.0, 220, 65000, SP_EVENT, 17, "USD" },
    { "SaaStr Annual 2026 Booth", CH_EVENTS, YM(2026, 3), YM(2026, 3), 3.0, 200, 55000, SP_EVENT, 10, "USD" },
    { "Q3 2026 Data Leaders Summit", CH_EVENTS, YM(2026, 9), YM(2026, 9), 3.5, 230, 82000, SP_EVENT, 16, "USD" },
    { "Dreamforce 2025 Partner Pavilion", CH_EVENTS, YM(2025, 10), YM(2025, 10), 2.5, 240, 52000, SP_EVENT, 14, "USD" },
    { "Webinar: Pipeline Forecasting That Finance Trusts", CH_WEBINARS, 0, YM(2025, 12), 1.0, 105, 1500, SP_MONTHLY, 0, "USD" },
    { "Webinar Series — Attribution Without the Guesswork", CH_WEBINARS, YM(2025, 6), 0, 1.0, 115, 1800, SP_MONTHLY, 0, "USD" },
    { "Roundtable: Pipeline, Forecast & Board Reporting", CH_WEBINARS, YM(2026, 1), 0, 0.6, 130, 900, SP_MONTHLY, 0, "USD" },
    { "2025 State of Revenue Analytics Report", CH_CONTENT, 0, YM(2025, 12), 1.0, 120, 2500, SP_MONTHLY, 0, "USD" },
    { "2026 State of Revenue Analytics Report", CH_CONTENT, YM(2026, 1), 0, 1.0, 125, 2800, SP_MONTHLY, 0, "USD" },
    { "Content Syndication — TechTarget", CH_CONTENT, 0, 0, 0.8, 165, 0, SP_MONTHLY, 0, "USD" },
    { "The CFO's Guide to Marketing ROI (eBook)", CH_CONTENT, YM(2025, 4), 0, 0.5, 90, 600, SP_MONTHLY, 0, "USD" },
    { "Newsletter — The Revenue Brief", CH_EMAIL, 0, 0, 1.0, 14, 1200, SP_MONTHLY, 0, "USD" },
    { "Nurture — Trial to Demo Request", CH_EMAIL, 0, 0, 0.8, 20, 900, SP_MONTHLY, 0, "USD" },
    { "Partner & Reseller Push", CH_PARTNERS, 0, 0, 1.0, 150, 0, SP_QUARTERLY, 0, "USD" },
    { "AWS Marketplace Co-Sell", CH_PARTNERS, YM(2025, 7), 0, 0.6, 0, 0, SP_NONE, 0, "USD" },
    { "Website — Organic Search", CH_ORGANIC, 0, 0, 1.0, 0, 0, SP_NONE, 0, "USD" },
    { "Website — Direct Traffic", CH_DIRECT, 0, 0, 1.0, 0, 0, SP_NONE, 0, "USD" },
};
#define NCAMP ((int)(sizeof CAMP / sizeof CAMP[0]))

static int camp_active(int c, int ym)
{
    return (!CAMP[c].from_ym || ym >= CAMP[c].from_ym) && (!CAMP[c].to_ym || ym <= CAMP[c].to_ym);
}

/* Salesforce default stages, probabilities and forecast categories */
enum { ST_PROSPECTING, ST_QUALIFICATION, ST_NEEDS, ST_VALUE, ST_PROPOSAL,
       ST_NEGOTIATION, ST_WON, ST_LOST, NST };
static const struct {
    const char *name;
    int prob;
    const char *fcat;
} STAGE[NST] = {
    { "Prospecting", 10, "Pipeline" },
    { "Qualification", 10, "Pipeline" },
    { "Needs Analysis", 20, "Pipeline" },
    { "Value Proposition", 50, "Pipeline" },
    { "Proposal/Price Quote", 75, "Best Case" },
    { "Negotiation/Review", 90, "Commit" },
    { "Closed Won", 100, "Closed" },
    { "Closed Lost", 0, "Omitted" },
};

static const char *const OWNERS[] = {
    "Priya Raman", "Marcus Webb", "José Núñez", "Hannah Kowalski", "Daniel Okafor",
    "Zoë Fischer", "Liam O'Brien", "Mei Chen", "Sara Lindqvist", "Tom Becker",
    "Aisha Mensah", "Ryan Doyle",
};
#define NOWNERS ((int)(sizeof OWNERS / sizeof OWNERS[0]))

static const char *const ACC_A[] = {
    "Northwind", "Bluefin", "Cedar", "Granite", "Harbor", "Ironwood", "Juniper", "Keystone",
    "Lakeshore", "Meridian", "Nimbus", "Oakridge", "Pinecrest", "Quarry", "Redwood", "Summit",
    "Tidewater", "Upland", "Vantage", "Willow", "Yellowstone", "Zephyr", "Atlas", "Beacon",
    "Cobalt", "Driftwood", "Evergreen", "Foxglove", "Goldcrest", "Highline", "Indigo", "Jetstream",
    "Kingfisher", "Lighthouse", "Maple", "Nova", "Orchid", "Prairie", "Quantum", "Riverbend",
    "Sterling", "Trillium", "Unity", "Vertex", "Westfield", "Apex", "Brightwater", "Copperleaf",
};
static const char *const ACC_B[] = {
    "Logistics", "Health", "Financial", "Software", "Retail Group", "Manufacturing", "Energy",
    "Insurance", "Labs", "Media", "Capital", "Foods", "Biotech", "Networks", "Systems",
    "Pharma", "Mobility", "Payments", "Robotics", "Analytics", "Telecom", "Apparel", "Partners",
    "Holdings, Inc.", "Technologies, LLC", "& Sons",
};
static const char *const ACC_EU[] = {
    "Nordlicht Analytik GmbH", "Lumière Santé SA", "Brücke Logistik AG", "Soleil Énergie SAS",
    "Kødbyen Foods ApS", "Ålesund Maritime AS", "Zürcher Datenwerk AG", "Città Moda S.p.A.",
    "Fjällräven Kapital AB", "Groß & Klein Versand GmbH", "Oranje Betalingen B.V.", "Azul Seguros S.A.",
};
static const char *const ACC_UK[] = {
    "Thamesbridge Capital Ltd", "Pennine Health plc", "Mersey Freight Ltd", "Cotswold Organics Ltd",
    "Highland Distillers & Co", "Brighton Digital Ltd", "Clyde Engineering Ltd", "Oxford Biosciences plc",
};
#define NA(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const PRODUCTS[] = { "Kestrel Platform", "Kestrel Forecast", "Kestrel Attribution" };

enum { CUR_USD, CUR_EUR, CUR_GBP };
static const char *const CUR_NAME[] = { "USD", "EUR", "GBP" };

/* lead-volume seasonality by calendar month (Jan..Dec) */
static const double SEASON_LEADS[12] = { 0.95, 1.00, 1.08, 1.00, 1.00, 1.04, 0.80, 0.76, 1.08, 1.15, 1.12, 0.85 };
/* revenue plan seasonality by close month */
static const double SEASON_REV[12] = { 0.80, 0.85, 1.15, 0.85, 0.90, 1.15, 0.80, 0.75, 1.15, 0.95, 1.00, 1.45 };

typedef struct {
    int kind; /* 0 renewal, 1 expansion */
    uint32_t account;
    int64_t usd_cents;
    int64_t day;    /* renewal: anniversary; expansion: creation day */
    int64_t create; /* the opportunity's creation day */
} event_t;

typedef struct {
    event_t *v;
    size_t n, cap;
} evlist_t;

typedef struct {
    int64_t ts;
    int ch, camp;
    uint64_t contact;
    const char *ms;
    int post_opp; /* on or after the opportunity's creation */
} touch_t;

#define MAXT 96

typedef struct {
    rng_t r;
    double scale;
    double touch_extra; /* --touches: extra nurture touches per tracked lead (mean) */
    int spend_split;    /* --spend-rows-per-day: rows per daily campaign spend (keywords) */
    int start_ym, end_ym, months, warm;
    int64_t win_start, cutoff; /* seconds: first second of window, last second of data */
    uint32_t naccounts;
    uint64_t lead_seq, contact_seq, opp_seq, tp_seq;
    out_t opp, tp, lead;
    evlist_t *ev; /* per month index (warm-up included) */
    int nmi;      /* warm + months */
    /* per window month */
    int64_t *won_cents, *pipe_cents;
    uint64_t *mqls;
    uint64_t *camp_leads; /* [camp * months + mi] */
    int fx_from;          /* first ym with rates */
    int fx_n;
    int *fx_e4; /* [cur-1][i], rate * 10000 */
} gen_t;

static int mi_of_ym(const gen_t *g, int ym)
{
    return ym - g->start_ym; /* window month index; negative in warm-up */
}

static uint32_t hash32(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb3f97c15d4ebULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

/* account attributes derived from its number, not from the stream */
static int acc_currency(uint32_t a)
{
    uint32_t h = hash32(a * 7919ULL + 1) % 100;
    return h < 77 ? CUR_USD : h < 91 ? CUR_EUR : CUR_GBP;
}

static void acc_name(uint32_t a, char *buf, size_t n)
{
    uint32_t h = hash32(a * 104729ULL + 3);
    int cur = acc_currency(a);
    if (cur == CUR_EUR)
        snprintf(buf, n, "%s", ACC_EU[h % NA(ACC_EU)]);
    else if (cur == CUR_GBP)
        snprintf(buf, n, "%s", ACC_UK[h % NA(ACC_UK)]);
    else
        snprintf(buf, n, "%s %s", ACC_A[h % NA(ACC_A)], ACC_B[(h >> 12) % NA(ACC_B)]);
}

static const char *acc_owner(uint32_t a)
{
    return OWNERS[hash32(a * 31ULL + 17) % NOWNERS];
}

static int fx_rate_e4(const gen_t *g, int cur, int ym)
{
    if (cur == CUR_USD)
        return 10000;
    int i = ym - g->fx_from;
    if (i < 0)
        i = 0;
    if (i >= g->fx_n)
        i = g->fx_n - 1;
    return g->fx_e4[(cur - 1) * g->fx_n + i];
}

static void ev_push(gen_t *g, int64_t create_day, event_t e)
{
    int mi = mi_of_ym(g, ym_of_day(create_day)) + g->warm;
    if (mi < 0 || mi >= g->nmi)
        return; /* beyond the export: never happens in the data */
    evlist_t *l = &g->ev[mi];
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = e;
}

/* a random campaign of channel ch active in month ym, or -1 */
static int pick_campaign(gen_t *g, int ch, int ym)
{
    double tot = 0;
    for (int c = 0; c < NCAMP; c++)
        if (CAMP[c].ch == ch && camp_active(c, ym))
            tot += CAMP[c].weight;
    if (tot <= 0)
        return -1;
    double x = ru(&g->r) * tot;
    int last = -1;
    for (int c = 0; c < NCAMP; c++)
        if (CAMP[c].ch == ch && camp_active(c, ym)) {
            last = c;
            x -= CAMP[c].weight;
            if (x < 0)
                return c;
        }
    return last;
}

/* a random touch channel (nurture mix) with an active campaign at time t */
static void pick_touch(gen_t *g, int64_t t, int *ch, int *camp)
{
    int ym = ym_of_day(t / DAY);
    for (int tries = 0; tries < 8; tries++) {
        double tot = 0;
        for (int c = 0; c < NCH; c++)
            tot += CH[c].touch_w;
        double x = ru(&g->r) * tot;
        int c = 0;
        for (; c < NCH - 1; c++) {
            x -= CH[c].touch_w;
            if (x < 0)
                break;
        }
        int k = pick_campaign(g, c, ym);
        if (k >= 0) {
            *ch = c;
            *camp = k;
            return;
        }
    }
    *ch = CH_ORGANIC;
    *camp = pick_campaign(g, CH_ORGANIC, ym);
}

/* a business-hours-ish timestamp within day */
static int64_t ts_in_day(gen_t *g, int64_t day)
{
    int64_t s;
    if (chance(&g->r, 0.85))
        s = ri(&g->r, 7 * HOUR, 19 * HOUR);
    else
        s = ri(&g->r, 0, DAY - 1);
    return day * DAY + s;
}

/* a random day of month ym, weekends less likely */
static int64_t day_in_month(gen_t *g, int ym)
{
    int64_t d0 = ym_first_day(ym);
    int nd = ym_days(ym);
    for (;;) {
        int64_t d = d0 + ri(&g->r, 0, nd - 1);
        if (weekday(d) < 5 || chance(&g->r, 0.3))
            return d;
    }
}

static void write_touches(gen_t *g, touch_t *t, int n, uint32_t account, uint64_t opp_id)
{
    /* insertion sort by time (journeys are short) */
    for (int i = 1; i < n; i++) {
        touch_t x = t[i];
        int j = i - 1;
        while (j >= 0 && t[j].ts > x.ts) {
            t[j + 1] = t[j];
            j--;
        }
        t[j + 1] = x;
    }
    for (int i = 0; i < n; i++) {
        /* the opportunity link is drawn for every post-opp touch, kept or not */
        int link = t[i].post_opp && opp_id && chance(&g->r, 0.6);
        if (t[i].ts < g->win_start || t[i].ts > g->cutoff)
            continue;
        out_t *o = &g->tp;
        w_id(o, "TP-", ++g->tp_seq, 7);
        w_sep(o);
        w_ts(o, t[i].ts);
        w_sep(o);
        w_field(o, CH[t[i].ch].name);
        w_sep(o);
        if (t[i].camp >= 0)
            w_id(o, "CMP-", (uint64_t)t[i].camp + 1, 3);
        w_sep(o);
        w_id(o, "CON-", t[i].contact, 6);
        w_sep(o);
        w_id(o, "ACC-", account, 5);
        w_sep(o);
        if (link)
            w_id(o, "OPP-", opp_id, 6);
        w_sep(o);
        if (t[i].ms)
            w_field(o, t[i].ms);
        w_eol(o);
    }
}

static void add_touch(touch_t *t, int *n, int64_t ts, int ch, int camp, uint64_t contact,
                      const char *ms, int post)
{
    if (*n >= MAXT)
        return;
    t[*n].ts = ts;
    t[*n].ch = ch;
    t[*n].camp = camp;
    t[*n].contact = contact;
    t[*n].ms = ms;
    t[*n].post_opp = post;
    (*n)++;
}

static void add_nurture(gen_t *g, touch_t *t, int *n, int64_t from, int64_t to, uint64_t contact, int post)
{
    if (to <= from)
        return;
    int64_t ts = from + (int64_t)(ru(&g->r) * (double)(to - from));
    int ch, camp;
    pick_touch(g, ts, &ch, &camp);
    add_touch(t, n, ts, ch, camp, contact, NULL, post);
}

typedef struct {
    int type; /* 0 new_business, 1 expansion, 2 renewal */
    uint32_t account;
    int64_t usd_cents;
    int64_t created, close; /* days */
    int closed, won, stage, prob;
    const char *fcat;
    int ch, camp;
} opp_t;

static const char *const TYPE_NAME[] = { "new_business", "expansion", "renewal" };

/* Decide an opportunity's fate: its close date, outcome, and (if still open
 * at the cut-off) its stage.  planned is the cycle length in days. */
static void opp_fate(gen_t *g, opp_t *o, int planned, double p_win, int fixed_close)
{
    int64_t close = o->created + planned;
    int cutoff_day = (int)(g->cutoff / DAY);
    if (!fixed_close) {
        int y, m, d;
        civil_from_days(close, &y, &m, &d);
        /* end-of-quarter push: deals due in the quarter's first two months
         * slip or get pulled into the quarter-end month's last days */
        if (m % 3 != 0 && chance(&g->r, m == 11 || m == 10 ? 0.40 : 0.25)) {
            int qe = y * 12 + (m + 2) / 3 * 3 - 1;
            int64_t nd = ym_first_day(qe) + ym_days(qe) - 1 - ri(&g->r, 0, 9);
            if (nd - close <= 50 && nd > o->created + 14)
                close = nd;
        }
        /* summer: August deals slip into September */
        civil_from_days(close, &y, &m, &d);
        if (m == 8 && chance(&g->r, 0.40))
            close += ri(&g->r, 14, 35);
    }
    int y, m, d;
    civil_from_days(close, &y, &m, &d);
    double boost = (m == 12) ? 1.25 : (m % 3 == 0) ? 1.12 : (m == 7 || m == 8) ? 0.85 : 1.0;
    o->won = chance(&g->r, p_win * boost);
    if (!o->won && !fixed_close) {
        double f = rf(&g->r, 0.25, 1.0);
        close = o->created + (int64_t)(f * (double)(close - o->created));
        if (close <= o->created)
            close = o->created + 1;
    }
    double progress = ru(&g->r);
    double override = ru(&g->r);
    if (close <= cutoff_day) {
        o->closed = 1;
        o->close = close;
        o->stage = o->won ? ST_WON : ST_LOST;
        o->prob = STAGE[o->stage].prob;
        o->fcat = STAGE[o->stage].fcat;
        return;
    }
    /* still open at the cut-off: the close date is the planned one */
    o->closed = 0;
    o->won = 0;
    int64_t pc = o->created + planned;
    if (pc <= cutoff_day)
        pc = cutoff_day + 1 + (int64_t)(progress * 40);
    o->close = pc;
    double done = (double)(cutoff_day - o->created) / (double)(pc - o->created);
    done = done * 0.8 + progress * 0.2;
    o->stage = done < 0.15 ? ST_PROSPECTING : done < 0.30 ? ST_QUALIFICATION : done < 0.50 ? ST_NEEDS
             : done < 0.70 ? ST_VALUE : done < 0.85 ? ST_PROPOSAL : ST_NEGOTIATION;
    o->prob = STAGE[o->stage].prob;
    o->fcat = STAGE[o->stage].fcat;
    if (override < 0.12 && o->stage == ST_VALUE)
        o->fcat = "Best Case";
    else if (override < 0.12 && o->stage == ST_PROPOSAL)
        o->fcat = "Commit";
}

static void write_opp(gen_t *g, const opp_t *o, uint64_t id)
{
    int64_t cutoff_day = g->cutoff / DAY;
    if (o->created > cutoff_day || (o->closed && o->close < g->win_start / DAY))
        return;
    int mi = mi_of_ym(g, ym_of_day(o->created));
    if (mi >= 0 && mi < g->months)
        g->pipe_cents[mi] += o->usd_cents;
    if (o->won) {
        int cm = mi_of_ym(g, ym_of_day(o->close));
        if (cm >= 0 && cm < g->months)
            g->won_cents[cm] += o->usd_cents;
    }
    int cur = acc_currency(o->account);
    int rate = fx_rate_e4(g, cur, ym_of_day(o->created));
    int64_t cents = o->usd_cents * 10000 / rate;
    char an[96], name[192];
    acc_name(o->account, an, sizeof an);
    const char *prod = PRODUCTS[hash32(id * 13 + 5) % 3];
    if (o->type == 0)
        snprintf(name, sizeof name, "%s — %s", an, prod);
    else if (o->type == 1)
        snprintf(name, sizeof name, "%s — %s seats expansion", an, prod);
    else {
        int y, m, d;
        civil_from_days(o->close, &y, &m, &d);
        snprintf(name, sizeof name, "%s — Renewal FY%02d", an, (y + (m > 1)) % 100);
    }
    out_t *w = &g->opp;
    w_id(w, "OPP-", id, 6);
    w_sep(w);
    w_id(w, "ACC-", o->account, 5);
    w_sep(w);
    w_field(w, name);
    w_sep(w);
    w_field(w, TYPE_NAME[o->type]);
    w_sep(w);
    w_field(w, STAGE[o->stage].name);
    w_sep(w);
    w_field(w, o->closed ? "true" : "false");
    w_sep(w);
    w_field(w, o->won ? "true" : "false");
    w_sep(w);
    w_money(w, cents, 1);
    w_sep(w);
    w_field(w, CUR_NAME[cur]);
    w_sep(w);
    w_uint(w, (uint64_t)o->prob, 1);
    w_sep(w);
    w_field(w, o->fcat);
    w_sep(w);
    w_date(w, o->created);
    w_sep(w);
    w_date(w, o->close);
    w_sep(w);
    w_field(w, acc_owner(o->account));
    w_sep(w);
    w_field(w, o->type == 0 ? CH[o->ch].name : "Existing Customer");
    w_sep(w);
    if (o->type == 0 && o->camp >= 0)
        w_id(w, "CMP-", (uint64_t)o->camp + 1, 3);
    w_eol(w);
}

/* a deal amount in USD cents: whole tens of dollars, some with cents */
static int64_t deal_cents(gen_t *g, double median, double sigma)
{
    double usd = rlognorm(&g->r, median, sigma);
    if (usd < 2500)
        usd = 2500 + usd / 10;
    int64_t c = to_cents(usd);
    if (chance(&g->r, 0.85))
        c = (c + 500) / 1000 * 1000;
    return c;
}

static void schedule_followups(gen_t *g, const opp_t *o)
{
    if (!o->won)
        return;
    event_t e;
    e.account = o->account;
    /* renewal at the anniversary: subscription value, with an uplift */
    e.kind = 0;
    e.usd_cents = o->type == 2 ? o->usd_cents : o->usd_cents;
    e.usd_cents = e.usd_cents + e.usd_cents * ri(&g->r, 0, 8) / 100;
    e.day = o->close + 365;
    e.create = e.day - ri(&g->r, 60, 100);
    ev_push(g, e.create, e);
    if (o->type != 1 && chance(&g->r, 0.35)) {
        e.kind = 1;
        e.usd_cents = deal_cents(g, 12000, 0.8);
        e.day = o->close + ri(&g->r, 90, 270);
        e.create = e.day;
        ev_push(g, e.create, e);
    }
}

static void gen_lead(gen_t *g, int ym, int ch, int camp)
{
    rng_t *r = &g->r;
    int mi = mi_of_ym(g, ym);
    uint64_t lead_id = ++g->lead_seq;
    uint64_t contact = ++g->contact_seq;
    uint32_t account = (uint32_t)ri(r, 1, g->naccounts);
    int64_t created = ts_in_day(g, day_in_month(g, ym));
    int64_t mql = 0, sal = 0, sql = 0, fc = 0, oppday = -1;

    if (chance(r, CH[ch].mql_rate)) {
        mql = created + (chance(r, 0.45) ? ri(r, 60, 3600) : ri(r, HOUR, 14 * DAY));
        /* speed to lead: mostly hours, a tail of days */
        if (chance(r, 0.95)) {
            double h = rlognorm(r, 2.5, 1.5);
            if (h > 240)
                h = 240;
            fc = mql + 300 + (int64_t)(h * 3600);
        }
        if (fc && chance(r, 0.84)) {
            sal = fc + ri(r, 2 * HOUR, 5 * DAY);
            if (chance(r, 0.52)) {
                sql = sal + ri(r, 2 * DAY, 21 * DAY);
                if (chance(r, 0.60))
                    oppday = (sql + ri(r, 0, 10 * DAY)) / DAY;
            }
        }
    }
    /* what the export knows at the cut-off */
    int64_t cut = g->cutoff;
    if (mql > cut) mql = 0;
    if (fc > cut || !mql) fc = 0;
    if (sal > cut || !mql) sal = 0;
    if (sql > cut || !sal) sql = 0;
    if (oppday * DAY > cut || !sql) oppday = -1;

    int has_ms = chance(r, 0.70);
    touch_t t[MAXT];
    int nt = 0;
    opp_t o;
    uint64_t opp_id = 0;
    memset(&o, 0, sizeof o);
    o.camp = -1;

    if (oppday >= 0) {
        opp_id = ++g->opp_seq;
        o.type = 0;
        o.account = account;
        o.ch = ch;
        o.camp = camp;
        o.created = oppday;
        o.usd_cents = deal_cents(g, 25000 * CH[ch].deal_mult, 0.65);
        double sizef = my_exp(0.2 * my_log((double)o.usd_cents / 2500000.0));
        int planned = (int)(rlognorm(r, 55, 0.40) * CH[ch].cycle_mult * sizef);
        if (planned < 30) planned = 30 + (int)ri(r, 0, 10);
        if (planned > 150) planned = 150 - (int)ri(r, 0, 20);
        opp_fate(g, &o, planned, CH[ch].win_rate, 0);
    }

    /* touches: before the lead, the lead's own, nurture, the opportunity */
    /* leads that never engage further are often untracked (list imports,
     * badge scans, chat): no touchpoint at all for 45% of them */
    int tracked = mql || chance(r, 0.55);
    int npre = oppday >= 0 ? (int)ri(r, 1, 3) : mql ? (int)ri(r, 0, 1) : tracked ? chance(r, 0.15) : 0;
    int64_t first = created - ri(r, 1 * DAY, 60 * DAY);
    for (int i = 0; i < npre; i++)
        add_nurture(g, t, &nt, first, created - 600, contact, 0);
    if (tracked)
        add_touch(t, &nt, created - ri(r, 1, 120), ch, camp, contact, has_ms ? "lead_created" : NULL, 0);
    if (oppday >= 0) {
        int64_t ocreate = o.created * DAY;
        int64_t oc_ts = ocreate - ri(r, 2 * HOUR, 3 * DAY);
        if (oc_ts <= created)
            oc_ts = created + (ocreate - created) / 2;
        int nmid = (int)ri(r, 0, 3);
        for (int i = 0; i < nmid; i++)
            add_nurture(g, t, &nt, created + 600, oc_ts - 60, contact, 0);
        int och, ocamp;
        pick_touch(g, oc_ts, &och, &ocamp);
        add_touch(t, &nt, oc_ts, och, ocamp, contact, has_ms ? "opportunity_created" : NULL, 1);
        int64_t end = o.closed ? o.close * DAY : g->cutoff;
        int64_t cw_ts = o.won ? o.close * DAY - ri(r, 2 * HOUR, 4 * DAY) : 0;
        if (cw_ts && cw_ts <= ocreate + HOUR)
            cw_ts = ocreate + (o.close * DAY - ocreate) / 2;
        int npost = (int)ri(r, 0, 4);
        for (int i = 0; i < npost; i++)
            add_nurture(g, t, &nt, ocreate + HOUR, cw_ts ? cw_ts - 60 : end, contact, 1);
        /* the buying committee: other contacts of the account */
        int ncom = (int)ri(r, 0, 2);
        for (int i = 0; i < ncom; i++) {
            uint64_t other = ++g->contact_seq;
            add_nurture(g, t, &nt, ocreate + HOUR, cw_ts ? cw_ts - 60 : end, other, 1);
        }
        if (cw_ts) {
            int cch, ccamp;
            pick_touch(g, cw_ts, &cch, &ccamp);
            add_touch(t, &nt, cw_ts, cch, ccamp, contact, has_ms ? "closed_won" : NULL, 1);
        }
    } else if (mql) {
        int nmid = (int)ri(r, 0, 1);
        for (int i = 0; i < nmid; i++)
            add_nurture(g, t, &nt, created + 600, created + 45 * DAY, contact, 0);
    }
    if (g->touch_extra > 0 && tracked) {
        /* enterprise volume: web visits and e-mail engagement around the
         * lead (before the opportunity, if any); only with --touches, so the
         * default output keeps its bytes */
        int64_t to = oppday >= 0 ? o.created * DAY - 600 : created + 45 * DAY;
        int nx = (int)g->touch_extra;
        nx += chance(r, g->touch_extra - nx);
        for (int i = 0; i < nx; i++)
            add_nurture(g, t, &nt, first, to, contact, 0);
    }
    write_touches(g, t, nt, account, opp_id);
    if (opp_id) {
        write_opp(g, &o, opp_id);
        schedule_followups(g, &o);
    }

    if (mi < 0 || created > g->cutoff)
        return;
    if (mql)
        g->mqls[mi]++;
    g->camp_leads[(size_t)camp * (size_t)g->months + (size_t)mi]++;
    out_t *w = &g->lead;
    w_id(w, "LEAD-", lead_id, 6);
    w_sep(w);
    w_id(w, "CON-", contact, 6);
    w_sep(w);
    w_id(w, "ACC-", account, 5);
    w_sep(w);
    w_ts(w, created);
    w_sep(w);
    w_field(w, CH[ch].name);
    w_sep(w);
    w_id(w, "CMP-", (uint64_t)camp + 1, 3);
    w_sep(w);
    w_ts(w, mql);
    w_sep(w);
    w_ts(w, sal);
    w_sep(w);
    w_ts(w, sql);
    w_sep(w);
    w_ts(w, fc);
    w_sep(w);
    if (opp_id && o.created <= g->cutoff / DAY)
        w_id(w, "OPP-", opp_id, 6);
    w_eol(w);
}

/* renewals and expansions of existing customers */
static void gen_event(gen_t *g, const event_t *e)
{
    rng_t *r = &g->r;
    opp_t o;
    memset(&o, 0, sizeof o);
    o.account = e->account;
    o.usd_cents = e->usd_cents;
    o.ch = CH_EMAIL;
    o.camp = -1;
    if (e->kind == 0) {
        o.type = 2;
        o.created = e->create;
        opp_fate(g, &o, (int)(e->day - e->create), 0.86, 1);
    } else {
        o.type = 1;
        o.created = e->day;
        opp_fate(g, &o, (int)ri(r, 20, 75), 0.50, 0);
    }
    uint64_t id = ++g->opp_seq;
    /* account engagement: a few contacts' touches around the deal */
    int has_ms = chance(r, 0.70);
    touch_t t[MAXT];
    int nt = 0;
    uint64_t c1 = ++g->contact_seq;
    int64_t ocreate = o.created * DAY;
    int npre = (int)ri(r, 1, 3);
    for (int i = 0; i < npre; i++)
        add_nurture(g, t, &nt, ocreate - 60 * DAY, ocreate - 4 * DAY, c1, 0);
    int ch, camp;
    int64_t oc_ts = ocreate - ri(r, 2 * HOUR, 3 * DAY);
    pick_touch(g, oc_ts, &ch, &camp);
    add_touch(t, &nt, oc_ts, ch, camp, c1, has_ms ? "opportunity_created" : NULL, 1);
    int64_t end = o.closed ? o.close * DAY : g->cutoff;
    int64_t cw_ts = o.won ? o.close * DAY - ri(r, 2 * HOUR, 4 * DAY) : 0;
    if (cw_ts && cw_ts <= ocreate + HOUR)
        cw_ts = ocreate + (o.close * DAY - ocreate) / 2;
    int npost = (int)ri(r, 0, 3);
    uint64_t c2 = chance(r, 0.5) ? ++g->contact_seq : c1;
    for (int i = 0; i < npost; i++)
        add_nurture(g, t, &nt, ocreate + HOUR, cw_ts ? cw_ts - 60 : end, i % 2 ? c2 : c1, 1);
    if (cw_ts) {
        pick_touch(g, cw_ts, &ch, &camp);
        add_touch(t, &nt, cw_ts, ch, camp, c1, has_ms ? "closed_won" : NULL, 1);
    }
    write_touches(g, t, nt, o.account, id);
    write_opp(g, &o, id);
    schedule_followups(g, &o);
}

/* contacts who engage but never become leads */
static void gen_anonymous(gen_t *g, int ym)
{
    rng_t *r = &g->r;
    uint64_t contact = ++g->contact_seq;
    uint32_t account = (uint32_t)ri(r, 1, g->naccounts);
    touch_t t[MAXT];
    int nt = 0;
    int n = (int)ri(r, 1, 3);
    int64_t base = ts_in_day(g, day_in_month(g, ym));
    for (int i = 0; i < n; i++)
        add_nurture(g, t, &nt, base, base + 20 * DAY, contact, 0);
    write_touches(g, t, nt, account, 0);
}

static double growth(int mi)
{
    return my_exp(my_log(1.30) * mi / 12.0);
}

static void simulate(gen_t *g)
{
    rng_t *r = &g->r;
    /* lead intensity per channel: active campaign weight vs its average */
    double avg_int[NCH] = { 0 };
    for (int mi = 0; mi < g->months; mi++)
        for (int c = 0; c < NCAMP; c++)
            if (camp_active(c, g->start_ym + mi))
                avg_int[CAMP[c].ch] += CAMP[c].weight / g->months;

    /* customers from before the data: their renewals fall in the first year */
    int nseed = (int)(260 * g->scale + 0.5);
    for (int i = 0; i < nseed; i++) {
        event_t e;
        e.kind = 0;
        e.account = (uint32_t)ri(r, 1, g->naccounts);
        e.usd_cents = deal_cents(g, 30000, 0.7);
        e.day = ym_first_day(g->start_ym - 2) + ri(r, 0, 365 + 60);
        e.create = e.day - ri(r, 60, 100);
        ev_push(g, e.create, e);
    }

    for (int mi = -g->warm; mi < g->months; mi++) {
        int ym = g->start_ym + mi;
        double base = 650.0 * g->scale * growth(mi) * SEASON_LEADS[ym % 12];
        for (int ch = 0; ch < NCH; ch++) {
            double inten = 0;
            for (int c = 0; c < NCAMP; c++)
                if (CAMP[c].ch == ch && camp_active(c, ym))
                    inten += CAMP[c].weight;
            /* only events come in bursts; other channels keep their volume
             * and split it over their active campaigns */
            if (ch != CH_EVENTS)
                inten = 1;
            else if (avg_int[ch] > 0)
                inten /= avg_int[ch];
            double noise = rf(r, 0.9, 1.1);
            int64_t n = (int64_t)(base * CH[ch].lead_share * inten * noise + 0.5);
            for (int64_t i = 0; i < n; i++) {
                int camp = pick_campaign(g, ch, ym);
                if (camp < 0)
                    break;
                gen_lead(g, ym, ch, camp);
            }
        }
        evlist_t *l = &g->ev[mi + g->warm];
        for (size_t i = 0; i < l->n; i++)
            gen_event(g, &l->v[i]);
        free(l->v);
        l->v = NULL;
        l->n = l->cap = 0;
        int64_t nanon = (int64_t)(45 * g->scale * growth(mi) + 0.5);
        for (int64_t i = 0; i < nanon; i++)
            gen_anonymous(g, ym);
    }
}

/* --------------------------------------------------------- small files */

static void write_campaigns(gen_t *g, const char *dir, uint64_t *rows)
{
    (void)g;
    out_t o;
    out_open(&o, dir, "campaigns.csv", "campaign_id,name,channel");
    for (int c = 0; c < NCAMP; c++) {
        w_id(&o, "CMP-", (uint64_t)c + 1, 3);
        w_sep(&o);
        w_field(&o, CAMP[c].name);
        w_sep(&o);
        w_field(&o, CH[CAMP[c].ch].name);
        w_eol(&o);
    }
    *rows = o.rows;
    out_close(&o);
}

static void make_fx(gen_t *g)
{
    g->fx_from = g->start_ym - g->warm - 1;
    g->fx_n = g->warm + g->months + 1 + 6;
    g->fx_e4 = xmalloc(sizeof(int) * 2 * (size_t)g->fx_n);
    double eur = 1.0850, gbp = 1.2650;
    for (int i = 0; i < g->fx_n; i++) {
        int ym = g->fx_from + i;
        if (ym <= g->end_ym) {
            eur *= 1 + rnorm(&g->r) * 0.012;
            gbp *= 1 + rnorm(&g->r) * 0.011;
        }
        g->fx_e4[i] = (int)(eur * 10000 + 0.5);
        g->fx_e4[g->fx_n + i] = (int)(gbp * 10000 + 0.5);
    }
}

static void w_rate(out_t *o, int e4)
{
    w_uint(o, (uint64_t)(e4 / 10000), 1);
    w_c(o, '.');
    w_uint(o, (uint64_t)(e4 % 10000), 4);
}

static void write_fx(gen_t *g, const char *dir, uint64_t *rows)
{
    out_t o;
    out_open(&o, dir, "fx.csv", "month,currency,rate");
    for (int i = 0; i < g->fx_n; i++)
        for (int cur = CUR_EUR; cur <= CUR_GBP; cur++) {
            w_ym(&o, g->fx_from + i);
            w_sep(&o);
            w_field(&o, CUR_NAME[cur]);
            w_sep(&o);
            w_rate(&o, g->fx_e4[(cur - 1) * g->fx_n + i]);
            w_eol(&o);
        }
    *rows = o.rows;
    out_close(&o);
}

static void write_spend(gen_t *g, const char *dir, uint64_t *rows)
{
    rng_t *r = &g->r;
    out_t o;
    out_open(&o, dir, "spend.csv", "date,channel,campaign_id,amount,currency");
    for (int mi = 0; mi < g->months; mi++) {
        int ym = g->start_ym + mi;
        for (int c = 0; c < NCAMP; c++) {
            const campaign_t *k = &CAMP[c];
            if (k->spend == SP_NONE || !camp_active(c, ym))
                continue;
            uint64_t nl = g->camp_leads[(size_t)c * (size_t)g->months + (size_t)mi];
            double usd = (double)nl * k->cpl * rf(r, 0.85, 1.15) + k->fixed * g->scale * rf(r, 0.95, 1.05);
            int rate = fx_rate_e4(g, k->currency[0] == 'G' ? CUR_GBP : k->currency[0] == 'E' ? CUR_EUR : CUR_USD, ym);
            int64_t cents = to_cents(usd) * 10000 / rate;
            if (k->spend == SP_DAILY) {
                int nd = ym_days(ym);
                int64_t d0 = ym_first_day(ym);
                int64_t w[31], tot = 0;
                for (int d = 0; d < nd; d++) {
                    w[d] = (weekday(d0 + d) < 5 ? 100 : 55) + ri(r, 0, 30);
                    tot += w[d];
                }
                int64_t left = cents;
                for (int d = 0; d < nd; d++) {
                    int64_t part = d == nd - 1 ? left : cents * w[d] / tot;
                    left -= part;
                    /* --spend-rows-per-day: the day's spend over keyword rows
                     * (same date and campaign; cents add up exactly) */
                    int ns = g->spend_split > 1 ? g->spend_split : 1;
                    int64_t kleft = part;
                    for (int kw = 0; kw < ns; kw++) {
                        int64_t kpart = kw == ns - 1 ? kleft : part / ns;
                        kleft -= kpart;
                        w_date(&o, d0 + d);
                        w_sep(&o);
                        w_field(&o, CH[k->ch].name);
                        w_sep(&o);
                        w_id(&o, "CMP-", (uint64_t)c + 1, 3);
                        w_sep(&o);
                        w_money(&o, kpart, 0);
                        w_sep(&o);
                        w_field(&o, k->currency);
                        w_eol(&o);
                    }
                }
                continue;
            }
            if (k->spend == SP_QUARTERLY) {
                /* partner MDF is invoiced per quarter, in its last month */
                if (ym % 3 != 2) {
                    continue;
                }
                cents = 0;
                for (int j = 0; j < 3 && mi - j >= 0; j++)
                    cents += to_cents((double)g->camp_leads[(size_t)c * (size_t)g->months + (size_t)(mi - j)] * k->cpl);
                cents = cents / 100 * 100;
            }
            if (k->spend == SP_EVENT)
                w_date(&o, ym_first_day(ym) + k->event_day - 1);
            else
                w_ym(&o, ym);
            w_sep(&o);
            w_field(&o, CH[k->ch].name);
            w_sep(&o);
            w_id(&o, "CMP-", (uint64_t)c + 1, 3);
            w_sep(&o);
            w_money(&o, cents, 0);
            w_sep(&o);
            w_field(&o, k->currency);
            w_eol(&o);
        }
    }
    *rows = o.rows;
    out_close(&o);
}

/* log-linear trend of a monthly series after removing seasonality:
 * x[mi] / season[ym % 12] ~ exp(a + b * mi) */
static void fit_trend(const gen_t *g, const double *x, const double *season, double *a, double *b)
{
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int mi = 0; mi < g->months; mi++) {
        if (x[mi] <= 0)
            continue;
        double y = my_log(x[mi] / season[(g->start_ym + mi) % 12]);
        n += 1;
        sx += mi;
        sy += y;
        sxx += (double)mi * mi;
        sxy += mi * y;
    }
    double den = n * sxx - sx * sx;
    *b = den > 0 ? (n * sxy - sx * sy) / den : 0;
    *a = n > 0 ? (sy - *b * sx) / n : 0;
}

/* plan figures: the trend fitted to the actuals, times seasonality, a
 * little ahead of what happened; through the end of the next quarter */
static void write_targets(gen_t *g, const char *dir, uint64_t *rows)
{
    double *x = xmalloc(sizeof(double) * 3 * (size_t)g->months);
    double ab[3][2];
    for (int mi = 0; mi < g->months; mi++) {
        x[mi] = (double)g->won_cents[mi];
        x[g->months + mi] = (double)g->pipe_cents[mi];
        x[2 * g->months + mi] = (double)g->mqls[mi];
    }
    fit_trend(g, x, SEASON_REV, &ab[0][0], &ab[0][1]);
    fit_trend(g, x + g->months, SEASON_LEADS, &ab[1][0], &ab[1][1]);
    fit_trend(g, x + 2 * g->months, SEASON_LEADS, &ab[2][0], &ab[2][1]);
    free(x);
    out_t o;
    out_open(&o, dir, "targets.csv", "month,revenue_target,pipeline_target,mql_target");
    int last = g->end_ym + 2;
    if (last % 12 % 3 != 2)
        last += 2 - last % 12 % 3;
    for (int ym = g->start_ym; ym <= last; ym++) {
        int mi = ym - g->start_ym;
        double rv = my_exp(ab[0][0] + ab[0][1] * mi) * SEASON_REV[ym % 12] * 1.04;
        double pv = my_exp(ab[1][0] + ab[1][1] * mi) * SEASON_LEADS[ym % 12] * 1.05;
        double mv = my_exp(ab[2][0] + ab[2][1] * mi) * SEASON_LEADS[ym % 12] * 1.03;
        w_ym(&o, ym);
        w_sep(&o);
        w_money(&o, ((int64_t)(rv + 0.5) + 500000) / 1000000 * 1000000, 1);
        w_sep(&o);
        w_money(&o, ((int64_t)(pv + 0.5) + 500000) / 1000000 * 1000000, 1);
        w_sep(&o);
        w_uint(&o, (uint64_t)((mv + 5) / 10) * 10, 1);
        w_eol(&o);
    }
    *rows = o.rows;
    out_close(&o);
}

static int64_t first_business_day(int ym)
{
    int64_t d = ym_first_day(ym);
    if (ym % 12 == 0)
        d++; /* New Year's Day */
    while (weekday(d) >= 5)
        d++;
    return d;
}

static void write_forecasts(gen_t *g, const char *dir, uint64_t *rows)
{
    rng_t *r = &g->r;
    out_t o;
    out_open(&o, dir, "forecasts.csv", "month,submitted_at,category,amount");
    for (int mi = 0; mi < g->months; mi++) {
        int ym = g->start_ym + mi;
        double actual = (double)g->won_cents[mi] / 100;
        double miss = ru(r);
        double f = miss < 0.22 ? rf(r, 1.03, 1.20) : rf(r, 0.80, 0.97);
        double commit = actual * f;
        double best = (commit > actual ? commit : actual) * rf(r, 1.08, 1.25);
        double pipe = best * rf(r, 1.35, 1.75);
        static const char *const cat[] = { "commit", "best_case", "pipeline" };
        double v[3] = { commit, best, pipe };
        for (int k = 0; k < 3; k++) {
            w_ym(&o, ym);
            w_sep(&o);
            w_date(&o, first_business_day(ym));
            w_sep(&o);
            w_field(&o, cat[k]);
            w_sep(&o);
            w_money(&o, (to_cents(v[k]) + 50000) / 100000 * 100000, 1);
            w_eol(&o);
        }
    }
    *rows = o.rows;
    out_close(&o);
}

/* ------------------------------------------------------------------ main */

static void usage(void)
{
    fputs("usage: gensample --out DIR [--seed N] [--end YYYY-MM] [--months N] [--scale F]\n"
          "                 [--touches F] [--spend-rows-per-day N]\n"
          "  --touches F              extra web / e-mail touches per tracked lead (mean; default 0)\n"
          "  --spend-rows-per-day N   split each daily campaign spend over N keyword rows (default 1)\n"
          "  enterprise year for `make bench`: --months 12 --scale 95 --touches 8 --spend-rows-per-day 1800\n",
          stderr);
    exit(2);
}

static long parse_long(const char *s, long lo, long hi, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        die("bad %s: \"%s\"", what, s);
    return v;
}

int main(int argc, char **argv)
{
    const char *dir = NULL;
    uint64_t seed = 42;
    int end_ym = YM(2026, 10), months = 24;
    double scale = 1, touch_extra = 0;
    int spend_split = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            usage();
        if (!v)
            usage();
        i++;
        if (!strcmp(a, "--out"))
            dir = v;
        else if (!strcmp(a, "--seed")) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (errno || end == v || *end)
                die("bad seed: \"%s\"", v);
            seed = s;
        } else if (!strcmp(a, "--end")) {
            char *end;
            errno = 0;
            long y = strtol(v, &end, 10);
            if (errno || end == v || *end != '-' || y < 1990 || y > 2200)
                die("bad --end (want YYYY-MM): \"%s\"", v);
            long m = parse_long(end + 1, 1, 12, "--end month");
            end_ym = (int)(y * 12 + m - 1);
        } else if (!strcmp(a, "--touches")) {
            char *end;
            errno = 0;
            touch_extra = strtod(v, &end);
            if (errno || end == v || *end || !(touch_extra >= 0) || touch_extra > 60)
                die("bad --touches (0 to 60): \"%s\"", v);
        } else if (!strcmp(a, "--spend-rows-per-day"))
            spend_split = (int)parse_long(v, 1, 100000, "--spend-rows-per-day");
        else if (!strcmp(a, "--months"))
            months = (int)parse_long(v, 1, 240, "--months");
        else if (!strcmp(a, "--scale")) {
            char *end;
            errno = 0;
            scale = strtod(v, &end);
            if (errno || end == v || *end || !(scale > 0) || scale > 100000)
                die("bad --scale: \"%s\"", v);
        } else
            usage();
    }
    if (!dir)
        usage();

    gen_t g;
    memset(&g, 0, sizeof g);
    rng_seed(&g.r, seed);
    g.scale = scale;
    g.touch_extra = touch_extra;
    g.spend_split = spend_split;
    g.end_ym = end_ym;
    g.months = months;
    g.start_ym = end_ym - months + 1;
    g.warm = 6;
    g.nmi = g.warm + months;
    g.win_start = ym_first_day(g.start_ym) * DAY;
    g.cutoff = ym_first_day(end_ym + 1) * DAY - 1;
    double na = 9000 * scale;
    g.naccounts = na > 4e9 ? 4000000000u : (uint32_t)(na + 1);
    g.ev = xmalloc(sizeof *g.ev * (size_t)g.nmi);
    memset(g.ev, 0, sizeof *g.ev * (size_t)g.nmi);
    g.won_cents = xmalloc(sizeof(int64_t) * (size_t)months);
    g.pipe_cents = xmalloc(sizeof(int64_t) * (size_t)months);
    g.mqls = xmalloc(sizeof(uint64_t) * (size_t)months);
    g.camp_leads = xmalloc(sizeof(uint64_t) * (size_t)months * NCAMP);
    memset(g.won_cents, 0, sizeof(int64_t) * (size_t)months);
    memset(g.pipe_cents, 0, sizeof(int64_t) * (size_t)months);
    memset(g.mqls, 0, sizeof(uint64_t) * (size_t)months);
    memset(g.camp_leads, 0, sizeof(uint64_t) * (size_t)months * NCAMP);

    make_fx(&g);
    out_open(&g.opp, dir, "opportunities.csv",
             "opportunity_id,account_id,name,type,stage,is_closed,is_won,amount,currency,probability,"
             "forecast_category,created_date,close_date,owner,lead_source,campaign_id");
    out_open(&g.tp, dir, "touchpoints.csv",
             "touchpoint_id,timestamp,channel,campaign_id,contact_id,account_id,opportunity_id,milestone");
    out_open(&g.lead, dir, "leads.csv",
             "lead_id,contact_id,account_id,created_at,channel,campaign_id,mql_at,sal_at,sql_at,"
             "first_contact_at,opportunity_id");
    simulate(&g);
    uint64_t n_opp = g.opp.rows, n_tp = g.tp.rows, n_lead = g.lead.rows;
    uint64_t bytes = 0;
    out_close(&g.opp);
    out_close(&g.tp);
    out_close(&g.lead);
    bytes = g.opp.bytes + g.tp.bytes + g.lead.bytes;
    uint64_t n_sp, n_camp, n_tg, n_fc, n_fx;
    write_spend(&g, dir, &n_sp);
    write_campaigns(&g, dir, &n_camp);
    write_targets(&g, dir, &n_tg);
    write_forecasts(&g, dir, &n_fc);
    write_fx(&g, dir, &n_fx);
    fprintf(stderr,
            "gensample: opportunities=%llu touchpoints=%llu leads=%llu spend=%llu campaigns=%llu "
            "targets=%llu forecasts=%llu fx=%llu (%.1f MB in the three large files)\n",
            (unsigned long long)n_opp, (unsigned long long)n_tp, (unsigned long long)n_lead,
            (unsigned long long)n_sp, (unsigned long long)n_camp, (unsigned long long)n_tg,
            (unsigned long long)n_fc, (unsigned long long)n_fx, (double)bytes / 1e6);
    free(g.ev);
    free(g.won_cents);
    free(g.pipe_cents);
    free(g.mqls);
    free(g.camp_leads);
    free(g.fx_e4);
    return 0;
}
