/* mail.h: the MIME message writer (RFC 5322 / 2045-2047): report.eml with
 * an HTML body (charts as cid: PNG parts), a plain-text alternative and the
 * PDF attached.
 *
 *   rr_mail_msg m = {.from = "Reports <r@kestrel.example>", .to = "ceo@kestrel.example",
 *                    .subject = "Revenue marketing report — October 2026", .date = epoch,
 *                    .text = text, .html = html};
 *   rr_strbuf eml = {0};
 *   rr_mail_render(&m, &eml);          // CRLF lines, nothing longer than 78 bytes
 *   ...
 *   rr_strbuf_free(&eml);
 *
 *   // the report's e-mail, from the settings mail.* (report.c calls this)
 *   rr_mail_write_report(doc, cfg, epoch, "stage/report.pdf", "stage/report.eml", &err);
 *
 * Layout: multipart/mixed { multipart/alternative { text/plain,
 * multipart/related { text/html, image/png... } }, application/pdf... }.
 * Text parts are quoted-printable, binary parts base64 in 76-column lines;
 * a non-ASCII subject or display name is an RFC 2047 encoded-word.  The
 * output depends only on the inputs: boundaries and Message-ID come from a
 * SHA-256 of the content, the Date header from msg->date.  The caller owns
 * everything it passes in and the output buffer. */
#ifndef RR_MAIL_H
#define RR_MAIL_H
#include <stddef.h>
#include "revreport/config.h"
#include "revreport/doc.h"
#include "revreport/status.h"
#include "revreport/strbuf.h"

typedef struct {
    const char *content_type;   /* "image/png", "application/pdf" */
    const char *filename;       /* ASCII file name shown to the reader */
    const char *cid;            /* Content-ID without <> for inline parts, else NULL */
    const void *data;
    size_t len;
} rr_mail_part;

typedef struct {
    const char *from, *to, *cc, *reply_to;   /* header values; cc, reply_to may be NULL or "" */
    const char *subject;                     /* UTF-8 */
    long long date;                          /* seconds since 1970 (UTC) */
    const char *text;                        /* UTF-8, '\n' line breaks */
    const char *html;                        /* UTF-8 HTML document (may be NULL: text only) */
    const rr_mail_part *related;             /* parts the HTML references with cid: */
    size_t nrelated;
    const rr_mail_part *attachments;
    size_t nattachments;
} rr_mail_msg;

/* Append the whole message to out.  Never fails. */
void rr_mail_render(const rr_mail_msg *m, rr_strbuf *out);

/* Building blocks (exported for the tests). */
/* Base64 of p[0..n) in lines of 76 characters, each ended by CRLF. */
void rr_mail_base64(const void *p, size_t n, rr_strbuf *out);
/* Quoted-printable (RFC 2045) of UTF-8 text with '\n' (or CRLF) line
 * breaks: CRLF hard breaks, "=" soft breaks, no line over 76 characters,
 * trailing white space and a leading '.' encoded. */
void rr_mail_qp(const char *s, size_t n, rr_strbuf *out);
/* A header value: ASCII is appended as is; otherwise RFC 2047 "B"
 * encoded-words of at most 75 characters, folded with CRLF SP, never
 * splitting a UTF-8 sequence.  used = characters already on the line
 * (e.g. strlen("Subject: ")). */
void rr_mail_encode_word(const char *utf8, size_t used, rr_strbuf *out);
/* RFC 5322 date "Sun, 01 Nov 2026 06:00:00 +0000" (UTC); out has room for 40. */
void rr_mail_date(long long epoch, char out[40]);
/* The addr-specs of an address list ("A <a@x>, b@y" -> "a@x", "b@y"):
 * returns how many, writes up to max strings the caller frees. */
size_t rr_mail_addresses(const char *list, char **out, size_t max);

/* RR_ERR_CONFIG naming the key when mail.from, mail.to, mail.cc, mail.bcc,
 * mail.reply_to or mail.subject holds a control character (CR, LF, NUL...):
 * it would inject a header into report.eml or a command into the SMTP
 * envelope. */
rr_status rr_mail_check_headers(const rr_config *cfg, rr_error *err);
/* Is an e-mail configured (mail.to set)? */
int rr_mail_enabled(const rr_config *cfg);
/* The report's message, from the settings mail.from, mail.to, mail.cc,
 * mail.reply_to, mail.subject ("{title} — {period}" by default) and
 * mail.max_bytes (default 10485760): the HTML and text of mailhtml.h and
 * the PDF at pdf_path attached; when the message would exceed max_bytes
 * the PDF is left out and both bodies say so.  Written to eml_path.
 * Errors: RR_ERR_CONFIG (mail.from missing or invalid setting), RR_ERR_IO
 * (PDF unreadable, file not written), RR_ERR_LIMIT (too large even without
 * the PDF), RR_ERR_RENDER (a chart). */
rr_status rr_mail_write_report(const rr_doc *doc, const rr_config *cfg, long long epoch,
                               const char *pdf_path, const char *eml_path, rr_error *err);

#endif
