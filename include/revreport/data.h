/* data.h: the canonical inputs, read into compact in-memory tables.
 *
 *   rr_data *d = rr_data_new("USD");
 *   rr_status st = rr_data_load_dir(d, "samples", &err);   // reads every canonical file present
 *   ... d->opps[i].amount (base currency, 1/10000 units), d->ntouch, d->spend ...
 *   rr_data_free(d);
 *
 * Ownership: one rr_data owns everything read (one free).  Strings are
 * interned into dictionaries (channels, campaigns, accounts, ...) and rows
 * refer to them by small ints (-1 = empty).  Spend is aggregated while it is
 * read (month x channel x campaign), so its memory does not grow with rows.
 * Amounts in other currencies are converted to the base currency with the
 * fx.csv rate of the row's month (close month for opportunities); for months
 * past the last rate, the latest earlier rate is used; no rate at all is an
 * error naming currency and month. */
#ifndef RR_DATA_H
#define RR_DATA_H
#include <stddef.h>
#include <stdint.h>
#include "revreport/csvin.h"
#include "revreport/date.h"
#include "revreport/num.h"
#include "revreport/status.h"

/* ---- string dictionary: string <-> dense id ---- */
typedef struct rr_dict {
    char **names;          /* id -> string (in the arena blocks) */
    uint32_t *lens;        /* id -> strlen(names[id]) */
    size_t n, cap;
    uint64_t *slots;       /* open addressing: hash << 32 | (id + 1), 0 = empty */
    size_t nslots;
    char **blocks;         /* arena blocks holding the names */
    size_t nblocks, capblocks;
    char *block;           /* free space in the last block */
    size_t block_left;
    int32_t last;          /* id + 1 of the last name interned or found (0 = none): rows of
                              one contact / account / journey often follow each other */
    struct rr_dict_short *shortc;   /* small dictionaries (channels, campaigns): names of up to 16
                                       bytes found by their bytes, without hash or probe */
    struct rr_dict *fold;  /* set by rr_dict_fold: the names in ASCII lower case with runs of
                              spaces as one, same ids; a name that folds to one already
                              there gets its id (the first spelling is the one shown) */
    char folded_example[96];   /* the first spelling taken as another: "paid search" */
    int32_t folded_example_id;
} rr_dict;
void rr_dict_fold(rr_dict *d);   /* before the first name: "Paid Search" = "paid  search" */
int32_t rr_dict_id(rr_dict *d, const char *s, size_t len);       /* intern; "" -> -1 */
int32_t rr_dict_find(const rr_dict *d, const char *s, size_t len); /* -1 when absent */
const char *rr_dict_name(const rr_dict *d, int32_t id);          /* "" for -1 */
void rr_dict_free(rr_dict *d);

/* The close date of an open deal that has none (9999-12-31: after every
 * period, so it is open pipeline and in no close month). */
#define RR_DATE_OPEN ((rr_date)2932896)
typedef enum { RR_OPP_NEW = 0, RR_OPP_EXPANSION, RR_OPP_RENEWAL, RR_OPP_OTHER } rr_opp_type;
typedef enum { RR_FC_PIPELINE = 0, RR_FC_BEST_CASE, RR_FC_COMMIT, RR_FC_CLOSED, RR_FC_OMITTED, RR_FC_UNSET } rr_fc_cat;
typedef enum { RR_MS_NONE = 0, RR_MS_LEAD_CREATED = 1, RR_MS_OPP_CREATED = 2, RR_MS_CLOSED_WON = 4 } rr_milestone;

typedef struct {
    int32_t id, account, name, stage, owner, lead_source, campaign, currency;
    rr_opp_type type;
    rr_fc_cat fc;
    uint8_t is_closed, is_won;
    int16_t probability;   /* 0..100 */
    rr_money amount;       /* base currency */
    rr_money amount_orig;  /* as written, in `currency` */
    rr_date created, close;
    rr_time close_ts;      /* close_date's time when the export gives one (UTC), else RR_NO_TIME */
    long line;
} rr_opp;

typedef struct {
    rr_time ts;
    int32_t channel, campaign, contact, account, opp;  /* opp: index into opps after rr_data_link, else -1 */
    int32_t opp_key;       /* interned opportunity_id as written (-1 = empty) */
    uint8_t milestone;
} rr_touch;

typedef struct {
    int32_t id;            /* the lead's row number among the leads read (lead ids are checked, not interned) */
    int32_t contact, account, channel, campaign, opp_key;   /* account: -1, not interned (no section
                                                              uses a lead's account; a touchpoint's is) */
    rr_time created, mql, sal, sql, first_contact;    /* RR_NO_TIME when not reached */
} rr_lead;

typedef struct {
    int month;
    int32_t channel, campaign;
    rr_money amount;       /* base currency */
} rr_spend;

typedef struct {
    int month;
    rr_money revenue, pipeline;
    double mql;
    uint8_t has_revenue, has_pipeline, has_mql;
} rr_target;

typedef struct {
    int month;
    rr_date submitted;
    int category;          /* 0 commit, 1 best_case, 2 pipeline */
    rr_money amount;
} rr_forecast;

typedef struct {
    int month;
    int32_t currency;
    double rate;            /* for messages only */
    rr_rate exact;          /* the rate as written: conversions use it (rr_money_convert) */
    int day;                /* 1-31 for a daily rate, 0 for a row naming its month */
    long line;              /* in fx.csv: two rates of one day or month are an error naming both */
} rr_fx;

/* Values of the file being read that were read with a rule and are noted
 * once per file, with counts (opp_row, spend_row; reported by datadir.c). */
#define RR_TALLY_VALUES 6
typedef struct {
    long unknown_type;                 /* type values that are none of the known words: read as other */
    long nvalues;                      /* distinct ones kept below */
    char values[RR_TALLY_VALUES][48];  /* those values */
    long counts[RR_TALLY_VALUES];
    long empty_amount;                 /* deals with an empty amount: 0 */
    long empty_amount_line;
    long open_no_close;                /* open deals without a close date */
    long open_no_close_line;
    long close_before_created;         /* close date before created date: kept */
    long close_before_line;
    rr_money amount_sum;               /* amounts read (the file's currency units, before conversion) */
    int amount_mixed;                  /* amounts of several currencies: no total to compare */
    int32_t amount_currency;
    long spread;                       /* spend rows for a range over several months: spread over its days */
    long spread_line;
    long overlap;                      /* spend rows another file of the table already gave */
    long overlap_line;
    char overlap_other[64];
} rr_file_tally;

/* What was read from one file, for the appendix and the data-quality notes. */
typedef struct {
    char name[64];         /* "opportunities.csv" */
    char path[1024];
    int present;
    rr_csv_stats stats;
    int table;             /* RR_IN_* */
    char profile[64];      /* "canonical", "salesforce_opportunities", ... */
} rr_input_file;

/* How to read a folder (rr_data_load_dir_opts). */
typedef struct {
    const char *profile_dir;   /* built-in profiles (NULL = installed / source tree profiles/) */
    const char *user_profiles; /* a folder of user *.profile files, or NULL; *.profile in the input folder are read too */
    const char *channel_map;   /* CSV source,channel overriding the built-in map, or NULL */
    const char *overrides;     /* "file.csv=profile;other.csv=profile" (profile: name or .profile path), or NULL */
    const char *encoding;      /* code page of exports that are not UTF-8: "CP932", "auto" (detect) or a
                                  list "a.csv=CP932;b.csv=GB18030;CP1252" (FILE=CP items win over the
                                  profile's encoding, a bare item is the default); NULL = auto */
    int date_order;            /* rr_date_order for exports' A/B/YYYY dates; RR_DORD_AUTO */
    const char *stages;        /* "VALUE=won|lost|open;..." stages of exports the user names (--stage), or NULL */
    int strict;                /* rejected rows are errors */
    int skip_contacts;         /* contact_id not interned (touches' and leads' contact = -1): only
                                  attribution.leads_as_null groups touchpoints by contact */
    int follow_links;          /* input.follow_links: read links to files outside the folder */
} rr_input_opts;

enum { RR_IN_OPPS, RR_IN_TOUCH, RR_IN_LEADS, RR_IN_SPEND, RR_IN_CAMPAIGNS, RR_IN_TARGETS,
       RR_IN_FORECASTS, RR_IN_FX, RR_IN_COUNT };

typedef struct rr_data {
    char base_currency[8];
    rr_dict channels, campaigns, accounts, contacts, opp_ids, lead_ids /* unused: see rr_lead.id */, names, stages, owners,
        sources, currencies;
    rr_opp *opps; size_t nopps, capopps;
    rr_touch *touch; size_t ntouch, captouch;
    rr_lead *leads; size_t nleads, capleads;
    rr_spend *spend; size_t nspend, capspend;      /* aggregated */
    rr_target *targets; size_t ntargets, captargets;
    rr_forecast *forecasts; size_t nforecasts, capforecasts;
    rr_fx *fx; size_t nfx, capfx;
    int32_t *campaign_name;    /* campaigns id -> names id (-1 when campaigns.csv has none) */
    int32_t *campaign_channel; /* campaigns id -> channels id */
    size_t ncampaign_meta;
    rr_input_file files[RR_IN_COUNT];   /* per table; present when any file fed it */
    rr_input_file *inputs; size_t ninputs, capinputs;   /* every file read, canonical and exports */
    /* how values of the file being read are written (canonical: '.', ISO) */
    char cur_decimal;
    int cur_dord;
    int skip_contacts;     /* rr_input_opts.skip_contacts */
    /* spend aggregation index */
    int32_t *spend_slots; size_t spend_nslots;
    /* warnings collected while reading (data quality), owned strings */
    char **warnings; size_t nwarnings, capwarnings;
    char **warn_keys;      /* per warning: catalogue key, or NULL (English only) */
    char ***warn_args;     /* per warning: NULL-terminated name, value pairs */
    size_t capwarnkeys;
    long duplicate_opps;
    const char *id_from_name_file;   /* the file last warned of reading names as opportunity ids */
    int cur_export;        /* the export being read: its index in inputs + 1 (0: a canonical file) */
    struct rr_overlap *overlap; size_t overlap_slots, noverlap;   /* spend rows of exports, by content */
    rr_file_tally tally;
    char **dropped; size_t ndropped, capdropped;   /* files of the folder left out entirely (owned names) */   /* what the file being read did that its notes tell (datadir.c reports and resets it) */
    /* per lead read (same index as leads) until rr_data_load ends: two
     * 64-bit hashes of its lead_id and its line, to drop repeated lead ids
     * without interning a million names */
    struct rr_lead_key { uint64_t h1, h2; long line; } *lead_keys; size_t caplead_keys;
    /* sums of |amount| in the base currency, per table (rr_money units): every
     * total of the report is a sum of some of them and must stay exact in
     * rr_money; reading fails past RR_DATA_TOTAL_MAX */
    double abs_opps, abs_spend;
} rr_data;

/* The largest amount one row may hold (in its own currency and after
 * conversion) and the most the amounts of one table may add up to, in major
 * units: rr_money holds 9.2e14 exactly; 1e12 is more than any one deal or
 * spend row, 1e14 leaves room for every total and difference the report forms. */
#define RR_DATA_AMOUNT_MAX 1e12
#define RR_DATA_TOTAL_MAX 1e14

rr_data *rr_data_new(const char *base_currency);
void rr_data_free(rr_data *d);                        /* accepts NULL */

/* Read every canonical file present in dir.  opportunities.csv is required;
 * the others are optional (sections that need them are left out).  fx.csv is
 * read first, so amounts can be converted while reading.  Stops at the
 * first error (err has file, line, column, field). */
rr_status rr_data_load_dir(rr_data *d, const char *dir, rr_error *err);
/* Waits for the checksums of the big files (still being computed at idle
 * priority after their read: rr_csv_stats_sha256) and keeps them in
 * files[].stats.sha256; the first one that failed is the error. */
rr_status rr_data_checksums(rr_data *d, rr_error *err);
/* The same wait without keeping the sums (they are read with rr_csv_stats_sha256). */
void rr_data_settle_checksums(const rr_data *d);

/* The stats of d->inputs[i]: a canonical file's are its table's (d->files[],
 * which holds its checksum, perhaps still being computed); an export's its own. */
const rr_csv_stats *rr_data_input_stats(const rr_data *d, size_t i);

/* Note that file name of the input folder was left out entirely (no
 * profile matches it, it cannot be read): the first page says so. */
void rr_data_dropped(rr_data *d, const char *name);
/* The page-1 data-quality banner in the catalogue's language (keys
 * dq.banner*): the files left out and the exports with rejected rows, or
 * NULL when every file was read in full.  The caller frees it. */
struct rr_i18n;
char *rr_data_banner(const rr_data *d, const struct rr_i18n *cat);

/* The same with options: besides the canonical files, every other *.csv,
 * *.tsv and *.txt of dir is sniffed and read through the export profile its
 * header matches (or the one named in io->overrides); files no profile
 * matches are listed in the warnings.  Rows an export's profile cannot use
 * are rejected and counted (errors with io->strict). */
rr_status rr_data_load_dir_opts(rr_data *d, const char *dir, const rr_input_opts *io, rr_error *err);
/* Data-quality checks after loading, for the months [first, last]: files
 * with no data rows, touchpoints naming an opportunity no row has, closed
 * opportunities and spend after the period, spend for channels without won
 * revenue and the reverse.  Adds warnings (duplicate ids, rejected rows and
 * unmapped channels were added while reading; a missing exchange rate is an
 * error or, in an export, a rejected row naming currency and month).
 * Unknown encodings and --profile/--encoding naming absent files are
 * RR_ERR_USAGE from rr_data_load_dir_opts; a date that is ambiguous with no
 * row of its file deciding is RR_ERR_INPUT naming file, line and value. */
void rr_data_check(rr_data *d, int first_month, int last_month);

/* Individual loaders (used by rr_data_load_dir and tests). */
rr_status rr_data_load_fx(rr_data *d, const char *path, rr_error *err);
rr_status rr_data_load_opps(rr_data *d, const char *path, rr_error *err);
rr_status rr_data_load_touchpoints(rr_data *d, const char *path, rr_error *err);
rr_status rr_data_load_leads(rr_data *d, const char *path, rr_error *err);
rr_status rr_data_load_spend(rr_data *d, const char *path, rr_error *err);
rr_status rr_data_load_campaigns(rr_data *d, const char *path, rr_error *err);
rr_status rr_data_load_targets(rr_data *d, const char *path, rr_error *err);
rr_status rr_data_load_forecasts(rr_data *d, const char *path, rr_error *err);

/* Convert amount (1/10000 units of currency cur) in month to the base
 * currency.  RR_ERR_INPUT when no rate is known (err names currency, month). */
rr_status rr_data_convert(const rr_data *d, int32_t cur, int month, rr_money amount, rr_money *out,
                          const char *what, rr_error *err);

/* Add a data-quality warning (printf-style, English only). */
void rr_data_warn(rr_data *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add a data-quality warning that the report shows in its own language:
 * key is a catalogue key (en-input.txt and its translations), english the
 * same {placeholder} pattern in English (kept in d->warnings for report.xml
 * and --strict), then name, value string pairs ending with NULL. */
void rr_data_warnk(rr_data *d, const char *key, const char *english, ...);
/* Warning i in the language of lookup(cat, key) (a new string to free). */
char *rr_data_warning_text(const rr_data *d, size_t i, const char *(*lookup)(const void *, const char *),
                           const void *cat);

/* Campaign display name: campaigns.csv name, else the campaign id. */
const char *rr_data_campaign_name(const rr_data *d, int32_t campaign);

#endif
