/* config.c: key = value settings with a table of known keys (see config.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "revreport/config.h"
#include "revreport/xalloc.h"

/* Every setting any module reads.  Keep sorted by module; add yours here. */
static const struct { const char *key, *help; } known[] = {
    {"attribution.model", "default attribution model of the report (linear, first, last, time_decay, u_shaped, "
                          "w_shaped, full_path, j_shaped, inverse_j, custom, markov, shapley)"},
    {"attribution.half_life_days", "time-decay half-life in days, more than 0 (default 7)"},
    {"attribution.custom_weights", "custom model weights FT,LC,OC,CW,middle in percent summing to 100, e.g. 30,20,20,20,10"},
    {"attribution.markov_order", "order of the Markov chain, 1 to 4 (default 1)"},
    {"attribution.markov_states", "states of a Markov chain of order 2 and more: channelattribution (windows of the "
                                  "touches as given, \"A then A\" is a state; default) or collapsed (repeats made one "
                                  "first)"},
    {"attribution.leads_as_null", "count leads that never became opportunities as null paths (default false)"},
    {"attribution.account_matches", "most opportunities of its account a touchpoint without an opportunity_id joins, "
                                    "the ones created nearest to it (default 50; 0 = every one open around it)"},
    {"attribution.sourced_by", "marketing-sourced definition: first_touch or lead_source (default first_touch)"},
    {"attribution.paths_separator", "channel separator inside paths.csv paths (default >)"},
    {"attribution.deal_types", "deal types that attribution, ROI, ROAS, CAC and sourced/influenced cover: "
                               "new_business (default), new_business,expansion or all"},
    {"attribution.non_marketing_touches", "touch channels that do not count as marketing influence, separated by ; "
                                          "(default: none)"},
    {"roi.spend_basis", "spend ROI divides by: period (the period's spend, default), trailing3 or trailing12 "
                        "(the 3 or 12 months ending with the period)"},
    {"roi.min_spend", "spend below which a channel's or campaign's ROI is shown as not meaningful (default 5000)"},
    {"plan.on_track", "plan status: on track at this fraction of plan or more (default 0.95)"},
    {"plan.at_risk", "plan status: at risk from this fraction of plan, off track below (default 0.80)"},
    {"plan.top_deals", "rows of the top-deals tables (default 5)"},
    {"forecast.headline", "the quarter outlook's headline: closed, commit, best_case, weighted (default) or model"},
    {"funnel.sla_hours", "first-contact SLA for MQLs in hours (default 24)"},
    {"funnel.monthly_churn", "monthly revenue churn rate (0.02 = 2%) for CLV; derived from renewals when absent"},
    {"funnel.gross_margin", "gross margin (0.8 = 80%) for lifetime value and CAC payback; unset = no lifetime value"},
    {"forecast.horizon", "months forecast ahead, a whole number from 1 to 12 (default 3)"},
    {"forecast.weighting", "weighted pipeline probabilities: crm or stage_win_rate (default crm)"},
    {"input.encoding", "code page of input files that are not UTF-8: CP932, GB18030, CP1251, CP1252... or auto "
                       "(default); FILE=CP items separated by ; name one file (--encoding)"},
    {"input.date_order", "order of A/B/YYYY dates in exports: dmy, mdy, ymd or auto (default; --date-order)"},
    {"input.channel_map", "CSV file \"source,channel\" overriding profiles/channels.csv"},
    {"input.profiles", "FILE=PROFILE items separated by ; (a profile name or a .profile path; --profile)"},
    {"input.stages", "STAGE=won|lost|open items separated by ; for deal stages an export's profile does not know "
                     "(--stage)"},
    {"input.follow_links", "read input files that are symbolic links to files outside the input folder (default "
                           "false: refused; docs/security.md)"},
    {"input.profile_dir", "folder of user *.profile files (the input folder's *.profile are read too)"},
    {"report.company", "company name on the cover"},
    {"report.logo", "logo file for the cover"},
    {"report.timezone", "IANA zone whose calendar decides --period last-month/last-quarter (default UTC), "
                        "e.g. Asia/Tokyo; docs/delivery.md"},
    {"report.fiscal_year_start", "first month of the fiscal year, 1-12 (default 1; --fiscal-year-start wins)"},
    {"report.max_data_age_days", "an input whose latest activity is more than N days before the period's end does "
                                 "not cover the period (default 7; docs/delivery.md)"},
    {"report.allow_stale", "send and archive inputs that do not cover the period, with a warning on page 1 "
                           "(default false: exit 7; --allow-stale)"},
    {"report.pack", "board (page 1 and at most four pages; the rest in report-appendix.pdf) or full (default; --pack)"},
    {"report.appendix", "with the board pack: pdf (default: report-appendix.pdf holds the other sections) or none"},
    {"report.sections", "section ids the PDF and HTML show, comma-separated, in the template's order (default: the template's)"},
    {"board.shift_share", "budget-shift action: largest share of the costlier channel's monthly spend to move (default 0.2)"},
    {"board.shift_max", "budget-shift action: largest amount a month to move, in the base currency (default 0 = no cap)"},
    {"board.min_spend_share", "budget-shift action: channels with less than this share of trailing spend are left out (default 0.05)"},
    {"board.sla_goal", "SLA action: share of MQLs to contact within funnel.sla_hours (default 0.9)"},
    {"board.cost_rise", "cost-per-SQL action: rise over the previous period that calls for a review (default 0.25)"},
    {"mail.from", "e-mail sender, e.g. Reports <reports@example.com> (needed with mail.to)"},
    {"mail.to", "e-mail recipients, comma-separated; when set, report.eml is written too"},
    {"mail.cc", "e-mail copy recipients, comma-separated"},
    {"mail.bcc", "blind-copy recipients (envelope only, never in report.eml)"},
    {"mail.reply_to", "Reply-To address of the e-mail"},
    {"mail.subject", "subject template (default \"{title} \u2014 {period}\"; also {company})"},
    {"mail.max_bytes", "largest message in bytes; over it the PDF is left out (default 10485760)"},
    {"mail.attach_pdf", "attach report.pdf to the e-mail (default true)"},
    {"mail.smtp_url", "SMTP server: smtp://host:587 (STARTTLS) or smtps://host:465 (implicit TLS)"},
    {"mail.starttls", "with smtp://: require STARTTLS (default true; false only for a local relay)"},
    {"mail.user", "SMTP AUTH user name (none = no AUTH)"},
    {"mail.password_file", "file holding the SMTP password, mode 0600 (else env REVREPORT_SMTP_PASSWORD)"},
    {"mail.timeout", "SMTP connect and transfer timeout in seconds (default 60)"},
    {"mail.ca_file", "CA bundle for the SMTP server's certificate (default: the system's)"},
    {"mail.retry_window", "seconds during which a temporary SMTP failure (4xx, refused connection, timeout) is "
                          "retried with backoff (default 3600; 0 = one attempt)"},
    {"mail.retry_delay", "seconds before the first retry, doubled each time up to 600 (default 30)"},
    {"mail.sent_dir", "folder of the sent-markers (one per period and recipient list: never sent twice; "
                      "default: the output folder's name + .sent, beside it)"},
    {"archive.inputs", "what the quarterly archive keeps of the inputs: copy (default) or checksums"},
    {"archive.file_mode", "mode of the archived files, octal (default 0640; folders get x where r: 0750)"},
    {"archive.icc_profile", "sRGB ICC profile of the archived PDF's output intent (default "
                            "/usr/share/color/icc/sRGB.icc, icc-profiles-free); missing: no PDF/A claim"},
    {"archive.attach_inputs", "attach the input CSVs inside the archived PDF (default false: PDF/A-1 forbids attachments)"},
};

typedef struct { char *key, *val; char where[600]; } kv;
struct rr_config {
    kv *v;
    size_t n, cap;
    rr_error type_err;     /* first value that did not parse (set by getters) */
    int has_type_err;
};

rr_config *rr_config_new(void)
{
    return rr_xcalloc(1, sizeof(rr_config));
}

void rr_config_free(rr_config *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) { free(c->v[i].key); free(c->v[i].val); }
    free(c->v);
    free(c);
}

static int is_known(const char *k)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i].key, k) == 0) return 1;
    return 0;
}

static char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    return rr_xstrndup(s, n);
}

static rr_status put(rr_config *c, const char *line, const char *file, long lineno, rr_error *err)
{
    const char *eq = strchr(line, '=');
    if (!eq)
        return rr_error_set(err, file ? RR_ERR_CONFIG : RR_ERR_USAGE, file, lineno, 0, NULL,
                            "expected \"key = value\", got \"%.80s\"", line);
    char *k = trimmed(line, (size_t)(eq - line)), *v = trimmed(eq + 1, strlen(eq + 1));
    if (!is_known(k)) {
        const char *keys[sizeof known / sizeof known[0]];
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) keys[i] = known[i].key;
        const char *near = rr_config_closest(k, keys, sizeof known / sizeof known[0]);
        rr_status st = rr_error_set(err, file ? RR_ERR_CONFIG : RR_ERR_USAGE, file, lineno, 0, NULL,
                                    "unknown setting '%s'%s%s%s (revreport --list-settings shows them all)", k,
                                    near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        free(k); free(v);
        return st;
    }
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].key, k) == 0) {
            free(c->v[i].val);
            c->v[i].val = v;
            free(k);
            return RR_OK;
        }
    c->v = rr_xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
    c->v[c->n].key = k;
    c->v[c->n].val = v;
    if (file) snprintf(c->v[c->n].where, sizeof c->v[c->n].where, "%s:%ld", file, lineno);
    else snprintf(c->v[c->n].where, sizeof c->v[c->n].where, "--set");
    c->n++;
    return RR_OK;
}

rr_status rr_config_load(rr_config *c, const char *path, rr_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) return rr_error_set(err, RR_ERR_CONFIG, path, 0, 0, NULL, "cannot open settings: %s", strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    rr_status st = RR_OK;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        const char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#' || *p == '\n' || *p == '\r') continue;
        if ((st = put(c, p, path, lineno, err)) != RR_OK) break;
    }
    free(line);
    fclose(f);
    return st;
}

rr_status rr_config_set(rr_config *c, const char *kv_text, rr_error *err)
{
    return put(c, kv_text, NULL, 0, err);
}

static const kv *find(const rr_config *c, const char *key)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (strcmp(c->v[i].key, key) == 0) return &c->v[i];
    return NULL;
}

static void type_error(const rr_config *c, const kv *e, const char *what)
{
    rr_config *m = (rr_config *)c;
    if (m->has_type_err) return;
    m->has_type_err = 1;
    rr_error_set(&m->type_err, RR_ERR_CONFIG, e->where, 0, 0, e->key, "expected %s, got \"%.80s\"", what, e->val);
}

const char *rr_config_where(const rr_config *c, const char *key)
{
    const kv *e = find(c, key);
    return e ? e->where : NULL;
}

void rr_config_bad_value(const rr_config *c, const char *key, const char *fmt, ...)
{
    const kv *e = find(c, key);
    rr_config *m = (rr_config *)c;
    if (!e || m->has_type_err) return;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    m->has_type_err = 1;
    rr_error_set(&m->type_err, RR_ERR_CONFIG, e->where, 0, 0, e->key, "%s", msg);
}

/* Levenshtein distance of a and b (ASCII case ignored), both shorter than 64 bytes (else a big number) */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];
    if (la >= 64 || lb >= 64) return (size_t)-1 / 2;
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *rr_config_closest(const char *s, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t bd = (size_t)-1, len = s ? strlen(s) : 0;
    for (size_t i = 0; s && i < n; i++) {
        if (strcasecmp(s, names[i]) == 0) return names[i];
        size_t d = edit_distance(s, names[i]);
        if (d < bd) { bd = d; best = names[i]; }
    }
    /* a suggestion only when it is close: at most 2 edits, and fewer than a third of the word */
    return best && bd <= 2 && bd * 3 <= len + 2 ? best : NULL;
}

const char *rr_config_str(const rr_config *c, const char *key, const char *def)
{
    const kv *e = find(c, key);
    return e ? e->val : def;
}

double rr_config_double(const rr_config *c, const char *key, double def)
{
    const kv *e = find(c, key);
    if (!e) return def;
    char *end;
    errno = 0;
    double v = strtod(e->val, &end);
    if (end == e->val || *end || errno || !isfinite(v)) { type_error(c, e, "a number"); return def; }
    return v;
}

long rr_config_int(const rr_config *c, const char *key, long def)
{
    const kv *e = find(c, key);
    if (!e) return def;
    char *end;
    errno = 0;
    long v = strtol(e->val, &end, 10);
    if (end == e->val || *end || errno) { type_error(c, e, "a whole number"); return def; }
    return v;
}

int rr_config_bool(const rr_config *c, const char *key, int def)
{
    const kv *e = find(c, key);
    if (!e) return def;
    if (!strcasecmp(e->val, "true") || !strcasecmp(e->val, "yes") || !strcmp(e->val, "1")) return 1;
    if (!strcasecmp(e->val, "false") || !strcasecmp(e->val, "no") || !strcmp(e->val, "0")) return 0;
    type_error(c, e, "true or false");
    return def;
}

rr_status rr_config_check(const rr_config *c, rr_error *err)
{
    if (!c || !c->has_type_err) return RR_OK;
    if (err) *err = c->type_err;
    return RR_ERR_CONFIG;
}

void rr_config_list(FILE *out)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        fprintf(out, "  %-32s %s\n", known[i].key, known[i].help);
}
