/* csvdigest.h: SHA-256 of buffers and files (input checksums, archive
 * manifests), and the checksum of a file read in parts, finished on a thread
 * of its own (csvin.c's split read owns the rr_csv_digest it starts; the
 * stats keep it until rr_csv_stats_sha256/rr_csv_stats_release in csvin.h).
 *
 *   rr_sha256 s; unsigned char d[32];
 *   rr_sha256_init(&s); rr_sha256_update(&s, "abc", 3); rr_sha256_final(&s, d);
 */
#ifndef RR_CSVDIGEST_H
#define RR_CSVDIGEST_H
#include <stddef.h>

/* SHA-256 of a buffer (used for input checksums and archive manifests). */
typedef struct { unsigned int h[8]; unsigned long long n; unsigned char buf[64]; size_t fill; int soft; } rr_sha256;
/* rr_sha256_init picks the x86 SHA extensions when the CPU has them, unless
 * RR_SHA256_SOFT=1 (the portable code; same digests). */
void rr_sha256_init(rr_sha256 *s);
void rr_sha256_update(rr_sha256 *s, const void *p, size_t n);
void rr_sha256_final(rr_sha256 *s, unsigned char out[32]);
void rr_sha256_hex(const unsigned char d[32], char out[65]);

/* A file's SHA-256 being computed by a thread of its own. */
typedef struct rr_csv_digest rr_csv_digest;
/* Start hashing path (read chunk bytes at a time, at the lowest priority). */
rr_csv_digest *rr_csv_digest_start(const char *path, size_t chunk);
/* The number of bytes the read parsed: the sum is good only when it covers as many. */
void rr_csv_digest_expect(rr_csv_digest *h, long long bytes);
/* Stop and drop it (NULL allowed). */
void rr_csv_digest_free(rr_csv_digest *h);

#endif
