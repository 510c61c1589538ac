/* datadir.c: the input folder read into rr_data (split from data.c): the
 * canonical files, then every export a profile matches, table by table, fx
 * first (see data.h, rr_data_load_dir_opts).
 *
 *   rr_input_opts io = {.encoding = "auto", .date_order = RR_DORD_AUTO};
 *   rr_status st = rr_data_load_dir_opts(d, "in", &io, &err);
 */
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "revreport/data.h"
#include "revreport/datatab.h"
#include "revreport/fsafe.h"
#include "revreport/i18n.h"
#include "revreport/strbuf.h"
#include "revreport/num.h"
#include "revreport/profile.h"
#include "revreport/xalloc.h"
#include "revreport/xlsxin.h"

#define T rr_data_tables
#define SPEND_SPLIT (T[rr_data_table_pos(RR_IN_SPEND)].split)

/* ---- exports: the file's own values decide the order of A/B/YYYY and
 * the decimal mark of its amounts (a survey read before the real one) ---- */
typedef struct {
    long mdy, dmy; long amb_line; size_t amb_col; char amb[48];
    /* amounts: values that only fit a decimal point, a decimal comma, or either */
    long dot, comma, either;
    long dot_line, comma_line, either_line;
    size_t money_col;
    char dot_ex[48], comma_ex[48], either_ex[48];
} survey;

static rr_status survey_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    survey *v = ud;
    (void)err;
    for (size_t i = 0; i < rr_csv_ncols(row); i++) {
        size_t n;
        const char *s = rr_csv_get(row, i, &n);
        if (n && !strcmp(rr_csv_colname(row, i), "amount")) {
            int h = rr_num_decimal_hint(s, n);
            long *cnt = h == '.' ? &v->dot : h == ',' ? &v->comma : &v->either;
            long *ln = h == '.' ? &v->dot_line : h == ',' ? &v->comma_line : &v->either_line;
            char *ex = h == '.' ? v->dot_ex : h == ',' ? v->comma_ex : v->either_ex;
            if (h || memchr(s, '.', n) || memchr(s, ',', n)) {
                if (!(*cnt)++) {
                    *ln = rr_csv_line(row);
                    snprintf(ex, 48, "%.*s", (int)(n > 40 ? 40 : n), s);
                }
                v->money_col = i;
            }
            continue;
        }
        int h = n ? rr_date_order_hint(s, n) : -1, amb = 0;
        rr_time t;
        if (h == 1) v->mdy++;
        else if (h == 2) v->dmy++;
        else if (h == 0 && !v->amb_line && rr_time_parse_loc(s, n, RR_DORD_AUTO, &t, &amb) != RR_OK && amb) {
            v->amb_line = rr_csv_line(row);
            v->amb_col = i;
            snprintf(v->amb, sizeof v->amb, "%.*s", (int)(n > 40 ? 40 : n), s);
        }
    }
    return RR_OK;
}

static rr_input_file *add_input(rr_data *d, const char *dir, const char *name, int table, const char *profile)
{
    d->inputs = rr_xgrow(d->inputs, &d->capinputs, d->ninputs + 1, sizeof *d->inputs);
    rr_input_file *f = &d->inputs[d->ninputs++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
    snprintf(f->profile, sizeof f->profile, "%s", profile);
    f->table = table;
    return f;
}

/* Lists of "file=value" items separated by ';' (--profile, --encoding): the
 * value for name into out, 1 when found.  With name NULL: the first item
 * without '=' (a default). */
static int list_lookup(const char *list, const char *name, char *out, size_t cap)
{
    size_t nl = name ? strlen(name) : 0;
    for (const char *s = list; s && *s;) {
        const char *semi = strchr(s, ';'), *end = semi ? semi : s + strlen(s);
        const char *eq = memchr(s, '=', (size_t)(end - s));
        if (name && eq && (size_t)(eq - s) == nl && !strncmp(s, name, nl)) {
            snprintf(out, cap, "%.*s", (int)(end - eq - 1), eq + 1);
            return 1;
        }
        if (!name && !eq && end > s) {
            snprintf(out, cap, "%.*s", (int)(end - s), s);
            return 1;
        }
        s = semi ? semi + 1 : end;
    }
    return 0;
}

/* The encoding to read export name with: --encoding FILE=CP, else the
 * profile's, else the --encoding default, else "auto". */
static const char *file_encoding(const rr_input_opts *io, const char *name, const rr_profile *p, char *buf,
                                 size_t cap)
{
    if (list_lookup(io->encoding, name, buf, cap)) return buf;
    if (p && rr_profile_encoding(p)) return rr_profile_encoding(p);
    if (list_lookup(io->encoding, NULL, buf, cap)) return buf;
    return "auto";
}

/* 1 when the two files hold the same bytes (the same export downloaded
 * twice: "Campaign report.csv" and "Campaign report (1).csv") */
static int same_bytes(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0 || sa.st_size != sb.st_size) return 0;
    if (sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino) return 1;
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    static char ba[65536], bb[65536];   /* the loading thread only */
    while (same) {
        size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
        if (na != nb || memcmp(ba, bb, na) != 0) same = 0;
        if (na < sizeof ba) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

/* The notes of what file f's rows did (d->tally), then a fresh tally. */
static void file_notes(rr_data *d, const rr_input_file *f)
{
    rr_file_tally *t = &d->tally;
    char a[32], b[32];
    if (t->unknown_type) {
        char list[400];
        size_t w = 0;
        list[0] = 0;
        for (long i = 0; i < t->nvalues && w + 80 < sizeof list; i++) {
            int k = snprintf(list + w, sizeof list - w, "%s\"%s\" (%ld)", i ? ", " : "", t->values[i], t->counts[i]);
            if (k > 0) w += (size_t)k;
        }
        snprintf(a, sizeof a, "%ld", t->unknown_type);
        rr_data_warnk(d, "dq.unknown_type", "{file}: {n} deals have a type that is not new business, expansion or "
                      "renewal: {values}; they count as \"other\" (not in new customers, sourced revenue or CAC); "
                      "if they are new business, map them (map.type.VALUE = new_business in a profile)",
                      "file", f->name, "n", a, "values", list, NULL);
    }
    if (t->empty_amount) {
        snprintf(a, sizeof a, "%ld", t->empty_amount);
        snprintf(b, sizeof b, "%ld", t->empty_amount_line);
        rr_data_warnk(d, "dq.empty_amount", "{file}: {n} deals have no amount (the first at line {line}): read as 0",
                      "file", f->name, "n", a, "line", b, NULL);
    }
    if (t->open_no_close) {
        snprintf(a, sizeof a, "%ld", t->open_no_close);
        snprintf(b, sizeof b, "%ld", t->open_no_close_line);
        rr_data_warnk(d, "dq.open_no_close", "{file}: {n} open deals have no close date (the first at line {line}): "
                      "kept in the pipeline, left out of the forecast by close month", "file", f->name, "n", a,
                      "line", b, NULL);
    }
    if (t->close_before_created) {
        snprintf(a, sizeof a, "%ld", t->close_before_created);
        snprintf(b, sizeof b, "%ld", t->close_before_line);
        rr_data_warnk(d, "dq.close_before_created", "{file}: {n} deals close before they were created (the first at "
                      "line {line}; entered after they closed?): kept", "file", f->name, "n", a, "line", b, NULL);
    }
    if (t->spread) {
        snprintf(a, sizeof a, "%ld", t->spread);
        snprintf(b, sizeof b, "%ld", t->spread_line);
        rr_data_warnk(d, "dq.spread", "{file}: {n} rows give spend for a date range over more than one month (the "
                      "first at line {line}): each month has the share of its days (export by day for the exact "
                      "split)", "file", f->name, "n", a, "line", b, NULL);
    }
    if (f->stats.nul_dropped) {
        snprintf(a, sizeof a, "%ld", f->stats.nul_dropped);
        rr_data_warnk(d, "dq.nul_dropped", "{file}: {n} NUL bytes inside quoted fields (rich text) were dropped",
                      "file", f->name, "n", a, NULL);
    }
    if (t->overlap) {
        snprintf(a, sizeof a, "%ld", t->overlap);
        snprintf(b, sizeof b, "%ld", t->overlap_line);
        rr_data_warnk(d, "dq.overlap", "{file}: {n} rows repeat rows of {other} (same day, channel, campaign and "
                      "amount; the first at line {line}): counted once (the same report downloaded twice?)",
                      "file", f->name, "other", t->overlap_other, "n", a, "line", b, NULL);
    }
    memset(t, 0, sizeof *t);
}

/* An input that is a symbolic link must stay inside the input folder
 * (in/leak.csv -> /root/secret was read and echoed), unless the setting
 * input.follow_links allows it.  The target is not named: only that it
 * leaves the folder. */
static rr_status link_check(const char *dir, const char *path, const rr_input_opts *io, rr_error *err)
{
    struct stat lsb;
    if (io->follow_links || lstat(path, &lsb) != 0 || !S_ISLNK(lsb.st_mode) || rr_fsafe_within(dir, path))
        return RR_OK;
    return rr_error_set(err, RR_ERR_INPUT, path, 0, 0, NULL, "is a symbolic link to a file outside the input "
                        "folder: refused, nothing of it was read (set input.follow_links = true to read it)");
}

static rr_status load_export(rr_data *d, rr_input_file *f, const rr_profile *p, const rr_profiles *ps,
                             const rr_input_opts *io, const char *picked, rr_error *err)
{
    size_t t = rr_data_table_pos(f->table);
    rr_profile_binding b;
    rr_status st;
    char enc[64];
    rr_profile_bind(p, ps, T[t].cols, T[t].ncols, &b);
    b.opts.encoding = file_encoding(io, f->name, p, enc, sizeof enc);
    if (!strcmp(b.opts.encoding, "auto") && picked && *picked) b.opts.encoding = picked;   /* its header chose */
    b.opts.lenient = !io->strict;
    b.stages = io->stages;
    d->cur_decimal = (char)rr_profile_decimal(p);
    if (rr_xlsx_kind(f->path)) d->cur_decimal = '.';   /* a workbook's numbers are written with '.' */
    d->cur_dord = rr_profile_date_order(p);
    if (d->cur_dord == RR_DORD_ISO) d->cur_dord = RR_DORD_AUTO;   /* ISO plus YYYY/MM/DD */
    /* --date-order is for files whose profile leaves the order open: a
     * profile's own order (LinkedIn: M/D/YYYY) is the tool's, and wins */
    if ((io->date_order == RR_DORD_MDY || io->date_order == RR_DORD_DMY) && rr_profile_date_order(p) == RR_DORD_AUTO)
        d->cur_dord = io->date_order;
    if (d->cur_dord == RR_DORD_AUTO || !d->cur_decimal) {
        survey v;
        memset(&v, 0, sizeof v);
        rr_csv_opts vo = b.opts;
        vo.lenient = 1;
        if ((st = rr_csv_read_opts(f->path, T[t].cols, T[t].ncols, &vo, survey_row, &v, NULL, err))) goto out;
        b.unmapped_channels = 0;   /* counted again by the real read */
        b.unmapped_example[0] = 0;
        b.unknown_stages = 0;
        b.nstage_values = 0;
        if (d->cur_dord == RR_DORD_AUTO) {
            if (v.mdy && v.dmy) {
                st = rr_error_set(err, RR_ERR_INPUT, f->path, 0, 0, NULL,
                                  "the file has dates that are only valid as month/day (%ld) and others only valid "
                                  "as day/month (%ld): fix the file", v.mdy, v.dmy);
                goto out;
            }
            if (v.mdy) d->cur_dord = RR_DORD_MDY;
            else if (v.dmy) d->cur_dord = RR_DORD_DMY;
            else if (v.amb_line) {   /* never a guess: the whole file waits for the order */
                st = rr_error_set(err, RR_ERR_INPUT, f->path, v.amb_line, 0, T[t].cols[v.amb_col].name,
                                  "ambiguous date \"%s\": day/month or month/day, and no row of the file decides; "
                                  "name the order (--date-order dmy or mdy, or date_order in the profile)", v.amb);
                goto out;
            }
        }
        if (!d->cur_decimal) {   /* the column's mark, from all its values */
            if (v.dot && v.comma) {
                st = rr_error_set(err, RR_ERR_INPUT, f->path, v.comma_line, 0, T[t].cols[v.money_col].name,
                                  "amount \"%s\" has a decimal comma, but line %ld (\"%s\") has a decimal point: "
                                  "the column's decimal mark cannot be told (set decimal = dot or comma in the "
                                  "profile, or fix the file)", v.comma_ex, v.dot_line, v.dot_ex);
                goto out;
            }
            if (v.dot) d->cur_decimal = '.';
            else if (v.comma) d->cur_decimal = ',';
            else if (v.either) {   /* every amount like "1,234": the value's own rule, said */
                char nl[32];
                snprintf(nl, sizeof nl, "%ld", v.either_line);
                rr_data_warnk(d, "dq.decimal_undecided", "{file}: no amount of column {column} tells whether its "
                              "mark is a decimal or a thousands separator (e.g. \"{example}\", line {line}): read "
                              "as thousands; if it is a decimal mark, set decimal = dot or comma in the profile",
                              "file", f->name, "column", T[t].cols[v.money_col].name, "example", v.either_ex,
                              "line", nl, NULL);
            }
        }
    }
    d->cur_export = (int)(f - d->inputs) + 1;
    st = rr_csv_read_opts(f->path, T[t].cols, T[t].ncols, &b.opts, T[t].fn, d, &f->stats, err);
    d->cur_export = 0;
    if (st == RR_OK) {
        snprintf(f->profile, sizeof f->profile, "%s", rr_profile_name(p));
        if (f->stats.rows_rejected) {
        {
            char nr[32], nt[32];
            snprintf(nr, sizeof nr, "%ld", f->stats.rows_rejected);
            snprintf(nt, sizeof nt, "%ld", f->stats.rows);
            rr_data_warnk(d, "dq.rows_rejected", "{file} ({profile}): {n} of {total} rows rejected; first: {first}",
                          "file", f->name, "profile", rr_profile_label(p), "n", nr, "total", nt, "first",
                          f->stats.nrejects ? f->stats.rejects[0] : "", NULL);
        }
        }
        if (b.unknown_stages) {   /* never silently open: each value with its count */
            char list[480], nu[32];
            size_t w = 0;
            list[0] = 0;
            for (int i = 0; i < b.nstage_values && w + 80 < sizeof list; i++) {
                int k = snprintf(list + w, sizeof list - w, "%s\"%s\" (%ld)", i ? ", " : "", b.stage_values[i],
                                 b.stage_counts[i]);
                if (k > 0) w += (size_t)k;
            }
            snprintf(nu, sizeof nu, "%ld", b.unknown_stages);
            rr_data_warnk(d, "dq.unknown_stage", "{file} ({profile}): {n} deals have a stage the profile does not "
                          "know and whose words say neither won, lost nor closed: {values}; read as open. If one "
                          "of them is closed, say so in one line: --stage \"{example}=won\" (or =lost, =open)",
                          "file", f->name, "profile", rr_profile_label(p), "n", nu, "values", list, "example",
                          b.stage_values[0], NULL);
        }
        if (b.unmapped_channels)
        {
            char nu[32];
            snprintf(nu, sizeof nu, "%ld", b.unmapped_channels);
            rr_data_warnk(d, "dq.unmapped_channels",
                          "{file}: {n} rows with a channel the channel map does not know (e.g. \"{example}\"), kept as written",
                          "file", f->name, "n", nu, "example", b.unmapped_example, NULL);
        }
    }
out:
    d->cur_decimal = '.';
    d->cur_dord = RR_DORD_ISO;
    rr_profile_unbind(&b);
    return st;
}

/* The profile named for file name by the overrides (a profile name or a
 * .profile path, relative to dir or to the working folder); *out = NULL when
 * none is named. */
static rr_status override_for(const char *ov, const char *name, rr_profiles *ps, const char *dir,
                              const rr_profile **out, rr_error *err)
{
    char pn[1024], path[2048];
    struct stat sb;
    *out = NULL;
    if (!list_lookup(ov, name, pn, sizeof pn)) return RR_OK;
    if ((*out = rr_profiles_find(ps, pn))) return RR_OK;
    size_t l = strlen(pn);
    if (l > 8 && !strcmp(pn + l - 8, ".profile")) {
        snprintf(path, sizeof path, "%s/%s", dir, pn);
        if (pn[0] == '/' || stat(path, &sb) != 0) snprintf(path, sizeof path, "%s", pn);
        return rr_profile_load_get(ps, path, out, err);
    }
    return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL,
                        "--profile %s=%s: no such profile (a built-in name such as salesforce_opportunities, "
                        "google_ads, meta_ads, or a path ending in .profile; docs/exports.md)", name, pn);
}

/* Options that name files or encodings must name ones that exist. */
static rr_status check_opts(const rr_input_opts *io, const char *dir, rr_error *err)
{
    const char *lists[2] = {io->encoding, io->overrides}, *opt[2] = {"--encoding", "--profile"};
    char path[2048];
    struct stat sb;
    for (int k = 0; k < 2; k++)
        for (const char *s = lists[k]; s && *s;) {
            const char *semi = strchr(s, ';'), *end = semi ? semi : s + strlen(s);
            const char *eq = memchr(s, '=', (size_t)(end - s));
            const char *v = eq ? eq + 1 : s;
            if (eq) {
                snprintf(path, sizeof path, "%s/%.*s", dir, (int)(eq - s), s);
                if (stat(path, &sb) != 0)
                    return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL, "%s %.*s: no file %.*s in %s", opt[k],
                                        (int)(end - s), s, (int)(eq - s), s, dir);
            }
            if (k == 0 && end > v && !(end - v == 4 && !strncasecmp(v, "auto", 4))) {
                char enc[64];
                snprintf(enc, sizeof enc, "%.*s", (int)(end - v), v);
                iconv_t cd = iconv_open("UTF-8", enc);
                if (cd == (iconv_t)-1)
                    return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL,
                                        "--encoding %.*s: unknown encoding \"%s\" (an iconv name such as CP932, "
                                        "GB18030, CP1251, CP1252, or auto; iconv --list shows them all)",
                                        (int)(end - s), s, enc);
                iconv_close(cd);
            }
            s = semi ? semi + 1 : end;
        }
    return RR_OK;
}

static int cmpname(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *builtin_profiles(void)
{
    static const char *const dirs[] = {RR_DATADIR "/profiles", RR_SRCDIR "/profiles"};
    for (size_t i = 0; i < 2; i++) {
        DIR *dd = opendir(dirs[i]);
        if (dd) { closedir(dd); return dirs[i]; }
    }
    return NULL;
}

/* spend.csv read early: on a thread of its own, into a fork of the data
 * (the exchange rates copied, dictionaries of its own), from the moment the
 * exchange rates are read, beside opportunities, touchpoints and leads; the
 * fork is joined in spend.csv's place (spend_join: its names interned in
 * their order of first appearance, its sums added), so ids, sums, warnings
 * and the error reported are those of a sequential read.  The idle core of
 * the one-thread opportunities read and of the joins does the work.
 * RR_EARLY_SPEND=0 reads it in its place. */
typedef struct {
    pthread_t th;
    int started;
    char path[2048];
    rr_data *fork;
    rr_csv_stats stats;
    rr_error err;
    rr_status st;
} early_read;

static void *early_run(void *arg)
{
    early_read *e = arg;
    const rr_data_table *s = &T[rr_data_table_pos(RR_IN_SPEND)];
    e->st = rr_csv_read_split(e->path, s->cols, s->ncols, s->split, s->fn, e->fork, &e->stats, &e->err);
    return NULL;
}

static void early_start(early_read *e, rr_data *d, const char *dir)
{
    const char *env = getenv("RR_EARLY_SPEND");
    struct stat sb;
    if (env && !strcmp(env, "0")) return;
    snprintf(e->path, sizeof e->path, "%s/%s", dir, d->files[RR_IN_SPEND].name);
    if (stat(e->path, &sb) != 0) return;
    memset(&e->stats, 0, sizeof e->stats);
    memset(&e->err, 0, sizeof e->err);
    e->fork = SPEND_SPLIT->fork(d);
    e->started = pthread_create(&e->th, NULL, early_run, e) == 0;
    if (!e->started) { SPEND_SPLIT->drop(e->fork); e->fork = NULL; }
}

static rr_status early_join(early_read *e, rr_data *d, rr_csv_stats *stats, rr_error *err)
{
    pthread_join(e->th, NULL);
    e->started = 0;
    *stats = e->stats;
    rr_status st = e->st;
    if (st == RR_OK) st = SPEND_SPLIT->join(d, e->fork, err);
    else { *err = e->err; SPEND_SPLIT->drop(e->fork); }
    e->fork = NULL;
    return st;
}

/* an earlier file failed: wait for the early read and drop it */
static void early_drop(early_read *e)
{
    if (!e->started) return;
    pthread_join(e->th, NULL);
    e->started = 0;
    rr_csv_stats_release(&e->stats);
    SPEND_SPLIT->drop(e->fork);
    e->fork = NULL;
}

void rr_data_settle_checksums(const rr_data *d)
{
    const rr_csv_stats *v[RR_IN_COUNT];
    for (int i = 0; i < RR_IN_COUNT; i++) v[i] = &d->files[i].stats;
    rr_csv_stats_settle(v, RR_IN_COUNT);
}

rr_status rr_data_checksums(rr_data *d, rr_error *err)
{
    rr_data_settle_checksums(d);
    for (int i = 0; i < RR_IN_COUNT; i++) {
        rr_input_file *f = &d->files[i];
        if (!f->stats.pending) continue;
        rr_status st = rr_csv_stats_sha256(&f->stats, f->path, f->stats.sha256, err);
        rr_csv_stats_release(&f->stats);
        if (st != RR_OK) return st;
    }
    return RR_OK;
}

rr_status rr_data_load_dir(rr_data *d, const char *dir, rr_error *err)
{
    rr_input_opts io;
    memset(&io, 0, sizeof io);
    io.encoding = "auto";
    io.date_order = RR_DORD_AUTO;
    return rr_data_load_dir_opts(d, dir, &io, err);
}

/* The code page of a legacy export whose header the detected one did not
 * match with any profile: each candidate decodes the file's start, and the
 * first whose records match a profile is kept (a CP1251 file with Russian
 * headers and Latin data was read as CP1252; a GBK file whose names use
 * GBK's extension characters failed the GB2312 test).  Returns the profile
 * and fills pick, or NULL. */
static const rr_profile *header_code_page(const rr_profiles *ps, const char *path, const char *tried, char *pick,
                                          size_t cap)
{
    static const char *const cand[] = {"CP932", "GB18030", "CP1251", "CP1252"};
    for (size_t k = 0; k < sizeof cand / sizeof cand[0]; k++) {
        if (!strcasecmp(cand[k], tried)) continue;
        char *sn = NULL;
        rr_error e;
        const rr_profile *p = NULL;
        if (rr_csv_sniff(path, cand[k], 30, &sn, NULL, NULL, 0, &e) == RR_OK) p = rr_profiles_detect(ps, sn);
        free(sn);
        if (p) {
            snprintf(pick, cap, "%s", cand[k]);
            return p;
        }
    }
    return NULL;
}

rr_status rr_data_load_dir_opts(rr_data *d, const char *dir, const rr_input_opts *io, rr_error *err)
{
    rr_status st = RR_OK;
    rr_profiles *ps = rr_profiles_new();
    char **names = NULL;
    const rr_profile **prof = NULL;
    char (*picked)[32] = NULL;   /* per export: the code page its header chose ("" = as detected) */
    size_t nn = 0, capn = 0;
    struct stat sb;
    char path[2048];
    const char *pdir = io->profile_dir ? io->profile_dir : builtin_profiles();
    early_read early;
    memset(&early, 0, sizeof early);
    d->skip_contacts = io->skip_contacts;
    {
        int dir_ok = stat(dir, &sb) == 0, e = errno;
        if (!dir_ok || !S_ISDIR(sb.st_mode)) {
            st = rr_error_set(err, RR_ERR_MISSING, dir, 0, 0, NULL, "%s (give the folder that holds the CSV files "
                              "with --input)", dir_ok ? "not a folder" : e == ENOENT || e == ENOTDIR ?
                              "input folder not found" : strerror(e));
            goto out;
        }
    }
    if ((st = check_opts(io, dir, err))) goto out;
    if (pdir && (st = rr_profiles_load_dir(ps, pdir, err))) goto out;
    if (io->user_profiles && (st = rr_profiles_load_dir(ps, io->user_profiles, err))) goto out;
    if ((st = rr_profiles_load_dir(ps, dir, err)) && st != RR_ERR_IO) goto out;
    st = RR_OK;
    snprintf(path, sizeof path, "%s/channel-map.csv", dir);
    if (stat(path, &sb) == 0 && (st = rr_channel_map_load(ps, path, err))) goto out;
    if (io->channel_map && (st = rr_channel_map_load(ps, io->channel_map, err))) goto out;

    /* every other data file of the folder, with its profile */
    DIR *dd = opendir(dir);
    /* (a data file that is a link out of the folder is refused below, before
     * anything of it is read) */
    if (dd) {
        struct dirent *e;
        while ((e = readdir(dd))) {
            size_t l = strlen(e->d_name);
            if (l < 5 || e->d_name[0] == '.' || rr_data_is_canonical_name(e->d_name)) continue;
            if (!strncmp(e->d_name, "~$", 2)) continue;   /* Excel's lock file beside an open workbook */
            const char *ext = e->d_name + l - 4;
            if (strcasecmp(ext, ".csv") && strcasecmp(ext, ".tsv") && strcasecmp(ext, ".txt") &&
                strcasecmp(ext - 1, ".xlsx") && strcasecmp(ext - 1, ".xlsm")) continue;
            names = rr_xgrow(names, &capn, nn + 1, sizeof *names);
            names[nn++] = rr_xstrdup(e->d_name);
        }
        closedir(dd);
    }
    if (nn) qsort(names, nn, sizeof *names, cmpname);
    prof = rr_xcalloc(nn ? nn : 1, sizeof *prof);
    picked = rr_xcalloc(nn ? nn : 1, sizeof *picked);
    for (size_t i = 0; i < nn; i++) {
        if ((st = override_for(io->overrides, names[i], ps, dir, &prof[i], err))) goto out;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if ((st = link_check(dir, path, io, err))) goto out;
        if (prof[i]) continue;
        char *sn = NULL, enc[64], senc[32] = "";
        rr_error serr;
        const char *fenc = file_encoding(io, names[i], NULL, enc, sizeof enc);
        rr_status sst = rr_csv_sniff(path, fenc, 30, &sn, NULL, senc, sizeof senc, &serr);
        if (sst == RR_OK && !strncasecmp(sn, "No data available", 17) && strchr(sn, '\x1e') &&
            strchr(sn, '\x1e')[1] == '\x1f') {   /* Meta's export of a range without data: empty, not unknown */
            rr_data_warnk(d, "dq.empty_export", "{file}: the export says \"No data available.\": no rows", "file",
                          names[i], NULL);
            free(sn);
            continue;
        }
        if (sst == RR_ERR_INPUT && !rr_xlsx_kind(path)) {   /* a stray quote: its located reason, not
                                                               "no profile matches" */
            char ln[32];
            snprintf(ln, sizeof ln, "%ld", serr.line);
            rr_data_warnk(d, "dq.unreadable_file", "{file}: cannot be read from line {line}: {reason}: left out "
                          "(fix the file, or name its profile with --profile {file}=NAME to see every error)",
                          "file", names[i], "line", ln, "reason", serr.msg, NULL);
            rr_data_dropped(d, names[i]);
            free(sn);
            continue;
        }
        if (sst != RR_OK && rr_xlsx_kind(path)) {   /* a workbook that cannot be read: say why, never drop it */
            free(sn);
            if (err) *err = serr;
            st = sst;
            goto out;
        }
        if (sst == RR_OK) prof[i] = rr_profiles_detect(ps, sn);
        free(sn);
        if (sst == RR_OK && !prof[i] && !strcmp(fenc, "auto") && strncmp(senc, "UTF-", 4) && strcmp(senc, "XLSX"))
            prof[i] = header_code_page(ps, path, senc, picked[i], sizeof picked[i]);   /* a legacy code page */
        if (!prof[i]) rr_data_dropped(d, names[i]);
        if (!prof[i])
            rr_data_warnk(d, "dq.unknown_file", "{file}: not a canonical file and no export profile matches its header: "
                          "ignored (name a profile with --profile {file}=NAME, or write one: docs/exports.md)",
                          "file", names[i], NULL);
    }

    /* read, table by table (fx first: amounts are converted while read) */
    for (size_t t = 0; t < rr_data_ntables; t++) {
        int which = T[t].index;
        rr_input_file *agg = &d->files[which];
        char cname[64];
        memcpy(cname, agg->name, sizeof cname);
        snprintf(agg->path, sizeof agg->path, "%s/%s", dir, cname);
        int stat_errno = stat(agg->path, &sb) == 0 ? 0 : errno;
        if (stat_errno && lstat(agg->path, &sb) == 0) {
            /* a link whose target is gone (an unmounted share): not "not provided" */
            char to[1024];
            ssize_t tn = readlink(agg->path, to, sizeof to - 1);
            to[tn > 0 ? tn : 0] = 0;
            st = rr_error_set(err, RR_ERR_IO, agg->path, 0, 0, NULL, "is a link to %s, which cannot be opened: %s",
                              to[0] ? to : "?", strerror(stat_errno));
            goto out;
        }
        if (stat(agg->path, &sb) == 0) {
            if ((st = link_check(dir, agg->path, io, err))) goto out;
            rr_input_file *f = add_input(d, dir, cname, which, "canonical");
            agg->present = f->present = 1;
            char cenc[64];
            const char *enc = file_encoding(io, cname, NULL, cenc, sizeof cenc);
            if (strcmp(enc, "auto") != 0) {
                /* --encoding names this canonical file's code page (or all files'):
                 * read it decoded, on one thread (a legacy file is a small one) */
                rr_csv_opts co;
                memset(&co, 0, sizeof co);
                co.encoding = enc;
                st = rr_csv_read_opts(f->path, T[t].cols, T[t].ncols, &co, T[t].fn, d, &f->stats, err);
            } else if (which == RR_IN_SPEND && early.started)   /* read beside the files before it: joined in its place */
                st = early_join(&early, d, &f->stats, err);
            else
                st = T[t].split ? rr_csv_read_split(f->path, T[t].cols, T[t].ncols, T[t].split,
                                                         T[t].fn, d, &f->stats, err)
                                     : rr_csv_read(f->path, T[t].cols, T[t].ncols, T[t].fn, d, &f->stats,
                                                   err);
            agg->stats = f->stats;
            f->stats.pending = NULL;   /* a checksum still being computed belongs to files[] */
            rr_timing(cname);
            if (st == RR_OK) file_notes(d, f);
            if (st != RR_OK) {
                if (!err->file[0]) snprintf(err->file, sizeof err->file, "%s", f->path);
                goto out;
            }
        }
        for (size_t i = 0; i < nn; i++) {
            if (!prof[i] || strcmp(rr_profile_table(prof[i]), T[t].name)) continue;
            char *pi = rr_xasprintf("%s/%s", dir, names[i]);
            size_t twin = i;
            for (size_t j = 0; j < i && twin == i; j++)
                if (prof[j] && !strcmp(rr_profile_table(prof[j]), T[t].name)) {
                    char *pj = rr_xasprintf("%s/%s", dir, names[j]);
                    if (same_bytes(pi, pj)) twin = j;
                    free(pj);
                }
            free(pi);
            if (twin != i) {   /* read once: its rows would count twice */
                rr_data_warnk(d, "dq.duplicate_file", "{other} and {file} hold the same bytes: read once (the same "
                              "export downloaded twice?)", "file", names[i], "other", names[twin], NULL);
                continue;
            }
            rr_input_file *f = add_input(d, dir, names[i], which, rr_profile_name(prof[i]));
            f->present = 1;
            memset(&d->tally, 0, sizeof d->tally);
            if ((st = load_export(d, f, prof[i], ps, io, picked[i], err))) goto out;
            file_notes(d, f);
            if (!agg->present) {
                agg->present = 1;
                snprintf(agg->name, sizeof agg->name, "%s", names[i]);
                snprintf(agg->path, sizeof agg->path, "%s", f->path);
            }
            agg->stats.rows += f->stats.rows;
            agg->stats.rows_used += f->stats.rows_used;
            agg->stats.rows_skipped += f->stats.rows_skipped;
            agg->stats.rows_rejected += f->stats.rows_rejected;
            agg->stats.bytes += f->stats.bytes;
            rr_timing(names[i]);
        }
        if (which == RR_IN_FX) {
            if ((st = rr_data_fx_ready(d, agg->path, err))) goto out;
        }
        /* the exchange rates are all read: spend.csv can start beside the next files
         * (not when --encoding names its code page: it is then read in its place) */
        char senc[64];
        if (which == RR_IN_CAMPAIGNS &&
            !strcmp(file_encoding(io, d->files[RR_IN_SPEND].name, NULL, senc, sizeof senc), "auto"))
            early_start(&early, d, dir);
    }
    rr_data_leads_dedupe(d);
    if (d->channels.folded_example[0])
        rr_data_warnk(d, "dq.channel_spelling", "channel \"{name}\" is read as \"{channel}\" (channel names that differ "
                      "only in upper and lower case, spaces or '_' are one channel)", "name", d->channels.folded_example,
                      "channel", rr_dict_name(&d->channels, d->channels.folded_example_id), NULL);
    if (!d->files[RR_IN_OPPS].present)
        st = rr_error_set(err, RR_ERR_MISSING, d->files[RR_IN_OPPS].path, 0, 0, NULL,
                          "required input file not found (see docs/inputs.md): no opportunities.csv and no "
                          "export of opportunities (docs/exports.md)");
out:
    early_drop(&early);
    for (size_t i = 0; i < nn; i++) free(names[i]);
    free(names);
    free(prof);
    free(picked);
    rr_profiles_free(ps);
    return st;
}

const rr_csv_stats *rr_data_input_stats(const rr_data *d, size_t i)
{
    const rr_input_file *f = &d->inputs[i];
    return strcmp(f->profile, "canonical") ? &f->stats : &d->files[f->table].stats;
}

void rr_data_dropped(rr_data *d, const char *name)
{
    d->dropped = rr_xgrow(d->dropped, &d->capdropped, d->ndropped + 1, sizeof *d->dropped);
    d->dropped[d->ndropped++] = rr_xstrdup(name);
}

char *rr_data_banner(const rr_data *d, const rr_i18n *cat)
{
    rr_strbuf items = {0};
    char a[32], b[32];
    for (size_t i = 0; i < d->ndropped; i++) {
        char *one = rr_i18n_subst(rr_tr(cat, "dq.banner.dropped"), "file", d->dropped[i], (const char *)NULL);
        rr_strbuf_printf(&items, "%s%s", items.len ? rr_tr(cat, "dq.banner.sep") : "", one);
        free(one);
    }
    for (size_t i = 0; i < d->ninputs; i++) {
        const rr_csv_stats *st = rr_data_input_stats(d, i);
        if (!st->rows_rejected) continue;
        snprintf(a, sizeof a, "%ld", st->rows_rejected);
        snprintf(b, sizeof b, "%ld", st->rows);
        char *one = rr_i18n_subst(rr_tr(cat, "dq.banner.rejected"), "file", d->inputs[i].name, "n", a, "total", b,
                                  (const char *)NULL);
        rr_strbuf_printf(&items, "%s%s", items.len ? rr_tr(cat, "dq.banner.sep") : "", one);
        free(one);
    }
    if (!items.len) return NULL;
    char *s = rr_i18n_subst(rr_tr(cat, "dq.banner"), "items", items.data, (const char *)NULL);
    rr_strbuf_free(&items);
    return s;
}
