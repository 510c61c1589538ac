/* fsafe.c: link-safe folders, provable staging cleanup and input opening
 * (see fsafe.h).
 *
 *   int dfd = rr_fsafe_opendir(AT_FDCWD, "out");
 *   if (rr_fsafe_remove_stage(dfd, ".Q3.staging-99", 1) != 0) ... left alone
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "revreport/fsafe.h"

#define MAX_DEPTH 8

int rr_fsafe_opendir(int at, const char *name)
{
    return openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int rr_fsafe_mkstage(int at, const char *name)
{
    if (mkdirat(at, name, 0700) != 0) return -1;
    int dfd = rr_fsafe_opendir(at, name);
    if (dfd < 0) return -1;
    int fd = openat(dfd, RR_FSAFE_MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int e = errno;
    close(dfd);
    if (fd < 0) { errno = e; return -1; }
    close(fd);
    return 0;
}

void rr_fsafe_unmark(int at, const char *name)
{
    int dfd = rr_fsafe_opendir(at, name);
    if (dfd < 0) return;
    unlinkat(dfd, RR_FSAFE_MARKER, 0);
    close(dfd);
}

/* Empty the folder dfd (ours: checked by the caller); 0 when empty. */
static int empty_dir(int dfd, int depth)
{
    int dup_fd = dup(dfd);
    if (dup_fd < 0) return -1;
    DIR *d = fdopendir(dup_fd);
    if (!d) { close(dup_fd); return -1; }
    int left = 0;
    uid_t me = geteuid();
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        struct stat sb;
        if (fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) { left = 1; continue; }
        if (sb.st_uid != me) { left = 1; continue; }            /* not ours: leave it */
        if (S_ISDIR(sb.st_mode)) {
            int sub = depth < MAX_DEPTH ? rr_fsafe_opendir(dfd, e->d_name) : -1;
            struct stat sb2;
            /* the folder opened must be the one examined (no swap in between) */
            if (sub < 0 || fstat(sub, &sb2) != 0 || sb2.st_ino != sb.st_ino || sb2.st_dev != sb.st_dev ||
                empty_dir(sub, depth + 1) != 0 || unlinkat(dfd, e->d_name, AT_REMOVEDIR) != 0)
                left = 1;
            if (sub >= 0) close(sub);
        } else if (unlinkat(dfd, e->d_name, 0) != 0) {         /* a link is removed, never followed */
            left = 1;
        }
    }
    closedir(d);
    return left ? -1 : 0;
}

int rr_fsafe_remove_stage(int at, const char *name, int require_marker)
{
    int dfd = rr_fsafe_opendir(at, name);
    if (dfd < 0) return -1;
    struct stat sb, lsb;
    int rc = -1;
    if (fstat(dfd, &sb) != 0 || sb.st_uid != geteuid()) goto out;
    /* the entry at/name is still the folder opened */
    if (fstatat(at, name, &lsb, AT_SYMLINK_NOFOLLOW) != 0 || lsb.st_ino != sb.st_ino || lsb.st_dev != sb.st_dev)
        goto out;
    if (require_marker) {
        struct stat mb;
        if (fstatat(dfd, RR_FSAFE_MARKER, &mb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(mb.st_mode) ||
            mb.st_uid != geteuid())
            goto out;
    }
    if (empty_dir(dfd, 0) != 0) goto out;
    rc = unlinkat(at, name, AT_REMOVEDIR);
out:
    close(dfd);
    return rc;
}

rr_status rr_fsafe_open_input(const char *path, int *fd, rr_error *err)
{
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (*fd < 0) {
        int e = errno;
        return rr_error_set(err, e == ENOENT ? RR_ERR_MISSING : RR_ERR_IO, path, 0, 0, NULL, "cannot open: %s",
                            strerror(e));
    }
    struct stat sb = {0};
    if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        const char *what = S_ISFIFO(sb.st_mode) ? "a named pipe (FIFO)"
                           : S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ? "a device"
                           : S_ISDIR(sb.st_mode) ? "a folder"
                           : S_ISSOCK(sb.st_mode) ? "a socket" : "not a regular file";
        close(*fd);
        *fd = -1;
        return rr_error_set(err, RR_ERR_INPUT, path, 0, 0, NULL, "is %s, not a regular file: refused", what);
    }
    int fl = fcntl(*fd, F_GETFL);
    if (fl >= 0) fcntl(*fd, F_SETFL, fl & ~O_NONBLOCK);
    return RR_OK;
}

FILE *rr_fsafe_fopen_input(const char *path, rr_error *err)
{
    int fd;
    if (rr_fsafe_open_input(path, &fd, err) != RR_OK) return NULL;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}

int rr_fsafe_within(const char *dir, const char *path)
{
    char *d = realpath(dir, NULL), *p = realpath(path, NULL);
    int in = 0;
    if (d && p) {
        size_t n = strlen(d);
        in = strncmp(p, d, n) == 0 && (p[n] == '/' || (n == 1 && d[0] == '/'));
    }
    free(d);
    free(p);
    return in;
}
