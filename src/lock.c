/* lock.c: flock(2)-based run locks (see lock.h).
 *
 *   rr_lock *l;  rr_lock_acquire(dir, ".revreport.lock", &l, &err);  ...  rr_lock_release(l);
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "revreport/lock.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

struct rr_lock { int fd; };

static int mkdir_p(const char *path)
{
    char *p = rr_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) rc = -1;
        *s = '/';
    }
    if (rc == 0 && mkdir(p, 0777) != 0 && errno != EEXIST) rc = -1;
    free(p);
    return rc;
}

/* Open (or create) the lock file dir/name without ever following a link:
 * relative to the folder's fd, O_NOFOLLOW, O_EXCL when creating; it must be
 * a regular file with one link (a hard link to /etc/passwd is refused too). */
static rr_status open_lock_file(const char *dir, const char *name, const char *path, int *out, rr_error *err)
{
    rr_status st = RR_OK;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd = -1;
    *out = -1;
    if (dfd < 0) return rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "cannot open folder: %s", strerror(errno));
    for (int tries = 0; fd < 0 && tries < 8; tries++) {
        fd = openat(dfd, name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
            fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
        if (fd < 0 && errno != ENOENT && errno != EEXIST) break;   /* EEXIST/ENOENT: raced, retry */
    }
    if (fd < 0) {
        st = rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, errno == ELOOP
                          ? "the lock file is a symbolic link: refused (remove it; someone may be trying to make "
                            "this run overwrite another file)"
                          : "cannot open lock file: %s", strerror(errno));
        goto out;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1) {
        st = rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "the lock file is not a plain file (a folder, device, "
                          "pipe or a file with other hard links): refused; remove it");
        goto out;
    }
    *out = fd;
    fd = -1;
out:
    if (fd >= 0) close(fd);
    close(dfd);
    return st;
}

rr_status rr_lock_acquire(const char *dir, const char *name, rr_lock **out, rr_error *err)
{
    rr_strbuf path = {0};
    rr_status st = RR_OK;
    int fd = -1;
    *out = NULL;
    if (name) rr_strbuf_printf(&path, "%s/%s", dir, name);
    else rr_strbuf_adds(&path, dir);
    if (mkdir_p(dir) != 0) {
        st = rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "cannot create folder: %s", strerror(errno));
        goto out;
    }
    if (name) {
        if ((st = open_lock_file(dir, name, path.data, &fd, err))) goto out;
    } else if ((fd = open(path.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        if (errno == ENOTDIR)
            st = rr_error_set(err, RR_ERR_IO, path.data, 0, 0, NULL, "is a file, not a folder: give a folder for the "
                              "report's files (--output)");
        else
            st = rr_error_set(err, RR_ERR_IO, path.data, 0, 0, NULL, "cannot open: %s", strerror(errno));
        goto out;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char buf[32] = "";
        ssize_t n = name ? pread(fd, buf, sizeof buf - 1, 0) : 0;
        buf[n > 0 ? n : 0] = '\0';
        buf[strspn(buf, "0123456789")] = '\0';        /* a pid, nothing else, is shown */
        if (e == EWOULDBLOCK || e == EAGAIN)
            st = rr_error_set(err, RR_ERR_IO, path.data, 0, 0, NULL,
                              "another revreport run%s%s%s is writing %s; try again when it has finished",
                              *buf ? " (pid " : "", buf, *buf ? ")" : "", dir);
        else
            st = rr_error_set(err, RR_ERR_IO, path.data, 0, 0, NULL, "cannot lock: %s", strerror(e));
        goto out;
    }
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (name && (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len)) {
        st = rr_error_set(err, RR_ERR_IO, path.data, 0, 0, NULL, "cannot write lock file: %s", strerror(errno));
        goto out;
    }
    *out = rr_xmalloc(sizeof **out);
    (*out)->fd = fd;
    fd = -1;
out:
    if (fd >= 0) close(fd);
    rr_strbuf_free(&path);
    return st;
}

void rr_lock_release(rr_lock *l)
{
    if (!l) return;
    flock(l->fd, LOCK_UN);
    close(l->fd);
    free(l);
}
