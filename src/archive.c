/* archive.c: the quarterly archive and `verify` (see archive.h).
 *
 *   rr_archive_run(&(rr_archive_opts){&report_opts, "/srv/archive", 0}, NULL, &err);
 *   rr_archive_verify("/srv/archive/2026/Q3", stdout, &err);
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "revreport/archive.h"
#include "revreport/csvin.h"
#include "revreport/fsafe.h"
#include "revreport/lock.h"
#include "revreport/period.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

#define MANIFEST "MANIFEST.sha256"
#define MAX_FILES 10000
#define MAX_DEPTH 8

typedef struct { char **v; size_t n; } names;

static void names_free(names *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files under root/rel, as paths relative to root, recursively. */
static rr_status list_files(const char *root, const char *rel, int depth, names *out, rr_error *err)
{
    char *dir = *rel ? rr_xasprintf("%s/%s", root, rel) : rr_xstrdup(root);
    rr_status st = RR_OK;
    DIR *d = opendir(dir);
    if (!d) { st = rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "cannot read folder: %s", strerror(errno)); goto out; }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (!*rel && !strcmp(e->d_name, RR_FSAFE_MARKER)) continue;   /* the staging marker */
        char *r = *rel ? rr_xasprintf("%s/%s", rel, e->d_name) : rr_xstrdup(e->d_name);
        char *full = rr_xasprintf("%s/%s", root, r);
        struct stat sb;
        if (lstat(full, &sb) != 0) {
            st = rr_error_set(err, RR_ERR_IO, full, 0, 0, NULL, "%s", strerror(errno));
        } else if (S_ISDIR(sb.st_mode) && depth < MAX_DEPTH) {
            st = list_files(root, r, depth + 1, out, err);
        } else if (out->n >= MAX_FILES) {
            st = rr_error_set(err, RR_ERR_LIMIT, root, 0, 0, NULL, "more than %d files", MAX_FILES);
        } else {
            out->v = rr_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
            out->v[out->n++] = r;
            r = NULL;
        }
        free(r);
        free(full);
        if (st) break;
    }
    closedir(d);
out:
    free(dir);
    return st;
}

static rr_status sha_file(const char *path, char hex[65], rr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    rr_sha256 s;
    unsigned char buf[65536], dig[32];
    size_t n;
    rr_sha256_init(&s);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) rr_sha256_update(&s, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "read error");
    rr_sha256_final(&s, dig);
    rr_sha256_hex(dig, hex);
    return RR_OK;
}

static rr_status copy_file(const char *from, const char *to, rr_error *err)
{
    rr_status st = RR_OK;
    FILE *in = fopen(from, "rb"), *out = NULL;
    if (!in) return rr_error_set(err, RR_ERR_IO, from, 0, 0, NULL, "cannot open: %s", strerror(errno));
    out = fopen(to, "wb");
    if (!out) { st = rr_error_set(err, RR_ERR_IO, to, 0, 0, NULL, "cannot create: %s", strerror(errno)); goto out; }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) break;
    if (ferror(in) || ferror(out) || fflush(out) != 0 || fsync(fileno(out)) != 0)
        st = rr_error_set(err, RR_ERR_IO, to, 0, 0, NULL, "cannot copy %s: %s", from, strerror(errno));
out:
    if (out && fclose(out) != 0 && st == RR_OK) st = rr_error_set(err, RR_ERR_IO, to, 0, 0, NULL, "write error");
    fclose(in);
    return st;
}

/* Remove the staging folders killed archive runs of this quarter left in
 * the year folder (ydfd).  The caller holds the quarter's lock, so no live
 * run owns one; each is removed only when provably a run's own (a real
 * folder owned by us with the marker: rr_fsafe_remove_stage), never
 * through a link. */
static void clean_stale_stages(int ydfd, const char *qname)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, ".%s.staging-", qname);
    size_t plen = strlen(prefix);
    int dup_fd = dup(ydfd);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) {
        if (dup_fd >= 0) close(dup_fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, plen) != 0) continue;
        char *end;
        long pid = strtol(e->d_name + plen, &end, 10);
        if (*end || end == e->d_name + plen || pid == (long)getpid()) continue;
        rr_fsafe_remove_stage(ydfd, e->d_name, 1);
    }
    closedir(d);
}

/* The input CSVs (regular *.csv files of the input folder), sorted. */
static rr_status input_csvs(const char *dir, names *out, rr_error *err)
{
    DIR *d = opendir(dir);
    if (!d) return rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "cannot read folder: %s", strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".csv") != 0 || e->d_name[0] == '.') continue;
        char *p = rr_xasprintf("%s/%s", dir, e->d_name);
        struct stat sb;
        int reg = stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
        free(p);
        if (!reg) continue;
        out->v = rr_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
        out->v[out->n++] = rr_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
    return RR_OK;
}

static rr_status write_text(const char *path, const rr_strbuf *b, rr_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f) return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
    int bad = b->len && fwrite(b->data, 1, b->len, f) != b->len;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    return bad ? rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "write error: %s", strerror(errno)) : RR_OK;
}

/* MANIFEST.sha256 over every file of dir. */
static rr_status write_manifest(const char *dir, rr_error *err)
{
    names files = {0};
    rr_strbuf m = {0};
    char *path = NULL;
    rr_status st = list_files(dir, "", 0, &files, err);
    if (st) goto out;
    qsort(files.v, files.n, sizeof *files.v, cmp_str);
    for (size_t i = 0; i < files.n; i++) {
        char hex[65];
        free(path);
        path = rr_xasprintf("%s/%s", dir, files.v[i]);
        if ((st = sha_file(path, hex, err))) goto out;
        rr_strbuf_printf(&m, "%s  %s\n", hex, files.v[i]);
    }
    free(path);
    path = rr_xasprintf("%s/%s", dir, MANIFEST);
    st = write_text(path, &m, err);
out:
    free(path);
    names_free(&files);
    rr_strbuf_free(&m);
    return st;
}

/* archive.file_mode on every file of the staging folder, and the same with
 * x added wherever r is (0640 -> 0750) on its folders: the exports inside
 * are CRM data, not for every account on the server. */
static rr_status set_modes(const char *stage, long fmode, rr_error *err)
{
    mode_t dmode = (mode_t)(fmode | ((fmode & 0444) >> 2));
    names files = {0};
    char *p = NULL;
    rr_status st = list_files(stage, "", 0, &files, err);
    for (size_t i = 0; st == RR_OK && i < files.n; i++) {
        free(p);
        p = rr_xasprintf("%s/%s", stage, files.v[i]);
        if (fchmodat(AT_FDCWD, p, (mode_t)fmode, AT_SYMLINK_NOFOLLOW) != 0 && errno != EOPNOTSUPP)
            st = rr_error_set(err, RR_ERR_IO, p, 0, 0, NULL, "cannot set the mode: %s", strerror(errno));
        /* its folders, up to the staging folder */
        for (char *sl = strrchr(files.v[i], '/'); st == RR_OK && sl; sl = strrchr(files.v[i], '/')) {
            *sl = '\0';
            free(p);
            p = rr_xasprintf("%s/%s", stage, files.v[i]);
            if (chmod(p, dmode) != 0)
                st = rr_error_set(err, RR_ERR_IO, p, 0, 0, NULL, "cannot set the mode: %s", strerror(errno));
        }
    }
    if (st == RR_OK && chmod(stage, dmode) != 0)
        st = rr_error_set(err, RR_ERR_IO, stage, 0, 0, NULL, "cannot set the mode: %s", strerror(errno));
    free(p);
    names_free(&files);
    return st;
}

rr_status rr_archive_run(const rr_archive_opts *o, char **where, rr_error *err)
{
    const rr_report_opts *ro = o->report;
    rr_status st = RR_OK;
    rr_period p;
    rr_lock *lock = NULL;
    names csv = {0};
    rr_strbuf sums = {0};
    char *year = NULL, *stage = NULL, *target = NULL, *prev = NULL, *a = NULL, *b = NULL;
    char qname[8], stagename[64];
    int ydfd = -1;
    if (where) *where = NULL;
    if (ro->month) return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL, "archive: give a quarter (--quarter 2026Q3 "
                                       "or --period last-quarter), not a month");
    if ((st = rr_period_parse_zone(NULL, ro->quarter, ro->quarter ? ro->relative : ro->relative ? ro->relative : "last-quarter",
                                   ro->fy_start, ro->now, ro->config ? rr_config_str(ro->config, "report.timezone", "UTC")
                                   : "UTC", &p, err))) return st;
    if (p.kind != RR_PERIOD_QUARTER)
        return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL, "archive: %s is not a quarter", p.label);
    const char *fm = ro->config ? rr_config_str(ro->config, "archive.file_mode", "0640") : "0640";
    char *fend;
    long fmode = strtol(fm, &fend, 8);
    if (!*fm || *fend || fmode < 0 || fmode > 0666 || !(fmode & 0400))
        return rr_error_set(err, RR_ERR_CONFIG, rr_config_where(ro->config, "archive.file_mode"), 0, 0,
                            "archive.file_mode", "\"%s\": expected an octal file mode such as 0640 or 0600 "
                            "(readable by the owner, no execute bits)", fm);
    const char *mode = ro->config ? rr_config_str(ro->config, "archive.inputs", "copy") : "copy";
    int checksums = !strcmp(mode, "checksums");
    if (!checksums && strcmp(mode, "copy") != 0)
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "archive.inputs", "\"%s\": expected copy or checksums", mode);

    snprintf(qname, sizeof qname, "Q%d", p.quarter);
    year = rr_xasprintf("%s/%d", o->into, p.fiscal_year);
    target = rr_xasprintf("%s/%s", year, qname);
    /* the year folder itself is the lock: no .Qn.lock file left behind */
    if ((st = rr_lock_acquire(year, NULL, &lock, err))) goto out;
    struct stat sb;
    if (!o->force && stat(target, &sb) == 0 && !ro->quarter) {
        /* a scheduled run (relative period) for a quarter already archived:
         * nothing to do, and nothing wrong (the archive timer runs monthly) */
        goto out;
    }
    if (!o->force && stat(target, &sb) == 0) {
        st = rr_error_set(err, RR_ERR_IO, target, 0, 0, NULL,
                          "%s is already archived; nothing was changed (--force replaces it and keeps the earlier "
                          "version beside it as %s.previous-<time>)", p.label, qname);
        goto out;
    }
    /* the year folder may be writable by others: everything below is done
     * relative to its fd, with no link followed */
    if ((ydfd = rr_fsafe_opendir(AT_FDCWD, year)) < 0) {
        st = rr_error_set(err, RR_ERR_IO, year, 0, 0, NULL, "cannot open folder: %s", strerror(errno));
        goto out;
    }
    clean_stale_stages(ydfd, qname);
    snprintf(stagename, sizeof stagename, ".%s.staging-%ld", qname, (long)getpid());
    if (rr_fsafe_mkstage(ydfd, stagename) != 0) {
        st = rr_error_set(err, RR_ERR_IO, year, 0, 0, NULL, "cannot create the staging folder %s: %s", stagename,
                          strerror(errno));
        goto out;
    }
    stage = rr_xasprintf("%s/%s", year, stagename);

    /* 1. the report itself, for the quarter, into the staging folder */
    rr_report_opts r = *ro;
    r.output_dir = stage;
    r.month = NULL;
    r.relative = NULL;
    r.quarter = p.label;
    r.archive = 1;
    if ((st = rr_report_run(&r, err))) goto out;

    /* 2. the inputs: copies or checksums */
    if ((st = input_csvs(ro->input_dir, &csv, err))) goto out;
    if (!checksums) {
        free(a);
        a = rr_xasprintf("%s/inputs", stage);
        if (mkdir(a, 0777) != 0) { st = rr_error_set(err, RR_ERR_IO, a, 0, 0, NULL, "%s", strerror(errno)); goto out; }
    }
    for (size_t i = 0; i < csv.n; i++) {
        free(a);
        free(b);
        a = rr_xasprintf("%s/%s", ro->input_dir, csv.v[i]);
        b = rr_xasprintf("%s/inputs/%s", stage, csv.v[i]);
        if (checksums) {
            char hex[65];
            if ((st = sha_file(a, hex, err))) goto out;
            rr_strbuf_printf(&sums, "%s  %s\n", hex, csv.v[i]);
        } else if ((st = copy_file(a, b, err))) {
            goto out;
        }
    }
    if (checksums) {
        free(a);
        a = rr_xasprintf("%s/inputs.sha256", stage);
        if ((st = write_text(a, &sums, err))) goto out;
    }
    /* 3. the manifest of everything */
    if ((st = write_manifest(stage, err))) goto out;

    /* 4. into place: rename(2) never replaces a non-empty folder; the
     * staging folder was made 0700, the archive gets the usual mode */
    if ((st = set_modes(stage, fmode, err))) goto out;
    rr_fsafe_unmark(ydfd, stagename);
    if (renameat(ydfd, stagename, ydfd, qname) != 0) {
        int e = errno;
        if (!o->force || (e != EEXIST && e != ENOTEMPTY)) {
            st = rr_error_set(err, RR_ERR_IO, target, 0, 0, NULL, e == EEXIST || e == ENOTEMPTY
                              ? "already archived (use --force to replace it, keeping the earlier version)"
                              : "cannot move the archive into place: %s", strerror(e));
            goto out;
        }
        time_t now = time(NULL);
        struct tm tm;
        char ts[32];
        gmtime_r(&now, &tm);
        strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
        for (int k = 1; k <= 100; k++) {
            free(prev);
            prev = k == 1 ? rr_xasprintf("%s.previous-%s", target, ts) : rr_xasprintf("%s.previous-%s-%d", target, ts, k);
            if (lstat(prev, &sb) != 0) break;
        }
        /* one step: the new archive and the old one trade places, so Qn never
         * disappears; then the old one (now under the staging name, unmarked,
         * so no cleanup takes it) becomes Qn.previous-<time> */
        const char *pname = strrchr(prev, '/') + 1;
        if (renameat2(ydfd, stagename, ydfd, qname, RENAME_EXCHANGE) == 0) {
            if (renameat(ydfd, stagename, ydfd, pname) != 0) {
                st = rr_error_set(err, RR_ERR_IO, target, 0, 0, NULL, "the archive was replaced, but the earlier "
                                  "version stays as %s/%s: %s", year, stagename, strerror(errno));
                free(stage);
                stage = NULL;   /* it holds the earlier archive now: keep it */
                goto out;
            }
        } else if ((errno != EINVAL && errno != ENOSYS) || rename(target, prev) != 0 ||
                   renameat(ydfd, stagename, ydfd, qname) != 0) {
            /* EINVAL/ENOSYS: a file system without RENAME_EXCHANGE, two renames */
            st = rr_error_set(err, RR_ERR_IO, target, 0, 0, NULL, "cannot replace the archive: %s", strerror(errno));
            goto out;
        }
    }
    /* make the rename durable */
    fsync(ydfd);
    if (where) { *where = target; target = NULL; }
out:
    if (stage) rr_fsafe_remove_stage(ydfd, stagename, 1);   /* only left when something failed */
    if (ydfd >= 0) close(ydfd);
    rr_lock_release(lock);
    names_free(&csv);
    rr_strbuf_free(&sums);
    free(year);
    free(stage);
    free(target);
    free(prev);
    free(a);
    free(b);
    return st;
}

static int safe_rel(const char *p)
{
    if (!*p || *p == '/') return 0;
    for (const char *s = p; *s; s++)
        if (s[0] == '.' && s[1] == '.' && (s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0')) return 0;
    return 1;
}

rr_status rr_archive_verify(const char *dir, FILE *out, rr_error *err)
{
    rr_status st = RR_OK;
    names listed = {0}, present = {0};
    char *mpath = rr_xasprintf("%s/%s", dir, MANIFEST), *path = NULL;
    size_t bad = 0, ok = 0;
    long lineno = 0;
    char line[4200];
    FILE *m = fopen(mpath, "r");
    if (!m) {
        st = rr_error_set(err, RR_ERR_IO, mpath, 0, 0, NULL, "no manifest: %s (is this an archive folder?)", strerror(errno));
        goto out;
    }
    while (fgets(line, sizeof line, m)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line) continue;
        size_t hl = strspn(line, "0123456789abcdef");
        const char *name = line + 66;
        if (hl != 64 || strncmp(line + 64, "  ", 2) != 0 || !safe_rel(name)) {
            st = rr_error_set(err, RR_ERR_INPUT, mpath, lineno, 1, NULL, "not a manifest line: \"%.80s\"", line);
            goto out;
        }
        listed.v = rr_xrealloc(listed.v, (listed.n + 1) * sizeof *listed.v);
        listed.v[listed.n++] = rr_xstrdup(name);
        char hex[65];
        rr_error e2;
        free(path);
        path = rr_xasprintf("%s/%s", dir, name);
        struct stat sb;
        if (lstat(path, &sb) != 0) {
            if (out) fprintf(out, "MISSING %s\n", name);
            bad++;
        } else if (!S_ISREG(sb.st_mode) || sha_file(path, hex, &e2) != RR_OK || memcmp(hex, line, 64) != 0) {
            if (out) fprintf(out, "MISMATCH %s\n", name);
            bad++;
        } else {
            ok++;
        }
    }
    if ((st = list_files(dir, "", 0, &present, err))) goto out;
    qsort(listed.v, listed.n, sizeof *listed.v, cmp_str);
    qsort(present.v, present.n, sizeof *present.v, cmp_str);
    for (size_t i = 0; i < present.n; i++) {
        if (!strcmp(present.v[i], MANIFEST)) continue;
        if (!bsearch(&present.v[i], listed.v, listed.n, sizeof *listed.v, cmp_str)) {
            if (out) fprintf(out, "EXTRA %s\n", present.v[i]);
            bad++;
        }
    }
    if (bad) {
        st = rr_error_set(err, RR_ERR_INPUT, dir, 0, 0, NULL, "%zu problem%s against %s (%zu file%s intact)", bad,
                          bad == 1 ? "" : "s", MANIFEST, ok, ok == 1 ? "" : "s");
        goto out;
    }
    if (out) fprintf(out, "%s: %zu files match %s\n", dir, ok, MANIFEST);
out:
    if (m) fclose(m);
    names_free(&listed);
    names_free(&present);
    free(mpath);
    free(path);
    return st;
}
