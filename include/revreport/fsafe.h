/* fsafe.h: file-system operations that stay safe in folders other users
 * may write (a group-writable /srv/rep): nothing here follows a symbolic
 * link it did not expect, and every removal is relative to a directory fd.
 *
 *   int dfd = rr_fsafe_opendir(AT_FDCWD, "/srv/arch/2026");
 *   rr_fsafe_mkstage(dfd, ".Q3.staging-123");         // 0700 + marker
 *   ...
 *   rr_fsafe_remove_stage(dfd, ".Q3.staging-123");    // only if it is provably ours
 *   close(dfd);
 *
 *   int fd;  rr_fsafe_open_input("in/leads.csv", &fd, &err);   // regular files only
 *
 * The caller owns every fd these return. */
#ifndef RR_FSAFE_H
#define RR_FSAFE_H
#include <stdio.h>
#include "revreport/status.h"

/* Name of the marker file a staging folder holds while a run builds it. */
#define RR_FSAFE_MARKER ".revreport-stage"

/* openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC): -1 with
 * errno (ELOOP, ENOTDIR) when name is a symlink or not a folder. */
int rr_fsafe_opendir(int at, const char *name);

/* Create the staging folder at/name with mode 0700 and put the marker in it
 * (O_CREAT | O_EXCL | O_NOFOLLOW).  0, or -1 with errno. */
int rr_fsafe_mkstage(int at, const char *name);

/* Remove the marker of at/name (the folder is about to become final). */
void rr_fsafe_unmark(int at, const char *name);

/* Remove the staging folder at/name only when this process can prove a
 * revreport run made it: a real folder (not a link) owned by our effective
 * user, holding the marker (a regular file owned by us).  Inside, entries
 * are removed with unlinkat relative to the folder's fd, sub-folders opened
 * with O_NOFOLLOW and owner-checked, to depth 8; entries owned by someone
 * else are left (and so is the folder).  require_marker 0: the caller
 * created the folder itself in this run and still holds that knowledge.
 * 0 when it is gone, -1 otherwise (nothing outside it is ever touched). */
int rr_fsafe_remove_stage(int at, const char *name, int require_marker);

/* Open an input file for reading: O_NONBLOCK (a FIFO cannot block the
 * open), then fstat must say regular file (FIFOs, devices, sockets and
 * folders are refused with RR_ERR_INPUT naming the path), then O_NONBLOCK is
 * cleared.  *fd owned by the caller. */
rr_status rr_fsafe_open_input(const char *path, int *fd, rr_error *err);

/* The same, as a stdio stream ("rb"); NULL with err set. */
FILE *rr_fsafe_fopen_input(const char *path, rr_error *err);

/* 1 when path, with every symlink resolved, lies inside dir (resolved). */
int rr_fsafe_within(const char *dir, const char *path);

#endif
