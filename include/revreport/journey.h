/* journey.h: the one definition of an opportunity's journey, shared by the
 * report (metrics.c builds every journey with it, attr_report.c the null
 * paths of leads), tests/data/attr/paths.sql and the tests:
 *
 * - window: a touch belongs to an opportunity's journey when its timestamp t
 *   lies in [lo, hi]: lo = 00:00 UTC of created_date - lookback days, hi =
 *   the close timestamp when the export gives one (close_date with a time),
 *   else the last second of close_date (23:59:59 UTC).  The same window for
 *   every touch, whether its opportunity_id names the opportunity or its
 *   account_id matched it.
 * - order: by timestamp; touches at the same instant by channel name, then
 *   campaign_id, then milestone (bytes, the empty one first:
 *   "" < closed_won < lead_created < opportunity_created), then file row.
 *   Touches equal in all of the first four are interchangeable (no figure
 *   depends on which comes first), so no figure depends on the row order.
 *
 *   rr_journey_window w = rr_journey_window_of(&d->opps[i], 365);
 *   if (rr_journey_in(&w, t->ts)) ...
 *   rr_journey_order ord;  rr_journey_order_init(&ord, d);
 *   rr_journey_sort_ties(&ord, d, idx, n);    // idx: touch rows sorted by time
 *   rr_journey_order_free(&ord);
 *
 * Ownership: rr_journey_order owns its two rank arrays; it reads d only while
 * it is built. */
#ifndef RR_JOURNEY_H
#define RR_JOURNEY_H
#include <stddef.h>
#include <stdint.h>
#include "revreport/data.h"

typedef struct { rr_time lo, hi; } rr_journey_window;

/* The window of opportunity o with lookback_days (>= 0) before its created_date. */
rr_journey_window rr_journey_window_of(const rr_opp *o, int lookback_days);
static inline int rr_journey_in(const rr_journey_window *w, rr_time t) { return t >= w->lo && t <= w->hi; }

/* Ranks of channel and campaign names in byte order (the tie rule above). */
typedef struct {
    int32_t *ch_rank;   /* [channels.n] */
    int32_t *cp_rank;   /* [campaigns.n + 1], [0] for "no campaign" (ranked first) */
} rr_journey_order;
void rr_journey_order_init(rr_journey_order *ord, const rr_data *d);
void rr_journey_order_free(rr_journey_order *ord);   /* NULL ok */

/* <0, 0, >0: touch rows a and b of d by the order above (time, then the tie rule). */
int rr_journey_cmp(const rr_journey_order *ord, const rr_data *d, int32_t a, int32_t b);

/* idx[0..n) are touch rows of d sorted by timestamp (any order among equal
 * timestamps): put each run of equal timestamps in the tie order. */
void rr_journey_sort_ties(const rr_journey_order *ord, const rr_data *d, int32_t *idx, size_t n);

#endif
