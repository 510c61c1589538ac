/* mail.c: the MIME message writer (see mail.h): encoders, the multipart
 * tree, and the report's message from the mail.* settings.
 *
 *   rr_strbuf eml = {0};
 *   rr_mail_render(&msg, &eml);
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "revreport/csvin.h"
#include "revreport/mail.h"
#include "revreport/mailhtml.h"
#include "revreport/i18n.h"
#include "revreport/xalloc.h"

void rr_mail_base64(const void *p, size_t n, rr_strbuf *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = p;
    char line[80];
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n) v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n) v |= s[i + 2];
        line[col++] = tab[(v >> 18) & 63];
        line[col++] = tab[(v >> 12) & 63];
        line[col++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        line[col++] = i + 2 < n ? tab[v & 63] : '=';
        if (col == 76) {
            line[col++] = '\r';
            line[col++] = '\n';
            rr_strbuf_add(out, line, col);
            col = 0;
        }
    }
    if (col) {
        line[col++] = '\r';
        line[col++] = '\n';
        rr_strbuf_add(out, line, col);
    }
}

void rr_mail_qp(const char *s, size_t n, rr_strbuf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' && i + 1 < n && s[i + 1] == '\n') continue;
        if (c == '\n') {
            rr_strbuf_add(out, "\r\n", 2);
            col = 0;
            continue;
        }
        int at_eol = i + 1 == n || s[i + 1] == '\n' || (s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n');
        int literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_eol);
        if (c == '.' && col == 0) literal = 0;
        char enc[3] = {'=', hex[c >> 4], hex[c & 15]};
        size_t w = literal ? 1 : 3;
        /* room for a soft break "=" unless this is the last thing on the line */
        size_t limit = at_eol ? 76 : 75;
        if (col + w > limit) {
            rr_strbuf_add(out, "=\r\n", 3);
            col = 0;
            if (c == '.') { literal = 0; w = 3; }
        }
        if (literal) rr_strbuf_add(out, &s[i], 1);
        else rr_strbuf_add(out, enc, 3);
        col += w;
    }
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80 || *s == '\r' || *s == '\n') return 0;
    return 1;
}

void rr_mail_encode_word(const char *utf8, size_t used, rr_strbuf *out)
{
    if (is_ascii(utf8)) {
        rr_strbuf_adds(out, utf8);
        return;
    }
    size_t n = strlen(utf8), i = 0;
    int first = 1;
    while (i < n) {
        /* k raw bytes -> 12 + 4 * k / 3 characters; lines stay within 76 */
        size_t lead = first ? used : 1;
        size_t room = lead + 16 < 76 ? ((76 - lead - 12) / 4) * 3 : 3;
        size_t j = i + room < n ? i + room : n;
        while (j < n && j > i && ((unsigned char)utf8[j] & 0xC0) == 0x80) j--;
        if (j == i) j = i + 1;
        if (!first) rr_strbuf_add(out, "\r\n ", 3);
        rr_strbuf_adds(out, "=?UTF-8?B?");
        rr_strbuf b = {0};
        rr_mail_base64(utf8 + i, j - i, &b);
        for (size_t k = 0; k < b.len; k++)
            if (b.data[k] != '\r' && b.data[k] != '\n') rr_strbuf_add(out, &b.data[k], 1);
        rr_strbuf_free(&b);
        rr_strbuf_adds(out, "?=");
        first = 0;
        i = j;
    }
}

void rr_mail_date(long long epoch, char out[40])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

size_t rr_mail_addresses(const char *list, char **out, size_t max)
{
    size_t n = 0;
    const char *p = list ? list : "";
    while (*p) {
        /* one address: up to a comma outside quotes and <> */
        const char *start = p;
        int q = 0, angle = 0;
        for (; *p; p++) {
            if (*p == '"') q = !q;
            else if (!q && *p == '<') angle = 1;
            else if (!q && *p == '>') angle = 0;
            else if (!q && !angle && *p == ',') break;
        }
        const char *end = p;
        if (*p == ',') p++;
        const char *lt = memchr(start, '<', (size_t)(end - start));
        const char *a = start, *b = end;
        if (lt) {
            const char *gt = memchr(lt, '>', (size_t)(end - lt));
            if (gt) { a = lt + 1; b = gt; }
        }
        while (a < b && (*a == ' ' || *a == '\t')) a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
        if (a == b) continue;
        if (n < max) out[n] = rr_xstrndup(a, (size_t)(b - a));
        n++;
    }
    return n;
}

/* An address header: display names with non-ASCII text become encoded-words;
 * the list is folded between addresses ("," CRLF SP) so that no line passes
 * 78 characters (RFC 5322 2.1.1: 40 recipients made a 2,542-octet line). */
static void add_addr_header(rr_strbuf *out, const char *name, const char *list)
{
    if (!list || !*list) return;
    rr_strbuf_adds(out, name);
    rr_strbuf_adds(out, ":");
    size_t col = strlen(name) + 1;
    char *copy = rr_xstrdup(list);
    char *p = copy;
    int firstaddr = 1;
    rr_strbuf item = {0};
    while (*p) {
        char *comma = p;
        int q = 0, angle = 0;
        for (; *comma; comma++) {
            if (*comma == '"') q = !q;
            else if (!q && *comma == '<') angle = 1;
            else if (!q && *comma == '>') angle = 0;
            else if (!q && !angle && *comma == ',') break;
        }
        int more = *comma == ',';
        *comma = '\0';
        while (*p == ' ' || *p == '\t') p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == ' ' || e[-1] == '\t')) *--e = '\0';
        if (!*p) { p = more ? comma + 1 : comma; continue; }
        rr_strbuf_reset(&item);
        char *lt = strchr(p, '<');
        if (lt && !is_ascii(p)) {
            char *nameend = lt;
            while (nameend > p && nameend[-1] == ' ') nameend--;
            char *dn = rr_xstrndup(p, (size_t)(nameend - p));
            size_t dl = strlen(dn);
            if (dl >= 2 && dn[0] == '"' && dn[dl - 1] == '"') {
                memmove(dn, dn + 1, dl - 2);
                dn[dl - 2] = '\0';
            }
            rr_mail_encode_word(dn, 30, &item);
            free(dn);
            rr_strbuf_adds(&item, " ");
            rr_strbuf_adds(&item, lt);
        } else {
            rr_strbuf_adds(&item, p);
        }
        /* the item's first line decides whether it still fits on this one */
        const char *nl = memchr(item.data, '\r', item.len);
        size_t first = nl ? (size_t)(nl - item.data) : item.len;
        if (!firstaddr) rr_strbuf_adds(out, ",");
        if (!firstaddr && col + 2 + first > 78) {
            rr_strbuf_adds(out, "\r\n ");
            col = 1;
        } else {
            rr_strbuf_adds(out, " ");
            col += firstaddr ? 1 : 2;
        }
        rr_strbuf_add(out, item.data, item.len);
        const char *lastnl = NULL;
        for (size_t i = 0; i < item.len; i++)
            if (item.data[i] == '\n') lastnl = item.data + i;
        col = lastnl ? (size_t)(item.data + item.len - lastnl - 1) : col + item.len;
        firstaddr = 0;
        p = more ? comma + 1 : comma;
    }
    rr_strbuf_free(&item);
    free(copy);
    rr_strbuf_adds(out, "\r\n");
}

rr_status rr_mail_check_headers(const rr_config *cfg, rr_error *err)
{
    static const char *const keys[] = {"mail.from", "mail.to", "mail.cc", "mail.bcc", "mail.reply_to", "mail.subject"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *v = rr_config_str(cfg, keys[k], NULL);
        for (size_t i = 0; v && v[i]; i++) {
            unsigned char c = (unsigned char)v[i];
            if (c < 0x20 || c == 0x7f)
                return rr_error_set(err, RR_ERR_CONFIG, rr_config_where(cfg, keys[k]), 0, 0, keys[k],
                                    "control character 0x%02X at byte %zu: a line break or control character in a "
                                    "header or envelope address could inject headers or SMTP commands; refused",
                                    c, i + 1);
        }
    }
    return RR_OK;
}

static void add_part(rr_strbuf *out, const char *boundary, const rr_mail_part *p, int inline_part)
{
    rr_strbuf_printf(out, "--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n",
                     boundary, p->content_type, p->filename);
    if (p->cid) rr_strbuf_printf(out, "Content-ID: <%s>\r\n", p->cid);
    rr_strbuf_printf(out, "Content-Disposition: %s; filename=\"%s\"\r\n\r\n",
                     inline_part ? "inline" : "attachment", p->filename);
    rr_mail_base64(p->data, p->len, out);
}

void rr_mail_render(const rr_mail_msg *m, rr_strbuf *out)
{
    /* every varying input goes into the hash behind the boundaries and the Message-ID */
    rr_sha256 h;
    unsigned char dig[32];
    char hex[65];
    rr_sha256_init(&h);
    const char *fields[] = {m->from, m->to, m->cc, m->reply_to, m->subject, m->text, m->html};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *f = fields[i] ? fields[i] : "";
        rr_sha256_update(&h, f, strlen(f) + 1);
    }
    for (size_t i = 0; i < m->nrelated; i++) rr_sha256_update(&h, m->related[i].data, m->related[i].len);
    for (size_t i = 0; i < m->nattachments; i++)
        rr_sha256_update(&h, m->attachments[i].data, m->attachments[i].len);
    rr_sha256_update(&h, &m->date, sizeof m->date);
    rr_sha256_final(&h, dig);
    rr_sha256_hex(dig, hex);

    /* "=_" never occurs in base64 or quoted-printable text, so no part can contain a boundary */
    char bmix[40], balt[40], brel[40], date[40];
    snprintf(bmix, sizeof bmix, "=_rr_mixed_%.16s", hex);
    snprintf(balt, sizeof balt, "=_rr_alt_%.16s", hex);
    snprintf(brel, sizeof brel, "=_rr_related_%.16s", hex);
    rr_mail_date(m->date, date);
    const char *at = m->from ? strrchr(m->from, '@') : NULL;
    char domain[256] = "revreport.invalid";
    if (at) {
        size_t dn = strcspn(at + 1, "> \t,");
        if (dn > 0 && dn < sizeof domain) { memcpy(domain, at + 1, dn); domain[dn] = '\0'; }
    }

    rr_strbuf_printf(out, "Date: %s\r\n", date);
    add_addr_header(out, "From", m->from);
    add_addr_header(out, "To", m->to);
    add_addr_header(out, "Cc", m->cc);
    add_addr_header(out, "Reply-To", m->reply_to);
    rr_strbuf_adds(out, "Subject: ");
    rr_mail_encode_word(m->subject ? m->subject : "", 9, out);
    rr_strbuf_printf(out, "\r\nMessage-ID: <%.32s.revreport@%s>\r\n", hex, domain);
    rr_strbuf_adds(out, "MIME-Version: 1.0\r\n");
    rr_strbuf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", bmix);
    rr_strbuf_adds(out, "This is a multi-part message in MIME format.\r\n\r\n");

    rr_strbuf_printf(out, "--%s\r\nContent-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", bmix, balt);
    const char *text = m->text ? m->text : "";
    rr_strbuf_printf(out, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Transfer-Encoding: quoted-printable\r\n\r\n", balt);
    rr_mail_qp(text, strlen(text), out);
    rr_strbuf_adds(out, "\r\n");
    if (m->html) {
        rr_strbuf_printf(out, "--%s\r\nContent-Type: multipart/related; type=\"text/html\";\r\n boundary=\"%s\"\r\n\r\n",
                         balt, brel);
        rr_strbuf_printf(out, "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
                              "Content-Transfer-Encoding: quoted-printable\r\n\r\n", brel);
        rr_mail_qp(m->html, strlen(m->html), out);
        rr_strbuf_adds(out, "\r\n");
        for (size_t i = 0; i < m->nrelated; i++) add_part(out, brel, &m->related[i], 1);
        rr_strbuf_printf(out, "--%s--\r\n\r\n", brel);
    }
    rr_strbuf_printf(out, "--%s--\r\n\r\n", balt);
    for (size_t i = 0; i < m->nattachments; i++) add_part(out, bmix, &m->attachments[i], 0);
    rr_strbuf_printf(out, "--%s--\r\n", bmix);
}

int rr_mail_enabled(const rr_config *cfg)
{
    const char *to = cfg ? rr_config_str(cfg, "mail.to", NULL) : NULL;
    return to && *to;
}

static rr_status slurp(const char *path, rr_strbuf *out, rr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) rr_strbuf_add(out, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot read");
    return RR_OK;
}

static void human_size(double bytes, char *out, size_t cap)
{
    if (bytes >= 1024.0 * 1024.0) snprintf(out, cap, "%.1f MB", bytes / (1024.0 * 1024.0));
    else snprintf(out, cap, "%.0f KB", bytes / 1024.0);
}

rr_status rr_mail_write_report(const rr_doc *doc, const rr_config *cfg, long long epoch,
                               const char *pdf_path, const char *eml_path, rr_error *err)
{
    rr_status st = RR_OK;
    rr_strbuf pdf = {0}, eml = {0};
    rr_mailhtml body;
    memset(&body, 0, sizeof body);
    char *subject = NULL, *note = NULL, *addr[1] = {NULL};
    FILE *f = NULL;
    const char *from = rr_config_str(cfg, "mail.from", NULL);
    const char *to = rr_config_str(cfg, "mail.to", NULL);
    long max = rr_config_int(cfg, "mail.max_bytes", 10L * 1024 * 1024);
    int attach = rr_config_bool(cfg, "mail.attach_pdf", 1);
    if ((st = rr_config_check(cfg, err))) goto out;
    if ((st = rr_mail_check_headers(cfg, err))) goto out;
    if (!from || !*from || rr_mail_addresses(from, addr, 1) != 1) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.from",
                          "mail.to is set, so mail.from must be one sender address, e.g. "
                          "\"Reports <reports@example.com>\"");
        goto out;
    }
    if (rr_mail_addresses(to, NULL, 0) == 0) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.to", "no recipient address in \"%s\"", to);
        goto out;
    }
    if (max < 10000) {
        st = rr_error_set(err, RR_ERR_CONFIG, NULL, 0, 0, "mail.max_bytes", "%ld is too small (at least 10000)", max);
        goto out;
    }
    const char *tmpl = rr_config_str(cfg, "mail.subject", rr_doc_tr(doc, "mail.subject"));
    subject = rr_i18n_subst(tmpl, "title", doc->title ? doc->title : "", "period",
                            doc->period_label ? doc->period_label : "", "company",
                            doc->company ? doc->company : "", (const char *)NULL);
    for (char *c = subject; *c; c++)   /* a company name or title with a line break stays on one line */
        if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = ' ';
    if (attach && (st = slurp(pdf_path, &pdf, err))) goto out;

    for (int pass = 0; pass < 2; pass++) {
        int with_pdf = attach && pass == 0;
        free(note);
        if (with_pdf) {
            note = rr_xstrdup(rr_doc_tr(doc, "mail.attached"));
        } else if (attach) {
            char size[32], limit[32];
            human_size((double)pdf.len, size, sizeof size);
            human_size((double)max, limit, sizeof limit);
            note = rr_i18n_subst(rr_doc_tr(doc, "mail.too_large"), "size", size, "limit", limit, (const char *)NULL);
        } else {
            note = NULL;
        }
        rr_mailhtml_free(&body);
        if ((st = rr_mailhtml_build(doc, subject, note, &body, err))) goto out;
        rr_mail_part pdfpart = {"application/pdf", "report.pdf", NULL, pdf.data, pdf.len};
        rr_mail_msg m = {.from = from, .to = to, .cc = rr_config_str(cfg, "mail.cc", NULL),
                         .reply_to = rr_config_str(cfg, "mail.reply_to", NULL), .subject = subject,
                         .date = epoch, .text = body.text.data, .html = body.html.data,
                         .related = body.parts, .nrelated = body.nparts,
                         .attachments = with_pdf ? &pdfpart : NULL, .nattachments = with_pdf ? 1 : 0};
        rr_strbuf_reset(&eml);
        rr_mail_render(&m, &eml);
        if (eml.len <= (size_t)max) break;
        if (!with_pdf) {
            st = rr_error_set(err, RR_ERR_LIMIT, eml_path, 0, 0, "mail.max_bytes",
                              "the message is %zu bytes even without the PDF, over the limit of %ld",
                              eml.len, max);
            goto out;
        }
    }
    f = fopen(eml_path, "wb");
    if (!f || fwrite(eml.data, 1, eml.len, f) != eml.len) {
        st = rr_error_set(err, RR_ERR_IO, eml_path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        goto out;
    }
    if (fclose(f) != 0) {
        f = NULL;
        st = rr_error_set(err, RR_ERR_IO, eml_path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        goto out;
    }
    f = NULL;
out:
    if (f) fclose(f);
    free(addr[0]);
    free(subject);
    free(note);
    rr_mailhtml_free(&body);
    rr_strbuf_free(&pdf);
    rr_strbuf_free(&eml);
    return st;
}
