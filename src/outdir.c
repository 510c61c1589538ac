/* outdir.c: staging folder + rename(2) for atomic report outputs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "revreport/outdir.h"
#include "revreport/xalloc.h"

#define STAGE_PREFIX ".revreport-staging-"

struct rr_outdir {
    char *dir, *stage;
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

static void remove_tree_flat(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = rr_xasprintf("%s/%s", dir, e->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

/* remove staging folders of runs that are no longer alive */
static void clean_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    size_t plen = strlen(STAGE_PREFIX);
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, STAGE_PREFIX, plen) != 0) continue;
        long pid = strtol(e->d_name + plen, NULL, 10);
        if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) == 0) continue;   /* still running */
        char *p = rr_xasprintf("%s/%s", dir, e->d_name);
        remove_tree_flat(p);
        free(p);
    }
    closedir(d);
}

rr_status rr_outdir_begin(const char *dir, rr_outdir **out, rr_error *err)
{
    *out = NULL;
    if (mkdir_p(dir) != 0)
        return rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "cannot create output folder: %s", strerror(errno));
    clean_stale(dir);
    rr_outdir *o = rr_xcalloc(1, sizeof *o);
    o->dir = rr_xstrdup(dir);
    o->stage = rr_xasprintf("%s/%s%ld", dir, STAGE_PREFIX, (long)getpid());
    if (mkdir(o->stage, 0777) != 0 && errno != EEXIST) {
        rr_status st = rr_error_set(err, RR_ERR_IO, o->stage, 0, 0, NULL, "cannot create staging folder: %s",
                                    strerror(errno));
        rr_outdir_free(o);
        return st;
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

rr_status rr_outdir_commit(rr_outdir *o, rr_error *err)
{
    for (size_t i = 0; i < o->n; i++) {
        struct stat sb;
        if (stat(o->paths[i], &sb) != 0)
            return rr_error_set(err, RR_ERR_INTERNAL, o->paths[i], 0, 0, NULL, "output was never written");
        if (fsync_path(o->paths[i], 0) != 0)
            return rr_error_set(err, RR_ERR_IO, o->paths[i], 0, 0, NULL, "fsync failed: %s", strerror(errno));
    }
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
    remove_tree_flat(o->stage);
    for (size_t i = 0; i < o->n; i++) { free(o->names[i]); free(o->paths[i]); }
    free(o->names); free(o->paths); free(o->dir); free(o->stage);
    free(o);
}
