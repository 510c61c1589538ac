/* smtp.h: delivery of report.eml over SMTP with libcurl (STARTTLS on
 * smtp://, implicit TLS on smtps://, AUTH when a user is set).
 *
 *   rr_smtp_opts s = rr_smtp_opts_default();
 *   s.url = "smtp://mail.example.com:587"; s.user = "reports"; s.password = pw;
 *   s.from = "reports@example.com"; s.rcpt = rcpts; s.nrcpt = 2;
 *   if (rr_smtp_send(&s, "out/report.eml", &err) != RR_OK) rr_error_print(&err, "revreport");
 *
 *   // `revreport send`: run the report (which writes out/report.eml), then deliver it
 *   rr_smtp_send_report(&report_opts, &err);
 *
 * Credentials never come from the command line: the password is read from
 * the environment (REVREPORT_SMTP_PASSWORD) or from the file named by
 * mail.password_file, which must not be readable by group or others.
 * Errors name what happened: a refused recipient (with the server's reply),
 * failed authentication, a timeout, a refused connection, TLS failure.  The
 * message file is only read: it stays on disk whatever happens. */
#ifndef RR_SMTP_H
#define RR_SMTP_H
#include <stddef.h>
#include <stdio.h>
#include "revreport/config.h"
#include "revreport/report.h"
#include "revreport/status.h"

typedef struct {
    const char *url;               /* smtp://host[:port] or smtps://host[:port] */
    int starttls;                  /* smtp://: 1 = STARTTLS required (default), 0 = plain */
    const char *user, *password;   /* NULL user = no AUTH */
    const char *from;              /* envelope sender (addr-spec) */
    const char *const *rcpt;       /* envelope recipients (addr-specs) */
    size_t nrcpt;
    long timeout;                  /* seconds, for connecting and for the whole transfer's stalls */
    const char *ca_file;           /* NULL = the system's CA store */
    long retry_window;             /* seconds during which temporary failures are retried (0 = once) */
    long retry_delay;              /* seconds before the first retry, doubled each time up to 600 */
    FILE *log;                     /* each retry is announced here (may be NULL) */
} rr_smtp_opts;

rr_smtp_opts rr_smtp_opts_default(void);
/* Send the message file at path.  Errors: RR_ERR_CONFIG (authentication
 * failed, recipient or sender refused: the settings are wrong), RR_ERR_IO
 * (cannot connect, timeout, TLS, file unreadable, other transfer failure). */
rr_status rr_smtp_send(const rr_smtp_opts *o, const char *path, rr_error *err);
/* The same; temporary failures (a 4xx reply such as a greylisting 450 on
 * RCPT, a refused connection, a timeout, a connection lost before the
 * message was complete) are retried with backoff within o->retry_window.
 * Permanent ones (5xx, TLS, authentication refused) end at once: 5xx replies
 * are RR_ERR_CONFIG (exit 5), failures still temporary at the end of the
 * window RR_ERR_IO (exit 4).  When the connection drops after the whole
 * message and its final "." went out, the server has probably delivered it:
 * RR_OK with *unsure = 1 (unsure may be NULL), never a second copy. */
rr_status rr_smtp_send_ex(const rr_smtp_opts *o, const char *path, int *unsure, rr_error *err);
/* Checked before connecting: the URL's form, no credentials inside it
 * (refused without echoing it), and no AUTH in clear (mail.starttls = false
 * with a user) to a host that is not loopback (127.0.0.0/8, ::1, localhost).
 * Errors: RR_ERR_CONFIG. */
rr_status rr_smtp_check_url(const char *url, int starttls, const char *user, rr_error *err);
/* The same with the mail.* settings (smtp_url, starttls, user, password_file,
 * timeout, ca_file; envelope from mail.from, recipients mail.to + mail.cc +
 * mail.bcc). */
rr_status rr_smtp_send_config(const rr_config *cfg, const char *path, rr_error *err);
/* `revreport send`: rr_report_run(o) with mail.to required, then deliver
 * o->output_dir/report.eml, holding the output folder's lock meanwhile.
 * Never twice: a sent-marker per period and envelope (mail.sent_dir, default
 * OUTPUT.sent/<period>-<hash>.sent) is written after delivery; when it exists
 * nothing is built or sent and *note says so.  *note (caller frees, NULL when
 * there is nothing to say) also carries the warning of a probable delivery.
 * Settings, envelope, credentials and the period are checked before the
 * report is built. */
rr_status rr_smtp_send_report(const rr_report_opts *o, char **note, rr_error *err);

#endif
