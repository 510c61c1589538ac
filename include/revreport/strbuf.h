/* strbuf.h: a growing byte buffer (for CSV fields, cairo streams, text).
 *
 *   rr_strbuf b = {0};  rr_strbuf_add(&b, "abc", 3);  use b.data/b.len;  rr_strbuf_free(&b);
 *
 * data is always NUL-terminated once anything was added. The buffer owns data. */
#ifndef RR_STRBUF_H
#define RR_STRBUF_H
#include <stddef.h>

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} rr_strbuf;

void rr_strbuf_add(rr_strbuf *b, const void *p, size_t n);
void rr_strbuf_adds(rr_strbuf *b, const char *s);
void rr_strbuf_printf(rr_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rr_strbuf_reset(rr_strbuf *b);
void rr_strbuf_free(rr_strbuf *b);
/* Hand data over to the caller (who frees it); the buffer is left empty. */
char *rr_strbuf_steal(rr_strbuf *b);

/* Length of the valid UTF-8 sequence at s[0..n) (1-4), or 0 when s[0] does
 * not start one (RFC 3629: no overlongs, surrogates or code points above
 * U+10FFFF; a sequence cut by n is not valid). */
size_t rr_utf8_seq(const unsigned char *s, size_t n);

#endif
