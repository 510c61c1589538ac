/* xalloc.h: allocation that never returns NULL (prints and aborts).
 *
 *   char *s = rr_xstrdup("x");  ...  free(s);
 *
 * Ownership: the caller owns what these return and frees it with free(). */
#ifndef RR_XALLOC_H
#define RR_XALLOC_H
#include <stddef.h>

void *rr_xmalloc(size_t n);
void *rr_xcalloc(size_t n, size_t size);
void *rr_xrealloc(void *p, size_t n);
/* Grow an array of elem-size items to hold at least need items. */
void *rr_xgrow(void *p, size_t *cap, size_t need, size_t elem);
char *rr_xstrdup(const char *s);
char *rr_xstrndup(const char *s, size_t n);
/* printf into a fresh string. */
char *rr_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
