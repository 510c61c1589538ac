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
} rr_smtp_opts;

rr_smtp_opts rr_smtp_opts_default(void);
/* Send the message file at path.  Errors: RR_ERR_CONFIG (authentication
 * failed, recipient or sender refused: the settings are wrong), RR_ERR_IO
 * (cannot connect, timeout, TLS, file unreadable, other transfer failure). */
rr_status rr_smtp_send(const rr_smtp_opts *o, const char *path, rr_error *err);
/* The same with the mail.* settings (smtp_url, starttls, user, password_file,
 * timeout, ca_file; envelope from mail.from, recipients mail.to + mail.cc +
 * mail.bcc). */
rr_status rr_smtp_send_config(const rr_config *cfg, const char *path, rr_error *err);
/* `revreport send`: rr_report_run(o) with mail.to required, then deliver
 * o->output_dir/report.eml, holding the output folder's lock meanwhile. */
rr_status rr_smtp_send_report(const rr_report_opts *o, rr_error *err);

#endif
