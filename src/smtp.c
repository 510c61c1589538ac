/* smtp.c: SMTP delivery with libcurl (see smtp.h).
 *
 *   rr_smtp_send_config(cfg, "out/report.eml", &err);
 *
 * A debug callback keeps the last command sent and the last reply read, so
 * an error can say "the server refused recipient <x>: 550 ...". */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include "revreport/lock.h"
#include "revreport/csvin.h"
#include "revreport/mail.h"
#include "revreport/period.h"
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
    int data_sent;      /* the whole message and its final "." went out */
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

typedef struct {
    FILE *f;
    talk *t;
} reader;

static size_t on_read(char *buf, size_t size, size_t n, void *ud)
{
    reader *r = ud;
    size_t got = fread(buf, size, n, r->f);
    if (got == 0 && feof(r->f)) r->t->data_sent = 1;   /* curl sends the final "." next */
    return got;
}

/* What one attempt came to. */
enum { TRY_SENT, TRY_TEMP, TRY_PERM, TRY_UNSURE };

/* The reply's class: '2', '4', '5' or 0 when there was none. */
static char reply_class(const talk *t)
{
    return (t->reply[0] >= '2' && t->reply[0] <= '5') ? t->reply[0] : 0;
}

/* One SMTP transaction.  Sets *outcome; on anything but TRY_SENT, err says
 * what happened (permanent: RR_ERR_CONFIG, the settings or the message are
 * refused; temporary: RR_ERR_IO, worth trying again). */
static rr_status send_once(const rr_smtp_opts *o, FILE *f, const char *path, int *outcome, rr_error *err)
{
    rr_status st = RR_OK;
    CURL *h = NULL;
    struct curl_slist *rcpt = NULL;
    talk t;
    memset(&t, 0, sizeof t);
    reader rd = {f, &t};
    char ebuf[CURL_ERROR_SIZE] = "";
    char *from = NULL;
    *outcome = TRY_PERM;
    rewind(f);
    h = curl_easy_init();
    if (!h) { st = rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL, "libcurl: cannot start"); goto out; }
    for (size_t i = 0; i < o->nrcpt; i++) {
        char *a = rr_xasprintf("<%s>", o->rcpt[i]);
        struct curl_slist *n = curl_slist_append(rcpt, a);
        free(a);
        if (!n) { st = rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL, "out of memory"); goto out; }
        rcpt = n;
    }
    from = rr_xasprintf("<%s>", o->from);
    curl_easy_setopt(h, CURLOPT_URL, o->url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &rd);
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
    if (rc == CURLE_OK) { *outcome = TRY_SENT; goto out; }
    const char *reply = *t.reply ? t.reply : "no reply";
    char cls = reply_class(&t);
    /* the message and its final "." went out and the answer never came (the
     * connection dropped): the server may well have delivered it.  Sending
     * it again could give the readers two copies; not sending risks none:
     * the caller records it as sent and says so. */
    if (t.data_sent && strncmp(t.reply, "354", 3) == 0) {
        *outcome = TRY_UNSURE;
        st = rr_error_set(err, RR_ERR_IO, o->url, 0, 0, NULL,
                          "the SMTP server closed the connection after the whole message was sent, before "
                          "confirming it (%s): it was probably delivered; check with the recipients", ebuf);
        goto out;
    }
    switch (rc) {
    case CURLE_LOGIN_DENIED:
        *outcome = cls == '4' ? TRY_TEMP : TRY_PERM;
        st = rr_error_set(err, cls == '4' ? RR_ERR_IO : RR_ERR_CONFIG, o->url, 0, 0, "mail.user",
                          "SMTP authentication failed for user \"%s\" (server: %s); check mail.user and the "
                          "password (REVREPORT_SMTP_PASSWORD or mail.password_file); the message is kept in %s",
                          o->user ? o->user : "", reply, path);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        *outcome = TRY_TEMP;
        st = rr_error_set(err, RR_ERR_IO, o->url, 0, 0, NULL,
                          "SMTP server did not answer within %ld s (%s); the message is kept in %s",
                          o->timeout, ebuf, path);
        break;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        *outcome = TRY_TEMP;
        st = rr_error_set(err, RR_ERR_IO, o->url, 0, 0, NULL, "cannot connect to the SMTP server: %s; "
                          "the message is kept in %s", ebuf, path);
        break;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
        *outcome = TRY_PERM;
        st = rr_error_set(err, RR_ERR_IO, o->url, 0, 0, NULL, "TLS with the SMTP server failed: %s; "
                          "the message is kept in %s", ebuf, path);
        break;
    default:
        /* 4xx: the server asks to come back later (greylisting, a full queue) */
        *outcome = cls == '5' ? TRY_PERM : TRY_TEMP;
        if (strncmp(t.sent, "RCPT", 4) == 0 && cls)
            st = rr_error_set(err, cls == '5' ? RR_ERR_CONFIG : RR_ERR_IO, o->url, 0, 0, "mail.to",
                              "the SMTP server %s recipient %s: %s; nothing was sent; the message is "
                              "kept in %s", cls == '5' ? "refused" : "deferred", t.sent + strcspn(t.sent, "<"),
                              reply, path);
        else if (strncmp(t.sent, "MAIL", 4) == 0 && cls)
            st = rr_error_set(err, cls == '5' ? RR_ERR_CONFIG : RR_ERR_IO, o->url, 0, 0, "mail.from",
                              "the SMTP server %s sender %s: %s; the message is kept in %s",
                              cls == '5' ? "refused" : "deferred", t.sent + strcspn(t.sent, "<"), reply, path);
        else if (t.data_sent && cls == '5')
            st = rr_error_set(err, RR_ERR_CONFIG, o->url, 0, 0, NULL,
                              "the SMTP server refused the message: %s; nothing was sent; the message is kept in %s",
                              reply, path);
        else
            st = rr_error_set(err, RR_ERR_IO, o->url, 0, 0, NULL,
                              "SMTP delivery failed: %s (last command %s, server: %s); the message is kept in %s",
                              ebuf, *t.sent ? t.sent : "none", reply, path);
    }
out:
    free(from);
    curl_slist_free_all(rcpt);
    if (h) curl_easy_cleanup(h);
    return st;
}

static double since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

rr_status rr_smtp_send_ex(const rr_smtp_opts *o, const char *path, int *unsure, rr_error *err)
{
    rr_status st = RR_OK;
    if (unsure) *unsure = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot open the message: %s", strerror(errno));
    if (!o->url || !*o->url) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.smtp_url",
                          "no SMTP server: set mail.smtp_url, e.g. smtp://mail.example.com:587");
        goto out;
    }
    if ((st = rr_smtp_check_url(o->url, o->starttls, o->user, err))) goto out;
    if (!o->from || !*o->from || o->nrcpt == 0) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.to", "no sender or no recipient");
        goto out;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long delay = o->retry_delay > 0 ? o->retry_delay : 1;
    for (int attempt = 1;; attempt++) {
        int outcome;
        st = send_once(o, f, path, &outcome, err);
        if (outcome == TRY_SENT) { st = RR_OK; break; }
        if (outcome == TRY_UNSURE) {
            if (unsure) *unsure = 1;
            st = RR_OK;
            break;
        }
        if (outcome == TRY_PERM) break;
        /* temporary: again after the delay while the window lasts */
        if (since(&t0) + (double)delay > (double)o->retry_window) {
            if (attempt > 1) {
                size_t l = strlen(err->msg);
                snprintf(err->msg + l, sizeof err->msg - l, " (%d attempts in %.0f s, mail.retry_window = %ld)",
                         attempt, since(&t0), o->retry_window);
            }
            break;
        }
        if (o->log) {
            rr_error_print(err, "revreport: warning");
            fprintf(o->log, "revreport: trying again in %ld s (attempt %d)\n", delay, attempt + 1);
        }
        sleep((unsigned)delay);
        delay = delay * 2 > 600 ? 600 : delay * 2;
    }
out:
    fclose(f);
    return st;
}

rr_status rr_smtp_send(const rr_smtp_opts *o, const char *path, rr_error *err)
{
    return rr_smtp_send_ex(o, path, NULL, err);
}

static int is_loopback(const char *host, size_t n)
{
    char h[256];
    if (n == 0 || n >= sizeof h) return 0;
    memcpy(h, host, n);
    h[n] = '\0';
    if (h[0] == '[' && n > 2 && h[n - 1] == ']') { memmove(h, h + 1, n - 2); h[n - 2] = '\0'; }
    if (!strcmp(h, "localhost")) return 1;
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, h, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, h, &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
    return 0;
}

rr_status rr_smtp_check_url(const char *url, int starttls, const char *user, rr_error *err)
{
    int smtps = strncmp(url, "smtps://", 8) == 0;
    if (strncmp(url, "smtp://", 7) != 0 && !smtps) {
        /* never echo the value: it may hold a password */
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.smtp_url",
                            "expected smtp://host:port or smtps://host:port");
    }
    const char *host = url + (smtps ? 8 : 7);
    size_t alen = strcspn(host, "/?#");
    const char *at = memchr(host, '@', alen);
    if (at)
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.smtp_url",
                            "holds credentials (user@ or user:password@ before the host): refused, so that no "
                            "password sits in a settings file or appears in a message; put the user in mail.user "
                            "and the password in mail.password_file (mode 0600) or REVREPORT_SMTP_PASSWORD");
    size_t hlen = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":/?#");
    if (hlen > alen) hlen = alen;
    if (!smtps && !starttls && user && *user && !is_loopback(host, hlen))
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.starttls",
                            "false with mail.user set would send the password in clear to %.*s, which is not a "
                            "loopback address; refused before connecting (use STARTTLS, smtps://, or a relay on "
                            "127.0.0.1)", (int)(hlen < 200 ? hlen : 200), host);
    return RR_OK;
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

/* Envelope recipients and sender from the settings; the caller frees both. */
static rr_status envelope(const rr_config *cfg, char **rcpt, size_t *n, char **from, rr_error *err)
{
    *n = 0;
    *from = NULL;
    char *f[1] = {NULL};
    rr_status st;
    if ((st = rr_mail_check_headers(cfg, err))) return st;
    if (rr_mail_addresses(rr_config_str(cfg, "mail.from", NULL), f, 1) != 1) {
        free(f[0]);
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.from", "expected one sender address");
    }
    *from = f[0];
    static const char *const lists[] = {"mail.to", "mail.cc", "mail.bcc"};
    for (size_t i = 0; i < 3; i++) {
        size_t k = rr_mail_addresses(rr_config_str(cfg, lists[i], NULL), rcpt + *n, MAX_RCPT - *n);
        if (k > MAX_RCPT - *n) {
            *n = MAX_RCPT;
            return rr_error_set(err, RR_ERR_LIMIT, NULL, 0, 0, lists[i], "more than %d recipients", MAX_RCPT);
        }
        *n += k;
    }
    return RR_OK;
}

static rr_status smtp_opts(const rr_config *cfg, rr_smtp_opts *o, rr_error *err)
{
    *o = rr_smtp_opts_default();
    o->url = rr_config_str(cfg, "mail.smtp_url", NULL);
    o->starttls = rr_config_bool(cfg, "mail.starttls", 1);
    o->user = rr_config_str(cfg, "mail.user", NULL);
    o->timeout = rr_config_int(cfg, "mail.timeout", 60);
    o->ca_file = rr_config_str(cfg, "mail.ca_file", NULL);
    o->retry_window = rr_config_int(cfg, "mail.retry_window", 3600);
    o->retry_delay = rr_config_int(cfg, "mail.retry_delay", 30);
    rr_status st;
    if ((st = rr_config_check(cfg, err))) return st;
    if (o->timeout < 1 || o->timeout > 3600)
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.timeout", "%ld: expected 1-3600 seconds", o->timeout);
    if (o->retry_window < 0 || o->retry_window > 86400)
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.retry_window", "%ld: expected 0-86400 seconds",
                            o->retry_window);
    if (o->retry_delay < 1 || o->retry_delay > 600)
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.retry_delay", "%ld: expected 1-600 seconds",
                            o->retry_delay);
    if (!o->url || !*o->url)
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.smtp_url",
                            "no SMTP server: set mail.smtp_url, e.g. smtp://mail.example.com:587");
    return rr_smtp_check_url(o->url, o->starttls, o->user, err);
}

rr_status rr_smtp_send_config(const rr_config *cfg, const char *path, rr_error *err)
{
    rr_smtp_opts o;
    char *rcpt[MAX_RCPT], *from = NULL, *pw = NULL;
    size_t n = 0;
    rr_status st;
    if ((st = smtp_opts(cfg, &o, err))) goto out;
    if ((st = envelope(cfg, rcpt, &n, &from, err))) goto out;
    if ((st = password(cfg, &pw, err))) goto out;
    o.from = from;
    o.rcpt = (const char *const *)rcpt;
    o.nrcpt = n;
    o.password = pw;
    st = rr_smtp_send(&o, path, err);
out:
    for (size_t i = 0; i < n; i++) free(rcpt[i]);
    free(from);
    free(pw);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sent-marker of a period and an envelope: SENT_DIR/<period>-<16 hex>.sent,
 * the hex from a SHA-256 of the sorted, lower-cased recipients and the sender. */
static char *marker_path(const char *dir, const char *period, char **rcpt, size_t n, const char *from)
{
    char **s = rr_xcalloc(n ? n : 1, sizeof *s);
    for (size_t i = 0; i < n; i++) {
        s[i] = rr_xstrdup(rcpt[i]);
        for (char *c = s[i]; *c; c++) if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    }
    qsort(s, n, sizeof *s, cmp_str);
    rr_sha256 h;
    unsigned char dig[32];
    char hex[65];
    rr_sha256_init(&h);
    rr_sha256_update(&h, from, strlen(from) + 1);
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(s[i], s[i - 1])) continue;
        rr_sha256_update(&h, s[i], strlen(s[i]) + 1);
    }
    rr_sha256_final(&h, dig);
    rr_sha256_hex(dig, hex);
    for (size_t i = 0; i < n; i++) free(s[i]);
    free(s);
    return rr_xasprintf("%s/%s-%.16s.sent", dir, period, hex);
}

static rr_status write_marker(const char *dir, const char *path, const char *period, char **rcpt, size_t n,
                              int unsure, rr_error *err)
{
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        return rr_error_set(err, RR_ERR_IO, dir, 0, 0, NULL, "the message was sent, but the sent-marker folder "
                            "cannot be made (%s): a rerun would send it again", strerror(errno));
    char *tmp = rr_xasprintf("%s.tmp-%ld", path, (long)getpid());
    rr_strbuf b = {0};
    time_t now = time(NULL);
    struct tm tm;
    char ts[32];
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    rr_strbuf_printf(&b, "period %s\nsent %s\nstatus %s\n", period, ts,
                     unsure ? "probably delivered (the server closed the connection before confirming)" : "delivered");
    for (size_t i = 0; i < n; i++) rr_strbuf_printf(&b, "rcpt %s\n", rcpt[i]);
    rr_status st = RR_OK;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len || fsync(fd) != 0 || close(fd) != 0 ||
        rename(tmp, path) != 0) {
        int e = errno;
        if (fd >= 0) unlink(tmp);
        st = rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL,
                          "the message was sent, but the sent-marker cannot be written (%s): a rerun would send "
                          "it again", strerror(e));
    }
    free(tmp);
    rr_strbuf_free(&b);
    return st;
}

/* Has this period gone to these recipients?  *when gets the marker's "sent" line. */
static int already_sent(const char *path, char *when, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[256];
    snprintf(when, cap, "an earlier run");
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "sent ", 5)) { line[strcspn(line, "\n")] = '\0'; snprintf(when, cap, "%s", line + 5); }
    fclose(f);
    return 1;
}

rr_status rr_smtp_send_report(const rr_report_opts *o, char **note, rr_error *err)
{
    rr_status st;
    rr_lock *lock = NULL;
    rr_smtp_opts so;
    rr_period p;
    char *path = NULL, *dir = NULL, *marker = NULL, *rcpt[MAX_RCPT], *from = NULL, *pw = NULL, when[300];
    size_t n = 0;
    int unsure = 0;
    *note = NULL;
    if (!rr_mail_enabled(o->config))
        return rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.to",
                            "`revreport send` needs recipients: set mail.to (and mail.from, mail.smtp_url)");
    /* everything that can be checked before the report is built and before connecting */
    if ((st = smtp_opts(o->config, &so, err))) goto out;
    if ((st = envelope(o->config, rcpt, &n, &from, err))) goto out;
    if ((st = password(o->config, &pw, err))) goto out;
    if ((st = rr_period_parse_zone(o->month, o->quarter, o->relative, o->fy_start, o->now,
                                   rr_config_str(o->config, "report.timezone", "UTC"), &p, err))) goto out;
    const char *sd = rr_config_str(o->config, "mail.sent_dir", NULL);
    dir = sd && *sd ? rr_xstrdup(sd) : rr_xasprintf("%s.sent", o->output_dir);
    marker = marker_path(dir, p.label, rcpt, n, from);
    if (already_sent(marker, when, sizeof when)) {
        *note = rr_xasprintf("%s was already sent to these recipients (%s); nothing was sent again (remove %s to "
                             "send it once more)", p.label, when, marker);
        goto out;
    }
    if ((st = rr_report_run(o, err))) goto out;
    /* the run released the folder's lock; hold it again while sending (and retrying) */
    if ((st = rr_lock_acquire(o->output_dir, NULL, &lock, err))) goto out;
    if (already_sent(marker, when, sizeof when)) {   /* another run sent it meanwhile */
        *note = rr_xasprintf("%s was sent meanwhile by another run (%s); nothing was sent again", p.label, when);
        goto out;
    }
    path = rr_xasprintf("%s/report.eml", o->output_dir);
    so.from = from;
    so.rcpt = (const char *const *)rcpt;
    so.nrcpt = n;
    so.password = pw;
    so.log = o->quiet ? NULL : stderr;
    if ((st = rr_smtp_send_ex(&so, path, &unsure, err))) goto out;
    st = write_marker(dir, marker, p.label, rcpt, n, unsure, err);
    if (st == RR_OK && unsure)
        *note = rr_xasprintf("warning: the SMTP server closed the connection after the whole message was sent, "
                             "before confirming it: it was probably delivered, and it is recorded as sent (%s) so "
                             "that a rerun does not send it twice; check with the recipients", marker);
out:
    rr_lock_release(lock);
    for (size_t i = 0; i < n; i++) free(rcpt[i]);
    free(from);
    free(pw);
    free(path);
    free(dir);
    free(marker);
    return st;
}
