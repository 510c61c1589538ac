/* strbuf.c: a growing byte buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

void rr_strbuf_add(rr_strbuf *b, const void *p, size_t n)
{
    b->data = rr_xgrow(b->data, &b->cap, b->len + n + 1, 1);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void rr_strbuf_adds(rr_strbuf *b, const char *s)
{
    rr_strbuf_add(b, s, strlen(s));
}

void rr_strbuf_printf(rr_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    b->data = rr_xgrow(b->data, &b->cap, b->len + (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void rr_strbuf_reset(rr_strbuf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = 0;
}

void rr_strbuf_free(rr_strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *rr_strbuf_steal(rr_strbuf *b)
{
    char *p = b->data ? b->data : rr_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

size_t rr_utf8_seq(const unsigned char *s, size_t n)
{
    if (!n) return 0;
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t k = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!k || k > n) return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;   /* overlong */
    if (c == 0xED && s[1] > 0x9F) return 0;   /* surrogate */
    if (c == 0xF0 && s[1] < 0x90) return 0;   /* overlong */
    if (c == 0xF4 && s[1] > 0x8F) return 0;   /* above U+10FFFF */
    return k;
}
