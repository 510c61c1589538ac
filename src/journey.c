/* journey.c: the journey window and the order of touches (see journey.h).
 *
 *   rr_journey_window w = rr_journey_window_of(op, lookback);
 *   int in = rr_journey_in(&w, touch_ts);
 */
#include <stdlib.h>
#include <string.h>
#include "revreport/journey.h"
#include "revreport/xalloc.h"

rr_journey_window rr_journey_window_of(const rr_opp *o, int lookback_days)
{
    rr_journey_window w;
    w.lo = rr_date_time(o->created) - (rr_time)lookback_days * RR_DAY;
    w.hi = o->close_ts != RR_NO_TIME ? o->close_ts : rr_date_time(o->close) + RR_DAY - 1;
    return w;
}

typedef struct { const rr_dict *d; int32_t id; } named;

static int named_cmp(const void *x, const void *y)
{
    const named *a = x, *b = y;
    int c = strcmp(rr_dict_name(a->d, a->id), rr_dict_name(b->d, b->id));
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* rank[id + off] = position of name id in byte order; off = 1 leaves rank[0] (id -1) at 0 */
static int32_t *ranks(const rr_dict *d, int off)
{
    size_t n = d->n;
    int32_t *r = rr_xcalloc(n + 1, sizeof *r);
    named *v = rr_xmalloc((n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = (named){d, (int32_t)i};
    qsort(v, n, sizeof *v, named_cmp);
    for (size_t i = 0; i < n; i++) r[v[i].id + off] = (int32_t)i + off;
    free(v);
    return r;
}

void rr_journey_order_init(rr_journey_order *ord, const rr_data *d)
{
    ord->ch_rank = ranks(&d->channels, 0);
    ord->cp_rank = ranks(&d->campaigns, 1);
}

void rr_journey_order_free(rr_journey_order *ord)
{
    if (!ord) return;
    free(ord->ch_rank);
    free(ord->cp_rank);
    ord->ch_rank = ord->cp_rank = NULL;
}

/* milestones in the byte order of their names: "" < closed_won < lead_created < opportunity_created */
static int ms_rank(uint8_t ms)
{
    switch (ms) {
    case RR_MS_CLOSED_WON: return 1;
    case RR_MS_LEAD_CREATED: return 2;
    case RR_MS_OPP_CREATED: return 3;
    default: return 0;
    }
}

static int cmp_ties(const rr_journey_order *ord, const rr_touch *x, const rr_touch *y)
{
    if (x->channel != y->channel) {
        int32_t a = x->channel >= 0 ? ord->ch_rank[x->channel] : -1, b = y->channel >= 0 ? ord->ch_rank[y->channel] : -1;
        if (a != b) return a < b ? -1 : 1;
    }
    if (x->campaign != y->campaign) {
        int32_t a = ord->cp_rank[x->campaign + 1], b = ord->cp_rank[y->campaign + 1];
        if (a != b) return a < b ? -1 : 1;
    }
    int ma = ms_rank(x->milestone), mb = ms_rank(y->milestone);
    return (ma > mb) - (ma < mb);
}

int rr_journey_cmp(const rr_journey_order *ord, const rr_data *d, int32_t a, int32_t b)
{
    const rr_touch *x = &d->touch[a], *y = &d->touch[b];
    if (x->ts != y->ts) return x->ts < y->ts ? -1 : 1;
    int c = cmp_ties(ord, x, y);
    return c ? c : (a > b) - (a < b);
}

/* a long run: merge sort through a buffer (n log n; a day of an account's touches may be long) */
static void merge_sort(const rr_journey_order *ord, const rr_data *d, int32_t *v, size_t n)
{
    int32_t *tmp = rr_xmalloc(n * sizeof *tmp), *src = v, *dst = tmp;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n, i = lo, j = mid, k = lo;
            while (i < mid && j < hi) dst[k++] = rr_journey_cmp(ord, d, src[j], src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        int32_t *t = src; src = dst; dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
    free(tmp);
}

void rr_journey_sort_ties(const rr_journey_order *ord, const rr_data *d, int32_t *idx, size_t n)
{
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && d->touch[idx[e]].ts == d->touch[idx[s]].ts) e++;
        if (e - s > 32) { merge_sort(ord, d, idx + s, e - s); s = e; continue; }
        /* a run of equal timestamps: insertion sort (runs are short) */
        for (size_t a = s + 1; a < e; a++) {
            int32_t x = idx[a];
            size_t b = a;
            while (b > s && rr_journey_cmp(ord, d, idx[b - 1], x) > 0) { idx[b] = idx[b - 1]; b--; }
            idx[b] = x;
        }
        s = e;
    }
}
