/* test_mail.c: the MIME building blocks against hand-worked and RFC values
 * (RFC 4648 base64 vectors, RFC 2045 quoted-printable rules, RFC 2047
 * encoded-words decoded back, RFC 5322 dates checked with date(1)).
 *
 *   tests/test_mail      # TAP
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/mail.h"
#include "revreport/tap.h"

static char *b64(const char *s)
{
    rr_strbuf b = {0};
    rr_mail_base64(s, strlen(s), &b);
    return b.data ? rr_strbuf_steal(&b) : calloc(1, 1);
}

static char *qp(const char *s)
{
    rr_strbuf b = {0};
    rr_mail_qp(s, strlen(s), &b);
    return b.data ? rr_strbuf_steal(&b) : calloc(1, 1);
}

/* an independent base64 decoder for the encoded-word round trip */
static size_t unb64(const char *s, size_t n, unsigned char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned v = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        const char *p = strchr(tab, s[i]);
        if (!p) continue;
        v = (v << 6) | (unsigned)(p - tab);
        bits += 6;
        if (bits >= 8) { bits -= 8; out[o++] = (unsigned char)(v >> bits); }
    }
    return o;
}

static size_t longest_line(const char *s)
{
    size_t best = 0, cur = 0;
    for (; *s; s++) {
        if (*s == '\r' || *s == '\n') { cur = 0; continue; }
        if (++cur > best) best = cur;
    }
    return best;
}

int main(void)
{
    /* RFC 4648 section 10 test vectors, each line ended by CRLF */
    static const char *const vec[][2] = {{"", ""}, {"f", "Zg==\r\n"}, {"fo", "Zm8=\r\n"}, {"foo", "Zm9v\r\n"},
                                         {"foob", "Zm9vYg==\r\n"}, {"fooba", "Zm9vYmE=\r\n"}, {"foobar", "Zm9vYmFy\r\n"}};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        char *g = b64(vec[i][0]);
        char what[64];
        snprintf(what, sizeof what, "base64(\"%s\")", vec[i][0]);
        rr_tap_str(g, vec[i][1], what);
        free(g);
    }
    char raw[58];
    memset(raw, 'A', sizeof raw);
    rr_strbuf b = {0};
    rr_mail_base64(raw, 57, &b);   /* 57 bytes = exactly 76 characters */
    rr_tap_int((long)b.len, 78, "57 bytes: one line of 76 + CRLF");
    rr_strbuf_reset(&b);
    rr_mail_base64(raw, 58, &b);
    rr_tap_int((long)b.len, 78 + 4 + 2, "58 bytes: a second line of 4");
    rr_strbuf_free(&b);

    /* quoted-printable, RFC 2045 6.7 */
    struct { const char *in, *out, *what; } q[] = {
        {"a=b", "a=3Db", "'=' is encoded"},
        {"caf\xc3\xa9", "caf=C3=A9", "UTF-8 bytes are encoded"},
        {"end \nx", "end=20\r\nx", "trailing space before a break is encoded, LF becomes CRLF"},
        {"tab\t", "tab=09", "trailing tab at the end is encoded"},
        {"in the middle", "in the middle", "inner spaces stay"},
        {".x\n.y", "=2Ex\r\n=2Ey", "a leading dot is encoded"},
        {"a\r\nb", "a\r\nb", "CRLF input stays one break"},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        char *g = qp(q[i].in);
        char what[128];
        snprintf(what, sizeof what, "qp: %s", q[i].what);
        rr_tap_str(g, q[i].out, what);
        free(g);
    }
    char longl[201];
    memset(longl, 'x', 200);
    longl[200] = '\0';
    char *g = qp(longl);
    /* 200 x: lines of 75 x + "=" (76), 75 x + "=", then 50 x */
    rr_tap_int((long)longest_line(g), 76, "qp: soft breaks keep lines at 76");
    rr_tap_ok(strncmp(g + 75, "=\r\n", 3) == 0, "qp: first soft break after 75 characters");
    rr_tap_int((long)strlen(g), 200 + 2 * 3, "qp: two soft breaks for 200 characters");
    free(g);
    memset(longl, 'x', 200);
    memcpy(longl + 74, "\xc3\xa9", 2);   /* an encoded byte that does not fit moves whole */
    g = qp(longl);
    rr_tap_ok(strstr(g, "=\r\n=C3=A9") != NULL, "qp: =XX never split by a soft break");
    rr_tap_int((long)longest_line(g), 76, "qp: still no line over 76");
    free(g);

    /* RFC 2047 encoded-words */
    rr_strbuf h = {0};
    rr_mail_encode_word("Plain ASCII subject", 9, &h);
    rr_tap_str(h.data, "Plain ASCII subject", "ASCII subject unchanged");
    rr_strbuf_reset(&h);
    const char *subj = "Revenue marketing report \xe2\x80\x94 October 2026 \xe2\x80\x94 "
                       "\xd0\x92\xd1\x8b\xd1\x80\xd1\x83\xd1\x87\xd0\xba\xd0\xb0 \xe5\xa3\xb2\xe4\xb8\x8a";
    rr_mail_encode_word(subj, 9, &h);
    rr_tap_ok(9 + (size_t)(strstr(h.data, "\r\n") - h.data) <= 76 && longest_line(h.data) <= 76,
              "encoded subject lines within 76 (with \"Subject: \")");
    /* decode: every =?UTF-8?B?...?= word, concatenated */
    unsigned char dec[512];
    size_t dn = 0, words = 0, maxword = 0;
    int each_valid = 1;
    for (const char *p = h.data; (p = strstr(p, "=?UTF-8?B?")) != NULL;) {
        const char *e = strstr(p + 10, "?=");
        if (!e) break;
        size_t wl = (size_t)(e + 2 - p);
        if (wl > maxword) maxword = wl;
        unsigned char part[256];
        size_t pn = unb64(p + 10, (size_t)(e - p - 10), part);
        /* each word must hold whole UTF-8 characters: its first byte is no continuation byte */
        if (pn && (part[0] & 0xC0) == 0x80) each_valid = 0;
        memcpy(dec + dn, part, pn);
        dn += pn;
        words++;
        p = e + 2;
    }
    dec[dn] = '\0';
    rr_tap_str((char *)dec, subj, "encoded-words decode to the subject");
    rr_tap_ok(words >= 2, "a long subject takes several words (%zu)", words);
    rr_tap_ok(maxword <= 75, "each encoded-word at most 75 characters (%zu)", maxword);
    rr_tap_ok(each_valid, "no word splits a UTF-8 sequence");
    rr_tap_ok(strstr(h.data, "?=\r\n =?UTF-8?B?") != NULL, "words folded with CRLF SP");
    rr_strbuf_free(&h);

    /* RFC 5322 dates; expected values from `date -u -R -d @N` */
    char d[40];
    rr_mail_date(0, d);
    rr_tap_str(d, "Thu, 01 Jan 1970 00:00:00 +0000", "date of epoch 0");
    rr_mail_date(1793512800LL, d);
    rr_tap_str(d, "Sun, 01 Nov 2026 06:00:00 +0000", "date of 2026-11-01 06:00 UTC");
    rr_mail_date(951782400LL, d);
    rr_tap_str(d, "Tue, 29 Feb 2000 00:00:00 +0000", "leap day 2000");

    /* address lists */
    char *a[8];
    size_t n = rr_mail_addresses("CEO <ceo@x.example>, \"Doe, Jane\" <jane@y.example>,cfo@z.example , ", a, 8);
    rr_tap_int((long)n, 3, "three addresses (a quoted comma is no separator)");
    if (n == 3) {
        rr_tap_str(a[0], "ceo@x.example", "address in <>");
        rr_tap_str(a[1], "jane@y.example", "quoted display name with a comma");
        rr_tap_str(a[2], "cfo@z.example", "bare address");
    }
    for (size_t i = 0; i < n && i < 8; i++) free(a[i]);
    rr_tap_int((long)rr_mail_addresses("", NULL, 0), 0, "empty list");

    /* the whole message: deterministic, boundaries absent from the content */
    const char png[] = "\x89PNG\r\n\x1a\n-- not really a PNG --=_rr";
    rr_mail_part rel = {"image/png", "chart1.png", "chart1@revreport", png, sizeof png - 1};
    rr_mail_part att = {"application/pdf", "report.pdf", NULL, "%PDF-1.4 fake", 13};
    rr_mail_msg m = {.from = "Kestrel Reports <reports@kestrel.example>", .to = "ceo@kestrel.example",
                     .cc = "J\xc3\xb6rg <joerg@kestrel.example>", .subject = "Report \xe2\x80\x94 October 2026",
                     .date = 1793512800LL, .text = "Won: $1\n=_rr_alt_ in the text\n",
                     .html = "<html><body><img src=\"cid:chart1@revreport\"></body></html>",
                     .related = &rel, .nrelated = 1, .attachments = &att, .nattachments = 1};
    rr_strbuf e1 = {0}, e2 = {0};
    rr_mail_render(&m, &e1);
    rr_mail_render(&m, &e2);
    rr_tap_ok(e1.len == e2.len && memcmp(e1.data, e2.data, e1.len) == 0, "same message, same bytes");
    rr_tap_ok(strstr(e1.data, "Date: Sun, 01 Nov 2026 06:00:00 +0000\r\n") != NULL, "Date header");
    rr_tap_ok(strstr(e1.data, ".revreport@kestrel.example>\r\n") != NULL, "Message-ID domain from From");
    rr_tap_ok(strstr(e1.data, "Cc: =?UTF-8?B?SsO2cmc=?= <joerg@kestrel.example>\r\n") != NULL,
              "non-ASCII display name encoded, address kept");
    rr_tap_ok(strstr(e1.data, "=3D_rr_alt_ in the text") != NULL, "a boundary-like text is QP-encoded");
    rr_tap_int((long)longest_line(e1.data) <= 78, 1, "no line over 78");
    m.text = "Won: $2\n";
    rr_strbuf_reset(&e2);
    rr_mail_render(&m, &e2);
    char *id1 = strstr(e1.data, "Message-ID:"), *id2 = strstr(e2.data, "Message-ID:");
    rr_tap_ok(id1 && id2 && strncmp(id1, id2, 60) != 0, "other content, other Message-ID");
    rr_strbuf_free(&e1);
    rr_strbuf_free(&e2);
    return rr_tap_done();
}
