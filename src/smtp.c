/* smtp.c: SMTP delivery with libcurl (see smtp.h).
 *
 *   rr_smtp_send_config(cfg, "out/report.eml", &err);
 *
 * A debug callback keeps the last command sent and the last reply read, so
 * an error can say "the server refused recipient <x>: 550 ...". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <curl/curl.h>
#include "revreport/lock.h"
#include "revreport/mail.h"
#include "revreport/smtp.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

#define MAX_RCPT 256

rr_smtp_opts rr_smtp_opts_default(void)
{
    rr_smtp_opts o;
    memset(&o, 0, sizeof o);
    o.starttls = 1;
    o.timeout = 60;
    return o;
}

typedef struct {
    char sent[512];     /* last command line sent (before QUIT) */
    char reply[512];    /* last reply line read (before QUIT) */
    int quit;           /* QUIT sent: what follows explains nothing */
} talk;

static void keep_line(char *dst, size_t cap, const char *p, size_t n)
{
    while (n && (p[n - 1] == '\n' || p[n - 1] == '\r')) n--;
    const char *nl = memchr(p, '\n', n);   /* a multi-line reply: its last line is the one */
    while (nl && (size_t)(nl - p) + 1 < n) {
        n -= (size_t)(nl - p) + 1;
        p = nl + 1;
        nl = memchr(p, '\n', n);
    }
    if (n >= cap) n = cap - 1;
    memcpy(dst, p, n);
    dst[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)dst[i] < 32) dst[i] = ' ';
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
    talk *t = ud;
    if (type == CURLINFO_HEADER_OUT) {
        /* keep SMTP commands only: AUTH arguments and continuation lines carry credentials */
        static const char *const verbs[] = {"EHLO", "HELO", "STARTTLS", "MAIL", "RCPT", "DATA", "QUIT", "RSET", "NOOP"};
        int known = 0;
        for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
            if (size >= strlen(verbs[i]) && strncmp(data, verbs[i], strlen(verbs[i])) == 0) known = 1;
        if (size >= 4 && strncmp(data, "QUIT", 4) == 0) t->quit = 1;
        if (t->quit) return 0;
        if (known) keep_line(t->sent, sizeof t->sent, data, size);
        else keep_line(t->sent, sizeof t->sent, "AUTH ...", 8);
    } else if (type == CURLINFO_HEADER_IN && !t->quit) {
        keep_line(t->reply, sizeof t->reply, data, size);
    }
    return 0;
}

static size_t on_read(char *buf, size_t size, size_t n, void *ud)
{
    return fread(buf, size, n, (FILE *)ud);
}

rr_status rr_smtp_send(const rr_smtp_opts *o, const char *path, rr_error *err)
{
    rr_status st = RR_OK;
    CURL *h = NULL;
    struct curl_slist *rcpt = NULL;
    talk t = {"", "", 0};
    char ebuf[CURL_ERROR_SIZE] = "";
    FILE *f = fopen(path, "rb");
    if (!f) return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot open the message: %s", strerror(errno));
    if (!o->url || !*o->url) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.smtp_url",
                          "no SMTP server: set mail.smtp_url, e.g. smtp://mail.example.com:587");
        goto out;
    }
    if (strncmp(o->url, "smtp://", 7) != 0 && strncmp(o->url, "smtps://", 8) != 0) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.smtp_url",
                          "\"%s\": expected smtp://host:port or smtps://host:port", o->url);
        goto out;
    }
    if (!o->from || !*o->from || o->nrcpt == 0) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.to", "no sender or no recipient");
        goto out;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    h = curl_easy_init();
    if (!h) { st = rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL, "libcurl: cannot start"); goto out; }
    for (size_t i = 0; i < o->nrcpt; i++) {
        char *a = rr_xasprintf("<%s>", o->rcpt[i]);
        struct curl_slist *n = curl_slist_append(rcpt, a);
        free(a);
        if (!n) { st = rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL, "out of memory"); goto out; }
        rcpt = n;
    }
    char *from = rr_xasprintf("<%s>", o->from);
    curl_easy_setopt(h, CURLOPT_URL, o->url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, f);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->timeout);
    /* a server that stops answering: under 1 byte/s for `timeout` seconds */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o->timeout);
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, o->timeout);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &t);
    if (strncmp(o->url, "smtp://", 7) == 0 && o->starttls) curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (o->ca_file && *o->ca_file) curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
    if (o->user && *o->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, o->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, o->password ? o->password : "");
    }
    CURLcode rc = curl_easy_perform(h);
    free(from);
    if (rc == CURLE_OK) goto out;
    const char *reply = *t.reply ? t.reply : "no reply";
    switch (rc) {
    case CURLE_LOGIN_DENIED:
        st = rr_error_set(err, RR_ERR_CONFIG, o->url, 0, 0, "mail.user",
                          "SMTP authentication failed for user \"%s\" (server: %s); check mail.user and the "
                          "password (REVREPORT_SMTP_PASSWORD or mail.password_file); the message is kept in %s",
                          o->user ? o->user : "", reply, path);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        st = rr_error_set(err, RR_ERR_IO, o->url, 0, 0, NULL,
                          "SMTP server did not answer within %ld s (%s); the message is kept in %s",
                          o->timeout, ebuf, path);
        break;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        st = rr_error_set(err, RR_ERR_IO, o->url, 0, 0, NULL, "cannot connect to the SMTP server: %s; "
                          "the message is kept in %s", ebuf, path);
        break;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
        st = rr_error_set(err, RR_ERR_IO, o->url, 0, 0, NULL, "TLS with the SMTP server failed: %s; "
                          "the message is kept in %s", ebuf, path);
        break;
    default:
        if (strncmp(t.sent, "RCPT", 4) == 0 && *t.reply != '2')
            st = rr_error_set(err, RR_ERR_CONFIG, o->url, 0, 0, "mail.to",
                              "the SMTP server refused recipient %s: %s; nothing was sent; the message is "
                              "kept in %s", t.sent + strcspn(t.sent, "<"), reply, path);
        else if (strncmp(t.sent, "MAIL", 4) == 0 && *t.reply != '2')
            st = rr_error_set(err, RR_ERR_CONFIG, o->url, 0, 0, "mail.from",
                              "the SMTP server refused sender %s: %s; the message is kept in %s",
                              t.sent + strcspn(t.sent, "<"), reply, path);
        else
            st = rr_error_set(err, RR_ERR_IO, o->url, 0, 0, NULL,
                              "SMTP delivery failed: %s (last command %s, server: %s); the message is kept in %s",
                              ebuf, *t.sent ? t.sent : "none", reply, path);
    }
out:
    curl_slist_free_all(rcpt);
    if (h) curl_easy_cleanup(h);
    fclose(f);
    return st;
}

/* The password: env REVREPORT_SMTP_PASSWORD, else the first line of mail.password_file. */
static rr_status password(const rr_config *cfg, char **out, rr_error *err)
{
    *out = NULL;
    const char *env = getenv("REVREPORT_SMTP_PASSWORD");
    if (env && *env) { *out = rr_xstrdup(env); return RR_OK; }
    const char *file = rr_config_str(cfg, "mail.password_file", NULL);
    if (!file || !*file) return RR_OK;
    struct stat sb;
    FILE *f = fopen(file, "r");
    if (!f) return rr_error_set(err, RR_ERR_CONFIG, file, 0, 0, "mail.password_file", "cannot open: %s", strerror(errno));
    if (fstat(fileno(f), &sb) != 0 || (sb.st_mode & 077)) {
        fclose(f);
        return rr_error_set(err, RR_ERR_CONFIG, file, 0, 0, "mail.password_file",
                            "readable by others (mode %03o): chmod 600 it", (unsigned)(sb.st_mode & 0777));
    }
    char line[1024] = "";
    if (!fgets(line, sizeof line, f)) line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    *out = rr_xstrdup(line);
    return RR_OK;
}

rr_status rr_smtp_send_config(const rr_config *cfg, const char *path, rr_error *err)
{
    rr_smtp_opts o = rr_smtp_opts_default();
    char *rcpt[MAX_RCPT], *from[1] = {NULL}, *pw = NULL;
    size_t n = 0;
    rr_status st;
    o.url = rr_config_str(cfg, "mail.smtp_url", NULL);
    o.starttls = rr_config_bool(cfg, "mail.starttls", 1);
    o.user = rr_config_str(cfg, "mail.user", NULL);
    o.timeout = rr_config_int(cfg, "mail.timeout", 60);
    o.ca_file = rr_config_str(cfg, "mail.ca_file", NULL);
    if ((st = rr_config_check(cfg, err))) goto out;
    if (o.timeout < 1 || o.timeout > 3600) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.timeout", "%ld: expected 1-3600 seconds", o.timeout);
        goto out;
    }
    if (rr_mail_addresses(rr_config_str(cfg, "mail.from", NULL), from, 1) != 1) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.from", "expected one sender address");
        goto out;
    }
    static const char *const lists[] = {"mail.to", "mail.cc", "mail.bcc"};
    for (size_t i = 0; i < 3; i++) {
        size_t k = rr_mail_addresses(rr_config_str(cfg, lists[i], NULL), rcpt + n, MAX_RCPT - n);
        if (k > MAX_RCPT - n) {
            n = MAX_RCPT;
            st = rr_error_set(err, RR_ERR_LIMIT, NULL, 0, 0, lists[i], "more than %d recipients", MAX_RCPT);
            goto out;
        }
        n += k;
    }
    if ((st = password(cfg, &pw, err))) goto out;
    o.from = from[0];
    o.rcpt = (const char *const *)rcpt;
    o.nrcpt = n;
    o.password = pw;
    st = rr_smtp_send(&o, path, err);
out:
    for (size_t i = 0; i < n; i++) free(rcpt[i]);
    free(from[0]);
    free(pw);
    return st;
}

rr_status rr_smtp_send_report(const rr_report_opts *o, rr_error *err)
{
    rr_status st;
    rr_lock *lock = NULL;
    char *path = NULL;
    if (!rr_mail_enabled(o->config))
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.to",
                            "`revreport send` needs recipients: set mail.to (and mail.from, mail.smtp_url)");
    if ((st = rr_report_run(o, err))) goto out;
    /* the run released the folder's lock; hold it again while sending */
    if ((st = rr_lock_acquire(o->output_dir, NULL, &lock, err))) goto out;
    path = rr_xasprintf("%s/report.eml", o->output_dir);
    st = rr_smtp_send_config(o->config, path, err);
out:
    rr_lock_release(lock);
    free(path);
    return st;
}
