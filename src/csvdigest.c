/* csvdigest.c: the SHA-256 of the input files (FIPS 180-4, SHA-NI when the
 * CPU has it) and the checksum a big file's split read leaves to a thread of
 * its own (split from csvin.c).
 *
 *   rr_sha256 s; unsigned char d[32]; char hex[65];
 *   rr_sha256_init(&s); rr_sha256_update(&s, buf, n); rr_sha256_final(&s, d);
 *   rr_sha256_hex(d, hex);
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "revreport/csvdigest.h"
#include "revreport/csvin.h"
#include "revreport/xalloc.h"

/* The SHA-256 of a file read on two threads: a third thread reads and hashes
 * the whole file (from the page cache), so neither parsing thread carries the
 * hash and the scheduler spreads the three over the cores; the main thread
 * then stops reading at the split.  The hasher runs at the lowest priority
 * (nice 19), so it takes only what the parsing and the sections leave of
 * the cores, and it outlives the read: the stats keep it (rr_csv_digest)
 * until rr_csv_stats_sha256 needs the sum, for the report's appendix.  The
 * waiting thread then takes the work over from the last chunk the hasher
 * finished (a state it publishes after every chunk) instead of waiting for
 * a thread that may hardly run on a machine whose cores are busy.  Nothing
 * the other threads use is ever held by a hasher (no lock, no stdio: a
 * low-priority thread preempted while holding one would stall them): the
 * state goes through atomics, two slots under sequence counts.  The biggest
 * file's hasher runs first (the others pause at a chunk's end): its sum is
 * the one that would be left alone at the end, and the smaller files' sums
 * left when the report needs them are finished side by side with its rest
 * (rr_csv_stats_settle). */
#define SNAP_WORDS ((sizeof(rr_sha256) + sizeof(long long) + 7) / 8)
typedef struct {
    atomic_uint ver;                        /* odd while written */
    _Atomic unsigned long long w[SNAP_WORDS];   /* rr_sha256, then the bytes it covers */
} snap_slot;

struct rr_csv_digest {
    atomic_int refs;              /* the hasher thread and the stats */
    atomic_int taken;             /* the stats took the work over (or dropped it) */
    atomic_int done;              /* the hasher finished: ok, bytes and digest are set */
    atomic_int pub;               /* the slot last published */
    snap_slot slot[2];
    int ok;                       /* read all of the file */
    long long bytes;
    unsigned char digest[32];
    /* set before the thread starts, then read-only */
    int hq_slot;                  /* in hq_reg (-1: none free, runs unordered) */
    unsigned long long regval;    /* its value there: size << 16 | a tag */
    char *path;
    size_t chunk;
    int idle;                     /* nice 19 (RR_CSV_HASH_IDLE=0: normal priority, to compare) */
    int hold;                     /* tests (RR_CSV_HASH_HOLD=1): leave all of the work to the taker */
    /* the stats' side only */
    long long expect;             /* the size the parts read */
    int settled, sok;
    long long sbytes;
    unsigned char sdigest[32];
};
typedef struct rr_csv_digest hasher;

/* The files being hashed: size << 16 | a tag, 0 = free.  Values, not
 * pointers, so reading another hasher's entry never touches freed memory. */
#define HQ_SLOTS 16
static _Atomic unsigned long long hq_reg[HQ_SLOTS];
static atomic_uint hq_tag;

/* a bigger file is being hashed (ties: the lower slot first) */
static int hq_bigger_waiting(const hasher *h)
{
    if (h->hq_slot < 0) return 0;
    unsigned long long mine = h->regval >> 16;
    for (int i = 0; i < HQ_SLOTS; i++) {
        if (i == h->hq_slot) continue;
        unsigned long long v = atomic_load_explicit(&hq_reg[i], memory_order_relaxed) >> 16;
        if (v > mine || (v == mine && v && i < h->hq_slot)) return 1;
    }
    return 0;
}

/* leaves hq_reg (once, whoever ends the hashing: the hasher or the taker) */
static void hq_leave(hasher *h)
{
    if (h->hq_slot < 0) return;
    unsigned long long v = h->regval;
    atomic_compare_exchange_strong(&hq_reg[h->hq_slot], &v, 0ULL);
}

static void hasher_unref(hasher *h)
{
    if (atomic_fetch_sub(&h->refs, 1) != 1) return;
    free(h->path);
    free(h);
}

static void snap_put(hasher *h, const rr_sha256 *sh, long long bytes)
{
    unsigned long long w[SNAP_WORDS];
    memset(w, 0, sizeof w);
    memcpy(w, sh, sizeof *sh);
    memcpy((char *)w + sizeof *sh, &bytes, sizeof bytes);
    int s = 1 - atomic_load_explicit(&h->pub, memory_order_relaxed);   /* only this thread writes */
    snap_slot *sl = &h->slot[s];
    unsigned v = atomic_load_explicit(&sl->ver, memory_order_relaxed);
    atomic_store_explicit(&sl->ver, v + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    for (size_t i = 0; i < SNAP_WORDS; i++) atomic_store_explicit(&sl->w[i], w[i], memory_order_relaxed);
    atomic_store_explicit(&sl->ver, v + 2, memory_order_release);
    atomic_store_explicit(&h->pub, s, memory_order_release);
}

/* the last state published (never waits for the hasher) */
static void snap_get(hasher *h, rr_sha256 *sh, long long *bytes)
{
    unsigned long long w[SNAP_WORDS];
    for (;;) {
        snap_slot *sl = &h->slot[atomic_load_explicit(&h->pub, memory_order_acquire)];
        unsigned v1 = atomic_load_explicit(&sl->ver, memory_order_acquire);
        if (v1 & 1) continue;   /* being rewritten: pub has moved on to the other slot */
        for (size_t i = 0; i < SNAP_WORDS; i++) w[i] = atomic_load_explicit(&sl->w[i], memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(&sl->ver, memory_order_relaxed) == v1) break;
    }
    memcpy(sh, w, sizeof *sh);
    memcpy(bytes, (char *)w + sizeof *sh, sizeof *bytes);
}

static void *hasher_main(void *arg)
{
    hasher *h = arg;
    if (h->idle) setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);   /* this thread only (Linux) */
    /* wait while a bigger file is hashed (or until taken over) */
    const struct timespec tick = {0, 500000};
    while ((h->hold || hq_bigger_waiting(h)) && !atomic_load(&h->taken)) nanosleep(&tick, NULL);
    rr_sha256 sh;
    long long bytes = 0;
    snap_get(h, &sh, &bytes);   /* the initial state (rr_sha256_init on the starting thread) */
    int fd = atomic_load(&h->taken) ? -1 : open(h->path, O_RDONLY | O_CLOEXEC);
    char *buf = fd >= 0 ? rr_xmalloc(h->chunk) : NULL;
    int ok = 0;
    while (fd >= 0 && !atomic_load_explicit(&h->taken, memory_order_relaxed)) {
        ssize_t n = read(fd, buf, h->chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { ok = n == 0; break; }
        rr_sha256_update(&sh, buf, (size_t)n);
        bytes += n;
        snap_put(h, &sh, bytes);
        while (hq_bigger_waiting(h) && !atomic_load(&h->taken)) nanosleep(&tick, NULL);   /* its turn first */
    }
    if (fd >= 0) close(fd);
    free(buf);
    if (!atomic_load(&h->taken)) {
        h->ok = ok && fd >= 0;
        h->bytes = bytes;
        rr_sha256_final(&sh, h->digest);
        atomic_store(&h->done, 1);
    }
    hq_leave(h);
    hasher_unref(h);
    return NULL;
}

rr_csv_digest *rr_csv_digest_start(const char *path, size_t chunk)
{
    hasher *h = rr_xcalloc(1, sizeof *h);
    h->path = rr_xstrdup(path);
    h->chunk = chunk < 4096 ? 4096 : chunk;
    const char *idle = getenv("RR_CSV_HASH_IDLE");
    h->idle = !(idle && !strcmp(idle, "0"));
    const char *hold = getenv("RR_CSV_HASH_HOLD");
    h->hold = hold && !strcmp(hold, "1");
    rr_sha256 sh;
    rr_sha256_init(&sh);
    atomic_init(&h->pub, 1);
    snap_put(h, &sh, 0);   /* publishes slot 0 */
    atomic_init(&h->refs, 2);
    atomic_init(&h->taken, 0);
    atomic_init(&h->done, 0);
    struct stat sb;
    unsigned long long size = stat(path, &sb) == 0 && sb.st_size > 0 ? (unsigned long long)sb.st_size : 1;
    h->regval = (size << 16) | ((atomic_fetch_add(&hq_tag, 1) & 0xffffu));
    h->hq_slot = -1;
    for (int i = 0; i < HQ_SLOTS && h->hq_slot < 0; i++) {
        unsigned long long zero = 0;
        if (atomic_compare_exchange_strong(&hq_reg[i], &zero, h->regval)) h->hq_slot = i;
    }
    pthread_t th;
    if (pthread_create(&th, NULL, hasher_main, h) != 0) {
        hq_leave(h);
        free(h->path);
        free(h);
        return NULL;
    }
    pthread_detach(th);
    return h;
}

/* 1 when the whole file was hashed, as many bytes as the parts read: the
 * hasher's sum when it finished, else this thread hashes the rest from the
 * state after the last chunk the hasher published */
static int hasher_wait(hasher *h)
{
    if (h->settled) return h->sok && h->sbytes == h->expect;
    atomic_store(&h->taken, 1);
    hq_leave(h);   /* the smaller files' hashers need not wait for this one's thread */
    if (atomic_load(&h->done)) {
        h->sok = h->ok;
        h->sbytes = h->bytes;
        memcpy(h->sdigest, h->digest, 32);
    } else {
        rr_sha256 sh;
        snap_get(h, &sh, &h->sbytes);
        FILE *f = fopen(h->path, "rb");
        h->sok = 0;
        if (f && fseeko(f, (off_t)h->sbytes, SEEK_SET) == 0) {
            char *buf = rr_xmalloc(h->chunk);
            size_t n;
            while ((n = fread(buf, 1, h->chunk, f)) > 0) {
                rr_sha256_update(&sh, buf, n);
                h->sbytes += (long long)n;
            }
            h->sok = !ferror(f) && feof(f);
            free(buf);
        }
        if (f) fclose(f);
        rr_sha256_final(&sh, h->sdigest);
    }
    h->settled = 1;
    return h->sok && h->sbytes == h->expect;
}

void rr_csv_digest_free(rr_csv_digest *h)
{
    if (!h) return;
    atomic_store(&h->taken, 1);
    hq_leave(h);
    hasher_unref(h);
}

static void *settle_run(void *arg)
{
    hasher_wait(arg);
    return NULL;
}

void rr_csv_stats_settle(const rr_csv_stats *const *v, size_t n)
{
    pthread_t th[16];
    size_t k = 0;
    hasher *mine = NULL;
    for (size_t i = 0; i < n; i++) {
        hasher *h = v[i] ? v[i]->pending : NULL;
        if (!h || h->settled) continue;
        if (!mine) { mine = h; continue; }   /* the first one on this thread */
        if (k < 16 && pthread_create(&th[k], NULL, settle_run, h) == 0) k++;
        else hasher_wait(h);
    }
    if (mine) hasher_wait(mine);
    for (size_t i = 0; i < k; i++) pthread_join(th[i], NULL);
}

rr_status rr_csv_stats_sha256(const rr_csv_stats *s, const char *path, unsigned char out[32], rr_error *err)
{
    hasher *h = s->pending;
    if (!h) { memcpy(out, s->sha256, 32); return RR_OK; }
    if (hasher_wait(h)) { memcpy(out, h->sdigest, 32); return RR_OK; }
    memset(out, 0, 32);
    if (h->sok)
        return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL,
                            "the file changed while it was read (%lld bytes parsed, %lld bytes in its checksum): "
                            "read it again once it is no longer being written", h->expect, h->sbytes);
    return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "read error while computing the checksum");
}

void rr_csv_stats_release(rr_csv_stats *s)
{
    if (!s || !s->pending) return;
    hasher *h = s->pending;
    s->pending = NULL;
    if (h->settled && h->sok && h->sbytes == h->expect) memcpy(s->sha256, h->sdigest, 32);
    rr_csv_digest_free(h);
}

void rr_csv_digest_expect(rr_csv_digest *h, long long bytes) { h->expect = bytes; }


/* ---- SHA-256 (FIPS 180-4) ---- */
static const unsigned int K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(rr_sha256 *s, const unsigned char *b)
{
    unsigned int w[64], a, bb, c, d, e, f, g, h;
    for (int i = 0; i < 16; i++)
        w[i] = (unsigned int)b[4 * i] << 24 | (unsigned int)b[4 * i + 1] << 16 | (unsigned int)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        unsigned int s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        unsigned int s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = s->h[0]; bb = s->h[1]; c = s->h[2]; d = s->h[3]; e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
    for (int i = 0; i < 64; i++) {
        unsigned int t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        unsigned int t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
        h = g; g = f; f = e; e = d + t1; d = c; c = bb; bb = a; a = t1 + t2;
    }
    s->h[0] += a; s->h[1] += bb; s->h[2] += c; s->h[3] += d; s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

/* SHA-NI (x86 SHA extensions): the same compression, about 8x faster; used
 * when the CPU has it (cpuid), unless RR_SHA256_SOFT=1. */
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHANI 1
__attribute__((target("sha,sse4.1,ssse3")))
static void sha_blocks_ni(unsigned int h[8], const unsigned char *b, size_t nblocks)
{
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&h[0]);
    __m128i st1 = _mm_loadu_si128((const __m128i *)&h[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);                 /* CDAB */
    st1 = _mm_shuffle_epi32(st1, 0x1B);                 /* EFGH */
    __m128i st0 = _mm_alignr_epi8(tmp, st1, 8);         /* ABEF */
    st1 = _mm_blend_epi16(st1, tmp, 0xF0);              /* CDGH */
    for (; nblocks; nblocks--, b += 64) {
        __m128i save0 = st0, save1 = st1, w[4];
        for (int g = 0; g < 16; g++) {
            __m128i m;
            if (g < 4) {
                w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(b + 16 * g)), mask);
            } else {
                m = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
                m = _mm_add_epi32(m, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
                w[g & 3] = _mm_sha256msg2_epu32(m, w[(g + 3) & 3]);
            }
            m = _mm_add_epi32(w[g & 3], _mm_loadu_si128((const __m128i *)&K[4 * g]));
            st1 = _mm_sha256rnds2_epu32(st1, st0, m);
            m = _mm_shuffle_epi32(m, 0x0E);
            st0 = _mm_sha256rnds2_epu32(st0, st1, m);
        }
        st0 = _mm_add_epi32(st0, save0);
        st1 = _mm_add_epi32(st1, save1);
    }
    tmp = _mm_shuffle_epi32(st0, 0x1B);                 /* FEBA */
    st1 = _mm_shuffle_epi32(st1, 0xB1);                 /* DCHG */
    st0 = _mm_blend_epi16(tmp, st1, 0xF0);              /* DCBA */
    st1 = _mm_alignr_epi8(st1, tmp, 8);                 /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], st0);
    _mm_storeu_si128((__m128i *)&h[4], st1);
}

static int have_shani(void)
{
    unsigned a, b, c, d;
    int ok = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) && (c & (1u << 9));   /* SSE4.1, SSSE3 */
    return ok && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));          /* SHA */
}
#endif

static void sha_blocks(rr_sha256 *s, const unsigned char *b, size_t nblocks)
{
#ifdef HAVE_SHANI
    if (!s->soft) { sha_blocks_ni(s->h, b, nblocks); return; }
#endif
    for (; nblocks; nblocks--, b += 64) sha_block(s, b);
}

void rr_sha256_init(rr_sha256 *s)
{
    static const unsigned int h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, h0, sizeof h0);
    const char *soft = getenv("RR_SHA256_SOFT");
    s->soft = 1;
#ifdef HAVE_SHANI
    s->soft = (soft && *soft == '1') || !have_shani();
#else
    (void)soft;
#endif
    s->n = 0;
    s->fill = 0;
}

void rr_sha256_update(rr_sha256 *s, const void *p, size_t n)
{
    const unsigned char *b = p;
    s->n += n;
    if (s->fill) {
        size_t k = 64 - s->fill < n ? 64 - s->fill : n;
        memcpy(s->buf + s->fill, b, k);
        s->fill += k; b += k; n -= k;
        if (s->fill < 64) return;
        sha_blocks(s, s->buf, 1);
        s->fill = 0;
    }
    if (n >= 64) { sha_blocks(s, b, n / 64); b += n / 64 * 64; n %= 64; }
    memcpy(s->buf, b, n);
    s->fill = n;
}

void rr_sha256_final(rr_sha256 *s, unsigned char out[32])
{
    unsigned long long bits = s->n * 8;
    unsigned char pad = 0x80, zero = 0, len[8];
    rr_sha256_update(s, &pad, 1);
    while (s->fill != 56) rr_sha256_update(s, &zero, 1);
    for (int i = 0; i < 8; i++) len[i] = (unsigned char)(bits >> (56 - 8 * i));
    rr_sha256_update(s, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24); out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8); out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

void rr_sha256_hex(const unsigned char d[32], char out[65])
{
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) { out[2 * i] = hx[d[i] >> 4]; out[2 * i + 1] = hx[d[i] & 15]; }
    out[64] = 0;
}
