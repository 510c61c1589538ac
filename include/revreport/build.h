/* build.h: turn computed figures into the report document (rr_doc).
 *
 *   rr_doc *doc = rr_build_doc(&ctx);
 *
 * Every number placed in the document is formatted from the figure store
 * or from rr_metrics, whose values are all in the figure store too, so the
 * HTML, the PDF and report.xml agree.  A section module that computes more
 * (attribution models, forecasts) adds its figures to c->figs while it
 * builds its section; report.xml is written after the document.  All text
 * comes from the catalogue. */
#ifndef RR_BUILD_H
#define RR_BUILD_H
#include "revreport/config.h"
#include "revreport/data.h"
#include "revreport/doc.h"
#include "revreport/figures.h"
#include "revreport/fmt.h"
#include "revreport/i18n.h"
#include "revreport/metrics.h"
#include "revreport/period.h"

struct rr_plan;

typedef struct {
    const rr_data *data;
    const rr_metrics *m;
    rr_figs *figs;         /* sections add the figures they compute */
    const rr_period *period;
    const rr_i18n *cat;
    const rr_fmt *fmt;
    const char *company, *logo, *generated;
    int lookback_days;
    size_t nomitted;
    const char *const *omitted;   /* sections left out, with reasons */
    const rr_config *cfg;         /* settings of section modules (may be NULL) */
    struct rr_plan *plan;         /* plan.h: deal types, plan vs actual, YoY, outlook, top deals
                                     (the summary fills its outlook and puts its figures) */
} rr_build_ctx;

rr_doc *rr_build_doc(const rr_build_ctx *c);

#endif
