/* story.h: the plan module's figures (plan.h) in the report document: the
 * deal-type split, plan vs actual with status, the quarter outlook on the
 * summary; the quarter table and the largest deals on the revenue page.
 *
 *   rr_story_summary(&ctx, summary_section);   // after the tiles and highlights
 *   rr_story_revenue(&ctx, revenue_section);
 *
 * Every number comes from ctx->plan (whose figures are in report.xml, put by
 * rr_plan_figures) and every word from the catalogue (<lang>-plan.txt).
 * Status is shown in words and in colour (rr_table_tone). */
#ifndef RR_STORY_H
#define RR_STORY_H
#include "revreport/build.h"
#include "revreport/doc.h"

/* Blocks of the summary: deal types, plan vs actual, quarter outlook. */
void rr_story_summary(const rr_build_ctx *c, rr_doc_section *s);
/* Blocks of the revenue section: the quarter's months with a total row,
 * the largest deals won, lost and open due in the quarter. */
void rr_story_revenue(const rr_build_ctx *c, rr_doc_section *s);
/* Channel trends (the ROI section): attributed revenue and pipeline created
 * per channel per month over the window, stacked bars, with their rule. */
void rr_story_trends(const rr_build_ctx *c, rr_doc_section *s);
/* "On track" / "At risk" / "Off track" in the report's language ("" for none). */
const char *rr_story_status_text(const rr_build_ctx *c, int status);

#endif
