/* outdir.c: atomic report outputs.  Files are written into a staging folder
 * beside the output folder (same file system); the commit hard-links into it
 * whatever else the output folder holds, then swaps the two folders in one
 * renameat2(RENAME_EXCHANGE), so a reader sees either the whole previous set
 * or the whole new one, never a mix.  Where the exchange is not supported
 * the files are renamed one by one (each file whole, the set not). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "revreport/fsafe.h"
#include "revreport/outdir.h"
#include "revreport/xalloc.h"

#define STAGE_PREFIX ".revreport-staging-"   /* + output folder name + '-' + pid */

struct rr_outdir {
    char *dir, *stage, *parent, *base;
    int swapped;               /* the stage path holds the previous folder */
    char **names, **paths;
    size_t n, cap;
};

static int mkdir_p(const char *path)
{
    char *p = rr_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) { free(p); return -1; }
        *s = '/';
    }
    int r = mkdir(p, 0777);
    free(p);
    return r != 0 && errno != EEXIST ? -1 : 0;
}

/* Remove staging folders of runs that are no longer alive (in the parent
 * folder, named for this output folder; also the old in-folder ones).  The
 * parent may be writable by others: an entry is removed only when
 * rr_fsafe_remove_stage can prove a run made it (a real folder, owned by
 * us, holding the marker); links are never followed. */
static void clean_stale_in(const char *dir, const char *prefix)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return;
    int dup_fd = dup(dfd);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) {
        if (dup_fd >= 0) close(dup_fd);
        close(dfd);
        return;
    }
    struct dirent *e;
    size_t plen = strlen(prefix);
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, plen) != 0) continue;
        char *end;
        long pid = strtol(e->d_name + plen, &end, 10);
        if (*end || end == e->d_name + plen) continue;
        if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) == 0) continue;   /* still running */
        rr_fsafe_remove_stage(dfd, e->d_name, 1);
    }
    closedir(d);
    close(dfd);
}

static void remove_stage_path_marker(const char *path)
{
    char *m = rr_xasprintf("%s/" RR_FSAFE_MARKER, path);
    unlink(m);
    free(m);
}

/* Remove a staging path this run made (marker required unless just swapped). */
static void remove_stage_path(const char *path, int require_marker)
{
    char *p = rr_xstrdup(path), *slash = strrchr(p, '/');
    int dfd = -1;
    const char *name = p;
    if (slash) {
        *slash = 0;
        dfd = open(slash == p ? "/" : p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        name = slash + 1;
    }
    if (!slash || dfd >= 0) rr_fsafe_remove_stage(slash ? dfd : AT_FDCWD, name, require_marker);
    if (dfd >= 0) close(dfd);
    free(p);
}

/* mkdir the staging folder with its marker (0, or -1 with errno) */
static int stage_make(const char *path)
{
    char *p = rr_xstrdup(path), *slash = strrchr(p, '/');
    int dfd = AT_FDCWD, rc = -1;
    if (slash) {
        *slash = 0;
        dfd = open(slash == p ? "/" : p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (dfd != -1) {
        rc = rr_fsafe_mkstage(dfd, slash ? slash + 1 : p);
        int e = errno;
        if (slash) close(dfd);
        errno = e;
    }
    free(p);
    return rc;
}

rr_status rr_outdir_begin(const char *dir, rr_outdir **out, rr_error *err)
{
    *out = NULL;
    if (mkdir_p(dir) != 0)
        return rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "cannot create output folder: %s", strerror(errno));
    /* The commit replaces the folder by the staging one: a folder its owner
     * made read-only is refused (root could write it anyway), and the new
     * one gets the old one's mode, owner and group (best effort). */
    struct stat dsb;
    if (stat(dir, &dsb) != 0)
        return rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "cannot open output folder: %s", strerror(errno));
    if (!S_ISDIR(dsb.st_mode))
        return rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "is a file, not a folder: give a folder for the "
                            "report's files (--output)");
    if (!(dsb.st_mode & S_IWUSR) || access(dir, W_OK) != 0)
        return rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "output folder is read-only (mode %04o): the report "
                            "is not written; make it writable (chmod u+w) or give another folder",
                            (unsigned)(dsb.st_mode & 07777));
    rr_outdir *o = rr_xcalloc(1, sizeof *o);
    char *real = realpath(dir, NULL);        /* a symlinked output folder: swap its target */
    o->dir = real ? real : rr_xstrdup(dir);
    char *slash = strrchr(o->dir, '/');
    if (slash && slash != o->dir) {
        o->parent = rr_xstrndup(o->dir, (size_t)(slash - o->dir));
        o->base = rr_xstrdup(slash + 1);
    } else {
        o->parent = rr_xstrdup(slash ? "/" : ".");
        o->base = rr_xstrdup(slash ? slash + 1 : o->dir);
    }
    char *prefix = rr_xasprintf(STAGE_PREFIX "%s-", o->base);
    clean_stale_in(o->parent, prefix);
    clean_stale_in(o->dir, STAGE_PREFIX);            /* left by versions that staged inside */
    o->stage = rr_xasprintf("%s/%s%ld", o->parent, prefix, (long)getpid());
    free(prefix);
    if (stage_make(o->stage) == 0) {   /* it will take the output folder's place */
        if (chown(o->stage, dsb.st_uid, dsb.st_gid) != 0) { /* not ours to give: keep ours */ }
        chmod(o->stage, dsb.st_mode & 07777);
    } else if (errno != EEXIST) {
        /* the parent is not writable: stage inside the output folder instead */
        free(o->stage);
        o->stage = rr_xasprintf("%s/" STAGE_PREFIX "%ld", o->dir, (long)getpid());
        if (stage_make(o->stage) != 0) {
            rr_status st = rr_error_set(err, RR_ERR_IO, o->stage, 0, 0, NULL, "cannot create staging folder: %s",
                                        strerror(errno));
            rr_outdir_free(o);
            return st;
        }
    }
    *out = o;
    return RR_OK;
}

const char *rr_outdir_path(rr_outdir *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->names[i], name) == 0) return o->paths[i];
    size_t cap = o->cap;
    o->names = rr_xgrow(o->names, &cap, o->n + 1, sizeof *o->names);
    o->paths = rr_xrealloc(o->paths, cap * sizeof *o->paths);
    o->cap = cap;
    o->names[o->n] = rr_xstrdup(name);
    o->paths[o->n] = rr_xasprintf("%s/%s", o->stage, name);
    return o->paths[o->n++];
}

static int fsync_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0) return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

/* The staging folder is beside the output folder (not inside it). */
static int stage_is_sibling(const rr_outdir *o)
{
    size_t n = strlen(o->dir);
    return !(strncmp(o->stage, o->dir, n) == 0 && o->stage[n] == '/');
}

rr_status rr_outdir_commit(rr_outdir *o, rr_error *err)
{
    for (size_t i = 0; i < o->n; i++) {
        struct stat sb;
        if (stat(o->paths[i], &sb) != 0)
            return rr_error_set(err, RR_ERR_INTERNAL, o->paths[i], 0, 0, NULL, "output was never written");
        if (fsync_path(o->paths[i], 0) != 0)
            return rr_error_set(err, RR_ERR_IO, o->paths[i], 0, 0, NULL, "fsync failed: %s", strerror(errno));
    }
    if (stage_is_sibling(o)) {
        /* keep what the output folder holds besides this run's files */
        DIR *d = opendir(o->dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            int ours = 0;
            for (size_t i = 0; i < o->n; i++) ours |= strcmp(o->names[i], e->d_name) == 0;
            if (ours || strncmp(e->d_name, STAGE_PREFIX, strlen(STAGE_PREFIX)) == 0) continue;
            char *src = rr_xasprintf("%s/%s", o->dir, e->d_name), *dst = rr_xasprintf("%s/%s", o->stage, e->d_name);
            struct stat sb;
            int ok = lstat(src, &sb) == 0 && S_ISREG(sb.st_mode) && link(src, dst) == 0;
            free(src);
            free(dst);
            if (!ok) { closedir(d); d = NULL; goto per_file; }   /* a folder or a foreign file: be conservative */
        }
        if (d) closedir(d);
        remove_stage_path_marker(o->stage);
        fsync_path(o->stage, 1);
        if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->dir, RENAME_EXCHANGE) == 0) {
            fsync_path(o->parent, 1);
            o->swapped = 1;
            for (size_t i = 0; i < o->n; i++) {   /* the staging path now holds the previous set */
                free(o->paths[i]);
                o->paths[i] = rr_xasprintf("%s/%s", o->dir, o->names[i]);
            }
            return RR_OK;
        }
        /* no exchange here (file system or kernel): undo the links, rename file by file */
        char *m = rr_xasprintf("%s/" RR_FSAFE_MARKER, o->stage);
        int mfd = open(m, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (mfd >= 0) close(mfd);
        free(m);
        DIR *u = opendir(o->stage);
        while (u && (e = readdir(u))) {
            int ours = 0;
            for (size_t i = 0; i < o->n; i++) ours |= strcmp(o->names[i], e->d_name) == 0;
            if (ours || !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
                !strcmp(e->d_name, RR_FSAFE_MARKER)) continue;
            char *p = rr_xasprintf("%s/%s", o->stage, e->d_name);
            unlink(p);
            free(p);
        }
        if (u) closedir(u);
    }
per_file:
    for (size_t i = 0; i < o->n; i++) {
        char *dst = rr_xasprintf("%s/%s", o->dir, o->names[i]);
        int r = rename(o->paths[i], dst);
        int e = errno;
        free(dst);
        if (r != 0)
            return rr_error_set(err, RR_ERR_IO, o->paths[i], 0, 0, NULL, "cannot move into place: %s", strerror(e));
    }
    fsync_path(o->dir, 1);
    return RR_OK;
}

void rr_outdir_free(rr_outdir *o)
{
    if (!o) return;
    remove_stage_path(o->stage, !o->swapped);
    for (size_t i = 0; i < o->n; i++) { free(o->names[i]); free(o->paths[i]); }
    free(o->names); free(o->paths); free(o->dir); free(o->stage); free(o->parent); free(o->base);
    free(o);
}
